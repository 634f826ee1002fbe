"""The resolve stage: mentions become actors, so that one real-world entity is one node.

Within an article, names are grouped: a shorter name that ends a longer person's name
("Haftar", "El Sagezli") joins that person; an actor's type is the majority of its mentions'
types, longer names weighing more (spaCy calls "Sagezli" an ORG four times, but
"Mustafa El Sagezli" a PERSON). Across articles, actors with the same name and type are one.
Unnamed actors and things ("the mediators", "initiative") stay in their article.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from .names import name_key as _name_key, slug
from .types import ORGANIZATION, PERSON, Actor, ArticleExtraction, Mention, ResolvedTriple


def name_key(label: str) -> str:
    """``names.name_key``, falling back to the label itself for names without letters ("🙂")."""
    return _name_key(label) or label


@dataclass
class Resolution:
    """Actors by id and the triples between them, both in a deterministic order."""

    actors: dict[str, Actor]
    triples: list[ResolvedTriple]


@dataclass
class _Name:
    """One distinct name of an article with the evidence for its type."""

    key: str
    surfaces: Counter[str] = field(default_factory=Counter)
    votes: Counter[str] = field(default_factory=Counter)

    @property
    def tokens(self) -> list[str]:
        return self.key.split()

    @property
    def label(self) -> str:
        return min(self.surfaces, key=lambda s: (-self.surfaces[s], s))


@dataclass
class _Cluster:
    head: _Name
    members: list[_Name]

    @property
    def type(self) -> str:
        votes: Counter[str] = Counter()
        for member in self.members:
            votes.update(member.votes)
        return min(votes, key=lambda t: (-votes[t], t))


def resolve_actors(extractions: Iterable[ArticleExtraction]) -> Resolution:
    """Resolve the mentions of every article to actors, and the triples to actor ids.

    >>> from graph_builder.types import Article, ArticleExtraction, Mention, Triple
    >>> full = Mention("General Khalifa Haftar", 0, 22, "Khalifa Haftar", "Person", True)
    >>> short = Mention("Haftar", 40, 46, "Haftar", "Organization", True)
    >>> thing = Mention("the plan", 55, 63, "plan", "Thing")
    >>> t = Triple(short, "reject", "rejected", thing, "a1", "...", 30, 70)
    >>> res = resolve_actors([ArticleExtraction(Article("a1", "..."), (t,), (full,))])
    >>> res.triples[0].subject_id, res.actors["person/khalifa-haftar"].aliases
    ('person/khalifa-haftar', ('Haftar',))
    """
    labels: dict[str, Counter[str]] = defaultdict(Counter)  # actor id → label → mentions
    meta: dict[str, tuple[str, bool]] = {}  # actor id → (type, named)
    articles: dict[str, set[str]] = defaultdict(set)
    resolved: list[ResolvedTriple] = []
    for order, extraction in enumerate(extractions):
        article_id = extraction.article.id
        named_ids = _resolve_names(extraction)
        for triple in extraction.triples:
            ids = []
            for mention in (triple.subject, triple.object):
                if mention.named:
                    actor_id, kind = named_ids[name_key(mention.label)]
                else:
                    kind = mention.type
                    actor_id = f"article/{slug(article_id)}/{kind.lower()}/{slug(mention.label)}"
                ids.append(actor_id)
                labels[actor_id][mention.label] += 1
                meta[actor_id] = (kind, mention.named)
                articles[actor_id].add(article_id)
            resolved.append(ResolvedTriple(triple, ids[0], ids[1]))
        for mention in extraction.mentions:
            actor_id, kind = named_ids[name_key(mention.label)]
            if actor_id in labels:  # only actors that take part in a triple become nodes
                labels[actor_id][mention.label] += 1
                articles[actor_id].add(article_id)
    actors = {}
    for actor_id in sorted(labels):
        kind, named = meta[actor_id]
        canonical = _canonical_label(labels[actor_id])
        aliases = tuple(sorted(label for label in labels[actor_id] if label != canonical))
        actors[actor_id] = Actor(actor_id, canonical, kind, aliases, tuple(sorted(articles[actor_id])), named)
    return Resolution(actors, resolved)


def _resolve_names(extraction: ArticleExtraction) -> dict[str, tuple[str, str]]:
    """Map each name key of one article to ``(actor id, type)``."""
    names: dict[str, _Name] = {}
    named_mentions: list[Mention] = [m for m in extraction.mentions if m.named]
    for triple in extraction.triples:
        named_mentions.extend(m for m in (triple.subject, triple.object) if m.named)
    for mention in named_mentions:
        key = name_key(mention.label)
        if not key:
            continue
        name = names.setdefault(key, _Name(key))
        name.surfaces[mention.label] += 1
        name.votes[mention.type] += len(name.tokens) ** 2
    clusters: list[_Cluster] = []
    by_key: dict[str, _Cluster] = {}
    for name in sorted(names.values(), key=lambda n: (-len(n.tokens), n.key)):
        owner = _longer_name_of(name, clusters)
        if owner is None:
            owner = _Cluster(name, [])
            clusters.append(owner)
        owner.members.append(name)
        by_key[name.key] = owner
    result = {}
    for key, cluster in by_key.items():
        kind = cluster.type
        result[key] = (f"{kind.lower()}/{slug(cluster.head.label)}", kind)
    return result


def _longer_name_of(name: _Name, clusters: list[_Cluster]) -> _Cluster | None:
    """The one person cluster whose name ends with ``name`` ("Haftar" → "Khalifa Haftar")."""
    if not set(name.votes) <= {PERSON, ORGANIZATION}:
        return None
    tokens = name.tokens
    matches = [
        c for c in clusters
        if c.type == PERSON and len(c.head.tokens) > len(tokens) and c.head.tokens[-len(tokens):] == tokens
    ]
    return matches[0] if len(matches) == 1 else None


def _canonical_label(counts: Counter[str]) -> str:
    """The longest name an actor is called, then the most frequent, then the first in order."""
    return min(counts, key=lambda label: (-len(label.split()), -counts[label], label))

"""The resolve stage: mentions become actors, so that one real-world entity is one node.

Within an article, names are grouped: a shorter name that ends a longer person's name
("Haftar", "El Sagezli") joins that person; an actor's type is the majority of its mentions'
types, longer names weighing more (spaCy calls "Sagezli" an ORG four times, but
"Mustafa El Sagezli" a PERSON). Across articles, actors with the same name and type are one.
Unnamed actors and things ("the mediators", "initiative") stay in their article.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from .names import is_acronym, name_key as _name_key, slug, spelled_out_acronyms
from .aliases import AliasEntry, AliasTable
from .types import ORGANIZATION, PERSON, Actor, ArticleExtraction, Mention, ResolvedTriple, Triple


@lru_cache(maxsize=1 << 18)
def name_key(label: str) -> str:
    """``names.name_key``, falling back to the label itself for names without letters ("🙂");
    kept like it, as resolution asks for it several times a mention."""
    return _name_key(label) or label


@dataclass
class Resolution:
    """Actors by id and the triples between them, both in a deterministic order."""

    actors: dict[str, Actor]
    triples: list[ResolvedTriple]


@dataclass(slots=True)
class _Name:
    """One distinct name of an article with the evidence for its type."""

    key: str
    surfaces: dict[str, int] = field(default_factory=dict)  # plain counts: an article makes many names
    votes: dict[str, int] = field(default_factory=dict)
    ends: set[int] = field(default_factory=set)  # where its mentions end in the text
    tokens: list[str] = field(init=False)
    weight: int = field(init=False)  # what each of its mentions' votes weighs: longer names more
    label: str = ""  # the most frequent surface, set once all mentions are counted (``_most``)

    def __post_init__(self) -> None:
        self.tokens = self.key.split()
        self.weight = len(self.tokens) ** 2


@dataclass(slots=True)
class _Cluster:
    head: _Name
    entry: AliasEntry | None = None
    members: list[_Name] = field(default_factory=list)
    votes: dict[str, int] = field(default_factory=dict)  # its members' votes for its type, summed
    _type: str = ""  # the type the votes give, worked out when first asked for after a change

    def add(self, name: _Name) -> None:
        self.members.append(name)
        for kind, weight in name.votes.items():
            self.votes[kind] = self.votes.get(kind, 0) + weight
        self._type = ""

    @property
    def type(self) -> str:
        if not self._type:
            self._type = _most(self.votes)
        return self._type


def _most(counts: dict[str, int]) -> str:
    """The key counted most, the first in order among equals."""
    if len(counts) == 1:
        return next(iter(counts))
    return min(counts, key=lambda k: (-counts[k], k))


def resolve_actors(extractions: Iterable[ArticleExtraction], *, aliases: AliasTable | None = None) -> Resolution:
    """Resolve the mentions of every article to actors, and the triples to actor ids.

    ``aliases`` (see ``graph_builder.aliases``) fixes labels and types and merges name variants.

    >>> from graph_builder.types import Article, ArticleExtraction, Mention, Triple
    >>> full = Mention("General Khalifa Haftar", 0, 22, "Khalifa Haftar", "Person", True)
    >>> short = Mention("Haftar", 40, 46, "Haftar", "Organization", True)
    >>> thing = Mention("the plan", 55, 63, "plan", "Thing")
    >>> t = Triple(short, "reject", "rejected", thing, "a1", "...", 30, 70)
    >>> res = resolve_actors([ArticleExtraction(Article("a1", "..."), (t,), (full,))])
    >>> res.triples[0].subject_id, res.actors["person/khalifa-haftar"].aliases
    ('person/khalifa-haftar', ('Haftar',))
    """
    table = aliases or AliasTable()
    labels: dict[str, dict[str, int]] = defaultdict(dict)  # actor id → label → mentions (plain counts: faster)
    meta: dict[str, tuple[str, bool]] = {}  # actor id → (type, named)
    articles: dict[str, set[str]] = defaultdict(set)
    resolved: list[ResolvedTriple] = []
    for extraction in extractions:
        article_id = extraction.article.id
        named_ids = _resolve_names(extraction, table)
        unnamed_ids = _resolve_unnamed(extraction)
        for triple in extraction.triples:
            ids = []
            for mention in _mentions_of(triple):
                if mention.named:
                    actor_id, kind = named_ids[name_key(mention.label)]
                else:
                    kind, actor_id = mention.type, unnamed_ids[(mention.type, name_key(mention.label))]
                ids.append(actor_id)
                counts = labels[actor_id]
                counts[mention.label] = counts.get(mention.label, 0) + 1
                meta[actor_id] = (kind, mention.named)
                articles[actor_id].add(article_id)
            resolved.append(ResolvedTriple(triple, ids[0], ids[1], ids[2] if len(ids) > 2 else ""))
        for mention in extraction.mentions:  # counted for every actor named; kept below for some
            actor_id = named_ids[name_key(mention.label)][0]
            counts = labels[actor_id]
            counts[mention.label] = counts.get(mention.label, 0) + 1
            articles[actor_id].add(article_id)
    # Only actors that take part in a triple (``meta`` has them) become nodes: known once every
    # triple is in, so that the articles' order never shows.
    labels = {actor_id: counts for actor_id, counts in labels.items() if actor_id in meta}
    remap = _link_surnames(labels, meta)
    for old, new in remap.items():
        counts = labels[new]
        for label, count in labels.pop(old).items():
            counts[label] = counts.get(label, 0) + count
        articles[new].update(articles.pop(old))
    if remap:
        resolved = [_remapped(rt, remap) for rt in resolved]
    actors = {}
    for actor_id in sorted(labels):
        kind, named = meta[actor_id]
        canonical = _canonical_label(labels[actor_id])
        entry = table.lookup(canonical) if named and table else None
        canonical = entry.label if entry else canonical
        aliases_seen = tuple(sorted(label for label in labels[actor_id] if label != canonical))
        actors[actor_id] = Actor(actor_id, canonical, kind, aliases_seen, tuple(sorted(articles[actor_id])), named,
                                 wikidata=entry.wikidata if entry else "")
    return Resolution(actors, resolved)


def _resolve_names(extraction: ArticleExtraction, table: AliasTable) -> dict[str, tuple[str, str]]:
    """Map each name key of one article to ``(actor id, type)``."""
    names: dict[str, _Name] = {}
    named_mentions: list[Mention] = [m for m in extraction.mentions if m.named]
    for triple in extraction.triples:
        named_mentions.extend(m for m in _mentions_of(triple) if m.named)
    for mention in named_mentions:
        label = mention.label
        key = name_key(label)
        name = names.get(key)
        if name is None:
            name = names[key] = _Name(key)
        name.surfaces[label] = name.surfaces.get(label, 0) + 1
        name.votes[mention.type] = name.votes.get(mention.type, 0) + name.weight
        name.ends.add(mention.end)
    clusters: list[_Cluster] = []
    ending: dict[str, list[_Cluster]] = defaultdict(list)  # the clusters by the last word of their name
    by_key: dict[str, _Cluster] = {}
    spelled_out = set(extraction.acronyms or spelled_out_acronyms(extraction.article.text))  # text: records made by hand
    for name in names.values():
        name.label = _most(name.surfaces)
    for name in sorted(names.values(), key=lambda n: (-len(n.tokens), n.key)):
        entry = table.lookup(name.label) if table else None  # most builds have no alias table
        owner = next((c for c in clusters if c.entry is not None and c.entry is entry), None) if entry else None
        owner = owner or _longer_name_of(name, ending) or _expansion_of(name, clusters, spelled_out)
        if owner is None:
            owner = _Cluster(name, entry)
            clusters.append(owner)
            if name.tokens:
                ending[name.tokens[-1]].append(owner)
        owner.add(name)
        by_key[name.key] = owner
    result = {}
    for key, cluster in by_key.items():
        if cluster.entry is not None:
            result[key] = (f"{cluster.entry.type.lower()}/{slug(cluster.entry.label)}", cluster.entry.type)
        else:
            kind = cluster.type
            result[key] = (f"{kind.lower()}/{slug(cluster.head.label)}", kind)
    return result


def _remapped(rt: ResolvedTriple, remap: dict[str, str]) -> ResolvedTriple:
    """``rt`` with its actors' ids remapped; ``rt`` itself when none of them moves (most)."""
    ids = (rt.subject_id, rt.object_id, rt.speaker_id)
    if remap.keys().isdisjoint(ids):
        return rt
    return ResolvedTriple(rt.triple, *(remap.get(i, i) for i in ids))


def _resolve_unnamed(extraction: ArticleExtraction) -> dict[tuple[str, str], str]:
    """Unnamed actors of one article: "the fighters" joins the one "Benghazi Shura fighters"."""
    article = slug(extraction.article.id)
    keys = sorted({(m.type, name_key(m.label)) for t in extraction.triples for m in _mentions_of(t) if not m.named},
                  key=lambda k: (-len(k[1].split()), k))
    result: dict[tuple[str, str], str] = {}
    heads: dict[tuple[str, str], list[list[str]]] = defaultdict(list)  # longer names so far, by type and last word
    for kind, key in keys:
        words = key.split()
        ending = heads.get((kind, words[-1]), ()) if words else ()
        longer = [w for w in ending if len(w) > len(words) and _is_subsequence(words, w)]
        target = longer[0] if len(longer) == 1 else words
        if target is words and words:
            heads[(kind, words[-1])].append(words)
        result[(kind, key)] = f"article/{article}/{kind.lower()}/{slug(' '.join(target))}"
    return result


def _mentions_of(triple: Triple) -> tuple[Mention, ...]:
    """Subject, object and, for reported speech, the speaker: every actor a triple names."""
    return (triple.subject, triple.object) + ((triple.attributed_to,) if triple.attributed_to is not None else ())


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(word in it for word in short)


def _link_surnames(labels: dict[str, dict[str, int]], meta: dict[str, tuple[str, bool]]) -> dict[str, str]:
    """Across articles, a one-word person ("Haftar") is the one full name that ends with it."""
    persons = {actor_id: _canonical_label(labels[actor_id])
               for actor_id, (kind, named) in meta.items() if named and kind == PERSON}
    by_last: dict[str, set[str]] = defaultdict(set)
    for actor_id, label in persons.items():
        if len(label.split()) > 1:
            by_last[name_key(label.split()[-1])].add(actor_id)
    remap = {}
    for actor_id, label in persons.items():
        if len(label.split()) == 1 and len(by_last.get(name_key(label), ())) == 1:
            remap[actor_id] = next(iter(by_last[name_key(label)]))
    return remap


def _longer_name_of(name: _Name, ending: dict[str, list[_Cluster]]) -> _Cluster | None:
    """The one person cluster whose name ends with ``name`` ("Haftar" → "Khalifa Haftar").

    ``ending``: the clusters by the last word of their name, so that only those that may match
    are looked at (an article has tens of names)."""
    tokens = name.tokens
    if not tokens or not name.votes.keys() <= _PERSON_OR_ORGANIZATION:
        return None
    matches = [
        c for c in ending.get(tokens[-1], ())
        if len(c.head.tokens) > len(tokens) and c.head.tokens[-len(tokens):] == tokens and c.type == PERSON
    ]
    return matches[0] if len(matches) == 1 else None


_PERSON_OR_ORGANIZATION = frozenset((PERSON, ORGANIZATION))


def _expansion_of(name: _Name, clusters: list[_Cluster], spelled_out: set[tuple[int, str]]) -> _Cluster | None:
    """The organisation an acronym stands for: "Islamic State (ISIS)" (``spelled_out``: the
    article's ``acronyms``), or "ISIL" as its initials."""
    surface = name.label
    if not is_acronym(surface):
        return None
    for cluster in clusters if spelled_out else ():
        for member in cluster.members:
            if any((end, surface) in spelled_out for end in member.ends):
                return cluster
    lowered = surface.lower()
    initials = [c for c in clusters if c.type != PERSON and _initials(c.head.key) == lowered]
    return initials[0] if len(initials) == 1 else None


@lru_cache(maxsize=1 << 16)
def _initials(key: str) -> str:
    """The initials of a name key: every acronym of an article is tried on every other name, and
    names recur from article to article."""
    return "".join(w[0] for w in key.split() if w not in ("of", "the", "and", "for", "in"))


def _canonical_label(counts: dict[str, int]) -> str:
    """The longest name an actor is called, then the most frequent, then the first in order."""
    if len(counts) == 1:  # most actors
        return next(iter(counts))
    return min(counts, key=lambda label: (-len(label.split()), -counts[label], label))

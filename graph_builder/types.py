"""The records that travel between the stages of the pipeline.

Every record is a frozen dataclass of strings, numbers and tuples: it never holds a spaCy
``Token`` or ``Doc``, so it outlives the parse, pickles across processes and turns into
JSON directly (``dataclasses.asdict``).

    ingest ──Article──▶ nlp ──(Doc, Article)──▶ extract ──ArticleExtraction──▶ resolve
           ──Actor, ResolvedTriple──▶ assemble ──rdflib.Graph / nx.MultiDiGraph──▶ export
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

#: Actor types used across the graph. NER labels are mapped onto these by ``nlp.entity_type``.
PERSON = "Person"
ORGANIZATION = "Organization"
PLACE = "Place"
GROUP = "Group"  # unnamed collective actors: "mediators", "rebels", "the fighters"
EVENT = "Event"
THING = "Thing"  # anything else an action is done to: "initiative", "proposal"
ACTOR_TYPES: tuple[str, ...] = (PERSON, ORGANIZATION, PLACE, GROUP, EVENT, THING)


@dataclass(frozen=True)
class Article:
    """One news article as read from its source, before any NLP.

    ``id`` is unique within a build: the file name (``000_x.txt``), or the record id for JSON.
    ``date`` is an ISO date (``2021-04-19``) or ``None`` when the source does not give one.
    ``meta`` keeps whatever else the source had (JSON fields, author, breadcrumb...).
    """

    id: str
    text: str
    title: str = ""
    date: str | None = None
    source: str = ""
    url: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Mention:
    """A span of an article's text that names or refers to an actor or a thing.

    ``start``/``end`` are character offsets into ``Article.text``. ``label`` is the name the
    mention stands for with determiners, titles and possessive marks removed ("Khalifa Haftar"
    for "General Khalifa Haftar's"); ``type`` is one of ``ACTOR_TYPES``. ``named`` is true for
    proper names (they merge across articles); common nouns ("the ally") stay in their article.
    """

    text: str
    start: int
    end: int
    label: str
    type: str
    named: bool = False


@dataclass(frozen=True)
class Triple:
    """One actor–relation–actor statement found in a sentence, with its evidence.

    ``relation`` is the normalised relation (verb lemma, with a particle or preposition:
    ``reject``, ``withdraw_from``); ``relation_text`` the words as written ("has rejected").
    ``start``/``end`` are the character offsets of the sentence in ``Article.text``.
    """

    subject: Mention
    relation: str
    relation_text: str
    object: Mention
    article_id: str
    sentence: str
    start: int
    end: int
    relation_start: int = 0
    relation_end: int = 0
    negated: bool = False
    confidence: float = 1.0
    extractor: str = ""
    time_text: str = ""  # a time the sentence gives the event, as written ("in May 2014", "on Monday")
    modality: str = ""  # "may", "would", "conditional", or the verb of intent: "agree", "threaten"
    attributed_to: Mention | None = None  # the speaker who reports it ("Sagezli said he had...")
    cameo: str = ""  # the CAMEO event code of the relation, where one fits ("120" reject)


@dataclass(frozen=True)
class ArticleExtraction:
    """Everything the extract stage learned from one article.

    ``mentions`` are all the named-entity mentions of the article, including those that are no
    argument of a triple: resolution uses them to learn aliases ("Khalifa Haftar" lets a later
    "Haftar" resolve). ``acronyms`` are the places where the text spells an acronym out, as
    ``(offset where the name before it ends, acronym)``: "Islamic State (ISIS)" makes "ISIS"
    that organisation, though resolution never sees the text. This is the unit that is cached
    and sent between processes.
    """

    article: Article
    triples: tuple[Triple, ...]
    mentions: tuple[Mention, ...] = ()
    acronyms: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Actor:
    """One node of the graph: a real-world entity (or an article-scoped group or thing).

    ``id`` is the stable local part of the node's IRI (``person/khalifa-haftar``);
    ``aliases`` the other names it was seen under; ``articles`` the ids of articles naming it.
    """

    id: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    named: bool = True
    wikidata: str = ""  # a Wikidata id ("Q312478") from the user's alias file


@dataclass(frozen=True)
class ResolvedTriple:
    """A ``Triple`` whose subject and object have been resolved to actors (by ``Actor.id``)."""

    triple: Triple
    subject_id: str
    object_id: str
    speaker_id: str = ""  # the actor ``triple.attributed_to`` resolves to, if any


def text_digest(article: Article) -> str:
    """A hash of the article's text: the one it had, for a copy made by ``without_text``."""
    if not article.text and (known := getattr(article, _DIGEST, "")):
        return known
    return hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest()


def without_text(article: Article, digest: str = "") -> Article:
    """The article as the graph needs it: every field but the text, which can be large.

    The copy keeps the text's digest (``digest``, if the text is not at hand), so that the cache
    still knows it by its content. The digest is no field: ``dataclasses.replace`` makes an
    article without it, whose digest is that of its own text, so a changed copy is never taken
    for the original.
    """
    if article.text or digest:
        digest = digest or text_digest(article)
        article = replace(article, text="")
        object.__setattr__(article, _DIGEST, digest)
    return article


_DIGEST = "_text_digest"

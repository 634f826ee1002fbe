"""The assemble stage: resolved triples become an rdflib graph and a NetworkX graph.

Both graphs are views of one ``KnowledgeGraph``, built from the same records, so they always
agree. Each triple appears in RDF twice: as a plain edge (``<actor> rel:reject <thing>``, for
simple SPARQL; negated triples get no plain edge, since the text denies it) and as a
``gb:Statement`` node with its evidence (article, sentence, offsets, negation, confidence,
time); ``graph_builder.model`` says what each record becomes in RDF.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence
from urllib.parse import quote

import networkx as nx
from rdflib import Dataset, Graph, URIRef

from .model import check_base_iri, relation_iri, to_dataset, to_rdf
from .cameo import cameo_class
from .names import relation_name
from .types import Actor, Article, ResolvedTriple
from .vocab import DEFAULT_BASE_IRI

if TYPE_CHECKING:
    from .query import QueryResult



@dataclass
class KnowledgeGraph:
    """Articles, actors and resolved triples, with their RDF and NetworkX views.

    ``rdf`` and ``nx`` are built on first access and cached; the records are the truth.
    """

    articles: list[Article]
    actors: dict[str, Actor]
    triples: list[ResolvedTriple]
    base_iri: str = DEFAULT_BASE_IRI
    model: str = ""
    title: str = "graph-builder"
    skipped: list[str] = field(default_factory=list)
    #: The build's cache folder: exporters keep each article's piece of output there (``export.fragments``).
    cache_dir: Path | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_base_iri(self.base_iri)
        self._articles_by_id = {article.id: article for article in self.articles}
        self._actor_iris: dict[str, URIRef] = {}  # every table row and edge names two actors

    # -- IRIs -------------------------------------------------------------------------------

    def actor_iri(self, actor_id: str) -> URIRef:
        """The IRI of an actor (``person/khalifa-haftar`` → ``<base>person/khalifa-haftar``)."""
        found = self._actor_iris.get(actor_id)
        if found is None:
            found = self._actor_iris[actor_id] = URIRef(self.base_iri + quote(actor_id, safe="/-_~"))
        return found

    def article_iri(self, article_id: str) -> URIRef:
        return URIRef(self.base_iri + "article/" + quote(article_id, safe="-_.~"))

    def statement_iri(self, rt: ResolvedTriple) -> URIRef:
        t = rt.triple
        # The actors' ids too: "the two countries" is one mention and two statements, one per country.
        key = "\x00".join(map(str, (t.article_id, t.start, t.relation_start, t.subject.start, t.object.start, t.relation,
                                     t.extractor, rt.subject_id, rt.object_id)))
        return URIRef(self.base_iri + "statement/" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20])

    # -- views ------------------------------------------------------------------------------

    def article_date(self, article_id: str) -> str | None:
        """The publication date of an article of the graph (``None`` when unknown)."""
        article = self._articles_by_id.get(article_id)
        return article.date if article else None

    @cached_property
    def rdf(self) -> Graph:
        """The graph as rdflib triples (schema.org, PROV-O, SKOS, NIF, SEM and ``gb:``/``rel:`` terms)."""
        return to_rdf(self)

    @cached_property
    def dataset(self) -> Dataset:
        """The same triples as an rdflib ``Dataset``, one named graph per article (``GRAPH <article>``)."""
        return to_dataset(self)

    @cached_property
    def nx(self) -> nx.MultiDiGraph:
        """The graph as a NetworkX MultiDiGraph: actor IRIs as nodes, one edge per triple."""
        return to_networkx(self)

    def records(self) -> Iterator[dict[str, Any]]:
        """One flat record per triple: the rows of ``triples.jsonl`` and ``triples.csv``."""
        for rt in self.triples:
            yield triple_record(self, rt)

    def query(self, sparql: str) -> "QueryResult":
        """Run a SPARQL query over ``rdf``; see ``graph_builder.query.run_query``."""
        from .query import run_query

        return run_query(self.rdf, sparql)

    def export(self, out_dir: str | Path = "output", formats: Sequence[str] | None = None, *,
               jobs: int = 1) -> list[Path]:
        """Write the graph's files into ``out_dir`` (``jobs`` at once); see ``graph_builder.export.write_outputs``."""
        from .export import write_outputs

        return write_outputs(self, Path(out_dir), formats, jobs=jobs)

    def to_store(self, path: str | Path) -> Path:
        """Write the graph into an Oxigraph store on disk; see ``graph_builder.store.write_store``."""
        from .store import write_store

        return write_store(self, Path(path))


def triple_record(kg: KnowledgeGraph, rt: ResolvedTriple) -> dict[str, Any]:
    """The flat description of one triple, shared by the tables and the NetworkX edges."""
    t = rt.triple
    subject, obj = kg.actors[rt.subject_id], kg.actors[rt.object_id]
    article = kg._articles_by_id.get(t.article_id)
    event = cameo_class(t.cameo) if t.cameo else None
    return {
        "subject": subject.label,
        "subject_id": str(kg.actor_iri(rt.subject_id)),
        "subject_type": subject.type,
        "subject_text": t.subject.text,
        "relation": relation_name(t.relation),
        "relation_text": t.relation_text,
        "object": obj.label,
        "object_id": str(kg.actor_iri(rt.object_id)),
        "object_type": obj.type,
        "object_text": t.object.text,
        "negated": t.negated,
        "confidence": t.confidence,
        "modality": t.modality,
        "attributed_to": kg.actors[rt.speaker_id].label if rt.speaker_id else "",
        "time_text": t.time_text,
        "cameo": event.code if event else "",
        "cameo_root": event.root_name if event else "",
        "quad_class": event.quad_class_name if event else "",
        "article": t.article_id,
        "article_title": article.title if article else "",
        "article_date": (article.date or "") if article else "",
        "sentence": t.sentence,
        "start": t.start,
        "end": t.end,
        "subject_start": t.subject.start,
        "subject_end": t.subject.end,
        "relation_start": t.relation_start,
        "relation_end": t.relation_end,
        "object_start": t.object.start,
        "object_end": t.object.end,
        "extractor": t.extractor,
        "statement": str(kg.statement_iri(rt)),
    }


#: The columns of ``triples.jsonl`` and ``triples.csv``, in order.
TRIPLE_FIELDS: tuple[str, ...] = (
    "subject", "subject_id", "subject_type", "subject_text", "relation", "relation_text", "object",
    "object_id", "object_type", "object_text", "negated", "confidence", "modality", "attributed_to",
    "time_text", "cameo", "cameo_root", "quad_class", "article", "article_title",
    "article_date", "sentence", "start", "end", "subject_start", "subject_end", "relation_start",
    "relation_end", "object_start", "object_end", "extractor", "statement",
)


def to_networkx(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """Build the NetworkX view: nodes carry label, type, aliases; edges relation and evidence."""
    graph = nx.MultiDiGraph(title=kg.title)
    for actor in kg.actors.values():
        graph.add_node(
            str(kg.actor_iri(actor.id)),
            label=actor.label,
            type=actor.type,
            aliases=list(actor.aliases),
            articles=len(actor.articles),
        )
    for rt in kg.triples:
        record = triple_record(kg, rt)
        graph.add_edge(record["subject_id"], record["object_id"], key=record["statement"], **record)
    return graph


def _id_order(article_id: str) -> tuple[tuple[int, str], ...]:
    """Sort key of an article id: "news-2" before "news-10"; ids that differ only in zeros stay apart.

    >>> sorted(["news-10", "news-2", "a.txt#2", "a.txt"], key=_id_order)
    ['a.txt', 'a.txt#2', 'news-2', 'news-10']
    """
    return tuple((len(part), part) if part.isdigit() else (0, part) for part in re.split(r"(\d+)", article_id))


def new_graph(
    articles: Iterable[Article],
    actors: dict[str, Actor],
    triples: list[ResolvedTriple],
    **options: Any,
) -> KnowledgeGraph:
    """A ``KnowledgeGraph`` with the articles and triples in an order that depends on nothing but
    them (article id, numbers in it by value, then position), so that the inputs' order never shows."""
    articles = sorted(articles, key=lambda article: _id_order(article.id))
    triples = sorted(
        triples,
        key=lambda rt: (_id_order(rt.triple.article_id), rt.triple.start, rt.triple.relation_start,
                        rt.triple.subject.start, rt.triple.object.start, rt.triple.relation),
    )
    return KnowledgeGraph(articles, actors, triples, **options)


__all__ = ["KnowledgeGraph", "to_rdf", "to_dataset", "to_networkx", "triple_record", "TRIPLE_FIELDS", "relation_iri", "new_graph"]

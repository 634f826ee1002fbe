"""What each record becomes in RDF: the graph's model, one named graph per article.

Each article's graph holds everything the article says and everything needed to read it on its
own: the article's metadata, the actors it mentions (type and names), its statements with their
evidence spans, the plain edges of the statements it asserts, the relations' and the extraction
run's descriptions. So a user can query one source, or drop it (``DROP GRAPH <article>``), and
what is left stays whole; the union of the graphs is the Turtle graph. Shared descriptions
repeat in each graph that needs them (a quad store keeps one copy per graph, Turtle one in all).
Actors that no article names would go to the default graph (the pipeline makes none).

Offsets are NIF spans named after RFC 5147 (``<article>#char=811,1017``), so the same span is
the same node whichever statement points at it, and every name is stable across runs.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Iterator
from urllib.parse import quote

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import GraphBuilderError
from .cameo import cameo_class
from .names import relation_name
from .timex import normalise_time
from .types import Article, ResolvedTriple
from .vocab import GB, NIF, PREFIXES, PROV, RDF, RDFS, REL, SDO, SEM, SKOS, TYPE_CLASSES, XSD

if TYPE_CHECKING:
    from .assemble import KnowledgeGraph

Triple3 = tuple[Node, Node, Node]

WIKIDATA = "http://www.wikidata.org/entity/"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`]')
#: Characters XML 1.0 cannot hold; RDF/XML and some parsers refuse them, so literals lose them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class IRIError(GraphBuilderError, ValueError):
    """A base IRI that cannot name the graph's nodes (not absolute, or not ending in '/' or '#')."""


def check_base_iri(base_iri: str) -> str:
    """Return ``base_iri`` if nodes can be named under it; raise ``IRIError`` saying why not."""
    if not base_iri.endswith(("/", "#")) or IRI_UNSAFE.search(base_iri) or not re.match(r"^[A-Za-z][\w+.-]*:", base_iri):
        raise IRIError(f"base IRI {base_iri!r} must be an absolute IRI ending in '/' or '#', without spaces or <>\"{{}}|\\^`")
    return base_iri


def text(value: str) -> Literal:
    """A string literal that every syntax can write (control characters become spaces)."""
    return Literal(_NOT_XML.sub(" ", value))


def decimal(value: float) -> Literal:
    """``xsd:decimal`` with no trailing zeros ("0.7", "0.75", "1.0"): Turtle writes it as it is, and
    stores such as Oxigraph keep it as it is (but for whole numbers, which they write "1")."""
    digits = f"{value:.2f}".rstrip("0")
    return Literal(digits + "0" if digits.endswith(".") else digits, datatype=XSD.decimal)


def offset(value: int) -> Literal:
    """``xsd:integer``: NIF's offsets are non-negative integers, and stores such as Oxigraph keep
    ``xsd:nonNegativeInteger`` as ``xsd:integer``, so this is what survives every round trip."""
    return Literal(value)


def relation_iri(relation: str) -> URIRef:
    """``rel:<relation>``; names not made by ``relation_name`` are made safe by it first."""
    return REL[relation_name(relation)]


def span_iri(article: URIRef, start: int, end: int) -> URIRef:
    """``<article>#char=start,end`` (RFC 5147), or ``/char=`` when the article IRI has a fragment."""
    return _part(article, f"char={start},{end}")


def context_iri(article: URIRef) -> URIRef:
    """``<article>#context``: the article's text as a NIF context (never a span's name)."""
    return _part(article, "context")


def _part(article: URIRef, name: str) -> URIRef:
    return URIRef(f"{article}{'/' if '#' in article else '#'}{name}")


def activity_iri(kg: "KnowledgeGraph") -> URIRef:
    return URIRef(kg.base_iri + "extraction/" + hashlib.sha1(kg.model.encode()).hexdigest()[:12])


def graphs(kg: "KnowledgeGraph") -> Iterator[tuple[URIRef | None, list[Triple3]]]:
    """Each article's graph (named by the article's IRI), then the default graph, in build order."""
    by_article: dict[str, list[ResolvedTriple]] = defaultdict(list)
    for rt in kg.triples:
        by_article[rt.triple.article_id].append(rt)
    actors_of: dict[str, set[str]] = defaultdict(set)
    for actor in kg.actors.values():
        for article_id in actor.articles:
            actors_of[article_id].add(actor.id)
    for rt in kg.triples:
        actors_of[rt.triple.article_id].update((rt.subject_id, rt.object_id))
    known = {article.id for article in kg.articles}
    articles = list(kg.articles) + [Article(id=i, text="") for i in by_article if i not in known]  # never, from the pipeline
    for article in articles:
        out: list[Triple3] = []
        iri = kg.article_iri(article.id)
        out += _article(kg, article, iri, sorted(actors_of[article.id]), bool(by_article[article.id]))
        for actor_id in sorted(actors_of[article.id]):
            out += _actor(kg, actor_id)
        if by_article[article.id]:
            out += _provenance(kg)
            out += _context(iri)
        for rt in by_article[article.id]:
            out += _statement(kg, rt, iri)
        yield iri, out
    named = {actor_id for ids in actors_of.values() for actor_id in ids}
    yield None, [t for actor_id in sorted(set(kg.actors) - named) for t in _actor(kg, actor_id)]


def to_dataset(kg: "KnowledgeGraph") -> Dataset:
    """The graph as an rdflib ``Dataset``: one named graph per article (see the module's docstring)."""
    ds = Dataset(default_union=True)
    _bind(ds)
    for name, triples in graphs(kg):
        graph = ds.graph(name) if name is not None else ds.default_graph
        for triple in triples:
            graph.add(triple)
    return ds


def to_rdf(kg: "KnowledgeGraph") -> Graph:
    """The union of the article graphs as one rdflib ``Graph`` (what Turtle and N-Triples hold)."""
    g = Graph(bind_namespaces="none")
    _bind(g)
    for _, triples in graphs(kg):
        for triple in triples:
            g.add(triple)
    return g


def _bind(g: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace, override=True, replace=True)


def _article(kg: "KnowledgeGraph", article: Article, a: URIRef, actors: list[str], used: bool) -> list[Triple3]:
    out: list[Triple3] = [(a, RDF.type, SDO.NewsArticle), (a, SDO.identifier, text(article.id))]
    if article.title:
        out.append((a, SDO.headline, text(article.title)))
    if article.date and _DATE.match(article.date):
        out.append((a, SDO.datePublished, Literal(article.date, datatype=XSD.date)))
    if article.url and not IRI_UNSAFE.search(article.url) and ":" in article.url:
        out.append((a, SDO.url, URIRef(article.url)))
    if article.source:
        out.append((a, GB.source, text(article.source)))
    if not used:
        out.append((a, RDFS.comment, Literal("no statement was extracted from this article")))
    out += [(a, SDO.mentions, kg.actor_iri(actor_id)) for actor_id in actors]
    return out


def _actor(kg: "KnowledgeGraph", actor_id: str) -> list[Triple3]:
    actor = kg.actors[actor_id]
    node = kg.actor_iri(actor.id)
    out: list[Triple3] = [
        (node, RDF.type, TYPE_CLASSES[actor.type]),
        (node, RDF.type, GB.Actor),
        (node, SKOS.prefLabel, text(actor.label)),
        (node, RDFS.label, text(actor.label)),
    ]
    if actor.wikidata:
        out.append((node, SDO.sameAs, URIRef(WIKIDATA + actor.wikidata)))
    return out + [(node, SKOS.altLabel, text(alias)) for alias in actor.aliases]


def _provenance(kg: "KnowledgeGraph") -> list[Triple3]:
    """The extraction run, and the spaCy pipeline (name and version) it used."""
    activity = activity_iri(kg)
    out: list[Triple3] = [(activity, RDF.type, PROV.Activity), (activity, RDF.type, GB.Extraction)]
    if kg.model:
        name, _, version = kg.model.rpartition(" ") if " " in kg.model else (kg.model, "", "")
        model = URIRef(kg.base_iri + "model/" + quote(f"{name}-{version}".strip("-"), safe="-_.~"))
        out += [(activity, PROV.used, model), (model, RDF.type, PROV.Entity),
                (model, RDF.type, SDO.SoftwareApplication), (model, SDO.name, text(name))]
        if version:
            out.append((model, SDO.softwareVersion, text(version)))
    return out


def _context(a: URIRef) -> list[Triple3]:
    """The article's text as a NIF context. The text itself stays out of the graph (and out of
    memory: the pipeline drops it once parsed), so the context has no nif:isString."""
    context = context_iri(a)
    return [(context, RDF.type, NIF.Context), (context, NIF.sourceUrl, a)]


def _span(a: URIRef, start: int, end: int, words: str, kind: URIRef) -> tuple[URIRef, list[Triple3]]:
    node = span_iri(a, start, end)
    return node, [(node, RDF.type, kind), (node, NIF.beginIndex, offset(start)), (node, NIF.endIndex, offset(end)),
                  (node, NIF.anchorOf, text(words)), (node, NIF.referenceContext, context_iri(a))]


def _statement(kg: "KnowledgeGraph", rt: ResolvedTriple, a: URIRef) -> list[Triple3]:
    t = rt.triple
    s, o, p = kg.actor_iri(rt.subject_id), kg.actor_iri(rt.object_id), relation_iri(t.relation)
    st = kg.statement_iri(rt)
    out: list[Triple3] = [(p, RDF.type, RDF.Property), (p, RDFS.label, Literal(relation_name(t.relation)))]
    if not t.negated and not t.modality:
        out.append((s, p, o))  # only what the text asserts becomes a plain edge
    out += [
        (st, RDF.type, GB.Statement),
        (st, RDF.subject, s),
        (st, RDF.predicate, p),
        (st, RDF.object, o),
        (st, GB.relation, Literal(relation_name(t.relation))),
        (st, GB.relationText, text(t.relation_text)),
        (st, GB.negated, Literal(t.negated)),
        (st, GB.confidence, decimal(t.confidence)),
        (st, GB.extractor, text(t.extractor)),
        (st, PROV.wasDerivedFrom, a),
        (st, PROV.wasGeneratedBy, activity_iri(kg)),
    ]
    spans = [(GB.sentence, t.start, t.end, t.sentence, NIF.Sentence),
             (GB.subjectMention, t.subject.start, t.subject.end, t.subject.text, NIF.Phrase),
             (GB.objectMention, t.object.start, t.object.end, t.object.text, NIF.Phrase)]
    if t.start <= t.relation_start < t.relation_end <= t.end:  # the verb's words, cut from the sentence
        spans.append((GB.relationMention, t.relation_start, t.relation_end,
                      t.sentence[t.relation_start - t.start:t.relation_end - t.start], NIF.Phrase))
    for link, start, end, words, kind in spans:
        node, triples = _span(a, start, end, words, kind)
        out += [(st, link, node), *triples]
    if t.modality:
        out.append((st, GB.modality, text(t.modality)))
    if rt.speaker_id:
        out.append((st, PROV.wasAttributedTo, kg.actor_iri(rt.speaker_id)))
    event = cameo_class(t.cameo) if t.cameo else None
    if event is not None:
        out += [(st, GB.cameoCode, Literal(event.code)), (st, GB.cameoRoot, Literal(event.root)),
                (st, GB.quadClass, Literal(event.quad_class))]
    if t.time_text:
        out.append((st, GB.timeText, text(t.time_text)))
        timex = normalise_time(t.time_text, kg.article_date(t.article_id))
        if timex is not None:
            out.append((st, SEM.hasTimeStamp, Literal(timex.value, datatype=XSD[timex.precision])))
    return out

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

Terms are made as N-Triples text (``<iri>``, ``"literal"^^<datatype>``), the fastest form to
sort, deduplicate and hand to Oxigraph's writers: a graph of millions of triples is written in
seconds. ``to_rdf`` and ``to_dataset`` give the same triples as rdflib objects.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from . import vocab
from .bulk import in_bulk
from .cameo import cameo_class
from .errors import GraphBuilderError
from .names import relation_name
from .timex import normalise_time
from .types import Article, ResolvedTriple
from .vocab import PREFIXES, REL, TYPE_CLASSES

if TYPE_CHECKING:
    from .assemble import KnowledgeGraph

#: A term in N-Triples syntax: ``<iri>`` or a literal such as ``"0.7"^^<...#decimal>``.
Term = str
Triple3 = tuple[Term, Term, Term]

WIKIDATA = "http://www.wikidata.org/entity/"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`]')
#: Characters XML 1.0 cannot hold (RDF/XML and some parsers refuse them), and lone surrogates
#: (which no UTF-8 file can hold): literals lose them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


class _Written:
    """A namespace whose terms come as N-Triples text, each made once (``GB.Statement`` here is
    ``"<https://w3id.org/graph-builder/ns#Statement>"``)."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> Term:
        term = iri(str(getattr(self._namespace, name)))
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> Term:
        return getattr(self, name)


def iri(value: str) -> Term:
    return f"<{value}>"


GB, NIF, PROV, RDF, RDFS, SDO, SEM, SKOS, XSD = (
    _Written(ns) for ns in (vocab.GB, vocab.NIF, vocab.PROV, vocab.RDF, vocab.RDFS, vocab.SDO, vocab.SEM, vocab.SKOS,
                            vocab.XSD))
_TRUE, _FALSE = f'"true"^^{XSD.boolean}', f'"false"^^{XSD.boolean}'


class IRIError(GraphBuilderError, ValueError):
    """A base IRI that cannot name the graph's nodes (not absolute, or not ending in '/' or '#')."""


def check_base_iri(base_iri: str) -> str:
    """Return ``base_iri`` if nodes can be named under it; raise ``IRIError`` saying why not."""
    if not base_iri.endswith(("/", "#")) or IRI_UNSAFE.search(base_iri) or not re.match(r"^[A-Za-z][\w+.-]*:", base_iri):
        raise IRIError(f"base IRI {base_iri!r} must be an absolute IRI ending in '/' or '#', without spaces or <>\"{{}}|\\^`")
    return base_iri


@lru_cache(maxsize=1 << 16)
def text(value: str) -> Term:
    """A string literal that every syntax can write (control characters become spaces).

    >>> text('say "no"\\n')
    '"say \\\\"no\\\\"\\\\n"'
    """
    return '"' + _NOT_XML.sub(" ", value).translate(_ESCAPES) + '"'


def typed(value: str, datatype: Term) -> Term:
    """A literal of ``datatype`` whose lexical form needs no escaping (numbers, dates)."""
    return f'"{value}"^^{datatype}'


@lru_cache(maxsize=1 << 10)
def decimal(value: float) -> Term:
    """``xsd:decimal`` with no trailing zeros ("0.7", "0.75", "1.0"): Turtle writes it as it is, and
    stores such as Oxigraph keep it as it is (but for whole numbers, which they write "1")."""
    digits = f"{value:.2f}".rstrip("0")
    return typed(digits + "0" if digits.endswith(".") else digits, XSD.decimal)


@lru_cache(maxsize=1 << 16)
def offset(value: int) -> Term:
    """``xsd:integer`` (offsets, quad classes): NIF's offsets are non-negative integers, and stores
    such as Oxigraph keep ``xsd:nonNegativeInteger`` as ``xsd:integer``, so this is what survives
    every round trip."""
    return typed(str(int(value)), XSD.integer)


@lru_cache(maxsize=1 << 12)
def relation_iri(relation: str) -> URIRef:
    """``rel:<relation>``; names not made by ``relation_name`` are made safe by it first."""
    return REL[relation_name(relation)]


def span_iri(article: str, start: int, end: int) -> str:
    """``<article>#char=start,end`` (RFC 5147), or ``/char=`` when the article IRI has a fragment."""
    return _part(article, f"char={start},{end}")


def context_iri(article: str) -> str:
    """``<article>#context``: the article's text as a NIF context (never a span's name)."""
    return _part(article, "context")


def _part(article: str, name: str) -> str:
    return f"{article}{'/' if '#' in article else '#'}{name}"


def activity_iri(kg: "KnowledgeGraph") -> str:
    return kg.base_iri + "extraction/" + hashlib.sha1(kg.model.encode()).hexdigest()[:12]


def is_web_address(url: str) -> bool:
    """True when ``url`` is an absolute IRI every RDF syntax can write (Oxigraph checks it)."""
    if not url or IRI_UNSAFE.search(url) or ":" not in url:
        return False
    try:
        ox.NamedNode(url)
    except ValueError:
        return False
    return True


def graphs(kg: "KnowledgeGraph") -> Iterator[tuple[Term | None, list[Triple3]]]:
    """Each article's graph (named by the article's IRI), then the default graph, in build order."""
    nodes = Nodes(kg)
    for part in article_parts(kg, nodes):
        yield iri(part.iri), part.own() + part.shared()
    yield None, _unnamed_actors(nodes)


@dataclass
class ArticlePart:
    """One article's records, and its graph split in two: the triples about its own nodes
    (``own``: the article, its text's spans, its statements; no other article has them) and
    those about shared nodes (``shared``: actors, relations, the extraction run, repeated in
    every article that needs them). Both are made when asked for: an exporter that has the
    article's output already (``export.fragments``) never makes them."""

    article: Article
    iri: str
    actors: list[str]  # the ids of the actors it mentions, sorted
    triples: list[ResolvedTriple]
    nodes: "Nodes"

    def own(self) -> list[Triple3]:
        out = _article(self.nodes, self.article, self.iri, self.actors, bool(self.triples))
        if self.triples:
            out += _context(self.iri)
        for rt in self.triples:
            out += _statement(self.nodes, rt, self.iri)
        return out

    def shared(self) -> list[Triple3]:
        return [t for actor_id in self.actors for t in _actor(self.nodes, actor_id)] + \
            _shared_of_statements(self.nodes, self.triples)


class Nodes:
    """The terms of one graph's shared nodes, each made once, and the records they come from."""

    def __init__(self, kg: "KnowledgeGraph") -> None:
        self.kg = kg
        self.activity = iri(activity_iri(kg))
        #: An actor's term from its id (``nodes.actor(actor_id)``): a dict's own lookup, as it is
        #: asked for several times a statement.
        self.actor: Callable[[str], Term] = _ActorTerms(kg).__getitem__
        self.triples_of: dict[str, list[ResolvedTriple]] = defaultdict(list)
        for rt in kg.triples:
            self.triples_of[rt.triple.article_id].append(rt)


class _ActorTerms(dict[str, Term]):
    """Actors' terms by id, each made when first asked for."""

    def __init__(self, kg: "KnowledgeGraph") -> None:
        super().__init__()
        self.kg = kg

    def __missing__(self, actor_id: str) -> Term:
        term = self[actor_id] = iri(self.kg.actor_iri(actor_id))
        return term


def article_parts(kg: "KnowledgeGraph", nodes: Nodes | None = None) -> Iterator[ArticlePart]:
    """Every article's ``ArticlePart``, in the graph's order of articles."""
    nodes = nodes or Nodes(kg)
    actors_of: dict[str, set[str]] = defaultdict(set)
    for actor in kg.actors.values():
        for article_id in actor.articles:
            actors_of[article_id].add(actor.id)
    for rt in kg.triples:
        actors_of[rt.triple.article_id].update((rt.subject_id, rt.object_id))
    known = {article.id for article in kg.articles}
    articles = list(kg.articles) + [Article(id=i, text="") for i in nodes.triples_of if i not in known]  # never, from the pipeline
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:  # one part an id, as the graph has one node (ids are unique from ``read_articles``)
            continue
        seen.add(article.id)
        yield ArticlePart(article, str(kg.article_iri(article.id)), sorted(actors_of[article.id]),
                          nodes.triples_of.get(article.id, []), nodes)


def shared_triples(kg: "KnowledgeGraph", nodes: Nodes | None = None) -> set[Triple3]:
    """The union of every article's shared triples, and the default graph's."""
    nodes = nodes or Nodes(kg)
    out = set(_shared_of_statements(nodes, kg.triples))
    out.update(t for actor_id in kg.actors for t in _actor(nodes, actor_id))
    return out


def _shared_of_statements(nodes: Nodes, triples: list[ResolvedTriple]) -> list[Triple3]:
    """What statements say of shared nodes: the run, the relations (each once: many statements
    share one), and the plain edges: only what the text asserts becomes one."""
    out = _provenance(nodes) if triples else []
    for relation in dict.fromkeys(rt.triple.relation for rt in triples):
        out += _relation(relation)
    actor = nodes.actor
    out += [(actor(rt.subject_id), _relation_term(rt.triple.relation), actor(rt.object_id))
            for rt in triples if not rt.triple.negated and not rt.triple.modality]
    return out


def _unnamed_actors(nodes: Nodes) -> list[Triple3]:
    """Actors that no article names: the default graph's (the pipeline makes none)."""
    kg = nodes.kg
    named = {actor.id for actor in kg.actors.values() if actor.articles}
    named |= {i for rt in kg.triples for i in (rt.subject_id, rt.object_id)}
    return [t for actor_id in sorted(set(kg.actors) - named) for t in _actor(nodes, actor_id)]


def sorted_lines(triples: Iterable[Triple3], graph: Term | None = None) -> list[str]:
    """The distinct triples as N-Triples lines (N-Quads lines in ``graph``), sorted by subject,
    predicate (``rdf:type`` first) and object.

    Lines sort as their terms do, since a term's closing ``>`` or ``"`` never occurs inside it;
    ``rdf:type`` is written as a mark that sorts first (no term holds a control character), so the
    sort compares plain strings and needs no key.
    """
    where = f" {graph}" if graph is not None else ""
    lines = {f"{s} {TYPE_FIRST if p == _TYPE else p} {o}{where} .\n" for s, p, o in triples}
    return [line.replace(TYPE_FIRST, _TYPE, 1) for line in sorted(lines)]


_TYPE = RDF.type
#: ``rdf:type`` while triples are sorted: a mark that sorts before every term (none holds a control character).
TYPE_FIRST = "\x01"


def sorted_triples(triples: Iterable[Triple3]) -> list[Triple3]:
    """The distinct triples in ``sorted_lines``' order, with ``rdf:type`` as ``TYPE_FIRST``.

    Deduplicated in the order given (a dict, not a set), so that the sort finds the runs in which
    the model makes them; a triple is made anew only for ``rdf:type``."""
    return sorted(dict.fromkeys(t if t[1] != _TYPE else (t[0], TYPE_FIRST, t[2]) for t in triples))


def ntriple_lines(kg: "KnowledgeGraph") -> Iterator[str]:
    """The union of the article graphs as N-Triples lines: each article's own nodes, article by
    article (each article sorted by ``sorted_lines``), then the shared nodes (actors, relations,
    the extraction run), sorted. So every subject's triples are together, an article's statements
    sit beside it, and nothing but the shared part needs the whole graph to be sorted."""
    nodes = Nodes(kg)
    for part in article_parts(kg, nodes):
        yield from sorted_lines(part.own())
    yield from sorted_lines(shared_triples(kg, nodes))


def nquad_lines(kg: "KnowledgeGraph") -> Iterator[str]:
    """Every article's graph as N-Quads lines, made one graph at a time: the articles in the
    graph's order, each graph sorted, the default graph last."""
    for name, graph in graphs(kg):
        yield from sorted_lines(graph, name)


class LineReader(io.RawIOBase):
    """A binary stream over lines made on demand: Oxigraph's parsers read the model's lines
    without the whole document ever being one string in memory."""

    def __init__(self, lines: Iterable[str], lines_per_piece: int = 1 << 12) -> None:
        super().__init__()
        self._pieces = encoded_lines(lines, lines_per_piece)
        self._piece = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._piece:
            self._piece = memoryview(next(self._pieces, b""))
        size = min(len(buffer), len(self._piece))
        buffer[:size] = self._piece[:size]
        self._piece = self._piece[size:]
        return size


def read_lines(lines: Iterable[str]) -> io.BufferedReader:
    return io.BufferedReader(LineReader(lines), buffer_size=1 << 16)


def encoded_lines(lines: Iterable[str], size: int = 1 << 14) -> Iterator[bytes]:
    """The lines as UTF-8, ``size`` lines to a piece: few large writes, never the whole document."""
    remaining = iter(lines)
    while batch := list(islice(remaining, size)):
        yield "".join(batch).encode("utf-8")


@in_bulk
def to_dataset(kg: "KnowledgeGraph") -> Dataset:
    """The graph as an rdflib ``Dataset``: one named graph per article (see the module's docstring)."""
    ds = Dataset(default_union=True)
    _bind(ds)
    convert = _RdflibTerms()
    for quad in ox.parse(read_lines(nquad_lines(kg)), format=ox.RdfFormat.N_QUADS):
        graph = ds.default_graph if isinstance(quad.graph_name, ox.DefaultGraph) else ds.graph(convert(quad.graph_name))
        graph.add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
    return ds


@in_bulk
def to_rdf(kg: "KnowledgeGraph") -> Graph:
    """The union of the article graphs as one rdflib ``Graph`` (what Turtle and N-Triples hold)."""
    g = Graph(bind_namespaces="none")
    _bind(g)
    convert = _RdflibTerms()
    for triple in ox.parse(read_lines(ntriple_lines(kg)), format=ox.RdfFormat.N_TRIPLES):
        g.add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))
    return g


class _RdflibTerms:
    """Oxigraph terms to rdflib terms, each distinct term converted once."""

    _STRING = "http://www.w3.org/2001/XMLSchema#string"

    def __init__(self) -> None:
        self.seen: dict[Any, Node] = {}

    def __call__(self, term: Any) -> Node:
        converted = self.seen.get(term)
        if converted is None:
            if isinstance(term, ox.NamedNode):
                converted = URIRef(term.value)
            elif term.language:
                converted = Literal(term.value, lang=term.language)
            elif term.datatype.value == self._STRING:
                converted = Literal(term.value)
            else:
                converted = Literal(term.value, datatype=URIRef(term.datatype.value))
            self.seen[term] = converted
        return converted


def _bind(g: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace, override=True, replace=True)


def _article(nodes: Nodes, article: Article, a: str, actors: list[str], used: bool) -> list[Triple3]:
    node = iri(a)
    out: list[Triple3] = [(node, RDF.type, SDO.NewsArticle), (node, SDO.identifier, text(article.id))]
    if article.title:
        out.append((node, SDO.headline, text(article.title)))
    if article.date and _DATE.match(article.date):
        out.append((node, SDO.datePublished, typed(article.date, XSD.date)))
    if is_web_address(article.url):
        out.append((node, SDO.url, iri(article.url)))
    if article.source:
        out.append((node, GB.source, text(article.source)))
    if not used:
        out.append((node, RDFS.comment, text("no statement was extracted from this article")))
    out += [(node, SDO.mentions, nodes.actor(actor_id)) for actor_id in actors]
    return out


def _actor(nodes: Nodes, actor_id: str) -> list[Triple3]:
    actor = nodes.kg.actors[actor_id]
    node = nodes.actor(actor.id)
    out: list[Triple3] = [
        (node, RDF.type, iri(TYPE_CLASSES[actor.type])),
        (node, RDF.type, GB.Actor),
        (node, SKOS.prefLabel, text(actor.label)),
        (node, RDFS.label, text(actor.label)),
    ]
    if actor.wikidata:
        out.append((node, SDO.sameAs, iri(WIKIDATA + actor.wikidata)))
    return out + [(node, SKOS.altLabel, text(alias)) for alias in actor.aliases]


def _provenance(nodes: Nodes) -> list[Triple3]:
    """The extraction run, and the spaCy pipeline (name and version) it used."""
    kg, activity = nodes.kg, nodes.activity
    out: list[Triple3] = [(activity, RDF.type, PROV.Activity), (activity, RDF.type, GB.Extraction)]
    if kg.model:
        name, _, version = kg.model.rpartition(" ") if " " in kg.model else (kg.model, "", "")
        model = iri(kg.base_iri + "model/" + quote(f"{name}-{version}".strip("-"), safe="-_.~"))
        out += [(activity, PROV.used, model), (model, RDF.type, PROV.Entity),
                (model, RDF.type, SDO.SoftwareApplication), (model, SDO.name, text(name))]
        if version:
            out.append((model, SDO.softwareVersion, text(version)))
    return out


def _context(a: str) -> list[Triple3]:
    """The article's text as a NIF context. The text itself stays out of the graph (and out of
    memory: the pipeline drops it once parsed), so the context has no nif:isString."""
    context = iri(context_iri(a))
    return [(context, RDF.type, NIF.Context), (context, NIF.sourceUrl, iri(a))]


def _relation(relation: str) -> list[Triple3]:
    """A relation's description."""
    p = _relation_term(relation)
    return [(p, RDF.type, RDF.Property), (p, RDFS.label, _relation_label(relation))]


@lru_cache(maxsize=1 << 12)
def _relation_term(relation: str) -> Term:
    return iri(relation_iri(relation))


@lru_cache(maxsize=1 << 12)
def _relation_label(relation: str) -> Term:
    """The relation's name as a literal: every statement of the relation says it (``gb:relation``)."""
    return text(relation_name(relation))


def _statement(nodes: Nodes, rt: ResolvedTriple, a: str) -> list[Triple3]:
    """A statement's node and its evidence's spans: the article's own."""
    kg, t = nodes.kg, rt.triple
    s, o, p = nodes.actor(rt.subject_id), nodes.actor(rt.object_id), _relation_term(t.relation)
    st = iri(kg.statement_iri(rt))
    out: list[Triple3] = [
        (st, RDF.type, GB.Statement),
        (st, RDF.subject, s),
        (st, RDF.predicate, p),
        (st, RDF.object, o),
        (st, GB.relation, _relation_label(t.relation)),
        (st, GB.relationText, text(t.relation_text)),
        (st, GB.negated, _TRUE if t.negated else _FALSE),
        (st, GB.confidence, decimal(t.confidence)),
        (st, GB.extractor, text(t.extractor)),
        (st, PROV.wasDerivedFrom, iri(a)),
        (st, PROV.wasGeneratedBy, nodes.activity),
    ]
    spans = [(GB.sentence, t.start, t.end, t.sentence, NIF.Sentence),
             (GB.subjectMention, t.subject.start, t.subject.end, t.subject.text, NIF.Phrase),
             (GB.objectMention, t.object.start, t.object.end, t.object.text, NIF.Phrase)]
    if t.start <= t.relation_start < t.relation_end <= t.end:  # the verb's words, cut from the sentence
        spans.append((GB.relationMention, t.relation_start, t.relation_end,
                      t.sentence[t.relation_start - t.start:t.relation_end - t.start], NIF.Phrase))
    context = iri(context_iri(a))
    for link, start, end, words, kind in spans:
        node = iri(span_iri(a, start, end))
        out += [(st, link, node), (node, RDF.type, kind), (node, NIF.beginIndex, offset(start)),
                (node, NIF.endIndex, offset(end)), (node, NIF.anchorOf, text(words)),
                (node, NIF.referenceContext, context)]
    if t.modality:
        out.append((st, GB.modality, text(t.modality)))
    if rt.speaker_id:
        out.append((st, PROV.wasAttributedTo, nodes.actor(rt.speaker_id)))
    event = cameo_class(t.cameo) if t.cameo else None
    if event is not None:
        out += [(st, GB.cameoCode, text(event.code)), (st, GB.cameoRoot, text(event.root)),
                (st, GB.quadClass, offset(event.quad_class))]
    if t.time_text:
        out.append((st, GB.timeText, text(t.time_text)))
        timex = normalise_time(t.time_text, kg.article_date(t.article_id))
        if timex is not None:
            out.append((st, SEM.hasTimeStamp, typed(timex.value, XSD[timex.precision])))
    return out

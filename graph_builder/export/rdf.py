"""RDF exporters: Turtle, TriG, N-Triples, N-Quads, JSON-LD and RDF/XML.

N-Triples and N-Quads are the model's own lines (``model.ntriple_lines``, ``model.nquad_lines``);
TriG is those lines laid out by Oxigraph's writer (``pyoxigraph``), streamed; Turtle is written
here from the same triples, byte for byte as Oxigraph writes it (tested against it), without
parsing the lines back. All are tens of times faster than rdflib's writers on big graphs, and the
rdflib graph is never built for them. Output is deterministic, one blank line between subjects:
Turtle and N-Triples give each article's own nodes, article by article, then the shared nodes
(``model.ntriple_lines``), each part sorted by subject, predicate (``rdf:type`` first) and
object; TriG and N-Quads one sorted graph per article (articles in id order) and the default graph last; so files diff and
merge well. TriG and N-Quads carry one named graph per article (``graph_builder.model``); the
other formats hold their union. Turtle is written article by article so that a rebuild takes
unchanged articles' pieces from the cache (``fragments``). JSON-LD (compacted with our context)
and RDF/XML go through rdflib.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import IO, TYPE_CHECKING, Any, Iterable

import pyoxigraph as ox

from ..model import (TYPE_FIRST, XSD, Nodes, Term, Triple3, article_parts, encoded_lines, nquad_lines,
                     ntriple_lines, read_lines, shared_triples, sorted_triples)
from .fragments import Fragments
from ..vocab import JSONLD_CONTEXT, PREFIX_IRIS

if TYPE_CHECKING:
    from ..assemble import KnowledgeGraph


def to_turtle(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """Readable Turtle in ``ntriple_lines`` order: prefixes, then each article's own nodes, then
    the shared nodes; one block per subject. Each article's piece is written on its own, so that
    a rebuild takes the pieces of unchanged articles from the cache (``fragments``)."""
    stream.write(_turtle_prefixes())
    nodes = Nodes(kg)
    pieces = Fragments(kg, "turtle")
    terms = _TurtleTerms()
    try:
        for part in article_parts(kg, nodes):
            stream.write(pieces.of(part, lambda: _turtle(part.own(), terms)))
        stream.write(_turtle(shared_triples(kg, nodes), terms))
    finally:
        pieces.close()  # the pieces are right whatever failed after them: they are kept


def _turtle(triples: Iterable[Triple3], terms: _TurtleTerms | None = None) -> bytes:
    """Triples as Turtle without prefix lines, laid out as Oxigraph's writer lays them out (byte
    for byte: ``tests/export/test_rdf_formats.py`` holds them side by side), with a blank line
    before each subject and four spaces a level.

    Written here rather than by Oxigraph, which would first parse the lines back: most terms are
    statement IRIs, offsets and quoted words, whose Turtle form is plain (``_turtle_term``).
    One piece of text a triple, each term's Turtle looked up in ``terms``: this loop runs once
    for every statement of the graph.
    """
    terms = _TurtleTerms() if terms is None else terms
    out: list[str] = []
    write = out.append
    subject = predicate = None
    for s, p, o in sorted_triples(triples):
        if s != subject:
            write(f" .\n\n{terms[s]} {terms[p]} {terms[o]}")
            subject, predicate = s, p
        elif p != predicate:
            write(f" ;\n    {terms[p]} {terms[o]}")
            predicate = p
        else:
            write(f" , {terms[o]}")
    if not out:
        return b""
    out[0] = out[0][3:]  # one line break before the first subject, and no " ." ends a block before it
    write(" .\n")
    return "".join(out).encode("utf-8")


class _TurtleTerms(dict[Term, str]):
    """Terms' Turtle, each worked out once: predicates, classes, actors and offsets repeat
    throughout a graph. Kept from piece to piece, and emptied when it holds ``size`` terms, as
    most terms (statements' and spans' IRIs, quoted words) come once or twice: memory stays
    bounded. ``TYPE_FIRST`` (never a term) is ``a``."""

    def __init__(self, size: int = 1 << 16) -> None:
        super().__init__({TYPE_FIRST: "a"})
        self.size = size

    def __missing__(self, term: Term) -> str:
        if len(self) >= self.size:
            self.clear()
            self[TYPE_FIRST] = "a"
        turtle = self[term] = _turtle_term(term)
        return turtle


#: What Turtle escapes in a string that N-Triples, as ``model.text`` writes it, leaves as it is.
_TURTLE_ESCAPES = str.maketrans({"\t": "\\t", "\x7f": "\\u007F"})
#: A local name that needs no escape: ASCII letters, digits, ``_`` and ``:``, and ``.`` or ``-`` inside.
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_:](?:[A-Za-z0-9_:.-]*[A-Za-z0-9_:-])?\Z")
#: A typed literal whose lexical form needs no escape; the datatypes Turtle may write bare, with the forms
#: that are bare for sure (anything else, doubles always, is asked of Oxigraph).
_TYPED = re.compile(r'"([^"\\\t\x7f]*)"\^\^(<[^>]*>)\Z')
#: An IRI in one of the prefixes' namespaces (the group); ``_PREFIX_OF`` gives the prefix.
_IN_A_PREFIX = re.compile("<(" + "|".join(re.escape(namespace) for namespace in PREFIX_IRIS.values()) + ")")
_PREFIX_OF = {namespace: prefix for prefix, namespace in PREFIX_IRIS.items()}
#: What an IRI in a prefix's namespace starts with (``str.startswith`` tells faster than ``_IN_A_PREFIX``).
_PREFIX_STARTS = tuple(f"<{namespace}" for namespace in PREFIX_IRIS.values())
_BARE = {XSD.integer: re.compile(r"[0-9]+\Z"), XSD.decimal: re.compile(r"[0-9]+\.[0-9]+\Z"),
         XSD.boolean: re.compile(r"true\Z|false\Z"), XSD.double: re.compile(r"(?!)")}


def _turtle_term(term: Term) -> str:
    """A term in N-Triples syntax in Turtle's, as Oxigraph writes it: prefixed names, bare numbers."""
    if term[0] == '"' and term[-1] == '"':  # a string, as ``model.text`` makes it (mostly unique: no lru cache)
        return term.translate(_TURTLE_ESCAPES) if "\t" in term or "\x7f" in term else term  # escapes are rare
    if term[0] == "<":
        return _prefixed(term) if term.startswith(_PREFIX_STARTS) else term  # statements, spans, actors: as they are
    return _typed(term)


@lru_cache(maxsize=1 << 16)
def _prefixed(term: Term) -> str:
    namespace = _IN_A_PREFIX.match(term).group(1)
    local = term[len(namespace) + 1:-1]
    return f"{_PREFIX_OF[namespace]}:{local}" if _PLAIN_LOCAL.match(local) else _oxigraph_term(term)


@lru_cache(maxsize=1 << 16)
def _typed(term: Term) -> str:
    typed = _TYPED.match(term)
    if typed is None:
        return _oxigraph_term(term)
    lexical, datatype = typed.groups()
    if datatype in _BARE:  # bare if Turtle's grammar reads it back alike ("-5" and ".5" too: Oxigraph knows)
        return lexical if _BARE[datatype].match(lexical) else _oxigraph_term(term)
    return f'"{lexical}"^^{_turtle_term(datatype)}' if datatype != XSD.string else _oxigraph_term(term)


def _oxigraph_term(term: Term) -> str:
    """What Oxigraph writes for ``term``: the rare terms whose form is not plain (escaped local
    names, language tags)."""
    _, body = _oxigraph_turtle(term)
    return body.decode("utf-8").removeprefix("<urn:s> <urn:p> ").removesuffix(" .\n")


def _oxigraph_turtle(term: Term) -> tuple[bytes, bytes]:
    """Oxigraph's Turtle of the one triple ``<urn:s> <urn:p> term``: its prefix lines, its body."""
    data = ox.serialize(ox.parse(f"<urn:s> <urn:p> {term} .\n".encode("utf-8"), format=ox.RdfFormat.N_TRIPLES),
                        format=ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS)
    end = 0
    while data.startswith(b"@prefix ", end):
        end = data.index(b"\n", end) + 1
    return data[:end], data[end:]


@lru_cache(maxsize=1)
def _turtle_prefixes() -> bytes:
    """The prefix lines, sorted (Oxigraph writes them only above triples)."""
    prefixes, _ = _oxigraph_turtle("<urn:o>")
    return b"".join(sorted(prefixes.splitlines(keepends=True)))


def to_trig(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """TriG: the prefixes once, then each article's graph as a readable block."""
    _write_trig(ox.parse(read_lines(nquad_lines(kg)), format=ox.RdfFormat.N_QUADS), stream)


def to_ntriples(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """N-Triples, one triple a line, in Turtle's order (``model.ntriple_lines``)."""
    stream.writelines(encoded_lines(ntriple_lines(kg)))


def to_nquads(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """N-Quads, one triple and its article's graph a line, graph by graph, each sorted."""
    stream.writelines(encoded_lines(nquad_lines(kg)))


def to_jsonld(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """JSON-LD compacted with graph-builder's context (``context.jsonld``), written inline so
    that the file reads offline."""
    context = json.loads(JSONLD_CONTEXT.read_text(encoding="utf-8"))["@context"]
    data = kg.rdf.serialize(format="json-ld", context=context, sort_keys=True, indent=2, encoding="utf-8")
    stream.write(data if data.endswith(b"\n") else data + b"\n")


def to_rdfxml(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """RDF/XML, for older tools."""
    stream.write(kg.rdf.serialize(format="pretty-xml", encoding="utf-8"))


def _write_trig(quads: Iterable[Any], stream: IO[bytes]) -> None:
    """Oxigraph's TriG of ``quads``, laid out as people write it: prefixes sorted, four spaces a
    level, a blank line before each graph and each subject. Streamed, never whole in memory."""
    layout = _TrigLayout(stream)
    ox.serialize(quads, layout, ox.RdfFormat.TRIG, prefixes=PREFIX_IRIS)
    layout.close()


class _TrigLayout:
    """A binary stream that lays out Oxigraph's TriG as it is written.

    Literals never span lines and hold no tab (Oxigraph escapes line breaks and tabs), so every
    line is a statement's line and its leading tabs are its depth: subjects are one level deep
    inside a graph, none in the default graph.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.partial = b""
        self.prefixes: list[bytes] | None = []  # until the first statement: they are sorted, then written
        self.depth = 0  # the depth of subjects: 1 inside a graph
        self.last = b""

    def write(self, data: bytes) -> int:
        lines = (self.partial + bytes(data)).split(b"\n")
        self.partial = lines.pop()
        out = [piece for line in lines for piece in self._lay(line)]
        if out:
            self.stream.write(b"".join(out))
        return len(data)

    def flush(self) -> None:
        self.stream.flush()

    def close(self) -> None:
        out = self._lay(self.partial)
        if self.prefixes is not None:  # nothing but prefixes
            out = [line + b"\n" for line in sorted(self.prefixes)] + out
        self.stream.write(b"".join(out))

    def _lay(self, line: bytes) -> list[bytes]:
        if not line:
            return []
        if self.prefixes is not None:
            if line.startswith(b"@prefix "):
                self.prefixes.append(line)
                return []
            header = [prefix + b"\n" for prefix in sorted(self.prefixes)]
            self.prefixes, self.last = None, b"{"  # no blank line before the first statement
            return header + [b"\n"] + self._lay(line)
        body = line.lstrip(b"\t")
        level = len(line) - len(body)
        out = []
        if body == b"}":
            self.depth = 0
        elif level == self.depth and not self.last.endswith(b"{"):
            out.append(b"\n")
        out.append(b"    " * level + body + b"\n")
        self.last = body
        if body.endswith(b"{"):
            self.depth = 1
        return out


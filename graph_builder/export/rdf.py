"""RDF exporters: Turtle, TriG, N-Triples, N-Quads, JSON-LD and RDF/XML.

N-Triples and N-Quads are the model's own lines (``model.ntriple_lines``, ``model.nquad_lines``);
Turtle and TriG are those lines laid out by Oxigraph's writers (``pyoxigraph``), streamed. Both
are tens of times faster than rdflib's writers on big graphs, and the rdflib graph is never built
for them. Output is deterministic: subjects, predicates (``rdf:type`` first) and objects in
sorted order, one blank line between subjects; TriG holds one graph per article (articles in id
order) and the default graph last; N-Triples and N-Quads lines are in the same order, so that
files diff and merge well. TriG and N-Quads carry one named graph per article
(``graph_builder.model``); the other formats hold their union. JSON-LD (compacted with our
context) and RDF/XML go through rdflib.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import IO, TYPE_CHECKING, Callable, Iterable

import pyoxigraph as ox

from ..model import (Nodes, Triple3, article_parts, encoded_lines, nquad_lines, ntriple_lines, read_lines,
                     shared_triples, sorted_lines)
from .fragments import Fragments
from ..vocab import JSONLD_CONTEXT, PREFIX_IRIS

if TYPE_CHECKING:
    from ..assemble import KnowledgeGraph


def to_turtle(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """Readable Turtle in ``ntriple_lines`` order: prefixes, then each article's own nodes, then
    the shared nodes; one block per subject. Each article's piece is written by Oxigraph on its
    own, so that a rebuild takes the pieces of unchanged articles from the cache (``fragments``)."""
    stream.write(_turtle_prefixes())
    nodes = Nodes(kg)
    pieces = Fragments(kg, "turtle")
    for part in article_parts(kg, nodes):
        stream.write(pieces.of(part, lambda: _turtle(part.own())))
    stream.write(_turtle(shared_triples(kg, nodes)))
    pieces.close()


def _turtle(triples: Iterable[Triple3]) -> bytes:
    """Triples as Turtle without prefix lines, laid out: a blank line before each subject, four
    spaces a level."""
    lines = "".join(sorted_lines(triples)).encode("utf-8")
    data = ox.serialize(ox.parse(lines, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS)
    body = data[_prefix_length(data):]
    return _SUBJECT.sub(b"\n\n", b"\n" + body)[1:].replace(b"\t", b"    ")


def _prefix_length(data: bytes) -> int:
    end = 0
    while data.startswith(b"@prefix ", end):
        end = data.index(b"\n", end) + 1
    return end


@lru_cache(maxsize=1)
def _turtle_prefixes() -> bytes:
    """The prefix lines, sorted (Oxigraph writes them only above triples)."""
    any_triple = [ox.Triple(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:o"))]
    data = ox.serialize(any_triple, format=ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS)
    return b"".join(sorted(data[:_prefix_length(data)].splitlines(keepends=True)))


def to_trig(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """TriG: the prefixes once, then each article's graph as a readable block."""
    quads = ox.parse(read_lines(nquad_lines(kg)), format=ox.RdfFormat.N_QUADS)
    _write_readable(lambda out: ox.serialize(quads, out, ox.RdfFormat.TRIG, prefixes=PREFIX_IRIS), stream, graphs=True)


def to_ntriples(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """N-Triples, one triple a line, by subject, predicate (``rdf:type`` first) and object."""
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


def _write_readable(serialize: Callable[[IO[bytes]], None], stream: IO[bytes], *, graphs: bool = False) -> None:
    """Run ``serialize`` (Oxigraph's Turtle or, with ``graphs``, TriG writer) into ``stream``, laid
    out as people write it: prefixes sorted, four spaces a level, a blank line before each subject
    and each graph. Streamed, never the whole document in memory."""
    layout = _Layout(stream, graphs)
    serialize(layout)
    layout.close()


class _Layout:
    """A binary stream that lays out Oxigraph's Turtle or TriG as it is written.

    Literals never span lines and hold no tab (Oxigraph escapes line breaks and tabs), so every
    line is a statement's line and its leading tabs are its depth. In Turtle a subject is a line
    without a tab, so whole pieces are laid out at once; TriG's depth changes at each graph and
    is followed line by line.
    """

    def __init__(self, stream: IO[bytes], graphs: bool) -> None:
        self.stream = stream
        self.graphs = graphs
        self.partial = b""
        self.prefixes: list[bytes] | None = []  # until the first statement: they are sorted, then written
        self.depth = 0  # the depth of subjects: 1 inside a TriG graph
        self.last = b""

    def write(self, data: bytes) -> int:
        lines = (self.partial + bytes(data)).split(b"\n")
        self.partial = lines.pop()
        out = self._header(lines)
        if lines and self.graphs:
            out += [piece for line in lines for piece in self._lay(line)]
        elif lines:
            out.append(_SUBJECT.sub(b"\n\n", b"\n" + b"\n".join(lines) + b"\n")[1:].replace(b"\t", b"    "))
        if out:
            self.stream.write(b"".join(out))
        return len(data)

    def flush(self) -> None:
        self.stream.flush()

    def close(self) -> None:
        if self.partial:
            self.write(b"\n")
        if self.prefixes is not None:  # nothing but prefixes
            self.stream.write(b"".join(line + b"\n" for line in sorted(self.prefixes)))

    def _header(self, lines: list[bytes]) -> list[bytes]:
        """Take the prefix lines off the start of ``lines``; once a statement comes, the sorted prefixes."""
        if self.prefixes is None:
            return []
        while lines and (lines[0].startswith(b"@prefix ") or not lines[0]):
            if lines[0]:
                self.prefixes.append(lines[0])
            del lines[0]
        if not lines:
            return []
        header = [prefix + b"\n" for prefix in sorted(self.prefixes)]
        self.prefixes = None
        if not self.graphs:
            return header  # the blank line before the first subject follows
        self.last = b"{"  # no second blank line before the first statement
        return header + [b"\n"]

    def _lay(self, line: bytes) -> list[bytes]:
        if not line:
            return []
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


#: A line break before a Turtle subject's line (one that does not start with a tab).
_SUBJECT = re.compile(rb"\n(?=[^\t\n])")

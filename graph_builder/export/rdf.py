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
from typing import IO, TYPE_CHECKING, Callable

import pyoxigraph as ox

from ..model import encoded_lines, nquad_lines, ntriple_lines, read_lines
from ..vocab import JSONLD_CONTEXT, PREFIX_IRIS

if TYPE_CHECKING:
    from ..assemble import KnowledgeGraph


def to_turtle(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """Readable Turtle: prefixes, one block per subject, sorted."""
    triples = ox.parse(read_lines(ntriple_lines(kg)), format=ox.RdfFormat.N_TRIPLES)
    _write_readable(lambda out: ox.serialize(triples, out, ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS), stream)


def to_trig(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """TriG: the prefixes once, then each article's graph as a readable block."""
    quads = ox.parse(read_lines(nquad_lines(kg)), format=ox.RdfFormat.N_QUADS)
    _write_readable(lambda out: ox.serialize(quads, out, ox.RdfFormat.TRIG, prefixes=PREFIX_IRIS), stream)


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


def _write_readable(serialize: Callable[[IO[bytes]], None], stream: IO[bytes]) -> None:
    """Run ``serialize`` (Oxigraph's Turtle or TriG writer) into ``stream``, laid out as people
    write it: prefixes sorted, four spaces a level, a blank line before each subject and each
    graph. Streamed line by line, never the whole document in memory."""
    layout = _Layout(stream)
    serialize(layout)
    layout.close()


class _Layout:
    """A binary stream that lays out Oxigraph's Turtle or TriG as it is written.

    Literals never span lines (Oxigraph escapes line breaks and tabs), so every line is a
    statement's line and its leading tabs are its depth.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.partial = b""
        self.prefixes: list[bytes] | None = []  # until the first statement: they are sorted, then written
        self.depth = 0  # the depth of subjects: 1 inside a TriG graph
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

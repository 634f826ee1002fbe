"""RDF exporters: Turtle, TriG, N-Triples, N-Quads, JSON-LD and RDF/XML.

N-Triples and N-Quads are the model's own lines (``model.ntriples``, ``model.nquads``); Turtle and
TriG are those lines laid out by Oxigraph's writers (``pyoxigraph``). Both are tens of times
faster than rdflib's writers on big graphs, and the rdflib graph is never built for them. Output is deterministic: subjects, predicates
(``rdf:type`` first) and objects in sorted order, one blank line between subjects; TriG holds one
graph per article (articles in id order) and the default graph last; N-Triples and N-Quads lines
are sorted, so that files diff and merge well. TriG and N-Quads carry one named graph per article
(``graph_builder.model``); the other formats hold their union. JSON-LD (compacted with our
context) and RDF/XML go through rdflib.
"""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING

import pyoxigraph as ox

from ..model import nquads, ntriples
from ..vocab import JSONLD_CONTEXT, PREFIX_IRIS

if TYPE_CHECKING:
    from ..assemble import KnowledgeGraph


def to_turtle(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """Readable Turtle: prefixes, one block per subject, sorted."""
    triples = ox.parse(ntriples(kg), format=ox.RdfFormat.N_TRIPLES)
    _write_readable(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS), stream)


def to_trig(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """TriG: the prefixes once, then each article's graph as a readable block."""
    quads = ox.parse(nquads(kg), format=ox.RdfFormat.N_QUADS)
    _write_readable(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIX_IRIS), stream)


def to_ntriples(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """N-Triples, one triple a line, lines sorted."""
    _sorted_lines(ntriples(kg), stream)


def to_nquads(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """N-Quads, one triple and its article's graph a line, lines sorted."""
    _sorted_lines(nquads(kg), stream)


def to_jsonld(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """JSON-LD compacted with graph-builder's context (``context.jsonld``), written inline so
    that the file reads offline."""
    context = json.loads(JSONLD_CONTEXT.read_text(encoding="utf-8"))["@context"]
    data = kg.rdf.serialize(format="json-ld", context=context, sort_keys=True, indent=2, encoding="utf-8")
    stream.write(data if data.endswith(b"\n") else data + b"\n")


def to_rdfxml(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """RDF/XML, for older tools."""
    stream.write(kg.rdf.serialize(format="pretty-xml", encoding="utf-8"))


def _sorted_lines(data: bytes, stream: IO[bytes]) -> None:
    stream.write(b"".join(sorted(line + b"\n" for line in data.splitlines() if line.strip())))


def _write_readable(data: bytes, stream: IO[bytes]) -> None:
    """Oxigraph's Turtle or TriG, laid out as people write it: prefixes sorted, four spaces a
    level, a blank line before each subject and each graph. Literals never span lines (Oxigraph
    escapes line breaks and tabs), so every line is a statement's line and its leading tabs are
    its depth."""
    lines = data.split(b"\n")
    first = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix ")), len(lines))
    out = sorted(lines[:first]) + [b""]
    depth = 0  # the depth of subjects: 1 inside a TriG graph
    for line in lines[first:]:
        if not line:
            continue
        body = line.lstrip(b"\t")
        level = len(line) - len(body)
        if body == b"}":
            depth = 0
        elif level == depth and out[-1] != b"" and not out[-1].endswith(b"{"):
            out.append(b"")
        out.append(b"    " * level + body)
        if body.endswith(b"{"):
            depth = 1
    stream.write(b"\n".join(out) + b"\n")

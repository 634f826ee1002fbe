"""RDF exporters: Turtle, TriG, N-Triples, N-Quads, JSON-LD and RDF/XML.

Output is deterministic: rdflib's Turtle writer sorts subjects and predicates, TriG is written
here graph by graph (articles in build order, each graph's body by the Turtle writer), and
N-Triples and N-Quads lines are sorted, so that files diff and merge well. TriG and N-Quads
carry one named graph per article (``graph_builder.model``); the other formats hold their union.
"""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING

from rdflib import Graph

from ..model import graphs
from ..vocab import JSONLD_CONTEXT, PREFIXES

if TYPE_CHECKING:
    from ..assemble import KnowledgeGraph


def to_turtle(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """Readable Turtle: prefixes, one block per subject, sorted."""
    stream.write(kg.rdf.serialize(format="turtle", encoding="utf-8"))


def to_trig(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """TriG: the prefixes once, then each article's graph as a readable Turtle block."""
    header: dict[bytes, None] = {}
    blocks: list[bytes] = []
    for name, triples in graphs(kg):
        if not triples:
            continue
        graph = Graph(bind_namespaces="none")
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in triples:
            graph.add(triple)
        lines = graph.serialize(format="turtle", encoding="utf-8").split(b"\n")
        first = next(i for i, line in enumerate(lines) if not line.startswith(b"@prefix"))
        header.update((line, None) for line in lines[:first])  # only the leading lines: a literal may hold "@prefix"
        body = b"\n".join(lines[first:]).strip(b"\n")  # not indented: long literals keep their line breaks as they are
        opening = f"<{name}> {{" if name is not None else "{"
        blocks.append(opening.encode("utf-8") + b"\n" + body + b"\n}\n")
    stream.write(b"\n".join(sorted(header)) + b"\n\n" + b"\n".join(blocks))


def to_ntriples(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """N-Triples, one triple a line, lines sorted."""
    _sorted_lines(kg.rdf.serialize(format="nt", encoding="utf-8"), stream)


def to_nquads(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """N-Quads, one triple and its article's graph a line, lines sorted."""
    _sorted_lines(kg.dataset.serialize(format="nquads", encoding="utf-8"), stream)


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

"""RDF exporters: Turtle, N-Triples, JSON-LD and RDF/XML, via rdflib's serializers.

Output is deterministic: rdflib's Turtle writer sorts subjects and predicates, and N-Triples
lines are sorted here.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from ..assemble import KnowledgeGraph


def to_turtle(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """Readable Turtle: prefixes, one block per subject."""
    stream.write(kg.rdf.serialize(format="turtle", encoding="utf-8"))


def to_ntriples(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """N-Triples, one triple a line, lines sorted so that files diff and merge well."""
    lines = kg.rdf.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
    stream.write(b"".join(sorted(line for line in lines if line.strip())))


def to_jsonld(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """JSON-LD with the graph's prefixes as its context."""
    context = {prefix: str(ns) for prefix, ns in kg.rdf.namespaces()}
    stream.write(kg.rdf.serialize(format="json-ld", context=context, sort_keys=True, encoding="utf-8"))


def to_rdfxml(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """RDF/XML, for older tools."""
    stream.write(kg.rdf.serialize(format="pretty-xml", encoding="utf-8"))

"""Validation: a graph against graph-builder's SHACL shapes (``shapes.ttl``), by pySHACL.

The shapes check what the model promises: every actor has one type and one name, every
statement its subject, relation, object, evidence spans within the article's text, article and
extraction run, a plain edge exactly when it is not negated; closed shapes refuse properties the
vocabulary does not define. A dataset is validated as the union of its graphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph

from .errors import GraphBuilderError
from .vocab import SHAPES

__all__ = ["ValidationReport", "ValidationError", "validate_graph", "validate_path", "shapes_graph"]


class ValidationError(GraphBuilderError):
    """A graph could not be validated (it cannot be read, or the validator failed)."""


@dataclass
class ValidationReport:
    """Whether a graph conforms, how many results (violations) there are, and pySHACL's text."""

    conforms: bool
    results: int
    text: str


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The shapes, parsed once."""
    return Graph().parse(SHAPES, format="turtle")


def validate_graph(graph: Graph) -> ValidationReport:
    """Validate an rdflib graph (a ``Dataset`` is validated as the union of its graphs)."""
    from pyshacl import validate
    from rdflib.namespace import SH

    union = Graph()
    for triple in graph.triples((None, None, None)):
        union.add(triple)
    try:
        conforms, report, text = validate(union, shacl_graph=shapes_graph(), inference="none",
                                          advanced=False, allow_warnings=False)
    except Exception as exc:  # pySHACL reports its own failures with many types
        raise ValidationError(f"validation failed: {exc}") from exc
    results = len(set(report.subjects(predicate=SH.resultSeverity)))
    return ValidationReport(bool(conforms), results, text)


def validate_path(path: str | Path) -> ValidationReport:
    """Validate an RDF file (any format ``graph-builder query`` reads) or an Oxigraph store folder.

    Raises:
        ValidationError: the file or store cannot be read.
    """
    from .query import load_graph
    from .store import StoreError, open_store

    path = Path(path)
    try:
        if path.is_dir():
            import pyoxigraph as ox
            from rdflib import Dataset

            data = open_store(path).dump(format=ox.RdfFormat.N_QUADS)
            graph: Graph = Dataset(default_union=True).parse(data=data, format="nquads")
        else:
            graph = load_graph(path)
    except (GraphBuilderError, StoreError) as exc:
        raise ValidationError(str(exc)) from exc
    return validate_graph(graph)

"""The query stage: SPARQL over a graph in memory, an RDF file or an Oxigraph store.

Queries get the graph's prefixes (``gb:``, ``rel:``, ``schema:``, ``prov:``, ``skos:``...)
without declaring them, and see the union of the article graphs as their default graph.
Parameters are bound as RDF terms (``bindings``), never pasted into the query text. Saved
queries (``graph_builder/queries/*.rq``) are run by name with such parameters.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Union

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.query import Result

from .errors import QueryError
from .vocab import PREFIXES

#: File suffix → rdflib parser name.
RDF_FORMATS = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".n3": "n3", ".rdf": "xml", ".xml": "xml",
    ".owl": "xml", ".jsonld": "json-ld", ".json": "json-ld", ".trig": "trig", ".nq": "nquads",
}

OUTPUT_FORMATS = ("table", "csv", "json")

if TYPE_CHECKING:
    import pyoxigraph

#: What a query runs on: an rdflib graph (small graphs, files) or an Oxigraph store.
QuerySource = Union[Graph, "pyoxigraph.Store"]


@dataclass
class QueryResult:
    """What a query returned: rows (SELECT), a boolean (ASK) or a graph (CONSTRUCT/DESCRIBE)."""

    kind: str
    variables: list[str]
    rows: list[tuple[Any, ...]]
    boolean: bool | None = None
    graph: Graph | None = None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows) if self.graph is None else len(self.graph)

    def to_dicts(self) -> list[dict[str, str | None]]:
        """Rows as ``{variable: value}`` with values as plain strings (``None`` when unbound)."""
        return [{v: _plain(value) for v, value in zip(self.variables, row)} for row in self.rows]


def load_graph(path: str | Path) -> Graph:
    """Parse an RDF file, choosing the parser by the file's suffix.

    TriG and N-Quads files become a ``Dataset`` whose default graph is the union of its graphs.

    Raises:
        QueryError: the file is missing, of an unknown format, or does not parse.
    """
    path = Path(path)
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise QueryError(f"{path}: unknown RDF format {path.suffix!r}; use one of {', '.join(sorted(RDF_FORMATS))}")
    if not path.is_file():
        raise QueryError(f"{path}: no such file")
    graph = Dataset(default_union=True) if fmt in ("trig", "nquads") else Graph()
    try:
        graph.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many unrelated types for bad input
        raise QueryError(f"{path}: cannot parse as {fmt}: {exc}") from exc
    return graph


def open_source(path: str | Path) -> QuerySource:
    """What ``graph-builder query`` runs on: a store folder (Oxigraph) or an RDF file (rdflib).

    Raises:
        QueryError: the file or folder is missing, of an unknown format, or does not parse.
    """
    if Path(path).is_dir():
        from .store import StoreError, open_store

        try:
            return open_store(path)
        except StoreError as exc:
            raise QueryError(str(exc)) from exc
    return load_graph(path)


def run_query(graph: QuerySource, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
    """Run a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query over ``graph`` (rdflib or Oxigraph).

    ``bindings`` binds variables to values before the query runs (strings become literals,
    ``URIRef`` stays an IRI), which is how parameters get in safely.

    >>> from graph_builder.vocab import REL
    >>> g = Graph(); _ = g.add((URIRef("urn:a"), REL.reject, URIRef("urn:b")))
    >>> run_query(g, "SELECT ?o WHERE { ?s rel:reject ?o }").to_dicts()
    [{'o': 'urn:b'}]
    """
    if not isinstance(graph, Graph):
        from .store import query_store

        return query_store(graph, sparql, bindings)
    init_bindings = {k: v if isinstance(v, (URIRef, Literal)) else Literal(v) for k, v in (bindings or {}).items()}
    try:
        result: Result = graph.query(sparql, initNs=PREFIXES, initBindings=init_bindings)
    except Exception as exc:
        raise QueryError(f"query failed: {exc}") from exc
    if result.type == "ASK":
        return QueryResult("ASK", [], [], boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        out = Graph()
        for prefix, namespace in graph.namespaces():
            out.bind(prefix, namespace)
        for triple in result:
            out.add(triple)  # type: ignore[arg-type]
        return QueryResult(result.type, [], [], graph=out)
    variables = [str(v) for v in result.vars or []]
    return QueryResult("SELECT", variables, [tuple(row) for row in result])  # type: ignore[arg-type]


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result as an aligned text table, CSV or SPARQL-JSON-like JSON."""
    if fmt not in OUTPUT_FORMATS:
        raise QueryError(f"unknown output format {fmt!r}; choose one of {', '.join(OUTPUT_FORMATS)}")
    if result.kind == "ASK":
        return json.dumps({"boolean": result.boolean}) if fmt == "json" else str(result.boolean).lower()
    if result.graph is not None:
        return result.graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    rows = result.to_dicts()
    if fmt == "json":
        return json.dumps({"variables": result.variables, "rows": rows}, ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=result.variables, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    return _table(result.variables, rows)


def _plain(value: Any) -> str | None:
    return None if value is None else str(value)


def _table(variables: list[str], rows: list[dict[str, str | None]]) -> str:
    cells = [[_cell(row[v]) for v in variables] for row in rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(variables)]
    line = lambda values: "  ".join(value.ljust(w) for value, w in zip(values, widths)).rstrip()
    out = [line(variables), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _cell(value: str | None, width: int = 80) -> str:
    text = "" if value is None else " ".join(value.split())
    return text if len(text) <= width else text[: width - 1] + "…"

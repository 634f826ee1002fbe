"""Upload a graph to any SPARQL 1.1 Graph Store Protocol endpoint (Fuseki, GraphDB, Oxigraph).

Each article's named graph is sent with ``PUT ?graph=<article>``, which replaces that graph on
the server, so pushing again (after a rebuild, or twice) never duplicates data and never touches
other graphs. Triples outside any named graph (a Turtle file has only those) are added to the
server's default graph with ``POST ?default``: graph-builder's triples hold no blank nodes, so
adding them again changes nothing.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from .errors import GraphBuilderError

__all__ = ["PushError", "PushReport", "push"]


class PushError(GraphBuilderError):
    """A graph could not be uploaded (names the endpoint, the graph and the server's answer)."""


@dataclass
class PushReport:
    """What was sent: the named graphs replaced, and the triples added to the default graph."""

    graphs: list[str] = field(default_factory=list)
    triples: int = 0
    default_triples: int = 0


def push(path: str | Path, endpoint: str, *, timeout: float = 60.0) -> PushReport:
    """Upload the file or store at ``path`` to the Graph Store Protocol ``endpoint`` (e.g.
    ``http://127.0.0.1:7878/store``), one ``PUT`` per named graph.

    Raises:
        PushError: ``path`` cannot be read, or the server refuses or cannot be reached.
    """
    from .store import StoreError, open_dataset

    if not endpoint.startswith(("http://", "https://")):
        raise PushError(f"{endpoint}: the endpoint must be an http:// or https:// URL")
    try:
        store = open_dataset(path)
    except StoreError as exc:
        raise PushError(str(exc)) from exc
    report = PushReport()
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        body = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
        _send("PUT", _graph_url(endpoint, "graph=" + quote(graph.value, safe="")), body, timeout)
        report.graphs.append(graph.value)
        report.triples += body.count(b"\n")
    body = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    if body.strip():
        _send("POST", _graph_url(endpoint, "default"), body, timeout)
        report.default_triples = body.count(b"\n")
    return report


def _graph_url(endpoint: str, query: str) -> str:
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def _send(method: str, url: str, body: bytes, timeout: float) -> None:
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"Content-Type": "application/n-triples; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip()[:300]
        raise PushError(f"{url}: {method} refused: HTTP {exc.code} {exc.reason}{': ' + detail if detail else ''}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise PushError(f"{url}: cannot reach the endpoint: {getattr(exc, 'reason', exc)}") from exc

"""Interactive HTML view of the actor graph: one self-contained page that works offline.

The page is drawn by vis-network through pyvis: pyvis's ``Network`` holds the node and edge
lists, and its bundled vis-network JS/CSS (``pyvis/templates/lib/vis-9.1.2``) is inlined. pyvis's
own HTML template is not used because, even with ``cdn_resources="in_line"``, it loads Bootstrap
from a CDN. Our template, CSS and JS live in ``graph_builder/view_assets``.

Why the lists are built here rather than with ``Network.add_node``/``add_edge``: ``add_edge``
scans every edge already added (quadratic), and sorting everything ourselves makes the output
byte-identical for the same graph, whatever order it was built in. What is drawn (ranking,
selection of big graphs, merged links) is shared with the PNG and GEXF in ``view_model``.

Text from articles is untrusted. It reaches the page only as JSON inside
``<script type="application/json">`` with ``< > & / U+2028 U+2029`` escaped, and the page JS
puts it in the DOM with ``textContent`` only (tooltips are DOM elements, not HTML strings).
"""

from __future__ import annotations

import difflib
import html
import json
import math
import os
import re
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import IO, Any, Protocol

import networkx as nx
import pyvis
from pyvis.network import Network

from .errors import ExportError, GraphBuilderError
from .types import ACTOR_TYPES
from .view_model import (EDGE_COLOR, NEGATED_COLOR, TYPE_STYLE, Link, actor_type, aliases, darker, label,
                         link_degree, links, plural, rank, select, selection_note, text)

__all__ = ["render_html", "write_html", "to_html", "ego_graph", "script_json", "TYPE_STYLE"]

VIS_DIR = "vis-9.1.2"
MAX_EVIDENCE = 3  # sentences quoted in an edge tooltip
MAX_SOURCES = 5  # article titles listed in an edge tooltip
MAX_LABEL = 40  # longer names are cut on the canvas (the tooltip keeps them whole)
MAX_SENTENCE = 400
SETTLE_MS = 8000  # the page stops the physics after this long even if it has not settled

#: vis-network options. Fixed ``randomSeed`` so the layout is the same on every load.
VIS_OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "layout": {"randomSeed": 7, "improvedLayout": True},
    "physics": {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {
            "gravitationalConstant": -90,
            "centralGravity": 0.008,
            "springLength": 140,
            "springConstant": 0.06,
            "avoidOverlap": 0.6,
        },
        "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 50, "fit": True},
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True, "multiselect": False},
    "nodes": {"borderWidth": 1.5, "font": {"face": "system-ui, DejaVu Sans, sans-serif"}},
    "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}, "selectionWidth": 2},
}

_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "/": "\\/",
                 "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&/\u2028\u2029]")


class KnowledgeGraphLike(Protocol):
    """What the exporter needs from a knowledge graph: its NetworkX view and a title."""

    nx: nx.MultiDiGraph
    title: str


# --------------------------------------------------------------------------- public API


def render_html(graph: nx.MultiDiGraph, *, title: str = "graph-builder", max_nodes: int = 300,
                focus: list[str] | None = None) -> str:
    """Return the viewer page for ``graph`` as one HTML string with nothing to fetch.

    Above ``max_nodes`` actors only the most important are drawn (``view_model.select``) and
    the page says so. ``graph.graph["title"]`` is used when ``title`` is left at its default.
    ``focus`` (default ``graph.graph["focus"]``, set by ``ego_graph``) names the actors the page
    opens on: always drawn, outlined, the first selected with its statements in the side panel.
    """
    if max_nodes < 1:
        raise GraphBuilderError(f"max_nodes must be at least 1, not {max_nodes}")
    if title == "graph-builder" and graph.graph.get("title"):
        title = text(graph.graph["title"])
    title = text(title) or "graph-builder"
    focus = [str(n) for n in (graph.graph.get("focus") or []) if n in graph] if focus is None else focus

    ranks = rank(graph)
    kept = select(graph, ranks, max_nodes, first=focus)
    kept_set = set(kept)
    found = links(graph, kept)
    degree = link_degree(found)
    top = max((ranks.get(n, 0.0) for n in kept), default=1.0) or 1.0
    # Hubs' labels grow with the graph: a big graph is fitted on screen small, and they must stay legible.
    gain = 9 + 14 * min(1.0, len(kept) / 150)
    nodes = [_node(n, graph.nodes[n], ranks.get(n, 0.0) / top, degree[n], n in focus, gain) for n in kept]

    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    net.nodes, net.edges, net.options = nodes, _edges(found), VIS_OPTIONS
    vis_nodes, vis_edges, *_ = net.get_network_data()

    statements = sum(e["count"] for e in vis_edges)
    summary = selection_note(len(kept), graph.number_of_nodes())
    summary += f" \u00b7 {plural(len(vis_edges), 'link')} from {plural(statements, 'statement')}"
    payload = {
        "title": title,
        "summary": summary,
        "shown": len(kept),
        "total": graph.number_of_nodes(),
        "focus": [str(n) for n in focus if n in kept_set],
        "negatedColor": NEGATED_COLOR,
        "edgeColor": EDGE_COLOR,
        "settleMs": SETTLE_MS,
        "dates": _date_span(found),
        "types": _legend(vis_nodes),
        "relations": _relations(vis_edges),
        "nodes": vis_nodes,
        "edges": vis_edges,
        "options": VIS_OPTIONS,
    }
    parts = {
        "TITLE": html.escape(title),
        "SUMMARY": html.escape(summary),
        "PYVIS_VERSION": html.escape(str(getattr(pyvis, "__version__", "?"))),
        "VIS_VERSION": VIS_DIR.removeprefix("vis-"),
        "DATA": script_json(payload),
        "VIS_CSS": _raw_asset(_pyvis_lib("vis-network.css"), "style"),
        "VIS_JS": _raw_asset(_pyvis_lib("vis-network.min.js"), "script"),
        "VIEW_CSS": _raw_asset(_asset("viewer.css"), "style"),
        "VIEW_JS": _raw_asset(_asset("viewer.js"), "script"),
    }
    # One pass: text already substituted is never scanned for placeholders again.
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _asset("viewer.html"))


def write_html(graph: nx.MultiDiGraph, path: str | os.PathLike[str], **kwargs: Any) -> Path:
    """Render ``graph`` and write it to ``path`` atomically, so a reader never sees half a page."""
    return write_bytes(path, render_html(graph, **kwargs).encode("utf-8"), "the HTML view")


def write_bytes(path: str | os.PathLike[str], data: bytes, what: str) -> Path:
    """Write ``data`` to ``path`` through a temporary file renamed into place (``export.write_atomic``)."""
    from .export import write_atomic

    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{target}: cannot write {what} ({exc.strerror or exc})") from exc
    write_atomic(target, lambda stream: stream.write(data))
    return target


def to_html(kg: KnowledgeGraphLike, stream: IO[bytes], **options: Any) -> None:
    """Exporter ``html``: write the viewer page for ``kg`` to the binary ``stream`` as UTF-8."""
    options.setdefault("title", getattr(kg, "title", "") or "graph-builder")
    stream.write(render_html(kg.nx, **options).encode("utf-8"))


def ego_graph(graph: nx.MultiDiGraph, focus: str, depth: int = 1) -> nx.MultiDiGraph:
    """The actors within ``depth`` links (either direction) of the actor named ``focus``.

    ``focus`` matches a label or an alias, case-insensitively; label matches win over alias
    matches. The centres are kept in ``graph.graph["focus"]`` for the page to open on.
    Raises ``GraphBuilderError`` with close matches when nothing matches.
    """
    if depth < 0:
        raise GraphBuilderError(f"depth must be 0 or more, not {depth}")
    wanted = focus.strip().casefold()
    by_label = [n for n, d in graph.nodes(data=True) if label(n, d).casefold() == wanted]
    centres = by_label or [n for n, d in graph.nodes(data=True)
                           if any(a.casefold() == wanted for a in aliases(d))]
    if not centres:
        names = sorted({label(n, d) for n, d in graph.nodes(data=True)}
                       | {a for _, d in graph.nodes(data=True) for a in aliases(d)})
        folded: dict[str, str] = {}
        for name in reversed(names):  # a name, or one of its words ("Hafter" finds "Khalifa Haftar")
            folded.update({part.casefold(): name for part in [*name.split(), name]})
        close = list(dict.fromkeys(
            folded[c] for c in difflib.get_close_matches(wanted, list(folded), n=8, cutoff=0.6)))[:5]
        hint = f"; close matches: {', '.join(close)}" if close else "; no close matches"
        raise GraphBuilderError(f"no actor called {focus!r} in the graph{hint}")
    undirected = graph.to_undirected(as_view=True)
    keep: set[Any] = set()
    for centre in centres:
        keep.update(nx.single_source_shortest_path_length(undirected, centre, cutoff=depth))
    sub = graph.subgraph(keep).copy()
    sub.graph = {**graph.graph, "focus": sorted(str(c) for c in centres)}
    return sub


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``</script>``, ``<!--`` or URL text."""
    out = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], out)


# --------------------------------------------------------------------------- nodes and edges


def _node(node_id: Any, attrs: dict[str, Any], rel_rank: float, degree: int, focused: bool,
          font_gain: float) -> dict[str, Any]:
    """The vis-network item for one actor; ``gb*``/other extra keys feed tooltips and filters."""
    name = label(node_id, attrs)
    gb_type = actor_type(attrs)
    colour, shape = TYPE_STYLE[gb_type]
    scale = math.sqrt(max(rel_rank, 0.0))
    try:
        articles = int(attrs.get("articles") or 0)
    except (TypeError, ValueError):
        articles = 0
    return {
        "id": str(node_id),
        "label": name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "\u2026",
        "fullLabel": name,
        "gbType": gb_type,
        "typeText": text(attrs.get("type")) or "Thing",
        "aliases": [a for a in aliases(attrs) if a != name],
        "articles": articles,
        "degree": degree,
        "shape": shape,
        "size": round(10 + 26 * scale, 1),
        "borderWidth": 4 if focused else 1.5,
        "color": {"background": colour, "border": "#222222" if focused else darker(colour),
                  "highlight": {"background": colour, "border": "#222222"},
                  "hover": {"background": colour, "border": "#222222"}},
        "font": {"size": round(13 + font_gain * scale), "color": "#222222",
                 "strokeWidth": 3, "strokeColor": "#ffffff"},
    }


def _edges(found: list[Link]) -> list[dict[str, Any]]:
    """The vis-network items of the merged links: label with count, dates for the filter."""
    pair_index: Counter[frozenset[str]] = Counter()
    out = []
    for i, link in enumerate(found):
        u, v = str(link.source), str(link.target)
        nth = pair_index[frozenset((u, v))]
        pair_index[frozenset((u, v))] += 1
        colour = NEGATED_COLOR if link.negated else EDGE_COLOR
        sources = link.sources()
        out.append({
            "id": f"e{i}",
            "from": u,
            "to": v,
            "label": link.label + (f" \u00d7{link.count}" if link.count > 1 else ""),
            "relation": link.relation,
            "relationLabel": link.label,
            "negated": link.negated,
            "count": link.count,
            "articleCount": len(sources),
            "confidence": link.confidence,
            "dates": link.dates,
            "undated": link.undated,
            "evidence": link.evidence(MAX_EVIDENCE, MAX_SENTENCE),
            "sources": sources[:MAX_SOURCES],
            "dashes": [6, 4] if link.negated else False,
            "width": round(1 + 1.5 * math.log2(link.count), 2),
            "color": {"color": colour, "highlight": darker(colour), "hover": darker(colour)},
            "font": {"size": 11, "color": "#b71c1c" if link.negated else "#555555",
                     "strokeWidth": 2, "strokeColor": "#ffffff", "background": "rgba(255,255,255,0.85)",
                     "align": "middle"},
            # Parallel links between one pair bend apart: 0, +0.25, -0.25, +0.5 ...
            "smooth": {"enabled": True, "type": "curvedCCW" if nth % 2 == 0 else "curvedCW",
                       "roundness": round(0.25 * ((nth + 1) // 2), 2)},
        })
    return out


def _date_span(found: list[Link]) -> dict[str, Any]:
    """The date filter's bounds: first and last article date, and how many statements have none."""
    dates = sorted({d for link in found for d in link.dates})
    return {"min": dates[0] if dates else "", "max": dates[-1] if dates else "",
            "dated": sum(link.count - link.undated for link in found),
            "undated": sum(link.undated for link in found)}


def _legend(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Legend and type-filter rows: every actor type, with how many actors of it are shown."""
    counts = Counter(n["gbType"] for n in nodes)
    names = list(ACTOR_TYPES) + sorted(set(TYPE_STYLE) - set(ACTOR_TYPES))
    return [{"name": t, "color": TYPE_STYLE[t][0], "border": darker(TYPE_STYLE[t][0]),
             "shape": TYPE_STYLE[t][1], "count": counts[t]} for t in names]


def _relations(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Relation filter options with the number of statements of each, alphabetically."""
    counts: Counter[str] = Counter()
    for e in edges:
        counts[e["relation"]] += e["count"]
    return [{"name": r, "count": c} for r, c in sorted(counts.items())]


# --------------------------------------------------------------------------- assets


def _asset(name: str) -> str:
    return resources.files("graph_builder").joinpath("view_assets", name).read_text("utf-8")


def _pyvis_lib(name: str) -> str:
    return resources.files("pyvis").joinpath("templates", "lib", VIS_DIR, name).read_text("utf-8")


def _raw_asset(code: str, element: str) -> str:
    """Guard for inlined code: it must not be able to close its own element early.

    Source-map comments are dropped: from file:// they only make DevTools look for a file."""
    code = re.sub(r"^\s*(//|/\*)# sourceMappingURL=.*$", "", code, flags=re.M)
    if re.search(rf"</{element}", code, re.IGNORECASE) or "<!--" in code:
        raise GraphBuilderError(f"an inlined asset contains </{element} or <!--; cannot inline it")
    return code

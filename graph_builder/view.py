"""Interactive HTML view of the actor graph: one self-contained page that works offline.

The page is drawn by vis-network through pyvis: pyvis's ``Network`` holds the node and edge
lists, and its bundled vis-network JS/CSS (``pyvis/templates/lib/vis-9.1.2``) is inlined. pyvis's
own HTML template is not used because, even with ``cdn_resources="in_line"``, it loads Bootstrap
from a CDN. Our template, CSS and JS live in ``graph_builder/view_assets``.

Why the lists are built here rather than with ``Network.add_node``/``add_edge``: ``add_edge``
scans every edge already added (quadratic), and sorting everything ourselves makes the output
byte-identical for the same graph, whatever order it was built in.

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
import tempfile
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path
from typing import IO, Any, Protocol

import networkx as nx
import pyvis
from pyvis.network import Network

from .errors import ExportError, GraphBuilderError
from .types import ACTOR_TYPES

__all__ = ["render_html", "write_html", "to_html", "ego_graph", "TYPE_STYLE"]

#: Fill colour and vis-network shape per actor type (the legend shows the same).
TYPE_STYLE: dict[str, tuple[str, str]] = {
    "Person": ("#4e79a7", "dot"),
    "Organization": ("#f28e2b", "square"),
    "Place": ("#59a14f", "triangle"),
    "Group": ("#b07aa1", "hexagon"),
    "Event": ("#edc948", "star"),
    "Thing": ("#9c9c9c", "diamond"),
}
EDGE_COLOR = "#8a8a8a"
NEGATED_COLOR = "#d62728"
VIS_DIR = "vis-9.1.2"
MAX_EVIDENCE = 3  # sentences quoted in an edge tooltip
MAX_SOURCES = 5  # article titles listed in an edge tooltip
MAX_LABEL = 40  # longer names are cut on the canvas (the tooltip keeps them whole)
MAX_SENTENCE = 400

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


def render_html(graph: nx.MultiDiGraph, *, title: str = "graph-builder", max_nodes: int = 300) -> str:
    """Return the viewer page for ``graph`` as one HTML string with nothing to fetch.

    Above ``max_nodes`` actors only the top ``max_nodes`` by PageRank are drawn and the page
    says so. ``graph.graph["title"]`` is used when ``title`` is left at its default.
    """
    if max_nodes < 1:
        raise GraphBuilderError(f"max_nodes must be at least 1, not {max_nodes}")
    if title == "graph-builder" and graph.graph.get("title"):
        title = _text(graph.graph["title"])
    title = _text(title) or "graph-builder"

    rank = _rank(graph)
    ordered = sorted(graph.nodes, key=lambda n: (-rank[n], str(n)))
    kept = ordered[:max_nodes]
    total = len(ordered)

    edges, degree = _edges(graph, set(kept))
    top = max((rank[n] for n in kept), default=1.0) or 1.0
    nodes = [_node(n, graph.nodes[n], rank[n] / top, degree[n]) for n in kept]

    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    net.nodes, net.edges, net.options = nodes, edges, VIS_OPTIONS
    vis_nodes, vis_edges, *_ = net.get_network_data()

    summary = (f"showing {len(kept)} of {total} actors (top by PageRank)" if total > len(kept)
               else _plural(total, "actor"))
    statements = sum(e["count"] for e in vis_edges)
    summary += f" \u00b7 {_plural(len(vis_edges), 'link')} from {_plural(statements, 'statement')}"
    payload = {
        "title": title,
        "summary": summary,
        "shown": len(kept),
        "total": total,
        "negatedColor": NEGATED_COLOR,
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
    target = Path(path)
    data = render_html(graph, **kwargs).encode("utf-8")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ExportError(f"{target}: cannot write the HTML view ({exc.strerror or exc})") from exc
    return target


def to_html(kg: KnowledgeGraphLike, stream: IO[bytes], **options: Any) -> None:
    """Exporter ``html``: write the viewer page for ``kg`` to the binary ``stream`` as UTF-8."""
    options.setdefault("title", getattr(kg, "title", "") or "graph-builder")
    stream.write(render_html(kg.nx, **options).encode("utf-8"))


def ego_graph(graph: nx.MultiDiGraph, focus: str, depth: int = 1) -> nx.MultiDiGraph:
    """The actors within ``depth`` links (either direction) of the actor named ``focus``.

    ``focus`` matches a label or an alias, case-insensitively; label matches win over alias
    matches. Raises ``GraphBuilderError`` with close matches when nothing matches.
    """
    if depth < 0:
        raise GraphBuilderError(f"depth must be 0 or more, not {depth}")
    wanted = focus.strip().casefold()
    by_label = [n for n, d in graph.nodes(data=True) if _label(n, d).casefold() == wanted]
    centres = by_label or [n for n, d in graph.nodes(data=True)
                           if any(a.casefold() == wanted for a in _aliases(d))]
    if not centres:
        names = sorted({_label(n, d) for n, d in graph.nodes(data=True)}
                       | {a for _, d in graph.nodes(data=True) for a in _aliases(d)})
        folded = {name.casefold(): name for name in names}
        close = [folded[c] for c in difflib.get_close_matches(wanted, list(folded), n=5, cutoff=0.6)]
        hint = f"; close matches: {', '.join(close)}" if close else "; no close matches"
        raise GraphBuilderError(f"no actor called {focus!r} in the graph{hint}")
    undirected = graph.to_undirected(as_view=True)
    keep: set[Any] = set()
    for centre in centres:
        keep.update(nx.single_source_shortest_path_length(undirected, centre, cutoff=depth))
    sub = graph.subgraph(keep).copy()
    sub.graph = dict(graph.graph)
    return sub


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``</script>``, ``<!--`` or URL text."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], text)


# --------------------------------------------------------------------------- nodes and edges


def _rank(graph: nx.MultiDiGraph) -> dict[Any, float]:
    """PageRank on the undirected statement graph, so actors who mostly act count as much as
    those acted upon. Falls back to weighted degree when SciPy (used by NetworkX) is missing."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes, key=str))
    weights: Counter[tuple[Any, Any]] = Counter()
    for u, v in graph.edges():
        if u != v:
            weights[tuple(sorted((u, v), key=str))] += 1
    simple.add_weighted_edges_from((u, v, w) for (u, v), w in sorted(weights.items(), key=str))
    if not simple:
        return {}
    try:
        rank = nx.pagerank(simple, weight="weight")
    except (ImportError, ModuleNotFoundError, nx.PowerIterationFailedConvergence):
        rank = {n: float(d) for n, d in simple.degree(weight="weight")}
    # Rounded so that summation-order noise never reorders ties between runs.
    return {n: round(r, 12) for n, r in rank.items()}


def _node(node_id: Any, attrs: dict[str, Any], rel_rank: float, degree: int) -> dict[str, Any]:
    """The vis-network item for one actor; ``gb*``/other extra keys feed tooltips and filters."""
    label = _label(node_id, attrs)
    type_text = _text(attrs.get("type")) or "Thing"
    gb_type = type_text if type_text in TYPE_STYLE else "Thing"
    colour, shape = TYPE_STYLE[gb_type]
    scale = math.sqrt(max(rel_rank, 0.0))
    try:
        articles = int(attrs.get("articles") or 0)
    except (TypeError, ValueError):
        articles = 0
    return {
        "id": str(node_id),
        "label": label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "\u2026",
        "fullLabel": label,
        "gbType": gb_type,
        "typeText": type_text,
        "aliases": [a for a in _aliases(attrs) if a != label],
        "articles": articles,
        "degree": degree,
        "shape": shape,
        "size": round(10 + 26 * scale, 1),
        "color": {"background": colour, "border": _darker(colour),
                  "highlight": {"background": colour, "border": "#222222"},
                  "hover": {"background": colour, "border": "#222222"}},
        "font": {"size": round(13 + 9 * scale), "color": "#222222",
                 "strokeWidth": 3, "strokeColor": "#ffffff"},
    }


def _edges(graph: nx.MultiDiGraph, kept: set[Any]) -> tuple[list[dict[str, Any]], Counter[Any]]:
    """Collapse statements with the same subject, object, relation and negation into one link."""
    groups: dict[tuple[str, str, str, bool], list[dict[str, Any]]] = defaultdict(list)
    for u, v, key, d in graph.edges(keys=True, data=True):
        if u in kept and v in kept:
            relation = _text(d.get("relation")) or "related_to"
            groups[(str(u), str(v), relation, bool(d.get("negated")))].append({**d, "_key": str(key)})
    pair_index: Counter[frozenset[str]] = Counter()
    degree: Counter[Any] = Counter()
    ids = {str(n): n for n in kept}
    out = []
    for i, ((u, v, relation, negated), items) in enumerate(sorted(groups.items())):
        items.sort(key=lambda d: (_text(d.get("article")), _text(d.get("sentence")), d["_key"]))
        items.sort(key=lambda d: _text(d.get("article_date")), reverse=True)  # newest first
        evidence = list(dict.fromkeys(s for d in items if (s := _text(d.get("sentence"), MAX_SENTENCE))))
        sources: dict[str, dict[str, str]] = {}
        for d in items:
            art = _text(d.get("article"))
            sources.setdefault(art, {"title": _text(d.get("article_title")) or art or "(untitled)",
                                     "date": _text(d.get("article_date"))})
        confidences = [float(d.get("confidence") or 0.0) for d in items]
        shown = relation.replace("_", " ")
        shown = f"not {shown}" if negated else shown
        count = len(items)
        nth = pair_index[frozenset((u, v))]
        pair_index[frozenset((u, v))] += 1
        degree[ids[u]] += 1
        degree[ids[v]] += 1
        colour = NEGATED_COLOR if negated else EDGE_COLOR
        out.append({
            "id": f"e{i}",
            "from": u,
            "to": v,
            "label": shown + (f" \u00d7{count}" if count > 1 else ""),
            "relation": relation,
            "relationLabel": shown,
            "negated": negated,
            "count": count,
            "articleCount": len(sources),
            "confidence": round(sum(confidences) / count, 2),
            "evidence": evidence[:MAX_EVIDENCE],
            "sources": list(sources.values())[:MAX_SOURCES],
            "dashes": [6, 4] if negated else False,
            "width": round(1 + 1.5 * math.log2(count), 2),
            "color": {"color": colour, "highlight": _darker(colour), "hover": _darker(colour)},
            "font": {"size": 11, "color": "#b71c1c" if negated else "#555555",
                     "strokeWidth": 2, "strokeColor": "#ffffff", "background": "rgba(255,255,255,0.85)",
                     "align": "middle"},
            # Parallel links between one pair bend apart: 0, +0.25, -0.25, +0.5 ...
            "smooth": {"enabled": True, "type": "curvedCCW" if nth % 2 == 0 else "curvedCW",
                       "roundness": round(0.25 * ((nth + 1) // 2), 2)},
        })
    return out, degree


def _legend(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Legend and type-filter rows: every actor type, with how many actors of it are shown."""
    counts = Counter(n["gbType"] for n in nodes)
    names = list(ACTOR_TYPES) + sorted(set(TYPE_STYLE) - set(ACTOR_TYPES))
    return [{"name": t, "color": TYPE_STYLE[t][0], "border": _darker(TYPE_STYLE[t][0]),
             "shape": TYPE_STYLE[t][1], "count": counts[t]} for t in names]


def _relations(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Relation filter options with the number of statements of each, alphabetically."""
    counts: Counter[str] = Counter()
    for e in edges:
        counts[e["relation"]] += e["count"]
    return [{"name": r, "count": c} for r, c in sorted(counts.items())]


# --------------------------------------------------------------------------- helpers


def _text(value: Any, limit: int | None = None) -> str:
    """A clean str for the page: None → "", lone surrogates replaced (they cannot be UTF-8)."""
    if value is None:
        return ""
    text = str(value).encode("utf-8", "replace").decode("utf-8").strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return text


def _label(node_id: Any, attrs: dict[str, Any]) -> str:
    """Canonical name, or the tail of the IRI when the pipeline left it out."""
    return _text(attrs.get("label")) or re.split(r"[/#]", str(node_id).rstrip("/#"))[-1] or str(node_id)


def _aliases(attrs: dict[str, Any]) -> list[str]:
    raw = attrs.get("aliases") or []
    if isinstance(raw, str):
        raw = [raw]
    return sorted({t for a in raw if (t := _text(a))})


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _darker(colour: str, factor: float = 0.7) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (r, g, b)))


def _asset(name: str) -> str:
    return resources.files("graph_builder").joinpath("view_assets", name).read_text("utf-8")


def _pyvis_lib(name: str) -> str:
    return resources.files("pyvis").joinpath("templates", "lib", VIS_DIR, name).read_text("utf-8")


def _raw_asset(text: str, element: str) -> str:
    """Guard for inlined code: it must not be able to close its own element early.

    Source-map comments are dropped: from file:// they only make DevTools look for a file."""
    text = re.sub(r"^\s*(//|/\*)# sourceMappingURL=.*$", "", text, flags=re.M)
    if re.search(rf"</{element}", text, re.IGNORECASE) or "<!--" in text:
        raise GraphBuilderError(f"an inlined asset contains </{element} or <!--; cannot inline it")
    return text

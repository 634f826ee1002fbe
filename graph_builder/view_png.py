"""A static picture of the actor graph (PNG), for reports: ``graph-builder view --png``.

Drawn with matplotlib's Agg canvas (no display, no browser), with what the HTML viewer shows:
the same actors (``view_model.select``), colours, shapes, sizes by PageRank and merged links,
negated ones red and dashed. The layout is computed here: each connected group of actors is
laid out by NetworkX's spring layout, and the groups are packed biggest first, so that a
graph made of many small stories does not collapse into one disc.
"""

from __future__ import annotations

import io
import math
import os
import warnings
from pathlib import Path
from typing import Any

import networkx as nx

from .errors import GraphBuilderError
from .view_model import (EDGE_COLOR, NEGATED_COLOR, TYPE_STYLE, actor_type, darker, label, links, plural, rank,
                         select, selection_note, text)

__all__ = ["render_png", "write_png", "layout"]

#: matplotlib markers for the vis-network shapes of ``TYPE_STYLE``.
MARKERS = {"dot": "o", "square": "s", "triangle": "^", "hexagon": "h", "star": "*", "diamond": "D"}
MAX_LABELS = 45  # actor names written on the picture, most important first
MAX_EDGE_LABELS = 60  # above this many links their relations are left off
MAX_NAME = 28


def render_png(graph: nx.MultiDiGraph, *, title: str = "graph-builder", max_nodes: int = 150,
               focus: list[str] | None = None, size: tuple[float, float] = (16, 10), dpi: int = 120) -> bytes:
    """The picture of ``graph`` (or of its ``max_nodes`` most important actors) as PNG bytes."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency
        raise GraphBuilderError("--png needs matplotlib: pip install matplotlib") from exc
    if max_nodes < 1:
        raise GraphBuilderError(f"max_nodes must be at least 1, not {max_nodes}")
    if title == "graph-builder" and graph.graph.get("title"):
        title = text(graph.graph["title"])
    focus = [n for n in (graph.graph.get("focus") or []) if n in graph] if focus is None else focus
    ranks = rank(graph)
    kept = select(graph, ranks, max_nodes, first=focus)
    found = links(graph, kept)
    pos = _fill(layout(graph, kept), aspect=size[0] * 0.85 / (size[1] * 0.91))
    top = max((ranks.get(n, 0.0) for n in kept), default=1.0) or 1.0
    scale = {n: math.sqrt(max(ranks.get(n, 0.0), 0.0) / top) for n in kept}

    fig = Figure(figsize=size, dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    box = (0.01, 0.01, 0.85, 0.91)  # the legend has the right-hand column
    ax = fig.add_axes(box)
    ax.set_axis_off()
    radius = {n: 3.5 + 12 * scale[n] for n in kept}  # marker radius in points
    _draw_links(ax, found, pos, radius, labelled=len(found) <= MAX_EDGE_LABELS)
    for type_name, (colour, shape) in TYPE_STYLE.items():
        mine = [n for n in kept if actor_type(graph.nodes[n]) == type_name]
        if mine:
            ax.scatter([pos[n][0] for n in mine], [pos[n][1] for n in mine], s=[(2 * radius[n]) ** 2 for n in mine],
                       marker=MARKERS[shape], c=colour, edgecolors=[("#111111" if n in focus else darker(colour))
                                                                    for n in mine],
                       linewidths=[3 if n in focus else 0.8 for n in mine], zorder=3)
    for n in [*focus, *[k for k in kept if k not in focus][:MAX_LABELS]]:
        name = label(n, graph.nodes[n])
        ax.annotate(name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "\u2026", pos[n],
                    xytext=(0, -radius[n] - 2), textcoords="offset points", ha="center", va="top",
                    fontsize=7 + 6 * scale[n], zorder=4, parse_math=False,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7})
    _frame(ax, pos, (size[0] * box[2], size[1] * box[3]))
    statements = sum(link.count for link in found)
    fig.text(0.01, 0.975, title, fontsize=15, weight="bold", va="top", parse_math=False)
    fig.text(0.01, 0.94, f"{selection_note(len(kept), graph.number_of_nodes())} \u00b7 "
             f"{plural(len(found), 'link')} from {plural(statements, 'statement')} \u00b7 size: PageRank",
             fontsize=9, color="#555555", va="top", parse_math=False)
    handles = [Line2D([], [], ls="", marker=MARKERS[shape], ms=9, mfc=colour, mec=darker(colour), label=name)
               for name, (colour, shape) in TYPE_STYLE.items()]
    handles += [Line2D([], [], color=EDGE_COLOR, label="relation (subject \u2192 object)"),
                Line2D([], [], color=NEGATED_COLOR, ls="--", label="negated")]
    fig.legend(handles=handles, loc="upper right", bbox_to_anchor=(0.995, 0.92), fontsize=8, frameon=False)
    out = io.BytesIO()
    with warnings.catch_warnings():  # glyphs DejaVu Sans lacks (emoji) are drawn as boxes
        warnings.simplefilter("ignore", UserWarning)
        fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def write_png(graph: nx.MultiDiGraph, path: str | os.PathLike[str], **kwargs: Any) -> Path:
    """Render ``graph`` as PNG and write it to ``path`` atomically."""
    from .view import write_bytes

    return write_bytes(path, render_png(graph, **kwargs), "the PNG picture")


def layout(graph: nx.MultiDiGraph, kept: list[Any], seed: int = 7) -> dict[Any, tuple[float, float]]:
    """Positions for ``kept``: each connected group by spring layout, groups packed in rows,
    biggest first, each taking room in proportion to its size."""
    simple = nx.Graph()
    simple.add_nodes_from(kept)
    keep = set(kept)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u in keep and v in keep and u != v)
    order = {n: i for i, n in enumerate(kept)}
    groups = sorted((sorted(c, key=order.__getitem__) for c in nx.connected_components(simple)),
                    key=lambda c: (-len(c), order[c[0]]))
    pieces = []
    for group in groups:
        if len(group) == 1:
            local = {group[0]: (0.0, 0.0)}
        else:
            sub = simple.subgraph(group)
            local = {n: (float(x), float(y)) for n, (x, y) in nx.spring_layout(
                sub, seed=seed, k=2 / math.sqrt(len(group)), iterations=150).items()}
        half = 0.75 * math.sqrt(len(group))  # room for the group: area in proportion to its actors
        pieces.append({n: (x * half, y * half) for n, (x, y) in local.items()})
    width = max(2 * max(0.75 * math.sqrt(len(groups[0])), 1.0), math.sqrt(len(kept)) * 1.2) if groups else 1.0
    pos: dict[Any, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for piece in pieces:
        xs = [p[0] for p in piece.values()]
        ys = [p[1] for p in piece.values()]
        w, h = max(xs) - min(xs) + 0.6, max(ys) - min(ys) + 0.6
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y - row_height, 0.0
        for n, (px, py) in piece.items():
            pos[n] = (x + px - min(xs) + 0.3, y - (max(ys) - py) - 0.3)
        x += w
        row_height = max(row_height, h)
    return pos


def _draw_links(ax: Any, found: list, pos: dict[Any, tuple[float, float]], radius: dict[Any, float],
                labelled: bool) -> None:
    """One arrow per merged link; parallel links between a pair bend apart, like the viewer's."""
    from matplotlib.patches import FancyArrowPatch

    seen: dict[frozenset, int] = {}
    for link in found:
        pair = frozenset((link.source, link.target))
        nth = seen.get(pair, 0)
        seen[pair] = nth + 1
        bend = 0.0 if nth == 0 else 0.25 * ((nth + 1) // 2) * (1 if nth % 2 else -1)
        colour = NEGATED_COLOR if link.negated else EDGE_COLOR
        if link.source == link.target:
            continue  # a self-loop says nothing a picture can show
        ax.add_patch(FancyArrowPatch(
            pos[link.source], pos[link.target], arrowstyle="-|>", mutation_scale=9,
            connectionstyle=f"arc3,rad={bend}", color=colour, lw=0.7 + 0.8 * math.log2(link.count),
            ls="--" if link.negated else "-", shrinkA=radius[link.source], shrinkB=radius[link.target],
            alpha=0.85, zorder=2))
        if labelled:
            (x1, y1), (x2, y2) = pos[link.source], pos[link.target]
            words = link.label + (f" \u00d7{link.count}" if link.count > 1 else "")
            ax.text((x1 + x2) / 2 + bend * (y2 - y1) / 2, (y1 + y2) / 2 - bend * (x2 - x1) / 2, words,
                    fontsize=6.5, color="#b71c1c" if link.negated else "#555555", ha="center", va="center",
                    zorder=2.5, parse_math=False,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75})


def _fill(pos: dict[Any, tuple[float, float]], aspect: float) -> dict[Any, tuple[float, float]]:
    """Stretch a drawing narrower than the picture sideways, so that it fills the page."""
    if len(pos) < 2:
        return pos
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    stretch = aspect * height / width if width > 0 else 1.0
    if stretch <= 1.0:
        return pos
    return {n: (x * stretch, y) for n, (x, y) in pos.items()}


def _frame(ax: Any, pos: dict[Any, tuple[float, float]], box: tuple[float, float]) -> None:
    """Limits around the drawing with a margin, widened to the axes' shape (``box``, inches)
    so that shapes are not stretched."""
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    pad = 0.06 * max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    (x0, x1), (y0, y1) = (min(xs) - pad, max(xs) + pad), (min(ys) - pad, max(ys) + pad)
    want = box[0] / box[1]
    if (x1 - x0) / (y1 - y0) < want:
        grow = ((y1 - y0) * want - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = ((x1 - x0) / want - (y1 - y0)) / 2
        y0, y1 = y0 - grow, y1 + grow
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)

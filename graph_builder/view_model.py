"""What every picture of the actor graph shares: styles, ranking, selection and merged links.

The HTML viewer (``view``), the static picture (``view_png``) and the GEXF export
(``export.gexf``) all draw the same thing: actors coloured and shaped by type, sized by
PageRank, and one link per subject, relation, object and negation with the number of
statements behind it. Keeping that here means the three never disagree.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

import networkx as nx

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
SEED_SHARE = 10  # when cutting a graph, 1/SEED_SHARE of the kept actors are the top ranked ones

_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:$|[T ])")


@dataclass
class Link:
    """The statements with one subject, relation, object and negation: drawn as one edge."""

    source: Any
    target: Any
    relation: str
    negated: bool
    statements: list[dict[str, Any]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)

    @property
    def label(self) -> str:
        """``reject``, ``not reject``: what the edge says on the canvas."""
        shown = self.relation.replace("_", " ")
        return f"not {shown}" if self.negated else shown

    @property
    def dates(self) -> list[str]:
        """The distinct ISO dates of the statements' articles, oldest first."""
        return sorted({d for s in self.statements if (d := iso_date(s.get("article_date")))})

    @property
    def undated(self) -> int:
        return sum(1 for s in self.statements if not iso_date(s.get("article_date")))

    @property
    def confidence(self) -> float:
        return round(sum(float(s.get("confidence") or 0.0) for s in self.statements) / max(self.count, 1), 2)

    def evidence(self, limit: int, length: int) -> list[str]:
        """Distinct evidence sentences, newest article first."""
        found = dict.fromkeys(t for s in self.statements if (t := text(s.get("sentence"), length)))
        return list(found)[:limit]

    def sources(self) -> list[dict[str, str]]:
        """One entry per article (title and date), newest first."""
        seen: dict[str, dict[str, str]] = {}
        for s in self.statements:
            art = text(s.get("article"))
            seen.setdefault(art, {"title": text(s.get("article_title")) or art or "(untitled)",
                                  "date": text(s.get("article_date"))})
        return list(seen.values())


# --------------------------------------------------------------------------- ranking and selection


def rank(graph: nx.MultiDiGraph) -> dict[Any, float]:
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
        ranks = nx.pagerank(simple, weight="weight")
    except (ImportError, ModuleNotFoundError, nx.PowerIterationFailedConvergence):
        ranks = {n: float(d) for n, d in simple.degree(weight="weight")}
    # Rounded so that summation-order noise never reorders ties between runs.
    return {n: round(r, 12) for n, r in ranks.items()}


def select(graph: nx.MultiDiGraph, ranks: dict[Any, float], max_nodes: int,
           first: Iterable[Any] = ()) -> list[Any]:
    """The ``max_nodes`` actors to draw, most important first.

    Plain top-N by PageRank draws dust on news graphs: most actors have one statement, and the
    partner of a lone pair outranks the spoke of a hub, so most of what is kept has no link
    kept. Instead the ``first`` actors (a focus) and the top ``max_nodes / SEED_SHARE`` by
    PageRank are kept, then the best ranked actor linked to those kept so far, again and again
    (the next best ranked actor anywhere when none is linked).
    """
    ordered = sorted(graph.nodes, key=lambda n: (-ranks.get(n, 0.0), str(n)))
    if len(ordered) <= max_nodes:
        return ordered
    seeds = list(dict.fromkeys([*first, *ordered[: max(1, max_nodes // SEED_SHARE)]]))[:max_nodes]
    kept: dict[Any, None] = {}
    frontier: list[tuple[float, str, Any]] = []
    position = 0

    def keep(node: Any) -> None:
        kept[node] = None
        for near in nx.all_neighbors(graph, node):
            if near not in kept:
                heapq.heappush(frontier, (-ranks.get(near, 0.0), str(near), near))

    for node in seeds:
        keep(node)
    while len(kept) < max_nodes:
        while frontier and frontier[0][2] in kept:
            heapq.heappop(frontier)
        if frontier:
            keep(heapq.heappop(frontier)[2])
            continue
        while ordered[position] in kept:
            position += 1
        keep(ordered[position])
    return sorted(kept, key=lambda n: (-ranks.get(n, 0.0), str(n)))


def links(graph: nx.MultiDiGraph, kept: Iterable[Any]) -> list[Link]:
    """The statements between kept actors merged into links, in a stable order; each link's
    statements newest first (then by article, sentence and key, for byte-identical output)."""
    keep = set(kept)
    groups: dict[tuple[str, str, str, bool], Link] = {}
    for u, v, key, d in graph.edges(keys=True, data=True):
        if u in keep and v in keep:
            relation = text(d.get("relation")) or "related_to"
            negated = bool(d.get("negated"))
            link = groups.get((str(u), str(v), relation, negated))
            if link is None:
                link = groups[(str(u), str(v), relation, negated)] = Link(u, v, relation, negated)
            link.statements.append({**d, "_key": str(key)})
    out = [groups[k] for k in sorted(groups)]
    for link in out:
        link.statements.sort(key=lambda d: (text(d.get("article")), text(d.get("sentence")), d["_key"]))
        link.statements.sort(key=lambda d: text(d.get("article_date")), reverse=True)
    return out


def link_degree(found: list[Link]) -> Counter[Any]:
    """How many drawn links touch each actor."""
    degree: Counter[Any] = Counter()
    for link in found:
        degree[link.source] += 1
        degree[link.target] += 1
    return degree


def selection_note(shown: int, total: int) -> str:
    """What the page and the picture say when not every actor is drawn."""
    return (f"showing {shown} of {total} actors (top by PageRank and the best ranked actors linked to them)"
            if total > shown else plural(total, "actor"))


# --------------------------------------------------------------------------- small helpers


def text(value: Any, limit: int | None = None) -> str:
    """A clean str for a page: None → "", lone surrogates replaced (they cannot be UTF-8)."""
    if value is None:
        return ""
    out = str(value).encode("utf-8", "replace").decode("utf-8").strip()
    if limit is not None and len(out) > limit:
        out = out[: limit - 1] + "\u2026"
    return out


def iso_date(value: Any) -> str:
    """``YYYY-MM-DD`` when ``value`` starts with an ISO date, else "" (undated)."""
    match = _ISO_DATE.match(text(value))
    return match.group(1) if match else ""


def label(node_id: Any, attrs: dict[str, Any]) -> str:
    """Canonical name, or the tail of the IRI when the pipeline left it out."""
    return text(attrs.get("label")) or re.split(r"[/#]", str(node_id).rstrip("/#"))[-1] or str(node_id)


def aliases(attrs: dict[str, Any]) -> list[str]:
    raw = attrs.get("aliases") or []
    if isinstance(raw, str):
        raw = [raw]
    return sorted({t for a in raw if (t := text(a))})


def actor_type(attrs: dict[str, Any]) -> str:
    """One of ``TYPE_STYLE``'s types; anything unknown is drawn as a Thing."""
    found = text(attrs.get("type"))
    return found if found in TYPE_STYLE else "Thing"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def darker(colour: str, factor: float = 0.7) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (r, g, b)))


__all__ = ["TYPE_STYLE", "EDGE_COLOR", "NEGATED_COLOR", "Link", "rank", "select", "links", "link_degree",
           "selection_note", "text", "iso_date", "label", "aliases", "actor_type", "plural", "darker"]

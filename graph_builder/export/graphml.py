"""GraphML exporter: the NetworkX view, with list attributes joined so Gephi and yEd read them."""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING
from xml.etree import ElementTree

import networkx as nx

from ..errors import ExportError

if TYPE_CHECKING:
    from ..assemble import KnowledgeGraph


def to_graphml(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """GraphML with typed attributes (strings, booleans, numbers); aliases joined by ``|``."""
    graph = nx.MultiDiGraph()
    for node, data in kg.nx.nodes(data=True):
        graph.add_node(node, **{k: "|".join(v) if isinstance(v, list) else v for k, v in data.items()})
    for u, v, key, data in kg.nx.edges(keys=True, data=True):
        graph.add_edge(u, v, key=key, **data)
    nx.write_graphml(graph, stream, encoding="utf-8", prettyprint=True, named_key_ids=True)


def read_graphml(path: Path) -> nx.MultiDiGraph:
    """Read a GraphML file written by ``to_graphml`` back into the NetworkX view's shape.

    Raises:
        ExportError: the file is missing or is not GraphML.
    """
    try:
        graph = nx.read_graphml(path, force_multigraph=True)
    except (OSError, nx.NetworkXError, ElementTree.ParseError) as exc:
        raise ExportError(f"{path}: cannot read GraphML: {exc}") from exc
    graph = nx.MultiDiGraph(graph)
    for _, data in graph.nodes(data=True):
        aliases = data.get("aliases", "")
        data["aliases"] = aliases.split("|") if aliases else []
    return graph

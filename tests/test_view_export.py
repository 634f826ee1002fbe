"""Files for other tools: GEXF and GraphML with typed attributes (Gephi), and the PNG picture."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from lxml import etree

from graph_builder.cli import cli
from graph_builder.export import write_outputs
from graph_builder.export.gexf import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, NS, NS_VIZ, gexf_bytes
from graph_builder.registry import exporters
from graph_builder.view_png import layout, render_png
from tests.test_view import EX, HOSTILE, add_actor, add_statement, big_graph, hostile_graph, libya_graph

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
PARSE = {  # how Gephi reads each declared type; a value it cannot read is a broken file
    # Gephi's (Java's) booleans ignore case; NetworkX writes GraphML booleans as True/False
    "boolean": lambda v: {"true": True, "false": False}[v.lower()],
    "int": int, "integer": int, "long": int, "float": float, "double": float, "string": str,
}


def typed_values(root: etree._Element, ns: str, key_tag: str, name_attr: str, type_attr: str,
                 value_tag: str, key_ref: str) -> dict[str, tuple[str, list[str]]]:
    """Declared attribute name → (declared type, every value written for it)."""
    keys = {k.get("id"): (k.get(name_attr), k.get(type_attr)) for k in root.iter(f"{ns}{key_tag}")}
    found: dict[str, tuple[str, list[str]]] = {name: (type_, []) for name, type_ in keys.values()}
    for value in root.iter(f"{ns}{value_tag}"):
        name, _ = keys[value.get(key_ref)]
        found[name][1].append(value.text if value_tag == "data" else value.get("value"))
    return found


# --------------------------------------------------------------------------- GraphML


def test_graphml_attribute_types_are_what_gephi_needs(seed_graph, tmp_path: Path) -> None:
    (path,) = write_outputs(seed_graph, tmp_path, ["graphml"])
    found = typed_values(etree.parse(str(path)).getroot(), GRAPHML, "key", "attr.name", "attr.type", "data", "key")
    for name, (type_, values) in found.items():
        for value in values:
            PARSE[type_](value)  # raises on a value its declared type cannot hold
    types = {name: type_ for name, (type_, _) in found.items()}
    assert types["negated"] == "boolean"
    assert types["confidence"] in ("double", "float")
    for name in ("start", "end", "subject_start", "object_end", "articles"):
        assert types[name] in ("int", "long"), name
    for name in ("label", "type", "aliases", "relation", "sentence", "article_date"):
        assert types[name] == "string", name


# --------------------------------------------------------------------------- GEXF


def test_gexf_of_the_seed_is_typed_and_complete(seed_graph, tmp_path: Path) -> None:
    (path,) = write_outputs(seed_graph, tmp_path, ["gexf"])
    assert path.name == "graph.gexf" and exporters.get("gexf").__name__ == "to_gexf"
    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{{{NS}}}gexf" and root.get("version") == "1.3"
    (graph,) = root.iter(f"{{{NS}}}graph")
    assert graph.get("defaultedgetype") == "directed" and graph.get("mode") == "static"
    found = typed_values(root, f"{{{NS}}}", "attribute", "title", "type", "attvalue", "for")
    for name, (type_, values) in found.items():
        for value in values:
            PARSE[type_](value)
            assert type_ != "boolean" or value in ("true", "false")  # xs:boolean, strictly
    assert {name: t for name, (t, _) in found.items()} == {t: ty for _, t, ty in NODE_ATTRIBUTES + EDGE_ATTRIBUTES}

    g = seed_graph.nx
    links = {(u, v, d["relation"], bool(d["negated"])) for u, v, d in g.edges(data=True)}
    nodes = list(root.iter(f"{{{NS}}}node"))
    edges = list(root.iter(f"{{{NS}}}edge"))
    assert {n.get("id") for n in nodes} == set(g) and len(edges) == len(links)
    assert sum(float(e.get("weight")) for e in edges) == g.number_of_edges()
    for n in nodes:
        assert n.find(f"{{{NS_VIZ}}}color") is not None and n.find(f"{{{NS_VIZ}}}size") is not None
    # Gephi merges parallel edges of one kind: different relations between a pair differ in kind
    kinds = {(e.get("source"), e.get("target"), e.get("kind")) for e in edges}
    assert len(kinds) == len(edges)
    negated = [e for e in edges if e.get("kind").startswith("not ")]
    assert negated and all(e.find(f"{{{NS_VIZ}}}shape").get("value") == "dashed" for e in negated)

    back = nx.read_gexf(path)  # another reader of the format
    haftar = str(seed_graph.actor_iri("person/khalifa-haftar"))
    assert back.nodes[haftar]["label"] == "Khalifa Haftar" and back.nodes[haftar]["type"] == "Person"
    assert isinstance(back.nodes[haftar]["articles"], int) and isinstance(back.nodes[haftar]["pagerank"], float)
    data = next(iter(back.edges(data=True)))[2]
    assert isinstance(data["negated"], bool) and isinstance(data["statements"], int)
    assert isinstance(data["confidence"], float) and data["first_date"] == "2021-04-19"


def test_gexf_is_deterministic_and_survives_hostile_text() -> None:
    assert gexf_bytes(libya_graph()) == gexf_bytes(libya_graph(reverse=True))
    g = hostile_graph()
    add_actor(g, "ctl", "bell\x07 and \udcff", "Person")
    add_statement(g, EX + "ctl", EX + "haftar", "meet", 50, sentence="a\x00b")
    root = etree.fromstring(gexf_bytes(g, title="<b>t</b>"))
    labels = {n.get("label") for n in root.iter(f"{{{NS}}}node")}
    assert set(HOSTILE) <= labels and "bell and ?" in labels
    back = nx.read_gexf(io.BytesIO(gexf_bytes(g)))
    assert back.number_of_nodes() == g.number_of_nodes()


def test_build_writes_gexf_from_the_command_line(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Talks\n\nKhalifa Haftar rejected the ceasefire.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(source), "--out", str(tmp_path / "out"), "-f", "gexf", "-q"])
    assert result.exit_code == 0, result.output
    assert b'kind="reject"' in (tmp_path / "out" / "graph.gexf").read_bytes()


# --------------------------------------------------------------------------- PNG


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_png_picture() -> None:
    assert png_size(render_png(libya_graph())) == (1920, 1200)
    assert png_size(render_png(libya_graph(), size=(8, 5), dpi=100)) == (800, 500)
    g = hostile_graph()
    add_actor(g, "money", "costs $5 and $6 \\frac{", "Thing")  # mathtext would choke on this
    add_statement(g, EX + "haftar", EX + "money", "pay", 60)
    png_size(render_png(g))
    png_size(render_png(nx.MultiDiGraph()))
    with pytest.raises(Exception, match="max_nodes"):
        render_png(libya_graph(), max_nodes=0)


def test_png_layout_spreads_actors_and_keeps_the_cut() -> None:
    g = big_graph(200)
    kept = list(g)[:120]
    pos = layout(g, kept)
    assert set(pos) == set(kept)
    assert len({(round(x, 3), round(y, 3)) for x, y in pos.values()}) == len(kept)
    assert layout(g, kept) == pos  # same graph, same picture


def test_view_png_from_the_command_line(seed_graph, tmp_path: Path) -> None:
    (graphml,) = write_outputs(seed_graph, tmp_path, ["graphml"])
    report = tmp_path / "report.png"
    result = CliRunner().invoke(cli, ["view", str(graphml), "--png", str(report), "--png-nodes", "5"])
    assert result.exit_code == 0, result.output
    assert f"wrote {report}" in result.output and (tmp_path / "graph.html").exists()
    assert png_size(report.read_bytes()) == (1920, 1200)

"""The viewer end to end: graphs built by the real pipeline, opened in headless Chromium.

Expected counts come from the graph itself, never from the page. Screenshots are saved under
``test-artifacts/`` (gitignored) for people to look at.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

import graph_builder
from graph_builder.cli import cli
from graph_builder.export.graphml import read_graphml
from graph_builder.view import ego_graph, write_html
from tests.conftest import SEEDS, corpus_dir
from tests.test_view import ARTIFACTS, Page, browser, page_data  # noqa: F401  (browser is a fixture)

HAFTAR = "https://w3id.org/graph-builder/id/person/khalifa-haftar"
VISIBLE = "graphBuilder.{}.get({{filter: x => !x.hidden}}).map(x => x.id)"


def merged_links(graph: nx.MultiDiGraph) -> set[tuple[str, str, str, bool]]:
    """What the viewer should draw: one link per subject, relation, object and negation."""
    return {(u, v, d["relation"], bool(d["negated"])) for u, v, d in graph.edges(data=True)}


def shown(page: Any, dataset: str) -> set[str]:
    return set(page.evaluate(VISIBLE.format(dataset)))


def edge_keys(page: Any, ids: set[str]) -> set[tuple[str, str, str, bool]]:
    edges = page.evaluate("graphBuilder.data.edges")
    return {(e["from"], e["to"], e["relation"], e["negated"]) for e in edges if e["id"] in ids}


@pytest.fixture(scope="module")
def seed_files(seed_graph: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed's graph.html and graph.graphml, as ``graph-builder build seeds/`` writes them."""
    out = tmp_path_factory.mktemp("seed")
    seed_graph.export(out, ["html", "graphml"])
    return out


@pytest.mark.browser
def test_seed_graph_in_the_browser(browser: Any, seed_graph: Any, seed_files: Path) -> None:
    graph = seed_graph.nx
    links = merged_links(graph)
    p = Page(browser, seed_files / "graph.html")
    page = p.page
    assert page.evaluate("graphBuilder.nodes.length") == graph.number_of_nodes()
    assert page.evaluate("graphBuilder.edges.length") == len(links)
    assert page.evaluate("graphBuilder.data.edges.reduce((n, e) => n + e.count, 0)") == graph.number_of_edges()
    assert edge_keys(page, shown(page, "edges")) == links

    page.fill("#gb-search", "Haftar")
    page.press("#gb-search", "Enter")
    assert page.evaluate("graphBuilder.network.getSelectedNodes()") == [HAFTAR]
    assert "Khalifa Haftar" in page.inner_text("#gb-status") and "Khalifa Haftar" in page.inner_text("#gb-info")

    # a filter by type hides every Person and every link touching one, nothing else
    page.click("#gb-reset")
    people = {n for n, d in graph.nodes(data=True) if d["type"] == "Person"}
    assert HAFTAR in people
    page.uncheck("#gb-legend input[value=Person]")
    assert shown(page, "nodes") == set(graph) - people
    assert edge_keys(page, shown(page, "edges")) == {k for k in links if k[0] not in people and k[1] not in people}
    page.check("#gb-legend input[value=Person]")

    # a relation filter keeps that relation's links and the actors they join
    page.select_option("#gb-relation", "reject")
    rejects = {k for k in links if k[2] == "reject"}
    assert rejects and edge_keys(page, shown(page, "edges")) == rejects
    assert shown(page, "nodes") == {x for k in rejects for x in k[:2]}
    page.select_option("#gb-relation", "")

    # the date filter: the seed's one article is dated 2021-04-19
    (date,) = {d["article_date"] for _, _, d in graph.edges(data=True)}
    page.fill("#gb-from", "2021-04-20")
    assert shown(page, "edges") == set() and shown(page, "nodes") == set()
    page.fill("#gb-from", date)
    page.fill("#gb-to", date)
    assert edge_keys(page, shown(page, "edges")) == links

    page.click("#gb-reset")
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viewer-seed.png"))
    p.assert_clean()
    p.context.close()


@pytest.mark.browser
def test_view_focus_depth_2_end_to_end(browser: Any, seed_files: Path, tmp_path: Path) -> None:
    """`graph-builder view GRAPH --focus "Khalifa Haftar" --depth 2 --png`, as a user types it."""
    target = tmp_path / "haftar.html"
    result = CliRunner().invoke(cli, ["view", str(seed_files / "graph.graphml"), "--focus", "Khalifa Haftar",
                                      "--depth", "2", "--out", str(target), "--png"])
    assert result.exit_code == 0, result.output
    assert f"wrote {target}" in result.output and f"wrote {target.with_suffix('.png')}" in result.output
    assert target.with_suffix(".png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    whole = read_graphml(seed_files / "graph.graphml")
    near = nx.single_source_shortest_path_length(whole.to_undirected(), HAFTAR, cutoff=2)
    ego = whole.subgraph(near)
    p = Page(browser, target)
    page = p.page
    assert page.title() == "Khalifa Haftar — graph-builder"
    assert shown(page, "nodes") == set(near)
    assert edge_keys(page, shown(page, "edges")) == merged_links(ego)
    assert page.evaluate("graphBuilder.network.getSelectedNodes()") == [HAFTAR]  # opens on the focus
    assert page.inner_text("#gb-info").startswith("Khalifa Haftar")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viewer-seed-focus.png"))
    p.assert_clean()
    p.context.close()


HOSTILE_ARTICLE = {
    "id": "hostile-1",
    "title": "<img src=x onerror=alert(1)> </script><script>window.pwned=1</script> talks",
    "date": "2024-01-02",
    "text": ('General <img src=x onerror=alert(1)> Haftar attacked Tripoli. '
             'Ahmed "</script><script>window.pwned=1</script>" Ali met the UN envoy in Tripoli. '
             'Khalifa Haftar rejected the <b onmouseover=alert(2)>initiative</b>.'),
}


@pytest.mark.browser
def test_article_with_script_in_its_names_runs_nothing(browser: Any, tmp_path: Path) -> None:
    """A made-up article whose text and title hold HTML, through the real pipeline."""
    source = tmp_path / "hostile.jsonl"
    source.write_text(json.dumps(HOSTILE_ARTICLE) + "\n", encoding="utf-8")
    kg = graph_builder.build([source])
    (path,) = kg.export(tmp_path / "out", ["html"])
    labels = {d["label"] for _, d in kg.nx.nodes(data=True)}
    assert any("<" in x or ">" in x for x in labels), labels  # the pipeline kept markup in a name
    data = page_data(path.read_text("utf-8"))
    # the link whose sentence holds a </script>; its article's title holds an <img>
    edge = next(e for e in data["edges"] if any("window.pwned=1</script>" in s for s in e["evidence"]))
    assert edge["sources"][0]["title"] == HOSTILE_ARTICLE["title"]

    p = Page(browser, path)
    page = p.page
    assert page.evaluate("graphBuilder.nodes.length") == kg.nx.number_of_nodes()
    assert set(page.evaluate("graphBuilder.nodes.map(n => n.fullLabel)")) == labels
    # hover that link: the tooltip shows the markup as text
    page.evaluate("graphBuilder.network.fit()")
    page.wait_for_timeout(200)
    box = page.locator("#gb-network").bounding_box()
    ends = page.evaluate("ids => Object.values(graphBuilder.network.getPositions(ids))", [edge["from"], edge["to"]])
    middle = page.evaluate("p => graphBuilder.network.canvasToDOM(p)",
                           {"x": (ends[0]["x"] + ends[1]["x"]) / 2, "y": (ends[0]["y"] + ends[1]["y"]) / 2})
    page.mouse.move(box["x"] + middle["x"], box["y"] + middle["y"])
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    tip = page.inner_text("div.vis-tooltip")
    assert "<img src=x onerror=alert(1)>" in tip and "window.pwned=1" in tip
    for label in labels:
        page.fill("#gb-search", label)
        page.press("#gb-search", "Enter")
        assert label in page.inner_text("#gb-info")
    assert page.locator("img, b[onmouseover], #gb-main script").count() == 0
    assert page.evaluate("typeof window.pwned") == "undefined"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viewer-hostile-article.png"))
    p.assert_clean()  # no dialog, no console error, no request
    p.context.close()


@pytest.fixture(scope="module")
def corpus_graph() -> nx.MultiDiGraph:
    return graph_builder.build([corpus_dir("conflict_news")]).nx


@pytest.mark.corpus
@pytest.mark.browser
def test_corpus_graph_and_ego_network(browser: Any, corpus_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    """The whole conflict_news graph is cut to 300 linked actors; an ego network of its top actor."""
    whole = write_html(corpus_graph, tmp_path / "whole.html")
    p = Page(browser, whole)
    page = p.page
    total = corpus_graph.number_of_nodes()
    assert total > 300 and f"showing 300 of {total} actors" in page.inner_text("#gb-summary")
    nodes = shown(page, "nodes")
    ends = {x for e in page.evaluate("graphBuilder.data.edges") for x in (e["from"], e["to"])}
    assert len(nodes) == 300 and nodes <= ends  # no actor drawn without a link
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viewer-corpus.png"))
    p.assert_clean()
    p.context.close()

    top = page_data(whole.read_text("utf-8"))["nodes"][0]
    ego = ego_graph(corpus_graph, top["fullLabel"], depth=1)
    path = write_html(ego, tmp_path / "ego.html", title=f"{top['fullLabel']} — conflict_news")
    p = Page(browser, path)
    page = p.page
    assert top["id"] in ego.graph["focus"] and shown(page, "nodes") == set(ego)
    assert page.evaluate("graphBuilder.network.getSelectedNodes()") == ego.graph["focus"][:1]
    assert edge_keys(page, shown(page, "edges")) == merged_links(ego)
    page.screenshot(path=str(ARTIFACTS / "viewer-corpus-ego.png"))
    p.assert_clean()
    p.context.close()

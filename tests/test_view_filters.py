"""The viewer's date filter, its choice of actors on big graphs, and ego networks' focus."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph_builder.errors import GraphBuilderError
from graph_builder.view import ego_graph, render_html, write_html
from tests.test_view import (EX, Page, add_actor, add_statement, big_graph, browser, hostile_graph,  # noqa: F401
                             libya_graph, page_data)


def test_links_carry_their_dates_for_the_date_filter() -> None:
    g = libya_graph()
    add_actor(g, "nobody", "Nobody", "Person")
    add_statement(g, EX + "nobody", EX + "un", "praise", 99, date="")  # an article without a date
    add_statement(g, EX + "nobody", EX + "un", "praise", 100, date="2019-12-31T08:00:00")
    data = page_data(render_html(g))
    praise = next(e for e in data["edges"] if e["relation"] == "praise")
    assert praise["dates"] == ["2019-12-31"] and praise["undated"] == 1
    reject = next(e for e in data["edges"] if e["label"] == "reject \u00d73")
    assert reject["dates"] == sorted(reject["dates"]) and set(reject["dates"]) <= {f"2020-01-{d}" for d in range(10, 14)}
    assert data["dates"] == {"min": "2019-12-31", "max": "2020-01-13", "dated": 23, "undated": 1}
    assert page_data(render_html(hostile_graph()))["dates"] == {"min": "", "max": "", "dated": 0, "undated": 6}


def test_big_graphs_keep_linked_actors_not_dust() -> None:
    """Top-N by PageRank alone keeps lone pairs; the selection grows from the top actors."""
    g = big_graph(420)
    for i in range(200):  # 200 lone pairs: each partner outranks a hub's spoke in PageRank
        a, b = add_actor(g, f"p{i}", f"Pair {i}", "Thing"), add_actor(g, f"q{i}", f"Other {i}", "Thing")
        add_statement(g, a, b, "meet", 10_000 + i)
    data = page_data(render_html(g, max_nodes=300))
    linked = {e["from"] for e in data["edges"]} | {e["to"] for e in data["edges"]}
    assert len(data["nodes"]) == 300 and {n["id"] for n in data["nodes"]} <= linked
    assert {EX + f"hub{h}" for h in range(6)} <= linked
    assert "showing 300 of 820 actors" in data["summary"]


def test_focus_is_kept_and_marked() -> None:
    g = big_graph(420)
    ego = ego_graph(g, "Actor 7", depth=1)
    assert ego.graph["focus"] == [EX + "a7"]
    data = page_data(render_html(ego))
    assert data["focus"] == [EX + "a7"]
    marked = {n["id"]: n["borderWidth"] for n in data["nodes"]}
    assert marked[EX + "a7"] > marked[EX + "hub1"]
    # the focus is kept even when the cut would drop it
    assert page_data(render_html(g, max_nodes=10, focus=[EX + "a400"]))["focus"] == [EX + "a400"]
    assert page_data(render_html(libya_graph()))["focus"] == []


def test_close_matches_look_at_single_words() -> None:
    g = libya_graph()
    del g.nodes[EX + "haftar"]["aliases"]
    with pytest.raises(GraphBuilderError, match="close matches: Khalifa Haftar"):
        ego_graph(g, "Hafter")


@pytest.mark.browser
def test_browser_date_filter(browser: Any, tmp_path: Path) -> None:
    g = libya_graph()
    add_actor(g, "nobody", "Nobody", "Person")
    add_statement(g, EX + "nobody", EX + "un", "praise", 99, date="")
    path = write_html(g, tmp_path / "dated.html")
    edges = page_data(path.read_text("utf-8"))["edges"]
    p = Page(browser, path)
    page = p.page
    assert page.get_attribute("#gb-from", "min") == "2020-01-10" and page.get_attribute("#gb-to", "max") == "2020-01-13"
    assert "1 undated statement" in page.inner_text("#gb-date-note")
    page.fill("#gb-from", "2020-01-12")
    in_range = {e["id"] for e in edges if any(d >= "2020-01-12" for d in e["dates"]) or e["undated"]}
    shown = set(page.evaluate("graphBuilder.edges.get({filter: e => !e.hidden}).map(e => e.id)"))
    assert shown == in_range and 0 < len(shown) < len(edges)
    page.uncheck("#gb-undated")
    page.fill("#gb-to", "2020-01-12")
    only_12 = {e["id"] for e in edges if "2020-01-12" in e["dates"]}
    shown = set(page.evaluate("graphBuilder.edges.get({filter: e => !e.hidden}).map(e => e.id)"))
    assert shown == only_12
    linked = {x for e in edges if e["id"] in only_12 for x in (e["from"], e["to"])}
    assert set(page.evaluate("graphBuilder.nodes.get({filter: n => !n.hidden}).map(n => n.id)")) == linked
    assert EX + "nobody" not in linked
    page.click("#gb-reset")
    assert p.visible("edges") == len(edges) and page.input_value("#gb-from") == ""
    p.assert_clean()
    p.context.close()

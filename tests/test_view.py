"""Tests for the offline HTML viewer (graph_builder.view).

Unit tests read the JSON the page embeds; browser tests (``-m browser``) open the written page
from disk in headless Debian Chromium with every non-``file://`` request blocked.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any, Iterator

import networkx as nx
import pytest

from graph_builder.errors import GraphBuilderError
from graph_builder.view import ego_graph, render_html, script_json, to_html, write_html

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
EX = "http://example.org/actor/"

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>window.pwned=1</script>",
    "\"quoted\" 'single' & ampersand",
    "Sarraj \U0001F1F1\U0001F1FE emoji",
    "\u062e\u0644\u064a\u0641\u0629 \u062d\u0641\u062a\u0631",  # Khalifa Haftar in Arabic
    "src=https://evil.example/x.js url(//evil.example/y.css) @import 'http://evil.example'",
]

EXTERNAL = [
    re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.I),
    re.compile(r"""@import\s+(?:url\()?\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.I),
    re.compile(r"""url\(\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.I),
]


# --------------------------------------------------------------------------- graph fixtures


def add_actor(g: nx.MultiDiGraph, key: str, label: str, type_: str, aliases: list[str] | None = None,
              articles: int = 1) -> str:
    node = EX + key
    g.add_node(node, label=label, type=type_, aliases=aliases or [], articles=articles)
    return node


def add_statement(g: nx.MultiDiGraph, s: str, o: str, relation: str, n: int, *, negated: bool = False,
                  sentence: str = "", article: str = "a1", title: str = "Libya talks",
                  date: str = "2020-01-19") -> None:
    key = f"{EX}statement/{n}"
    g.add_edge(s, o, key=key, relation=relation, relation_text=relation.replace("_", " "), negated=negated,
               confidence=0.9, sentence=sentence or f"{g.nodes[s]['label']} {relation} {g.nodes[o]['label']}.",
               article=article, article_title=title, article_date=date,
               subject_text=g.nodes[s]["label"], object_text=g.nodes[o]["label"])


def libya_graph(reverse: bool = False) -> nx.MultiDiGraph:
    """A small news graph: 12 actors of every type, parallel and negated statements."""
    actors = [
        ("haftar", "Khalifa Haftar", "Person", ["Haftar", "Field Marshal Haftar"], 9),
        ("sarraj", "Fayez al-Sarraj", "Person", ["Sarraj"], 7),
        ("erdogan", "Recep Tayyip Erdogan", "Person", ["Erdogan"], 4),
        ("lna", "Libyan National Army", "Organization", ["LNA"], 6),
        ("gna", "Government of National Accord", "Organization", ["GNA"], 8),
        ("un", "United Nations", "Organization", ["UN"], 5),
        ("tripoli", "Tripoli", "Place", [], 6),
        ("turkey", "Turkey", "Place", ["Ankara"], 4),
        ("russia", "Russia", "Place", ["Moscow"], 3),
        ("mercs", "mercenaries", "Group", [], 2),
        ("berlin", "Berlin conference", "Event", [], 3),
        ("ceasefire", "ceasefire", "Thing", [], 5),
    ]
    statements = [
        ("haftar", "ceasefire", "reject", False), ("haftar", "ceasefire", "reject", False),
        ("haftar", "ceasefire", "reject", False), ("haftar", "ceasefire", "reject", True),
        ("haftar", "ceasefire", "sign", True), ("sarraj", "ceasefire", "sign", False),
        ("haftar", "tripoli", "attack", False), ("haftar", "tripoli", "attack", False),
        ("lna", "tripoli", "besiege", False), ("gna", "turkey", "ask", False),
        ("turkey", "gna", "support", False), ("turkey", "mercs", "send", False),
        ("russia", "lna", "support", False), ("russia", "lna", "support", True),
        ("un", "berlin", "host", False), ("haftar", "berlin", "attend", False),
        ("sarraj", "berlin", "attend", False), ("haftar", "berlin", "withdraw_from", False),
        ("erdogan", "haftar", "criticize", False), ("un", "ceasefire", "call_for", False),
        ("haftar", "lna", "command", False), ("sarraj", "gna", "lead", False),
    ]
    g = nx.MultiDiGraph(title="Libya conflict")
    for a in (reversed(actors) if reverse else actors):
        add_actor(g, *a)
    order = list(enumerate(statements))
    for n, (s, o, rel, neg) in (reversed(order) if reverse else order):
        add_statement(g, EX + s, EX + o, rel, n, negated=neg, article=f"a{n % 4}", title=f"Article {n % 4}",
                      date=f"2020-01-{10 + n % 4}")
    return g


def big_graph(n_actors: int = 420) -> nx.MultiDiGraph:
    """Hubs with spokes: a few hubs are clearly the top actors by PageRank."""
    g = nx.MultiDiGraph()
    types = ["Person", "Organization", "Place", "Group", "Event", "Thing"]
    hubs = [add_actor(g, f"hub{h}", f"Hub {h}", types[h % 6], articles=20) for h in range(6)]
    n = 0
    for i in range(n_actors - len(hubs)):
        node = add_actor(g, f"a{i}", f"Actor {i}", types[i % 6])
        hub = hubs[i % len(hubs)]
        add_statement(g, hub, node, ["meet", "accuse", "support"][i % 3], n := n + 1)
        if i % 7 == 0:
            add_statement(g, node, hubs[(i + 1) % len(hubs)], "reject", n := n + 1, negated=i % 2 == 0)
    for h in range(6):
        add_statement(g, hubs[h], hubs[(h + 1) % 6], "talk_to", n := n + 1)
    return g


def hostile_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(title="<b>hostile</b> & </title>")
    haftar = add_actor(g, "haftar", "Khalifa Haftar", "Person", ["Haftar"])
    for i, label in enumerate(HOSTILE):
        node = add_actor(g, f"h{i}", label, ["Organization", "Group", "Thing"][i % 3], aliases=[label + " alias"])
        add_statement(g, haftar, node, "meet", i, sentence=f"He said {label} \u2028 twice.", title=label, date="")
    return g


def page_data(html: str) -> dict[str, Any]:
    """The JSON the page embeds (json.loads understands the \\u003c and \\/ escapes)."""
    m = re.search(r'<script type="application/json" id="gb-data">(.*?)</script>', html, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def external_refs(html: str) -> list[str]:
    return [m.group(0) for rx in EXTERNAL for m in rx.finditer(html)]


# --------------------------------------------------------------------------- unit tests


def test_no_external_url_anywhere() -> None:
    for g in (libya_graph(), hostile_graph(), big_graph(60)):
        html = render_html(g)
        assert external_refs(html) == []
        assert "cdn" not in re.sub(r"<script>.*?</script>|<style>.*?</style>", "", html, flags=re.S).lower()
        assert len(re.findall(r"^<script", html, re.M)) == 3  # data block, vis-network, viewer
        assert "sourceMappingURL" not in html
    # the checker itself catches what pyvis's own template does
    assert external_refs('<link href="https://cdn.jsdelivr.net/x.css"><script src="//a/b.js">')


def test_deterministic_and_independent_of_insertion_order() -> None:
    first = render_html(libya_graph())
    assert render_html(libya_graph()) == first
    assert render_html(libya_graph(reverse=True)) == first
    assert render_html(big_graph(350), max_nodes=100) == render_html(big_graph(350), max_nodes=100)
    assert '"randomSeed":7' in first


def test_title_from_graph_and_argument() -> None:
    assert "<title>Libya conflict</title>" in render_html(libya_graph())
    assert "<title>Mine</title>" in render_html(libya_graph(), title="Mine")
    assert "<title>&lt;b&gt;hostile&lt;/b&gt; &amp; &lt;/title&gt;</title>" in render_html(hostile_graph())


def test_parallel_statements_collapse_with_count() -> None:
    data = page_data(render_html(libya_graph()))
    reject = [e for e in data["edges"] if e["from"] == EX + "haftar" and e["to"] == EX + "ceasefire"
              and e["relation"] == "reject" and not e["negated"]]
    assert len(reject) == 1
    assert reject[0]["count"] == 3 and reject[0]["label"] == "reject \u00d73"
    assert len(reject[0]["evidence"]) <= 3 and reject[0]["sources"]
    assert sum(e["count"] for e in data["edges"]) == libya_graph().number_of_edges()
    assert len(data["edges"]) == 19  # 22 statements, 3 parallel duplicates merged
    assert {r["name"]: r["count"] for r in data["relations"]}["reject"] == 4


def test_negated_edges_are_distinct() -> None:
    data = page_data(render_html(libya_graph()))
    pair = [e for e in data["edges"] if e["from"] == EX + "haftar" and e["to"] == EX + "ceasefire"]
    negated = [e for e in pair if e["negated"]]
    assert {e["label"] for e in negated} == {"not reject", "not sign"}
    plain = next(e for e in pair if e["label"].startswith("reject"))
    for e in negated:
        assert e["dashes"] and not plain["dashes"]
        assert e["color"]["color"] != plain["color"]["color"]
    # parallel links between one pair bend differently
    assert len({json.dumps(e["smooth"], sort_keys=True) for e in pair}) == len(pair)


def test_nodes_style_size_and_legend() -> None:
    data = page_data(render_html(libya_graph()))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert len(nodes) == 12
    haftar = nodes[EX + "haftar"]
    assert haftar["label"] == "Khalifa Haftar" and haftar["aliases"] == ["Field Marshal Haftar", "Haftar"]
    assert haftar["articles"] == 9 and haftar["size"] == max(n["size"] for n in nodes.values())
    shapes = {n["gbType"]: (n["shape"], n["color"]["background"]) for n in nodes.values()}
    assert len(shapes) == 6 and len(set(shapes.values())) == 6
    assert [t["name"] for t in data["types"]] == ["Person", "Organization", "Place", "Group", "Event", "Thing"]
    assert data["nodes"][0]["id"] == EX + "haftar"  # sorted by rank


def test_max_nodes_truncation_message() -> None:
    g = big_graph(420)
    html = render_html(g, max_nodes=300)
    data = page_data(html)
    assert "showing 300 of 420 actors" in html
    assert len(data["nodes"]) == 300 and data["total"] == 420
    kept = {n["id"] for n in data["nodes"]}
    assert {EX + f"hub{h}" for h in range(6)} <= kept
    assert all(e["from"] in kept and e["to"] in kept for e in data["edges"])
    assert "showing" not in render_html(libya_graph())
    with pytest.raises(GraphBuilderError):
        render_html(g, max_nodes=0)


def test_hostile_text_is_escaped() -> None:
    html = render_html(hostile_graph())
    assert "<img" not in html
    assert "window.pwned=1</script>" not in html
    assert "\u2028" not in html and "\u2029" not in html
    data = page_data(html)
    assert {n["fullLabel"] for n in data["nodes"]} >= set(HOSTILE)
    assert any("\u2028" in s for e in data["edges"] for s in e["evidence"])
    assert script_json({"x": "</script><!--"}) == '{"x":"\\u003c\\/script\\u003e\\u003c!--"}'


def test_odd_attributes_do_not_break_rendering() -> None:
    g = nx.MultiDiGraph()
    g.add_node("http://x/y#Zed")  # no attributes at all
    g.add_node("http://x/b", label="Bad \udcff surrogate", type="Alien", aliases="solo", articles=None)
    g.add_edge("http://x/y#Zed", "http://x/b", key="s1")
    data = page_data(render_html(g))
    labels = {n["fullLabel"]: n for n in data["nodes"]}
    assert "Zed" in labels and labels["Bad ? surrogate"]["gbType"] == "Thing"
    assert labels["Bad ? surrogate"]["typeText"] == "Alien"
    assert data["edges"][0]["relation"] == "related_to"
    empty = render_html(nx.MultiDiGraph())
    assert page_data(empty)["nodes"] == [] and "0 actors" in empty


def test_ego_graph() -> None:
    g = libya_graph()
    one = ego_graph(g, "haftar")  # alias, any case
    assert EX + "haftar" in one and EX + "ceasefire" in one and EX + "erdogan" in one
    assert EX + "turkey" not in one
    assert one.number_of_edges(EX + "haftar", EX + "ceasefire") == 5  # keys kept, not collapsed
    assert one.graph["title"] == "Libya conflict"
    two = ego_graph(g, "KHALIFA HAFTAR", depth=2)
    assert EX + "sarraj" in two and set(one) < set(two)
    assert set(ego_graph(g, "Tripoli", depth=0)) == {EX + "tripoli"}
    with pytest.raises(GraphBuilderError, match=r"'Hafter'.*Haftar"):
        ego_graph(g, "Hafter")
    with pytest.raises(GraphBuilderError, match="no close matches"):
        ego_graph(g, "zzzzqqq")


def test_write_html_atomic(tmp_path: Path) -> None:
    target = tmp_path / "out" / "graph.html"
    assert write_html(libya_graph(), target, max_nodes=5) == target
    text = target.read_text("utf-8")
    assert text.startswith("<!DOCTYPE html>") and "showing 5 of 12 actors" in text
    write_html(libya_graph(), target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["graph.html"]
    assert target.read_text("utf-8") == render_html(libya_graph())


def test_to_html_exporter_contract() -> None:
    class KG:
        nx = hostile_graph()
        title = "Exported \u062d\u0641\u062a\u0631"

    buf = io.BytesIO()
    assert to_html(KG(), buf, max_nodes=4) is None
    text = buf.getvalue().decode("utf-8")
    assert "<title>Exported \u062d\u0641\u062a\u0631</title>" in text and "showing 4 of 7 actors" in text


def test_registered_as_html_exporter() -> None:
    from graph_builder.registry import exporters

    assert exporters.get("html") is to_html


# --------------------------------------------------------------------------- browser tests

BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield b
        b.close()


class Page:
    """A page opened from disk that records errors, dialogs and any request leaving file://."""

    def __init__(self, browser: Any, path: Path, size: tuple[int, int] = (1400, 900)) -> None:
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        self.page = page = self.context.new_page()
        page.route("**/*", self._route)
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("dialog", self._dialog)
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.graphBuilder && window.graphBuilder.ready", timeout=60_000)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def visible(self, dataset: str) -> int:
        return self.page.evaluate(f"graphBuilder.{dataset}.get({{filter: x => !x.hidden}}).length")

    def assert_clean(self) -> None:
        assert self.console_errors == [] and self.page_errors == []
        assert self.outside == [] and self.dialogs == []


@pytest.mark.browser
def test_browser_page_loads_offline_and_searches(browser: Any, tmp_path: Path) -> None:
    path = write_html(libya_graph(), tmp_path / "libya.html")
    p = Page(browser, path)
    page = p.page
    assert page.evaluate("graphBuilder.nodes.length") == 12
    assert page.evaluate("graphBuilder.edges.length") == 19
    assert page.title() == "Libya conflict"
    assert page.locator("#gb-legend input[type=checkbox]").count() == 6

    page.fill("#gb-search", "Haftar")
    page.press("#gb-search", "Enter")
    assert page.evaluate("graphBuilder.network.getSelectedNodes()") == [EX + "haftar"]
    assert page.evaluate("graphBuilder.highlighted") == EX + "haftar"
    assert "Khalifa Haftar" in page.inner_text("#gb-status")
    assert page.is_visible("#gb-info") and "Khalifa Haftar" in page.inner_text("#gb-info")
    # neighbourhood highlight: a non-neighbour is dimmed, a neighbour is not
    colours = page.evaluate("ids => ids.map(id => graphBuilder.nodes.get(id).color.background)",
                            [EX + "turkey", EX + "ceasefire"])
    assert colours[0] == "#ececec" and colours[1] != "#ececec"
    page.fill("#gb-search", "nobody at all")
    page.press("#gb-search", "Enter")
    assert "No actor matches" in page.inner_text("#gb-status")

    ARTIFACTS.mkdir(exist_ok=True)
    page.click("#gb-reset")
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "viewer.png"))
    p.assert_clean()
    p.context.close()


@pytest.mark.browser
def test_browser_filters(browser: Any, tmp_path: Path) -> None:
    path = write_html(libya_graph(), tmp_path / "libya.html")
    p = Page(browser, path)
    page = p.page
    page.uncheck("#gb-legend input[value=Place]")
    assert p.visible("nodes") == 9  # Tripoli, Turkey, Russia hidden
    hidden = page.evaluate("graphBuilder.nodes.get({filter: n => n.hidden}).map(n => n.gbType)")
    assert set(hidden) == {"Place"}
    assert p.visible("edges") == 19 - 7  # every link touching a place
    page.check("#gb-legend input[value=Place]")
    assert p.visible("nodes") == 12 and p.visible("edges") == 19

    page.select_option("#gb-relation", "support")
    shown = page.evaluate("graphBuilder.edges.get({filter: e => !e.hidden}).map(e => e.label)")
    assert sorted(shown) == ["not support", "support", "support"]
    assert p.visible("nodes") == 4  # Turkey, GNA, Russia, LNA
    page.select_option("#gb-relation", "")
    assert p.visible("edges") == 19
    p.assert_clean()
    p.context.close()


@pytest.mark.browser
def test_browser_hostile_labels_stay_text(browser: Any, tmp_path: Path) -> None:
    path = write_html(hostile_graph(), tmp_path / "hostile.html")
    p = Page(browser, path)
    page = p.page
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.evaluate("graphBuilder.nodes.length") == len(HOSTILE) + 1
    labels = page.evaluate("graphBuilder.nodes.map(n => n.fullLabel)")
    assert set(HOSTILE) <= set(labels)
    options = page.evaluate("Array.from(document.querySelectorAll('#gb-actors option'), o => o.value)")
    assert set(HOSTILE) <= set(options)
    for label in HOSTILE[:2]:
        page.fill("#gb-search", label)
        page.press("#gb-search", "Enter")
        assert label in page.inner_text("#gb-info")
    # hover over a hostile node: the tooltip shows its label as text
    node = EX + "h0"
    page.evaluate("graphBuilder.network.moveTo({position: graphBuilder.network.getPositions([%r])[%r],"
                  " scale: 1})" % (node, node))
    page.wait_for_timeout(200)
    box = page.locator("#gb-network").bounding_box()
    pos = page.evaluate("graphBuilder.network.canvasToDOM(graphBuilder.network.getPositions([%r])[%r])"
                        % (node, node))
    page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    assert HOSTILE[0] in page.inner_text("div.vis-tooltip")
    assert page.locator("img").count() == 0
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.inner_text("#gb-title") == "<b>hostile</b> & </title>"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viewer-hostile.png"))
    p.assert_clean()
    p.context.close()


@pytest.mark.browser
def test_browser_truncated_graph(browser: Any, tmp_path: Path) -> None:
    path = write_html(big_graph(420), tmp_path / "big.html")
    p = Page(browser, path)
    assert p.page.evaluate("graphBuilder.nodes.length") == 300
    assert "showing 300 of 420 actors" in p.page.inner_text("#gb-summary")
    ARTIFACTS.mkdir(exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / "viewer-large.png"))
    p.assert_clean()
    p.context.close()

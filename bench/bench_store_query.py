"""Oxigraph store against rdflib in memory, on a graph of about a million triples.

The graph is the conflict_news corpus's (100 articles), replicated under different base IRIs
until it holds about a million quads: the same shape as a corpus that many times larger. For
each engine: loading the N-Quads, the saved queries' latency (median of several runs), and
exporting N-Quads and TriG. Results go to bench/store_query_results.md and standard output.

    python bench/bench_store_query.py [--target 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import graph_builder  # noqa: E402
from graph_builder.assemble import KnowledgeGraph  # noqa: E402
from graph_builder.export.rdf import to_nquads  # noqa: E402
from graph_builder.query import run_query  # noqa: E402
from graph_builder.saved import saved_queries  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "conflict_news"


class TooSlow(BaseException):  # not an Exception: run_query must not wrap it
    """A run went past ``--limit`` seconds and was stopped."""


def timed(action, limit: float | None = None) -> tuple[float, object]:
    """Seconds ``action`` took, and its result; stopped (``TooSlow``) after ``limit`` seconds."""

    def stop(signum, frame):
        raise TooSlow

    previous = signal.signal(signal.SIGALRM, stop)
    if limit:
        signal.setitimer(signal.ITIMER_REAL, limit)
    started = time.perf_counter()
    try:
        result = action()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return time.perf_counter() - started, result


def median_time(action, repeat: int, limit: float) -> float | None:
    """The median of ``repeat`` runs; ``None`` when one run took longer than ``limit`` seconds."""
    runs = []
    for _ in range(repeat):
        try:
            runs.append(timed(action, limit)[0])
        except TooSlow:
            return None
    return statistics.median(runs)


def replicated_nquads(target: int) -> tuple[bytes, int, int]:
    """The corpus graph's N-Quads, repeated under new base IRIs until about ``target`` quads."""
    kg = graph_builder.build([CORPUS])
    parts: list[bytes] = []
    quads = copies = 0
    while quads < target:
        copy = KnowledgeGraph(kg.articles, kg.actors, kg.triples, base_iri=f"https://example.org/copy{copies}/",
                              model=kg.model)
        buffer = io.BytesIO()
        to_nquads(copy, buffer)
        parts.append(buffer.getvalue())
        quads += buffer.getvalue().count(b"\n")
        copies += 1
    return b"".join(parts), quads, copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=int, default=1_000_000, help="About how many quads.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs per query (median).")
    parser.add_argument("--limit", type=float, default=300, help="Seconds after which a query run is stopped.")
    args = parser.parse_args()

    data, quads, copies = replicated_nquads(args.target)
    lines = [f"# Oxigraph store vs rdflib in memory: {quads:,} quads ({copies} copies of conflict_news)", "",
             f"Command: `python bench/bench_store_query.py --target {args.target} --repeat {args.repeat}"
             f" --limit {args.limit:g}`", "", f"A query run longer than {args.limit:g} s is stopped and shown as"
             f" \">{args.limit:g}\".", "",
             "| what | rdflib (s) | Oxigraph (s) | rdflib / Oxigraph |", "|---|---|---|---|"]

    def row(what: str, slow: float | None, fast: float | None) -> None:
        show = lambda t: f">{args.limit:g}" if t is None else f"{t:.3f}"  # noqa: E731
        ratio = f"{slow / fast:.1f}x" if slow is not None and fast else (f">{args.limit / fast:.0f}x" if fast else "")
        lines.append(f"| {what} | {show(slow)} | {show(fast)} | {ratio} |")
        print(lines[-1], flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        rdflib_load, ds = timed(lambda: Dataset(default_union=True).parse(data=data, format="nquads"))
        store_load, store = timed(lambda: _load_store(Path(tmp) / "store", data))
        row("load N-Quads", rdflib_load, store_load)
        top = run_query(store, saved_queries()["top-actors"].sparql).to_dicts()[0]["actor"]
        params = {"actor": {"actor": top}, "between": {"actor": top, "other": "Syria"}, "timeline": {"actor": top},
                  "top-actors": {}, "evidence": {"subject": top, "relation": "kill", "object": "people"},
                  "article-actors": {"article": "0001.txt"}}
        for name, query in saved_queries().items():
            fast = median_time(lambda: run_query(store, query.sparql, params[name]), args.repeat, args.limit)
            slow = median_time(lambda: run_query(ds, query.sparql, params[name]), args.repeat, args.limit)
            row(f"query `{name}`", slow, fast)
        for fmt, ox_fmt in (("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)):
            slow, _ = timed(lambda: ds.serialize(format=fmt, encoding="utf-8"))
            fast, _ = timed(lambda: store.dump(format=ox_fmt))
            row(f"export {fmt}", slow, fast)
    out = ROOT / "bench" / "store_query_results.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


def _load_store(path: Path, data: bytes) -> ox.Store:
    store = ox.Store(str(path))
    store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    store.optimize()
    return store


if __name__ == "__main__":
    main()

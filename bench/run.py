"""Benchmarks of graph-builder against the parse it cannot beat, written to bench/RESULTS.md.

Run as a user would, from the repository's root (the corpus is read where it lies, at
../shared/corpus, and never copied):

    python bench/run.py             # everything: hours on 2 cores (the whole reuters set)
    python bench/run.py --quick     # small subsets, a few minutes: checks that it all runs
    python bench/run.py --sets fakes_syria:200 --memory-sizes 250 1000 --only throughput reuters
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

import spacy

import graph_builder
from graph_builder import pipeline
from graph_builder.assemble import KnowledgeGraph
from graph_builder.distributed import ordered, worker_pipeline
from graph_builder.export import FILE_NAMES, write_outputs
from graph_builder.extract import extract_all
from graph_builder.nlp import DEFAULT_MODEL, MAX_CHARS, load_pipeline, parse

ABOUT = """Every figure is measured in this one run, one after the other, so the ratios compare like with
like; the load average beside each row says how busy the machine was (other processes share its
cores, and a load above the number of cores slows everything). "spaCy parse (floor)" is the same
pipeline, batch size and number of processes, each process parsing its share and dropping the
Docs: nothing graph-builder does can be faster."""
ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = ROOT / "bench" / "RESULTS.md"
BATCH = pipeline.DEFAULT_BATCH_SIZE
FULL_FORMATS = ["turtle", "jsonl"]
T = TypeVar("T")


# -- helpers ----------------------------------------------------------------------------------


def load() -> str:
    return "{:.1f}".format(os.getloadavg()[0])


def subset_folder(name: str, limit: int | None, into: Path) -> Path:
    """A folder of symlinks to the first ``limit`` articles of a corpus set (the corpus stays where it is)."""
    source = CORPUS / name
    files = sorted(p for p in source.iterdir() if p.suffix == ".txt")[:limit]
    folder = into / f"{name}-{len(files)}"
    folder.mkdir(parents=True, exist_ok=True)
    for file in files:
        (folder / file.name).symlink_to(file)
    return folder


def words(articles: list[graph_builder.Article]) -> int:
    return sum(len(a.text.split()) for a in articles)


def _parse_only(texts: list[str], batch_size: int) -> int:
    return sum(1 for _ in worker_pipeline(DEFAULT_MODEL).pipe(texts, batch_size=batch_size))


def _textacy_svo(texts: list[str], batch_size: int) -> int:
    from textacy.extract import subject_verb_object_triples

    nlp = worker_pipeline(DEFAULT_MODEL)
    return sum(len(list(subject_verb_object_triples(doc))) for doc in nlp.pipe(texts, batch_size=batch_size))


def pooled(work: Callable[[list[str], int], int], texts: list[str], jobs: int, batch_size: int = BATCH) -> int:
    """``work`` over batches of texts in ``jobs`` processes, as graph-builder's own pool does."""
    batches = [texts[i:i + batch_size] for i in range(0, len(texts), batch_size)]
    if jobs == 1:
        return sum(work(batch, batch_size) for batch in batches)
    with ProcessPoolExecutor(jobs, initializer=worker_pipeline, initargs=(DEFAULT_MODEL,)) as pool:
        return sum(n for _, n in ordered(batches, lambda b: pool.submit(work, b, batch_size), 2 * jobs))


def _spin(n: int) -> int:
    """Pure-Python work that shares nothing between processes."""
    total = 0
    for i in range(n):
        total += i & 7
    return total


def spin(jobs: int, chunks: int = 8, n: int = 10_000_000) -> int:
    """The same loops in ``jobs`` processes: how far this machine's cores scale on their own (a
    virtual machine's two "cores" may share a physical one, or its memory bandwidth)."""
    if jobs == 1:
        return sum(_spin(n) for _ in range(chunks))
    with ProcessPoolExecutor(jobs) as pool:
        return sum(pool.map(_spin, [n] * chunks))


def spacy_n_process(texts: list[str], jobs: int) -> int:
    """What a spaCy user writes: ``nlp.pipe(n_process=jobs)``, the Docs shipped back to this process."""
    return sum(1 for _ in load_pipeline(DEFAULT_MODEL).pipe(texts, batch_size=BATCH, n_process=jobs))


def spacy_n_process_extract(articles: list[graph_builder.Article], jobs: int) -> int:
    """The alternative design: spaCy's processes parse, this process extracts from the shipped Docs."""
    nlp = load_pipeline(DEFAULT_MODEL)
    return sum(len(e.triples) for e in extract_all(parse(articles, nlp, batch_size=BATCH, n_process=jobs)))


@contextmanager
def stage_times() -> Iterator[dict[str, float]]:
    """Time the stages of ``run_build``: the extraction stream (read, parse, extract), resolve
    (which takes the stream in, so its time includes the stream's), assemble and export."""
    times: dict[str, float] = {}
    patched = [(pipeline, "extract_articles"), (pipeline, "resolve_actors"), (pipeline, "new_graph"),
               (KnowledgeGraph, "export")]
    originals = [getattr(owner, name) for owner, name in patched]

    def timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                times[name] = times.get(name, 0.0) + time.perf_counter() - started
        return wrapper

    def streamed(name: str, func: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
            started = time.perf_counter()
            try:
                yield from func(*args, **kwargs)
            finally:
                times[name] = times.get(name, 0.0) + time.perf_counter() - started
        return wrapper

    for (owner, name), original in zip(patched, originals):
        setattr(owner, name, (streamed if name == "extract_articles" else timed)(name, original))
    try:
        yield times
    finally:
        for (owner, name), original in zip(patched, originals):
            setattr(owner, name, original)


def full_build(folder: Path, out: Path, jobs: int, cache_dir: Path | None = None,
               batch_size: int = BATCH) -> tuple[float, dict[str, float], Any]:
    """``run_build`` as ``graph-builder build FOLDER -f turtle -f jsonl --jobs J`` runs it."""
    with stage_times() as times:
        seconds, (kg, report) = timed(lambda: graph_builder.run_build(
            [folder], out, formats=FULL_FORMATS, n_process=jobs, cache_dir=cache_dir, batch_size=batch_size))
    return seconds, dict(times), report


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (pool workers), user and system."""
    multiprocessing.active_children()  # reap finished workers so that their time is counted
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


CPU: dict[str, float] = {}  # CPU seconds of the last ``timed`` call


def in_turn(order: tuple[T, ...], turn: int) -> tuple[T, ...]:
    """``order`` in even turns, reversed in odd ones, so that the machine's drift within a turn
    weighs on both sides of a ratio alike."""
    return order if turn % 2 == 0 else order[::-1]


def paired(tops: list[tuple[float, ...]], bottoms: list[tuple[float, ...]], field: int = 0) -> list[float]:
    """The ratios ``top / bottom`` of runs made in the same turn (``field`` 0: seconds, 1: CPU seconds)."""
    return [top[field] / bottom[field] for top, bottom in zip(tops, bottoms)]


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    """Wall-clock seconds of ``func()`` and its value; its CPU seconds go to ``CPU["last"]``."""
    cpu, started = cpu_seconds(), time.perf_counter()
    value = func()
    wall = time.perf_counter() - started
    CPU["last"] = cpu_seconds() - cpu
    return wall, value


# -- the sections -----------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace, tmp: Path) -> None:
        self.args, self.tmp = args, tmp
        self.sections: list[str] = []
        self.targets: list[list[str]] = []

    def target(self, what: str, goal: str, measured: str, met: bool) -> None:
        self.targets.append([what, goal, measured, "met" if met else "**not met**"])

    def table(self, title: str, header: list[str], rows: list[list[Any]], note: str = "") -> None:
        lines = [f"## {title}", ""] + ([note, ""] if note else [])
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
        self.sections.append("\n".join(lines))
        print("\n" + self.sections[-1] + "\n", flush=True)

    def throughput(self) -> None:
        """Articles/s and words/s of the floor, graph-builder and textacy, on each corpus set.

        The machine's speed drifts by 10% and more from one minute to the next (other virtual
        machines share its cores), more than the margins measured here. So the three are run in
        turn, ``--turns`` times, in alternating order (floor, build, peer, then peer, build,
        floor), and each ratio is taken within one turn, between runs a minute apart at most; the
        median of these paired ratios is the figure, and every one of them is shown."""
        jobs = self.args.jobs
        rows = []
        for name, limit in self.args.sets:
            folder = subset_folder(name, limit, self.tmp)
            seconds_read, articles = timed(lambda: list(graph_builder.read_articles([folder])))
            texts = [a.text[:MAX_CHARS] for a in articles]
            n, w = len(articles), words(articles)

            def floor() -> tuple[float, float, Any]:
                seconds, _ = timed(lambda: pooled(_parse_only, texts, jobs))
                return seconds, CPU["last"], None

            def build() -> tuple[float, float, Any]:
                seconds, stages, report = full_build(folder, self.tmp / f"out-{name}", jobs)
                return seconds, CPU["last"], (stages, report)

            def peer() -> tuple[float, float, Any]:
                try:
                    seconds, svos = timed(lambda: pooled(_textacy_svo, texts, jobs))
                except ImportError:  # textacy is optional: pip install textacy
                    return float("nan"), float("nan"), 0
                return seconds, CPU["last"], svos

            turn = {"floor": floor, "build": build, "peer": peer}
            runs: dict[str, list[tuple[float, float, Any]]] = {what: [] for what in turn}
            for i in range(self.args.turns):
                for what in in_turn(tuple(turn), i):
                    runs[what].append(turn[what]())
            fastest = {what: min(found, key=lambda run: run[0]) for what, found in runs.items()}
            stages, report = fastest["build"][2]
            parse_extract = stages.get("extract_articles", 0)
            resolve_tail = stages.get("resolve_actors", 0) - parse_extract  # resolve takes the stream in
            label = f"{name} ({n:,} articles{', subset' if limit else ''}, {w:,} words)"
            notes = {
                "floor": "",
                "build": f"read+parse+extract {parse_extract:.1f} s (each article's names resolved meanwhile), "
                         f"resolve after the last article {resolve_tail:.1f} s, assemble {stages.get('new_graph', 0):.1f} s, "
                         f"RDF + Turtle + JSON Lines {stages.get('export', 0):.1f} s; {report.triples:,} triples",
                "peer": f"{fastest['peer'][2]:,} SVO triples",
            }
            ratios = {}
            for what, title in (("floor", "spaCy parse (floor)"), ("build", "graph-builder full build"),
                                ("peer", "textacy SVO (peer)")):
                wall, cpu = paired(runs["floor"], runs[what]), paired(runs["floor"], runs[what], field=1)
                ratios[what] = statistics.median(wall), statistics.median(cpu)
                seconds, cpu_seconds_, _ = fastest[what]
                rows.append([label, title, jobs, f"{seconds:.1f}", f"{cpu_seconds_:.1f}", f"{n / seconds:.1f}",
                             f"{w / seconds:,.0f}", f"**{ratios[what][0]:.2f}**", f"{ratios[what][1]:.2f}",
                             " ".join(f"{r:.2f}" for r in wall) if what != "floor" else "", load(), notes[what]])
            (wall, cpu) = ratios["build"]
            self.target(f"full build, {name}", "≥ 0.90× floor",
                        f"{wall:.2f}× (CPU {cpu:.2f}×), median of {self.args.turns} paired runs", wall >= 0.9)
            rows.append([label, "(reading the files alone)", 1, f"{seconds_read:.1f}", "", "", "", "", "", "", "", ""])
        self.table("Throughput", ["set", "what", "jobs", "seconds", "CPU s", "articles/s", "words/s", "× floor",
                                  "× floor (CPU)", "each turn's × floor", "load", "notes"],
                   rows, f"The floor, the build and the peer were run in turn {self.args.turns} times, in alternating "
                         "order. `× floor` is the median, over the turns, of the throughput (wall clock) as a share of "
                         "the floor's in the same turn: the spaCy parse with the same pipeline, batch size "
                         f"({BATCH}) and processes; `× floor (CPU)` the same for the CPU time of all processes. "
                         "Seconds, CPU seconds, articles/s and words/s are those of the fastest run. The full build "
                         "reads the files, parses, extracts, resolves, assembles and writes Turtle and JSON Lines.")

    def jobs(self) -> None:
        """Speed-up from 1 to 2 jobs, and graph-builder's pool against spaCy's ``n_process``."""
        name, limit = self.args.jobs_set
        folder = subset_folder(name, limit, self.tmp / "jobs")
        articles = list(graph_builder.read_articles([folder]))
        texts = [a.text[:MAX_CHARS] for a in articles]
        w = words(articles)
        measures: dict[str, Callable[[int], float]] = {
            "cpu": lambda jobs: timed(lambda: spin(jobs))[0],
            "floor": lambda jobs: timed(lambda: pooled(_parse_only, texts, jobs))[0],
            "build": lambda jobs: full_build(folder, self.tmp / f"out-jobs-{jobs}", jobs)[0],
            "extract": lambda jobs: timed(lambda: list(pipeline.extract_articles(articles, n_process=jobs)))[0],
            "spacy": lambda jobs: timed(lambda: spacy_n_process(texts, jobs))[0],
            "spacy-extract": lambda jobs: timed(lambda: spacy_n_process_extract(articles, jobs))[0],
        }
        runs: dict[tuple[str, int], list[tuple[float, float]]] = {}
        for i in range(self.args.repeat):  # 1 and 2 jobs side by side, in alternating order (see ``throughput``)
            for what, measure in measures.items():
                for jobs in in_turn((1, 2), i):
                    if jobs == 1 and what.startswith("spacy"):
                        continue  # spaCy's own n_process, against graph-builder's pool: 2 jobs only
                    runs.setdefault((what, jobs), []).append((measure(jobs), CPU["last"]))
        speedups = {what: statistics.median(paired(runs[what, 1], runs[what, 2])) for what, jobs in runs if jobs == 1}
        self.target("speed-up 1 → 2 jobs, full build", "≥ 1.7×",
                    f"{speedups['build']:.2f}×, median of {self.args.repeat} paired runs", speedups["build"] >= 1.7)
        rows = []
        for (what, jobs), found in sorted(runs.items(), key=lambda item: (item[0][1], list(measures).index(item[0][0]))):
            seconds, cpu = min(found)
            rows.append([{"cpu": "pure-Python loops (the machine's own scaling, no graph-builder)",
                          "floor": "spaCy parse (floor), own pool", "build": "graph-builder full build",
                          "extract": "graph-builder parse + extract (extract_articles)",
                          "spacy": "spaCy nlp.pipe(n_process), Docs shipped back",
                          "spacy-extract": "nlp.pipe(n_process) + extract in the main process"}[what],
                         jobs, f"{seconds:.1f}", f"{cpu:.1f}", "" if what == "cpu" else f"{w / seconds:,.0f}",
                         f"{speedups[what]:.2f}" if jobs == 2 and what in speedups else "", load()])
        self.table(f"Jobs: {name} ({len(articles):,} articles, {w:,} words)",
                   ["what", "jobs", "seconds", "CPU s", "words/s", "speed-up vs 1 job", "load"], rows,
                   f"Each row ran {self.args.repeat} times, 1 and 2 jobs side by side in alternating order; seconds "
                   "and CPU seconds are the fastest run's, the speed-up the median of the paired runs' ratios.")

    def batch_sizes(self) -> None:
        """Parse + extract time against the batch size (also the task size sent to each process)."""
        name, limit = self.args.batch_set
        articles = list(graph_builder.read_articles([subset_folder(name, limit, self.tmp / "batch")]))
        w = words(articles)
        rows = []
        for size in self.args.batch_sizes:
            seconds, _ = timed(lambda: list(pipeline.extract_articles(articles, n_process=self.args.jobs,
                                                                      batch_size=size)))
            rows.append([size, f"{seconds:.1f}", f"{w / seconds:,.0f}", load()])
        self.table(f"Batch size: {name} ({len(articles):,} articles, {self.args.jobs} jobs)",
                   ["batch size", "seconds", "words/s", "load"], rows)

    def reuters(self) -> None:
        """The whole reuters set: peak memory against articles, incremental rebuild, export times."""
        cache = self.tmp / "reuters-cache"
        rows = []
        runs: dict[int, dict[str, Any]] = {}
        for n in self.args.memory_sizes:
            folder = subset_folder("reuters21578", n, self.tmp / "memory")
            out = self.tmp / f"memory-out-{n}"
            args = [str(folder), "--out", str(out), "-q", "-f", "turtle", "-f", "jsonl", "--jobs", str(self.args.jobs)]
            args += ["--cache-dir", str(cache)] if n == max(self.args.memory_sizes) else ["--no-cache"]
            runs[n] = cli_peak(args)
            runs[n]["folder"], runs[n]["out"] = folder, out
            articles = len(list(folder.iterdir()))
            rows.append([f"{articles:,}", f"{runs[n]['seconds']:.1f}", f"{runs[n]['main_mib']:,.0f}",
                         f"{runs[n]['worker_mib']:,.0f}", f"{runs[n]['triples']:,}", load()])
        self.table("Peak memory of a full build (reuters21578)",
                   ["articles", "seconds", "peak RSS main process (MiB)", "peak RSS largest worker (MiB)",
                    "triples.jsonl rows", "load"], rows,
                   f"`graph-builder build FOLDER -f turtle -f jsonl --jobs {self.args.jobs}`, each in its own process; "
                   "the largest run writes the cache used below.")
        biggest = runs[max(runs)]
        whole = biggest["main_mib"] + self.args.jobs * biggest["worker_mib"]  # every process at its peak at once
        measured = (f"{whole / 1024:.2f} GiB at {max(runs):,} articles (main {biggest['main_mib']:,.0f} MiB "
                    f"+ {self.args.jobs} × the largest worker's {biggest['worker_mib']:,.0f} MiB)")
        if max(runs) >= 18552:
            self.target("peak memory, reuters21578", "≤ 2 GiB", measured, whole <= 2048)
        else:
            self.targets.append(["peak memory, reuters21578", "≤ 2 GiB", measured, "not measured on the whole set"])
        self.incremental(biggest)
        self.export_times(biggest["folder"], cache)

    def incremental(self, run: dict[str, Any]) -> None:
        """A newsroom's day: the folder built without its last 1% of articles, then those added and
        built again with the same cache; the fastest of ``--repeat`` runs, each from the same cache."""
        folder, out = run["folder"], run["out"]
        files = sorted(folder.iterdir())
        new = files[-max(1, len(files) // 100):]
        aside, cache, snapshot = self.tmp / "new-articles", self.tmp / "incremental-cache", self.tmp / "cache-99"
        aside.mkdir()
        for file in new:
            file.rename(aside / file.name)
        base = cli_peak([str(folder), "--out", str(self.tmp / "incremental-99"), "-q", "-f", "turtle", "-f", "jsonl",
                         "--jobs", str(self.args.jobs), "--cache-dir", str(cache)])
        for file in new:
            (aside / file.name).rename(file)
        shutil.copytree(cache, snapshot)
        again = self.tmp / "incremental-out"
        args = [str(folder), "--out", str(again), "-q", "-f", "turtle", "-f", "jsonl", "--jobs", str(self.args.jobs),
                "--cache-dir", str(cache)]
        runs = []
        for _ in range(self.args.repeat):
            shutil.rmtree(cache)
            shutil.copytree(snapshot, cache)
            runs.append(cli_peak(args))
            runs[-1]["same"] = all((out / FILE_NAMES[f]).read_bytes() == (again / FILE_NAMES[f]).read_bytes()
                                   for f in FULL_FORMATS)
        inc = min(runs, key=lambda r: r["seconds"])
        same = all(r["same"] for r in runs)
        times = ", ".join(f"{r['seconds']:.1f}" for r in runs)
        self.target("incremental rebuild, 1% new", "≤ 5% of the full build",
                    f"{100 * inc['seconds'] / run['seconds']:.1f}%", inc["seconds"] <= 0.05 * run["seconds"])
        self.table("Incremental rebuild (reuters21578)",
                   ["build", "articles parsed", "seconds", "share of the full build", "outputs byte-identical", "load"],
                   [["full, empty cache", f"{len(files):,}", f"{run['seconds']:.1f}", "100%", "", ""],
                    ["first 99%, empty cache", f"{len(files) - len(new):,}", f"{base['seconds']:.1f}",
                     f"{100 * base['seconds'] / run['seconds']:.1f}%", "", load()],
                    ["then the last 1% added", f"{len(new):,}", f"{inc['seconds']:.1f}",
                     f"{100 * inc['seconds'] / run['seconds']:.1f}%", "yes" if same else "NO", load()]],
                   "The folder without its last 1% of articles is built with an empty cache; the articles are "
                   "put back and the same command is run again with that cache, as a newsroom adds a day's "
                   f"news. Fastest of {len(runs)} runs ({times} s), each from a copy of the cache as the 99% "
                   "build left it. Byte-identical: every run's Turtle and JSON Lines against the full build's.")

    def export_times(self, folder: Path, cache: Path) -> None:
        """Time to write each format of the reuters graph (built from the cache)."""
        kg = graph_builder.build([folder], cache_dir=cache, n_process=self.args.jobs)
        kg.cache_dir = None  # every format written from scratch: the Turtle pieces in the cache would hide its cost
        rows = []
        seconds, graph = timed(lambda: kg.rdf)
        rows.append(["(rdflib graph, built once for the RDF formats)", f"{seconds:.1f}", f"{len(graph):,} triples", ""])
        out = self.tmp / "export-out"
        for name in FILE_NAMES:
            try:
                seconds, paths = timed(lambda: write_outputs(kg, out, [name]))
            except Exception as exc:  # noqa: BLE001 - a failing exporter is a result to report
                rows.append([name, f"failed: {type(exc).__name__}: {exc}"[:200], "", load()])
                continue
            rows.append([name, f"{seconds:.1f}", f"{paths[0].stat().st_size / 2**20:,.1f} MiB", load()])
        self.table(f"Export times ({len(kg.articles):,} reuters articles, {len(kg.triples):,} extracted triples)",
                   ["format", "seconds", "size", "load"], rows)


def cli_peak(args: list[str]) -> dict[str, Any]:
    """Run ``graph-builder build ARGS`` in a fresh process; its time and peak RSS (its own and its workers')."""
    code = (
        "import json, resource, sys, time\n"
        "from click.testing import CliRunner\n"
        "from graph_builder.cli import cli\n"
        "t = time.perf_counter()\n"
        "r = cli.main(sys.argv[1:], standalone_mode=False)\n"
        "s = time.perf_counter() - t\n"
        "hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
        "print(json.dumps({'seconds': s, 'main': int(hwm.split()[1]),"
        " 'worker': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n"
    )  # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so it would start at this process's size
    done = subprocess.run([sys.executable, "-c", code, "build", *args], capture_output=True, text=True, check=True)
    data = json.loads(done.stdout.strip().splitlines()[-1])
    out = Path(args[args.index("--out") + 1])
    return {"seconds": data["seconds"], "main_mib": data["main"] / 1024, "worker_mib": data["worker"] / 1024,
            "triples": sum(1 for _ in open(out / "triples.jsonl", encoding="utf-8"))}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
    nlp = load_pipeline(DEFAULT_MODEL)
    return "\n".join([
        f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- command: `python bench/run.py {' '.join(sys.argv[1:])}`".replace("  ", " "),
        f"- commit: {commit.strip()}{' with uncommitted changes' if dirty.strip() else ''}",
        f"- machine: {cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.platform()}",
        f"- Python {platform.python_version()}, spaCy {spacy.__version__}, pipeline {nlp.meta['name']} "
        f"{nlp.meta['version']} ({', '.join(nlp.pipe_names)}), batch size {BATCH}",
        f"- load average at the start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}",
    ])


def _set(spec: str) -> tuple[str, int | None]:
    name, _, limit = spec.partition(":")
    return name, int(limit) if limit else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="Small subsets: checks that everything runs.")
    parser.add_argument("--jobs", type=int, default=2, help="Processes for the throughput rows (default 2).")
    parser.add_argument("--sets", nargs="*", default=["fakes_syria", "bbc", "reuters21578:2000"],
                        help="Corpus sets of the throughput table, NAME or NAME:ARTICLES for the first ones.")
    parser.add_argument("--jobs-set", default="fakes_syria:384",
                        help="Set (NAME[:ARTICLES]) for 1 → 2 jobs; a multiple of 2 × 32 keeps the processes even.")
    parser.add_argument("--turns", type=int, default=5,
                        help="Turns of the throughput table, each running the floor, the build and the peer; the median "
                             "of their paired ratios counts.")
    parser.add_argument("--repeat", type=int, default=3,
                        help="Runs of each jobs-table row (the median of paired ratios counts) and of the incremental "
                             "rebuild (the fastest counts).")
    parser.add_argument("--batch-set", default="fakes_syria:160", help="Set (NAME[:ARTICLES]) for batch sizes.")
    parser.add_argument("--batch-sizes", nargs="*", type=int, default=[8, 16, 32, 64, 128])
    parser.add_argument("--memory-sizes", nargs="*", type=int, default=[1000, 5000, 18552],
                        help="Reuters articles of the memory runs; the largest is also rebuilt and exported.")
    parser.add_argument("--only", nargs="*", default=["throughput", "jobs", "reuters", "batch_sizes"],
                        help="Sections to run, in order.")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"the corpus is not at {CORPUS}")
    if args.quick:
        args.sets = ["fakes_syria:40", "bbc:40", "reuters21578:80"]
        args.jobs_set, args.batch_set = "fakes_syria:64", "fakes_syria:40"
        args.batch_sizes, args.memory_sizes = [8, 32], [50, 200]
    args.sets = [_set(spec) for spec in args.sets]
    args.jobs_set, args.batch_set = _set(args.jobs_set), _set(args.batch_set)
    header = "# Benchmarks\n\n" + machine() + "\n\n" + ABOUT
    with tempfile.TemporaryDirectory(prefix="gb-bench-") as tmp:
        bench = Bench(args, Path(tmp))
        for section in args.only:
            getattr(bench, section)()
            targets = ["## Targets", "", "| target | goal | measured | |", "|---|---|---|---|"]
            targets += ["| " + " | ".join(row) + " |" for row in bench.targets]
            args.out.write_text(header + "\n\n" + "\n".join(targets) + "\n\n" + "\n\n".join(bench.sections) + "\n",
                                encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

"""Extraction quality, recorded: CaRB dev and the project's own gold facts.

Prints the figures and rewrites ``bench/RESULTS-quality.md`` with them, the command, the
commit and the model; earlier runs are kept in the file's history table, so progress shows.

    python bench/quality.py                      # CaRB dev (641 sentences) + tests/gold
    python bench/quality.py --carb-limit 100     # a quicker CaRB slice
    python bench/quality.py --carb-extractor openie.v1 --carb-extractor svo.v1,roles.v1

CaRB is measured for the build's default extractors and for every other registered extractor
alone (an open-IE extractor may serve CaRB better than the graph's actor extractors).

Paths default to the repository's layout (``../shared`` beside the repository's root).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from graph_builder.carb import CarbReport
from graph_builder.evaluate import GoldReport, evaluate_carb, gold_predictions, load_gold, score_facts
from graph_builder.extract import DEFAULT_EXTRACTORS
from graph_builder.nlp import DEFAULT_MODEL
from graph_builder.registry import extractors as registered

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
HISTORY = "## History"
HISTORY_HEAD = ["| date | commit | CaRB F1 (extractors) | gold P | gold R | gold F1 | gold P (actors) |",
                "|---|---|---|---|---|---|---|"]


def commit_id() -> str:
    """The commit measured, marked ``+dirty`` when the working tree has uncommitted changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("+dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def gold_table(strict: GoldReport, actors: GoldReport) -> list[str]:
    rows = ["| article | facts | found | recall | predicted | correct | precision | F1 | precision (actors) |",
            "|---|---|---|---|---|---|---|---|---|"]
    for a, b in zip([*strict.articles, strict.total], [*actors.articles, actors.total]):
        rows.append(f"| {a.article} | {a.facts} | {a.found} | {a.recall:.3f} | {a.scored} | {a.correct} | "
                    f"{a.precision:.3f} | {a.f1:.3f} | {b.precision:.3f} |")
    return rows


def extractor_sets(values: list[str] | None) -> list[tuple[str, ...]]:
    """The extractor sets CaRB is measured with: as given ("a,b"), or the defaults and each other one."""
    if values:
        return [tuple(v.split(",")) for v in values]
    return [DEFAULT_EXTRACTORS, *[(name,) for name in registered.names() if name not in DEFAULT_EXTRACTORS]]


def carb_table(reports: dict[tuple[str, ...], CarbReport], limit: int | None) -> list[str]:
    rows = ["| extractors | command | precision | recall | F1 | AUC | predictions |", "|---|---|---|---|---|---|---|"]
    for names, r in reports.items():
        flags = " ".join([*(f"-x {n}" for n in names), *([f"--limit {limit}"] if limit else [])])
        rows.append(f"| {', '.join(names)} | `graph-builder evaluate --carb ../shared/benchmarks/carb {flags}` | "
                    f"{r.precision:.3f} | {r.recall:.3f} | {r.f1:.3f} | {r.auc:.3f} | {len(r.predictions)} |")
    return rows


def previous_history(path: Path) -> list[str]:
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").split(HISTORY, 1)[-1].splitlines() if HISTORY in path.read_text() else []
    return [line for line in lines if line.startswith("| ") and line not in HISTORY_HEAD]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--carb", type=Path, default=SHARED / "benchmarks" / "carb", help="CaRB folder")
    parser.add_argument("--carb-limit", type=int, default=None, help="only the first N CaRB sentences")
    parser.add_argument("--carb-extractor", action="append", metavar="NAMES",
                        help="extractor set for CaRB, comma-separated; repeat (default: see above)")
    parser.add_argument("--gold", type=Path, default=ROOT / "tests" / "gold", help="gold facts folder")
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus", help="root of corpus article paths")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS-quality.md")
    args = parser.parse_args(argv)
    if not args.carb.is_dir() or not args.corpus.is_dir():
        print(f"shared data not found ({args.carb}, {args.corpus}); nothing measured", file=sys.stderr)
        return 1

    started = time.perf_counter()
    carb = {names: evaluate_carb(args.carb, limit=args.carb_limit, model=args.model, extractors=names)
            for names in extractor_sets(args.carb_extractor)}
    golds = load_gold([args.gold])
    predictions = gold_predictions(golds, roots=[ROOT, args.corpus], model=args.model)
    strict, actors = score_facts(golds, predictions), score_facts(golds, predictions, scope="actors")
    seconds = time.perf_counter() - started
    for names, report in carb.items():
        print(f"[{', '.join(names)}] {report.format()}")
    print(strict.format())
    print(f"precision with scope=actors: {actors.total.precision:.3f}")

    s, a, commit = strict.total, actors.total, commit_id()
    command = " ".join(["python bench/quality.py", *sys.argv[1:]] if argv is None else ["python bench/quality.py", *argv])
    f1s = "; ".join(f"{'+'.join(names)} {r.f1:.3f}" for names, r in carb.items())
    history = [*previous_history(args.out),
               f"| {date.today()} | {commit} | {f1s} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {a.precision:.3f} |"]
    first = next(iter(carb.values()))
    errors = [f"| {kind} | {n} |" for kind, n in strict.error_types().items()]
    text = "\n".join([
        "# Extraction quality",
        "",
        f"Written by `{command}` on {date.today()}, commit `{commit}`, model `{args.model}`, "
        f"in {seconds:.0f} s. Targets (issue 3): CaRB dev F1 ≥ 0.52; gold recall ≥ 0.80, precision ≥ 0.85.",
        "",
        f"## CaRB (dev split: {first.sentences} sentences with gold, {first.gold_tuples} gold extractions)",
        "",
        "One record per sentence, scored on surface words by CaRB's default metric (F1 and P/R at the "
        "best confidence threshold).",
        "",
        *carb_table(carb, args.carb_limit),
        "",
        f"## Gold facts ({len(golds)} articles, {s.facts} facts: `tests/gold/`)",
        "",
        "Strict scope: every triple of a gold article is scored (`graph-builder evaluate --gold tests/gold`); "
        "the last column scores only triples between the article's gold actors (`--scope actors`).",
        "",
        *gold_table(strict, actors),
        "",
        "Misses and wrong outputs by kind (strict scope; `--verbose` lists them):",
        "",
        "| kind | count |",
        "|---|---|",
        *errors,
        "",
        HISTORY,
        "",
        *HISTORY_HEAD,
        *history,
        "",
    ])
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

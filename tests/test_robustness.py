"""Broken and hostile inputs through ``graph-builder build``, as a user meets them (issue 7).

Every input is made here, never downloaded nor copied from a corpus. One build reads a folder of
good, broken and hostile files: each bad file is named in the summary with its problem (and line,
for JSON Lines), the good articles still make the graph, and the exit status says that something
was skipped. Then the cases that need their own build: --strict, limits, a missing input, an
output folder that cannot be written and a full disk.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from rdflib import Graph

from graph_builder.cli import EXIT_SKIPPED, cli
from graph_builder.limits import MAX_SENTENCE_WORDS, sentence_breaks

GOOD = ("Rebels seize Zawiya\n\nRebel fighters seized the town of Zawiya on Monday. "
        "Khalifa Haftar rejected the initiative of the United Nations.\n")
#: Characters that must never reach a label or a literal: controls, zero-width and bidi controls.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def long_sentence(words: int = 5_000) -> str:
    """One sentence of ``words`` words: clauses joined by commas, a full stop only at the end."""
    rng = random.Random(5)
    actors = ["the army", "rebel fighters", "Khalifa Haftar", "the militia", "the United Nations", "mediators"]
    verbs = ["attacked", "rejected", "supported", "shelled", "contacted", "criticised"]
    clauses, count = [], 0
    while count < words:
        clause = f"{rng.choice(actors)} {rng.choice(verbs)} {rng.choice(actors)}"
        clauses.append(clause)
        count += len(clause.split())
    sentence = ", and ".join(clauses)
    return "A very long sentence\n\n" + sentence[0].upper() + sentence[1:] + ".\n"


def hostile_corpus(folder: Path) -> dict[str, str]:
    """Write the broken and hostile files; return ``{what the summary says: kind}``, where kind
    is ``skipped`` or ``warning`` (the summary line's first word)."""
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", GOOD)
    files: dict[str, bytes] = {
        "good.txt": GOOD.encode(),
        "feed.jsonl": "\n".join([
            json.dumps({"id": "feed-ok", "title": "Talks", "text": "Mediators contacted Fayez al-Sarraj in Tripoli."}),
            '{"id": "broken", "text": "unterminated',
            json.dumps({"id": "no-text", "title": "nothing"}),
            json.dumps({"id": "typed", "text": "The army withdrew.", "title": ["a", "list"]}),
            json.dumps({"id": "feed-ok-2", "text": "The militia attacked the convoy near Sirte."}),
        ]).encode(),
        "empty.txt": b"",
        "blank.txt": b" \n\t \r\n  \n",
        "photo.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(64),
        "archive.txt": buffer.getvalue(),
        "data.txt": gzip.compress(GOOD.encode() * 20),
        "latin1.txt": "Café talks\n\nThe mayor of Zürich rejected the offer of the militia.".encode("latin-1"),
        "windows.txt": "“Quotes” talks\n\nThe army rejected the €5 million offer — again.".encode("cp1252"),
        "utf16.txt": "Tripoli talks\n\nFayez al-Sarraj met Khalifa Haftar in Paris.".encode("utf-16"),
        "deep.json": b"[" * 50_000 + b"]" * 50_000,
        "hostile.html": ("<html><head><title>Talks fail</title><script>alert('SCRIPTTEXT')</script></head><body>"
                         "<iframe src=\"javascript:alert('IFRAMETEXT')\">IFRAMETEXT</iframe><article><p>Khalifa "
                         "Haftar rejected the plan of the United Nations on Monday, officials said in <b>Tripoli."
                         "<p onmouseover=\"alert('HANDLERTEXT')\">The militia attacked the convoy near Sirte, "
                         "residents said.<script>document.write('SCRIPTTEXT')</script></article>"
                         "<div><span>broken <i>markup</p></body>").encode(),
        "invisible.txt": ("Invisible talks\n\nKhal\u200bifa Haf\u200dtar\x07 rejected the initia\u00adtive of "
                          "the \u202eUnited Nations\u202c. السراج التقى حفتر في باريس 🙂🇱🇾. "
                          "\x1b[31mThe militia\x1b[0m attacked the convoy.").encode(),
        "nul.txt": b"Rebels seized the town.\x00\x00 The army withdrew.",
        "rtl.txt": "محادثات\n\nرفض خليفة حفتر مبادرة الأمم المتحدة. Khalifa Haftar rejected the plan 🙂.".encode(),
        "long.txt": long_sentence().encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    feed, here = folder / "feed.jsonl", str(folder)
    splits = len(sentence_breaks(files["long.txt"].decode().split("\n\n", 1)[1].strip()))
    return {
        f"{here}/empty.txt: empty file": "skipped",
        f"{here}/blank.txt: file holds only whitespace": "skipped",
        f"{here}/photo.html: binary file (PNG image), not text": "skipped",
        f"{here}/archive.txt: binary file (ZIP archive": "skipped",
        f"{here}/data.txt: binary file (gzip archive), not text": "skipped",
        f"{here}/deep.json: JSON nested too deeply": "skipped",
        f"{here}/nul.txt: binary file (contains NUL bytes), not text": "skipped",
        f"{feed}:2: JSON syntax error: Unterminated string": "skipped",
        f"{feed}:3: record has no 'text' field": "skipped",
        f"{feed}:4: field 'title' must be a string, got an array": "skipped",
        f"{here}/latin1.txt: not UTF-8: read as Windows-1252": "warning",
        f"{here}/windows.txt: not UTF-8: read as Windows-1252": "warning",
        f"{here}/utf16.txt: read as UTF-16 (byte order mark)": "warning",
        f"{here}/long.txt: {splits} over-long sentences split for the parser": "warning",
    }


def build(*args: str, **kwargs) -> Result:
    """``graph-builder build ARGS``, in this process."""
    return CliRunner().invoke(cli, ["build", *args], **kwargs)


def check_outputs(out: Path) -> dict[str, bytes]:
    """Parse every output file in ``out`` fully (RDF by rdflib and Oxigraph); return their bytes.

    A partial or corrupt file fails here: Turtle, JSON Lines, CSV and GraphML must parse, and the
    viewer must be a whole page.
    """
    found = {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}
    assert not [name for name in found if name.endswith(".tmp")], f"temporary files left in {out}: {sorted(found)}"
    if "graph.ttl" in found:
        graph = Graph().parse(data=found["graph.ttl"].decode("utf-8"), format="turtle")
        store = ox.Store()
        store.load(found["graph.ttl"], format=ox.RdfFormat.TURTLE)
        assert len(store) == len(graph) > 0
    if "triples.jsonl" in found:
        rows = [json.loads(line) for line in found["triples.jsonl"].decode("utf-8").splitlines()]
        assert all(isinstance(row, dict) and "statement" in row for row in rows)
    if "triples.csv" in found:
        table = list(csv.DictReader(io.StringIO(found["triples.csv"].decode("utf-8"))))
        assert all(row["statement"] for row in table)
    if "graph.graphml" in found:
        nx.read_graphml(io.BytesIO(found["graph.graphml"]))
    if "graph.html" in found:
        assert found["graph.html"].rstrip().endswith(b"</html>")
    return found


# ------------------------------------------------------------------- the hostile folder

@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "inbox"
    expected = hostile_corpus(folder)
    out = folder.parent / "out"
    result = build(str(folder), "--out", str(out))
    return folder, out, expected, result


def test_every_bad_file_is_named_with_its_problem(hostile):
    _, _, expected, result = hostile
    lines = result.output.splitlines()
    for said, kind in expected.items():
        assert any(line.startswith(f"{kind} {said}") for line in lines), f"no '{kind} {said}' in:\n{result.output}"
    skipped = [line for line in lines if line.startswith("skipped ")]
    assert len(skipped) == sum(kind == "skipped" for kind in expected.values())
    assert f"skipped: {len(skipped)}" in result.output


def test_the_good_articles_still_make_the_graph_and_the_status_says_some_were_skipped(hostile):
    _, out, _, result = hostile
    assert result.exit_code == EXIT_SKIPPED, result.output
    assert "articles read: 10," in result.output  # good, 2 of feed, latin1, windows, utf16, hostile, rtl, long
    check_outputs(out)
    rows = [json.loads(line) for line in (out / "triples.jsonl").read_text(encoding="utf-8").splitlines()]
    facts = {(r["subject"], r["relation"], r["object"]) for r in rows}
    assert ("Khalifa Haftar", "reject", "initiative") in facts  # good.txt
    assert {r["article"] for r in rows} >= {"good.txt", "feed-ok", "feed-ok-2", "hostile.html", "long.txt"}


def test_other_encodings_are_read_right(hostile):
    _, out, _, _ = hostile
    text = (out / "graph.ttl").read_text(encoding="utf-8")
    for words in ("Café talks", "Zürich", "“Quotes” talks", "€5 million", "Tripoli talks"):
        assert words in text
    assert "Ã" not in text and "\ufffd" not in text  # no mojibake, nothing replaced


def test_scripts_iframes_and_invisible_characters_reach_no_output(hostile):
    _, out, _, _ = hostile
    for name, data in check_outputs(out).items():
        if name == "graph.html":
            continue  # the viewer's own scripts; its escaping is tested in test_view.py
        text = data.decode("utf-8")
        for planted in ("SCRIPTTEXT", "IFRAMETEXT", "HANDLERTEXT", "javascript:"):
            assert planted not in text, (name, planted)
        assert not INVISIBLE.search(text), (name, INVISIBLE.search(text))


def test_right_to_left_text_and_emoji_are_kept(hostile):
    _, out, _, _ = hostile
    text = (out / "graph.ttl").read_text(encoding="utf-8")
    assert 'schema:headline "محادثات"' in text and "Khalifa Haftar rejected the plan 🙂." in text


def test_a_5000_word_sentence_is_split_so_no_statement_carries_it_whole(hostile):
    _, out, _, result = hostile
    rows = [json.loads(line) for line in (out / "triples.jsonl").read_text(encoding="utf-8").splitlines()]
    long_rows = [r for r in rows if r["article"] == "long.txt"]
    assert len(long_rows) > 20
    assert max(len(r["sentence"].split()) for r in long_rows) <= MAX_SENTENCE_WORDS
    assert (out / "graph.ttl").stat().st_size < 5_000_000


def test_strict_stops_at_the_first_bad_input_and_writes_nothing(hostile, tmp_path):
    folder, _, _, _ = hostile
    result = build(str(folder / "good.txt"), str(folder / "empty.txt"), str(folder / "feed.jsonl"),
                   "--out", str(tmp_path), "--strict")
    assert result.exit_code == 1
    assert f"{folder / 'empty.txt'}: empty file" in result.output and "feed.jsonl" not in result.output
    assert not (tmp_path / "graph.ttl").exists()
    line = build(str(folder / "feed.jsonl"), "--out", str(tmp_path), "--strict")
    assert line.exit_code == 1 and f"{folder / 'feed.jsonl'}:2: JSON syntax error" in line.output


def test_status_is_0_when_every_input_was_read_even_with_warnings(hostile, tmp_path):
    folder, _, _, _ = hostile
    for run in ("first", "from the cache"):
        result = build(str(folder / "good.txt"), str(folder / "latin1.txt"), "--out", str(tmp_path), "-f", "jsonl")
        assert result.exit_code == 0, (run, result.output)
        assert "skipped: 0" in result.output and f"warning {folder / 'latin1.txt'}: not UTF-8" in result.output, run


def test_a_missing_input_path_is_named_and_the_rest_is_built(hostile, tmp_path):
    folder, _, _, _ = hostile
    result = build(str(tmp_path / "nowhere"), str(folder / "good.txt"), "--out", str(tmp_path / "out"), "-f", "jsonl")
    assert result.exit_code == EXIT_SKIPPED
    assert f"skipped {tmp_path / 'nowhere'}: no such file or directory" in result.output
    assert (tmp_path / "out" / "triples.jsonl").stat().st_size > 0


def test_binary_standard_input_is_skipped():
    result = build("-", "--out", "/nonexistent-never-written", "--strict", input=b"\x89PNG\r\n\x1a\n\x00\x00")
    assert result.exit_code == 1 and "<stdin>: binary file (PNG image), not text" in result.output


# --------------------------------------------------------------------------------- limits

def test_a_20_mb_article_is_cut_and_reported(tmp_path, monkeypatch):
    import graph_builder.ingest
    import graph_builder.limits

    limit = 20_000  # the real limit, 100,000 characters, takes a minute to parse: the mechanism is the same
    monkeypatch.setattr(graph_builder.limits, "MAX_ARTICLE_CHARS", limit)
    monkeypatch.setattr(graph_builder.ingest, "MAX_ARTICLE_CHARS", limit)
    big = tmp_path / "big.txt"
    big.write_text("Huge story\n\n" + "Khalifa Haftar rejected the initiative of the United Nations.\n\n" * 330_000)
    assert big.stat().st_size > 20_000_000
    result = build(str(big), "--out", str(tmp_path / "out"), "-f", "jsonl", "-f", "turtle")
    assert result.exit_code == 0, result.output
    assert re.search(rf"warning {re.escape(str(big))}: text cut to 19,\d\d\d of 20,\d\d\d,\d\d\d characters "
                     r"\(limit: 20,000 per article\)", result.output), result.output
    rows = [json.loads(line) for line in (tmp_path / "out" / "triples.jsonl").read_text().splitlines()]
    assert rows and max(r["end"] for r in rows) <= limit


def test_a_100000_line_file(tmp_path):
    lines = ["" for _ in range(100_000)]
    for n in range(0, 100_000, 1_000):
        lines[n] = '{"text": broken'
    lines[5], lines[50_005], lines[99_999] = (json.dumps({"id": f"r{n}", "text": f"The army shelled town number {n}."})
                                              for n in (5, 50_005, 99_999))
    path = tmp_path / "lines.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = build(str(path), "--out", str(tmp_path / "out"), "-f", "jsonl")
    assert result.exit_code == EXIT_SKIPPED
    assert "articles read: 3, skipped: 100" in result.output
    assert f"skipped {path}:99001: JSON syntax error" in result.output


# ------------------------------------------------------------------------ where it is written

def test_an_output_folder_that_cannot_be_made_is_an_error_naming_it(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    usage = build(str(good), "--out", str(blocker))
    assert usage.exit_code == 2 and "blocker" in usage.output and "is a file" in usage.output
    for extra in ([], ["--no-cache"]):  # the cache folder is made first, then the output folder
        result = build(str(good), "--out", str(blocker / "out"), "-f", "jsonl", *extra)
        assert result.exit_code == 1 and str(blocker / "out") in result.output and "Not a directory" in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.fixture
def mount_point(tmp_path):
    """A small tmpfs (needs root and mount rights; skipped elsewhere), unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    point = tmp_path / "mnt"
    point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(point)], capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield point
    subprocess.run(["umount", "-l", str(point)], check=False)


def _first_build(tmp_path: Path, out: Path) -> dict[str, bytes]:
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    first = build(str(good), "--out", str(out), "-f", "turtle", "-f", "jsonl", "-f", "csv")
    assert first.exit_code == 0, first.output
    return check_outputs(out)


def test_a_read_only_output_folder_fails_cleanly_and_keeps_the_outputs(tmp_path, mount_point):
    before = _first_build(tmp_path, mount_point)
    subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)
    (tmp_path / "other.txt").write_text("Other talks\n\nThe militia attacked the convoy near Sirte.")
    for extra, problem in (([], "cannot open the extraction cache"), (["--no-cache"], "Read-only file system")):
        result = build(str(tmp_path / "other.txt"), "--out", str(mount_point), "-f", "turtle", "-f", "jsonl",
                       "-f", "csv", *extra)
        assert result.exit_code == 1 and problem in result.output and str(mount_point) in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert check_outputs(mount_point) == before


def test_a_full_disk_fails_cleanly_and_keeps_the_outputs(tmp_path, mount_point):
    before = _first_build(tmp_path, mount_point)
    with open(mount_point / "filler", "wb", buffering=0) as filler:  # fill the disk to the last block
        try:
            while True:
                filler.write(b"\0" * 4096)
        except OSError:
            pass
    (tmp_path / "other.txt").write_text("Other talks\n\n" + "The militia attacked the convoy near Sirte. " * 200)
    for extra in ([], ["--no-cache"]):  # the cache or the export meets the full disk first
        result = build(str(tmp_path / "other.txt"), "--out", str(mount_point), "-f", "turtle", "-f", "jsonl",
                       "-f", "csv", *extra)
        assert result.exit_code == 1, result.output
        assert re.search(r"No space left on device|disk is full|disk I/O error", result.output), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        outputs = check_outputs(mount_point)
        assert {k: v for k, v in outputs.items() if k != "filler"} == before


def test_a_write_over_the_file_size_limit_fails_cleanly_in_a_real_process(tmp_path):
    """The full-disk case where no tmpfs can be mounted: RLIMIT_FSIZE makes every write past
    100 kB fail (EFBIG) in a real ``graph-builder build``, as ENOSPC would."""
    out = tmp_path / "out"
    before = _first_build(tmp_path, out)
    (tmp_path / "other.txt").write_text("Other talks\n\n" + "The militia attacked the convoy near Sirte. " * 300)

    def limit_writes() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    done = subprocess.run([sys.executable, "-m", "graph_builder", "build", str(tmp_path / "other.txt"),
                           "--out", str(out), "--no-cache", "-f", "turtle", "-f", "jsonl", "-f", "csv"],
                          capture_output=True, text=True, timeout=600, preexec_fn=limit_writes)
    assert done.returncode == 1, done.stderr
    assert "File too large" in done.stderr and "graph.ttl" in done.stderr and "Traceback" not in done.stderr
    assert check_outputs(out) == before


# --------------------------------------------------------------------------- determinism

@pytest.fixture(scope="module")
def two_articles(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("two")
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b.txt").write_text("Paris talks\n\nFayez al-Sarraj met Khalifa Haftar in Paris. "
                                  "The militia attacked the convoy near Sirte.\n", encoding="utf-8")
    return folder / "a.txt", folder / "b.txt"


def test_the_same_input_gives_the_same_bytes_with_and_without_the_cache(two_articles, tmp_path):
    a, b = two_articles
    runs = [build(str(a), str(b), "--out", str(tmp_path / "out"), *extra) for extra in ([], [], ["--no-cache"])]
    assert [r.exit_code for r in runs] == [0, 0, 0]
    first = check_outputs(tmp_path / "out")
    fresh = build(str(a), str(b), "--out", str(tmp_path / "fresh"), "--no-cache")
    assert fresh.exit_code == 0 and check_outputs(tmp_path / "fresh") == first


@pytest.fixture(scope="module")
def both_orders(two_articles, tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    a, b = two_articles
    outs = []
    for order in ((a, b), (b, a)):
        out = tmp_path_factory.mktemp("order")
        assert build(*map(str, order), "--out", str(out), "--no-cache").exit_code == 0
        outs.append(check_outputs(out))
    return outs[0], outs[1]


def test_the_order_of_the_inputs_does_not_change_the_graph(both_orders):
    one, other = both_orders
    for name in ("graph.ttl", "graph.graphml", "graph.html"):
        assert one[name] == other[name], name
    for name in ("triples.jsonl", "triples.csv"):
        assert sorted(one[name].splitlines()) == sorted(other[name].splitlines()), name


def test_the_order_of_the_inputs_does_not_change_the_tables(both_orders):
    one, other = both_orders
    assert one["triples.jsonl"] == other["triples.jsonl"] and one["triples.csv"] == other["triples.csv"]


def test_a_build_removes_what_a_killed_build_left_behind(two_articles, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".graph.ttl.k1ll3d.tmp"
    stale.write_text("@prefix half: <")
    assert build(str(two_articles[0]), "--out", str(out), "-f", "turtle").exit_code == 0
    assert not stale.exists()


# -- an extractor that fails on one article costs only that article ----------------------------

def _fails_on_boom(doc, *, article, **options):
    """An extractor with a bug that only one article's text reaches."""
    if "BOOM" in doc.text:
        raise RecursionError("maximum recursion depth exceeded")
    return iter(())


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_extractor_failing_on_one_article_skips_it_and_keeps_the_rest(tmp_path, jobs):
    from graph_builder.registry import extractors

    extractors.register("fails_on_boom.test", _fails_on_boom)
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(40):  # more than one batch, so that two processes really run
        (folder / f"ok-{n:02d}.txt").write_text("Khalifa Haftar rejected the initiative.", encoding="utf-8")
    (folder / "bad.txt").write_text("BOOM. Rebels attacked the convoy.", encoding="utf-8")
    out = tmp_path / "out"
    result = build(str(folder), "--out", str(out), "-x", "svo.v1", "-x", "fails_on_boom.test", "--jobs", jobs,
                   "--batch-size", "8", "-f", "jsonl", "-f", "turtle")
    assert result.exit_code == EXIT_SKIPPED, result.output
    assert "bad.txt: extraction failed (RecursionError: maximum recursion depth exceeded)" in result.output
    rows = [json.loads(line) for line in (out / "triples.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["article"] for r in rows} == {f"ok-{n:02d}.txt" for n in range(40)}
    assert "bad.txt" not in (out / "graph.ttl").read_text(encoding="utf-8")
    strict = build(str(folder), "--out", str(tmp_path / "strict"), "-x", "fails_on_boom.test", "--strict")
    assert strict.exit_code == 1 and "bad.txt: extraction failed" in strict.output

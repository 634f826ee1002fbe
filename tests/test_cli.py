"""The command line, end to end, as a user types it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from graph_builder.cli import EXIT_SKIPPED, cli
from tests.conftest import SEED, SEEDS


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result


def test_build_writes_the_files_and_a_summary(built):
    out, result = built
    for name in ("graph.ttl", "graph.html", "triples.jsonl", "triples.csv", "graph.graphml"):
        assert (out / name).stat().st_size > 0
    assert "articles read: 1, skipped: 0" in result.output
    assert "triples:" in result.output and "wrote" in result.output


def test_query_as_table_csv_json_and_from_a_file(built, tmp_path):
    out, _ = built
    q = "SELECT ?name WHERE { ?s rel:reject ?o ; skos:prefLabel ?name }"
    runner = CliRunner()
    table = runner.invoke(cli, ["query", str(out / "graph.ttl"), q])
    assert table.exit_code == 0 and "Khalifa Haftar" in table.output
    as_csv = runner.invoke(cli, ["query", str(out / "graph.ttl"), q, "--format", "csv"])
    assert as_csv.output.splitlines()[0] == "name" and "Khalifa Haftar" in as_csv.output
    rq = tmp_path / "my.rq"
    rq.write_text(q)
    as_json = runner.invoke(cli, ["query", str(out / "graph.ttl"), "--file", str(rq), "--format", "json"])
    assert {"name": "Khalifa Haftar"} in json.loads(as_json.output)["rows"]


def test_query_errors_are_clear(built):
    out, _ = built
    runner = CliRunner()
    bad = runner.invoke(cli, ["query", str(out / "graph.ttl"), "SELECT WHERE {"])
    assert bad.exit_code == 1 and "Error" in bad.output
    neither = runner.invoke(cli, ["query", str(out / "graph.ttl")])
    assert neither.exit_code == 2


def test_build_from_stdin(tmp_path):
    result = CliRunner().invoke(cli, ["build", "-", "--out", str(tmp_path), "-f", "jsonl"],
                                input=SEED.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (tmp_path / "triples.jsonl").read_text().splitlines()]
    assert ("Khalifa Haftar", "reject", "initiative") in {(r["subject"], r["relation"], r["object"]) for r in rows}


def test_skipped_inputs_give_exit_status_3_and_strict_stops(tmp_path):
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(SEED), str(tmp_path / "nope.txt"), "--out", str(out)])
    assert result.exit_code == EXIT_SKIPPED
    assert "nope.txt" in result.output and "skipped: 1" in result.output
    assert (out / "graph.ttl").exists()
    strict = runner.invoke(cli, ["build", str(tmp_path / "nope.txt"), str(SEED), "--out", str(tmp_path / "o2"), "--strict"])
    assert strict.exit_code == 1 and "nope.txt" in strict.output
    assert not (tmp_path / "o2" / "graph.ttl").exists()


def test_unknown_model_is_named(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(SEED), "--out", str(tmp_path), "--model", "xx_nope"])
    assert result.exit_code == 1 and "xx_nope" in result.output and "installed" in result.output


def test_view_focus_writes_an_ego_network(built, tmp_path):
    out, _ = built
    target = tmp_path / "haftar.html"
    result = CliRunner().invoke(cli, ["view", str(out / "graph.graphml"), "--focus", "Khalifa Haftar",
                                      "--depth", "2", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert "Khalifa Haftar" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_python_dash_m_and_console_script(tmp_path):
    for argv in ([sys.executable, "-m", "graph_builder", "--help"], ["graph-builder", "--help"]):
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and "build" in done.stdout


def test_build_with_an_alias_file_and_chosen_extractors(tmp_path):
    aliases = tmp_path / "actors.yaml"
    aliases.write_text("- label: Khalifa Haftar\n  type: Person\n  aliases: [Haftar]\n  wikidata: Q312478\n")
    result = CliRunner().invoke(cli, ["build", str(SEED), "--out", str(tmp_path / "a"), "--aliases", str(aliases),
                                      "-f", "turtle", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "<http://www.wikidata.org/entity/Q312478>" in (tmp_path / "a" / "graph.ttl").read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(SEED), "--out", str(tmp_path / "b"), "-x", "svo.v1",
                                      "-f", "jsonl", "--no-cache"])
    rows = [json.loads(line) for line in (tmp_path / "b" / "triples.jsonl").read_text().splitlines()]
    assert rows and {r["extractor"] for r in rows} == {"svo.v1"}
    bad = CliRunner().invoke(cli, ["build", str(SEED), "--out", str(tmp_path / "c"), "-x", "nope.v9"])
    assert bad.exit_code == 1 and "nope.v9" in bad.output and "svo.v1" in bad.output

"""The Oxigraph store and the saved-query library: the same answers from a file and a store."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset

from graph_builder.cli import cli
from graph_builder.errors import QueryError
from graph_builder.export import write_outputs
from graph_builder.query import format_result, open_source, run_query
from graph_builder.saved import run_saved, saved_queries
from graph_builder.store import StoreError, open_store, write_store

ARTICLE = "000_2a969d1f2132da28.txt"
PARAMS = {
    "actor": {"actor": "Khalifa Haftar"},
    "between": {"actor": "Mustafa El Sagezli", "other": "ally"},
    "timeline": {"actor": "Khalifa Haftar"},
    "top-actors": {},
    "evidence": {"subject": "Khalifa Haftar", "relation": "reject", "object": "initiative"},
    "article-actors": {"article": ARTICLE},
}


@pytest.fixture(scope="module")
def sources(seed_graph, tmp_path_factory):
    """The seed as Turtle, TriG and an Oxigraph store: what `graph-builder query` reads."""
    out = tmp_path_factory.mktemp("seed")
    write_outputs(seed_graph, out, ["turtle", "trig"])
    write_store(seed_graph, out / "store")
    return {"turtle": open_source(out / "graph.ttl"), "trig": open_source(out / "graph.trig"),
            "store": open_source(out / "store")}


def rows(sources, name):
    return run_saved(sources["store"], name, PARAMS[name]).to_dicts()


def test_every_saved_query_is_listed_and_documented():
    assert sorted(saved_queries()) == sorted(PARAMS)
    for name, query in saved_queries().items():
        assert query.description and set(query.params) == set(PARAMS[name])


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_saved_queries_answer_alike_on_files_and_store(sources, name):
    tables = {kind: format_result(run_saved(source, name, PARAMS[name])) for kind, source in sources.items()}
    assert tables["turtle"] == tables["trig"] == tables["store"]
    assert not tables["store"].endswith("(0 rows)")


def test_actor_gives_what_haftar_did_and_had_done_to_him(sources):
    found = {(r["role"], r["relation"], r["other"], r["negated"]) for r in rows(sources, "actor")}
    assert {("subject", "reject", "initiative", "false"), ("subject", "launch", "Dignity Operation", "false"),
            ("object", "consult", "ally", "false"), ("object", "contact", "mediators", "false")} <= found
    assert {r["article"] for r in rows(sources, "actor")} == {ARTICLE}


def test_between_gives_both_directions_and_the_negation(sources):
    found = {(r["subject"], r["relation"], r["object"], r["negated"]) for r in rows(sources, "between")}
    assert ("Mustafa El Sagezli", "contact", "ally", "false") in found
    assert ("ally", "contact_back", "Mustafa El Sagezli", "false") in found  # the other way
    assert ("Mustafa El Sagezli", "name", "ally", "true") in found  # "which he did not name"
    assert all({r["subject"], r["object"]} == {"Mustafa El Sagezli", "ally"} for r in rows(sources, "between"))


def test_timeline_puts_the_sentences_date_first(sources):
    timeline = rows(sources, "timeline")
    assert (timeline[0]["date"], timeline[0]["dated_by"], timeline[0]["relation"], timeline[0]["object"]) == \
        ("2014-05", "sentence", "launch", "Dignity Operation")  # "launched Dignity Operation in May 2014"
    assert {r["date"] for r in timeline[1:]} == {"2021-04-19"} and {r["dated_by"] for r in timeline[1:]} == {"article"}


def test_top_actors_are_ranked(sources):
    top = rows(sources, "top-actors")
    assert [r["actor"] for r in top[:2]] == ["Khalifa Haftar", "Mustafa El Sagezli"]
    counts = [int(r["statements"]) for r in top]
    assert counts == sorted(counts, reverse=True) and len(top) == 10


def test_evidence_gives_the_sentence(sources):
    (row,) = rows(sources, "evidence")
    assert row["article"] == ARTICLE and row["date"] == "2021-04-19" and row["negated"] == "false"
    assert "has rejected an initiative" in row["sentence"] and 0 < float(row["confidence"]) <= 1


def test_article_actors_lists_typed_actors(sources):
    actors = {(r["actor"], r["type"]) for r in rows(sources, "article-actors")}
    assert {("Khalifa Haftar", "Person"), ("Mustafa El Sagezli", "Person"), ("Benghazi", "Place")} <= actors


@pytest.mark.parametrize("kind", ["turtle", "store"])
def test_parameters_are_values_never_query_text(sources, kind):
    evil = 'Khalifa Haftar" } UNION { ?a ?b ?c } #'
    assert run_saved(sources[kind], "actor", {"actor": evil}).rows == []
    assert run_query(sources[kind], "SELECT ?name ?s WHERE { ?s skos:prefLabel ?name }", {"name": evil}).rows == []
    assert len(run_query(sources[kind], "SELECT ?name ?s WHERE { ?s skos:prefLabel ?name }", {"name": "Khalifa Haftar"})) == 1


def test_saved_query_errors_name_the_problem(sources):
    with pytest.raises(QueryError, match="choose one of"):
        run_saved(sources["store"], "nope", {})
    with pytest.raises(QueryError, match="missing object"):
        run_saved(sources["store"], "evidence", {"subject": "a", "relation": "b"})
    with pytest.raises(QueryError, match="unknown colour"):
        run_saved(sources["store"], "actor", {"actor": "a", "colour": "b"})
    with pytest.raises(QueryError):
        run_query(sources["store"], "SELECT WHERE {")


def test_store_refuses_to_overwrite_a_folder_that_is_no_store(seed_graph, tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(StoreError, match="refusing"):
        write_store(seed_graph, tmp_path)
    assert (tmp_path / "mine.txt").read_text() == "keep me"
    with pytest.raises(StoreError, match="not an Oxigraph store"):
        open_store(tmp_path)


def test_rewriting_a_store_replaces_it(seed_graph, tmp_path):
    write_store(seed_graph, tmp_path / "db")
    write_store(seed_graph, tmp_path / "db")
    store = open_source(tmp_path / "db")
    assert len(store) == len(list(seed_graph.dataset.quads()))


def test_cli_build_store_query_list_and_saved(tmp_path):
    from tests.conftest import SEEDS

    runner = CliRunner()
    built = runner.invoke(cli, ["build", str(SEEDS), "--out", str(tmp_path / "out"), "-f", "trig",
                                "--store", str(tmp_path / "db")])
    assert built.exit_code == 0, built.output
    assert f"wrote {tmp_path / 'db'}" in built.output
    listed = runner.invoke(cli, ["query", "--list"])
    assert listed.exit_code == 0 and all(name in listed.output for name in PARAMS)
    saved = runner.invoke(cli, ["query", str(tmp_path / "db"), "--saved", "timeline", "-p", "actor=Khalifa Haftar",
                                "--format", "json"])
    assert saved.exit_code == 0, saved.output
    assert json.loads(saved.output)["rows"][0]["relation"] == "launch"
    sparql = runner.invoke(cli, ["query", str(tmp_path / "db"), "ASK { ?s rel:reject ?o }"])
    assert sparql.output.strip() == "true"
    assert runner.invoke(cli, ["query", str(tmp_path / "db"), "--saved", "actor"]).exit_code == 1
    assert runner.invoke(cli, ["query", str(tmp_path / "db"), "--saved", "actor", "-p", "actor"]).exit_code == 2
    assert runner.invoke(cli, ["query"]).exit_code == 2


def quads_of(path, fmt) -> set:
    return set(ox.parse(path=str(path), format=fmt))


def test_dump_streams_the_store_in_shards_that_hold_the_whole_dataset(seed_graph, tmp_path):
    write_store(seed_graph, tmp_path / "db")
    expected = set(open_store(tmp_path / "db"))
    runner = CliRunner()
    out = tmp_path / "dump"
    (out / "graph-00099.nq").parent.mkdir()
    (out / "graph-00099.nq").write_text("left by an earlier, bigger dump")
    done = runner.invoke(cli, ["dump", str(tmp_path / "db"), "--out", str(out), "--shard-size", "250"])
    assert done.exit_code == 0, done.output
    shards = sorted(out.glob("graph-*.nq"))
    assert [p.name for p in shards] == [f"graph-{n:05d}.nq" for n in range(1, len(shards) + 1)]
    assert len(shards) == -(-len(expected) // 250) > 1
    assert all(len(quads_of(p, ox.RdfFormat.N_QUADS)) <= 250 for p in shards)
    assert set().union(*(quads_of(p, ox.RdfFormat.N_QUADS) for p in shards)) == expected
    first = [p.read_bytes() for p in shards]
    assert runner.invoke(cli, ["dump", str(tmp_path / "db"), "--out", str(out), "--shard-size", "250"]).exit_code == 0
    assert [p.read_bytes() for p in sorted(out.glob("graph-*.nq"))] == first  # the same bytes again
    trig = runner.invoke(cli, ["dump", str(tmp_path / "db"), "--out", str(out), "-f", "trig"])
    assert trig.exit_code == 0 and quads_of(out / "graph.trig", ox.RdfFormat.TRIG) == expected
    assert len(list(Dataset().parse(out / "graph.trig", format="trig").quads())) == len(expected)  # rdflib too
    refused = runner.invoke(cli, ["dump", str(tmp_path / "db"), "--out", str(out), "-f", "trig", "--shard-size", "9"])
    assert refused.exit_code == 1 and "only N-Quads can be sharded" in refused.output


def test_the_store_holds_what_the_build_wrote(seed_graph, tmp_path):
    """write_store streams the N-Quads in chunks; the store is the TriG file, quad for quad."""
    write_store(seed_graph, tmp_path / "db")
    (trig,) = write_outputs(seed_graph, tmp_path, ["trig"])
    assert set(open_store(tmp_path / "db")) == quads_of(trig, ox.RdfFormat.TRIG)


def test_cli_validate(tmp_path, seed_graph):
    (ttl,) = write_outputs(seed_graph, tmp_path, ["turtle"])
    ok = CliRunner().invoke(cli, ["validate", str(ttl)])
    assert ok.exit_code == 0 and "conforms" in ok.output
    broken = tmp_path / "broken.ttl"
    broken.write_text(ttl.read_text(encoding="utf-8").replace("gb:confidence 0.", "gb:confidence 7."), encoding="utf-8")
    bad = CliRunner().invoke(cli, ["validate", str(broken)])
    assert bad.exit_code == 1 and "does not conform" in bad.output and "confidence" in bad.output


def test_readme_saved_query_examples_are_true():
    """The cookbook's `--saved` commands, run on output/graph.ttl, print what the README shows."""
    import re
    import shlex

    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```sh\n(graph-builder query output/graph.ttl --saved [^\n]+)\n```\n```text\n(.*?)```",
                          readme, re.S)
    assert {shlex.split(cmd)[4] for cmd, _ in examples} == set(PARAMS)
    for command, expected in examples:
        argv = shlex.split(command)[1:]
        argv[1] = str(ROOT / argv[1])
        result = CliRunner().invoke(cli, argv)
        assert result.exit_code == 0, result.output
        assert result.output.rstrip("\n") == expected.rstrip("\n"), command

"""The files of a build: every format parses back, tables hold the documented columns."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from graph_builder.assemble import TRIPLE_FIELDS
from graph_builder.errors import ExportError, UnknownPluginError
from graph_builder.export import write_outputs
from graph_builder.export.graphml import read_graphml

RDF_FILES = {"turtle": ("graph.ttl", "turtle"), "ntriples": ("graph.nt", "nt"),
             "jsonld": ("graph.jsonld", "json-ld"), "xml": ("graph.rdf", "xml")}


@pytest.mark.parametrize("fmt", sorted(RDF_FILES))
def test_rdf_formats_parse_back_identical(seed_graph, tmp_path, fmt):
    (path,) = write_outputs(seed_graph, tmp_path, [fmt])
    name, parser = RDF_FILES[fmt]
    assert path.name == name
    assert isomorphic(Graph().parse(path, format=parser), seed_graph.rdf)


def test_turtle_parses_in_oxigraph(seed_graph, tmp_path):
    import pyoxigraph

    (path,) = write_outputs(seed_graph, tmp_path, ["turtle"])
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(seed_graph.rdf)


def test_jsonl_and_csv_rows(seed_graph, tmp_path):
    jsonl, table = write_outputs(seed_graph, tmp_path, ["jsonl", "csv"])
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(seed_graph.triples)
    assert all(tuple(row) == TRIPLE_FIELDS for row in rows)
    with table.open(encoding="utf-8", newline="") as f:
        csv_rows = list(csv.DictReader(f))
    assert [r["sentence"] for r in csv_rows] == [r["sentence"] for r in rows]


def test_graphml_round_trip(seed_graph, tmp_path):
    (path,) = write_outputs(seed_graph, tmp_path, ["graphml"])
    back = read_graphml(path)
    assert back.number_of_nodes() == seed_graph.nx.number_of_nodes()
    assert back.number_of_edges() == seed_graph.nx.number_of_edges()
    haftar = str(seed_graph.actor_iri("person/khalifa-haftar"))
    assert back.nodes[haftar]["type"] == "Person"
    assert isinstance(next(iter(back.edges(data=True)))[2]["negated"], bool)


def test_outputs_are_byte_identical_when_written_twice(seed_graph, tmp_path):
    first = {p.name: p.read_bytes() for p in write_outputs(seed_graph, tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in write_outputs(seed_graph, tmp_path / "b")}
    assert first == second


def test_unknown_format_fails_before_writing(seed_graph, tmp_path):
    with pytest.raises(UnknownPluginError, match="turtle"):
        write_outputs(seed_graph, tmp_path / "x", ["turtle", "docx"])
    assert not (tmp_path / "x").exists()


def test_unwritable_folder_is_a_clear_error(seed_graph, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ExportError, match="file"):
        write_outputs(seed_graph, blocker / "out", ["turtle"])


def test_a_failing_exporter_leaves_the_previous_file_intact(seed_graph, tmp_path):
    from graph_builder.registry import exporters

    (path,) = write_outputs(seed_graph, tmp_path, ["turtle"])
    before = path.read_bytes()

    @exporters.register("broken_turtle")
    def broken(kg, stream):
        stream.write(b"@prefix half")
        raise RuntimeError("disk on fire")

    from graph_builder.export import FILE_NAMES

    FILE_NAMES["broken_turtle"] = "graph.ttl"
    try:
        with pytest.raises(RuntimeError):
            write_outputs(seed_graph, tmp_path, ["broken_turtle"])
    finally:
        del FILE_NAMES["broken_turtle"]
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


@pytest.mark.parametrize("cached", [False, True])
def test_jsonl_rows_are_the_records_even_for_articles_given_one_id_twice(tmp_path, cached):
    """Through the API two articles can share an id (``read_articles`` renames repeats): each
    triple is still one row, in the order of ``records()``, with or without the output cache."""
    from graph_builder import build_from_articles
    from graph_builder.types import Article

    kg = build_from_articles([Article("a", "Haftar rejected the initiative."), Article("a", "Rebels seized Sirte.")],
                             cache_dir=tmp_path / "cache" if cached else None)
    write_outputs(kg, tmp_path, ["jsonl", "csv"])
    rows = [json.loads(line) for line in (tmp_path / "triples.jsonl").read_text(encoding="utf-8").splitlines()]
    with (tmp_path / "triples.csv").open(encoding="utf-8") as f:
        csv_rows = list(csv.DictReader(f))
    assert len(rows) == len(kg.triples) == len(csv_rows) == 2
    assert [(r["subject"], r["relation"], r["object"]) for r in rows] == \
        [(r["subject"], r["relation"], r["object"]) for r in kg.records()]


@pytest.fixture
def parallel_from_any_size(monkeypatch):
    """Write formats in parallel whatever the graph's size (the seed graph is below ``PARALLEL_FROM``)."""
    import graph_builder.export as export

    monkeypatch.setattr(export, "PARALLEL_FROM", 0)


def test_formats_written_in_parallel_are_the_files_written_one_by_one(seed_graph, tmp_path, parallel_from_any_size):
    formats = ["turtle", "jsonl", "csv", "graphml", "nquads", "jsonld"]
    serial = {p.name: p.read_bytes() for p in write_outputs(seed_graph, tmp_path / "a", formats)}
    parallel = write_outputs(seed_graph, tmp_path / "b", formats, jobs=2)
    assert [p.name for p in parallel] == list(serial)
    assert {p.name: p.read_bytes() for p in parallel} == serial
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == sorted(serial)  # no temporary file left


@pytest.mark.parametrize("broken_first", [False, True], ids=["in-a-forked-process", "in-this-process"])
def test_a_failing_exporter_in_parallel_changes_no_output(seed_graph, tmp_path, parallel_from_any_size, broken_first):
    """A format that fails, here or in a forked process: its error is raised here, and no file
    changes, not even those of the formats that were written."""
    from graph_builder.export import FILE_NAMES
    from graph_builder.registry import exporters

    paths = write_outputs(seed_graph, tmp_path, ["turtle", "jsonl"])
    before = {p.name: p.read_bytes() for p in paths}

    @exporters.register("broken_jsonl")  # registered in this process: the forked writers see it
    def broken(kg, stream):
        stream.write(b'{"half": ')
        raise ExportError("disk on fire")

    FILE_NAMES["broken_jsonl"] = "triples.jsonl"
    try:
        with pytest.raises(ExportError, match="disk on fire"):
            formats = ["broken_jsonl", "turtle", "csv"] if broken_first else ["turtle", "broken_jsonl", "csv"]
            write_outputs(seed_graph, tmp_path, formats, jobs=2)
    finally:
        del FILE_NAMES["broken_jsonl"]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before

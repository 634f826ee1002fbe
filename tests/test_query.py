from __future__ import annotations

import json

import pytest

from graph_builder.errors import QueryError
from graph_builder.query import format_result, load_graph, run_query


def test_select_ask_construct(seed_graph):
    rows = seed_graph.query(
        "SELECT ?label WHERE { ?s rel:reject ?o ; skos:prefLabel ?label }").to_dicts()
    assert {"label": "Khalifa Haftar"} in rows
    assert seed_graph.query("ASK { ?s rel:contact ?o }").boolean is True
    built = seed_graph.query("CONSTRUCT { ?s rel:reject ?o } WHERE { ?s rel:reject ?o }")
    assert len(built) >= 1 and built.graph is not None


def test_formats(seed_graph):
    result = seed_graph.query("SELECT ?s ?o WHERE { ?s rel:reject ?o } ORDER BY ?s")
    table = format_result(result, "table")
    assert table.splitlines()[0].split() == ["s", "o"]
    assert "row" in table.splitlines()[-1]
    assert format_result(result, "csv").splitlines()[0] == "s,o"
    assert json.loads(format_result(result, "json"))["variables"] == ["s", "o"]


def test_bindings_are_values_not_text(seed_graph):
    evil = 'Khalifa Haftar" } ; DROP ALL ; { "'
    result = run_query(seed_graph.rdf, "SELECT ?s WHERE { ?s skos:prefLabel ?name }", {"name": evil})
    assert len(result) == 0
    result = run_query(seed_graph.rdf, "SELECT ?s WHERE { ?s skos:prefLabel ?name }", {"name": "Khalifa Haftar"})
    assert len(result) == 1


def test_bad_query_and_bad_file(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    with pytest.raises(QueryError, match="bad.ttl"):
        load_graph(bad)
    with pytest.raises(QueryError, match="no such file"):
        load_graph(tmp_path / "missing.ttl")
    with pytest.raises(QueryError, match="unknown RDF format"):
        load_graph(tmp_path / "graph.docx")
    good = tmp_path / "good.ttl"
    good.write_text("<urn:a> <urn:b> <urn:c> .")
    with pytest.raises(QueryError):
        run_query(load_graph(good), "SELECT WHERE {")

"""`serve` and `push` against the real Oxigraph server (PyPI oxigraph), with SPARQLWrapper as client."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from click.testing import CliRunner

from graph_builder.cli import cli
from graph_builder.export import write_outputs
from graph_builder.push import PushError, push
from graph_builder.serve import start_server, stop
from graph_builder.store import write_store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped"
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {seconds} s")


def select(endpoint: str, sparql: str) -> list[dict]:
    client = SPARQLWrapper(endpoint)
    client.setReturnFormat(JSON)
    client.setQuery(sparql)
    return client.queryAndConvert()["results"]["bindings"]


@pytest.fixture(scope="module")
def seed_files(seed_graph, tmp_path_factory):
    out = tmp_path_factory.mktemp("seed")
    write_outputs(seed_graph, out, ["turtle", "trig"])
    write_store(seed_graph, out / "store")
    return out


@pytest.fixture
def serve_process():
    """Start `graph-builder serve` as a user would; always stopped at the end."""
    started = []

    def start(target: Path) -> str:
        port = free_port()
        process = subprocess.Popen([sys.executable, "-m", "graph_builder", "serve", str(target), "--port", str(port)])
        started.append(process)
        endpoint = f"http://127.0.0.1:{port}/query"
        wait_until_up(endpoint, process)
        return endpoint

    yield start
    for process in started:
        stop(process, grace_s=20)


@pytest.fixture
def writable_server(tmp_path):
    """A read-write Oxigraph server (Graph Store Protocol at /store) on a fresh store."""
    port = free_port()
    process = start_server(tmp_path / "server", port=port, read_only=False)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/query", process)
        yield base
    finally:
        stop(process, grace_s=20)


@pytest.mark.parametrize("target", ["graph.ttl", "graph.trig", "store"])
def test_serve_answers_sparql_and_refuses_updates(seed_graph, seed_files, serve_process, target):
    endpoint = serve_process(seed_files / target)
    (row,) = select(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(row["n"]["value"]) == len(seed_graph.rdf)
    rows = select(endpoint, """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX rel: <https://w3id.org/graph-builder/rel/>
        SELECT ?what WHERE { ?s skos:prefLabel "Khalifa Haftar" ; rel:reject ?o . ?o skos:prefLabel ?what }""")
    assert [r["what"]["value"] for r in rows] == ["initiative"]
    update = SPARQLWrapper(endpoint.replace("/query", "/update"))
    update.setMethod(POST)
    update.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(Exception, match="403|Forbidden|405|not allowed"):
        update.query()
    assert select(endpoint, "SELECT * WHERE { <urn:a> ?p ?o }") == []


def test_serve_a_named_graph_per_article(seed_graph, seed_files, serve_process):
    endpoint = serve_process(seed_files / "graph.trig")
    rows = select(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert {r["g"]["value"] for r in rows} == {str(seed_graph.article_iri(a.id)) for a in seed_graph.articles}


def test_push_puts_one_graph_per_article_and_does_not_duplicate(seed_graph, seed_files, writable_server):
    quads = len(list(seed_graph.dataset.quads()))
    first = push(seed_files / "graph.trig", writable_server + "/store")
    assert first.graphs == [str(seed_graph.article_iri(a.id)) for a in seed_graph.articles]
    assert first.triples == quads
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert int(select(writable_server + "/query", count)[0]["n"]["value"]) == quads
    result = CliRunner().invoke(cli, ["push", str(seed_files / "store"), "--endpoint", writable_server + "/store"])
    assert result.exit_code == 0, result.output
    assert "pushed 1 graphs" in result.output
    assert int(select(writable_server + "/query", count)[0]["n"]["value"]) == quads


def test_push_replaces_an_articles_graph(seed_graph, seed_files, writable_server, tmp_path):
    push(seed_files / "graph.trig", writable_server + "/store")
    article = str(seed_graph.article_iri(seed_graph.articles[0].id))
    smaller = tmp_path / "one.nq"
    smaller.write_text(f'<urn:x> <urn:y> "z" <{article}> .\n', encoding="utf-8")
    push(smaller, writable_server + "/store")
    rows = select(writable_server + "/query", f"SELECT ?s WHERE {{ GRAPH <{article}> {{ ?s ?p ?o }} }}")
    assert [r["s"]["value"] for r in rows] == ["urn:x"]


def test_push_errors_name_the_endpoint(seed_files):
    port = free_port()  # nothing listens there
    with pytest.raises(PushError, match=f"127.0.0.1:{port}"):
        push(seed_files / "graph.trig", f"http://127.0.0.1:{port}/store", timeout=5)
    with pytest.raises(PushError, match="http"):
        push(seed_files / "graph.trig", "ftp://example.org/store")

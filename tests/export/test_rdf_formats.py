"""Every RDF format, for the seed and the conflict_news corpus: three parsers read the same
triples, the graph conforms to the shapes, and the bytes are the same on every write."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from graph_builder.export import FILE_NAMES, write_outputs
from graph_builder.validate import validate_graph
from tests.conftest import corpus_dir
from tests.rdf_parsers import FORMATS, counts

RDF_FORMATS = sorted(FORMATS)


def expected(kg, fmt: str) -> int:
    return len(list(kg.dataset.quads())) if FORMATS[fmt][3] else len(kg.rdf)


@pytest.fixture(scope="module")
def corpus_graph():
    import graph_builder

    return graph_builder.build([corpus_dir("conflict_news")])


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_seed_parses_alike_in_rdflib_oxigraph_and_rapper(seed_graph, tmp_path, fmt):
    (path,) = write_outputs(seed_graph, tmp_path, [fmt])
    assert path.name == FILE_NAMES[fmt]
    assert counts(path, fmt) == dict.fromkeys(("rdflib", "oxigraph", "rapper"), expected(seed_graph, fmt))


@pytest.mark.corpus
@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_corpus_parses_alike_in_rdflib_oxigraph_and_rapper(corpus_graph, tmp_path, fmt):
    (path,) = write_outputs(corpus_graph, tmp_path, [fmt])
    assert counts(path, fmt) == dict.fromkeys(("rdflib", "oxigraph", "rapper"), expected(corpus_graph, fmt))


@pytest.mark.corpus
def test_corpus_conforms_to_the_shapes(corpus_graph):
    report = validate_graph(corpus_graph.rdf)
    assert report.conforms, report.text[:3000]


def test_seed_conforms_to_the_shapes(seed_graph):
    report = validate_graph(seed_graph.rdf)
    assert report.conforms, report.text[:3000]


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_one_named_graph_per_article(seed_graph, tmp_path, fmt):
    (path,) = write_outputs(seed_graph, tmp_path, [fmt])
    ds = Dataset().parse(path, format=FORMATS[fmt][0])
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert names == {str(seed_graph.article_iri(a.id)) for a in seed_graph.articles}
    union = Graph()
    for s, p, o, _ in ds.quads():
        union.add((s, p, o))
    assert isomorphic(union, seed_graph.rdf)


@pytest.mark.corpus
def test_each_article_graph_stands_on_its_own(corpus_graph):
    """Every node an article's graph points at is described (typed) in that same graph,
    so dropping one article's graph leaves the others whole."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF

    from graph_builder.vocab import SDO

    ds = corpus_graph.dataset
    checked = 0
    for graph in ds.graphs():
        if not len(graph) or graph.identifier == ds.default_graph.identifier:
            continue
        typed = set(graph.subjects(RDF.type, None))
        for s, p, o in graph:
            if p in (RDF.type, SDO.url) or isinstance(o, Literal) or not isinstance(o, URIRef):
                continue
            assert o in typed, (graph.identifier, s, p, o)
        checked += 1
    assert checked == len(corpus_graph.articles)


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_every_format_is_byte_identical_when_rebuilt(seed_graph, tmp_path, fmt):
    import graph_builder
    from tests.conftest import SEEDS

    again = graph_builder.build([SEEDS])
    (first,) = write_outputs(seed_graph, tmp_path / "a", [fmt])
    (second,) = write_outputs(again, tmp_path / "b", [fmt])
    assert first.read_bytes() == second.read_bytes()


def test_turtle_is_readable(seed_graph, tmp_path):
    (path,) = write_outputs(seed_graph, tmp_path, ["turtle"])
    text = path.read_text(encoding="utf-8")
    assert text.startswith("@prefix gb: <https://w3id.org/graph-builder/ns#> .")
    assert " a gb:Statement ;" in text and "skos:prefLabel" in text
    assert "ns1:" not in text  # every namespace has its own prefix


def test_jsonld_uses_the_context_file(seed_graph, tmp_path):
    import json

    from graph_builder.vocab import JSONLD_CONTEXT

    (path,) = write_outputs(seed_graph, tmp_path, ["jsonld"])
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["@context"] == json.loads(JSONLD_CONTEXT.read_text(encoding="utf-8"))["@context"]
    assert isomorphic(Graph().parse(path, format="json-ld"), seed_graph.rdf)
    assert '"prefLabel": "Khalifa Haftar"' in path.read_text(encoding="utf-8")

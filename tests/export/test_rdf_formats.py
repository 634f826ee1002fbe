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


def _oxigraph_turtle(triples) -> bytes:
    """Oxigraph's own Turtle writer, laid out as ``_turtle`` lays it out: the oracle."""
    import re

    import pyoxigraph as ox

    from graph_builder.model import sorted_lines
    from graph_builder.vocab import PREFIX_IRIS

    lines = "".join(sorted_lines(triples)).encode("utf-8")
    data = ox.serialize(ox.parse(lines, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS)
    body = b"".join(line for line in data.splitlines(keepends=True) if not line.startswith(b"@prefix "))
    return re.sub(rb"\n(?=[^\t\n])", b"\n\n", b"\n" + body)[1:].replace(b"\t", b"    ")


def test_turtle_writer_writes_what_oxigraph_writes():
    """The Turtle pieces are written by graph-builder, not Oxigraph (twice as fast): for every kind
    of term, byte for byte what Oxigraph's writer gives, and what parsers read back."""
    import random

    import pyoxigraph as ox

    from graph_builder.export.rdf import _turtle
    from graph_builder.model import RDF, SKOS, XSD, text, typed
    from graph_builder.vocab import PREFIX_IRIS

    rel = PREFIX_IRIS["rel"]
    locals_ = ["", "a", "1a", "a.b", "a.", ".a", "a-", "a-b", "-a", "_a", "a_", "a:b", ":a", "a%20b", "é", "a~b",
               "a/b", "a#b", "a'b", "a(b)", "a!", "a,b", "a;b", "a=b", "a*b", "a+b", "a$b", "a&b", "a?b", "a@b",
               "\u00b7a", "a\u00b7", "a\u0300", "\u0300a", "日本", "a\u203fb", "\u203f", "%41", "0", "a..b"]
    triples = [("<urn:x:s>", "<urn:x:p>", f"<{rel}{local}>") for local in locals_]
    triples += [(f"<{rel}{local}>", RDF.type, SKOS.Concept) for local in locals_[1:]]  # as subjects too
    pool = [chr(c) for c in range(0x250)] + ["\u2028", "\u2029", "\ufeff", "\U0001f600", "\u200b", "’"]
    rng = random.Random(6)
    triples += [("<urn:x:t>", SKOS.altLabel, text("".join(rng.choices(pool, k=12)))) for _ in range(400)]
    triples += [("<urn:x:u>", "<urn:x:v>", term) for term in (
        typed("5", XSD.integer), typed("007", XSD.integer), typed("-5", XSD.integer), typed("1.50", XSD.decimal),
        typed("1.", XSD.decimal), typed(".5", XSD.decimal), typed("true", XSD.boolean), typed("0", XSD.boolean),
        typed("1e3", XSD.double), typed("2020-01-02", XSD.date), typed("2020", XSD.gYear), typed("x", XSD.string),
        typed("x", "<urn:x:type>"), '"x"@en', '"y"@en-GB', "<https://w3id.org/graph-builder/id/actor/person/a>")]
    triples += [("<urn:x:w>", "<urn:x:p>", "<urn:x:o>"), ("<urn:x:w>", "<urn:x:p>", "<urn:x:o>")]  # once
    written = _turtle(triples)
    assert written == _oxigraph_turtle(triples)
    assert written.count(b"\n\n") == len({s for s, _, _ in triples}) - 1
    prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIX_IRIS.items()).encode()
    assert len(set(ox.parse(prefixes + written, format=ox.RdfFormat.TURTLE))) == len(set(triples))
    assert _turtle([]) == b""

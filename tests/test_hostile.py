"""Hostile text: quotes, backslashes, newlines, ``>``, ``#``, ``{{``, Turtle and SPARQL syntax in
labels and literals give valid RDF, read alike by rdflib, pyoxigraph and Raptor's rapper, and never
change what a query means (issue 7). The viewer's escaping is tested in ``test_view.py``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import Namespace

import graph_builder
from graph_builder.assemble import new_graph
from graph_builder.cli import cli
from graph_builder.export import write_outputs
from graph_builder.query import open_source, run_query
from graph_builder.resolve import resolve_actors
from graph_builder.saved import run_saved
from graph_builder.types import Article, ArticleExtraction, Mention, Triple
from graph_builder.ingest import clean_text
from graph_builder.vocab import SDO, SKOS
from tests.rdf_parsers import FORMATS, counts

NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
#: Strings that break naive serialisers, parsers and string-built queries.
HOSTILE = [
    'say "no"', "it's", '"""triple quoted"""', "back\\slash", "ends with \\", "\\u0022 not a quote",
    "\\n not a newline", "line\nbreak", "carriage\r\nreturn", "tab\there", "a > b < c", "#not a comment",
    "{{template}}", "${variable}", "<x> <y> <z> .", '" ; <http://e/x> <http://e/y> "z" . #',
    "@prefix ex: <http://evil.example/> .", "_:b0", '"1"^^xsd:integer', '"en"@en',
    '"} ; DROP ALL ; INSERT DATA { <a> <b> <c> } #', "?s ?p ?o", "]]></rdf:RDF><!--", "&amp; &lt;",
    "</script><script>alert(1)</script>", "Ḥafṭar حفتر 🙂 ‏", "%00%0A", "'; --",
]


def _term(term) -> tuple:
    """An rdflib or pyoxigraph term as a comparable tuple (kind, value, datatype, language)."""
    if isinstance(term, (URIRef, ox.NamedNode)):
        return ("iri", str(term) if isinstance(term, URIRef) else term.value)
    if isinstance(term, Literal):
        return ("literal", str(term), str(term.datatype or "http://www.w3.org/2001/XMLSchema#string"),
                term.language or "")
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.datatype.value if not term.language else
                "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", term.language or "")
    assert not isinstance(term, (BNode, ox.BlankNode)), "the graph has no blank nodes"
    raise TypeError(term)


def _normal(term: tuple) -> tuple:
    """Terms as RDF 1.1 compares them: rdflib gives language-tagged literals no datatype (RDF 1.1:
    rdf:langString), and JSON-LD numbers come back in canonical form ("1.0"^^xsd:decimal is "1")."""
    if term[0] == "literal" and term[3]:
        return term[:2] + ("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", term[3])
    if term[0] == "literal" and term[2] == "http://www.w3.org/2001/XMLSchema#decimal":
        return (term[0], str(Decimal(term[1]).normalize()), term[2], term[3])
    return term


def same_triples(path: Path, fmt: str, expected: Graph) -> None:
    """rdflib and Oxigraph read the very same triples from ``path`` as ``expected`` holds."""
    want = {tuple(_normal(_term(t)) for t in triple) for triple in expected}
    parser = FORMATS[fmt][0]
    by_rdflib = {tuple(_normal(_term(t)) for t in triple) for triple in Graph().parse(path, format=parser)}
    store = ox.Store()
    store.load(path=str(path), format=FORMATS[fmt][1])
    by_oxigraph = {tuple(_normal(_term(t)) for t in (q.subject, q.predicate, q.object)) for q in store}
    assert by_rdflib == want, sorted(by_rdflib ^ want)[:5]
    assert by_oxigraph == want, sorted(by_oxigraph ^ want)[:5]


def names(n: int, value: str) -> tuple[str, str]:
    """The subject and object labels made of hostile string ``n`` (numbered, so that no two merge)."""
    return f"P{n} {value}", f"T{n} {value}"


def hostile_records_graph(base_iri: str = "https://w3id.org/graph-builder/id/"):
    """One article whose actors, sentences, relation and time texts are the hostile strings: one
    sentence "<subject> rejected <object>." for each, with the offsets of its parts."""
    text, triples = "", []
    for n, value in enumerate(HOSTILE):
        subject, obj = names(n, value)
        start = len(text)
        sentence = f"{subject} rejected {obj}."
        text += sentence + " "
        verb = start + len(subject) + 1
        triples.append(Triple(Mention(subject, start, start + len(subject), subject, "Person", True), "reject",
                              "rejected", Mention(obj, verb + 9, verb + 9 + len(obj), obj, "Thing", False),
                              "hostile", sentence, start, start + len(sentence), relation_start=verb,
                              relation_end=verb + 8, time_text=value))
    article = Article("hostile/<a> \"b\" #c {{d}}.txt", text.strip(), title=HOSTILE[15], date="2021-04-19",
                      source=HOSTILE[20], url="https://example.org/a?q=%22x%22#frag")
    triples = [replace(t, article_id=article.id) for t in triples]
    resolution = resolve_actors([ArticleExtraction(article, tuple(triples))])
    return new_graph([article], resolution.actors, resolution.triples, base_iri=base_iri)


@pytest.fixture(scope="module")
def hostile_kg():
    return hostile_records_graph()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_hostile_labels_and_literals_read_alike_in_three_parsers(hostile_kg, tmp_path, fmt):
    (path,) = write_outputs(hostile_kg, tmp_path, [fmt])
    expected = len(list(hostile_kg.dataset.quads())) if FORMATS[fmt][3] else len(hostile_kg.rdf)
    assert counts(path, fmt) == dict.fromkeys(("rdflib", "oxigraph", "rapper"), expected)
    if not FORMATS[fmt][3]:
        same_triples(path, fmt, hostile_kg.rdf)


def test_hostile_labels_and_sentences_survive_as_they_were_written(hostile_kg):
    labels = {str(o) for o in hostile_kg.rdf.objects(None, SKOS.prefLabel)}
    anchors = {str(o) for o in hostile_kg.rdf.objects(None, NIF.anchorOf)}
    for n, value in enumerate(HOSTILE):
        subject, obj = names(n, value)
        assert {subject, obj} <= labels, value
        assert f"{subject} rejected {obj}." in anchors, value


def test_hostile_metadata_through_the_real_pipeline(tmp_path):
    """Ids, titles, sources and texts read from JSON Lines, parsed, extracted and written in every format."""
    records = [{"id": f"{n}:{value}", "title": value, "source": value, "url": f"https://example.org/{n}?{value}",
                "text": f"Khalifa Haftar rejected the initiative of the United Nations, {value}, on Monday."}
               for n, value in enumerate(HOSTILE)]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    errors: list = []
    kg = graph_builder.build([feed], on_error=errors.append)
    assert errors == [] and len(kg.articles) == len(HOSTILE) and len(kg.triples) >= len(HOSTILE)
    for fmt in sorted(FORMATS):
        (path,) = write_outputs(kg, tmp_path / "out", [fmt])
        expected = len(list(kg.dataset.quads())) if FORMATS[fmt][3] else len(kg.rdf)
        assert counts(path, fmt) == dict.fromkeys(("rdflib", "oxigraph", "rapper"), expected), fmt
        if not FORMATS[fmt][3]:
            same_triples(path, fmt, kg.rdf)
    back = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    headlines = {str(o) for o in back.objects(None, SDO.headline)}
    ids = {str(o) for o in back.objects(None, SDO.identifier)}
    for n, value in enumerate(HOSTILE):
        assert " ".join(clean_text(value).split()) in headlines, value  # titles are cleaned, one line
        assert f"{n}:{value}" in ids, value


@pytest.fixture(scope="module")
def sources(hostile_kg, tmp_path_factory):
    """The hostile graph as rdflib holds it and as an Oxigraph store on disk."""
    folder = tmp_path_factory.mktemp("store") / "hostile.db"
    hostile_kg.to_store(folder)
    return {"rdflib": hostile_kg.rdf, "oxigraph": open_source(folder)}


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_saved_query_parameters_are_values_never_query_text(hostile_kg, sources, engine):
    source = sources[engine]
    before = len(run_query(source, "SELECT * WHERE { ?s ?p ?o }"))
    for n, value in enumerate(HOSTILE):
        subject, obj = names(n, value)
        rows = run_saved(source, "actor", {"actor": subject}).to_dicts()
        assert [(r["actor"], r["relation"], r["other"]) for r in rows] == [(subject, "reject", obj)], value
        between = run_saved(source, "between", {"actor": subject, "other": obj}).to_dicts()
        assert [(r["subject"], r["object"], r["sentence"]) for r in between] == [
            (subject, obj, f"{subject} rejected {obj}.")], value
    for attack in ('x" } UNION { ?a ?b ?actor } #', '" . ?a ?b ?c . FILTER("', "?actor", "*",
                   'Khalifa Haftar" } ; DROP ALL ; { "'):
        assert run_saved(source, "actor", {"actor": attack}).to_dicts() == [], attack
    assert len(run_query(source, "SELECT * WHERE { ?s ?p ?o }")) == before  # nothing was changed


def test_bindings_match_hostile_literals_exactly(hostile_kg):
    g = hostile_kg.rdf
    for n, value in enumerate(HOSTILE):
        subject, _ = names(n, value)
        rows = run_query(g, "SELECT ?a WHERE { ?a skos:prefLabel ?name ; a gb:Actor }", {"name": subject})
        assert len(rows) == 1, value
        assert run_query(g, "ASK { ?a skos:prefLabel ?name }", {"name": subject + " "}).boolean is False


def test_saved_query_from_the_command_line_with_a_hostile_parameter(hostile_kg, tmp_path):
    (path,) = write_outputs(hostile_kg, tmp_path, ["turtle"])
    label, _ = names(15, HOSTILE[15])
    result = CliRunner().invoke(cli, ["query", str(path), "--saved", "actor", "-p", f"actor={label}",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert rows and {r["actor"] for r in rows} == {label}
    attack = CliRunner().invoke(cli, ["query", str(path), "--saved", "actor",
                                      "-p", 'actor=x" } UNION { ?a ?b ?actor } #', "--format", "json"])
    assert attack.exit_code == 0 and json.loads(attack.output)["rows"] == []


@pytest.mark.parametrize("url", ["http://example.org/%zz", "http://[::1/page", "http://example.org:port/", "no-scheme"])
def test_an_article_url_that_is_no_iri_is_left_out_and_the_graph_still_reads(url, tmp_path):
    kg = new_graph([Article("a.txt", "", url=url, title="Title")], {}, [])
    (path,) = write_outputs(kg, tmp_path, ["turtle"])
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    assert not list(store.quads_for_pattern(None, ox.NamedNode("https://schema.org/url"), None))
    assert list(store.quads_for_pattern(None, ox.NamedNode("https://schema.org/headline"), ox.Literal("Title")))

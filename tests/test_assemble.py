"""The RDF and NetworkX views of the seed graph, and IRIs for hostile labels."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graph_builder.assemble import new_graph
from graph_builder.types import Actor, Article, Mention, ResolvedTriple, Triple
from graph_builder.vocab import GB, REL, SDO, SKOS

HOSTILE = ['<img src=x onerror=alert(1)>', 'a "quoted" \\ name', "حفتر", "🙂", "} . <x> <y> <z> { #", "line\nbreak"]


def test_seed_rdf_has_actors_articles_and_statements(seed_graph):
    g = seed_graph.rdf
    haftar = seed_graph.actor_iri("person/khalifa-haftar")
    assert (haftar, SKOS.prefLabel, Literal("Khalifa Haftar")) in g
    assert (haftar, None, SDO.Person) in g or (haftar, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), SDO.Person) in g
    assert any(g.triples((haftar, REL.reject, None)))
    article = seed_graph.article_iri("000_2a969d1f2132da28.txt")
    assert (article, SDO.datePublished, None) in g
    statements = set(g.subjects(predicate=None, object=GB.Statement))
    assert len(statements) == len(seed_graph.triples)


def test_networkx_view_agrees_with_records(seed_graph):
    graph = seed_graph.nx
    assert graph.number_of_edges() == len(seed_graph.triples)
    assert graph.number_of_nodes() == len(seed_graph.actors)
    node = graph.nodes[str(seed_graph.actor_iri("person/khalifa-haftar"))]
    assert node["label"] == "Khalifa Haftar" and node["type"] == "Person"
    _, _, data = next(iter(graph.edges(data=True)))
    assert {"relation", "sentence", "article", "negated", "confidence"} <= set(data)


def test_rdf_is_stable_across_builds(seed_graph):
    import graph_builder
    from tests.conftest import SEEDS

    again = graph_builder.build([SEEDS])
    assert isomorphic(seed_graph.rdf, again.rdf)


def hostile_graph(label: str, base_iri: str = "https://w3id.org/graph-builder/id/"):
    article = Article("a/b c?.txt", "text", title=label, date="2021-04-19", url="javascript:<x>")
    s = Mention(label, 0, 1, label, "Person", True)
    o = Mention(label + "2", 2, 3, label + "2", "Thing", False)
    triple = Triple(s, "re\"ject<", label, o, article.id, label, 0, 4, relation_start=1, relation_end=2,
                    negated=False, time_text=label)
    from graph_builder.resolve import resolve_actors
    from graph_builder.types import ArticleExtraction

    res = resolve_actors([ArticleExtraction(article, (triple,))])
    return new_graph([article], res.actors, res.triples, base_iri=base_iri)


@pytest.mark.parametrize("label", HOSTILE)
def test_any_label_gives_valid_rdf(label):
    kg = hostile_graph(label)
    for fmt in ("turtle", "nt", "xml", "json-ld"):
        data = kg.rdf.serialize(format=fmt)
        back = Graph().parse(data=data, format=fmt)
        assert isomorphic(back, kg.rdf), fmt
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(kg.rdf.serialize(format="nt").encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert len(store) == len(kg.rdf)


@pytest.mark.parametrize("base_iri", ["https://w3id.org/graph-builder/id/", "urn:x:news#"])
@pytest.mark.parametrize("label", HOSTILE)
def test_any_label_parses_in_every_format_and_parser(label, base_iri, tmp_path):
    from graph_builder.export import write_outputs
    from graph_builder.validate import validate_graph
    from tests.rdf_parsers import FORMATS, counts

    kg = hostile_graph(label, base_iri)
    quads = len(list(kg.dataset.quads()))
    for fmt in sorted(FORMATS):
        (path,) = write_outputs(kg, tmp_path, [fmt])
        expected = quads if FORMATS[fmt][3] else len(kg.rdf)
        assert counts(path, fmt) == dict.fromkeys(("rdflib", "oxigraph", "rapper"), expected), (fmt, label)
    assert validate_graph(kg.rdf).conforms


def test_bad_base_iri_is_refused():
    with pytest.raises(ValueError, match="base IRI"):
        new_graph([], {}, [], base_iri="not an iri")

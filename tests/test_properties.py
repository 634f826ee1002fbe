"""Property-based tests (Hypothesis) of the whole pipeline on random and adversarial text (issue 7).

Whatever the articles say, and in whatever order or grouping they come, the build does not crash,
its RDF parses (rdflib and Oxigraph) and conforms to the SHACL shapes, and the graph is the same.
Examples are few and derandomised so that the suite stays quick and repeatable; set
``GB_PROPERTY_EXAMPLES=200 GB_PROPERTY_RANDOM=1`` to search harder.
"""

from __future__ import annotations

import json
import os
import tempfile

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from graph_builder import build_from_articles
from graph_builder.errors import IngestError
from graph_builder.ingest import article_from_text
from graph_builder.types import Article
from graph_builder.validate import validate_graph
from tests.test_hostile import HOSTILE

PROPERTY = settings(
    max_examples=int(os.environ.get("GB_PROPERTY_EXAMPLES", "10")),
    derandomize=not os.environ.get("GB_PROPERTY_RANDOM"),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PEOPLE = ["Khalifa Haftar", "Fayez al-Sarraj", "Recep Tayyip Erdoğan", "Jean-Yves Le Drian", "Ghassan Salamé",
          "Aguila Saleh", "O'Brien", "Haftar"]
GROUPS = ["the army", "rebel fighters", "the United Nations", "the Libyan National Army", "mediators", "Russia",
          "the militia", "Tripoli", "the European Union"]
VERBS = ["rejected", "accepted", "attacked", "met", "did not meet", "criticised", "supported", "was attacked by",
         "contacted", "refused to accept", "agreed to withdraw from", "told"]
THINGS = ["the initiative", "the ceasefire", "the proposal", "the convoy", "Benghazi", "the talks"]

actors = st.sampled_from(PEOPLE + GROUPS)
sentence = st.builds(lambda s, v, o, tail: f"{s[0].upper()}{s[1:]} {v} {o}{tail}.",
                     actors, st.sampled_from(VERBS), st.sampled_from(PEOPLE + GROUPS + THINGS),
                     st.sampled_from(["", " on Monday", " in Sirte", ", officials said", " in May 2014"]))
#: Any text but lone surrogates (which no file or JSON string read by ingest can hold: they become U+FFFD).
noise = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
piece = st.one_of(sentence, sentence, sentence, noise, st.sampled_from(HOSTILE))
body = st.lists(piece, min_size=1, max_size=6).map(lambda parts: " ".join(parts))
texts = st.lists(st.tuples(body, st.sampled_from([" ", "\n\n"]), body).map(lambda t: t[0] + t[1] + t[2]),
                 min_size=1, max_size=4)


def as_articles(bodies: list[str], clean: bool = True) -> list[Article]:
    """Articles as ``ingest`` makes them (cleaned text; none when nothing is left), or the texts as
    they are (as ``build_from_texts`` takes them), with ids that do not depend on the order."""
    if not clean:
        return [Article(f"article-{n}", text) for n, text in enumerate(bodies)]
    articles = []
    for n, text in enumerate(bodies):
        try:
            articles.append(article_from_text(text, id=f"article-{n}"))
        except IngestError:  # nothing but white space and invisible characters
            continue
    return articles


def ntriples(graph: Graph) -> set[str]:
    """The graph's triples as N-Triples lines (there are no blank nodes: equal sets, equal graphs)."""
    return {line for line in graph.serialize(format="nt").splitlines() if line.strip()}


def records(kg) -> set[str]:
    return {json.dumps(row, sort_keys=True) for row in kg.records()}


@PROPERTY
@given(texts, st.booleans())
def test_any_text_builds_parses_and_conforms(bodies, clean):
    kg = build_from_articles(as_articles(bodies, clean))
    turtle = kg.rdf.serialize(format="turtle", encoding="utf-8")
    assert ntriples(Graph().parse(data=turtle, format="turtle")) == ntriples(kg.rdf)
    store = ox.Store()
    store.load(turtle, format=ox.RdfFormat.TURTLE)
    assert len(store) == len(kg.rdf)
    report = validate_graph(kg.rdf)
    assert report.conforms, report.text
    for row in kg.records():
        json.dumps(row)
        assert 0 <= row["start"] <= row["end"]


@PROPERTY
@given(texts.filter(lambda b: len(b) > 1), st.randoms(use_true_random=False))
def test_order_never_changes_the_graph(bodies, rng):
    articles = as_articles(bodies)
    shuffled = list(articles)
    rng.shuffle(shuffled)
    one, other = build_from_articles(articles), build_from_articles(shuffled)
    assert one.rdf.serialize(format="turtle") == other.rdf.serialize(format="turtle")
    assert list(one.records()) == list(other.records())  # the rows too, in the same order


@PROPERTY
@given(texts.filter(lambda b: len(b) > 1), st.data())
def test_grouping_through_the_cache_never_changes_the_graph(bodies, data):
    """Articles built in two runs (the first group, then all, sharing the extraction cache) give
    the graph of one run over all of them without a cache, byte for byte."""
    articles = as_articles(bodies)
    first = data.draw(st.lists(st.sampled_from(range(len(articles))), unique=True, max_size=len(articles) - 1))
    with tempfile.TemporaryDirectory() as cache:
        build_from_articles([articles[i] for i in sorted(first)], cache_dir=cache)
        merged = build_from_articles(articles, cache_dir=cache, batch_size=data.draw(st.sampled_from([1, 2, 32])))
    fresh = build_from_articles(articles)
    assert merged.rdf.serialize(format="turtle") == fresh.rdf.serialize(format="turtle")
    assert list(merged.records()) == list(fresh.records())

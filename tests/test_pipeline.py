"""End to end through the library: the user's own acceptance checks on the seed, and the corpus."""

from __future__ import annotations

import time

import pytest
from rdflib import Literal

import graph_builder
from tests.conftest import ROOT, SEEDS, corpus_dir


def facts(records):
    return {(r["subject"], r["relation"], r["object"]) for r in records}


def test_the_users_two_examples(seed_records):
    assert ("Khalifa Haftar", "reject", "initiative") in facts(seed_records)
    assert ("Mustafa El Sagezli", "contact", "ally") in facts(seed_records)


def test_haftar_and_sagezli_are_one_person_each(seed_graph):
    for name in ("Haftar", "Sagezli"):
        actors = [a for a in seed_graph.actors.values() if name in a.label or any(name in x for x in a.aliases)]
        assert len(actors) == 1, actors
        assert actors[0].type == "Person"
    assert seed_graph.actors["person/khalifa-haftar"].label == "Khalifa Haftar"
    assert seed_graph.actors["person/mustafa-el-sagezli"].label == "Mustafa El Sagezli"


def test_article_metadata_and_no_boilerplate(seed_graph):
    (article,) = seed_graph.articles
    assert article.date == "2021-04-19"
    assert article.title == "Khalifa Haftar refused initiative to end fighting in Benghazi – Source"
    everything = seed_graph.rdf.serialize(format="nt")
    for boilerplate in ("Home / Normal", "Check Also", "Ministry of Justice", "IOM", "deportation"):
        assert boilerplate not in everything
    headline = seed_graph.query("SELECT ?h WHERE { ?a schema:headline ?h }").rows[0][0]
    assert headline == Literal(article.title)


def test_no_triple_has_a_pronoun_for_an_actor(seed_records):
    pronouns = {"he", "him", "she", "her", "they", "them", "it", "which", "who", "i", "you", "we"}
    for r in seed_records:
        assert r["subject"].lower() not in pronouns and r["object"].lower() not in pronouns


def test_evidence_offsets_match_the_article_text(seed_graph, seed_records):
    assert seed_graph.articles[0].text == ""  # the graph keeps articles without their text
    (article,) = graph_builder.read_articles([SEEDS])
    text = article.text
    for r in seed_records:
        assert text[r["start"]:r["end"]] == r["sentence"]
        assert text[r["subject_start"]:r["subject_end"]] == r["subject_text"]
        assert text[r["object_start"]:r["object_end"]] == r["object_text"]


def test_build_from_texts_and_notebook_api():
    kg = graph_builder.build_from_texts({"note": "Rebels captured the town. The army shelled Aleppo."})
    assert ("army", "shell", "Aleppo") in facts(kg.records())
    assert kg.nx.number_of_edges() == len(kg.triples) == len(list(kg.records()))


def test_bad_input_is_reported_and_the_rest_is_built(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "ok.txt").write_text("A title\n\nThe army shelled Aleppo.\n")
    errors = []
    kg = graph_builder.build([tmp_path, tmp_path / "missing.txt"], on_error=errors.append)
    assert [a.id for a in kg.articles] == ["ok.txt"]
    assert any("empty.txt" in str(e) for e in errors) and any("missing.txt" in str(e) for e in errors)


@pytest.mark.corpus
def test_conflict_news_builds_without_error(tmp_path):
    folder = corpus_dir("conflict_news")
    errors = []
    started = time.perf_counter()
    kg, report = graph_builder.run_build([folder], tmp_path, strict=False)
    assert report.skipped == [] and report.articles == 100
    assert report.triples > 500 and report.actors > 300
    assert time.perf_counter() - started < 600
    for path in report.files:
        assert path.stat().st_size > 0


def test_committed_output_is_what_a_rebuild_gives(tmp_path, monkeypatch):
    """output/ is committed as built by `graph-builder build seeds/`; a rebuild is byte-identical."""
    committed = ROOT / "output"
    monkeypatch.chdir(ROOT)
    _, report = graph_builder.run_build(["seeds/"], tmp_path)
    for path in report.files:
        assert (committed / path.name).read_bytes() == path.read_bytes(), path.name

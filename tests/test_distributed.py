"""Extraction on a real Dask cluster with worker processes gives the graph of a local build."""

from __future__ import annotations

import pytest
from rdflib.compare import isomorphic

import graph_builder
from graph_builder.cache import ExtractionCache
from graph_builder.types import Article

distributed = pytest.importorskip("distributed")

#: The same people in different articles: resolution must merge them whichever worker read which.
ARTICLES = [
    Article("a1", "General Khalifa Haftar rejected the initiative. Haftar attacked Benghazi."),
    Article("a2", "Haftar met Fayez al-Sarraj in Paris. The rebels captured the town."),
    Article("a3", "Khalifa Haftar accused Fayez al-Sarraj of treason. Sarraj denied it."),
    Article("a4", "Emmanuel Macron welcomed Haftar. The army shelled Aleppo."),
    Article("a5", "Fayez al-Sarraj thanked Emmanuel Macron. Mediators contacted the ally."),
    Article("a6", "The United Nations condemned the attack on Tripoli."),
]


def _facts(kg):
    return [(r["subject_id"], r["relation"], r["object_id"], r["article"]) for r in kg.records()]


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def local_graph():
    return graph_builder.build_from_articles(ARTICLES)


def test_dask_build_is_the_local_build(client, local_graph):
    kg = graph_builder.build_from_articles(ARTICLES, dask=client.scheduler.address, batch_size=1)
    assert _facts(kg) == _facts(local_graph)
    assert kg.actors == local_graph.actors and kg.articles == local_graph.articles
    assert isomorphic(kg.rdf, local_graph.rdf)
    # one article per task: both workers took part, so resolution did merge across workers
    executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    assert len(executed) == 2 and all(count > 0 for count in executed.values())
    assert len(kg.actors["person/khalifa-haftar"].articles) >= 3  # one node from articles on both workers


def test_model_is_loaded_once_per_worker(client):
    graph_builder.build_from_articles(ARTICLES, dask=client, batch_size=2)
    graph_builder.build_from_articles(ARTICLES[:3], dask=client, batch_size=1)

    def loads() -> int:
        from graph_builder.nlp import load_pipeline

        return load_pipeline.cache_info().misses

    assert set(client.run(loads).values()) == {1}


def test_dask_with_the_cache_parses_only_new_articles(client, local_graph, tmp_path):
    graph_builder.build_from_articles(ARTICLES[:4], dask=client, cache_dir=tmp_path)
    assert len(ExtractionCache(tmp_path)) == 4
    kg = graph_builder.build_from_articles(ARTICLES, dask=client, cache_dir=tmp_path)
    assert len(ExtractionCache(tmp_path)) == 6
    assert _facts(kg) == _facts(local_graph)


def test_bad_scheduler_address_is_a_clear_error():
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        with pytest.raises(graph_builder.GraphBuilderError, match="Dask scheduler"):
            graph_builder.build_from_articles(ARTICLES[:1], dask="tcp://127.0.0.1:9")


def test_the_dask_option_of_the_command(client, tmp_path):
    from click.testing import CliRunner

    from graph_builder.cli import cli

    news = tmp_path / "news"
    news.mkdir()
    for article in ARTICLES:
        (news / f"{article.id}.txt").write_text(f"Title {article.id}\n\n{article.text}\n", encoding="utf-8")
    runner = CliRunner()
    for out, option in ((tmp_path / "dask", ["--dask", client.scheduler.address]), (tmp_path / "local", ["-j", "1"])):
        result = runner.invoke(cli, ["build", str(news), "--out", str(out), "-f", "jsonl", "--no-cache", "-q", *option])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "dask" / "triples.jsonl").read_bytes() == (tmp_path / "local" / "triples.jsonl").read_bytes()

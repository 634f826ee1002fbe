"""Scale: streaming memory, 100,000 articles, processes, and a graph that does not depend on
where or in which order articles were extracted. Speed is measured by bench/run.py, not here."""

from __future__ import annotations

import json
import random
import tracemalloc

import pytest

import graph_builder
import graph_builder.distributed as distributed
from graph_builder.assemble import new_graph
from graph_builder.distributed import ordered, without_text
from graph_builder.pipeline import extract_articles
from graph_builder.resolve import resolve_actors
from graph_builder.types import Article, ArticleExtraction, Mention, Triple
from tests.test_distributed import ARTICLES


def _records(kg):
    return list(kg.records())


@pytest.fixture
def no_parse(monkeypatch):
    """Replace parsing with a cheap stand-in: one triple per article, its actors named by the text's end."""

    def fake(batch, **work):
        out = []
        for article in batch:
            who = Mention("Rebels", 0, 6, "Rebels", "Group", named=True)
            what = Mention(article.text[-5:], 10, 15, "Town " + article.text.rstrip(".")[-3:], "Place", named=True)
            triple = Triple(who, "capture", "captured", what, article.id, "...", 0, 20)
            out.append(ArticleExtraction(without_text(article), (triple,), (who, what)))
        return out

    monkeypatch.setattr(distributed, "extract_batch", fake)


def test_memory_grows_with_the_results_not_with_the_text(no_parse, tmp_path):
    """200 MB of text streams through in a few MB: texts are dropped as soon as they are extracted."""
    count, size = 5_000, 40_000

    def articles():
        for i in range(count):
            yield Article(f"a{i}", "x" * size + f"{i % 500:05d}", title=f"Title {i}")

    list(extract_articles([Article("warm", "up")], cache_dir=tmp_path))  # load the model, import the extractors
    tracemalloc.start()
    try:
        extractions = list(extract_articles(articles(), cache_dir=tmp_path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(extractions) == count and all(e.article.text == "" for e in extractions)
    assert [e.article.id for e in extractions] == [f"a{i}" for i in range(count)]
    assert peak < 0.1 * count * size, f"peak {peak / 2**20:.0f} MiB"


def test_a_json_lines_file_of_100000_articles(no_parse, tmp_path):
    path = tmp_path / "news.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for i in range(100_000):
            stream.write(json.dumps({"id": f"n{i}", "title": f"Day {i}", "date": "2021-04-19",
                                     "text": f"Rebels captured the town {i % 1000:03d}."}) + "\n")
    kg = graph_builder.build([path])
    assert len(kg.articles) == 100_000 and len(kg.triples) == 100_000
    assert kg.articles[-1].id == "n99999" and kg.articles[-1].text == ""
    assert len(kg.actors) == 1 + 1000  # the rebels, and each town once across all the articles


def test_two_processes_give_the_graph_of_one():
    one = graph_builder.build_from_articles(ARTICLES, batch_size=2)
    two = graph_builder.build_from_articles(ARTICLES, batch_size=2, n_process=2)
    assert _records(two) == _records(one) and two.actors == one.actors and two.articles == one.articles


def test_cache_hits_and_parsed_articles_keep_the_input_order(tmp_path):
    graph_builder.build_from_articles(ARTICLES[::2], batch_size=1, cache_dir=tmp_path)
    mixed = graph_builder.build_from_articles(ARTICLES, batch_size=1, n_process=2, cache_dir=tmp_path)
    fresh = graph_builder.build_from_articles(ARTICLES)
    assert [a.id for a in mixed.articles] == [a.id for a in ARTICLES]
    assert _records(mixed) == _records(fresh) and mixed.actors == fresh.actors


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_resolution_does_not_depend_on_the_order_results_arrive_in(seed):
    """Workers finish in any order; actors are resolved by name and type, so the graph is the same."""
    extractions = list(extract_articles(ARTICLES))
    shuffled = extractions[:]
    random.Random(seed).shuffle(shuffled)
    articles = [e.article for e in extractions]
    expected, got = resolve_actors(extractions), resolve_actors(shuffled)
    assert got.actors == expected.actors
    assert _records(new_graph(articles, got.actors, got.triples)) == \
        _records(new_graph(articles, expected.actors, expected.triples))


def test_ordered_keeps_order_and_bounds_the_work_in_flight():
    futures: list[distributed.Later] = []

    def submit(n):
        futures.append(distributed.Later(lambda: n * n))
        return futures[-1]

    results = []
    for job, value in ordered(range(10), submit, window=3):
        assert sum(not f.done() for f in futures) <= 3
        results.append((job, value))
    assert results == [(n, n * n) for n in range(10)]


def test_finished_work_frees_its_place_before_it_is_handed_on():
    """The workers never wait for the consumer: once work is done, the next jobs are sent off
    even though the finished ones have not been handed on yet."""
    submitted: list[int] = []
    finished: set[int] = set()

    class Future:
        def __init__(self, n):
            self.n = n

        def done(self):
            return self.n in finished

        def result(self):
            finished.add(self.n)
            return self.n

    def submit(n):
        submitted.append(n)
        return distributed.NoWork() if n == 0 else Future(n)

    for job, _ in ordered(range(5), submit, window=2):
        if job == 0:
            assert submitted == [0, 1, 2]  # two jobs at work: the window is full
            finished.update((1, 2))  # the workers finish them while job 0 is being handed on
        if job == 1:
            assert submitted == [0, 1, 2, 3, 4]


def test_work_after_cached_jobs_is_sent_off_before_they_are_handed_on():
    """A rebuild whose new articles come last: their batch is submitted while the cached groups
    before it are still waiting to be handed on, but no more than ``ahead`` jobs wait."""
    submitted: list[int] = []

    def submit(n):
        submitted.append(n)
        return distributed.NoWork() if n < 5 else distributed.Done([n])

    for job, _ in ordered(range(6), submit, window=1):
        if job == 0:
            assert submitted == list(range(6))
    submitted.clear()
    for job, _ in ordered(range(6), submit, window=1, ahead=3):
        if job == 0:
            assert submitted == [0, 1, 2]

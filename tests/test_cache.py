"""The extraction cache: keys that change with everything that matters, and incremental builds
that parse only new or changed articles yet write the same files as a build from scratch."""

from __future__ import annotations

from dataclasses import replace

import json
import pytest
from click.testing import CliRunner

import graph_builder
import graph_builder.distributed as distributed
from graph_builder.cache import CACHE_FILE, ExtractionCache, _decode, _encode, article_key, settings_fingerprint
from graph_builder.cli import cli
from graph_builder.registry import extractors
from graph_builder.types import Article, ArticleExtraction, Mention, Triple

MODEL = graph_builder.pipeline.DEFAULT_MODEL
TEXTS = {
    "a.txt": "Haftar talks\n\nGeneral Khalifa Haftar rejected the initiative. He attacked Benghazi.",
    "b.txt": "Paris meeting\n\nHaftar met Fayez al-Sarraj in Paris. The rebels captured the town.",
    "c.txt": "Treason\n\nKhalifa Haftar accused Fayez al-Sarraj of treason.",
    "d.txt": "Aleppo\n\nThe army shelled Aleppo. Mediators contacted the ally.",
}


@pytest.fixture
def parsed(monkeypatch):
    """Ids of the articles actually parsed (in this process: use --jobs 1 / n_process=1)."""
    seen: list[str] = []
    real = distributed.extract_batch

    def counting(batch, **work):
        seen.extend(article.id for article in batch)
        return real(batch, **work)

    monkeypatch.setattr(distributed, "extract_batch", counting)
    return seen


def _write(folder, texts):
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")


def _build(*args):
    result = CliRunner().invoke(cli, ["build", *map(str, args), "--jobs", "1", "-q"])
    assert result.exit_code == 0, result.output
    return result


def test_an_extraction_comes_back_as_it_went_in(tmp_path):
    (extraction,) = distributed.extract_batch([Article("a1", TEXTS["a.txt"], title="t")], model=MODEL,
                                              extractors=["svo.v1"], batch_size=4)
    assert extraction.triples and extraction.mentions
    with ExtractionCache(tmp_path) as cache:
        cache.put_many([("k", extraction)])
    with ExtractionCache(tmp_path) as cache:
        assert cache.get("k", extraction.article) == extraction
        assert len(cache) == 1


def test_every_field_of_a_triple_comes_back():
    speaker = Mention("Sagezli", 0, 7, "Sagezli", "Person", named=True)
    triple = Triple(Mention("Haftar", 20, 26, "Haftar", "Person", True), "reject", "rejected",
                    Mention("plan", 35, 39, "plan", "Thing"), "a1", "...", 10, 40, negated=True, confidence=0.35,
                    **{k: v for k, v in {"attributed_to": speaker, "modality": "may", "cameo": "120"}.items()
                       if k in Triple.__dataclass_fields__})
    extraction = ArticleExtraction(Article("a1", ""), (triple,), (speaker,))
    assert _decode(_encode(extraction), extraction.article) == extraction


def test_the_key_changes_with_every_field_and_the_settings():
    article = Article("a1", "Rebels seized the town.", title="T", date="2021-04-19", source="s", url="u",
                      meta={"author": "x"})
    base = settings_fingerprint({"name": "core_web_sm", "version": "3.8.0"}, ["svo.v1"])
    keys = {article_key(article, base)}
    for change in ({"id": "a2"}, {"text": "Rebels seized the city."}, {"title": "T2"}, {"date": None},
                   {"source": "t"}, {"url": "v"}, {"meta": {"author": "y"}}):
        keys.add(article_key(replace(article, **change), base))
    for settings in (({"name": "core_web_sm", "version": "3.8.1"}, ["svo.v1"]),
                     ({"name": "core_web_md", "version": "3.8.0"}, ["svo.v1"]),
                     ({"name": "core_web_sm", "version": "3.8.0"}, [])):
        keys.add(article_key(article, settings_fingerprint(*settings)))
    assert len(keys) == 11
    assert article_key(article, base) == article_key(replace(article), base)  # and only with them


def test_an_extractors_code_is_part_of_the_settings():
    def first(doc, *, article):
        return iter(())

    def second(doc, *, article):
        yield from ()

    extractors.register("cache_test.v1", first)
    before = settings_fingerprint({}, ["cache_test.v1"])
    extractors.register("cache_test.v1", second)
    assert settings_fingerprint({}, ["cache_test.v1"]) != before


def test_a_grown_folder_parses_only_the_new_and_changed_articles(tmp_path, parsed):
    news, out = tmp_path / "news", tmp_path / "out"
    _write(news, dict(list(TEXTS.items())[:3]))
    _build(news, "--out", out)
    assert sorted(parsed) == ["a.txt", "b.txt", "c.txt"] and (out / ".cache" / CACHE_FILE).is_file()
    parsed.clear()
    _write(news, {"d.txt": TEXTS["d.txt"], "b.txt": TEXTS["b.txt"].replace("Paris", "Rome")})
    _build(news, "--out", out)
    assert sorted(parsed) == ["b.txt", "d.txt"]
    parsed.clear()
    _build(news, "--out", tmp_path / "fresh", "--no-cache")
    assert len(parsed) == 4 and not (tmp_path / "fresh" / ".cache").exists()
    for path in (tmp_path / "fresh").iterdir():
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name


def test_cache_dir_option_and_a_cache_shared_by_two_outputs(tmp_path, parsed):
    news = tmp_path / "news"
    _write(news, TEXTS)
    _build(news, "--out", tmp_path / "one", "--cache-dir", tmp_path / "cache", "-f", "jsonl")
    _build(news, "--out", tmp_path / "two", "--cache-dir", tmp_path / "cache", "-f", "jsonl")
    assert len(parsed) == 4 and not (tmp_path / "one" / ".cache").exists()
    assert (tmp_path / "one" / "triples.jsonl").read_bytes() == (tmp_path / "two" / "triples.jsonl").read_bytes()


def test_a_build_that_fails_midway_leaves_a_usable_cache(tmp_path, parsed):
    articles = [Article(name, text) for name, text in TEXTS.items()]

    def failing():
        yield from articles[:3]
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        graph_builder.build_from_articles(failing(), batch_size=1, cache_dir=tmp_path)
    assert len(ExtractionCache(tmp_path)) == 3  # every batch finished before the failure was committed
    parsed.clear()
    kg = graph_builder.build_from_articles(articles, batch_size=2, cache_dir=tmp_path)
    assert parsed == ["d.txt"]
    fresh = graph_builder.build_from_articles(articles, batch_size=2)
    assert list(kg.records()) == list(fresh.records()) and kg.actors == fresh.actors


def test_a_corrupt_cache_file_is_a_clear_error(tmp_path):
    (tmp_path / CACHE_FILE).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(graph_builder.GraphBuilderError, match="extraction cache"):
        graph_builder.build_from_articles([Article("a", "Rebels seized the town.")], cache_dir=tmp_path)


def _reads(monkeypatch, folder) -> list[str]:
    """Names of the files in ``folder`` whose bytes are read from now on."""
    names: list[str] = []
    real = graph_builder.ingest.Path.read_bytes

    def counting(path):
        if path.parent == folder:
            names.append(path.name)
        return real(path)

    monkeypatch.setattr(graph_builder.ingest.Path, "read_bytes", counting)
    return names


def test_unchanged_files_are_not_read_again(tmp_path, parsed, monkeypatch):
    news, out = tmp_path / "news", tmp_path / "out"
    _write(news, TEXTS)
    _build(news, "--out", out, "-f", "turtle", "-f", "jsonl")
    reads = _reads(monkeypatch, news)
    parsed.clear()
    _build(news, "--out", out, "-f", "turtle", "-f", "jsonl")
    assert reads == [] and parsed == []
    (news / "b.txt").write_text(TEXTS["b.txt"].replace("Paris", "Rome"), encoding="utf-8")
    _build(news, "--out", out, "-f", "turtle", "-f", "jsonl")
    assert reads == ["b.txt"] and parsed == ["b.txt"]
    _build(news, "--out", tmp_path / "fresh", "--no-cache", "-f", "turtle", "-f", "jsonl")
    for name in ("graph.ttl", "triples.jsonl"):
        assert (out / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name


def test_a_file_whose_extraction_left_the_cache_is_read_and_parsed_again(tmp_path, parsed):
    news, out = tmp_path / "news", tmp_path / "out"
    _write(news, TEXTS)
    _build(news, "--out", out, "-f", "jsonl")
    cache = ExtractionCache(out / ".cache")
    with cache._db:
        cache._db.execute("DELETE FROM extractions")
    cache.close()
    parsed.clear()
    _build(news, "--out", tmp_path / "again", "-f", "jsonl", "--cache-dir", out / ".cache")
    assert sorted(parsed) == sorted(TEXTS)
    assert (out / "triples.jsonl").read_bytes() == (tmp_path / "again" / "triples.jsonl").read_bytes()


def test_cached_turtle_pieces_follow_the_actors_of_new_articles(tmp_path):
    """An old article's Turtle piece comes from the cache only while its actors stay the same:
    "Erdogan" alone is a person of his own until an article names "Recep Tayyip Erdogan"."""
    news, out = tmp_path / "news", tmp_path / "out"
    _write(news, {"a.txt": "Talks\n\nErdogan rejected the proposal."})
    _build(news, "--out", out, "-f", "turtle")
    assert "person/erdogan>" in (out / "graph.ttl").read_text(encoding="utf-8")
    _write(news, {"b.txt": "Visit\n\nPresident Recep Tayyip Erdogan met the rebels in Ankara."})
    _build(news, "--out", out, "-f", "turtle")
    _build(news, "--out", tmp_path / "fresh", "--no-cache", "-f", "turtle")
    turtle = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "person/erdogan>" not in turtle and "person/recep-tayyip-erdogan>" in turtle
    assert turtle == (tmp_path / "fresh" / "graph.ttl").read_text(encoding="utf-8")


def test_cached_rows_follow_a_new_label_of_the_same_actor(tmp_path):
    """A row shows its actors' labels: when a new article makes "Erdogan" the label of the actor
    that "Erdoğan" was (the same id), the old article's cached rows are written anew."""
    news, out = tmp_path / "news", tmp_path / "out"
    _write(news, {"a.txt": "Talks\n\nErdoğan rejected the proposal."})
    _build(news, "--out", out, "-f", "jsonl", "-f", "turtle")
    assert [r["subject"] for r in _rows(out)] == ["Erdoğan"]
    _write(news, {"b.txt": "Visit\n\nErdogan met the rebels in Ankara."})
    _build(news, "--out", out, "-f", "jsonl", "-f", "turtle")
    _build(news, "--out", tmp_path / "fresh", "--no-cache", "-f", "jsonl", "-f", "turtle")
    assert {(r["article"], r["subject"]) for r in _rows(out)} == {("a.txt", "Erdogan"), ("b.txt", "Erdogan")}
    for name in ("triples.jsonl", "graph.ttl"):
        assert (out / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()


def _rows(out):
    return [json.loads(line) for line in (out / "triples.jsonl").read_text(encoding="utf-8").splitlines()]

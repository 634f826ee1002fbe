"""Orchestration: the one place where the stages meet.

    ingest → nlp → extract → resolve → assemble → (export | query | view)

Articles stream through parsing and extraction, in this process, a pool of processes or on a
Dask cluster (``distributed``), with an on-disk cache of per-article results (``cache``);
memory holds the small per-article results and text-less articles, never Docs nor texts.
Resolution and assembly then need the whole set, since an actor is resolved across articles.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, TextIO

from .assemble import KnowledgeGraph, new_graph
from .bulk import in_bulk
from .cache import CacheError, ExtractionCache, FileIndex, article_key, settings_fingerprint
from .distributed import NoWork, open_runner, ordered, without_text
from .errors import ExtractError, GraphBuilderError
from .extract import DEFAULT_EXTRACTORS
from .ingest import read_articles
from .nlp import DEFAULT_MODEL, model_id, pipeline_meta
from .aliases import AliasTable, load_aliases
from .resolve import resolve_actors
from .types import Article, ArticleExtraction, text_digest
from .vocab import DEFAULT_BASE_IRI

ProgressCallback = Callable[[int, Article], None]

#: Articles per ``nlp.pipe`` batch and per task sent to a worker (tuned in ``bench/RESULTS.md``).
DEFAULT_BATCH_SIZE = 32
#: The digest of no text: a text-less article whose digest is another's had a text (``without_text``).
_EMPTY_TEXT = text_digest(Article("", ""))
#: At most this many articles (cache hits, mostly) wait in one group before they are handed on.
MAX_GROUP = 1024


@dataclass
class BuildReport:
    """What a build did: the summary printed at the end of ``graph-builder build``."""

    articles: int = 0
    skipped: list[GraphBuilderError] = field(default_factory=list)  # unreadable inputs, failed extractions
    triples: int = 0
    actors: int = 0
    seconds: float = 0.0
    files: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"articles read: {self.articles}, skipped: {len(self.skipped)}",
            f"triples: {self.triples}, actors: {self.actors}",
            f"time: {self.seconds:.1f} s",
        ]
        lines += [f"skipped {error}" for error in self.skipped]
        lines += [f"wrote {path}" for path in self.files]
        return "\n".join(lines)


@dataclass
class _Item:
    """One article on its way: its text-less copy, its cache key and, on a cache hit, its extraction."""

    article: Article | None  # the full article while it waits to be parsed (a cache miss)
    light: Article
    key: str
    extraction: ArticleExtraction | None
    cached: str | None = None  # a cache hit's stored form, decoded when handed on


def _groups(articles: Iterable[Article], cache: ExtractionCache | None, fingerprint: str,
            size: int) -> Iterator[list[_Item]]:
    """Articles in input order, grouped so that each group has ``size`` articles to parse (or fewer, last)."""
    group: list[_Item] = []
    misses = 0
    for article in articles:
        light = without_text(article)
        key = article_key(light, fingerprint) if cache is not None else ""  # its text's digest: hashed once
        hit = cache.lookup(key) if cache is not None else None
        if hit is None and not article.text and text_digest(article) != _EMPTY_TEXT:
            raise CacheError(f"{article.id}: its text is not at hand and its extraction is no longer cached; "
                             f"build again")  # a file index entry outlived the cache's: never, but for a race
        group.append(_Item(article if hit is None else None, light, key, None, hit))
        misses += hit is None
        if misses >= size or len(group) >= MAX_GROUP:
            yield group
            group, misses = [], 0
    if group:
        yield group


def extract_articles(
    articles: Iterable[Article],
    *,
    model: str = DEFAULT_MODEL,
    extractors: Sequence[str] = DEFAULT_EXTRACTORS,
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
    progress: ProgressCallback | None = None,
    cache_dir: str | Path | None = None,
    dask: Any = None,
    on_error: Callable[[GraphBuilderError], None] | None = None,
) -> Iterator[ArticleExtraction]:
    """Parse and extract articles lazily, one ``ArticleExtraction`` per article, in input order.

    An article whose extraction fails raises ``ExtractError``, or, with ``on_error``, is
    passed to it and left out (and not cached, so that a fixed extractor tries it again).

    The extractions' articles have no text (``Article.text == ""``): the text is dropped as soon
    as it is parsed, so memory holds the small results, never the corpus. Articles are parsed in
    batches of ``batch_size`` by ``n_process`` processes, or on the Dask cluster ``dask`` (an
    address or a ``distributed.Client``); with ``cache_dir`` the extractions are looked up in and
    added to the ``ExtractionCache`` there, so only new or changed articles are parsed.
    """
    meta = pipeline_meta(model)  # the pipeline itself is loaded where it parses
    names = tuple(extractors)
    cache = ExtractionCache(cache_dir) if cache_dir is not None else None
    fingerprint = settings_fingerprint(meta, names) if cache is not None else ""
    runner = None
    try:
        groups = _groups(articles, cache, fingerprint, batch_size)
        first = list(islice(groups, 2))
        if len(first) < 2 and dask is None:
            n_process = 1  # one batch: starting processes would cost more than it saves
        runner = open_runner(model=model, extractors=names, batch_size=batch_size, n_process=n_process, dask=dask)

        def submit(group: list[_Item]) -> Any:
            batch = [item.article for item in group if item.article is not None]
            return runner.submit(batch) if batch else NoWork()

        count = 0
        for group, done in ordered(chain(first, groups), submit, runner.window):
            fresh = iter(done)
            new = []
            failed = []
            for item in group:
                if item.cached is not None:
                    item.extraction, item.cached = ExtractionCache.decode(item.cached, item.light), None
                elif item.article is not None:
                    result, item.article = next(fresh), None
                    if isinstance(result, ExtractError):
                        failed.append(result)
                    else:
                        item.extraction = result
                        new.append((item.key, result))
            if cache is not None:
                cache.put_many(new)  # committed before it is handed on: a kill loses only the batches in flight
            for error in failed:
                if on_error is None:
                    raise error
                on_error(error)
            for item in group:
                count += 1
                if progress is not None:
                    progress(count, item.light)
                if item.extraction is not None:
                    yield item.extraction
    finally:
        if runner is not None:
            runner.close()
        if cache is not None:
            cache.close()


@in_bulk
def build_from_articles(
    articles: Iterable[Article],
    *,
    model: str = DEFAULT_MODEL,
    extractors: Sequence[str] = DEFAULT_EXTRACTORS,
    base_iri: str = DEFAULT_BASE_IRI,
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
    title: str = "graph-builder",
    progress: ProgressCallback | None = None,
    cache_dir: str | Path | None = None,
    dask: Any = None,
    aliases: AliasTable | str | Path | None = None,
    on_error: Callable[[GraphBuilderError], None] | None = None,
) -> KnowledgeGraph:
    """Build the knowledge graph of ``Article`` records (options: see ``extract_articles``).

    ``aliases`` is an ``AliasTable`` or the path of an alias file (YAML or CSV, see
    ``graph_builder.aliases``) that fixes actors' labels and types and links them to Wikidata.

    Only the extractions and text-less articles are kept, so memory grows with the graph, not
    with the text. The graph does not depend on ``n_process``, ``dask`` or the cache.
    """
    table = load_aliases(aliases) if isinstance(aliases, (str, Path)) else aliases  # a bad file fails before the parse
    extractions: list[ArticleExtraction] = []
    stream = extract_articles(articles, model=model, extractors=extractors, batch_size=batch_size, n_process=n_process,
                              progress=progress, cache_dir=cache_dir, dask=dask, on_error=on_error)
    # Each article's names are resolved as it arrives, while the workers parse the next ones.
    resolution = resolve_actors(_kept(stream, extractions), aliases=table)
    return new_graph([e.article for e in extractions], resolution.actors, resolution.triples, base_iri=base_iri,
                     model=model_id(pipeline_meta(model)), title=title,
                     cache_dir=Path(cache_dir) if cache_dir is not None else None)


def _kept(items: Iterable[ArticleExtraction], into: list[ArticleExtraction]) -> Iterator[ArticleExtraction]:
    """``items``, each also appended to ``into`` as it passes."""
    for item in items:
        into.append(item)
        yield item


def build(
    inputs: Iterable[str | Path],
    *,
    on_error: Callable[[GraphBuilderError], None] | None = None,
    stdin: TextIO | None = None,
    **options,
) -> KnowledgeGraph:
    """Build the knowledge graph of files, folders (recursively) and ``-`` (standard input).

    Bad inputs raise ``IngestError`` (and articles whose extraction fails ``ExtractError``)
    unless ``on_error`` is given, in which case it is called with each error and the other
    inputs are still processed. Other keyword options are those
    of ``build_from_articles``.

    >>> kg = build(["seeds/"])                                        # doctest: +SKIP
    >>> kg.query("SELECT ?o WHERE { ?s rel:reject ?o }").to_dicts()   # doctest: +SKIP
    """
    with _file_index(options) as index:
        articles = read_articles(inputs, on_error=on_error, stdin=stdin, index=index)
        return build_from_articles(articles, on_error=on_error, **options)


@contextmanager
def _file_index(options: dict[str, Any]) -> Iterator[FileIndex | None]:
    """With a cache, the index of the files read before: a file that has not changed, and whose
    articles' extractions are all cached, is not read again."""
    if options.get("cache_dir") is None:
        yield None
        return
    meta = pipeline_meta(options.get("model", DEFAULT_MODEL))
    fingerprint = settings_fingerprint(meta, tuple(options.get("extractors", DEFAULT_EXTRACTORS)))
    with ExtractionCache(options["cache_dir"]) as cache, \
            FileIndex(options["cache_dir"], usable=lambda articles: all(cache.has(article_key(a, fingerprint))
                                                                        for a in articles)) as index:
        yield index


def build_from_texts(texts: Iterable[str] | Mapping[str, str], **options) -> KnowledgeGraph:
    """Build the knowledge graph of article texts given as strings (a list, or a dict id → text).

    Each string is taken as an article's body, as it is; to have a title and a date line
    recognised as in a file, make the articles with ``ingest.article_from_text``.

    >>> kg = build_from_texts(["Haftar rejected the initiative."])
    >>> [(r["subject"], r["relation"], r["object"]) for r in kg.records()]
    [('Haftar', 'reject', 'initiative')]
    """
    items = texts.items() if isinstance(texts, Mapping) else ((f"text-{i + 1}", t) for i, t in enumerate(texts))
    return build_from_articles((Article(id=key, text=text) for key, text in items), **options)


def run_build(
    inputs: Sequence[str | Path],
    out_dir: str | Path = "output",
    *,
    formats: Sequence[str] | None = None,
    strict: bool = False,
    stdin: TextIO | None = None,
    **options,
) -> tuple[KnowledgeGraph, BuildReport]:
    """Build and export in one call, as ``graph-builder build`` does; return the graph and a report.

    With ``strict`` the first bad input raises; otherwise it is reported and skipped.
    """
    started = time.perf_counter()
    report = BuildReport()
    kg = build(inputs, on_error=None if strict else report.skipped.append, stdin=stdin, **options)
    kg.skipped = [str(error) for error in report.skipped]
    report.files = kg.export(out_dir, formats, jobs=options.get("n_process", 1))
    report.articles, report.triples, report.actors = len(kg.articles), len(kg.triples), len(kg.actors)
    report.seconds = time.perf_counter() - started
    return kg, report

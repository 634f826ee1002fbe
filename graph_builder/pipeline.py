"""Orchestration: the one place where the stages meet.

    ingest → nlp → extract → resolve → assemble → (export | query | view)

Articles stream through parsing and extraction (memory holds per-article results, never
Docs); resolution and assembly then need the whole set, since an actor is resolved across
articles.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Sequence, TextIO

from .assemble import KnowledgeGraph, new_graph
from .errors import IngestError
from .extract import DEFAULT_EXTRACTORS, extract_all
from .ingest import read_articles
from .nlp import DEFAULT_MODEL, load_pipeline, model_id, parse
from .resolve import resolve_actors
from .types import Article, ArticleExtraction
from .vocab import DEFAULT_BASE_IRI

ProgressCallback = Callable[[int, Article], None]


@dataclass
class BuildReport:
    """What a build did: the summary printed at the end of ``graph-builder build``."""

    articles: int = 0
    skipped: list[IngestError] = field(default_factory=list)
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


def extract_articles(
    articles: Iterable[Article],
    *,
    model: str = DEFAULT_MODEL,
    extractors: Sequence[str] = DEFAULT_EXTRACTORS,
    batch_size: int = 32,
    n_process: int = 1,
    progress: ProgressCallback | None = None,
) -> Iterator[ArticleExtraction]:
    """Parse and extract articles lazily, one ``ArticleExtraction`` per article, in input order."""
    nlp = load_pipeline(model)
    for count, extraction in enumerate(
        extract_all(parse(articles, nlp, batch_size=batch_size, n_process=n_process), names=extractors), 1
    ):
        if progress is not None:
            progress(count, extraction.article)
        yield extraction


def build_from_articles(
    articles: Iterable[Article],
    *,
    model: str = DEFAULT_MODEL,
    extractors: Sequence[str] = DEFAULT_EXTRACTORS,
    base_iri: str = DEFAULT_BASE_IRI,
    batch_size: int = 32,
    n_process: int = 1,
    title: str = "graph-builder",
    progress: ProgressCallback | None = None,
) -> KnowledgeGraph:
    """Build the knowledge graph of ``Article`` records."""
    read: list[Article] = []

    def remember(stream: Iterable[Article]) -> Iterator[Article]:
        for article in stream:
            read.append(article)
            yield article

    extractions = list(
        extract_articles(remember(articles), model=model, extractors=extractors, batch_size=batch_size,
                         n_process=n_process, progress=progress)
    )
    resolution = resolve_actors(extractions)
    return new_graph(read, resolution.actors, resolution.triples, base_iri=base_iri,
                     model=model_id(load_pipeline(model)), title=title)


def build(
    inputs: Iterable[str | Path],
    *,
    on_error: Callable[[IngestError], None] | None = None,
    stdin: TextIO | None = None,
    **options,
) -> KnowledgeGraph:
    """Build the knowledge graph of files, folders (recursively) and ``-`` (standard input).

    Bad inputs raise ``IngestError`` unless ``on_error`` is given, in which case it is called
    with each error and the other inputs are still processed. Other keyword options are those
    of ``build_from_articles``.

    >>> kg = build(["seeds/"])                                        # doctest: +SKIP
    >>> kg.query("SELECT ?o WHERE { ?s rel:reject ?o }").to_dicts()   # doctest: +SKIP
    """
    return build_from_articles(read_articles(inputs, on_error=on_error, stdin=stdin), **options)


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
    report.files = kg.export(out_dir, formats)
    report.articles, report.triples, report.actors = len(kg.articles), len(kg.triples), len(kg.actors)
    report.seconds = time.perf_counter() - started
    return kg, report

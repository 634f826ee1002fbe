"""The extract stage: parsed articles in, ``ArticleExtraction`` records out.

Extractors are registered by name (``graph_builder.registry.extractors``) and share one
contract: ``(doc, *, article, **options) -> Iterator[Triple]``.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence

from spacy.tokens import Doc

from ..registry import extractors
from ..types import Article, ArticleExtraction, Triple
from ..names import spelled_out_acronyms
from .mentions import doc_entities
from .parse_index import shared_index

__all__ = ["extract_article", "extract_all", "DEFAULT_EXTRACTORS"]

DEFAULT_EXTRACTORS: tuple[str, ...] = ("svo.v1", "roles.v1")


def extract_article(doc: Doc, article: Article, *, names: Sequence[str] = DEFAULT_EXTRACTORS) -> ArticleExtraction:
    """Run the named extractors on one parsed article; duplicate triples are dropped.

    The extractors share one reading of the parse (``shared_index``), made once for the article.
    """
    seen: set[tuple] = set()
    triples: list[Triple] = []
    with shared_index(doc) as index:
        for name in names:
            for triple in extractors.get(name)(doc, article=article):
                key = (triple.subject.start, triple.subject.label, triple.relation, triple.object.start,
                       triple.object.label, triple.relation_start, triple.negated)  # "the two countries": two subjects at one place
                if key not in seen:
                    seen.add(key)
                    triples.append(triple)
        mentions = tuple(doc_entities(doc))
        acronyms = spelled_out_acronyms(index.text)  # ``doc.text`` joins every token anew
    return ArticleExtraction(article=article, triples=tuple(triples), mentions=mentions, acronyms=acronyms)


def extract_all(
    parsed: Iterable[tuple[Doc, Article]], *, names: Sequence[str] = DEFAULT_EXTRACTORS
) -> Iterator[ArticleExtraction]:
    """Lazily extract from a stream of ``(doc, article)`` pairs, as ``nlp.parse`` yields them."""
    for doc, article in parsed:
        yield extract_article(doc, article, names=names)

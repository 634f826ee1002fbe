"""Each article's piece of an output file, made once and kept in the cache folder.

The output of one article (its own nodes in Turtle, its rows in JSON Lines) depends on nothing
but its records: the article, its resolved statements, the actors it mentions (and for rows,
their labels and types), the graph's base IRI and model, and the code that writes them. Hashed
together they key the piece in a ``FragmentCache``, so that a rebuild after new articles writes
the old articles' pieces as they were, and makes only the pieces of new articles, or of
articles whose actors were resolved anew. The file is the same, byte for byte, whether a piece
came from the cache or not.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

import pyoxigraph as ox

from .. import assemble, model
from ..cache import FragmentCache, code_hash
from ..types import Mention, ResolvedTriple

if TYPE_CHECKING:
    from ..assemble import KnowledgeGraph
    from ..model import ArticlePart

#: Bytes of new pieces held before they are stored.
_SAVE_EVERY = 8 << 20
#: Bumped when what a key covers changes.
FRAGMENT_FORMAT = "gb-fragment.v2"


class Fragments:
    """The pieces of one output file: looked up in the graph's cache folder, if it has one."""

    def __init__(self, kg: "KnowledgeGraph", kind: str) -> None:
        self.cache = FragmentCache(kg.cache_dir) if kg.cache_dir is not None else None
        settings = "\0".join((FRAGMENT_FORMAT, kind, _code(), ox.__version__, kg.base_iri, kg.model))
        self.settings = hashlib.sha256(settings.encode("utf-8")).digest()
        self.made: list[tuple[str, bytes]] = []
        self.unsaved = 0  # bytes in ``made``

    def of(self, part: "ArticlePart", make: Callable[[], bytes], also: Callable[[], str] = str) -> bytes:
        """The piece of ``part``: from the cache, or made by ``make`` (and cached). ``also`` gives
        what else the piece is made from, besides the article's records and the settings."""
        if self.cache is None:
            return make()
        a = part.article
        records = repr((a.id, a.title, a.date, a.source, a.url, part.actors, [_values(rt) for rt in part.triples]))
        key = hashlib.sha256(self.settings + (records + "\0" + also()).encode("utf-8", "surrogatepass")).hexdigest()
        piece = self.cache.get(key)
        if piece is None:
            piece = make()
            self.made.append((key, piece))
            self.unsaved += len(piece)
            if self.unsaved > _SAVE_EVERY:  # memory holds a few pieces, never a whole output file
                self.save()
        return piece

    def save(self) -> None:
        """Store the pieces made so far: each is keyed by all it is made from, so it is right to keep."""
        if self.cache is not None:
            self.cache.put_many(self.made)
        self.made, self.unsaved = [], 0

    def close(self) -> None:
        """Store the pieces made and close the cache."""
        self.save()
        if self.cache is not None:
            self.cache.close()


def _values(rt: ResolvedTriple) -> tuple:
    """Every field of a resolved triple, its mentions' too, as plain values: their ``repr`` says
    all a dataclass ``repr`` would, several times faster (a rebuild keys every article of the graph)."""
    return (rt.subject_id, rt.object_id, rt.speaker_id,
            *(tuple(vars(v).values()) if isinstance(v, Mention) else v for v in vars(rt.triple).values()))


@lru_cache(maxsize=1)
def _code() -> str:
    from . import rdf, tables

    return code_hash([model, assemble, rdf, tables])

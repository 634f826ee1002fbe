"""Fewer full garbage collections while a build makes its many long-lived objects.

CPython's cyclic collector walks every tracked object at each full (oldest-generation)
collection. A build makes millions of small records (extractions, mentions, triples, RDF
terms) that all live until it ends, so full collections would walk an ever-growing heap
again and again without freeing anything: about a quarter of a cached rebuild of the Reuters
set (``bench/RESULTS.md``). Within ``bulk()`` the youngest generations are collected as
usual, so short-lived cycles are still freed at once; only full collections are rarer. The
thresholds the caller had come back afterwards, whatever happens.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from functools import wraps
from typing import Callable, Iterator, ParamSpec, TypeVar

__all__ = ["bulk", "in_bulk"]

#: The middle and oldest generations' thresholds within ``bulk()``: a full collection after
#: 100 × 100 young ones instead of 10 × 10 (CPython's defaults).
_OLD_GENERATIONS = 100

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def bulk() -> Iterator[None]:
    """Run the block with full collections a hundred times rarer; nested uses are harmless.

    >>> import gc
    >>> before = gc.get_threshold()
    >>> with bulk():
    ...     gc.get_threshold()[2] >= 100
    True
    >>> gc.get_threshold() == before
    True
    """
    young, middle, old = before = gc.get_threshold()
    gc.set_threshold(young, max(middle, _OLD_GENERATIONS), max(old, _OLD_GENERATIONS))
    try:
        yield
    finally:
        gc.set_threshold(*before)


def in_bulk(func: Callable[P, R]) -> Callable[P, R]:
    """``func`` run within ``bulk()`` (for functions that return their result whole, not generators)."""
    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with bulk():
            return func(*args, **kwargs)
    return wrapper

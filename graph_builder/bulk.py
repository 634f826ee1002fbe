"""Fewer full garbage collections while a build makes its many long-lived objects.

CPython's cyclic collector walks every tracked object at each full (oldest-generation)
collection. A build makes millions of small records (extractions, mentions, triples, RDF
terms) that all live until it ends, so full collections would walk an ever-growing heap again
and again without freeing anything: a cached rebuild of the Reuters set took 15.2–15.4 s
within ``bulk()`` against 17.4–21.9 s without. Within ``bulk()`` the youngest generation is
collected as usual, so short-lived cycles are still freed at once; the middle one is collected
ten times, the oldest a hundred times less often (on CPython 3.11–3.13, whose collector has
these three generations). The thresholds the caller had come back when the last ``bulk()``
of the process ends, whichever thread it runs in, and in processes forked meanwhile (pool
workers) at once.
"""

from __future__ import annotations

import gc
import os
import threading
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
    """Run the block with full collections a hundred times rarer; nested and concurrent uses
    (threads) are counted, and the caller's thresholds come back when the last one ends.

    >>> import gc
    >>> before = gc.get_threshold()
    >>> with bulk():
    ...     gc.get_threshold()[2] >= 100
    True
    >>> gc.get_threshold() == before
    True
    """
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = young, middle, old = gc.get_threshold()
            gc.set_threshold(young, max(middle, _OLD_GENERATIONS), max(old, _OLD_GENERATIONS))
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                gc.set_threshold(*_saved)


def _restore_in_child() -> None:
    """A process forked within ``bulk()`` (a pool worker) starts with the caller's thresholds."""
    global _depth, _saved
    if _depth and _saved is not None:
        gc.set_threshold(*_saved)
    _depth, _saved = 0, None


_lock = threading.Lock()
_depth = 0  # the ``bulk()`` blocks running in this process
_saved: tuple[int, ...] | None = None  # the thresholds before the first of them
os.register_at_fork(after_in_child=_restore_in_child)


def in_bulk(func: Callable[P, R]) -> Callable[P, R]:
    """``func`` run within ``bulk()`` (for functions that return their result whole, not generators)."""
    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with bulk():
            return func(*args, **kwargs)
    return wrapper

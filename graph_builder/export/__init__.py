"""The export stage: a ``KnowledgeGraph`` out to files.

Exporters are registered by name (``graph_builder.registry.exporters``) with one contract,
``(graph, stream: IO[bytes], **options) -> None``; opening files is done here, once, and every
file is written atomically (a temporary file renamed into place), so a failed or killed build
never leaves a half-written output behind.
"""

from __future__ import annotations

import gc
import os
import tempfile
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from .. import forks
from ..bulk import in_bulk
from ..errors import ExportError
from ..registry import exporters

if TYPE_CHECKING:
    from ..assemble import KnowledgeGraph

#: Output file name of each format.
FILE_NAMES: dict[str, str] = {
    "turtle": "graph.ttl",
    "trig": "graph.trig",
    "ntriples": "graph.nt",
    "nquads": "graph.nq",
    "jsonld": "graph.jsonld",
    "xml": "graph.rdf",
    "jsonl": "triples.jsonl",
    "csv": "triples.csv",
    "graphml": "graph.graphml",
    "gexf": "graph.gexf",
    "html": "graph.html",
}
ALIASES = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "json-ld": "jsonld", "rdfxml": "xml"}

#: What ``build`` writes unless told otherwise.
DEFAULT_FORMATS: tuple[str, ...] = ("turtle", "jsonl", "csv", "graphml", "html")


#: Statements from which a graph's formats are written in parallel (``jobs``): below, a process
#: costs more to start than it saves.
PARALLEL_FROM = 5_000


@in_bulk
def write_outputs(kg: "KnowledgeGraph", out_dir: Path, formats: Sequence[str] | None = None, *, jobs: int = 1,
                  **options: Any) -> list[Path]:
    """Write ``kg`` in each format into ``out_dir``; return the paths written, in order.

    With ``jobs`` > 1, a graph of at least ``PARALLEL_FROM`` statements has its formats written
    by that many processes at once: this one and others forked with the graph in memory (where
    the platform forks); the files are the same.

    Raises:
        ExportError: the folder cannot be created or a file cannot be written.
        UnknownPluginError: a format has no exporter.
    """
    names = [ALIASES.get(f, f) for f in (formats or DEFAULT_FORMATS)]
    for name in names:
        exporters.get(name)  # fail on an unknown format before writing anything
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{out_dir}: cannot create the output folder: {exc.strerror or exc}") from exc
    paths = [out_dir / FILE_NAMES.get(name, f"graph.{name}") for name in names]
    jobs = min(jobs, len(names)) if len(kg.triples) >= PARALLEL_FROM and forks.can_fork() else 1
    with _locked(out_dir):
        _remove_stale(out_dir)
        staged: list[str] = []
        try:
            writes = [(name, path, options) for name, path in zip(names, paths)]
            if jobs > 1:
                _stage_in_parallel(kg, writes, jobs, staged)
            else:
                for write in writes:
                    staged.append(_stage_format(kg, *write))
            for tmp, path in zip(staged, paths):  # every file is whole on disk: only now does any output change
                _replace(tmp, path)
        finally:
            for tmp in staged:
                Path(tmp).unlink(missing_ok=True)
    return paths


def _stage_format(kg: "KnowledgeGraph", name: str, path: Path, options: dict[str, Any]) -> str:
    """Write ``kg`` as ``name`` into a temporary file beside ``path``; return its name."""
    return _stage(path, lambda stream: exporters.get(name)(kg, stream, **options))


#: The graph forked export processes write: inherited with the process's memory, never pickled.
_FORKED: list["KnowledgeGraph"] = []


def _stage_in_parallel(kg: "KnowledgeGraph", writes: list[tuple[str, Path, dict[str, Any]]], jobs: int,
                       staged: list[str]) -> None:
    """``_stage_format`` of each write, the first in this process and the others in ``jobs - 1``
    forked ones meanwhile; the temporary files go to ``staged`` in order, all of them, or none if
    one failed (its error is raised)."""
    made: list[str] = []
    futures: list[Future] = []
    _FORKED[:] = [kg]
    try:
        with forks.pool(jobs - 1, gc.freeze, fork=True) as workers:  # frozen: the inherited heap is not walked
            for write in writes[1:]:
                futures.append(workers.submit(_stage_forked, *write))
            try:
                made.append(_stage_format(kg, *writes[0]))
            except BaseException:
                workers.shutdown(wait=True, cancel_futures=True)  # what has not started never starts
                raise
        made += [future.result() for future in futures]  # the first failure is raised
    finally:  # the pool has shut down: each write is done, failed or cancelled
        _FORKED.clear()
        if len(made) < len(writes):
            made += [f.result() for f in futures if not f.cancelled() and f.exception() is None]
            for tmp in made:
                Path(tmp).unlink(missing_ok=True)
    staged += made


def _stage_forked(name: str, path: Path, options: dict[str, Any]) -> str:
    return _stage_format(_FORKED[0], name, path, options)


@contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """Hold a lock on ``out_dir`` while writing, so that two builds never mix their files in one
    folder and the temporary files found there under the lock are those of killed builds."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: no lock
        yield
        return
    try:
        fd = os.open(out_dir, os.O_RDONLY)
    except OSError as exc:
        raise ExportError(f"{out_dir}: cannot write: {exc.strerror or exc}") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _remove_stale(out_dir: Path) -> None:
    """Remove the temporary files that builds killed while writing (SIGKILL, power cut) left."""
    for name in FILE_NAMES.values():
        for stale in out_dir.glob(f".{name}.*.tmp"):
            stale.unlink(missing_ok=True)


def _file_mode() -> int:
    """The mode a new file gets from the user's umask (``open`` would give it; ``mkstemp`` gives 600)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _stage(path: Path, write: Any) -> str:
    """Call ``write(stream)`` on a temporary file beside ``path``, flushed to disk; return its name."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, _file_mode())
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _replace(tmp: str, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from exc


def write_atomic(path: Path, write: Any) -> None:
    """Call ``write(stream)`` on a temporary file beside ``path``, then rename it into place."""
    tmp = _stage(path, write)
    try:
        _replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)

"""The export stage: a ``KnowledgeGraph`` out to files.

Exporters are registered by name (``graph_builder.registry.exporters``) with one contract,
``(graph, stream: IO[bytes], **options) -> None``; opening files is done here, once, and every
file is written atomically (a temporary file renamed into place), so a failed or killed build
never leaves a half-written output behind.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

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


@in_bulk
def write_outputs(kg: "KnowledgeGraph", out_dir: Path, formats: Sequence[str] | None = None, **options: Any) -> list[Path]:
    """Write ``kg`` in each format into ``out_dir``; return the paths written, in order.

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
    with _locked(out_dir):
        _remove_stale(out_dir)
        staged: list[tuple[str, Path]] = []
        try:
            for name in names:
                path = out_dir / FILE_NAMES.get(name, f"graph.{name}")
                staged.append((_stage(path, lambda stream, name=name: exporters.get(name)(kg, stream, **options)), path))
            for tmp, path in staged:  # every file is whole on disk: only now does any output change
                _replace(tmp, path)
        finally:
            for tmp, _ in staged:
                Path(tmp).unlink(missing_ok=True)
    return [path for _, path in staged]


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

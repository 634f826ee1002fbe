"""The export stage: a ``KnowledgeGraph`` out to files.

Exporters are registered by name (``graph_builder.registry.exporters``) with one contract,
``(graph, stream: IO[bytes], **options) -> None``; opening files is done here, once, and every
file is written atomically (a temporary file renamed into place), so a failed or killed build
never leaves a half-written output behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

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
    written = []
    for name in names:
        path = out_dir / FILE_NAMES.get(name, f"graph.{name}")
        write_atomic(path, lambda stream, name=name: exporters.get(name)(kg, stream, **options))
        written.append(path)
    return written


def write_atomic(path: Path, write: Any) -> None:
    """Call ``write(stream)`` on a temporary file beside ``path``, then rename it into place."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

"""A SPARQL 1.1 Protocol endpoint over a graph or a store, by the real Oxigraph server.

PyPI's ``oxigraph`` package ships the ``oxigraph`` server binary; ``serve`` runs it read-only
(``serve-read-only``) on a store folder, or on a temporary store loaded from an RDF file, with
the union of the article graphs as default graph and a time limit per query. It listens on
127.0.0.1 unless told otherwise, so nothing is exposed by accident. Queries go to ``/query``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import GraphBuilderError

__all__ = ["ServeError", "oxigraph_binary", "start_server", "serving", "serve", "stop", "bind_address"]


class ServeError(GraphBuilderError):
    """The server cannot start: no ``oxigraph`` binary, a bad graph or store, a bad address."""


def oxigraph_binary() -> str:
    """The ``oxigraph`` server binary installed beside this Python (PyPI ``oxigraph``), or on PATH."""
    beside = Path(sysconfig.get_path("scripts")) / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise ServeError("oxigraph: the Oxigraph server is not installed; run `pip install oxigraph`")
    return found


def bind_address(host: str, port: int) -> str:
    """``host:port`` as the server takes it (IPv6 addresses in brackets)."""
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def start_server(location: Path, *, host: str = "127.0.0.1", port: int = 7878, timeout_s: int = 60,
                 read_only: bool = True) -> subprocess.Popen:
    """Start the Oxigraph server on a store folder and return its process (the caller stops it)."""
    mode = "serve-read-only" if read_only else "serve"
    argv = [oxigraph_binary(), mode, "--location", str(location), "--bind", bind_address(host, port),
            "--union-default-graph", "--timeout-s", str(timeout_s)]
    try:
        return subprocess.Popen(argv)
    except OSError as exc:
        raise ServeError(f"{argv[0]}: cannot start the server: {exc}") from exc


@contextmanager
def serving(path: str | Path, **options) -> Iterator[subprocess.Popen]:
    """Serve a store folder, or an RDF file loaded into a temporary store, while the block runs."""
    from .store import StoreError, is_store, open_dataset

    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="graph-builder-serve-") as tmp:
        if is_store(path):
            location = path
        else:
            location = Path(tmp) / "store"
            try:
                data = open_dataset(path, location)
            except StoreError as exc:
                raise ServeError(str(exc)) from exc
            data.flush()
            del data  # closes the database, which the server then opens
        process = start_server(location, **options)
        try:
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen, grace_s: float = 10) -> None:
    """Stop a server: politely (SIGTERM), then for sure (SIGKILL) after ``grace_s`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def serve(path: str | Path, *, host: str = "127.0.0.1", port: int = 7878, timeout_s: int = 60) -> int:
    """Serve ``path`` until interrupted (Ctrl-C); return the server's exit status."""
    with serving(path, host=host, port=port, timeout_s=timeout_s) as process:
        print(f"SPARQL endpoint: http://{bind_address(host, port)}/query (read-only; Ctrl-C stops)", file=sys.stderr)
        try:
            return process.wait()
        except KeyboardInterrupt:
            return 0

"""Errors raised by graph-builder: one base class, one subclass per stage.

Messages name the bad value (the file, the line, the option) and, where there is a choice,
the valid values, so that the CLI can print them as they are.
"""

from __future__ import annotations

from typing import Iterable


class GraphBuilderError(Exception):
    """Base class of every error graph-builder raises on purpose."""


class IngestError(GraphBuilderError):
    """An input could not be read as an article (names the file and, for JSON Lines, the line)."""

    def __init__(self, source: str, problem: str, line: int | None = None) -> None:
        self.source = source
        self.problem = problem
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {problem}")


class ModelError(GraphBuilderError):
    """The spaCy pipeline asked for is not installed or cannot be loaded."""


class ExtractError(GraphBuilderError):
    """An extractor failed on an article."""


class QueryError(GraphBuilderError):
    """A SPARQL query is malformed or cannot run on the given graph."""


class ExportError(GraphBuilderError):
    """An output could not be written."""


class UnknownPluginError(GraphBuilderError, KeyError):
    """A registry has nothing under the name asked for."""

    def __init__(self, kind: str, name: str, valid: Iterable[str]) -> None:
        self.kind, self.name = kind, name
        choices = ", ".join(sorted(valid)) or "(none)"
        super().__init__(f"no {kind} called {name!r}; choose one of: {choices}")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])

"""The saved-query library: named SPARQL queries with parameters, in ``graph_builder/queries/``.

Each ``<name>.rq`` starts with comment lines: the first ones say what the query answers, and
``# param NAME: what it is`` declares a parameter, a variable of the query that the caller
binds. Parameters are bound as RDF terms by the engine (rdflib's ``initBindings``, Oxigraph's
substitutions), never pasted into the text, so a name with quotes or braces stays a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from .errors import QueryError
from .query import QueryResult, QuerySource, run_query

__all__ = ["SavedQuery", "saved_queries", "run_saved", "QUERIES_DIR"]

QUERIES_DIR = Path(__file__).parent / "queries"
_PARAM = re.compile(r"^#\s*param\s+(\w+)\s*:\s*(.*)$")


@dataclass(frozen=True)
class SavedQuery:
    """A query of the library: its ``name``, what it answers, its parameters (name → meaning)."""

    name: str
    description: str
    sparql: str
    params: dict[str, str] = field(default_factory=dict)

    def usage(self) -> str:
        """``timeline actor=NAME``: how to call it from the command line."""
        return " ".join([self.name, *(f"{p}=..." for p in self.params)])


def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query, by name (sorted)."""
    return {q.name: q for q in sorted((_read(path) for path in QUERIES_DIR.glob("*.rq")), key=lambda q: q.name)}


def run_saved(source: QuerySource, name: str, params: Mapping[str, str] | None = None) -> QueryResult:
    """Run the saved query ``name`` on ``source`` with ``params`` bound as string literals.

    Raises:
        QueryError: no query has that name, or a parameter is missing or unknown.
    """
    queries = saved_queries()
    if name not in queries:
        raise QueryError(f"no saved query called {name!r}; choose one of: {', '.join(queries)}")
    query = queries[name]
    params = dict(params or {})
    missing = [p for p in query.params if p not in params]
    unknown = [p for p in params if p not in query.params]
    if missing or unknown:
        expected = ", ".join(query.params) or "none"
        problem = f"missing {', '.join(missing)}" if missing else f"unknown {', '.join(unknown)}"
        raise QueryError(f"saved query {name!r}: {problem} parameter(s); it takes: {expected}")
    return run_query(source, query.sparql, params)


def _read(path: Path) -> SavedQuery:
    text = path.read_text(encoding="utf-8")
    description, params = [], {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _PARAM.match(line)
        if match:
            params[match.group(1)] = match.group(2).strip()
        elif not params:
            description.append(line.lstrip("#").strip())
    return SavedQuery(path.stem, " ".join(description), text, params)

"""Named registries of pluggable components: extractors and exporters.

Built-in components are listed here, in one place, as import strings and are imported on first
use only (no import-time side effects). Third-party packages add their own through the entry
point groups ``graph_builder_extractors`` and ``graph_builder_exporters``, or at run time:

>>> from graph_builder.registry import extractors
>>> @extractors.register("my_extractor.v1")
... def my_extractor(doc, *, article, **options):
...     return iter(())
>>> extractors.get("my_extractor.v1") is my_extractor
True
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Any, Callable, TypeVar

from .errors import UnknownPluginError

F = TypeVar("F", bound=Callable[..., Any])


class Registry:
    """A name → component table, filled lazily from import strings and entry points."""

    def __init__(self, kind: str, entry_point_group: str, builtins: dict[str, str]) -> None:
        self.kind = kind
        self.entry_point_group = entry_point_group
        self._lazy: dict[str, str] = dict(builtins)
        self._loaded: dict[str, Callable[..., Any]] = {}
        self._entry_points_read = False

    def register(self, name: str, func: F | None = None) -> Any:
        """Register ``func`` under ``name``; used bare or as a decorator."""

        def add(f: F) -> F:
            self._loaded[name] = f
            self._lazy.pop(name, None)
            return f

        return add(func) if func is not None else add

    def get(self, name: str) -> Callable[..., Any]:
        """Return the component called ``name``; raise ``UnknownPluginError`` listing the valid ones."""
        if name in self._loaded:
            return self._loaded[name]
        self._read_entry_points()
        if name not in self._lazy:
            raise UnknownPluginError(self.kind, name, self.names())
        target = self._lazy.pop(name)
        module, _, attr = target.partition(":")
        self._loaded[name] = getattr(importlib.import_module(module), attr)
        return self._loaded[name]

    def names(self) -> list[str]:
        """All registered names, sorted."""
        self._read_entry_points()
        return sorted({*self._loaded, *self._lazy})

    def __contains__(self, name: object) -> bool:
        return name in self.names()

    def _read_entry_points(self) -> None:
        if self._entry_points_read:
            return
        self._entry_points_read = True
        for ep in entry_points(group=self.entry_point_group):
            self._lazy.setdefault(ep.name, ep.value)


#: Extractors: ``(doc, *, article, **options) -> Iterator[Triple]``.
extractors = Registry(
    "extractor",
    "graph_builder_extractors",
    {
        "svo.v1": "graph_builder.extract.svo:svo_triples",
        "roles.v1": "graph_builder.extract.roles:role_triples",
        "openie.v1": "graph_builder.extract.openie:openie_triples",
    },
)

#: Exporters: ``(graph: KnowledgeGraph, stream: IO[bytes], **options) -> None``.
_RDF = "graph_builder.export.rdf"
exporters = Registry(
    "exporter",
    "graph_builder_exporters",
    {
        "turtle": f"{_RDF}:to_turtle",
        "ttl": f"{_RDF}:to_turtle",
        "ntriples": f"{_RDF}:to_ntriples",
        "nt": f"{_RDF}:to_ntriples",
        "jsonld": f"{_RDF}:to_jsonld",
        "xml": f"{_RDF}:to_rdfxml",
        "trig": f"{_RDF}:to_trig",
        "nquads": f"{_RDF}:to_nquads",
        "jsonl": "graph_builder.export.tables:to_jsonl",
        "csv": "graph_builder.export.tables:to_csv",
        "graphml": "graph_builder.export.graphml:to_graphml",
        "gexf": "graph_builder.export.gexf:to_gexf",
        "html": "graph_builder.view:to_html",
    },
)

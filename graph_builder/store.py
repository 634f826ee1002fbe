"""An Oxigraph store on disk for graphs that outgrow memory or need fast queries.

``graph-builder build --store DIR`` writes one; ``query``, ``validate``, ``serve`` and ``push``
read a store folder or an RDF file alike, through ``open_dataset``: a folder opens read-only
where it lies, a file is loaded into an in-memory store. The store keeps the dataset's named
graphs (one per article); queries see their union as the default graph, as they do on a file.
rdflib stays the Python API for small graphs (``KnowledgeGraph.rdf``).
"""

from __future__ import annotations

import shutil
import tempfile
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import GraphBuilderError
from .model import encoded_lines, nquad_lines
from .vocab import PREFIX_IRIS, PREFIXES, XSD

if TYPE_CHECKING:
    from .assemble import KnowledgeGraph
    from .query import QueryResult

__all__ = ["StoreError", "write_store", "dump_store", "open_store", "open_dataset", "is_store", "query_store", "RDF_FILE_FORMATS"]

#: File suffix → Oxigraph parser.
RDF_FILE_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS, ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML, ".n3": ox.RdfFormat.N3,
}


#: ``dump_store`` formats: name → (file suffix, Oxigraph syntax).
DUMP_FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {"nquads": ("nq", ox.RdfFormat.N_QUADS),
                                                      "trig": ("trig", ox.RdfFormat.TRIG)}
#: Quads handed to Oxigraph's bulk loader at a time when a store is written.
LOAD_CHUNK = 200_000


class StoreError(GraphBuilderError):
    """A store cannot be written or opened, or a file cannot be loaded into one (names the path)."""


def is_store(path: str | Path) -> bool:
    """True when ``path`` is a folder holding an Oxigraph (RocksDB) store."""
    return Path(path).is_dir() and (Path(path) / "CURRENT").is_file()


def write_store(kg: "KnowledgeGraph", path: Path) -> Path:
    """Write ``kg`` (its named graphs, as N-Quads) into an Oxigraph store at ``path``; return ``path``.

    A store already there is replaced; a folder with anything else in it is refused, so a typo
    never wipes a folder of the user's.

    Raises:
        StoreError: ``path`` is a file or a non-empty folder that is no store, or cannot be written.
    """
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: is a file, not a store folder")
    if path.is_dir() and any(path.iterdir()) and not is_store(path):
        raise StoreError(f"{path}: folder is not empty and holds no Oxigraph store; refusing to overwrite it")
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    old = path.with_name(f".{path.name}.old")
    try:  # a new store beside the old one, swapped in when whole: a killed build leaves one or the other
        store = ox.Store(str(fresh))
        for chunk in encoded_lines(nquad_lines(kg), LOAD_CHUNK):  # streamed: the N-Quads never sit whole in memory
            store.bulk_load(chunk, format=ox.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()
        del store  # closes the database so that a server can open it
        shutil.rmtree(old, ignore_errors=True)
        if path.exists():
            path.rename(old)
        fresh.rename(path)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise StoreError(f"{path}: cannot write the store: {exc}") from exc
    return path


def dump_store(path: str | Path, out_dir: str | Path, fmt: str = "nquads", shard_size: int | None = None) -> list[Path]:
    """Write the dataset of the store at ``path`` into ``out_dir``, streamed from the disk.

    ``fmt`` is ``nquads`` (``graph.nq``, or with ``shard_size`` files ``graph-00001.nq``,
    ``graph-00002.nq``, ... of at most ``shard_size`` quads each) or ``trig`` (``graph.trig``).
    A graph larger than memory is written without ever being held in memory. Files are written
    atomically, like ``build``'s.

    Raises:
        StoreError: ``path`` is no store, or the format is not one of the two.
    """
    from .export import write_atomic

    if fmt not in DUMP_FORMATS:
        raise StoreError(f"{path}: cannot dump as {fmt!r}; choose one of {', '.join(DUMP_FORMATS)}")
    if shard_size is not None and fmt != "nquads":
        raise StoreError(f"{path}: only N-Quads can be sharded (a TriG file is one document)")
    store, out = open_store(path), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    suffix, syntax = DUMP_FORMATS[fmt]
    if shard_size is None:
        target = out / f"graph.{suffix}"
        write_atomic(target, lambda stream: store.dump(stream, syntax, prefixes=PREFIX_IRIS if fmt == "trig" else None))
        return [target]
    written = []
    quads = store.quads_for_pattern(None, None, None, None)
    while chunk := list(islice(quads, shard_size)):
        target = out / f"graph-{len(written) + 1:05d}.{suffix}"
        write_atomic(target, lambda stream: ox.serialize(chunk, stream, syntax))
        written.append(target)
    for stale in set(out.glob(f"graph-[0-9][0-9][0-9][0-9][0-9].{suffix}")) - set(written):
        stale.unlink()  # shards of an earlier, bigger dump: they would be read as part of this one
    return written


def open_store(path: str | Path) -> ox.Store:
    """Open a store folder read-only (several readers may share it; a server may read it too).

    Raises:
        StoreError: ``path`` is no store folder or cannot be opened.
    """
    if not is_store(path):
        raise StoreError(f"{path}: not an Oxigraph store folder (build one with `graph-builder build --store {path}`)")
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the store: {exc}") from exc


def open_dataset(path: str | Path, location: Path | None = None) -> ox.Store:
    """A store folder opened read-only, or an RDF file (by suffix) loaded into a new store: in
    memory, or on disk at ``location``.

    Raises:
        StoreError: the path is missing, of an unknown format, or does not parse.
    """
    path = Path(path)
    if path.is_dir():
        return open_store(path)
    fmt = RDF_FILE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise StoreError(f"{path}: unknown RDF format {path.suffix!r}; use one of {', '.join(sorted(RDF_FILE_FORMATS))}"
                         " or a store folder")
    if not path.is_file():
        raise StoreError(f"{path}: no such file or store folder")
    try:
        store = ox.Store(str(location)) if location is not None else ox.Store()
        store.load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as exc:
        raise StoreError(f"{path}: cannot parse as {fmt}: {exc}") from exc
    return store


def query_store(store: ox.Store, sparql: str, bindings: Mapping[str, Any] | None = None) -> "QueryResult":
    """Run a SPARQL query on a store, the union of its graphs as default graph; values as rdflib terms.

    ``bindings`` are substituted as RDF terms before evaluation (SPARQL SEP-0007), never pasted
    into the query's text; Oxigraph requires each bound variable to be in the SELECT clause, which
    is why the saved queries return their parameters as columns.
    """
    from .errors import QueryError
    from .query import QueryResult

    substitutions = {ox.Variable(k): to_oxigraph(v) for k, v in (bindings or {}).items()}
    try:
        result = store.query(sparql, prefixes=PREFIX_IRIS,
                             use_default_graph_as_union=True, substitutions=substitutions)
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"query failed: {exc}") from exc
    except RuntimeError as exc:  # Oxigraph substitutes only variables the SELECT clause projects
        raise QueryError(f"query failed: {exc}; on a store, a bound variable must be selected") from exc
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ASK", [], [], boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        graph = Graph(bind_namespaces="none")
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in result:
            graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
        return QueryResult("CONSTRUCT", [], [], graph=graph)
    variables = [v.value for v in result.variables]
    rows = [tuple(to_rdflib(solution[v]) if solution[v] is not None else None for v in variables) for solution in result]
    return QueryResult("SELECT", variables, rows)


def to_rdflib(term: Any) -> Node:
    """An Oxigraph term as the rdflib term it stands for."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))


def to_oxigraph(value: Any) -> Any:
    """An rdflib term (or a Python string, as a plain literal) as the Oxigraph term it stands for."""
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, BNode):
        return ox.BlankNode(str(value))
    if isinstance(value, Literal):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)) if value.datatype else None)
    return ox.Literal(str(value))

"""An on-disk cache of per-article extractions, so that a rebuild parses only what changed.

The parse is the cost of a build; an ``ArticleExtraction`` is its small result. Each one is
stored under a key that hashes the article's content (id, text, title, date, url, source, meta)
and the extraction settings (``settings_fingerprint``: the spaCy pipeline's name and version,
spaCy's version, the extractors' names and code, and the source of every graph-builder module
that extraction runs and of the package's data files), so a new model, another extractor or a code change makes new
keys and stale results are never read.

The store is one SQLite file (``extractions.sqlite``) in write-ahead-log mode, written in
transactions: a build that is killed leaves every committed batch readable and nothing
half-written, and several builds may share one cache. Values are JSON (data, never code), so
a cache copied from elsewhere cannot run anything when read. Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import sqlite3
import sys
from functools import lru_cache
from pathlib import Path
from types import ModuleType, UnionType
from typing import Any, Iterable, Sequence, Union, get_args, get_origin, get_type_hints

import spacy

from .errors import GraphBuilderError
from .registry import extractors
from .types import Article, ArticleExtraction, Mention, Triple

__all__ = ["ExtractionCache", "article_key", "settings_fingerprint", "CACHE_FILE", "CACHE_FORMAT"]

#: The SQLite file in a cache folder.
CACHE_FILE = "extractions.sqlite"
#: Bumped when the stored layout changes; part of every key.
CACHE_FORMAT = "gb-extraction-cache.v1"
#: The package's data files (word lists, CAMEO tables) that extractors may read.
_DATA = "data"

_PACKAGE = Path(__file__).resolve().parent


class CacheError(GraphBuilderError):
    """The cache folder cannot be created, opened or written."""


def _code_modules(roots: Iterable[ModuleType]) -> set[ModuleType]:
    """The graph-builder modules that ``roots`` use, directly or through others (their names,
    functions and classes imported from the package), found by walking the modules' globals."""
    found: set[ModuleType] = set()
    todo = list(roots)
    while todo:
        module = todo.pop()
        if module in found or not module.__name__.startswith(_PACKAGE.name):
            continue
        found.add(module)
        for value in vars(module).values():
            owner = value if isinstance(value, ModuleType) else sys.modules.get(getattr(value, "__module__", "") or "")
            if owner is not None and owner.__name__.startswith(_PACKAGE.name + "."):
                todo.append(owner)
    return found


def _code_hash(extractor_modules: Iterable[str]) -> str:
    """Hash of the source of every graph-builder module that extraction runs, and of the data files."""
    from . import extract, nlp, types

    roots = [extract, nlp, types, *(sys.modules[name] for name in extractor_modules if name in sys.modules)]
    files = {Path(m.__file__).resolve() for m in _code_modules(roots) if getattr(m, "__file__", None)}
    files |= {p.resolve() for p in (_PACKAGE / _DATA).rglob("*") if p.is_file()}
    digest = hashlib.sha256()
    for file in sorted(f for f in files if f.is_relative_to(_PACKAGE)):
        digest.update(file.relative_to(_PACKAGE).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def _extractor_code(name: str) -> str:
    """The source of an extractor's function and module, so a plugin's code change also invalidates."""
    func = extractors.get(name)
    parts = [name, getattr(func, "__module__", ""), getattr(func, "__qualname__", "")]
    for getter in (inspect.getsource, lambda f: Path(inspect.getsourcefile(f) or "").read_text(encoding="utf-8")):
        try:
            parts.append(getter(func))
        except (OSError, TypeError):
            parts.append("")
    return "\0".join(parts)


def settings_fingerprint(model_meta: dict[str, Any], extractor_names: Sequence[str]) -> str:
    """Hash of everything besides the article that decides an extraction.

    ``model_meta`` is the loaded pipeline's ``nlp.meta`` (its name, version and components).

    >>> a = settings_fingerprint({"name": "core_web_sm", "version": "3.8.0"}, ["svo.v1"])
    >>> a == settings_fingerprint({"name": "core_web_sm", "version": "3.8.1"}, ["svo.v1"])
    False
    """
    settings = {
        "format": CACHE_FORMAT,
        "spacy": spacy.__version__,
        "model": {k: model_meta.get(k) for k in ("lang", "name", "version", "pipeline", "components")},
        "extractors": [_extractor_code(name) for name in extractor_names],
        "code": _code_hash(sorted({extractors.get(name).__module__ for name in extractor_names})),
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()


def article_key(article: Article, fingerprint: str) -> str:
    """The cache key of one article under given settings: a hash of all its fields and the settings."""
    digest = hashlib.sha256(fingerprint.encode())
    meta = json.dumps(dict(article.meta), sort_keys=True, default=str)
    for value in (article.id, article.text, article.title, article.date, article.source, article.url, meta):
        data = b"\xff" if value is None else value.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little") + data)  # length-prefixed: fields cannot run together
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    """A record as JSON-ready data: dataclasses become dicts of their fields, tuples lists."""
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(v) for k, v in vars(value).items()}  # not asdict: it deep-copies every value
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def _record(cls: type, data: dict[str, Any]) -> Any:
    """The ``cls`` record of ``_plain`` data, rebuilding nested records from the field types."""
    hints = _hints(cls)
    return cls(**{k: _typed(hints[k], v) for k, v in data.items() if k in hints})


def _typed(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    if hasattr(hint, "__dataclass_fields__"):
        return _record(hint, value)
    args = [a for a in get_args(hint) if a is not type(None)]
    if get_origin(hint) is tuple:
        return tuple(_typed(args[0], v) for v in value) if args else tuple(value)
    if len(args) == 1 and get_origin(hint) in (Union, UnionType):  # X | None
        return _typed(args[0], value)
    return value


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _encode(extraction: ArticleExtraction) -> str:
    """An extraction as JSON, without its article (the key stands for the article)."""
    return json.dumps({"triples": _plain(extraction.triples), "mentions": _plain(extraction.mentions)},
                      ensure_ascii=False)


def _decode(value: str, article: Article) -> ArticleExtraction:
    data = json.loads(value)
    return ArticleExtraction(article, tuple(_record(Triple, t) for t in data["triples"]),
                             tuple(_record(Mention, m) for m in data["mentions"]))


class ExtractionCache:
    """Per-article extractions in one SQLite file under ``folder``, shared safely between builds.

    >>> import tempfile
    >>> cache = ExtractionCache(tempfile.mkdtemp())
    >>> extraction = ArticleExtraction(Article("a1", ""), ())
    >>> cache.put_many([("k1", extraction)]); cache.get("k1", extraction.article) == extraction
    True
    >>> cache.get("k2", extraction.article) is None
    True
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / CACHE_FILE
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: a killed process never corrupts the file
            self._db.execute("CREATE TABLE IF NOT EXISTS extractions (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        except (OSError, sqlite3.Error) as exc:
            raise CacheError(f"{self.path}: cannot open the extraction cache: {exc}") from exc

    def get(self, key: str, article: Article) -> ArticleExtraction | None:
        """The cached extraction of ``key`` with ``article`` as its article, or ``None``."""
        try:
            row = self._db.execute("SELECT value FROM extractions WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            raise CacheError(f"{self.path}: cannot read the extraction cache: {exc}") from exc
        return None if row is None else _decode(row[0], article)

    def put_many(self, items: Iterable[tuple[str, ArticleExtraction]]) -> None:
        """Store extractions in one transaction: all of them are there afterwards, or none."""
        rows = [(key, _encode(extraction)) for key, extraction in items]
        if not rows:
            return
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR REPLACE INTO extractions (key, value) VALUES (?, ?)", rows)
        except sqlite3.Error as exc:
            raise CacheError(f"{self.path}: cannot write the extraction cache: {exc}") from exc

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM extractions").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "ExtractionCache":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

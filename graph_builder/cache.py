"""An on-disk cache of per-article extractions, so that a rebuild parses only what changed.

The parse is the cost of a build; an ``ArticleExtraction`` is its small result. Each one is
stored under a key that hashes the article's content (id, text, title, date, url, source, meta)
and the extraction settings (``settings_fingerprint``: the spaCy pipeline's name and version,
spaCy's version, the extractors' names and code, and the source of every graph-builder module
that extraction runs and of the package's data files), so a new model, another extractor or a code change makes new
keys and stale results are never read.

Beside the extractions (``extractions.sqlite``), the folder keeps the text-less articles of
the files read (``FileIndex``, ``files.sqlite``), so that unchanged files are not read again,
and pieces of output (``FragmentCache``, ``output-fragments.sqlite``). Each is one SQLite file
in write-ahead-log mode, written in transactions: a build that is killed leaves every committed
batch readable and nothing half-written, and several builds may share one cache. Values are
JSON or RDF (data, never code), so a cache copied from elsewhere cannot run anything when read.
Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import sqlite3
import sys
from dataclasses import fields
from functools import lru_cache, partial
from pathlib import Path
from types import ModuleType, UnionType
from typing import Any, Callable, Iterable, Sequence, Union, get_args, get_origin, get_type_hints

import spacy

from .errors import GraphBuilderError
from .registry import extractors
from .types import Article, ArticleExtraction, text_digest, without_text

__all__ = ["ExtractionCache", "FileIndex", "FragmentCache", "article_key", "settings_fingerprint", "code_hash", "CACHE_FILE",
           "CACHE_FORMAT", "FRAGMENT_FILE", "FILE_INDEX"]

#: The SQLite files in a cache folder: the extractions, and pieces of output made from them.
CACHE_FILE = "extractions.sqlite"
FRAGMENT_FILE = "output-fragments.sqlite"
FILE_INDEX = "files.sqlite"
#: Bumped when the stored layout changes; part of every key.
CACHE_FORMAT = "gb-extraction-cache.v3"
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

    return code_hash([extract, nlp, types, *(sys.modules[name] for name in extractor_modules if name in sys.modules)])


def code_hash(roots: Iterable[ModuleType]) -> str:
    """Hash of the source of the graph-builder modules ``roots`` run (them and those they use),
    and of the package's data files: what a cached result was made by."""
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

    ``model_meta`` is the pipeline's meta data (``nlp.pipeline_meta``: its name, version and components).

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
    for value in (article.id, text_digest(article), article.title, article.date, article.source, article.url, meta):
        data = b"\xff" if value is None else value.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little") + data)  # length-prefixed: fields cannot run together
    return digest.hexdigest()


def _row(value: Any) -> Any:
    """A record as JSON-ready rows: a dataclass becomes the list of its field values, in field
    order (no field names: a third of the size, twice as fast to read back), tuples lists."""
    if hasattr(value, "__dataclass_fields__"):
        return [_row(getattr(value, name)) for name in _field_names(type(value))]  # not astuple: it deep-copies
    if isinstance(value, (tuple, list)):
        return [_row(v) for v in value]
    return value


def _record(cls: type, row: list[Any]) -> Any:
    """The ``cls`` record of a ``_row`` (a list it may change), rebuilding nested records.

    Made as ``pickle`` makes a dataclass, its fields set at once, not through the ``__init__``
    of a frozen dataclass (one ``object.__setattr__`` a field): a rebuild makes millions."""
    return _made(cls, _converted(cls, row))


def _made(cls: type, values: list[Any]) -> Any:
    record = object.__new__(cls)
    record.__dict__.update(zip(_field_names(cls), values, strict=True))  # a short row is an error, never a half record
    return record


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _converted(cls: type, row: list[Any]) -> list[Any]:
    """``row`` with its nested records and tuples rebuilt in place (``None`` stays ``None``)."""
    for index, convert in _conversions(cls):
        value = row[index]
        if value is not None:
            row[index] = convert(value)
    return row


@lru_cache(maxsize=None)
def _conversions(cls: type) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
    """The fields of ``cls`` (by position) that JSON does not give as they are, each with its
    conversion: worked out once per class from the type hints, since a rebuild decodes millions
    of records."""
    hints = get_type_hints(cls)
    found = ((index, _converter(hints[name])) for index, name in enumerate(_field_names(cls)))
    return tuple((index, convert) for index, convert in found if convert is not None)


def _converter(hint: Any) -> Callable[[Any], Any] | None:
    args = [a for a in get_args(hint) if a is not type(None)]
    if hasattr(hint, "__dataclass_fields__"):
        return partial(_record, hint)
    if get_origin(hint) is tuple:
        inner = _converter(args[0]) if args else None
        return tuple if inner is None else lambda values: tuple(map(inner, values))
    if len(args) == 1 and get_origin(hint) in (Union, UnionType):  # X | None
        return _converter(args[0])
    return None


def _encode(extraction: ArticleExtraction) -> str:
    """An extraction as JSON rows, without its article (the key stands for the article)."""
    return json.dumps([_row(getattr(extraction, name)) for name in _field_names(ArticleExtraction)[1:]],
                      ensure_ascii=False)


def _decode(value: str, article: Article) -> ArticleExtraction:
    row = _converted(ArticleExtraction, [None, *json.loads(value)])  # the article is not stored: given
    row[0] = article
    return _made(ArticleExtraction, row)


class _KeyValueFile:
    """A table of values by key in one SQLite file, in write-ahead-log mode and written in
    transactions: a killed build leaves every committed batch readable and nothing half-written,
    and several builds may share the file."""

    table = "entries"
    what = "cache"

    def __init__(self, path: Path, value_type: str) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: a killed process never corrupts the file
            self._db.execute(f"CREATE TABLE IF NOT EXISTS {self.table} (key TEXT PRIMARY KEY, value {value_type} NOT NULL)")
        except (OSError, sqlite3.Error) as exc:
            raise CacheError(f"{path}: cannot open the {self.what}: {exc}") from exc

    def _get(self, key: str, column: str = "value") -> Any:
        try:
            row = self._db.execute(f"SELECT {column} FROM {self.table} WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            raise CacheError(f"{self.path}: cannot read the {self.what}: {exc}") from exc
        return None if row is None else row[0]

    def _put_many(self, rows: list[tuple[str, Any]]) -> None:
        """Store rows in one transaction: all of them are there afterwards, or none."""
        if not rows:
            return
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany(f"INSERT OR REPLACE INTO {self.table} (key, value) VALUES (?, ?)", rows)
        except sqlite3.Error as exc:
            raise CacheError(f"{self.path}: cannot write the {self.what}: {exc}") from exc

    def __len__(self) -> int:
        return self._db.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class ExtractionCache(_KeyValueFile):
    """Per-article extractions in one SQLite file under ``folder``, shared safely between builds.

    >>> import tempfile
    >>> cache = ExtractionCache(tempfile.mkdtemp())
    >>> extraction = ArticleExtraction(Article("a1", ""), ())
    >>> cache.put_many([("k1", extraction)]); cache.get("k1", extraction.article) == extraction
    True
    >>> cache.get("k2", extraction.article) is None
    True
    """

    table = "extractions"
    what = "extraction cache"

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        super().__init__(self.folder / CACHE_FILE, "TEXT")

    def has(self, key: str) -> bool:
        return self._get(key, "1") is not None  # the value itself is not read

    def get(self, key: str, article: Article) -> ArticleExtraction | None:
        """The cached extraction of ``key`` with ``article`` as its article, or ``None``."""
        value = self.lookup(key)
        return None if value is None else self.decode(value, article)

    def lookup(self, key: str) -> str | None:
        """The stored form of ``key``'s extraction (``decode`` makes it one), or ``None``."""
        return self._get(key)

    @staticmethod
    def decode(value: str, article: Article) -> ArticleExtraction:
        return _decode(value, article)

    def put_many(self, items: Iterable[tuple[str, ArticleExtraction]]) -> None:
        """Store extractions in one transaction: all of them are there afterwards, or none."""
        self._put_many([(key, _encode(extraction)) for key, extraction in items])


class FragmentCache(_KeyValueFile):
    """Pieces of output files (one article's Turtle, its JSON Lines rows) under a hash of
    everything they are made from, beside the extractions: a rebuild writes anew only the
    articles whose statements or actors changed. Bytes of RDF or JSON, never code; deleting the
    file is always safe.

    >>> import tempfile
    >>> cache = FragmentCache(tempfile.mkdtemp())
    >>> cache.put_many([("k1", b"<a> <b> <c> .")]); cache.get("k1"), cache.get("k2")
    (b'<a> <b> <c> .', None)
    """

    table = "fragments"
    what = "output cache"

    def __init__(self, folder: str | Path) -> None:
        super().__init__(Path(folder) / FRAGMENT_FILE, "BLOB")

    def get(self, key: str) -> bytes | None:
        return self._get(key)

    def put_many(self, items: Iterable[tuple[str, bytes]]) -> None:
        self._put_many(list(items))


class FileIndex(_KeyValueFile):
    """The text-less articles of each input file, under the file's path, size and modification
    time and the reading code: a rebuild does not read, clean and hash again the files that did
    not change (as ``make`` and ``rsync`` judge them), only new or touched ones.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp(); path = os.path.join(folder, "a.txt"); _ = open(path, "w").write("x")
    >>> index = FileIndex(folder); index.put(path, "a.txt", [without_text(Article("a.txt", "x", title="T"))])
    >>> [(a.id, a.text, a.title, text_digest(a) == text_digest(Article("a.txt", "x"))) for a in index.get(path, "a.txt")]
    [('a.txt', '', 'T', True)]
    >>> _ = open(path, "a").write("y"); index.get(path, "a.txt") is None
    True
    """

    table = "files"
    what = "file index"

    def __init__(self, folder: str | Path, usable: Callable[[list[Article]], bool] = lambda articles: True) -> None:
        """``usable`` says whether known articles may stand for a file: a build wants them only
        when their extractions are cached (it has no text to parse)."""
        super().__init__(Path(folder) / FILE_INDEX, "TEXT")
        self.usable = usable

    def get(self, path: str | Path, article_id: str) -> list[Article] | None:
        """The articles of ``path`` (read with ``article_id``) as they were, if it has not changed
        and they are ``usable``."""
        key = self._key(path, article_id)
        value = self._get(key) if key else None
        articles = None if value is None else [_light_article(data) for data in json.loads(value)]
        return articles if articles is not None and self.usable(articles) else None

    def put(self, path: str | Path, article_id: str, articles: Sequence[Article]) -> None:
        """Remember the text-less ``articles`` read from ``path``."""
        if key := self._key(path, article_id):
            fields = ("id", "title", "date", "source", "url", "meta")
            rows = [{"text_digest": text_digest(article), **{name: getattr(article, name) for name in fields}}
                    for article in articles]
            self._put_many([(key, json.dumps(rows, ensure_ascii=False, default=str))])

    @staticmethod
    def _key(path: str | Path, article_id: str) -> str:
        try:
            stat = os.stat(path)
        except OSError:
            return ""
        path = os.fspath(path)
        where = (_reading_code(), path if os.path.isabs(path) else os.path.join(os.getcwd(), path), article_id,
                 stat.st_size, stat.st_mtime_ns)  # absolute, not normalised: ``..`` after a symlink is elsewhere
        return hashlib.sha256("\0".join(map(str, where)).encode("utf-8", "surrogatepass")).hexdigest()


def _light_article(data: dict[str, Any]) -> Article:
    from .ingest import WARNINGS

    meta, digest = data["meta"], data.pop("text_digest")
    if WARNINGS in meta:  # the one tuple ingest puts in meta (JSON gives it back as a list)
        meta[WARNINGS] = tuple(meta[WARNINGS])
    return without_text(Article(text="", **data), digest)


@lru_cache(maxsize=1)
def _reading_code() -> str:
    from . import ingest

    return code_hash([ingest])

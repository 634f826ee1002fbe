"""The ingest stage: files, folders and standard input in; ``Article`` records out.

Downstream stages keep character offsets into ``Article.text``, so this is the one place where
text is cleaned (line endings, invisible characters, NFC) and page furniture (date lines,
breadcrumbs, titles, teasers) is moved out of it. The parsers are pure functions of a string;
only ``read_articles`` touches the file system.
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from itertools import chain
from dataclasses import replace
from datetime import date as _Date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, TextIO

from .decode import Decoded, DecodeError, decode_bytes
from .errors import IngestError
from .limits import MAX_ARTICLE_CHARS, limit_html, limit_text
from .types import Article, without_text

if TYPE_CHECKING:
    from .cache import FileIndex

__all__ = ["read_articles", "article_from_text", "article_from_html", "articles_from_json",
           "parse_date", "clean_text", "article_warnings", "FOLDER_SUFFIXES", "WARNINGS"]

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson"})
#: The files taken from folders; a file named explicitly with another suffix is read as text.
FOLDER_SUFFIXES = frozenset({".txt", ".text", ".md"}) | HTML_SUFFIXES | JSON_SUFFIXES
#: Documentation kept beside articles in folders (README.md, SOURCE.md...): no article, skipped.
DOC_STEMS = frozenset({"readme", "license", "licence", "source", "sources", "changelog", "changes",
                       "notice", "authors", "contributing", "copying"})
STDIN_SOURCE = "<stdin>"
JSON_FIELDS = ("id", "title", "text", "date", "url", "source")
_TOO_DEEP = "JSON nested too deeply to read (arrays or objects within each other thousands of times)"
ErrorHandler = Callable[[IngestError], None]
#: ``Article.meta`` key of the notes on an article that was read, but not as it was: another
#: encoding than UTF-8, a text cut to ``MAX_ARTICLE_CHARS``, sentences split for the parser.
WARNINGS = "gb_warnings"

_NEWLINES = re.compile("\r\n|[\r\v\f\x85\u2028\u2029]")
#: Control (Cc) and format (Cf) characters: zero-width spaces and joiners, BOM, soft hyphen, bidi marks.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")
_SURROGATES = re.compile("[\ud800-\udfff]")  # lone halves of UTF-16 pairs (JSON "\\ud800"): no text
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.M)


def clean_text(text: str) -> str:
    """Normalise text as every source is, so that offsets mean the same everywhere: ``\\n`` line
    endings, no control or zero-width characters (``\\n``, ``\\t`` stay), plain spaces, NFC, no
    trailing spaces, runs of blank lines or surrounding whitespace.

    >>> clean_text("Cafe\\u0301 \\u200bnews\\r\\n\\r\\n\\r\\nok ")
    'Café news\\n\\nok'
    """
    text = _ODD_SPACES.sub(" ", _INVISIBLE.sub("", _NEWLINES.sub("\n", _SURROGATES.sub("\ufffd", text))))
    text = _TRAILING_SPACE.sub("", unicodedata.normalize("NFC", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _one_line(text: str) -> str:
    return " ".join(clean_text(text).split())


_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_MONTH = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|2\d\d\d)"
_DATE_PATTERNS = (
    re.compile(rf"(?<!\d){_YEAR}-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)(?!\d)"),  # 2021-04-19(T05:36)
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\s*,?\s*{_YEAR}(?!\d)", re.I),  # 19 April 2021
    re.compile(rf"\b{_MONTH}\s+{_DAY}\s*,?\s*{_YEAR}(?!\d)", re.I),  # April 19, 2021
    re.compile(rf"(?<![\d./-]){_DAY}(?P<sep>[.-])(?P<month>[01]?\d)(?P=sep){_YEAR}(?!\d)"),  # 19.04.2021
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
#: What may stand beside the date on a line that is only a date ("Monday , 19 April 2021 - 11:28 GMT").
_DATE_LINE_NOISE = re.compile(
    rf"\b(?:{_WEEKDAY}|date|of|publication|published|posted|updated|last|on|at|am|pm)(?![a-z])|[\W\d_]", re.I)
#: What announces a publication date in a body: its start, a label or a weekday.
_DATE_CUE = re.compile(rf"^|\b(?:date of publication|published(?: on)?|posted on|(?:last )?updated(?: on| at)?"
                       rf"|{_WEEKDAY})(?![a-z])\s*[:,]?\s*", re.I)
#: The one cue that may stand anywhere in a body (FA-KES): the others only open it.
_LABEL_CUE = re.compile(r"\bdate of publication(?![a-z])\s*[:,]?\s*", re.I)


def _date_match(text: str) -> tuple[re.Match[str], str] | None:
    """The earliest valid date in ``text`` and its ISO form."""
    found = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            month = int(m["month"]) if m["month"].isdigit() else _MONTHS[m["month"][:3].lower()]
            try:
                found.append((m.start(), m, _Date(int(m["year"]), month, int(m["day"])).isoformat()))
                break
            except ValueError:
                continue
    return min(found, key=lambda item: item[0])[1:] if found else None


def parse_date(text: str) -> str | None:
    """The first full date (day, month and year) written in ``text``, as ISO, or ``None``.

    Knows ``2021-04-19`` (with or without a time), ``19 April 2021``, ``April 19, 2021``,
    ``Mon 19 Apr 2021``, ``19.04.2021`` (day first). Without a year there is no date: none is guessed.

    >>> parse_date("Monday , 19 April 2021"), parse_date("Date of publication 30 June 2016")
    ('2021-04-19', '2016-06-30')
    >>> parse_date("April 19, 2021"), parse_date("2015-07-24T05:36:09+01:00"), parse_date("19 April")
    ('2021-04-19', '2015-07-24', None)
    """
    found = _date_match(text)
    return found[1] if found else None


def _is_date_line(line: str) -> bool:
    """Whether ``line`` holds a date and nothing else but weekdays, times, zones and punctuation."""
    found = _date_match(line) if len(line) <= 80 else None
    if not found:
        return False
    rest = _DATE_LINE_NOISE.sub(" ", line[: found[0].start()] + " " + line[found[0].end():])
    return not re.sub(r"\b[A-Z]{2,4}\b", "", rest).strip()


def _body_date(body: str) -> tuple[str | None, str, str]:
    """The publication date a body gives ("Date of publication 30 June 2016 ...", "AFP Friday 22 Jul
    2016 ..."), the body, and the label and date removed from its start ("" when none was)."""
    # Cues other than the label open a body: they are looked for in its first characters only
    # (searching a whole body costs more than the rest of reading it), unless one runs on past them.
    cues = [cue for cue in _DATE_CUE.finditer(body, 0, 341) if cue.start() <= 300]
    if cues and cues[-1].end() >= 341:
        cues = [cue for cue in _DATE_CUE.finditer(body) if cue.start() <= 300]
    for cue in chain(cues, _LABEL_CUE.finditer(body, 301)):
        labelled = cue.group().lower().startswith("date of")
        found = _date_match(body[cue.end(): cue.end() + 40])
        if found and found[0].start() == 0:
            if cue.start() == 0 and labelled:
                end = cue.end() + found[0].end()
                return found[1], body[end:].lstrip(), body[:end]
            return found[1], body, ""
    return None, body, ""


_CRUMB_SEP = r"\s*(?:/|»|›|>|\||::)\s*"
_BREADCRUMB = re.compile(rf"^(?:home|homepage|main){_CRUMB_SEP}\S", re.I)
#: A line that opens the teasers of other articles at the end of a page ("Check Also").
_TEASER = re.compile(r"^(?:check also|read also|see also|related (?:articles|news|posts|stories)|you may also like"
                     r"|more stories)\s*:?$", re.I)


def _title_like(paragraph: str) -> bool:
    """Whether a first paragraph that has text after it is a title: one short line."""
    words = paragraph.split()
    return ("\n" not in paragraph and 0 < len(words) <= 40 and len(paragraph) <= 300
            and not (paragraph.endswith((".", ":", ";", ",")) and len(words) > 15))


def article_from_text(text: str, *, id: str, source: str = "") -> Article:
    """Turn scraped plain text into an ``Article``, moving the page furniture into fields.

    A first date line ("Monday , 19 April 2021") and a breadcrumb ("Home / News / ...") go to
    ``meta``; a short first line followed by a blank line is the ``title``; "Date of publication
    30 June 2016" (FA-KES) gives the date, and is cut where it opens the body; a "Check Also"
    teaser and what follows go to ``meta['teaser']``. ``text`` is the body the extractors read.

    Raises:
        IngestError: the text is empty or whitespace only.

    >>> a = article_from_text("Monday , 19 April 2021\\nHome / News / Talks fail\\n\\nTalks fail\\n\\n"
    ...                       "Rebels rejected the offer.\\n\\nCheck Also\\n\\nOther story", id="x.txt")
    >>> a.date, a.title, a.text, a.meta["breadcrumb"]
    ('2021-04-19', 'Talks fail', 'Rebels rejected the offer.', 'Home / News / Talks fail')
    """
    cleaned = clean_text(text)
    if not cleaned:
        raise IngestError(source or id, "empty text (nothing but whitespace)")
    meta: dict[str, Any] = {}
    date, crumb, title = None, "", ""
    paragraphs = cleaned.split("\n\n")
    lines = paragraphs[0].split("\n")
    if len(lines) > 1 or len(paragraphs) > 1:  # a lone line is a body, whatever it looks like
        if _is_date_line(lines[0]):
            meta["dateline"] = lines.pop(0)
            date = parse_date(meta["dateline"])
        if lines and _BREADCRUMB.match(lines[0]):
            meta["breadcrumb"] = lines.pop(0)
            crumb = _one_line(re.split(_CRUMB_SEP, meta["breadcrumb"])[-1])
        paragraphs = [p for p in ["\n".join(lines), *paragraphs[1:]] if p.strip()]
    if len(paragraphs) > 1 and (_title_like(paragraphs[0]) or _one_line(paragraphs[0]) == crumb):
        title = _one_line(paragraphs.pop(0).lstrip("#"))
    title = title or crumb
    if date is None and len(paragraphs) > 1 and _is_date_line(paragraphs[0]):  # title, then date line
        meta["dateline"] = paragraphs.pop(0)
        date = parse_date(meta["dateline"])
    lines = "\n\n".join(paragraphs).split("\n")
    for n, line in enumerate(lines[1:], start=1):
        if _TEASER.match(line.strip()):
            if teaser := "\n".join(lines[n + 1:]).strip():
                meta["teaser"] = teaser
            lines = lines[:n]
            break
    body = re.sub(r"\s*\b(?:check also|read also)\s*$", "", "\n".join(lines).strip(), flags=re.I)
    if date is None:
        date, body, dateline = _body_date(body)
        if dateline:
            meta["dateline"] = dateline
    return Article(id=id, text=body, title=title, date=date, source=source, meta=meta)


def _same_words(a: str, b: str) -> bool:
    wa, wb = (set(re.findall(r"\w+", s.lower())) for s in (a, b))
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= 0.6


def article_from_html(html: str | bytes, *, id: str, source: str = "") -> Article:
    """Extract the article of a web page (main text, title, date, author, URL) with trafilatura.

    Offline, favouring precision (best on the 30 reference pages of the shared corpus: token F1
    0.98), without reader comments; paragraphs are split by blank lines as in text files, and a
    headline or date line heading the text goes to ``meta``. Bytes are decoded with the declared
    charset, else UTF-8, else cp1252.

    Raises:
        IngestError: the page has no article text, or its bytes are no text.

    >>> page = ("<html><head><title>Talks fail</title></head><body><article><h1>Talks fail</h1>"
    ...         "<p>Rebels rejected the offer on Monday, mediators said.</p></article></body></html>")
    >>> a = article_from_html(page, id="p.html")
    >>> a.title, a.text
    ('Talks fail', 'Rebels rejected the offer on Monday, mediators said.')
    """
    try:
        import trafilatura
    except ImportError as exc:  # with lxml >= 5.2, trafilatura (through jusText) needs lxml_html_clean
        raise ImportError(f"reading HTML needs trafilatura and lxml_html_clean: {exc}") from exc
    meta: dict[str, Any] = {}
    if isinstance(html, bytes):
        decoded = _decode(html, source or id, html=True)
        html, meta["encoding"] = decoded.text, decoded.encoding
    if not re.search(r"<(?:html|body)\b", html, re.I):  # trafilatura finds nothing in bare fragments
        html = f"<html><body>{html}</body></html>"
    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, favor_precision=True, include_comments=False,
            date_extraction_params={"extensive_search": False, "original_date": True})
    except (ValueError, TypeError, RecursionError) as exc:  # lxml and trafilatura on pathological markup
        raise IngestError(source or id, f"the HTML cannot be parsed: {exc}") from exc
    paragraphs = [p for p in map(clean_text, (getattr(doc, "text", None) or "").split("\n")) if p]
    title = _one_line(getattr(doc, "title", None) or "")
    date = parse_date(getattr(doc, "date", None) or "")
    if len(paragraphs) > 1 and len(paragraphs[0].split()) <= 40 and _same_words(paragraphs[0], title):
        meta["headline"] = paragraphs.pop(0)
    if len(paragraphs) > 1 and _is_date_line(paragraphs[0]):
        meta["dateline"] = paragraphs.pop(0)
        date = date or parse_date(meta["dateline"])
    if not paragraphs:
        raise IngestError(source or id, "no article text found in the HTML page")
    for key in ("author", "sitename", "description", "language"):
        if value := getattr(doc, key, None):
            meta[key] = _one_line(value)
    return Article(id=id, text="\n\n".join(paragraphs), title=title, date=date, source=source,
                   url=getattr(doc, "url", None) or "", meta=meta)


_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number",
               float: "a number", type(None): "null"}


def _record(obj: Any, *, source: str, default_id: str, line: int | None, where: str = "") -> Article | IngestError:
    """One JSON record as an ``Article``, or the error that says what is wrong with it."""
    def error(problem: str) -> IngestError:
        return IngestError(source, where + problem, line)

    if not isinstance(obj, dict):
        return error(f"expected a JSON object, got {_JSON_TYPES.get(type(obj))}")
    if "text" not in obj:
        return error(f"record has no 'text' field (fields: {', '.join(sorted(obj)) or 'none'})")
    for key in JSON_FIELDS:
        value = obj.get(key)
        if not (isinstance(value, str) or (value is None and key != "text")
                or (key == "id" and type(value) is int)):
            return error(f"field {key!r} must be a string, got {_JSON_TYPES.get(type(value))}")
    text = clean_text(obj["text"])
    if not text:
        return error("record has an empty 'text'")
    meta = dict(obj["meta"]) if isinstance(obj.get("meta"), dict) else {}  # Article.meta, round trip
    meta.update((k, v) for k, v in obj.items() if k not in JSON_FIELDS and not (k == "meta" and isinstance(v, dict)))
    date = parse_date(obj.get("date") or "")
    if obj.get("date") and date is None:
        meta["date_raw"] = obj["date"]
    return Article(id=str(obj.get("id") or "") or default_id, text=text, title=_one_line(obj.get("title") or ""),
                   date=date, source=obj.get("source") or source, url=(obj.get("url") or "").strip(), meta=meta)


def _json_items(data: str, *, source: str, prefix: str, lines: bool = False) -> Iterator[Article | IngestError]:
    """Articles and per-record errors of JSON Lines, a JSON array or one JSON object, in order."""
    if not lines:
        try:
            whole = json.loads(data)
        except json.JSONDecodeError as exc:
            if not any(re.fullmatch(r"\s*\{.*\}\s*", line) for line in data.split("\n")[:20]):  # JSON Lines?
                yield IngestError(source, f"JSON syntax error: {exc.msg} (column {exc.colno})", exc.lineno)
                return
        except RecursionError:
            yield IngestError(source, _TOO_DEEP)
            return
        else:
            if not isinstance(whole, list):
                line = data[: len(data) - len(data.lstrip())].count("\n") + 1
                yield _record(whole, source=source, default_id=f"{prefix}-1", line=line)
            for n, obj in enumerate(whole if isinstance(whole, list) else [], start=1):
                yield _record(obj, source=source, default_id=f"{prefix}-{n}", line=None, where=f"record {n}: ")
            if whole == []:
                yield IngestError(source, "empty JSON array")
            return
    for n, line in enumerate(data.split("\n"), start=1):  # JSON Lines: one bad line is one error
        if line.strip():
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield IngestError(source, f"JSON syntax error: {exc.msg} (column {exc.colno})", n)
                continue
            except RecursionError:
                yield IngestError(source, _TOO_DEEP, n)
                continue
            yield _record(obj, source=source, default_id=f"{prefix}-{n}", line=n)


def articles_from_json(data: str, *, source: str, id_prefix: str | None = None,
                       on_error: ErrorHandler | None = None) -> Iterator[Article]:
    """Lazily read articles from JSON Lines, a JSON array of objects or a single JSON object.

    Fields ``id, title, text, date, url, source`` fill the ``Article`` (``text`` is required);
    other fields, and the items of a ``meta`` object, go to ``meta``. A record without ``id`` is
    ``<id_prefix>-<line>`` (the stem of ``source`` by default). A bad record raises ``IngestError``
    naming its line, or goes to ``on_error`` and the next records are still read.

    >>> lines = '{"id": "a1", "text": "Rebels seized the town.", "lang": "en"}\\n{"text": "Talks failed."}'
    >>> [(a.id, a.text, dict(a.meta)) for a in articles_from_json(lines, source="news.jsonl")]
    [('a1', 'Rebels seized the town.', {'lang': 'en'}), ('news-2', 'Talks failed.', {})]
    """
    prefix = Path(source).stem if id_prefix is None else id_prefix
    for item in _json_items(data, source=source, prefix=prefix):
        if isinstance(item, Article):
            yield item
        elif on_error is None:
            raise item
        else:
            on_error(item)


def _decode(data: bytes, source: str, *, html: bool = False) -> Decoded:
    """``decode.decode_bytes``, its refusals as ``IngestError`` naming ``source``."""
    try:
        return decode_bytes(data, html=html)
    except DecodeError as exc:
        raise IngestError(source, str(exc)) from None


def _finish(article: Article, decoded: Decoded | None, where: str, notes: list[str], cut_from: int = 0) -> Article:
    """The article as the pipeline takes it: its encoding noted, its text cut to ``MAX_ARTICLE_CHARS``
    (``cut_from``: the text had been cut from that many), what was not read as it was in ``meta[WARNINGS]``."""
    text, limited = limit_text(article.text, cut_from)
    warnings = ([decoded.note] if decoded is not None and decoded.note else []) + notes + limited
    if decoded is None and not warnings:
        return article
    meta = {"encoding": decoded.encoding, **article.meta} if decoded is not None else dict(article.meta)
    if warnings:
        meta[WARNINGS] = tuple(f"{where}: {warning}" for warning in warnings)
    return replace(article, text=text, meta=meta)


def article_warnings(articles: Iterable[Article]) -> list[str]:
    """The warnings ingest noted on ``articles`` ("file: problem"), in order: for the build's summary."""
    return [w for article in articles for w in article.meta.get(WARNINGS) or () if isinstance(w, str)]


def _parse(data: bytes | str, kind: str | None, *, id: str, source: str) -> Iterator[Article | IngestError]:
    """The articles (and errors) of one input; ``kind`` is ``text``, ``html``, ``json`` or ``None``
    (sniffed). An unexpected failure costs this input only, never the build."""
    try:
        html = kind == "html" or (kind is None and isinstance(data, bytes) and data.lstrip()[:1] == b"<")
        decoded = _decode(data, source, html=html) if isinstance(data, bytes) else None
        text = decoded.text if decoded is not None else str(data)
        if "\x00" in text:
            raise IngestError(source, "binary input (contains NUL characters), not text")
        if not text.strip():
            what = "input" if source == STDIN_SOURCE else "file"
            raise IngestError(source, f"empty {what}" if not text else f"{what} holds only whitespace")
        notes: list[str] = []  # the warnings on the whole input
        if kind is None:  # standard input: "<" starts HTML, "{" or "[" JSON, anything else is text
            head = text.lstrip()[:100]
            kind = "html" if head.startswith("<") else "json" if re.match(r"\{|\[\s*(?:[{\[\]\"]|$)", head) else "text"
        if kind == "json":
            prefix = "stdin" if source == STDIN_SOURCE else PurePosixPath(id).with_suffix("").as_posix()
            lines = Path(source).suffix.lower() in {".jsonl", ".ndjson"}
            articles: Iterable[Article | IngestError] = _json_items(text, source=source, prefix=prefix, lines=lines)
        elif kind == "html":
            page, notes = limit_html(text)
            articles = [article_from_html(page, id=id, source=source)]
        else:  # what lies beyond twice the limit would be cut anyway: it is not cleaned for nothing
            articles = [article_from_text(text[: 2 * MAX_ARTICLE_CHARS], id=id, source=source)]
        cut_from = len(text) if kind == "text" and len(text) > 2 * MAX_ARTICLE_CHARS else 0
        for item in articles:
            if isinstance(item, Article):
                where = f"{source}: article {item.id}" if kind == "json" else source
                item = _finish(item, decoded, where, notes, cut_from)
            yield item
    except IngestError as err:
        yield err
    except Exception as exc:  # a bug met on odd input: this input is skipped and named, the build goes on
        yield IngestError(source, f"unexpected error while reading it ({type(exc).__name__}: {exc})")


def _walk(folder: Path, prefix: str, seen: set[Path]) -> Iterator[tuple[Path, str] | IngestError]:
    """``(file, id)`` of the articles under ``folder``, depth first in name order, skipping
    hidden entries, unknown suffixes and docs; ``id`` is ``prefix`` and the path under ``folder``.
    (``os.scandir``: a folder's entries tell files from folders without a system call each.)"""
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda e: e.name)
    except OSError as exc:
        yield IngestError(str(folder), f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError as exc:  # a link to a folder it may not enter, a loop of links, a failing disk
            yield IngestError(entry.path, f"cannot read: {exc.strerror or exc}")
            continue
        if is_dir:
            if (real := Path(entry.path).resolve()) not in seen:  # symlink loops
                seen.add(real)
                yield from _walk(Path(entry.path), f"{prefix}{name}/", seen)
        elif is_file:
            stem, dot, suffix = name.rpartition(".")
            if dot and stem and f".{suffix.lower()}" in FOLDER_SUFFIXES and stem.lower() not in DOC_STEMS:
                yield Path(entry.path), prefix + name


def _read_input(item: str | Path, stdin: TextIO | None, index: "FileIndex | None" = None) -> Iterator[Article | IngestError]:
    """The articles and errors of one input: ``-``, a folder or a file (as ``index`` has them, if it
    knows the file unchanged)."""
    if str(item) == "-":
        stream = stdin if stdin is not None else sys.stdin
        try:  # bytes where the stream has them, so that any encoding is read as a file's is
            data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().removeprefix("\ufeff")
        except (OSError, UnicodeDecodeError) as exc:
            yield IngestError(STDIN_SOURCE, f"cannot read: {exc}")
            return
        yield from _parse(data, None, id="stdin", source=STDIN_SOURCE)
        return
    path = Path(item)
    if path.is_dir():
        files: Iterable[tuple[Path, str] | IngestError] = _walk(path, "", {path.resolve()})
    elif path.is_file():
        files = [(path, path.name)]
    else:
        files = [IngestError(str(path), "not a file or folder" if path.exists() else "no such file or directory")]
    for found in files:
        if isinstance(found, IngestError):
            yield found
            continue
        file, id = found
        known = index.get(file, id) if index is not None else None
        if known is not None:
            yield from known
            continue
        try:
            data = file.read_bytes()
        except OSError as exc:
            yield IngestError(str(file), f"cannot read: {exc.strerror or exc}")
            continue
        suffix = file.suffix.lower()
        kind = "html" if suffix in HTML_SUFFIXES else "json" if suffix in JSON_SUFFIXES else "text"
        read: list[Article] = []  # text-less, for the index
        failed = False  # a file that gave an error is read again next time, to report it again
        for result in _parse(data, kind, id=id, source=str(file)):
            if isinstance(result, IngestError):
                failed = True
            elif index is not None:
                read.append(without_text(result))
            yield result
        if index is not None and not failed:
            index.put(file, id, read)


def read_articles(inputs: Iterable[str | Path], *, on_error: ErrorHandler | None = None,
                  stdin: TextIO | None = None, index: "FileIndex | None" = None) -> Iterator[Article]:
    """Lazily read the articles of files, folders (recursively) and ``-`` (standard input).

    Folders give their ``.txt .text .md .html .htm .xhtml .json .jsonl .ndjson`` files in sorted
    path order, without hidden entries and README/LICENSE/SOURCE docs; a file named explicitly is
    read whatever its suffix (as text if unknown). ``stdin`` (default ``sys.stdin``) is sniffed:
    ``<`` starts HTML, ``{``/``[`` JSON. Ids are file names (relative to the folder given), JSON
    ids or ``stdin``; a repeated id gets ``#2``... A bad input or JSON line raises ``IngestError``,
    or goes to ``on_error`` and the rest is read. With a ``cache.FileIndex``, a file that has not
    changed since it was last read gives its articles as they were then, without their text
    (``types.text_digest`` still tells them apart): what a cached build needs.

    >>> import io
    >>> stream = io.StringIO('{"text": "Rebels seized the town."}\\n{"text": 5}\\n')
    >>> errors = []
    >>> [a.id for a in read_articles(["-"], stdin=stream, on_error=errors.append)], [str(e) for e in errors]
    (['stdin-1'], ["<stdin>:2: field 'text' must be a string, got a number"])
    """
    taken: dict[str, int] = {}  # id → next suffix to try
    for item in inputs:
        for result in _read_input(item, stdin, index):
            if isinstance(result, IngestError):
                if on_error is None:
                    raise result
                on_error(result)
                continue
            if result.id in taken:
                n = taken[result.id]
                while f"{result.id}#{n}" in taken:
                    n += 1
                taken[result.id] = n + 1
                result = replace(result, id=f"{result.id}#{n}")
            taken[result.id] = 2
            yield result

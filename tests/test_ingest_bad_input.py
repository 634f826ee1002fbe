"""Ingest on broken and hostile input (issue 7): binary files named, other encodings decoded and
said, invisible characters removed, scripts dropped from HTML, deep JSON and wrong types reported
with their line, an unexpected failure confined to its input, and the size limits applied.

Every input is made here, in ``tmp_path``.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from graph_builder.ingest import article_from_html, article_from_text, article_warnings, clean_text, read_articles
from graph_builder.limits import MAX_ARTICLE_CHARS, MAX_SENTENCE_WORDS, cut_html, cut_text, sentence_breaks
from tests.test_ingest import read_all


# ------------------------------------------------- broken and hostile inputs (issue 7)

def _zip_bytes() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", "Rebels seized the town.")
    return buffer.getvalue()


def _png_bytes() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.mark.parametrize("make, kind", [
    (_png_bytes, "PNG image"),
    (_zip_bytes, "ZIP archive"),
    (lambda: __import__("gzip").compress(b"Rebels seized the town." * 50), "gzip archive"),
    (lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF document"),
    (lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)), "JPEG image"),
    (lambda: b"\x7fELF\x02\x01\x01" + bytes(64), "executable"),
    (lambda: __import__("random").Random(7).randbytes(4096), "binary"),
])
def test_binary_files_are_refused_by_name(tmp_path, make, kind):
    path = tmp_path / "image.txt"
    path.write_bytes(make())
    articles, [error] = read_all([path])
    assert articles == [] and error.source == str(path)
    assert kind in error.problem and "not text" in error.problem or "undecodable" in error.problem


@pytest.mark.parametrize("raw, encoding, note", [
    ("Café talks\n\nThe mayor of Zürich rejected the offer.".encode("latin-1"), "cp1252", "not UTF-8"),
    ("“Rebels” rejected the €5 offer — twice.".encode("cp1252"), "cp1252", "Windows-1252"),
    ("Café talks\n\nRebels rejected the offer.".encode("utf-16"), "utf-16", "UTF-16 (byte order mark)"),
    ("Café talks\n\nRebels rejected the offer.".encode("utf-32"), "utf-32", "UTF-32"),
    ("Café talks\n\nRebels rejected the offer.".encode("utf-16-le"), "utf-16-le", "no byte order mark"),
    ("Café talks\n\nRebels rejected the offer.".encode("utf-16-be"), "utf-16-be", "no byte order mark"),
])
def test_other_encodings_are_decoded_and_said(tmp_path, raw, encoding, note):
    path = tmp_path / "a.txt"
    path.write_bytes(raw)
    [article] = read_articles([path])
    expected = raw.decode(encoding)
    assert article.text == clean_text(expected).split("\n\n")[-1]
    assert article.meta["encoding"] == encoding
    [warning] = article_warnings([article])
    assert warning.startswith(f"{path}: ") and note in warning


def test_utf8_with_stray_latin1_bytes_keeps_both_right(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes("Ahmed Maiteeq met Fayez al-Sarraj in Tripoli — “talks”.".encode("utf-8")
                     + " The café owner in Zürich objected.".encode("latin-1"))
    [article] = read_articles([path])
    assert article.text == "Ahmed Maiteeq met Fayez al-Sarraj in Tripoli — “talks”. The café owner in Zürich objected."
    assert article.meta["encoding"] == "utf-8+cp1252" and "not all UTF-8" in article_warnings([article])[0]


def test_a_few_undecodable_bytes_are_replaced_and_counted(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"Rebels seized the town \x81 on Monday, and the army withdrew from the old city.")
    [article] = read_articles([path])
    assert "\ufffd" in article.text and "1 undecodable byte replaced" in article_warnings([article])[0]


def test_utf8_text_needs_no_warning(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title\n\nالسراج met Haftar 🙂 in Paris.", encoding="utf-8")
    [article] = read_articles([path])
    assert article_warnings([article]) == [] and "gb_warnings" not in article.meta


def test_stdin_bytes_in_another_encoding_are_decoded():
    stream = io.TextIOWrapper(io.BytesIO("Café talks\n\nThe mayor rejected the offer.".encode("cp1252")))
    [article] = read_articles(["-"], stdin=stream)
    assert article.text == "The mayor rejected the offer." and article.title == "Café talks"
    assert article_warnings([article]) == ["<stdin>: not UTF-8: read as Windows-1252"]


def test_invisible_and_control_characters_go_scripts_and_emoji_stay():
    text = ("Title\n\nHaf\u200btar\u200d met al-Sar\u00adraj\x07 in \u202eTripoli\u202c. "
            "السراج التقى حفتر 🙂🇱🇾 \x1b[31mred\x1b[0m \ud800 end.")
    article = article_from_text(text, id="x")
    assert article.text.startswith("Haftar met al-Sarraj in Tripoli.")
    assert "السراج التقى حفتر 🙂🇱🇾" in article.text
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\ud800-\udfff]", article.text)
    assert "\ufffd" in article.text  # a lone surrogate (from JSON "\ud800") becomes U+FFFD, never a crash later


def test_hostile_html_keeps_the_text_and_drops_scripts_iframes_and_broken_markup():
    page = ("<html><head><title>Talks <b>fail</title><script>var secret = 'SCRIPTTEXT';</script>"
            "<style>p { color: red } STYLETEXT</style></head><body><article>"
            "<iframe src='javascript:alert(1)'>IFRAMETEXT</iframe>"
            "<p>Rebels rejected the offer on Monday, mediators said in a statement on <i>Tuesday.</p>"
            "<p onclick=\"alert('x')\">The army withdrew from the old city <div><span>after talks"
            "<script>document.write('INLINE')</script></p></article><p>unclosed <b><i>tags"
            "<!-- COMMENTTEXT --></body></html><<>>&&&nbsp;&bogus;")
    article = article_from_html(page, id="p.html")
    assert "Rebels rejected the offer on Monday" in article.text and "The army withdrew" in article.text
    for hidden in ("SCRIPTTEXT", "STYLETEXT", "IFRAMETEXT", "INLINE", "COMMENTTEXT", "alert"):
        assert hidden not in article.text and hidden not in article.title


def test_json_nested_too_deeply_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    deep = '{"a":' * 50_000 + "1" + "}" * 50_000
    (tmp_path / "deep.jsonl").write_text('{"text": "Rebels seized the town."}\n' + deep + "\n")
    articles, errors = read_all([tmp_path / "deep.json", tmp_path / "deep.jsonl"])
    assert [a.id for a in articles] == ["deep-1"]
    assert [(Path(e.source).name, e.line) for e in errors] == [("deep.json", None), ("deep.jsonl", 2)]
    assert all("nested too deeply" in e.problem for e in errors)


@pytest.mark.parametrize("record, problem", [
    ({"text": {"body": "x"}}, "'text' must be a string, got an object"),
    ({"text": "x", "date": 2021}, "'date' must be a string, got a number"),
    ({"text": "x", "url": ["http://a"]}, "'url' must be a string, got an array"),
    ({"text": None}, "'text' must be a string, got null"),
    ([1, 2], "expected a JSON object, got an array"),
])
def test_wrong_field_types_on_a_jsonl_line_name_the_line(tmp_path, record, problem):
    path = tmp_path / "feed.jsonl"
    path.write_text('{"text": "Rebels seized the town."}\n' + json.dumps(record) + '\n{"text": "The army withdrew."}\n')
    articles, [error] = read_all([path])
    assert [a.id for a in articles] == ["feed-1", "feed-3"]
    assert str(error).startswith(f"{path}:2: ") and problem in error.problem


def test_an_unexpected_failure_costs_one_input_only(tmp_path, monkeypatch):
    import graph_builder.ingest as ingest

    (tmp_path / "a.txt").write_text("boom", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Rebels seized the town.", encoding="utf-8")
    real = ingest.article_from_text
    def failing(text: str, **kw):
        if text == "boom":
            raise ValueError("bad")
        return real(text, **kw)

    monkeypatch.setattr(ingest, "article_from_text", failing)
    articles, [error] = read_all([tmp_path])
    assert [a.id for a in articles] == ["b.txt"]
    assert error.source == str(tmp_path / "a.txt")
    assert "unexpected error" in error.problem and "ValueError" in error.problem


# ------------------------------------------------------------------ size limits (issue 7)

def test_a_20_mb_article_is_cut_to_the_documented_limit_with_a_warning(tmp_path):
    paragraph = "Rebels seized the town and the army withdrew from the old city after talks failed. " * 10
    path = tmp_path / "huge.txt"
    path.write_text("Huge story\n\n" + "\n\n".join([paragraph.strip()] * 25_000), encoding="utf-8")
    assert path.stat().st_size > 20_000_000
    [article] = read_articles([path])
    assert MAX_ARTICLE_CHARS // 2 < len(article.text) <= MAX_ARTICLE_CHARS
    assert article.title == "Huge story" and article.text.endswith("failed.")  # cut at a paragraph's end
    [warning] = article_warnings([article])
    assert warning == (f"{path}: text cut to {len(article.text):,} of {len(path.read_text()):,} characters "
                       f"(limit: {MAX_ARTICLE_CHARS:,} per article)")


def test_a_huge_json_record_and_a_huge_html_page_are_cut_too(tmp_path, monkeypatch):
    import graph_builder.limits

    monkeypatch.setattr(graph_builder.limits, "MAX_HTML_CHARS", 60_000)  # the mechanism, at a tenth of the cost
    body = "Rebels seized the town. " * 20_000
    (tmp_path / "big.jsonl").write_text(json.dumps({"id": "r1", "text": body}) + "\n", encoding="utf-8")
    page = ("<html><head><style>" + "p{}" * 20_000 + "</style></head><body><article>"
            + "<p>The army withdrew from the old city.</p>" * 2_000 + "</article></body></html>")
    (tmp_path / "big.html").write_text(page, encoding="utf-8")
    articles, errors = read_all([tmp_path])
    assert errors == [] and [a.id for a in articles] == ["big.html", "r1"]
    assert 30_000 < len(articles[0].text) < 60_000 and len(articles[1].text) <= MAX_ARTICLE_CHARS
    assert article_warnings(articles) == [
        f"{tmp_path / 'big.html'}: page of {len(page):,} characters cut to {len(cut_html(page, 60_000)):,} "
        "before extraction (limit: 60,000)",
        f"{tmp_path / 'big.jsonl'}: article r1: text cut to {len(articles[1].text):,} of {len(body) - 1:,} characters "
        f"(limit: {MAX_ARTICLE_CHARS:,} per article)",
    ]


def test_a_100000_line_file(tmp_path):
    lines = tmp_path / "lines.jsonl"
    lines.write_text("".join(json.dumps({"id": f"n{i}", "text": f"Rebels seized town {i}."}) + "\n"
                             if i % 1000 else "{broken\n" for i in range(100_000)), encoding="utf-8")
    articles, errors = read_all([lines])
    assert len(articles) == 99_900 and articles[-1].id == "n99999"
    assert [e.line for e in errors][:3] == [1, 1001, 2001] and len(errors) == 100
    text = tmp_path / "lines.txt"
    text.write_text("\n".join(f"Rebels seized town number {i} and held it" for i in range(100_000)), encoding="utf-8")
    [article] = read_articles([text])
    assert len(article.text) <= MAX_ARTICLE_CHARS and len(article_warnings([article])) == 2  # cut, and split


def test_sentence_breaks_bound_every_run_of_words():
    words = [f"w{i}," if i % 37 == 0 else f"w{i}" for i in range(5_000)]
    text = " ".join(words) + "."
    breaks = sentence_breaks(text)
    bounds = [0, *breaks, len(text)]
    parts = [text[a:b].split() for a, b in zip(bounds, bounds[1:])]
    assert all(MAX_SENTENCE_WORDS // 2 <= len(p) <= MAX_SENTENCE_WORDS for p in parts[:-1])
    assert len(parts[-1]) <= MAX_SENTENCE_WORDS
    assert all(p[-1].endswith(",") for p in parts[:-1])  # split after a comma where there is one
    assert sum(map(len, parts)) == 5_000
    ordinary = "Haftar rejected the initiative. " * 500 + "\n\n" + "word " * 150 + "\n\n" + "word " * 150
    assert sentence_breaks(ordinary) == []


def test_cut_text_prefers_paragraphs_then_sentences():
    text = "First paragraph.\n\nSecond one. It goes on and on"
    assert cut_text(text, 40) == "First paragraph.\n\nSecond one."
    assert cut_text(text, 20) == "First paragraph."
    assert cut_text(text, 1000) == text

"""The documented size limits that keep one hostile or broken article from stalling a build.

- ``MAX_ARTICLE_CHARS``: an article's text is cut (at a paragraph or sentence end where there
  is one near the limit) to this many characters when it is read; the cut is reported.
- ``MAX_HTML_CHARS``: a web page is cut to this many characters (its scripts and styles taken
  out first) before its article is extracted, since extraction time grows with the markup.
- ``MAX_SENTENCE_WORDS``: a run of more words than this without a sentence end (``.``, ``!``,
  ``?``) or a blank line is split into parts for the parser (``nlp`` starts a sentence at each
  ``sentence_breaks`` offset, after a comma, semicolon or colon where there is one), so that no
  sentence, and no evidence string repeated on each of its statements, grows without bound.

Both are pure functions of the text, so the same article is always cut and split the same way,
whether it is parsed now, in another process or read back from the cache.
"""

from __future__ import annotations

import re

__all__ = ["MAX_ARTICLE_CHARS", "MAX_HTML_CHARS", "MAX_SENTENCE_WORDS", "cut_text", "cut_html", "sentence_breaks",
           "limit_text", "limit_html"]

#: Characters of one article's text that are parsed (about 16,000 words; the longest article of
#: the shared corpus has 25,000 characters).
MAX_ARTICLE_CHARS = 100_000
#: Characters of one web page given to the extractor (the largest page of the shared corpus has 1.4 million,
#: 180,000 without its scripts and styles).
MAX_HTML_CHARS = 1_000_000
#: Words of one sentence that are parsed together; longer runs are split.
MAX_SENTENCE_WORDS = 200

_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b([^>]*)>.*?</\1\s*>", re.I | re.S)
_WORD = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?…。！？؟][\"'”’»)\]]*$")
_SOFT_END = re.compile(r"[,;:][\"'”’»)\]]*$")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
#: Where a run of words ends: after a word that ends a sentence, or at a blank line.
_RUN_END = re.compile(r"[.!?…。！？؟][\"'”’»)\]]*(?!\S)|\n[^\S\n]*\n")


def cut_text(text: str, limit: int = MAX_ARTICLE_CHARS) -> str:
    """``text`` if it has at most ``limit`` characters, else its start: up to the last paragraph
    end, else sentence end, else space in its second half, else exactly ``limit``.

    >>> cut_text("Rebels seized the town. The army withdrew.", 30), cut_text("abcdef", 4)
    ('Rebels seized the town.', 'abcd')
    """
    if len(text) <= limit:
        return text
    head = text[:limit]
    floor = limit // 2
    for boundary in ("\n\n", ". ", "\n", " "):
        at = head.rfind(boundary, floor)
        if at > 0:
            return head[: at + (boundary == ". ")].rstrip()
    return head


def cut_html(html: str, limit: int = MAX_HTML_CHARS) -> str:
    """``html`` if it has at most ``limit`` characters; else without its scripts and styles (JSON-LD
    metadata kept) and, if still too long, cut before the last tag that starts within the limit.

    >>> cut_html("<p>a</p><script>x()</script><p>b</p>", 20), cut_html("<p>a</p><p>b</p>", 12)
    ('<p>a</p><p>b</p>', '<p>a</p>')
    """
    if len(html) <= limit:
        return html
    html = _SCRIPT_OR_STYLE.sub(lambda m: m.group() if "ld+json" in m.group(2).lower() else "", html)
    if len(html) <= limit:
        return html
    at = html.rfind("<", 0, limit)
    return html[:at] if at > 0 else html[:limit]


def sentence_breaks(text: str, max_words: int = MAX_SENTENCE_WORDS) -> list[int]:
    """Character offsets of the words that start a new sentence in over-long runs of words.

    A run ends at a word ending with ``.``, ``!`` or ``?`` (quotes and brackets after it allowed)
    or at a blank line. When a run would have more than ``max_words`` words, a sentence starts
    after its last word ending with ``,``, ``;`` or ``:`` in its second half, else at the word
    over the limit. Text of ordinary sentences gives ``[]``.

    >>> text = "a b, c d e f g. h i"
    >>> [text[i:] for i in sentence_breaks(text, max_words=3)], sentence_breaks("a b. c d", max_words=3)
    (['c d e f g. h i', 'f g. h i'], [])
    """
    if sum(map(text.count, " \n\t")) < max_words:  # fewer words than a sentence may have: nothing to split
        return []
    if max(len(_WORD.findall(run)) for run in _RUN_END.split(text)) <= max_words:  # the usual case, found fast
        return []
    breaks: list[int] = []
    run: list[tuple[int, bool]] = []  # (start, ends softly) of each word of the current run
    last_end = 0
    for word in _WORD.finditer(text):
        if run and _BLANK_LINE.search(text, last_end, word.start()):
            run = []
        run.append((word.start(), bool(_SOFT_END.search(word.group()))))
        if len(run) > max_words:
            soft = [i + 1 for i, (_, ends_softly) in enumerate(run[:-1]) if ends_softly and i + 1 >= len(run) // 2]
            cut = soft[-1] if soft else len(run) - 1
            breaks.append(run[cut][0])
            run = run[cut:]
        if _SENTENCE_END.search(word.group()):
            run = []
        last_end = word.end()
    return breaks


def limit_text(text: str, cut_from: int = 0) -> tuple[str, list[str]]:
    """``text`` cut to ``MAX_ARTICLE_CHARS``, and warnings on the cut and on the sentences that
    will be split; ``cut_from``: the length of the text ``text`` was already cut from, if it was.

    >>> limit_text("Rebels seized the town.")
    ('Rebels seized the town.', [])
    """
    cut = cut_text(text, MAX_ARTICLE_CHARS)
    warnings = []
    if len(cut) < len(text) or cut_from:
        warnings.append(f"text cut to {len(cut):,} of {cut_from or len(text):,} characters "
                        f"(limit: {MAX_ARTICLE_CHARS:,} per article)")
    if splits := len(sentence_breaks(cut, MAX_SENTENCE_WORDS)):
        warnings.append(f"{splits} over-long sentence{'s' * (splits > 1)} split for the parser "
                        f"(limit: {MAX_SENTENCE_WORDS} words without . ! or ?)")
    return cut, warnings


def limit_html(html: str) -> tuple[str, list[str]]:
    """``html`` cut to ``MAX_HTML_CHARS`` (``cut_html``), and a warning when it was."""
    page = cut_html(html, MAX_HTML_CHARS)
    if len(page) == len(html):
        return html, []
    return page, [f"page of {len(html):,} characters cut to {len(page):,} before extraction "
                  f"(limit: {MAX_HTML_CHARS:,})"]

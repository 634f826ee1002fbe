"""Time expressions as written ("in May 2014", "on Monday", "two days ago") to ISO dates.

News reports past events and dates them relative to the day the article was published, so a
weekday means the last such day on or before publication, a month without a year the
publication's year, and "yesterday" the day before it. The result keeps the precision the text
gives: a day (``xsd:date`` ``2014-05-12``), a month (``xsd:gYearMonth`` ``2014-05``) or a year
(``xsd:gYear`` ``2014``). Expressions that name no point in time the text and the publication
date fix ("three hours later": later than what?; "since 2011": a start, not the event's time;
"for two weeks": a duration) give ``None``, and the statement keeps only the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["Timex", "normalise_time", "DATE", "YEAR_MONTH", "YEAR"]

#: The precision of a normalised time, named after its XML Schema datatype.
DATE, YEAR_MONTH, YEAR = "date", "gYearMonth", "gYear"

MONTHS = {name: i for i, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")], 1) for name in names}
WEEKDAYS = {name: i for i, name in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
NUMBERS = {word: i for i, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())} | {"a": 1, "an": 1}
#: Words before a time that still say "at that time"; others ("since", "until") say something else.
_AT = ("in", "on", "at", "during", "of", "early", "earlier", "late", "later", "mid")
#: After these, "the" starts the relation, not the time: "the previous year", "the coming month".
_THE_KEEPS = ("the previous", "the coming")
_PARTS_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>1[89]\d\d|2\d\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [(re.compile(p + r"$"), kind) for p, kind in [
    (r"(?P<iso>\d{4}-\d{2}-\d{2})", "iso"),
    (_DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR, "dmy"),
    (_MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR, "dmy"),
    (_MONTH + r",?\s+" + _YEAR, "my"),
    (_DAY + r"\s+(?:of\s+)?" + _MONTH, "dm"),
    (_MONTH + r"\s+" + _DAY, "dm"),
    (_MONTH, "m"),
    (_YEAR, "y"),
    (r"(?P<rel>last|next|this|past)?\s*(?P<weekday>" + "|".join(WEEKDAYS) + r")" + _PARTS_OF_DAY, "weekday"),
    (r"(?P<word>today|tonight|yesterday|tomorrow|last night)" + _PARTS_OF_DAY, "word"),
    (r"this\s+(?:morning|afternoon|evening)", "today"),
    (r"(?P<n>\d+|" + "|".join(NUMBERS) + r")\s+(?P<unit>day|week|month|year|hour|minute)s?\s+ago", "ago"),
    (r"(?P<rel>last|next|this|the previous|the coming)\s+(?P<unit>month|year)", "unit"),
]]


@dataclass(frozen=True)
class Timex:
    """A normalised time: ``value`` in ISO 8601 with ``precision`` ``date``, ``gYearMonth`` or ``gYear``."""

    value: str
    precision: str


def normalise_time(text: str, published: str | None) -> Timex | None:
    """The ISO date (or month, or year) ``text`` stands for, read relative to ``published``.

    Args:
        text: a time expression as written in a sentence, with its preposition.
        published: the article's publication date (``2021-04-19``) or ``None``; without it only
            absolute dates ("12 May 2014", "in 2014") are normalised.

    >>> normalise_time("in May 2014", "2021-04-19")
    Timex(value='2014-05', precision='gYearMonth')
    >>> normalise_time("on Monday", "2021-04-21")  # a Wednesday
    Timex(value='2021-04-19', precision='date')
    >>> normalise_time("three hours later", "2021-04-21") is None
    True
    """
    words = _strip_modifiers(" ".join(text.lower().replace("mid-", "mid ").replace(",", " ").split()).strip(" ."))
    try:
        anchor = date.fromisoformat(published) if published else None
    except ValueError:
        anchor = None
    for pattern, kind in _PATTERNS:
        match = pattern.match(words)
        if match:
            try:
                return _RESOLVERS[kind](match.groupdict(), anchor)
            except ValueError:  # "31 February"
                return None
    return None


def _strip_modifiers(words: str) -> str:
    """ "in early May 2014" → "may 2014"; "on the 12th of May" → "12th of may"."""
    while True:
        head, _, rest = words.partition(" ")
        if head in _AT and rest:
            words = rest
        elif head == "the" and rest and not words.startswith(_THE_KEEPS):
            words = rest
        else:
            return words


def _iso(fields: dict, anchor: date | None) -> Timex:
    return Timex(date.fromisoformat(fields["iso"]).isoformat(), DATE)


def _dmy(fields: dict, anchor: date | None) -> Timex:
    return Timex(date(int(fields["year"]), MONTHS[fields["month"]], int(fields["day"])).isoformat(), DATE)


def _my(fields: dict, anchor: date | None) -> Timex:
    return Timex(f"{int(fields['year']):04d}-{MONTHS[fields['month']]:02d}", YEAR_MONTH)


def _dm(fields: dict, anchor: date | None) -> Timex | None:
    return None if anchor is None else Timex(date(anchor.year, MONTHS[fields["month"]], int(fields["day"])).isoformat(), DATE)


def _m(fields: dict, anchor: date | None) -> Timex | None:
    return None if anchor is None else Timex(f"{anchor.year:04d}-{MONTHS[fields['month']]:02d}", YEAR_MONTH)


def _y(fields: dict, anchor: date | None) -> Timex:
    return Timex(f"{int(fields['year']):04d}", YEAR)


def _weekday(fields: dict, anchor: date | None) -> Timex | None:
    """The last such weekday on or before publication ("last": strictly before; "next": after)."""
    if anchor is None:
        return None
    back = (anchor.weekday() - WEEKDAYS[fields["weekday"]]) % 7
    if fields.get("rel") == "next":
        return Timex((anchor + timedelta(days=(7 - back) % 7 or 7)).isoformat(), DATE)
    if fields.get("rel") in ("last", "past") and back == 0:
        back = 7
    return Timex((anchor - timedelta(days=back)).isoformat(), DATE)


def _word(fields: dict, anchor: date | None) -> Timex | None:
    shift = {"today": 0, "tonight": 0, "yesterday": -1, "last night": -1, "tomorrow": 1}[fields["word"]]
    return None if anchor is None else Timex((anchor + timedelta(days=shift)).isoformat(), DATE)


def _today(fields: dict, anchor: date | None) -> Timex | None:
    return None if anchor is None else Timex(anchor.isoformat(), DATE)


def _ago(fields: dict, anchor: date | None) -> Timex | None:
    if anchor is None:
        return None
    n = int(fields["n"]) if fields["n"].isdigit() else NUMBERS[fields["n"]]
    unit = fields["unit"]
    if unit in ("hour", "minute"):
        return Timex(anchor.isoformat(), DATE) if n < 24 or unit == "minute" else None
    if unit in ("day", "week"):
        return Timex((anchor - timedelta(days=n * (7 if unit == "week" else 1))).isoformat(), DATE)
    if unit == "month":
        year, month = divmod(anchor.year * 12 + anchor.month - 1 - n, 12)
        return Timex(f"{year:04d}-{month + 1:02d}", YEAR_MONTH)
    return Timex(f"{anchor.year - n:04d}", YEAR)


def _unit(fields: dict, anchor: date | None) -> Timex | None:
    if anchor is None:
        return None
    step = {"next": 1, "the coming": 1, "this": 0}.get(fields.get("rel") or "this", -1)
    if fields["unit"] == "year":
        return Timex(f"{anchor.year + step:04d}", YEAR)
    year, month = divmod(anchor.year * 12 + anchor.month - 1 + step, 12)
    return Timex(f"{year:04d}-{month + 1:02d}", YEAR_MONTH)


_RESOLVERS = {"iso": _iso, "dmy": _dmy, "my": _my, "dm": _dm, "m": _m, "y": _y, "weekday": _weekday,
              "word": _word, "today": _today, "ago": _ago, "unit": _unit}

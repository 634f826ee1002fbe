"""Time expressions as the extractor writes them, normalised against the publication date."""

from __future__ import annotations

import pytest

from graph_builder.timex import Timex, normalise_time

PUBLISHED = "2021-04-21"  # a Wednesday


@pytest.mark.parametrize("text, value, precision", [
    ("in May 2014", "2014-05", "gYearMonth"),
    ("in early May 2014", "2014-05", "gYearMonth"),
    ("on 12 May 2014", "2014-05-12", "date"),
    ("on May 12, 2014", "2014-05-12", "date"),
    ("Sept. 3, 2015", "2015-09-03", "date"),
    ("on the 12th of May", "2021-05-12", "date"),
    ("2014-05-12", "2014-05-12", "date"),
    ("in 2014", "2014", "gYear"),
    ("in March", "2021-03", "gYearMonth"),
    ("mid-March", "2021-03", "gYearMonth"),
    ("on Monday", "2021-04-19", "date"),
    ("Wednesday", "2021-04-21", "date"),
    ("on Thursday night", "2021-04-15", "date"),
    ("last Wednesday", "2021-04-14", "date"),
    ("next Monday", "2021-04-26", "date"),
    ("today", "2021-04-21", "date"),
    ("yesterday", "2021-04-20", "date"),
    ("last night", "2021-04-20", "date"),
    ("this morning", "2021-04-21", "date"),
    ("two days ago", "2021-04-19", "date"),
    ("a week ago", "2021-04-14", "date"),
    ("3 hours ago", "2021-04-21", "date"),
    ("six months ago", "2020-10", "gYearMonth"),
    ("last month", "2021-03", "gYearMonth"),
    ("earlier this month", "2021-04", "gYearMonth"),
    ("last year", "2020", "gYear"),
    ("the previous year", "2020", "gYear"),
    ("later this year", "2021", "gYear"),
    ("next year", "2022", "gYear"),
])
def test_normalised(text, value, precision):
    assert normalise_time(text, PUBLISHED) == Timex(value, precision)


@pytest.mark.parametrize("text", [
    "three hours later",  # later than what: the text does not say
    "two days later",
    "since 2011",  # a start, not the time of the event
    "until May 2014",
    "for two weeks",
    "three years",
    "recent days",
    "the past year",
    "the 1990s",
    "31 February 2014",
    "",
])
def test_not_normalised(text):
    assert normalise_time(text, PUBLISHED) is None


def test_without_a_publication_date_only_absolute_dates_are_normalised():
    assert normalise_time("in May 2014", None) == Timex("2014-05", "gYearMonth")
    assert normalise_time("on Monday", None) is None
    assert normalise_time("yesterday", "not a date") is None

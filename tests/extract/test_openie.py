"""openie.v1: surface clauses with full phrases, as CaRB scores them."""

from __future__ import annotations

import pytest

from graph_builder.extract.openie import openie_triples
from graph_builder.types import Article


def clauses(nlp, text):
    return {(t.subject.text, t.relation_text, t.object.text)
            for t in openie_triples(nlp(text), article=Article(id="o", text=text))}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr. Baker found an opening under the house.", ("Mr. Baker", "found", "an opening under the house")),
        ("The initiative was rejected by the fighters.", ("The initiative", "was rejected by", "the fighters")),
        ("Tom Bradley joined the company in 1941.", ("Tom Bradley", "joined", "the company in 1941")),
        ("The fighters agreed to withdraw from the city.", ("The fighters", "agreed to withdraw from", "the city")),
        ("Celeski is an Australian footballer who plays for the Newcastle Jets.",
         ("Celeski", "is", "an Australian footballer")),
        ("Haftar did not accept the offer.", ("Haftar", "did not accept", "the offer")),
    ],
)
def test_clauses(nlp, text, expected):
    assert expected in clauses(nlp, text)


def test_offsets_and_negation(nlp):
    text = "Haftar did not accept the offer."
    (t,) = [t for t in openie_triples(nlp(text), article=Article(id="o", text=text)) if t.relation_text == "did not accept"]
    assert t.negated and text[t.subject.start:t.subject.end] == "Haftar"
    assert text[t.object.start:t.object.end] == "the offer"

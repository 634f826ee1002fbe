"""Events stated as nouns (part of svo.v1), with the real spaCy model: who did what to whom."""

from __future__ import annotations

import pytest

from tests.extract.test_svo import triples_of


@pytest.mark.parametrize(
    "text, expected",
    [
        # fighting between two sides
        ("Heavy clashes erupted between the army and rebels on Monday.", ("army", "clash_with", "rebels", False)),
        ("At least 30 militants were killed in clashes with Kurdish troops on Thursday.",
         ("militants", "clash_with", "Kurdish troops", False)),
        # "pitted X against Y"; "members of the YPG" are the YPG
        ("The fighting pitted ISIL militants against members of the YPG in the village.",
         ("ISIL militants", "clash_with", "YPG", False)),
        # agent and target of an event noun
        ("The capture of Sirte by the rebels ended the siege.", ("rebels", "capture", "Sirte", False)),
        ("The army says Israel's air raids on Lebanon are aimed at guerrilla bases.", ("Israel", "raid", "Lebanon", False)),
        ("Iraqi troops suffered heavy casualties in Iran's week-old offensive.", ("Iran", "launch", "offensive", False)),
        ("Russian jets in violation of a cease-fire hit an outpost.", ("Russian jets", "violate", "cease fire", False)),
    ],
)
def test_nominal_events(nlp, text, expected):
    assert expected in triples_of(nlp, text)


def test_an_event_acts_only_on_its_direct_object(nlp):
    found = triples_of(nlp, "Heavy clashes erupted between the army and rebels on Monday.")
    assert not any(s == "clashes" for s, _, _, _ in found)


def test_an_event_that_did_not_happen_gives_nothing(nlp):
    assert not any(r == "raid" for _, r, _, _ in triples_of(nlp, "Israel refused to launch its planned raids on Lebanon."))
    assert ("Israel", "raid", "Lebanon", False) in triples_of(nlp, "Israel launched its air raids on Lebanon.")


def test_an_event_is_a_fact_whatever_is_said_of_it(nlp):
    assert ("army", "kill", "leader", False) in triples_of(
        nlp, "The rebels vowed to avenge the killing of their leader by the army.")

"""roles.v1: roles and affiliations stated without a verb of action."""

from __future__ import annotations

import pytest

from graph_builder.extract.roles import role_triples
from graph_builder.types import Article


def roles_of(nlp, text):
    return {(t.subject.label, t.relation, t.object.label)
            for t in role_triples(nlp(text), article=Article(id="r", text=text))}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mustafa El Sagezli, the General Manager of Libyan Program for Reintegration and Development, spoke.",
         ("Mustafa El Sagezli", "general_manager_of", "Libyan Program for Reintegration and Development")),
        ("Libyan leader Muammar Gaddafi spoke on Monday.", ("Muammar Gaddafi", "leader_of", "Libya")),
        ("Iranian President Hassan Rouhani visited Ankara.", ("Hassan Rouhani", "president_of", "Iran")),
        ("Sagezli told Turkey-based Arraed TV on Monday that talks failed.", ("Arraed TV", "based_in", "Turkey")),
        ("Khalifa Haftar's close ally contacted Sagezli.", ("ally", "ally_of", "Khalifa Haftar")),
        ("The commander of Dignity Operation, General Khalifa Haftar, has rejected an initiative.",
         ("Khalifa Haftar", "commander_of", "Dignity Operation")),
        # a possessive before the title, with or without its apostrophe (FA-KES strips them)
        ("Russia's President Vladimir Putin met the envoy.", ("Vladimir Putin", "president_of", "Russia")),
        ("Hezbollah's leader Hassan Nasrallah spoke.", ("Hassan Nasrallah", "leader_of", "Hezbollah")),
        ("Syrias President Bashar al-Assad rejected the plan.", ("Bashar al-Assad", "president_of", "Syria")),
    ],
)
def test_roles(nlp, text, expected):
    assert expected in roles_of(nlp, text)


def test_no_role_without_a_role_noun(nlp):
    assert roles_of(nlp, "Syrian troops entered Aleppo on Monday.") == set()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("US Secretary of State Condoleezza Rice arrived.", ("Condoleezza Rice", "secretary_of_state_of", "United States")),
        ("UN Secretary General Kofi Annan spoke.", ("Kofi Annan", "secretary_general_of", "UN")),
    ],
)
def test_multiword_titles(nlp, text, expected):
    assert expected in roles_of(nlp, text)


def test_a_post_held_at_an_organisation(nlp):
    text = "The political department head at Iraq's Defence Ministry, Abdul Jabbar Muhsen, said fighting continued."
    assert ("Abdul Jabbar Muhsen", "department_head_of", "Defence Ministry") in roles_of(nlp, text)


def test_a_nameless_post_is_no_role(nlp):
    assert roles_of(nlp, "Mr Blair's official spokesman said the talks went well.") == set()
    assert ("ally", "ally_of", "Khalifa Haftar") in roles_of(nlp, "Khalifa Haftar's close ally contacted Sagezli.")


def test_a_stance_stated_with_be(nlp):
    text = "Mr Blair and the Labour government have been the staunchest backers of Turkish accession."
    assert {("Blair", "back", "Turkish accession"), ("Labour government", "back", "Turkish accession")} <= roles_of(nlp, text)


def test_a_spokesman_named_with_nationality_and_organisation(nlp):
    assert ("Eyal Arad", "spokesman_of", "Israel") in roles_of(nlp, "Israeli U.N. Spokesman Eyal Arad said the talks went well.")


def test_a_title_case_word_is_no_stripped_genitive(nlp):
    """Only a country's name plus "s" is read as a genitive without apostrophe."""
    assert not any(o == "Syria" for _, _, o in roles_of(nlp, "Ministers President Bashar al-Assad spoke."))

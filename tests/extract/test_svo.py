"""The svo.v1 extractor on sentences, with the real spaCy model: what a careful reader takes."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from graph_builder.extract import extract_article
from graph_builder.extract.svo import svo_triples
from graph_builder.types import Article


def triples_of(nlp, text: str) -> set[tuple[str, str, str, bool]]:
    article = Article(id="t", text=text)
    return {(t.subject.label, t.relation, t.object.label, t.negated) for t in svo_triples(nlp(text), article=article)}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Haftar rejected the initiative.", ("Haftar", "reject", "initiative", False)),
        # passive voice: the agent acts
        ("The initiative was rejected by Khalifa Haftar.", ("Khalifa Haftar", "reject", "initiative", False)),
        # negation is a flag, never dropped
        ("Khalifa Haftar did not accept the initiative.", ("Khalifa Haftar", "accept", "initiative", True)),
        ("Khalifa Haftar refused to accept the initiative.", ("Khalifa Haftar", "accept", "initiative", True)),
        # particles and prepositions become part of the relation
        ("The fighters agreed to withdraw from the city.", ("fighters", "withdraw_from", "city", False)),
        ("The rebels handed over Benghazi.", ("rebels", "hand_over", "Benghazi", False)),
        # apposition: the name, not "the commander"
        ("The commander of Dignity Operation, General Khalifa Haftar, has rejected an initiative.",
         ("Khalifa Haftar", "reject", "initiative", False)),
        # object control by a verb that makes it happen: "forced the rebels to leave" → rebels leave
        ("The army forced the rebels to leave the city.", ("rebels", "leave", "city", False)),
        # people named by their office act, whatever the office
        ("The mayor of Zurich rejected the offer.", ("mayor", "reject", "offer", False)),
        ("The governor condemned the attack.", ("governor", "condemn", "attack", False)),
    ],
)
def test_extracts(nlp, text, expected):
    assert expected in triples_of(nlp, text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Russia and Iran supported Assad.", {("Russia", "support", "Assad"), ("Iran", "support", "Assad")}),
        ("The army attacked Aleppo and Homs.", {("army", "attack", "Aleppo"), ("army", "attack", "Homs")}),
        ("Rebels captured the town and killed the commander.",
         {("Rebels", "capture", "town"), ("Rebels", "kill", "commander")}),
    ],
)
def test_conjunctions_expand(nlp, text, expected):
    found = {(s.lower(), r, o.lower()) for s, r, o, _ in triples_of(nlp, text)}
    assert {(s.lower(), r, o.lower()) for s, r, o in expected} <= found


def test_pronoun_resolved_to_the_speaker(nlp):
    text = "Mustafa El Sagezli said he had contacted a close ally of Khalifa Haftar."
    assert ("Mustafa El Sagezli", "contact", "ally", False) in triples_of(nlp, text)


def test_no_actor_is_a_pronoun(nlp):
    text = "It was late. They said it would rain, and he left. Which was rejected by them."
    for s, _, o, _ in triples_of(nlp, text):
        assert s.lower() not in {"he", "she", "it", "they", "them", "which"}
        assert o.lower() not in {"he", "she", "it", "they", "them", "which"}


def test_offsets_point_into_the_text(nlp):
    text = "Intro line.\n\nKhalifa Haftar’s close ally contacted Sagezli back."
    (triple,) = [t for t in svo_triples(nlp(text), article=Article(id="t", text=text)) if t.relation == "contact_back"]
    assert text[triple.start:triple.end] == triple.sentence
    assert text[triple.subject.start:triple.subject.end] == triple.subject.text == "Khalifa Haftar’s close ally"
    assert text[triple.object.start:triple.object.end] == "Sagezli"
    assert text[triple.relation_start:triple.relation_end] == "contacted"
    assert 0 < triple.confidence <= 1


def test_hand_built_parse_needs_no_model(nlp):
    """The extractor reads only the parse: a hand-made Doc gives the triple it describes."""
    words = ["Rebels", "attacked", "Aleppo", "."]
    doc = Doc(nlp.vocab, words=words, heads=[1, 1, 1, 1], deps=["nsubj", "ROOT", "dobj", "punct"],
              pos=["NOUN", "VERB", "PROPN", "PUNCT"], lemmas=["rebel", "attack", "Aleppo", "."],
              tags=["NNS", "VBD", "NNP", "."])
    triples = list(svo_triples(doc, article=Article(id="h", text=doc.text)))
    assert [(t.subject.label, t.relation, t.object.label) for t in triples] == [("rebels", "attack", "Aleppo")]


def test_extract_article_keeps_entity_mentions(nlp):
    text = "General Khalifa Haftar met envoys in Benghazi. Haftar rejected the plan."
    result = extract_article(nlp(text), Article(id="m", text=text))
    labels = {m.label for m in result.mentions}
    assert {"Khalifa Haftar", "Benghazi"} <= labels
    assert all(m.named for m in result.mentions)


def first(nlp, text, relation):
    return next(t for t in svo_triples(nlp(text), article=Article(id="t", text=text)) if t.relation == relation)


@pytest.mark.parametrize(
    "text, relation, modality",
    [
        ("The rebels may attack the airport.", "attack", "may"),
        ("The fighters agreed to withdraw from the city.", "withdraw_from", "agree"),
        ("Russia threatened to bomb the convoy.", "bomb", "threaten"),
        ("Haftar rejected the initiative.", "reject", ""),
    ],
)
def test_modality_is_kept(nlp, text, relation, modality):
    assert first(nlp, text, relation).modality == modality


def test_conditions_are_not_facts(nlp):
    found = triples_of(nlp, "If the rebels attack the airport, the army will shell the town.")
    assert not any(r == "attack" for _, r, _, _ in found)
    assert first(nlp, "If the rebels attack the airport, the army will shell the town.", "shell").modality in ("will", "conditional")


def test_reported_speech_is_attributed_to_the_speaker(nlp):
    text = "Sagezli said the mediators had contacted Khalifa Haftar."
    triple = first(nlp, text, "contact")
    assert triple.attributed_to is not None and triple.attributed_to.label == "Sagezli"
    assert first(nlp, "The mediators contacted Khalifa Haftar.", "contact").attributed_to is None


def test_time_expression_kept_as_written(nlp):
    assert first(nlp, "Khalifa Haftar launched Dignity Operation in May 2014.", "launch").time_text == "in May 2014"
    assert first(nlp, "Sagezli told Arraed TV on Monday that talks failed.", "tell").time_text == "on Monday"


def test_phrasal_verbs(nlp):
    assert ("ally", "contact_back", "Sagezli", False) in triples_of(nlp, "The ally contacted Sagezli back.")
    found = triples_of(nlp, "Khalifa Haftar wanted Benghazi Shura fighters to hand themselves in.")
    assert any(s == "Khalifa Haftar" and r == "want" for s, r, _, _ in found)


@pytest.mark.parametrize(
    "text",
    ["DIPLOMATS CALL U.S. ATTACK ON OIL RIG RESTRAINED AND SAY IRAN WILL ANSWER IT.",
     "Reporting by John Smith; Editing by Alex Richardson.",
     "PARIS, March 23 - Chad said its troops had won."],
)
def test_noise_gives_no_actor(nlp, text):
    for s, _, o, _ in triples_of(nlp, text):
        assert s not in ("DIPLOMATS", "PARIS", "John Smith") and o not in ("John Smith", "Alex Richardson")


def test_definite_descriptions_refer_back(nlp):
    text = "Fighters entered Benghazi in May. Thousands of people have fled the city."
    assert any(o == "Benghazi" for _, r, o, _ in triples_of(nlp, text) if r == "flee")


def test_relations_carry_their_cameo_event(nlp):
    assert first(nlp, "Haftar rejected the initiative.", "reject").cameo.startswith("12")
    assert first(nlp, "The army shelled Aleppo.", "shell").cameo.startswith("19")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The Iraqi army backed by Kurdish fighters attacked Mosul.", ("Kurdish fighters", "back", "Iraqi army")),
        ("The YPG regained control of the village of Qassiab.", ("YPG", "regain_control_of", "Qassiab")),
        ("Mr Blair met Prime Minister Tony Blair's aides. Later the Prime Minister rejected the report.",
         ("Tony Blair", "reject", "report")),
        ("Fighters left the Damascus suburb of Daraya.", ("fighters", "leave", "Daraya")),
    ],
)
def test_news_constructions(nlp, text, expected):
    found = {(s.lower(), r, o.lower()) for s, r, o, _ in triples_of(nlp, text)}
    assert tuple(x.lower() for x in expected) in found


def test_the_two_countries_are_both(nlp):
    text = "Relations between Egypt and Israel improved. The two countries have signed a trade protocol."
    found = {(s, r) for s, r, o, _ in triples_of(nlp, text) if o == "trade protocol"}
    assert {("Egypt", "sign"), ("Israel", "sign")} <= found


@pytest.mark.parametrize(
    "text, unwanted",
    [
        # purposes: what an actor aims at did not happen yet
        ("The army shelled the town to punish the rebels.", "punish"),
        ("Mediators contacted Khalifa Haftar to accept the initiative.", "accept"),
        ("Mubarak described Sharon as the best chance for the Palestinians to achieve peace.", "achieve"),
        # what one actor wants or urges another to do
        ("Khalifa Haftar wanted the fighters to hand themselves in to his army.", "hand_in_to"),
        ("The UN urged the rebels to release the hostages.", "release"),
        # conditions opened by more than a mark
        ("British troops are on standby in case they need to evacuate UK citizens.", "evacuate"),
        # a topic is not an event; what one expects of others is no act on them
        ("Tony Blair met Silvio Berlusconi to talk about Turkey entering the EU.", "enter"),
        ("Blair expected the conference to discuss a work plan.", "expect"),
    ],
)
def test_purposes_wishes_and_conditions_are_not_facts(nlp, text, unwanted):
    assert not any(r == unwanted for _, r, _, _ in triples_of(nlp, text))


@pytest.mark.parametrize(
    "text, expected",
    [
        # verbs that make their complement happen, and reports that say it did
        ("Syrian troops managed to recapture the road.", ("Syrian troops", "recapture", "road", False)),
        ("Libyan forces are reported to have blown up stocks of fuel.", ("Libyan forces", "blow_up", "stocks", False)),
        # a conjoined passive with its own auxiliary: "and was evacuated by"
        ("Daraya fell to Assad regime forces last year and was evacuated by opposition forces.",
         ("opposition forces", "evacuate", "Daraya", False)),
        # numbers of people: elided noun, and a bare count of victims
        ("Chadian troops killed 384 Libyans and captured 48 in fighting.", ("Chadian troops", "capture", "Libyans", False)),
        ("The attack, which killed five, was the first of its kind.", ("attack", "kill", "five", False)),
        # "blame X on Y": Y is blamed
        ("The chemical attack, which Washington blames on the Syrian government, was condemned.",
         ("Washington", "blame", "Syrian government", False)),
        # the small model's lemma of "waging" is "wag"
        ("Several forces have been waging a counter attack.", ("forces", "wage", "attack", False)),
        # a past tense parsed as a reduced relative under the sentence's only noun
        ("ISIL launched last June a brutal offensive against several areas across Iraq and Syria.",
         ("ISIL", "launch", "offensive", False)),
    ],
)
def test_more_news_constructions(nlp, text, expected):
    assert expected in triples_of(nlp, text)


@pytest.mark.parametrize(
    "text",
    ["An unusual warmth has crept into relations between the two countries.",
     "The thrust followed fierce battles near Basra.",
     "Iran attacked in an area which saw heavy fighting in 1983."],
)
def test_abstract_things_and_unnamed_places_do_not_act(nlp, text):
    assert not any(s in ("warmth", "thrust", "area") for s, _, _, _ in triples_of(nlp, text))


def test_weapons_and_violent_events_act(nlp):
    assert ("Russian jets", "hit", "outpost", False) in triples_of(nlp, "Russian jets hit an outpost.")
    assert ("raids", "hit", "village", False) in triples_of(nlp, "Several overnight raids hit a village.")


def test_what_was_said_is_no_actor(nlp):
    found = triples_of(nlp, "The YPG regained control of the village said the Britain-based group.")
    assert not any(r == "say" for _, r, _, _ in found)


@pytest.mark.parametrize(
    "text, expected",
    [
        # "they" after two conjoined subjects is both
        ("Syrian troops and Hezbollah fighters took the farms. They further recaptured the Castello road.",
         {("Syrian troops", "recapture", "Castello road"), ("Hezbollah fighters", "recapture", "Castello road")}),
        # bare "both" is the last two named countries
        ("There is sensitivity in Egypt about co-operation with Israel. Both exchanged prisoners earlier this month.",
         {("Egypt", "exchange", "prisoners"), ("Israel", "exchange", "prisoners")}),
        # an acting "it" is the organisation that led the previous sentence
        ("INA said hundreds of Iranians were killed. It did not give Iraqi casualties.",
         {("INA", "give", "Iraqi casualties")}),
        # "him" is the most prominent person before, named or not, and never the speaker
        ("Sagezli said he had contacted a close ally of Khalifa Haftar and proposed the initiative to him. "
         "“I told him to be brave,” Sagezli said.", {("Sagezli", "tell", "ally")}),
        # "which" is never a person: the ally, not Haftar
        ("Sagezli said he had contacted a close ally of Khalifa Haftar, which he did not name.",
         {("Sagezli", "name", "ally")}),
    ],
)
def test_pronouns_and_references(nlp, text, expected):
    assert expected <= {(s, r, o) for s, r, o, _ in triples_of(nlp, text)}


def test_web_furniture_in_title_case_is_noise(nlp):
    text = ("Related Putin to Discuss US Missile Strikes in Syria With Russian Security Council US Missile "
            "Attack in Syria Was De Facto in Terrorists Interests - Kremlin Syrian Foreign Ministry to Appeal to UNSC.")
    assert triples_of(nlp, text) == set()


def test_both_parties_of_a_pair_survive_extraction(nlp):
    text = "Relations between Egypt and Israel improved. The two countries have signed a trade protocol."
    result = extract_article(nlp(text), Article(id="p", text=text))
    assert {t.subject.label for t in result.triples if t.relation == "sign"} == {"Egypt", "Israel"}


def test_conjoined_subjects_after_a_dateline(nlp):
    text = "UNITED NATIONS, March 29 - China and Israel, which have no diplomatic relations, discussed peace prospects."
    found = {(s, r) for s, r, o, _ in triples_of(nlp, text) if o == "peace prospects"}
    assert {("China", "discuss"), ("Israel", "discuss")} <= found


# -- parses the small model gets wrong, mostly in text whose commas and apostrophes were stripped --

@pytest.mark.parametrize(
    "text, expected",
    [
        # an infinitive read as "to" + adjective + noun: the "adjective" is the verb
        ("Syrian troops and Hezbollah fighters managed to completely wrest control over the Mallah farms.",
         ("Syrian troops", "wrest_control_over", "Mallah farms", False)),
        ("Rebels failed to completely wrest control over the town.", ("rebels", "wrest_control_over", "town", True)),
        # "had" + a past participle the parser hung on the noun
        ("Muhsen said fighting was continuing but that Iran had exaggerated battle reports.",
         ("Iran", "exaggerate", "battle reports", False)),
        # a report tag run into the clause it reports
        ("The US missile strike killed four children an informed source in Homs told Sputnik.",
         ("source", "tell", "Sputnik", False)),
        # a list of names without commas
        ("A tripartite mechanism was established in February by Turkey Russia and Iran.",
         ("Turkey", "establish", "mechanism", False)),
        # a plural possessor without its apostrophe, parsed as subject of a verb it cannot agree with
        ("The Lebanese army also strikes the extremists hideouts on a nearly daily basis.",
         ("Lebanese army", "strike", "extremists", False)),
    ],
)
def test_misparses_of_stripped_text(nlp, text, expected):
    assert expected in triples_of(nlp, text)


@pytest.mark.parametrize(
    "text, unwanted",
    [
        ("Syrian troops managed to completely wrest control over the Mallah farms.", ("Syrian troops", "manage_to", "control")),
        ("The rebels had armed men in the town.", ("rebels", "arm", "men")),  # possession: the tagger says adjective
        ("The US missile strike killed four children an informed source in Homs told Sputnik.",
         ("US missile strike", "kill", "source")),
        ("The US missile strike killed four children an informed source in Homs told Sputnik.",
         ("US missile strike", "tell", "Sputnik")),
        ("US Secretary of State Condoleezza Rice met Kofi Annan.", ("US", "meet", "Kofi Annan")),  # one name, not a list
        ("He says the rebels attack the town.", ("he", "say", "rebels")),  # a plural subject that agrees is a subject
    ],
)
def test_misparse_rules_keep_what_is_right(nlp, text, unwanted):
    assert unwanted not in {(s, r, o) for s, r, o, _ in triples_of(nlp, text)}


@pytest.mark.parametrize(
    "text, expected",
    [
        # a participle predicated of an object: "left X encircled by Y"
        ("The defeat left Faya-Largeau isolated and encircled by government troops.",
         ("government troops", "encircle", "Faya-Largeau", False)),
        ("The retreat left the town encircled by rebels.", ("rebels", "encircle", "town", False)),
        # members listed with "including" do what the group does
        ("However several forces including the Iraqi army have been waging a counter attack.",
         ("Iraqi army", "wage", "attack", False)),
        ("The army shelled several towns including Douma.", ("army", "shell", "Douma", False)),
        # a passive "it" done to by an agent: the place just named
        ("The YPG regained control of the village of Qassiab after it was seized by the terrorists.",
         ("terrorists", "seize", "Qassiab", False)),
        # a gerund after "before", "after", "by" shares the subject; "northwards" is no object
        ("Libyan forces blew up stocks of fuel before starting to flee northwards towards the Tibesti mountain region.",
         ("Libyan forces", "flee_towards", "Tibesti mountain region", False)),
        # "identified X as Y": Y is who was identified
        ("Hezbollah identified one of those slain as Abu Obaida.", ("Hezbollah", "identify", "Abu Obaida", False)),
        # a relative clause without pronoun acts on the noun it describes
        ("Some fear Turkey reneging on the reforms Ankara has recently enacted.", ("Ankara", "enact", "reforms", False)),
        ("The army shelled the town the rebels had captured in May.", ("rebels", "capture", "town", False)),
    ],
)
def test_shared_and_hidden_arguments(nlp, text, expected):
    assert expected in triples_of(nlp, text)


def test_shared_arguments_keep_their_limits(nlp):
    # a prediction stays one: the gerund takes the modality of its clause
    text = "He predicted the United States would respond to any challenges by hitting the naval base."
    assert first(nlp, text, "hit").modality == "would"
    # "the west of the city" is an object, not a direction
    assert ("regime", "control", "west", False) in triples_of(nlp, "The regime controls the west of the city.")
    # an empty "it" that reports stands for nothing
    found = triples_of(nlp, "The army entered Aleppo. It was reported by SANA that the rebels left.")
    assert not any(o == "Aleppo" and r == "report" for _, r, o, _ in found)
    # times are no objects, and a pronoun subject in such a clause is left alone
    assert not any(r == "arrive" for _, r, _, _ in triples_of(nlp, "He left the day the rebels arrived."))
    found = triples_of(nlp, "Iraqi forces drove the Iranians from the positions they were still holding.")
    assert not any(r == "hold" for _, r, _, _ in found)
    # "which Chad said cost lives": Chad said it, the fall cost them
    found = triples_of(nlp, "The fall of Ouadi Doum, which Chad said cost 1,269 Libyan lives, deprived Libya of its runway.")
    assert not any(s == "Chad" and r == "cost" for s, r, _, _ in found)


def test_inverted_subjects_and_light_noun_prepositions(nlp):
    text = ("Taking part in the talks at an undisclosed location were China's U.N. Representative, Ambassador Li Luye, "
            "and the director-general of the Israeli Foreign Ministry, Abraham Tamir.")
    found = triples_of(nlp, text)
    assert {("Li Luye", "take_part_in", "talks", False), ("Abraham Tamir", "take_part_in", "talks", False)} <= found
    assert not any(s == "U.N. Representative" for s, _, _, _ in found)  # only names, in a tangled parse
    assert ("rebels", "take_part_in", "attack", False) in triples_of(nlp, "The rebels took part in the attack.")
    assert ("army", "take", "control", False) in triples_of(nlp, "The army took control in the morning.")


def test_a_name_right_after_a_role_is_who_holds_it(nlp):
    found = triples_of(nlp, "Russia's President Vladimir Putin met Hezbollah's leader Hassan Nasrallah.")
    assert ("Vladimir Putin", "meet", "Hassan Nasrallah", False) in found
    # an acronym in brackets is no holder
    assert ("rebels", "attack", "group", False) in triples_of(nlp, "The rebels attacked the group (YPG) near the town.")


def test_a_pronoun_whose_resolution_needs_itself_gives_no_actor_and_no_endless_loop(nlp):
    """The parser makes "Him" the subject of its own clause: who "him" is cannot be asked of
    that clause's subject (a Reuters article once sent this into endless recursion)."""
    found = triples_of(nlp, "Him and his aides rejected the plan.")
    assert not any(subject.lower() in ("him", "his") for subject, *_ in found)

from graph_builder import build_from_texts
from graph_builder.names import spelled_out_acronyms
from graph_builder.resolve import resolve_actors
from graph_builder.types import Article, ArticleExtraction, Mention, Triple

PERSON, ORG = "Person", "Organization"


def m(text, start, label=None, kind=PERSON, named=True):
    return Mention(text, start, start + len(text), label or text, kind, named)


def t(subject, obj, article="a1", relation="meet"):
    return Triple(subject, relation, relation, obj, article, "…", 0, 10)


def test_short_names_join_the_full_name_and_the_majority_type_wins():
    full = m("Mustafa El Sagezli", 0)
    shorts = [m("Sagezli", 100 + i, kind=ORG) for i in range(4)]
    ally = m("the ally", 300, "ally", PERSON, named=False)
    ex = ArticleExtraction(Article("a1", "…"), tuple(t(s, ally) for s in shorts), (full,))
    res = resolve_actors([ex])
    (actor,) = [a for a in res.actors.values() if a.named]
    assert actor.label == "Mustafa El Sagezli"
    assert actor.type == PERSON
    assert actor.aliases == ("Sagezli",)
    assert {rt.subject_id for rt in res.triples} == {actor.id}


def test_same_name_across_articles_is_one_actor_but_types_keep_apart():
    a1 = ArticleExtraction(Article("a1", "…"), (t(m("Haftar", 0), m("Benghazi", 20, kind="Place")),))
    a2 = ArticleExtraction(Article("a2", "…"), (t(m("Haftar", 0), m("Benghazi", 20, kind=ORG), "a2"),))
    res = resolve_actors([a1, a2])
    haftar = res.actors["person/haftar"]
    assert haftar.articles == ("a1", "a2")
    assert {"place/benghazi", "organization/benghazi"} <= set(res.actors)


def test_unnamed_actors_stay_in_their_article():
    mediators = lambda a: m("the mediators", 0, "mediators", "Group", named=False)
    a1 = ArticleExtraction(Article("a1", "…"), (t(mediators("a1"), m("Haftar", 30)),))
    a2 = ArticleExtraction(Article("a2", "…"), (t(mediators("a2"), m("Haftar", 30), "a2"),))
    res = resolve_actors([a1, a2])
    groups = [a for a in res.actors.values() if a.type == "Group"]
    assert len(groups) == 2 and all(not g.named for g in groups)


def test_ambiguous_surname_is_not_merged():
    ex = ArticleExtraction(
        Article("a1", "…"),
        (t(m("Smith", 50), m("plan", 60, kind="Thing", named=False)),),
        (m("John Smith", 0), m("Jane Smith", 20)),
    )
    res = resolve_actors([ex])
    assert res.triples[0].subject_id == "person/smith"


def test_acronym_in_parentheses_joins_its_name():
    text = "The Islamic State (ISIS) claimed the attack. ISIS fighters left."
    full = Mention("Islamic State", 4, 17, "Islamic State", ORG, True)
    acronym = Mention("ISIS", 45, 49, "ISIS", ORG, True)
    thing = m("attack", 60, kind="Thing", named=False)
    ex = ArticleExtraction(Article("a1", ""), (t(acronym, thing),), (full,), spelled_out_acronyms(text))
    res = resolve_actors([ex])
    assert res.triples[0].subject_id == "organization/islamic-state"
    assert res.actors["organization/islamic-state"].aliases == ("ISIS",)


def test_acronym_in_parentheses_joins_its_name_in_a_real_build(tmp_path):
    """The articles reach resolution without their text: the extraction says where acronyms are
    spelled out, so this works in a build, with or without the cache, as in a unit test."""
    text = "The Islamic State (ISIS) attacked Palmyra on Monday. Later, ISIS seized the airport."
    for cache_dir in (None, tmp_path, tmp_path):  # no cache, then filled, then read back
        kg = build_from_texts([text], cache_dir=cache_dir)
        subjects = {r["subject"] for r in kg.records()}
        assert subjects == {"Islamic State"}, subjects
        assert kg.actors["organization/islamic-state"].aliases == ("ISIS",)


def test_acronym_of_initials_joins_its_name():
    full = Mention("Islamic State of Iraq and the Levant", 0, 36, "Islamic State of Iraq and the Levant", ORG, True)
    acronym = Mention("ISIL", 50, 54, "ISIL", ORG, True)
    ex = ArticleExtraction(Article("a1", "…"), (t(acronym, m("town", 70, kind="Place", named=False)),), (full,))
    assert resolve_actors([ex]).triples[0].subject_id == "organization/islamic-state-of-iraq-and-the-levant"


def test_a_surname_alone_in_another_article_is_the_one_full_name():
    a1 = ArticleExtraction(Article("a1", "…"), (t(m("Bashar al-Assad", 0), m("Aleppo", 30, kind="Place")),))
    a2 = ArticleExtraction(Article("a2", "…"), (t(m("al-Assad", 0), m("Homs", 30, kind="Place"), "a2"),))
    res = resolve_actors([a1, a2])
    assert {rt.subject_id for rt in res.triples} == {"person/bashar-al-assad"}
    assert res.actors["person/bashar-al-assad"].articles == ("a1", "a2")


def test_shorter_group_name_joins_the_one_longer():
    long = m("Benghazi Shura Council fighters", 0, kind="Group", named=False)
    short = m("the fighters", 50, "fighters", "Group", named=False)
    ex = ArticleExtraction(Article("a1", "…"), (t(long, m("Haftar", 40)), t(short, m("Haftar", 70))))
    res = resolve_actors([ex])
    assert res.triples[0].subject_id == res.triples[1].subject_id
    assert res.actors[res.triples[0].subject_id].label == "Benghazi Shura Council fighters"


def test_the_speaker_of_reported_speech_is_resolved_to_an_actor():
    speaker = m("the spokesman", 0, "spokesman", "Person", named=False)
    triple = Triple(m("Haftar", 30), "reject", "rejected", m("plan", 50, kind="Thing", named=False), "a1", "…", 0, 60,
                    attributed_to=speaker)
    res = resolve_actors([ArticleExtraction(Article("a1", "…"), (triple,), (m("Khalifa Haftar", 70),))])
    (rt,) = res.triples
    assert rt.subject_id == "person/khalifa-haftar"
    assert res.actors[rt.speaker_id].label == "spokesman"

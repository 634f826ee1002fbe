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

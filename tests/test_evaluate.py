"""The measuring side of extraction: the gold-fact scorer, the CaRB bridge, and ``evaluate``.

The scorers are checked on small hand-made cases; the real pipeline runs on the seed's gold
(always) and on the corpus gold and a CaRB slice where ``../shared`` is present. Current quality
figures are printed (``pytest -s``), never asserted: they are what the extractor work moves.
"""

from __future__ import annotations

import doctest
import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph_builder.carb.benchmark
import graph_builder.evaluate
from graph_builder.carb import CarbExtraction, align, carb_extraction, metric, score_carb
from graph_builder.cli import cli
from graph_builder.evaluate import (
    ArticleGold, GoldError, GoldFact, Prediction, fact_matches, label_matches, load_gold, score_facts,
)
from graph_builder.types import Mention, Triple
from tests.conftest import CORPUS, ROOT

GOLD = ROOT / "tests" / "gold"
SEED_GOLD = GOLD / "seed-000.json"
CARB = ROOT.parent / "shared" / "benchmarks" / "carb"
ROOTS = [str(ROOT), str(CORPUS)]


def needs(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared data not found at {path}")
    return path


def fact(subject, relation, obj, negated=False, symmetric=False) -> GoldFact:
    return GoldFact(tuple(subject), tuple(relation), tuple(obj), negated, symmetric)


def pred(subject, relation, obj, negated=False, article="a.txt") -> Prediction:
    return Prediction(article, subject, relation, obj, negated)


HAFTAR_REJECTS = fact(["Khalifa Haftar", "Haftar"], ["reject", "refuse", "not accept"], ["initiative"])
ALLY_CONSULTS = fact(["close ally", "ally"], ["consult"], ["Khalifa Haftar"])
NOT_NAMED = fact(["Sagezli"], ["name"], ["ally"], negated=True)
MEETS = fact(["Tony Blair"], ["meet"], ["Silvio Berlusconi"], symmetric=True)
ARTICLE = ArticleGold("a.txt", (HAFTAR_REJECTS, ALLY_CONSULTS, NOT_NAMED, MEETS))


# -- labels and facts -------------------------------------------------------------------------

@pytest.mark.parametrize("predicted, gold, expected", [
    ("Khalifa Haftar", "khalifa haftar", True),
    ("Haftar", "Khalifa Haftar", True),              # surname ends the full name
    ("the peaceful initiative", "initiative", True),  # modifiers before the same head
    ("Haftar’s", "Haftar", True),                    # possessive mark
    ("Al-Sabri", "al Sabri", True),
    ("Sélim", "Selim", True),
    ("Syria", "Syrian army", False),
    ("Haftar's army", "Haftar", False),               # another head noun
    ("Khalifa", "Khalifa Haftar", False),             # a first name is not a suffix
    ("the", "initiative", False),
])
def test_label_matching_rule(predicted, gold, expected):
    assert label_matches(predicted, [gold]) is expected


def test_relation_alternatives_and_negated_alternatives():
    assert fact_matches(HAFTAR_REJECTS, pred("Haftar", "refuse", "the initiative"))
    assert fact_matches(HAFTAR_REJECTS, pred("Haftar", "accept", "initiative", negated=True))  # "not accept"
    assert not fact_matches(HAFTAR_REJECTS, pred("Haftar", "accept", "initiative"))
    assert not fact_matches(HAFTAR_REJECTS, pred("Haftar", "reject_from", "initiative"))


def test_negation_must_agree():
    assert fact_matches(NOT_NAMED, pred("Mustafa El Sagezli", "name", "ally", negated=True))
    assert not fact_matches(NOT_NAMED, pred("Mustafa El Sagezli", "name", "ally"))
    assert not fact_matches(HAFTAR_REJECTS, pred("Haftar", "reject", "initiative", negated=True))


def test_direction_counts_unless_the_fact_is_symmetric():
    assert not fact_matches(ALLY_CONSULTS, pred("Khalifa Haftar", "consult", "ally"))
    assert fact_matches(MEETS, pred("Silvio Berlusconi", "meet", "Tony Blair"))


# -- scores -----------------------------------------------------------------------------------

def test_perfect_extraction_scores_one():
    preds = [pred("Haftar", "reject", "initiative"), pred("ally", "consult", "Haftar"),
             pred("Sagezli", "name", "ally", negated=True), pred("Blair", "meet", "Berlusconi")]
    total = score_facts([ARTICLE], preds).total
    assert (total.precision, total.recall, total.f1) == (1.0, 1.0, 1.0)


def test_partial_extraction():
    preds = [pred("Haftar", "reject", "initiative"), pred("Haftar", "reject", "initiative"),  # one fact, twice
             pred("Sagezli", "name", "ally"),                                                # negation lost
             pred("he", "launch", "Dignity Operation")]                                      # not in gold
    report = score_facts([ARTICLE], preds)
    total = report.total
    assert (total.facts, total.found, total.scored, total.correct) == (4, 1, 4, 2)
    assert total.recall == 0.25 and total.precision == 0.5
    assert total.f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75)
    kinds = dict((str(p), kind) for p, kind in report.articles[0].wrong)
    assert kinds == {"Sagezli -name-> ally": "negation differs", "he -launch-> Dignity Operation": "no gold fact close"}
    missed = {str(f): near for f, near in report.articles[0].misses}
    assert [kind for _, kind in missed[str(NOT_NAMED)]] == ["negation differs"]
    assert report.error_types()["wrong: negation differs"] == 1


def test_scope_actors_leaves_out_triples_between_other_actors():
    preds = [pred("Haftar", "reject", "initiative"), pred("army", "shell", "Ganfouda"), pred("Haftar", "want", "ally")]
    strict = score_facts([ARTICLE], preds).total
    lenient = score_facts([ARTICLE], preds, scope="actors").total
    assert (strict.scored, strict.correct) == (3, 1)
    assert (lenient.scored, lenient.correct, lenient.unscored) == (2, 1, 1)
    with pytest.raises(GoldError, match="unknown scope"):
        score_facts([ARTICLE], preds, scope="some")


def test_predictions_of_other_articles_are_not_scored():
    total = score_facts([ARTICLE], [pred("Haftar", "reject", "initiative", article="b.txt")]).total
    assert (total.found, total.scored) == (0, 0)


def test_report_lists_misses_and_wrong_outputs_when_verbose():
    report = score_facts([ARTICLE], [pred("Sagezli", "name", "ally")])
    assert "MISSED" not in report.format() and "overall (micro)" in report.format()
    verbose = report.format(verbose=True)
    assert "MISSED Khalifa Haftar -reject-> initiative" in verbose
    assert "WRONG  Sagezli -name-> ally  [negation differs]" in verbose


# -- gold files -------------------------------------------------------------------------------

@pytest.mark.parametrize("item, message", [
    ({"facts": []}, "needs 'article'"),
    ({"article": "a.txt", "facts": [{"subject": "A", "relation": "r", "object": "B", "negate": True}]}, "unknown keys"),
    ({"article": "a.txt", "facts": [{"subject": [], "relation": "r", "object": "B"}]}, "'subject' must be"),
    ({"article": "a.txt", "facts": [{"subject": "A", "relation": "r", "object": "B", "negated": "no"}]}, "'negated'"),
])
def test_malformed_gold_is_rejected_with_its_place(tmp_path, item, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(item))
    with pytest.raises(GoldError, match=message):
        load_gold([path])


def test_the_project_gold_set():
    golds = load_gold([GOLD])
    corpus = [g for g in golds if g.article.startswith("conflict_news/")]
    assert any(g.article == "seeds/000_2a969d1f2132da28.txt" for g in golds)
    assert len(corpus) >= 10 and len({g.article for g in golds}) == len(golds)
    sources = {json.loads(Path(g.source).read_text())["source"].split()[0] for g in corpus}
    assert {"FA-KES", "Reuters-21578", "BBC"} <= sources
    for gold in golds:
        assert 4 <= len(gold.facts) <= 25, gold.article
        assert all(f.relations[0] == f.relations[0].lower() and " " not in f.relations[0] for f in gold.facts)
        if CORPUS.is_dir() or gold.article.startswith("seeds/"):
            assert any((Path(root) / gold.article).is_file() for root in ROOTS), gold.article


def test_docstring_examples():
    for module in (graph_builder.evaluate, graph_builder.carb.benchmark):
        assert doctest.testmod(module).failed == 0


# -- CaRB -------------------------------------------------------------------------------------

def test_align_detokenises_and_maps_back_to_carb_words():
    sentence = "Earlier this year , President Bush made a `` take - it '' offer on the $ 4.25 wage ."
    aligned = align(sentence)
    assert aligned.text == 'Earlier this year, President Bush made a "take-it" offer on the $4.25 wage.'
    start = aligned.text.index("$4.25")
    assert aligned.words(aligned.covered(start, start + 5)) == "$ 4.25"
    start = aligned.text.index('"take-it"')
    assert aligned.words(aligned.covered(start, start + 9)) == "`` take - it ''"


def test_locate_finds_an_extractors_words_in_any_order():
    a = align("In Flanders , the Region assigned all of its powers to the Community , and it is n't in doubt .")
    anchor = a.text.index("all")
    assert a.words(a.locate("all of its powers In Flanders to the Community".split(), anchor)) == \
        "In Flanders all of its powers to the Community"
    assert a.words(a.locate(["is", "n't"], a.text.index("isn't"))) == "is n't"
    assert a.locate(["absent"], 0) == []


def test_carb_extraction_states_triples_in_surface_order():
    text = "The village was seized by the rebels , who withdrew from the city ."
    a = align(text)

    def mention(words: str, label: str | None = None) -> Mention:
        start = a.text.index(words)
        return Mention(words, start, start + len(words), label or words, "Thing")

    def triple(subject: Mention, relation: str, relation_text: str, verb: str, obj: Mention) -> Triple:
        start = a.text.index(verb)
        return Triple(subject, relation, relation_text, obj, "x", a.text, 0, len(a.text),
                      relation_start=start, relation_end=start + len(verb), confidence=0.8)

    passive = carb_extraction(triple(mention("the rebels"), "seize", "was seized", "seized", mention("The village")), a, text)
    assert passive == CarbExtraction(text, 0.8, "was seized by", "The village", "the rebels")
    prep = carb_extraction(triple(mention("who", "rebels"), "withdraw_from", "withdrew", "withdrew", mention("the city")), a, text)
    assert prep == CarbExtraction(text, 0.8, "withdrew from", "rebels", "the city")


def test_carb_scores_hand_made_cases():
    sentence = "The rebels seized the town ."
    gold = {metric.norm_key(sentence): [metric.Tuple_("seized", ["The rebels", "the town"])]}
    perfect = score_carb(gold, [CarbExtraction(sentence, 0.9, "seized", "The rebels", "the town")])
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    half = score_carb(gold, [CarbExtraction(sentence, 0.9, "seized", "rebels", "town"),
                             CarbExtraction(sentence, 0.5, "shelled", "The rebels", "the town")])
    assert half.recall == pytest.approx(3 / 5) and half.precision == 1.0 and half.threshold == 0.9
    assert half.wrong == [(sentence, "shelled | The rebels | the town")] and half.misses == []
    nothing = score_carb(gold, [])
    assert nothing.f1 == 0.0 and nothing.misses == [(metric.norm_key(sentence), "seized | The rebels | the town")]


def test_vendored_metric_is_the_shared_scorer():
    shared = needs(CARB / "carb_metric.py").read_text(encoding="utf-8")
    vendored = Path(metric.__file__).read_text(encoding="utf-8")
    assert vendored.endswith(shared)
    assert (Path(metric.__file__).parent / "LICENSE").read_text() == (CARB / "LICENSE").read_text()


@pytest.mark.corpus
def test_carb_slice_with_the_real_model_agrees_with_the_shared_scorer(tmp_path):
    folder = needs(CARB)
    from graph_builder.carb import evaluate_carb, write_carb_predictions

    report = evaluate_carb(folder, limit=20)
    print(f"\nCaRB dev[:20]: {report.format()}")
    assert report.sentences == 20 and report.gold_tuples > 20
    assert all(p.sentence in (folder / "dev.txt").read_text() for p in report.predictions)
    write_carb_predictions(report.predictions, tmp_path / "pred.tsv")
    spec = importlib.util.spec_from_file_location("shared_carb_metric", folder / "carb_metric.py")
    shared = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shared)
    gold = {k: v for k, v in shared.read_gold(str(folder / "gold" / "dev.tsv")).items()
            if k in {shared.norm_key(s) for s in (folder / "dev.txt").read_text().splitlines()[:20]}}
    official = shared.evaluate(gold, shared.read_tabbed(str(tmp_path / "pred.tsv")))
    assert (official["P"], official["R"], official["F1"]) == pytest.approx((report.precision, report.recall, report.f1))


# -- the command ------------------------------------------------------------------------------

def test_evaluate_seed_gold_end_to_end():
    result = CliRunner().invoke(cli, ["evaluate", "--gold", str(SEED_GOLD), "--root", str(ROOT), "-v"])
    assert result.exit_code == 0, result.output
    print("\n" + result.output.split("\n==")[0])
    assert "seeds/000_2a969d1f2132da28.txt" in result.output and "overall (micro)" in result.output
    assert "error types:" in result.output


def test_evaluate_scores_an_existing_triples_file(seed_graph, tmp_path):
    seed_graph.export(tmp_path, ["jsonl"])
    args = ["evaluate", "--gold", str(SEED_GOLD), "--triples", str(tmp_path / "triples.jsonl")]
    from_file = CliRunner().invoke(cli, args)
    extracted = CliRunner().invoke(cli, ["evaluate", "--gold", str(SEED_GOLD), "--root", str(ROOT)])
    assert from_file.exit_code == 0, from_file.output
    assert from_file.output == extracted.output  # the same triples, the same score


def test_evaluate_usage_and_errors(tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["evaluate"]).exit_code == 2
    assert "Example:" in runner.invoke(cli, ["evaluate", "--help"]).output
    missing = tmp_path / "gold.json"
    missing.write_text(json.dumps({"article": "nowhere/0001.txt", "facts": []}))
    result = runner.invoke(cli, ["evaluate", "--gold", str(missing), "--root", str(tmp_path)])
    assert result.exit_code == 1 and "nowhere/0001.txt: article not found" in result.output
    unknown = runner.invoke(cli, ["evaluate", "--gold", str(SEED_GOLD), "--root", str(ROOT), "-x", "nope.v0"])
    assert unknown.exit_code == 1 and "no extractor called 'nope.v0'" in unknown.output


@pytest.mark.corpus
def test_evaluate_full_gold_end_to_end():
    needs(CORPUS / "conflict_news")
    result = CliRunner().invoke(cli, ["evaluate", "--gold", str(GOLD), *[a for r in ROOTS for a in ("--root", r)]])
    assert result.exit_code == 0, result.output
    print("\n" + result.output)
    assert result.output.count("conflict_news/") >= 10


@pytest.mark.corpus
def test_evaluate_carb_end_to_end(tmp_path):
    folder = needs(CARB)
    out = tmp_path / "pred.tsv"
    result = CliRunner().invoke(cli, ["evaluate", "--carb", str(folder), "--limit", "20",
                                      "--predictions-out", str(out), "--verbose"])
    assert result.exit_code == 0, result.output
    print("\n" + result.output.splitlines()[1])
    assert "CaRB: 20 sentences" in result.output and "missed" in result.output
    assert all(len(line.split("\t")) == 5 for line in out.read_text().splitlines())


# -- quality guards: the figures the README reports must not regress ---------------------------


def test_carb_dev_meets_the_target():
    """CaRB dev, one record per sentence, surface words: F1 >= 0.52 (issue 3's target)."""
    result = graph_builder.carb.benchmark.evaluate_carb(needs(CARB))
    assert result.f1 >= 0.52, result.format()


def test_own_gold_does_not_regress():
    """Our article gold (seed + 14 conflict_news articles). Issue 3 aims at R 0.80 / P 0.85;
    these floors are the figures measured when they were set, so a change that loses facts fails."""
    needs(CORPUS / "conflict_news")
    report = graph_builder.evaluate.evaluate_gold([ROOT / "tests" / "gold"])
    assert report.total.recall >= 0.80 and report.total.precision >= 0.88, report.format()

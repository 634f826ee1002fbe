"""Measure extraction quality: article-level gold facts, and the CaRB benchmark.

Two gold forms are scored (``graph-builder evaluate``):

* **Gold facts** (JSON, ``tests/gold/``): for one article, the facts a careful analyst takes
  from it, each with alternatives for its labels and relations::

      {"article": "seeds/000_2a969d1f2132da28.txt",
       "facts": [{"subject": ["Khalifa Haftar", "Haftar"], "relation": ["reject", "refuse"],
                  "object": ["initiative"], "negated": false}]}

  A predicted triple matches a fact when (1) its canonical subject label matches one of the
  fact's subject alternatives and its object label one of the object alternatives (both ways
  round if the fact has ``"symmetric": true``); (2) its relation equals one of the relation
  alternatives; (3) its negation equals the fact's ``negated``. An alternative written
  ``"not accept"`` instead matches ``accept`` with the opposite negation ("refused" = "did not
  accept"). Labels match when, compared case-, accent- and punctuation-blind, without a leading
  article or a possessive 's, one is the other or ends the other word for word: "Haftar"
  matches "Khalifa Haftar", "initiative" matches "peaceful initiative", "army" matches
  "Syrian army" — the head noun must agree, so list specific alternatives for generic heads.
  Relations compare after lower-casing, with spaces and hyphens as ``_`` (``withdraw_from``).

  Recall = facts matched by at least one prediction / facts. Precision = predictions that
  match a fact / predictions scored. With ``scope="all"`` (the default, strict) every triple
  extracted from a gold article is scored, so a true but peripheral fact the annotator left
  out counts as wrong; with ``scope="actors"`` only triples whose subject and object both
  match an actor of the article's gold are scored. Several predictions may match one fact
  (one statement per mention): each counts as correct. Totals are micro-averaged.

* **CaRB** (``graph_builder.carb``): one record per sentence, scored on surface words by the
  vendored official metric.

This module runs the whole pipeline, so it sits beside ``pipeline`` and ``cli``, not among
the stages. It normalises labels itself, independently of ``names``, so that changing the
extractor never changes the ruler it is measured with.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from .carb import CarbExtraction, CarbReport, carb_predictions, evaluate_carb, score_carb
from .errors import GraphBuilderError
from .extract import DEFAULT_EXTRACTORS
from .nlp import DEFAULT_MODEL

__all__ = [
    "GoldFact", "ArticleGold", "Prediction", "ArticleScore", "GoldReport", "GoldError", "load_gold",
    "label_matches", "fact_matches", "score_facts", "gold_predictions", "read_triples", "evaluate_gold",
    "carb_predictions", "score_carb", "evaluate_carb", "CarbExtraction", "CarbReport", "DEFAULT_ROOTS", "SCOPES",
]

#: Folders that gold ``article`` paths are looked up in, in order (relative to the working directory).
DEFAULT_ROOTS: tuple[str, ...] = (".", "../shared/corpus")
SCOPES = ("all", "actors")
_FACT_KEYS = {"subject", "relation", "object", "negated", "symmetric", "note"}
_ARTICLES = {"the", "a", "an"}
_POSSESSIVE = re.compile(r"['’]s?\b")
_NOT_WORD = re.compile(r"[\W_]+")


class GoldError(GraphBuilderError):
    """A gold file is malformed, or names an article that cannot be found."""


@dataclass(frozen=True)
class GoldFact:
    """One actor–relation–actor fact of an article, with the accepted alternatives of each part."""

    subjects: tuple[str, ...]
    relations: tuple[str, ...]
    objects: tuple[str, ...]
    negated: bool = False
    symmetric: bool = False
    note: str = ""

    def __str__(self) -> str:
        arrow = "<->" if self.symmetric else "->"
        return (f"{self.subjects[0]} -{'NOT ' if self.negated else ''}{self.relations[0]}{arrow} "
                f"{self.objects[0]}")


@dataclass(frozen=True)
class ArticleGold:
    """The gold facts of one article; ``article`` is its path under one of the roots."""

    article: str
    facts: tuple[GoldFact, ...]
    source: str = ""  # the gold file it was read from


@dataclass(frozen=True)
class Prediction:
    """What is scored of an extracted triple: canonical labels, relation, negation, evidence."""

    article: str
    subject: str
    relation: str
    object: str
    negated: bool = False
    sentence: str = ""

    @classmethod
    def from_record(cls, row: Mapping[str, Any], article: str | None = None) -> "Prediction":
        """From a row of ``triples.jsonl`` / ``KnowledgeGraph.records()``."""
        negated = row.get("negated", False)
        return cls(article if article is not None else str(row["article"]), str(row["subject"]),
                   str(row["relation"]), str(row["object"]),
                   negated if isinstance(negated, bool) else str(negated).lower() == "true", str(row.get("sentence", "")))

    def __str__(self) -> str:
        return f"{self.subject} -{'NOT ' if self.negated else ''}{self.relation}-> {self.object}"


# -- reading gold files -----------------------------------------------------------------------

def load_gold(paths: Iterable[str | Path]) -> list[ArticleGold]:
    """Read gold files (``*.json``; folders are read recursively, in name order).

    A file holds one article object or a list of them.

    Raises:
        GoldError: a file is not valid JSON or not in the gold form (the message says where).
    """
    golds: list[ArticleGold] = []
    for path in map(Path, paths):
        files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
        for file in files:
            try:
                data = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise GoldError(f"{file}: cannot read gold file: {exc}") from exc
            for item in data if isinstance(data, list) else [data]:
                golds.append(_article_gold(item, str(file)))
    return golds


def _article_gold(item: Any, where: str) -> ArticleGold:
    if not isinstance(item, dict) or not isinstance(item.get("article"), str) or not isinstance(item.get("facts"), list):
        raise GoldError(f"{where}: each gold item needs 'article' (a path) and 'facts' (a list)")
    return ArticleGold(item["article"], tuple(_fact(f, f"{where}: {item['article']} fact {n + 1}")
                                              for n, f in enumerate(item["facts"])), where)


def _fact(obj: Any, where: str) -> GoldFact:
    if not isinstance(obj, dict):
        raise GoldError(f"{where}: a fact must be an object")
    unknown = set(obj) - _FACT_KEYS
    if unknown:
        raise GoldError(f"{where}: unknown keys {sorted(unknown)}; valid keys: {sorted(_FACT_KEYS)}")
    parts = []
    for key in ("subject", "relation", "object"):
        value = obj.get(key)
        alternatives = [value] if isinstance(value, str) else value
        if not alternatives or not all(isinstance(a, str) and a.strip() for a in alternatives):
            raise GoldError(f"{where}: {key!r} must be a non-empty string or list of strings, got {value!r}")
        parts.append(tuple(alternatives))
    for key in ("negated", "symmetric"):
        if not isinstance(obj.get(key, False), bool):
            raise GoldError(f"{where}: {key!r} must be true or false, got {obj[key]!r}")
    return GoldFact(*parts, negated=obj.get("negated", False), symmetric=obj.get("symmetric", False),
                    note=str(obj.get("note", "")))


# -- matching ---------------------------------------------------------------------------------

def _label_words(label: str) -> tuple[str, ...]:
    folded = unicodedata.normalize("NFKD", _POSSESSIVE.sub(" ", label).casefold())
    words = _NOT_WORD.sub(" ", "".join(c for c in folded if not unicodedata.combining(c))).split()
    while len(words) > 1 and words[0] in _ARTICLES:
        words.pop(0)
    return tuple(words)


def label_matches(predicted: str, alternatives: Iterable[str]) -> bool:
    """Whether a predicted label names what one of the gold alternatives names.

    >>> label_matches("Haftar", ["Khalifa Haftar"]), label_matches("the peaceful initiative", ["initiative"])
    (True, True)
    >>> label_matches("Syria", ["Syrian army"]), label_matches("Haftar's army", ["Haftar"])
    (False, False)
    """
    words = _label_words(predicted)
    for alternative in alternatives:
        gold = _label_words(alternative)
        short, long = sorted((words, gold), key=len)
        if short and long[len(long) - len(short):] == short:
            return True
    return False


def _relation_key(relation: str) -> str:
    return re.sub(r"[\s\-]+", "_", relation.strip().lower())


def _relation_agrees(fact: GoldFact, pred: Prediction, *, negation: bool = True) -> bool:
    for alternative in fact.relations:
        flipped = alternative.startswith("not ")
        if _relation_key(alternative[4:] if flipped else alternative) == _relation_key(pred.relation):
            if not negation or pred.negated == (fact.negated != flipped):
                return True
    return False


def _actors_agree(fact: GoldFact, subject: str, obj: str) -> bool:
    return label_matches(subject, fact.subjects) and label_matches(obj, fact.objects)


def fact_matches(fact: GoldFact, pred: Prediction) -> bool:
    """Whether ``pred`` states ``fact``: actors, relation and negation agree (see the module doc)."""
    if not _relation_agrees(fact, pred):
        return False
    return _actors_agree(fact, pred.subject, pred.object) or fact.symmetric and _actors_agree(fact, pred.object, pred.subject)


def diagnose(fact: GoldFact, pred: Prediction) -> str | None:
    """How ``pred`` nearly states ``fact`` (two of its three parts agree), or ``None``."""
    relation = _relation_agrees(fact, pred, negation=False)
    subject, obj = label_matches(pred.subject, fact.subjects), label_matches(pred.object, fact.objects)
    if relation and subject and obj:
        return None if fact_matches(fact, pred) else "negation differs"
    if relation and _actors_agree(fact, pred.object, pred.subject):
        return "subject and object swapped"
    if subject and obj:
        return "other relation"
    if relation and subject:
        return "other object"
    if relation and obj:
        return "other subject"
    return None


# -- scoring ----------------------------------------------------------------------------------

@dataclass
class ArticleScore:
    """The score of one article: facts found, predictions right, and what was missed or wrong."""

    article: str
    facts: int = 0
    found: int = 0
    scored: int = 0
    correct: int = 0
    unscored: int = 0
    misses: list[tuple[GoldFact, list[tuple[Prediction, str]]]] = field(default_factory=list)
    wrong: list[tuple[Prediction, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.scored if self.scored else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.facts if self.facts else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class GoldReport:
    """Per-article scores and their micro-averaged total."""

    articles: list[ArticleScore]
    scope: str = "all"

    @property
    def total(self) -> ArticleScore:
        total = ArticleScore("overall (micro)")
        for a in self.articles:
            total.facts += a.facts
            total.found += a.found
            total.scored += a.scored
            total.correct += a.correct
            total.unscored += a.unscored
        return total

    def error_types(self) -> dict[str, int]:
        """Wrong outputs and misses by kind, most frequent first."""
        counts: dict[str, int] = {}
        for a in self.articles:
            for _, kind in a.wrong:
                counts[f"wrong: {kind}"] = counts.get(f"wrong: {kind}", 0) + 1
            for _, near in a.misses:
                kind = f"missed: {near[0][1]}" if near else "missed: nothing close"
                counts[kind] = counts.get(kind, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def format(self, verbose: bool = False) -> str:
        width = max([len(a.article) for a in self.articles] + [16])
        head = f"{'article':<{width}}  facts  found  recall  predicted  correct  precision     F1"
        lines = [f"Gold facts ({len(self.articles)} articles; scope: {self.scope})", head]
        for a in [*self.articles, self.total]:
            lines.append(f"{a.article:<{width}}  {a.facts:>5}  {a.found:>5}  {a.recall:>6.3f}  {a.scored:>9}  "
                         f"{a.correct:>7}  {a.precision:>9.3f}  {a.f1:>5.3f}")
        if not verbose:
            return "\n".join(lines)
        for a in self.articles:
            lines.append(f"\n== {a.article}")
            lines += [f"  MISSED {fact}" + "".join(f"\n      close: {p}  [{kind}]" for p, kind in near[:2])
                      for fact, near in a.misses]
            lines += [f"  WRONG  {p}  [{kind}]  ← {_short(p.sentence)}" for p, kind in a.wrong]
        lines.append("\nerror types:")
        lines += [f"  {n:>4}  {kind}" for kind, n in self.error_types().items()]
        return "\n".join(lines)


def score_facts(golds: Sequence[ArticleGold], predictions: Iterable[Prediction], *, scope: str = "all") -> GoldReport:
    """Score predictions against gold facts, article by article (``Prediction.article`` must
    equal ``ArticleGold.article``); see the module doc for the rule.

    >>> gold = ArticleGold("a.txt", (GoldFact(("Haftar",), ("reject",), ("initiative",)),))
    >>> report = score_facts([gold], [Prediction("a.txt", "Khalifa Haftar", "reject", "the initiative")])
    >>> report.total.precision, report.total.recall
    (1.0, 1.0)
    """
    if scope not in SCOPES:
        raise GoldError(f"unknown scope {scope!r}; choose one of: {', '.join(SCOPES)}")
    by_article: dict[str, list[Prediction]] = {}
    for pred in predictions:
        by_article.setdefault(pred.article, []).append(pred)
    return GoldReport([_score_article(g, by_article.get(g.article, []), scope) for g in golds], scope)


def _score_article(gold: ArticleGold, preds: list[Prediction], scope: str) -> ArticleScore:
    score = ArticleScore(gold.article, facts=len(gold.facts))
    actors = [label for f in gold.facts for label in (*f.subjects, *f.objects)]
    for fact in gold.facts:
        if any(fact_matches(fact, p) for p in preds):
            score.found += 1
        else:
            near = [(p, kind) for p in preds if (kind := diagnose(fact, p))]
            score.misses.append((fact, near))
    for pred in preds:
        if scope == "actors" and not (label_matches(pred.subject, actors) and label_matches(pred.object, actors)):
            score.unscored += 1
            continue
        score.scored += 1
        if any(fact_matches(f, pred) for f in gold.facts):
            score.correct += 1
        else:
            kinds = [kind for f in gold.facts if (kind := diagnose(f, pred))]
            score.wrong.append((pred, kinds[0] if kinds else "no gold fact close"))
    return score


# -- predictions ------------------------------------------------------------------------------

def read_triples(path: str | Path) -> Iterator[dict[str, Any]]:
    """The rows of a ``triples.jsonl`` written by ``graph-builder build``."""
    with open(path, encoding="utf-8") as stream:
        for n, line in enumerate(stream, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError as exc:
                    raise GoldError(f"{path}:{n}: not a JSON line: {exc}") from exc


def _find_article(ref: str, roots: Sequence[str | Path]) -> Path:
    for root in roots:
        if (Path(root) / ref).is_file():
            return Path(root) / ref
    raise GoldError(f"{ref}: article not found under {', '.join(map(str, roots))} (use --root)")


def gold_predictions(
    golds: Sequence[ArticleGold],
    *,
    roots: Sequence[str | Path] = DEFAULT_ROOTS,
    model: str = DEFAULT_MODEL,
    extractors: Sequence[str] = DEFAULT_EXTRACTORS,
) -> list[Prediction]:
    """Build the graph of the gold articles (read as ``build`` reads them) and return its triples."""
    from .ingest import read_articles
    from .pipeline import build_from_articles

    articles = []
    for gold in golds:
        found = list(read_articles([_find_article(gold.article, roots)]))
        articles += [replace(a, id=gold.article if len(found) == 1 else f"{gold.article}#{a.id}") for a in found]
    kg = build_from_articles(articles, model=model, extractors=extractors)
    return [Prediction.from_record(row) for row in kg.records()]


def _article_of(row_article: str, refs: Sequence[str]) -> str | None:
    """The gold article a ``triples.jsonl`` row belongs to: same path, or same file name."""
    matches = [r for r in refs if r == row_article or r.endswith("/" + row_article) or row_article.endswith("/" + r)]
    if len(matches) > 1:
        raise GoldError(f"article id {row_article!r} matches several gold articles: {', '.join(matches)}")
    return matches[0] if matches else None


def evaluate_gold(
    gold_paths: Iterable[str | Path],
    *,
    triples: str | Path | None = None,
    roots: Sequence[str | Path] = DEFAULT_ROOTS,
    scope: str = "all",
    model: str = DEFAULT_MODEL,
    extractors: Sequence[str] = DEFAULT_EXTRACTORS,
) -> GoldReport:
    """Score gold files, as ``graph-builder evaluate --gold`` does: against an existing
    ``triples.jsonl`` when ``triples`` is given, else by extracting from the gold articles."""
    golds = load_gold(gold_paths)
    if not golds:
        raise GoldError("no gold articles found (give .json files or folders holding them)")
    if triples is None:
        return score_facts(golds, gold_predictions(golds, roots=roots, model=model, extractors=extractors), scope=scope)
    refs = [g.article for g in golds]
    preds = [Prediction.from_record(row, ref) for row in read_triples(triples)
             if (ref := _article_of(str(row.get("article", "")), refs)) is not None]
    return score_facts(golds, preds, scope=scope)


def _short(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"

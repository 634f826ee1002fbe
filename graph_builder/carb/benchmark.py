"""CaRB on graph-builder: the extractor's triples as CaRB extractions, scored by CaRB's metric.

CaRB's sentences are tokenised ("Bush 's offer , he said") and its metric compares words,
case-sensitively. The extractor should read text as news prints it, so each sentence is
detokenised for parsing, and every predicted span is mapped back, through character offsets,
to the CaRB tokens it covers: the predicted words are then CaRB's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple, Sequence

from ..nlp import DEFAULT_MODEL
from ..types import Article, Mention, Triple
from . import metric

#: Tokens written against the previous one ("Bush 's", "offer ,") or the next one ("$ 4", "`` take").
_NO_SPACE_BEFORE = frozenset(", . ; : ! ? % ) ] } '' ' 's 'S 're 've 'll 'd 'm n't N'T ... -RRB- -RSB- -RCB-".split())
_NO_SPACE_AFTER = frozenset("( [ { $ US$ C$ A$ # `` ` -LRB- -LSB- -LCB-".split())
_RELATIVE = frozenset({"which", "who", "whom", "that", "whose"})
#: PTB escapes and quotes as they are printed.
_PRINTED = {"``": '"', "''": '"', "`": "'", "-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]",
            "-LCB-": "{", "-RCB-": "}"}

#: CaRB scores surface clauses (full phrases), which openie.v1 gives; svo.v1 gives resolved actors.
CARB_EXTRACTORS: tuple[str, ...] = ("openie.v1",)


class AlignedSentence(NamedTuple):
    """A CaRB sentence: its tokens, the text the parser reads, and where each token lies in it."""

    tokens: tuple[str, ...]
    text: str
    spans: tuple[tuple[int, int], ...]

    def token_index(self, offset: int) -> int:
        """The index of the token at or after character ``offset`` of ``text``."""
        return next((i for i, (_, end) in enumerate(self.spans) if end > offset), len(self.tokens))

    def covered(self, start: int, end: int) -> list[int]:
        """The indices of the tokens that the characters ``start:end`` of ``text`` touch."""
        return [i for i, (s, e) in enumerate(self.spans) if s < end and e > start]

    def locate(self, words: Sequence[str], anchor: int) -> list[int]:
        """The indices of the tokens holding ``words`` (the parser's tokens, as an extractor
        joined them: phrases in any order, not necessarily adjacent). Each longest run of words
        that stands together in the text is taken where it is nearest to the run before (the
        first: to ``anchor``); words not in the text are skipped."""
        found: list[int] = []
        cursor, i = anchor, 0
        while i < len(words):
            k, hits = i, []
            for j in range(i + 1, len(words) + 1):  # "is n't" stands as "isn't": "is" alone is no word
                if longer := self._runs(words[i:j]):
                    k, hits = j, longer
                elif hits or j - i >= 3:
                    break
            if not hits:
                i += 1
                continue
            start, end = min(hits, key=lambda hit: abs(hit[0] - cursor))
            found += [t for t in self.covered(start, end) if t not in found]
            cursor, i = end, k
        return found

    def _runs(self, words: Sequence[str]) -> list[tuple[int, int]]:
        """Where ``words`` stand together in ``text`` (spaces optional), cutting no word in two."""
        pattern = r"\s*".join(map(re.escape, words))
        return [m.span() for m in re.finditer(pattern, self.text) if self._whole(*m.span())]

    def _whole(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` cuts no word in two ("at" is not found in "that")."""
        cuts_left = start > 0 and self.text[start - 1].isalnum() and self.text[start].isalnum()
        cuts_right = end < len(self.text) and self.text[end].isalnum() and self.text[end - 1].isalnum()
        return not (cuts_left or cuts_right)

    def words(self, indices: Iterable[int]) -> str:
        """The tokens at ``indices``, in sentence order, space-joined: CaRB's words."""
        return " ".join(self.tokens[i] for i in sorted(set(indices)))


def align(sentence: str) -> AlignedSentence:
    """Detokenise a CaRB sentence, keeping each token's character span in the result.

    >>> a = align("Bush 's `` take - it '' offer , he said .")
    >>> a.text
    'Bush\\'s "take-it" offer, he said.'
    >>> a.words(a.covered(0, 6))
    "Bush 's"
    """
    tokens = tuple(sentence.split())
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    for i, token in enumerate(tokens):
        printed = _PRINTED.get(token, token.replace("\\/", "/"))
        if i and _space_between(tokens, i):
            parts.append(" ")
            length += 1
        spans.append((length, length + len(printed)))
        parts.append(printed)
        length += len(printed)
    return AlignedSentence(tokens, "".join(parts), tuple(spans))


def _space_between(tokens: Sequence[str], i: int) -> bool:
    """Whether news text puts a space between ``tokens[i - 1]`` and ``tokens[i]``."""
    before, token = tokens[i - 1], tokens[i]
    if token in _NO_SPACE_BEFORE or before in _NO_SPACE_AFTER:
        return False
    if token == "-" and _word_hyphen(tokens, i) or before == "-" and _word_hyphen(tokens, i - 1):
        return False
    return True


def _word_hyphen(tokens: Sequence[str], i: int) -> bool:
    """A "-" between two words is a hyphen ("war - torn" is "war-torn"), not a spaced dash."""
    return 0 < i < len(tokens) - 1 and tokens[i - 1][-1:].isalnum() and tokens[i + 1][:1].isalnum()


class CarbExtraction(NamedTuple):
    """One prediction line of CaRB's tabbed format, in CaRB's words."""

    sentence: str
    confidence: float
    relation: str
    arg1: str
    arg2: str

    def line(self) -> str:
        return "\t".join([self.sentence, f"{self.confidence:.2f}", self.relation, self.arg1, self.arg2])


def carb_extraction(triple: Triple, sentence: AlignedSentence, original: str) -> CarbExtraction | None:
    """A triple as CaRB states it: surface order (passives as written, with "by") and the
    preposition that leads to the object inside the relation ("withdraw from")."""
    first, second = triple.subject, triple.object
    passive = second.start < triple.relation_start < first.start
    if passive:  # the extractor states "Y attack X" for "X was attacked by Y"
        first, second = second, first
    relation = sentence.locate(triple.relation_text.split(), triple.relation_start)
    if passive:
        joins = [sentence.token_index(second.start) - 1]
        joins = [i for i in joins if i >= 0 and sentence.tokens[i].lower() == "by"]
    else:
        prepositions = set(triple.relation.split("_")[1:]) - {sentence.tokens[i].lower() for i in relation}
        between = range(sentence.token_index(triple.relation_end), sentence.token_index(second.start))
        joins = [i for i in between if sentence.tokens[i].lower() in prepositions][:1]
    arg1, arg2 = _argument(first, sentence), _argument(second, sentence)
    if not (arg1 and arg2 and relation):
        return None
    return CarbExtraction(original, triple.confidence, sentence.words(relation + joins), arg1, arg2)


def _argument(mention: Mention, sentence: AlignedSentence) -> str:
    """The words of an argument: those its offsets cover, or, where an extractor's text says more
    than its offsets ("Rodan taught at [the University in 1970]"), those of its text; a relative
    pronoun stands for its antecedent ("who" → "men")."""
    if mention.text.lower() in _RELATIVE:
        return mention.label
    if "".join(sentence.text[mention.start:mention.end].split()) == "".join(mention.text.split()):
        return sentence.words(sentence.covered(mention.start, mention.end))
    return sentence.words(sentence.locate(mention.text.split(), mention.start))


def carb_predictions(
    sentences: Iterable[str],
    *,
    model: str = DEFAULT_MODEL,
    extractors: Sequence[str] = CARB_EXTRACTORS,
    batch_size: int = 64,
) -> list[CarbExtraction]:
    """Run the extraction pipeline on CaRB sentences, one article per sentence, in order.

    Duplicate extractions of a sentence keep their highest confidence.
    """
    from ..pipeline import extract_articles  # the pipeline is the thing measured, not a dependency

    originals = list(sentences)
    aligned = [align(s) for s in originals]
    articles = (Article(id=f"carb-{i + 1:04d}", text=a.text) for i, a in enumerate(aligned))
    best: dict[tuple[str, str, str, str], CarbExtraction] = {}
    for original, sentence, extraction in zip(
        originals, aligned, extract_articles(articles, model=model, extractors=extractors, batch_size=batch_size)
    ):
        for triple in extraction.triples:
            found = carb_extraction(triple, sentence, original)
            if found is not None:
                key = (original, found.relation, found.arg1, found.arg2)
                if key not in best or best[key].confidence < found.confidence:
                    best[key] = found
    return list(best.values())


def write_carb_predictions(predictions: Iterable[CarbExtraction], path: str | Path) -> None:
    """Write predictions in CaRB's tabbed format (``carb_metric.py --pred``)."""
    Path(path).write_text("".join(p.line() + "\n" for p in predictions), encoding="utf-8")


@dataclass
class CarbReport:
    """CaRB's figures at the best confidence threshold, and what was missed or wrong."""

    precision: float
    recall: float
    f1: float
    auc: float
    threshold: float | None
    sentences: int
    gold_tuples: int
    predictions: list[CarbExtraction] = field(default_factory=list)
    misses: list[tuple[str, str]] = field(default_factory=list)  # (sentence, "rel | arg1 | arg2")
    wrong: list[tuple[str, str]] = field(default_factory=list)

    def format(self, verbose: bool = False) -> str:
        lines = [
            f"CaRB: {self.sentences} sentences, {self.gold_tuples} gold extractions, "
            f"{len(self.predictions)} predicted",
            f"  precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}  AUC {self.auc:.3f}"
            + (f"  (best threshold {self.threshold:.2f})" if self.threshold is not None else ""),
        ]
        if verbose:
            for title, items in (("missed (no word of the relation found)", self.misses),
                                 ("wrong (matches no gold extraction)", self.wrong)):
                lines.append(f"{title}: {len(items)}")
                lines += [f"  {tuple_}    ← {_short(sentence)}" for sentence, tuple_ in items]
        return "\n".join(lines)


def score_carb(
    gold: str | Path | Mapping[str, list],
    predictions: Iterable[CarbExtraction],
    *,
    sentences: Iterable[str] | None = None,
) -> CarbReport:
    """Score predictions with CaRB's default metric (the vendored ``metric.evaluate``).

    Args:
        gold: CaRB's gold file (``gold/dev.tsv``), or its contents as read by ``metric.read_gold``.
        predictions: the extractions, e.g. from ``carb_predictions``.
        sentences: score on these sentences only (a slice of the split); default: all of ``gold``.
    """
    golds = metric.read_gold(str(gold)) if isinstance(gold, (str, Path)) else dict(gold)
    predictions = list(predictions)
    shown = {metric.norm_key(p.sentence): p.sentence for p in predictions}
    if sentences is not None:
        chosen = list(sentences)
        shown.update((metric.norm_key(s), s) for s in chosen)
        keys = {metric.norm_key(s) for s in chosen}
        golds = {k: v for k, v in golds.items() if k in keys}
    predicted: dict[str, list] = {}
    for p in predictions:
        predicted.setdefault(metric.norm_key(p.sentence), []).append(
            metric.Tuple_(p.relation, [p.arg1, p.arg2], p.confidence))
    result = metric.evaluate(golds, predicted)
    report = CarbReport(result["P"], result["R"], result["F1"], result["auc"], result.get("threshold"),
                        len(golds), sum(len(v) for v in golds.values()), predictions)
    for key, gold_tuples in golds.items():
        sentence, preds = shown.get(key, key), predicted.get(key, [])
        scores = [[metric.pair_score(g, p) for p in preds] for g in gold_tuples]
        report.misses += [(sentence, _tuple_text(g)) for g, row in zip(gold_tuples, scores)
                          if max((s[1] for s in row), default=0) == 0]
        report.wrong += [(sentence, _tuple_text(p)) for j, p in enumerate(preds)
                         if max((row[j][0] for row in scores), default=0) == 0]
    return report


def evaluate_carb(
    folder: str | Path,
    *,
    limit: int | None = None,
    split: str = "dev",
    model: str = DEFAULT_MODEL,
    extractors: Sequence[str] = CARB_EXTRACTORS,
) -> CarbReport:
    """Extract from CaRB's ``<split>.txt`` (the first ``limit`` sentences) and score against
    ``gold/<split>.tsv``, as ``graph-builder evaluate --carb FOLDER`` does."""
    folder = Path(folder)
    lines = (folder / f"{split}.txt").read_text(encoding="utf-8").splitlines()
    sentences = [s.strip() for s in lines if s.strip()][:limit]
    predictions = carb_predictions(sentences, model=model, extractors=extractors)
    return score_carb(folder / "gold" / f"{split}.tsv", predictions, sentences=sentences)


def _tuple_text(t: metric.Tuple_) -> str:
    return " | ".join([t.rel, *t.args])


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"

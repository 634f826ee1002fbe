"""Events stated as nouns: "clashes between X and Y", "the capture of Sirte by X", "Israel's raids on Y".

News reports much of its fighting without a verb between the parties: the event is a noun and
the actors hang on it as possessor, ``by``, ``of``, ``on``, ``between`` or ``with``. These
rules read those nouns in the parse ``svo.v1`` already walks, and give the triple a verb would
have given: ``X clash_with Y``, ``X capture Sirte``, ``Israel raid Lebanon``.
"""

from __future__ import annotations

from typing import Callable, Iterator

from spacy.tokens import Span, Token

from ..cameo import cameo_event
from ..names import relation_name
from ..types import Mention, Triple
from .mentions import MentionFinder, can_act, sentence_evidence
from .parse_index import ParseIndex, parse_index

#: Nouns of fighting between two sides: "clashes between X and Y", "killed in clashes with Y".
CLASH_NOUNS = frozenset({"clash", "clashes", "fighting", "fight", "battle", "skirmish", "confrontation", "firefight"})

#: Event nouns whose agent and target make a triple: noun → the relation its verb would give.
EVENT_NOUNS: dict[str, str] = {
    "capture": "capture", "recapture": "recapture", "seizure": "seize", "takeover": "take_over",
    "attack": "attack", "assault": "attack", "offensive": "attack", "raid": "raid", "airstrike": "strike",
    "strike": "strike", "bombing": "bomb", "bombardment": "bomb", "shelling": "shell", "invasion": "invade",
    "occupation": "occupy", "siege": "besiege", "blockade": "blockade", "destruction": "destroy",
    "killing": "kill", "assassination": "assassinate", "abduction": "abduct", "kidnapping": "kidnap",
    "arrest": "arrest", "execution": "execute",
}

#: "Russian jets, in violation of a cease-fire, hit ...": nouns whose "in" phrase says what its owner did.
BREACH_NOUNS = {"violation": "violate", "breach": "breach", "defiance": "defy"}

#: Verbs that carry out the event their object names: if they did not happen, neither did it.
#: (Other verbs presuppose it: "did not stop the capture of Sirte" – the capture happened.)
SUPPORT_VERBS = frozenset({"launch", "carry", "conduct", "stage", "mount", "begin", "start", "order", "plan", "make"})

#: Prepositions that lead from an event noun to what it was done to.
_TARGET_PREPS = {"of", "on", "against", "over"}

#: Lemmas of all the nouns ``event_triples`` reads.
_EVENT_LEMMAS = frozenset(CLASH_NOUNS | BREACH_NOUNS.keys() | EVENT_NOUNS.keys())

#: Events launched rather than done to someone: "Iran's week-old offensive" → Iran launch offensive.
_LAUNCHED = frozenset({"offensive", "attack", "assault", "campaign", "operation"})


def event_triples(sent: Span, finder: MentionFinder, context: dict, *,
                  unasserted: Callable[[Token], bool]) -> Iterator[Triple]:
    """Triples of the event nouns of one sentence; ``unasserted(verb)`` says a clause is not a fact.

    ``context`` holds the fields every triple of the sentence shares (article, sentence, extractor).
    """
    index = parse_index(sent.doc)
    for i in range(sent.start, sent.end):
        if not _may_name_event(index, i):
            continue
        token = sent.doc[i]
        if token.pos_ == "VERB":
            sides = pitted_sides(token)
            if sides is not None and not unasserted(token):
                yield from _emit(finder, sides[0], "clash_with", sides[1], token, context)
            continue
        if token.pos_ != "NOUN":
            continue
        governor = _governing_verb(token)
        if governor is not None and governor.lemma_.lower() in SUPPORT_VERBS and unasserted(governor):
            continue  # "refused to launch its raids on": the raids did not happen
        lemma = token.lemma_.lower()
        if lemma in CLASH_NOUNS or token.lower_ in CLASH_NOUNS:
            for first, second in _clash_sides(token):
                yield from _emit(finder, first, "clash_with", second, token, context)
        elif lemma in BREACH_NOUNS:
            owner, breached = _in_phrase_owner(token), _pobj_of(token, {"of"})
            if owner is not None and breached is not None:
                yield from _emit(finder, owner, BREACH_NOUNS[lemma], breached, token, context)
        elif lemma in EVENT_NOUNS:
            agent, target = _agent_and_target(token)
            if agent is not None and target is not None:
                yield from _emit(finder, agent, EVENT_NOUNS[lemma], target, token, context)
            elif agent is not None and lemma in _LAUNCHED and agent.dep_ == "poss":
                yield from _emit(finder, agent, "launch", token, token, context)


def _may_name_event(index: ParseIndex, i: int) -> bool:
    """Whether token ``i`` passes the first test of a rule of ``event_triples`` (read from the
    index, so that the other tokens of the sentence never become ``Token`` objects)."""
    if index.pos[i] == "VERB":
        return index.lemma_lower[i] == "pit"  # see ``pitted_sides``
    return index.pos[i] == "NOUN" and (index.lemma_lower[i] in _EVENT_LEMMAS or index.lower[i] in CLASH_NOUNS)


def pitted_sides(verb: Token) -> tuple[Token, Token] | None:
    """ "The fighting pitted ISIL militants against the YPG": the two sides of a fight."""
    if verb.lemma_.lower() != "pit":
        return None
    side = next((c for c in verb.children if c.dep_ == "dobj"), None)
    against = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "against"), None)
    other = next((c for c in against.children if c.dep_ == "pobj"), None) if against is not None else None
    return (side, other) if side is not None and other is not None else None


def _clash_sides(noun: Token) -> list[tuple[Token, Token]]:
    """ "clashes between X and Y" → (X, Y); "[X were killed] in clashes with Y" → (X, Y);
    "clashes were reported between X and Y" → (X, Y)."""
    preps = list(noun.children)
    if noun.dep_ in ("nsubj", "nsubjpass"):
        preps += [c for c in noun.head.children if c.lower_ == "between"]
    for prep in preps:
        if prep.dep_ != "prep":
            continue
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        if prep.lower_ == "between":
            others = [c for c in pobj.conjuncts if c.i > pobj.i]
            return [(pobj, others[0])] if others else []
        if prep.lower_ == "with":
            subject = _clause_subject(noun)
            return [(subject, pobj)] if subject is not None else []
    return []


def _in_phrase_owner(noun: Token) -> Token | None:
    """Who is "in violation of" something: the noun the phrase hangs on, or its clause's subject."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "in":
        return None
    if prep.head.pos_ in ("NOUN", "PROPN"):
        return prep.head
    return _clause_subject(noun)


def _clause_subject(noun: Token) -> Token | None:
    """The subject of the clause a noun is the circumstance of: "[militants] were killed in clashes"."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ not in ("in", "during", "amid") or prep.head.pos_ != "VERB":
        return None
    return next((c for c in prep.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _agent_and_target(noun: Token) -> tuple[Token | None, Token | None]:
    """Who carried the event out and what it was done to.

    The agent is the ``by`` phrase, else the possessor ("Israel's raids"); the target the object
    of "of", "on", "against" or "over", or the possessor when a ``by`` phrase names the agent
    ("the city's capture by the rebels").
    """
    by = _pobj_of(noun, {"by"})
    possessor = next((c for c in noun.children if c.dep_ == "poss"), None)
    target = _pobj_of(noun, _TARGET_PREPS)
    if by is not None:
        return by, target if target is not None else possessor
    return possessor, target


def _pobj_of(noun: Token, preps: set[str]) -> Token | None:
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return None


def _governing_verb(noun: Token) -> Token | None:
    """The verb whose clause holds the noun (through prepositions and other nouns)."""
    node = noun
    for _ in range(6):
        if node.head == node:
            return None
        node = node.head
        if node.pos_ == "VERB":
            return node
    return None


def _emit(finder: MentionFinder, subject_head: Token, relation: str, object_head: Token, noun: Token,
          context: dict) -> Iterator[Triple]:
    name = relation_name(relation)
    event = cameo_event(name)
    for subject in finder.mentions(subject_head):
        for obj in finder.mentions(object_head):
            if subject.label == obj.label or not can_act(subject, subject_head):
                continue
            yield Triple(subject=subject, relation=name, relation_text=noun.text, object=obj,
                         relation_start=noun.idx, relation_end=noun.idx + len(noun.text),
                         cameo=event.code if event is not None else "", confidence=_confidence(subject, obj),
                         **context)


def _confidence(subject: Mention, obj: Mention) -> float:
    """Nominal events are read through more of the parse than verbs: a little less sure."""
    return 0.7 if subject.named and obj.named else 0.6


def sentence_context(sent: Span, article_id: str, extractor: str) -> dict:
    """The fields every triple of a sentence shares."""
    sentence, start, end = sentence_evidence(sent)
    return dict(article_id=article_id, sentence=sentence, start=start, end=end, extractor=extractor)

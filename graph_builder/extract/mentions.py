"""From tokens to mentions: which words an argument covers, what it names, whom a pronoun means.

The extractors find *where* the arguments of a relation are (a head token); this module turns
a head token into a ``Mention``: the words as they stand, the clean label, the actor type, and
for pronouns and relative pronouns the antecedent they stand for (or nothing, when it cannot
be told: a triple is better lost than given an actor called "he").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Iterator

from spacy.tokens import Doc, Span, Token

from ..names import TITLES, clean_label
from ..nlp import entity_type
from ..types import GROUP, ORGANIZATION, PERSON, PLACE, THING, Mention

#: Verbs that introduce reported speech; their subject is the speaker of what they report.
SPEECH_VERBS = frozenset(
    """say tell reveal disclose add claim state announce insist deny explain report confirm warn
    declare note stress argue allege assert admit acknowledge write tweet quote""".split()
)

THIRD_SINGULAR = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
THIRD_PLURAL = frozenset({"they", "them", "their", "theirs", "themselves"})
FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"})
REFLEXIVE = frozenset({"himself", "herself", "themselves", "itself", "myself", "ourselves"})
RELATIVE = frozenset({"which", "that", "who", "whom", "whose"})

#: Countries, which "the city" or "the town" cannot refer to.
COUNTRIES = frozenset(
    """Afghanistan Algeria Britain Canada Chad China Egypt France Germany India Iran Iraq Israel Italy
    Japan Jordan Kuwait Lebanon Libya Morocco Nigeria Pakistan Palestine Qatar Russia Somalia Spain Sudan
    Syria Tunisia Turkey Ukraine Yemen America""".split()
) | {"United States", "Saudi Arabia", "United Kingdom", "the United States", "U.S.", "US", "UK"}

#: Definite descriptions that refer back to a named entity: noun → (NER labels, names to skip).
NOMINAL_REFERENCES: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    **{noun: (("ORG",), frozenset()) for noun in ("group", "organisation", "organization", "movement", "militia", "party", "company")},
    **{noun: (("GPE", "LOC"), COUNTRIES) for noun in ("city", "town", "village", "capital")},
    **{noun: (("GPE",), frozenset()) for noun in ("country", "nation")},
}

#: Plural nouns that, with "two" or "both", refer back to the last two named actors.
PAIR_NOUNS: dict[str, tuple[str, ...]] = {
    "country": ("GPE",), "nation": ("GPE",), "state": ("GPE",), "government": ("GPE", "ORG"),
    "side": ("GPE", "ORG", "NORP"), "party": ("GPE", "ORG", "PERSON"), "leader": ("PERSON",),
    "man": ("PERSON",), "group": ("ORG",), "neighbour": ("GPE",), "neighbor": ("GPE",),
}

#: Nouns for places that are not named ("the city"): typed Place, scoped to their article.
PLACE_NOUNS = frozenset(
    "city town village region province area country capital district border territory camp "
    "neighbourhood neighborhood street port base airport island state suburb".split()
)

#: Common nouns for people and groups that act ("mediators", "the ally").
AGENT_NOUNS = frozenset(
    """ally allies mediator fighter rebel militant soldier troop force police official minister
    leader commander president government army militia group authority authorities regime
    protester demonstrator activist insurgent jihadist terrorist gunman gunmen attacker spokesman
    spokeswoman diplomat envoy negotiator delegation opposition coalition administration
    ministry agency court parliament council committee party side family resident civilian
    people man men woman women child children driver officer agent guard worker citizen member
    team company bank investor analyst source witness monitor observer journalist lawyer judge
    prosecutor reporter correspondent supporter volunteer mercenary sniper pilot refugee
    prisoner hostage victim villager student doctor nurse general colonel chief king prince
    emir sheikh cleric imam bishop priest student teacher farmer merchant trader smuggler
    kidnapper captor bomber assailant marine sailor airman commando unit battalion brigade
    division squad patrol navy airforce military""".split()
)
_AGENT_SUFFIXES = ("ist", "ian")
_COLLECTIVE_NOUNS = frozenset(
    """government army police regime militia group authority opposition coalition administration
    ministry agency court parliament council committee party side family delegation team company
    bank unit battalion brigade division squad patrol navy airforce military people force""".split()
)

#: A newswire dateline opening a paragraph: "BAHRAIN, Oct 19 - ", "BEIRUT (Reuters) - ".
DATELINE = re.compile(
    r"(?m)^[ \t]*[A-Z][A-Z.'\- ]{1,40}(?:,[ \t]*[A-Z][a-z]{2,9}\.?[ \t]*\d{1,2})?[ \t]*"
    r"(?:(?:\([A-Za-z ]+\))?[ \t]*[-–—]+[ \t]|\([A-Za-z ]+\)[ \t])"
    r"|\b[A-Z]{3,}(?: [A-Z]{3,})* \((?:AFP|AP|Reuters|Sputnik|SANA|UPI|dpa|[A-Z][a-z]+ News)\) "
)

#: Words of web-page furniture that glue onto the next noun in scraped text ("Tags Syria Aleppo airstrike").
_BOILERPLATE_WORDS = frozenset({"Tags", "Topic", "URL", "Share", "Tweet", "Comments"})


def actor_entities(doc: Doc) -> list[Span]:
    """The document's entities, with organisation names that NER cut in two joined again.

    "Libyan Program for Reintegration and Development" comes out of the small model as two
    ORG entities around "for"; a name of the form ORG (for|of|and) ORG is one name.
    """
    ents = list(doc.ents)
    merged: list[Span] = []
    i = 0
    while i < len(ents):
        ent = ents[i]
        while (
            i + 1 < len(ents) and ent.label_ == "ORG" and ents[i + 1].label_ == "ORG"
            and ents[i + 1].start == ent.end + 1 and doc[ent.end].lower_ in ("for", "of", "and")
        ):
            ent = Span(doc, ent.start, ents[i + 1].end, label="ORG")
            i += 1
        merged.append(ent)
        i += 1
    return merged


#: Prepositions after which a name is a place: "fighters in Ganfouda" (NER said PERSON).
LOCATIVE_PREPS = frozenset({"in", "at", "near", "into", "outside", "inside", "around", "across", "toward", "towards"})


def context_type(ent: Span) -> str | None:
    """The actor type of an entity, corrected by its context: a "person" one is *in* is a place."""
    kind = entity_type(ent.label_)
    if kind not in (PERSON, ORGANIZATION):
        return kind
    root = ent.root
    while root.dep_ == "conj" and root.head is not root:
        root = root.head
    if root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPS and kind == PERSON:
        return PLACE
    return kind


def doc_entities(doc: Doc) -> Iterator[Mention]:
    """All named entities of a document that can be actors, as mentions."""
    for ent in actor_entities(doc):
        kind = context_type(ent)
        label = clean_label(ent.text)
        if kind and label and any(c.isalpha() for c in label):
            yield Mention(ent.text, ent.start_char, ent.end_char, label, kind, named=True)


class MentionFinder:
    """Per-document index that turns head tokens into mentions and resolves pronouns."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        entities = actor_entities(doc)
        self._ent_of: dict[int, Span] = {t.i: ent for ent in entities for t in ent}
        self._named: list[tuple[int, Token]] = []  # (token index, head token) of named actors
        for ent in entities:
            if entity_type(ent.label_):
                self._named.append((ent.root.i, ent.root))
        self._named.sort(key=lambda pair: pair[0])
        self._datelines = [match.span() for match in DATELINE.finditer(doc.text)]
        self._titled: list[tuple[int, frozenset[str], Token]] = []  # persons named with a title before them
        for ent in entities:
            if ent.label_ == "PERSON":
                titles = frozenset(t.lower_.rstrip(".") for t in doc[self._title_start(ent) : ent.start])
                if titles:
                    self._titled.append((ent.start, titles, ent.root))

    # -- mentions of nouns -------------------------------------------------------------------

    def mentions(self, head: Token) -> list[Mention]:
        """The actors ``head`` stands for: one, none, or two for "the two countries", "both sides"."""
        pair = self._pair_reference(head)
        if pair:
            return pair
        found = self.mention(head)
        return [found] if found is not None else []

    def _pair_reference(self, head: Token) -> list[Mention]:
        """ "the two countries", "both sides": the last two named actors of that kind."""
        labels = PAIR_NOUNS.get(head.lemma_.lower())
        if labels is None or head.tag_ != "NNS":
            return []
        says_two = any(c.lower_ in ("two", "both") for c in head.children if c.dep_ in ("nummod", "det", "predet"))
        if not says_two:
            return []
        found: list[Mention] = []
        position = bisect_left(self._named, head.i, key=lambda pair: pair[0])
        window_start = _sentence_window_start(head, 2)
        for index in range(position - 1, -1, -1):
            i, named = self._named[index]
            if i < window_start or len(found) == 2:
                break
            ent = self._ent_of[i]
            mention = self.mention(named) if ent.label_ in labels and ent.end <= head.i else None
            if mention is not None and all(m.label != mention.label for m in found):
                found.append(mention)
        if len(found) != 2:
            return []
        span = self.doc[self._left_edge(head) : head.i + 1]
        return [Mention(span.text, span.start_char, span.end_char, m.label, m.type, m.named) for m in reversed(found)]

    def mention(self, head: Token) -> Mention | None:
        """The mention whose syntactic head is ``head``, or ``None`` if it names no actor."""
        lower = head.lower_
        if any(start <= head.idx < end for start, end in self._datelines):
            # "PARIS, March 20 - Chadian troops killed ...": the parser makes PARIS the subject
            # and the real one its apposition
            real = next((c for c in head.children if c.dep_ == "appos"), None)
            return self.mention(real) if real is not None and real.idx >= self._dateline_end(head) else None
        if head.pos_ == "PRON" or lower in RELATIVE:
            return self._pronoun(head)
        if head.ent_type_ in ("CARDINAL", "QUANTITY") or head.pos_ == "NUM":
            of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            counted = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            return self.mention(counted) if counted is not None else None  # "thousands of people"
        if head.pos_ in ("NOUN", "PROPN") and self._is_title_only(head):
            holder = self._titled_person(head)
            titled = self._titled_mention(head, holder) if holder is not None else None
            if titled is not None:
                return titled
        named = self.named_apposition(head) if head.pos_ == "NOUN" else None
        if named is not None:
            return self.mention(named)
        ent = self._ent_of.get(head.i)
        if ent is not None:
            kind = context_type(ent)
            if kind is None:
                return None
            label = clean_label(ent.text)
            start = self._title_start(ent)
            return self._make(start, ent.end - 1, label, kind, named=True) if label else None
        if head.pos_ == "PROPN":
            first = min((c.i for c in head.children if c.dep_ == "compound"), default=head.i)
            label = clean_label(self.doc[first : head.i + 1].text)
            return self._make(first, head.i, label, THING, named=True) if label else None
        if head.pos_ == "NOUN":
            reference = self._nominal_reference(head) or self._place_of(head)
            if reference is not None:
                return reference
            first = min((c.left_edge.i for c in head.lefts if c.dep_ in ("compound", "amod") and self._names_origin(c)
                         or c.dep_ == "compound"), default=head.i)
            first = max([first] + [t.i + 1 for t in self.doc[first : head.i] if t.text in _BOILERPLATE_WORDS])
            words = [t.text if t.pos_ == "PROPN" or t.ent_type_ else t.lower_
                     for t in self.doc[first : head.i + 1] if not t.is_punct]
            return self._make(self._left_edge(head), head.i, " ".join(words), noun_type(head))
        return None

    def _dateline_end(self, token: Token) -> int:
        return next(end for start, end in self._datelines if start <= token.idx < end)

    def _names_origin(self, token: Token) -> bool:
        """A modifier that says whose a group is: "Iraqi army", "Russian jets"."""
        return token.ent_type_ in ("NORP", "GPE") and token.i == token.left_edge.i

    def _place_of(self, head: Token) -> Mention | None:
        """ "the Damascus suburb of Daraya", "the town of Tel Abyad": the named place."""
        if head.lemma_.lower() not in PLACE_NOUNS:
            return None
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        place = next((c for c in of.children if c.dep_ == "pobj" and c.ent_type_), None) if of is not None else None
        found = self.mention(place) if place is not None else None
        return found if found is not None and found.named else None

    def _is_title_only(self, head: Token) -> bool:
        """ "the Prime Minister", "the president": a title standing for the person who holds it."""
        words = [c for c in head.lefts if c.dep_ == "compound"] + [head]
        return (head.i not in self._ent_of or self._ent_of[head.i].label_ not in ("PERSON",)) and all(
            w.lower_.rstrip(".") in TITLES for w in words) and any(
            c.dep_ == "det" and c.lower_ == "the" for c in head.children) and head.tag_ in ("NN", "NNP")

    def _titled_person(self, head: Token) -> Token | None:
        """The closest person named earlier with this title ("Prime Minister Tony Blair")."""
        title = head.lower_.rstrip(".")
        for start, titles, person in reversed(self._titled):
            if start < head.i and title in titles:
                return person
        return None

    def _titled_mention(self, head: Token, holder: Token) -> Mention | None:
        found = self.mention(holder)
        if found is None:
            return None
        span = self.doc[self._left_edge(head) : head.i + 1]
        return Mention(span.text, span.start_char, span.end_char, found.label, found.type, found.named)

    def _make(self, first: int, last: int, label: str, kind: str, named: bool = False) -> Mention | None:
        if not any(c.isalnum() for c in label):
            return None  # "-", "…": no name at all
        span = self.doc[first : last + 1]
        return Mention(span.text, span.start_char, span.end_char, label, kind, named)

    def _title_start(self, ent: Span) -> int:
        """Include a title just before a name in the mention's text ("General Khalifa Haftar")."""
        start = ent.start
        while start > 0 and self.doc[start - 1].lower_.rstrip(".") in TITLES:
            start -= 1
        return start

    def _left_edge(self, head: Token) -> int:
        """First token of a noun's left modifiers: determiner, adjectives, compounds, possessor."""
        lefts = [c for c in head.lefts if c.dep_ in ("det", "amod", "compound", "nummod", "poss", "quantmod")]
        return min((c.left_edge.i for c in lefts), default=head.i)

    def named_apposition(self, head: Token) -> Token | None:
        """A named apposition of a common noun: "The commander of X, General Khalifa Haftar"."""
        for token in head.subtree:
            if token.i > head.i + 12:
                break
            if token.dep_ == "appos" and token.i > head.i and self._is_person_or_org(token):
                before = self.doc[token.left_edge.i - 1] if token.left_edge.i > 0 else None
                if before is not None and before.text == ",":  # "(YPG)" is an acronym, not the holder
                    return token
        return None

    def _is_person_or_org(self, token: Token) -> bool:
        ent = self._ent_of.get(token.i)
        return ent is not None and ent.label_ in ("PERSON", "ORG")

    # -- pronouns -----------------------------------------------------------------------------

    def _pronoun(self, token: Token) -> Mention | None:
        lower = token.lower_
        antecedent: Token | None = None
        if lower in RELATIVE:
            verb = token.head
            if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
                antecedent = verb.head
        elif lower in REFLEXIVE:
            antecedent = _subject_of(token.head)
        elif lower in FIRST_PERSON:
            if lower in ("i", "me", "my", "mine", "myself"):
                antecedent = self._speaker(token, through_ccomp_only=False)
        elif lower in THIRD_SINGULAR:
            if token.dep_ in ("nsubj", "nsubjpass"):
                antecedent = self._speaker(token, through_ccomp_only=True)
            if antecedent is None:
                antecedent = self._recent_person(token)
        elif lower in THIRD_PLURAL:
            antecedent = self._recent_plural(token)
        elif lower == "its" and token.dep_ == "poss":
            antecedent = self._recent_named(token, ("ORG", "GPE", "NORP"), sentences=1)
        if antecedent is None or antecedent.i == token.i:
            return None
        if antecedent.pos_ == "PRON" and antecedent.i > token.i:
            return None  # a pronoun may only lean on an earlier one, so resolution always ends
        found = self.mention(antecedent)
        if found is None:
            return None
        return Mention(token.text, token.idx, token.idx + len(token.text), found.label, found.type, found.named)

    def _speaker(self, token: Token, *, through_ccomp_only: bool) -> Token | None:
        """The subject of the speech verb that reports the clause ``token`` stands in."""
        node, passed_ccomp = token.head, False
        for _ in range(12):
            if node.lemma_ in SPEECH_VERBS and (passed_ccomp or not through_ccomp_only):
                subject = _subject_of(node)
                if subject is not None and subject.i != token.i and subject.lower_ not in FIRST_PERSON:
                    ent = self._ent_of.get(subject.i)
                    if ent is None or ent.label_ in ("PERSON", "ORG"):
                        return subject
            if node.dep_ == "ccomp" or node.dep_ == "ROOT" and token.sent.root is node:
                passed_ccomp = passed_ccomp or node.dep_ == "ccomp"
            if node.head is node:
                break
            node = node.head
        return None

    def _recent_person(self, token: Token) -> Token | None:
        """The closest person named before ``token`` in this or the three previous sentences."""
        return self._recent_named(token, ("PERSON",), sentences=3)

    def _recent_named(
        self, token: Token, labels: tuple[str, ...], *, sentences: int, skip: frozenset[str] = frozenset()
    ) -> Token | None:
        """The head of the closest entity before ``token`` with one of the NER ``labels``."""
        position = bisect_left(self._named, token.i, key=lambda pair: pair[0])
        window_start = _sentence_window_start(token, sentences)
        for index in range(position - 1, -1, -1):
            i, head = self._named[index]
            if i < window_start:
                break
            ent = self._ent_of[i]
            if ent.label_ in labels and ent.end <= token.i and ent.text not in skip:
                return head
        return None

    def _nominal_reference(self, head: Token) -> Mention | None:
        """ "the group", "the city": the closest named organisation or place before it."""
        refers_to = NOMINAL_REFERENCES.get(head.lemma_.lower())
        if refers_to is None or head.tag_ in ("NNS", "NNPS"):
            return None
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in head.children):
            return None
        if any(c.dep_ in ("compound", "amod", "poss", "prep") for c in head.children):
            return None  # "the western city of ..." says which city itself
        labels, skip = refers_to
        antecedent = self._recent_named(head, labels, sentences=3, skip=skip)
        found = self.mention(antecedent) if antecedent is not None else None
        if found is None or not found.named:
            return None
        start = self._left_edge(head)
        span = self.doc[start : head.i + 1]
        return Mention(span.text, span.start_char, span.end_char, found.label, found.type, True)

    def _recent_plural(self, token: Token) -> Token | None:
        """The closest plural group before ``token``, preferring clause subjects."""
        window_start = _sentence_window_start(token, 2)
        fallback: Token | None = None
        for i in range(token.i - 1, window_start - 1, -1):
            candidate = self.doc[i]
            plural = candidate.tag_ in ("NNS", "NNPS") and candidate.pos_ in ("NOUN", "PROPN")
            if not plural:
                continue
            if noun_type(candidate) == THING:
                continue
            if candidate.dep_ in ("nsubj", "nsubjpass"):
                return candidate
            fallback = fallback or candidate
        return fallback


def noun_type(head: Token) -> str:
    """Actor type of an unnamed noun: Place ("the city"), Group or Person (agents), else Thing."""
    lemma = head.lemma_.lower()
    if lemma in PLACE_NOUNS:
        return PLACE
    if lemma in AGENT_NOUNS or head.lower_ in AGENT_NOUNS or lemma.endswith(_AGENT_SUFFIXES) and len(lemma) > 5:
        collective = lemma in _COLLECTIVE_NOUNS
        return GROUP if head.tag_ in ("NNS", "NNPS") or collective else PERSON
    return THING


def _subject_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
        return _subject_of(verb.head)
    return None


def _sentence_window_start(token: Token, sentences: int) -> int:
    """Index of the first token of the sentence ``sentences`` before the one holding ``token``."""
    start = token.sent.start
    doc = token.doc
    for _ in range(sentences):
        if start == 0:
            break
        start = doc[start - 1].sent.start
    return start


def sentence_evidence(sent: Span) -> tuple[str, int, int]:
    """A sentence's text and character offsets, without its surrounding white space.

    Built from the span, never from ``doc.text``: that joins the whole document again on
    every call, which made long articles quadratic.
    """
    text = sent.text
    stripped = text.strip()
    start = sent.start_char + (len(text) - len(text.lstrip()))
    return stripped, start, start + len(stripped)


def entity_at(token: Token) -> Span | None:
    """The named entity that holds ``token``, found from its IOB tags (``doc.ents`` is built anew per call)."""
    if token.ent_iob_ not in ("B", "I"):
        return None
    doc, start = token.doc, token.i
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


_BYLINE = re.compile(r"^\W*(?:by|reporting by|writing by|editing by|additional reporting by|compiled by)\s+[A-Z]", re.I)


def is_noise(sent: Span) -> bool:
    """Sentences that state no fact: headlines in capitals, bylines ("Reporting by ...")."""
    text = sent.text.strip()
    letters = [c for c in text if c.isalpha()]
    if len(letters) > 12 and sum(c.isupper() for c in letters) > 0.7 * len(letters):
        return True
    return bool(_BYLINE.match(text))

"""From tokens to mentions: which words an argument covers, what it names, whom a pronoun means.

The extractors find *where* the arguments of a relation are (a head token); this module turns
a head token into a ``Mention``: the words as they stand, the clean label, the actor type, and
for pronouns and relative pronouns the antecedent they stand for (or nothing, when it cannot
be told: a triple is better lost than given an actor called "he").
"""

from __future__ import annotations

import re
import string
from bisect import bisect_left
from typing import Any, Callable, Iterator

from spacy.tokens import Doc, Span, Token

from ..names import TITLES, clean_label, is_acronym
from ..nlp import entity_type
from ..types import GROUP, ORGANIZATION, PERSON, PLACE, THING, Mention
from .parse_index import parse_index

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
_PRONOUNS = THIRD_SINGULAR | THIRD_PLURAL | FIRST_PERSON | RELATIVE | {"it", "its", "you", "your", "us"}

#: Verbs whose passive "it" stands for a clause, not a thing: "it was believed by many that".
_EMPTY_IT_VERBS = frozenset({"believe", "think", "know", "consider", "expect", "decide", "agree", "understand", "feel"})

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

#: Verbs whose bare numeric object counts people: "killed five", "wounded 12", "captured 48".
CASUALTY_VERBS = frozenset({"kill", "wound", "injure", "capture", "arrest", "abduct", "kidnap", "execute", "detain"})

#: Nouns that stand for part of what their "of" names: "members of the YPG", "a number of diplomats".
_MEMBER_NOUNS = frozenset({"member", "rank", "unit", "element"})
PARTITIVE_NOUNS = _MEMBER_NOUNS | frozenset({"number", "dozen", "dozens", "hundreds", "thousands", "scores", "handful"})

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
    division squad patrol navy airforce military embassy television radio newspaper channel broadcaster
    station media mayor governor senator lawmaker legislator premier chancellor secretary ambassador
    chairman chairwoman director manager deputy head ruler dictator warlord sultan ayatollah pope
    cardinal queen princess lieutenant captain admiral sergeant brigadier marshal representative
    spokesperson candidate voter crowd mob tribe clan union organisation organization movement
    faction board cabinet senate congress assembly firm""".split()
)
_AGENT_SUFFIXES = ("ist", "ian")
_COLLECTIVE_NOUNS = frozenset(
    """government army police regime militia group authority opposition coalition administration
    ministry agency court parliament council committee party side family delegation team company
    bank unit battalion brigade division squad patrol navy airforce military people force embassy
    television radio newspaper channel broadcaster station media""".split()
)

#: Events that act on people and places themselves: "the attack killed five".
VIOLENT_EVENTS = frozenset(
    """attack strike airstrike raid bombing bomb blast explosion shelling shell missile rocket
    fire fighting clash clashes assault offensive ambush explosive mine car-bomb""".split()
)

#: Weapons and vehicles that act in news: "Russian jets hit an outpost", "gunships attacked".
WEAPON_NOUNS = frozenset(
    """jet warplane aircraft plane helicopter gunship drone tank artillery bomber fighter-bomber warship
    ship vessel boat missile rocket shell mortar bullet gunfire""".split()
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
    ORG entities around "for"; a name of the form ORG (for|of|and) ORG is one name. (Worked
    out once per shared ``ParseIndex``: each extractor and the mention list ask for them.)
    """
    shared = parse_index(doc).shared
    if "actor_entities" not in shared:
        shared["actor_entities"] = _merged_entities(doc)
    return list(shared["actor_entities"])


def _merged_entities(doc: Doc) -> list[Span]:
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
    while root.dep_ == "conj" and root.head != root:
        root = root.head
    if root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPS and kind == PERSON:
        return PLACE
    return kind


def doc_entities(doc: Doc) -> Iterator[Mention]:
    """All named entities of a document that can be actors, as mentions."""
    index = parse_index(doc)
    for ent in actor_entities(doc):
        kind = context_type(ent)
        text, start_char, end_char = index.char_span(ent.start, ent.end)
        label = clean_label(text)
        if kind and label and any(c.isalpha() for c in label):
            yield Mention(text, start_char, end_char, label, kind, named=True)


def mention_finder(doc: Doc) -> MentionFinder:
    """The ``MentionFinder`` of ``doc``, one per shared ``ParseIndex`` (it only reads the doc)."""
    shared = parse_index(doc).shared
    if "mention_finder" not in shared:
        shared["mention_finder"] = MentionFinder(doc)
    return shared["mention_finder"]


class MentionFinder:
    """Per-document index that turns head tokens into mentions and resolves pronouns."""

    def __init__(self, doc: Doc) -> None:
        self._resolving: set[int] = set()  # pronouns being resolved, so that no resolution loops
        self._known: dict[str, dict[int, Any]] = {"mention": {}, "mentions": {}}  # see ``_remembered``
        self.doc = doc
        self._index = parse_index(doc)
        entities = actor_entities(doc)
        self._ent_of: dict[int, Span] = {i: ent for ent in entities for i in range(ent.start, ent.end)}
        self._named: list[tuple[int, Token]] = []  # (token index, head token) of named actors
        for ent in entities:
            if entity_type(ent.label_):
                self._named.append((ent.root.i, ent.root))
        self._named.sort(key=lambda pair: pair[0])
        self._datelines = [match.span() for match in DATELINE.finditer(self._index.text)]
        self._titled: list[tuple[int, frozenset[str], Token]] = []  # persons named with a title before them
        for ent in entities:
            if ent.label_ == "PERSON":
                titles = frozenset(word.rstrip(".") for word in self._index.lower[self._title_start(ent) : ent.start])
                if titles:
                    self._titled.append((ent.start, titles, ent.root))

    # -- mentions of nouns -------------------------------------------------------------------

    def mentions(self, head: Token) -> list[Mention]:
        """The actors ``head`` stands for: one, none, or two for "the two countries", "both sides"."""
        return list(self._remembered("mentions", head, self._find_mentions))

    def _remembered(self, kind: str, head: Token, find: Callable[[Token], Any]) -> Any:
        """``find(head)``, worked out once per head: the extractors ask for the same heads again and again.

        Only answers worked out outside a pronoun's resolution are kept: inside one, the pronouns
        being resolved count as unresolvable, so an answer found there may differ.
        """
        if self._resolving:
            return find(head)
        known = self._known[kind]
        if head.i not in known:
            known[head.i] = find(head)
        return known[head.i]

    def _find_mentions(self, head: Token) -> list[Mention]:
        pair = (self._pair_reference(head) or self._both_reference(head) or self._coordinated_antecedents(head)
                or self._dateline_subjects(head))
        if pair:
            return pair
        found = self.mention(head)
        return [found] if found is not None else []

    def _dateline_subjects(self, head: Token) -> list[Mention]:
        """ "UNITED NATIONS, March 29 - China and Israel ... discussed": the dateline's apposition
        and its conjuncts are the subjects (the parser hangs them on the place name)."""
        real = next((c for c in head.children if c.dep_ == "appos"), None)
        if real is None or not real.conjuncts or not self._in_dateline(head) or real.idx < self._dateline_end(head):
            return []
        found = [self.mention(t) for t in (real, *real.conjuncts) if t.i >= real.i]
        return [m for m in found if m is not None]

    def _in_dateline(self, token: Token) -> bool:
        return any(start <= token.idx < end for start, end in self._datelines)

    def _both_reference(self, head: Token) -> list[Mention]:
        """ "Both exchanged prisoners": the last two named actors of one kind."""
        if head.lower_ != "both" or head.dep_ not in ("nsubj", "nsubjpass"):
            return []
        last = self._recent_named(head, ("GPE", "ORG", "PERSON"), sentences=2)
        return self._last_two(head, (self._ent_of[last.i].label_,)) if last is not None else []

    def _coordinated_antecedents(self, head: Token) -> list[Mention]:
        """ "Syrian troops and Hezbollah fighters managed ... They recaptured": they are both."""
        if head.lower_ not in THIRD_PLURAL or head.pos_ != "PRON":
            return []
        antecedent = self._recent_plural(head)
        if antecedent is None or not any(c.i > antecedent.i for c in antecedent.conjuncts):
            return []
        found = [self._as_pronoun(head, t) for t in (antecedent, *antecedent.conjuncts) if t.i >= antecedent.i]
        return [m for m in found if m is not None] if all(found) else []

    def _pair_reference(self, head: Token) -> list[Mention]:
        """ "the two countries", "both sides": the last two named actors of that kind."""
        labels = PAIR_NOUNS.get(head.lemma_.lower())
        if labels is None or head.tag_ != "NNS":
            return []
        says_two = any(c.lower_ in ("two", "both") for c in head.children if c.dep_ in ("nummod", "det", "predet"))
        if not says_two:
            return []
        return self._last_two(head, labels)

    def _last_two(self, head: Token, labels: tuple[str, ...]) -> list[Mention]:
        """The last two distinct named actors with one of the NER ``labels`` before ``head``, as its mentions."""
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
        return self._remembered("mention", head, self._find_mention)

    def _find_mention(self, head: Token) -> Mention | None:
        lower = head.lower_
        if self._in_dateline(head):
            # "PARIS, March 20 - Chadian troops killed ...": the parser makes PARIS the subject
            # and the real one its apposition
            real = next((c for c in head.children if c.dep_ == "appos"), None)
            return self.mention(real) if real is not None and real.idx >= self._dateline_end(head) else None
        if (head.pos_ == "PRON" or lower in RELATIVE) and not _is_acronym(head):
            return self._pronoun(head)
        if head.ent_type_ in ("CARDINAL", "QUANTITY") or head.pos_ == "NUM":
            counted = _of_object(head)
            if counted is not None:
                return self.mention(counted)  # "thousands of people"
            return self._make(head.left_edge.i, head.i, head.text, GROUP) if is_casualty_count(head) else None
        if head.lemma_.lower() in PARTITIVE_NOUNS and _of_object(head) is not None:
            part_of = self.mention(_of_object(head))  # "members of the YPG", "a number of diplomats"
            if part_of is not None and (part_of.named or head.lemma_.lower() not in _MEMBER_NOUNS):
                return part_of
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
        if head.pos_ == "PROPN" or _is_acronym(head):
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
        text, start_char, end_char = self._index.char_span(first, last + 1)
        return Mention(text, start_char, end_char, label, kind, named)

    def _title_start(self, ent: Span) -> int:
        """Include a title just before a name in the mention's text ("General Khalifa Haftar")."""
        start, lower = ent.start, self._index.lower
        while start > 0 and lower[start - 1].rstrip(".") in TITLES:
            start -= 1
        return start

    def _left_edge(self, head: Token) -> int:
        """First token of a noun's left modifiers: determiner, adjectives, compounds, possessor."""
        lefts = [c for c in head.lefts if c.dep_ in ("det", "amod", "compound", "nummod", "poss", "quantmod")]
        return min((c.left_edge.i for c in lefts), default=head.i)

    def named_apposition(self, head: Token) -> Token | None:
        """A named apposition of a common noun: "The commander of X, General Khalifa Haftar", or a
        person's name right after it ("Hezbollah's leader Hassan Nasrallah")."""
        if "appos" not in self._index.dep[head.i + 1 : head.i + 13]:
            return None  # the common case, told without walking the subtree
        for token in head.subtree:
            if token.i > head.i + 12:
                break
            if token.dep_ == "appos" and token.i > head.i and self._is_person_or_org(token):
                before = self.doc[token.left_edge.i - 1] if token.left_edge.i > 0 else None
                close = before is not None and before.i == head.i and self._ent_of[token.i].label_ == "PERSON"
                if before is not None and before.text == "," or close:  # "(YPG)" is an acronym, not the holder
                    return token  # close: "Hezbollah's leader Hassan Nasrallah"
        return None

    def _is_person_or_org(self, token: Token) -> bool:
        ent = self._ent_of.get(token.i)
        return ent is not None and ent.label_ in ("PERSON", "ORG")

    # -- pronouns -----------------------------------------------------------------------------

    def _pronoun(self, token: Token) -> Mention | None:
        """The antecedent's mention; ``None`` for a pronoun whose resolution needs itself (a
        parse can make "him" the subject of its own clause, whose subject it must not be)."""
        if token.i in self._resolving:
            return None
        self._resolving.add(token.i)
        try:
            return self._resolve_pronoun(token)
        finally:
            self._resolving.discard(token.i)

    def _resolve_pronoun(self, token: Token) -> Mention | None:
        lower = token.lower_
        antecedent: Token | None = None
        if lower in RELATIVE:
            verb = token.head
            if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
                antecedent = self._relative_antecedent(token, verb.head)
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
        elif lower == "it" and token.dep_ == "nsubj":
            antecedent = self._recent_actor_subject(token)
        elif lower == "it" and token.dep_ == "nsubjpass":
            antecedent = _place_acted_on(token)
        return self._as_pronoun(token, antecedent)

    def _relative_antecedent(self, relative: Token, noun: Token) -> Token:
        """ "a close ally of Khalifa Haftar, which he did not name": "which" is never a person, so
        it stands for the noun the person's "of" phrase hangs on."""
        ent = self._ent_of.get(noun.i)
        is_person = ent is not None and ent.label_ == "PERSON"
        if relative.lower_ == "which" and is_person and noun.dep_ == "pobj" and noun.head.lower_ == "of":
            return noun.head.head
        return noun

    def _as_pronoun(self, token: Token, antecedent: Token | None) -> Mention | None:
        """The pronoun ``token``'s words, naming what ``antecedent`` names."""
        if antecedent is None or antecedent.i == token.i:
            return None
        if antecedent.pos_ == "PRON" and antecedent.i > token.i:
            return None  # a pronoun may only lean on an earlier one, so resolution always ends
        found = self.mention(antecedent)
        if found is None:
            return None
        return Mention(token.text, token.idx, token.idx + len(token.text), found.label, found.type, found.named)

    def _recent_actor_subject(self, token: Token) -> Token | None:
        """ "INA said ... It did not give": the closest named organisation or country that was a subject.

        Only an acting "it" (an active subject) is resolved, and only to an organisation or a country
        that led a clause of this or the previous sentence; anything else "it" stands for is left alone.
        """
        window_start = _sentence_window_start(token, 1)
        for i in range(token.i - 1, window_start - 1, -1):
            candidate = self.doc[i]
            ent = self._ent_of.get(i)
            if candidate.dep_ not in ("nsubj", "ROOT"):
                continue
            if ent is not None and candidate.i == ent.root.i and ent.label_ in ("ORG", "GPE", "NORP") or ent is None and _is_acronym(candidate):
                return candidate
        return None

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
            if node.dep_ == "ccomp" or node.dep_ == "ROOT" and token.sent.root == node:
                passed_ccomp = passed_ccomp or node.dep_ == "ccomp"
            if node.head == node:
                break
            node = node.head
        return None

    def _recent_person(self, token: Token) -> Token | None:
        """The person ``token`` (he, him, his) most likely stands for, named or not ("the ally").

        Sentence by sentence back from the pronoun (three at most), the most prominent person of
        the closest sentence that has one: a clause subject before an object, an object before
        a name inside a phrase ("a close ally of Khalifa Haftar" → the ally), the later before
        the earlier. "Him" and "her" are never the subject of their own clause ("Sagezli told
        him"), nor, in a quote, the speaker.
        """
        excluded = self._not_coreferent(token) if token.lower_ in ("him", "her") else set()
        start = token.sent.start
        for _ in range(4):
            sent = self.doc[start].sent
            candidates = [t for t in self.doc[sent.start : min(sent.end, token.i)]
                          if self._is_person(t) and self._label_of(t) not in excluded]
            if candidates:
                return min(candidates, key=lambda t: (_prominence(t), -t.i))
            if sent.start == 0:
                return None
            start = self.doc[sent.start - 1].sent.start
        return None

    def _is_person(self, token: Token) -> bool:
        """A named person's head word, or an unnamed singular person ("the ally", "a spokesman")."""
        ent = self._ent_of.get(token.i)
        if ent is not None:
            return ent.label_ == "PERSON" and token.i == ent.root.i and context_type(ent) == PERSON
        return token.pos_ == "NOUN" and token.tag_ == "NN" and token.dep_ != "compound" and noun_type(token) == PERSON

    def _label_of(self, token: Token | None) -> str:
        found = self.mention(token) if token is not None else None
        return found.label if found is not None else ""

    def _not_coreferent(self, token: Token) -> set[str]:
        """Who an object pronoun cannot be: the subject of its own clause and the speaker quoted."""
        verb = token.head.head if token.dep_ == "pobj" else token.head
        labels = {self._label_of(_subject_of(verb)), self._label_of(self._speaker(token, through_ccomp_only=False))}
        return labels - {""}

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


def _place_acted_on(token: Token) -> Token | None:
    """ "The YPG regained control of the village after it was seized by the terrorists": a passive
    "it" done to by an agent is a place named as an object earlier in its sentence. An "it" whose
    verb reports, or has a clause of its own ("it was reported that", "it was decided to"), is empty."""
    verb = token.head
    if verb.lemma_ in SPEECH_VERBS or verb.lemma_ in _EMPTY_IT_VERBS or not any(c.dep_ == "agent" for c in verb.children):
        return None
    if any(c.dep_ in ("ccomp", "xcomp", "csubj") for c in verb.children):
        return None
    for candidate in reversed(token.doc[token.sent.start : token.i]):
        if candidate.dep_ in ("dobj", "pobj") and (candidate.ent_type_ in ("GPE", "LOC", "FAC") or noun_type(candidate) == PLACE):
            return candidate
    return None


def is_casualty_count(token: Token) -> bool:
    """ "The attack killed five": a bare number of people that a violent verb acts on."""
    return (token.pos_ == "NUM" and token.dep_ in ("dobj", "nsubjpass") and token.head.lemma_ in CASUALTY_VERBS
            and not any(c.dep_ == "prep" for c in token.children))


def _of_object(head: Token) -> Token | None:
    """The object of a noun's "of": "thousands of [people]"."""
    of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    return next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None


def _is_acronym(token: Token) -> bool:
    """ "INA", "IRNA": an agency or group named by its initials (NER often misses the second mention)."""
    return token.pos_ in ("PROPN", "PRON", "NOUN") and is_acronym(token.text) and token.lower_ not in _PRONOUNS


def noun_type(head: Token) -> str:
    """Actor type of an unnamed noun: Place ("the city"), Group or Person (agents), else Thing."""
    lemma = head.lemma_.lower()
    if lemma in PLACE_NOUNS:
        return PLACE
    if lemma in AGENT_NOUNS or head.lower_ in AGENT_NOUNS or lemma.endswith(_AGENT_SUFFIXES) and len(lemma) > 5:
        collective = lemma in _COLLECTIVE_NOUNS
        return GROUP if head.tag_ in ("NNS", "NNPS") or collective else PERSON
    return THING


def _prominence(token: Token) -> int:
    """How prominent a noun is in its sentence: subject 0, object 1, anything else 2."""
    while token.dep_ in ("appos", "compound", "conj") and token.head != token:
        token = token.head
    if token.dep_ in ("nsubj", "nsubjpass"):
        return 0
    return 1 if token.dep_ in ("dobj", "dative", "attr", "oprd") else 2


def _subject_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head != verb:
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

    Cut from the text the shared ``ParseIndex`` joined once: ``doc.text`` joins the whole
    document again on every call, which made long articles quadratic.
    """
    index = parse_index(sent.doc)
    known = index.memo("sentence_evidence")
    key = sent.start, sent.end
    if key not in known:
        text = index.text[sent.start_char : sent.end_char]  # == sent.text, without a join
        stripped = text.strip()
        start = sent.start_char + (len(text) - len(text.lstrip()))
        known[key] = stripped, start, start + len(stripped)
    return known[key]


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
    """Sentences that state no fact: headlines in capitals, bylines ("Reporting by ...").

    Each extractor asks of every sentence; the answer is kept in the shared ``ParseIndex``, so
    each sentence is looked at once.
    """
    known = parse_index(sent.doc).memo("noise")
    key = sent.start, sent.end
    if key not in known:
        known[key] = _looks_like_noise(sent)
    return known[key]


def _looks_like_noise(sent: Span) -> bool:
    text, _, _ = sentence_evidence(sent)
    letters, capitals = _count_letters(text)
    if letters > 12 and capitals > 0.7 * letters:
        return True
    return bool(_BYLINE.match(text)) or _is_title_case_run(sent)


_ASCII_LETTERS = string.ascii_letters.encode()
_ASCII_CAPITALS = string.ascii_uppercase.encode()


def _count_letters(text: str) -> tuple[int, int]:
    """How many characters of ``text`` are letters (``str.isalpha``) and capitals (``str.isupper``);
    counted in bytes when the text is ASCII (most news), where the two tests mean A-Z and a-z."""
    if not text.isascii():
        return sum(map(str.isalpha, text)), sum(map(str.isupper, text))
    data = text.encode("ascii")
    return len(data) - len(data.translate(None, _ASCII_LETTERS)), len(data) - len(data.translate(None, _ASCII_CAPITALS))


def _is_title_case_run(sent: Span) -> bool:
    """Web-page furniture glued into one "sentence": related headlines and tags, in Title Case
    ("Related Putin to Discuss US Missile Strikes in Syria With Russian Security Council ...")."""
    index = parse_index(sent.doc)
    words = [word for word, alpha in zip(index.text_of[sent.start : sent.end], index.is_alpha[sent.start : sent.end])
             if alpha and len(word) > 3]
    return len(words) >= 12 and sum(w[0].isupper() for w in words) > 0.8 * len(words)


def can_act(subject: Mention, head: Token) -> bool:
    """Whether a subject is an actor: a name, a person or group, a violent event or a weapon.

    "The thrust followed battles", "an unusual warmth has crept into relations", "the area saw
    fighting": abstract things and unnamed places do nothing an analyst records.
    """
    if subject.named or subject.type not in (THING, PLACE):
        return True
    last = subject.label.split()[-1].lower()  # a pronoun's antecedent: "which" → "the attack"
    heads = {head.lemma_.lower(), last, last.removesuffix("s")}
    return not heads.isdisjoint(VIOLENT_EVENTS | WEAPON_NOUNS)

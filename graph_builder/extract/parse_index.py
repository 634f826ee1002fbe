"""The parse of one document read once, for all the rules of all the extractors.

spaCy builds a new ``Token`` at every ``doc[i]``, ``token.head`` or ``token.children``, and
``doc.sents``, ``doc.ents`` and ``doc.text`` are rebuilt at every call. Rules that looked at
every token of every sentence, in each extractor, spent most of their time there. A
``ParseIndex`` holds the parse as plain Python lists (read with ``Doc.to_array``), so a rule can
pick its few candidate tokens by index and only those become ``Token`` objects; it also keeps
what several rules ask again and again (sentences, entities, the noise verdicts, the evidence).

One index is shared while ``shared_index`` is open: ``extract_article`` opens it around all its
extractors, and each extractor opens it too, for when it is called on its own.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from contextlib import contextmanager
from functools import cached_property
from typing import Any, Collection, Iterator

import numpy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, IS_ALPHA, LEMMA, LOWER, ORTH, POS, SPACY
from spacy.tokens import Doc, Span, Token

__all__ = ["ParseIndex", "children_with", "first_child", "has_child", "parse_index", "shared_index"]

_USER_DATA_KEY = "gb_parse_index"

#: ``Token.ent_iob_`` by the integer ``Doc.to_array(ENT_IOB)`` gives.
_IOB_STRINGS = numpy.array(["", "I", "O", "B"], dtype=object)

#: The attributes read, in one ``Doc.to_array``: first those whose values name strings (labels, words).
_ATTRS = [POS, DEP, ENT_TYPE, ORTH, LOWER, LEMMA, HEAD, IDX, ENT_IOB, IS_ALPHA, SPACY]
_NAMED = 6

#: The strings of hash values met before: a dict lookup is cheaper than ``StringStore``'s, which
#: decodes its string anew each time (ParseIndex 0.31 → 0.28 s on 804 articles). Cleared when it
#: holds ``_MAX_NAMES`` (some 30 MiB at most).
_KNOWN_NAMES: dict[int, str] = {}
_MAX_NAMES = 1 << 18


class ParseIndex:
    """Token attributes as lists indexed by token position, and per-document memos.

    ``pos[i] == doc[i].pos_`` and so on for ``dep``, ``ent_type``, ``lower``, ``lemma``, ``ent_iob``,
    ``is_alpha`` and ``idx``; ``text_of[i] == doc[i].text``; ``lemma_lower[i] == doc[i].lemma_.lower()``;
    ``head[i] == doc[i].head.i``; ``children(i)`` lists the ``.i`` of ``doc[i].children``.
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        n = len(doc)
        array = doc.to_array(_ATTRS) if n else numpy.zeros((0, len(_ATTRS)), dtype="uint64")
        # Each distinct label or word of the document is looked up once; numpy spreads the names.
        distinct, inverse = numpy.unique(array[:, :_NAMED].ravel(), return_inverse=True)
        names = numpy.array(_names(distinct.tolist(), doc.vocab.strings), dtype=object)
        self.pos, self.dep, self.ent_type, self.text_of, self.lower, self.lemma = (
            names[inverse.reshape(n, _NAMED)].T.tolist())
        self.lemma_lower = list(map(str.lower, self.lemma))
        numbers = array[:, _NAMED:].astype("int64")  # ``HEAD`` is an offset: signed
        self.head = (numbers[:, 0] + numpy.arange(n)).tolist()
        self.idx = numbers[:, 1].tolist()
        self.ent_iob = _IOB_STRINGS[numbers[:, 2]].tolist()
        self.is_alpha = (numbers[:, 3] != 0).tolist()
        self._space_after = numbers[:, 4].tolist()
        #: Memos of the rules, by name: each is a dict the rule fills (see ``memo``).
        self._memos: dict[str, dict] = {}
        #: Objects shared by the extractors, built on first use (e.g. the ``MentionFinder``).
        self.shared: dict[str, Any] = {}

    def children(self, i: int) -> list[int]:
        """The ``.i`` of ``doc[i].children``, in order."""
        by_head, heads = self._tokens_by_head
        return by_head[bisect_left(heads, i) : bisect_right(heads, i)]

    @cached_property
    def _tokens_by_head(self) -> tuple[list[int], list[int]]:
        """All tokens but the roots, sorted by head (stable: in order under one head), and their heads.

        Two flat lists rather than a list per token: the many small lists cost more to make (and
        to have the garbage collector look at) than the lookups they save.
        """
        head = self.head
        by_head = sorted((i for i in range(len(head)) if head[i] != i), key=head.__getitem__)
        return by_head, [head[i] for i in by_head]

    def heads_with_child(self, dep: str, words: frozenset[str]) -> frozenset[int]:
        """The tokens with a child of relation ``dep`` whose lower-case text is one of ``words``
        ("to" as ``aux``: the infinitives), found in one pass and kept for the document."""
        known = self.memo("heads_with_child")
        key = dep, words
        if key not in known:
            known[key] = frozenset(head for head, child_dep, lower in zip(self.head, self.dep, self.lower)
                                   if child_dep == dep and lower in words)
        return known[key]

    @cached_property
    def text(self) -> str:
        """``doc.text``, which spaCy joins anew from the tokens at each call."""
        return "".join([text + " " if space else text for text, space in zip(self.text_of, self._space_after)])

    @cached_property
    def sentences(self) -> list[Span]:
        """``doc.sents``, which spaCy finds anew at each call (and a doc without them refuses)."""
        return list(self.doc.sents)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [sent.start for sent in self.sentences]

    def char_span(self, start: int, end: int) -> tuple[str, int, int]:
        """``(span.text, span.start_char, span.end_char)`` of ``span = doc[start:end]`` (not empty),
        without making the ``Span``."""
        start_char, last = self.idx[start], end - 1
        end_char = self.idx[last] + len(self.text_of[last])
        return self.text[start_char:end_char], start_char, end_char

    def memo(self, name: str) -> dict:
        """A dict, kept with this document, in which the rule ``name`` keeps what it has worked out."""
        found = self._memos.get(name)
        if found is None:
            found = self._memos[name] = {}
        return found

    def sentence_of(self, i: int) -> Span:
        """The sentence that holds token ``i`` (what ``doc[i].sent`` gives, without walking the parse)."""
        return self.sentences[bisect_right(self._sentence_starts, i) - 1]


def parse_index(doc: Doc) -> ParseIndex:
    """The shared index of ``doc`` if ``shared_index`` is open on it, else a new one."""
    found = doc.user_data.get(_USER_DATA_KEY)
    return found if found is not None else ParseIndex(doc)


def children_with(token: Token, deps: Collection[str]) -> list[Token]:
    """``[c for c in token.children if c.dep_ in deps]``; the other children never become Tokens."""
    index, doc = parse_index(token.doc), token.doc
    dep = index.dep
    return [doc[c] for c in index.children(token.i) if dep[c] in deps]


def first_child(token: Token, deps: Collection[str]) -> Token | None:
    """``next((c for c in token.children if c.dep_ in deps), None)``, without making the others."""
    index = parse_index(token.doc)
    dep = index.dep
    return next((token.doc[c] for c in index.children(token.i) if dep[c] in deps), None)


def has_child(token: Token, deps: Collection[str]) -> bool:
    """``any(c.dep_ in deps for c in token.children)``, without making the children."""
    index = parse_index(token.doc)
    dep = index.dep
    return any(dep[c] in deps for c in index.children(token.i))


@contextmanager
def shared_index(doc: Doc) -> Iterator[ParseIndex]:
    """Share one ``ParseIndex`` of ``doc`` with all the code that runs inside.

    It is kept in ``doc.user_data`` only while the outermost ``with`` is open, so nothing stays
    behind that would be stale after the doc is changed, or that ``Doc.to_bytes`` cannot write.
    """
    found = doc.user_data.get(_USER_DATA_KEY)
    if found is not None:
        yield found
        return
    index = doc.user_data[_USER_DATA_KEY] = ParseIndex(doc)
    try:
        yield index
    finally:
        doc.user_data.pop(_USER_DATA_KEY, None)


def _names(values: list[int], strings: Any) -> list[str]:
    """The strings of hash ``values`` in a ``StringStore``, through ``_KNOWN_NAMES``."""
    known = _KNOWN_NAMES
    if len(known) > _MAX_NAMES:
        known.clear()
    for value in values:
        if value not in known:
            known[value] = strings[value]
    return list(map(known.__getitem__, values))

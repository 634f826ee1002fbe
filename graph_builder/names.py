"""Names: how a mention's words become a label, and a label becomes an IRI-safe slug.

Shared by ``extract`` (labels of mentions), ``resolve`` (matching names) and ``assemble``
(IRIs), so that all three agree on what counts as the same name.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
import unicodedata

#: Words that stand before a name without being part of it ("General Khalifa Haftar").
TITLES = frozenset(
    """
    mr mrs ms miss dr prof sir dame lord lady gen general lt lieutenant col colonel maj major prime
    capt captain cmdr commander adm admiral sgt sergeant brig brigadier marshal field-marshal
    president vice prime minister premier chancellor secretary senator sen rep representative
    gov governor mayor king queen prince princess sheikh shaikh emir sultan ayatollah imam
    pope cardinal bishop rev reverend father judge justice chief ambassador envoy spokesman
    spokeswoman spokesperson leader chairman chairwoman director manager minister deputy
    foreign defence defense interior finance state former acting late self-styled
    """.split()
)

#: Words that make a title word part of an institution's name: "Defence Ministry", "State Department".
INSTITUTIONS = frozenset(
    """ministry ministries department office council committee command agency court service services
    forces force army guard police secretariat commission directorate""".split()
)

_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_SPACES = re.compile(r"\s+")
_NOT_SLUG = re.compile(r"[^\w]+", re.UNICODE)


def clean_label(text: str, *, strip_titles: bool = True) -> str:
    """The name a mention stands for: no determiner, title, possessive mark or stray punctuation.

    >>> clean_label("General Khalifa Haftar’s")
    'Khalifa Haftar'
    >>> clean_label("the United Nations")
    'United Nations'
    """
    text = unicodedata.normalize("NFC", _SPACES.sub(" ", text)).strip(" \t\n,.;:!?\"“”‘’'()[]-–—")
    text = _POSSESSIVE.sub("", text).strip()
    words = text.split(" ")
    while len(words) > 1 and words[0].lower().rstrip(".") in _DETERMINERS:
        words = words[1:]
    if strip_titles:
        while (len(words) > 1 and words[0].lower().rstrip(".") in TITLES and words[1][:1].isupper()
               and words[1].lower() not in INSTITUTIONS):
            words = words[1:]
    return " ".join(words).strip()


@lru_cache(maxsize=1 << 18)
def name_key(label: str) -> str:
    """A case- and accent-insensitive key under which two spellings of one name meet.

    Resolution asks for the key of every mention of every article again; a few distinct names
    make most of them, so the keys are kept (as many as a large graph has: 18,552 Reuters
    articles name 75,000).

    >>> name_key("Al-Sabri") == name_key("al sabri") == name_key("Āl Sabrī")
    True
    """
    folded = label.casefold()
    if not folded.isascii():  # ASCII has nothing to decompose
        folded = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return " ".join(_NOT_SLUG.sub(" ", folded).replace("_", " ").split())


def slug(label: str) -> str:
    """An IRI path segment for any label: letters and digits of any script joined by ``-``.

    Labels without a letter or digit (emoji, punctuation) get a hash, so every label has a
    valid, stable slug.

    >>> slug("Khalifa Haftar")
    'khalifa-haftar'
    >>> slug('<img src=x onerror="alert(1)">')
    'img-src-x-onerror-alert-1'
    """
    key = name_key(label).replace(" ", "-")
    if key:
        return key[:120]
    return "x-" + hashlib.sha1(label.encode("utf-8")).hexdigest()[:12]


_NOT_NAME_CHAR = re.compile(r"[^\w]+", re.UNICODE)


def relation_name(words: str) -> str:
    """A relation's name, safe as the local name of an IRI and of an XML element.

    >>> relation_name("withdraw from")
    'withdraw_from'
    >>> relation_name('re"ject<')
    're_ject'
    """
    name = _NOT_NAME_CHAR.sub("_", unicodedata.normalize("NFC", words.strip().lower())).strip("_")
    if not name:
        return "related_to"
    return f"r_{name}" if not (name[0].isalpha() or name[0] == "_") else name


def is_acronym(word: str) -> bool:
    """ "ISIS", "YPG", "ÖVP": two to six capital letters.

    >>> [is_acronym(w) for w in ("ISIS", "ÖVP", "Isis", "G7", "A")]
    [True, True, False, False, False]
    """
    return 2 <= len(word) <= 6 and word.isupper() and word.isalpha()


#: "(ISIS)": a word of letters in brackets (``is_acronym`` tells whether it is one).
_BRACKETED_WORD = re.compile(r"\(([^\W\d_]{2,6})\)")


def spelled_out_acronyms(text: str) -> tuple[tuple[int, str], ...]:
    """Where ``text`` spells out an acronym: ``(offset where the name before it may end, acronym)``,
    before the space and the bracket, or after the bracket (the entity recogniser often takes it in:
    "The Islamic State (").

    >>> spelled_out_acronyms("the Islamic State (ISIS) and the Austrian People's Party (ÖVP) (Vienna)")
    ((17, 'ISIS'), (18, 'ISIS'), (19, 'ISIS'), (56, 'ÖVP'), (57, 'ÖVP'), (58, 'ÖVP'))
    """
    found = []
    for match in _BRACKETED_WORD.finditer(text):
        at, word = match.start(), match.group(1)
        if not is_acronym(word):
            continue
        if at and text[at - 1].isspace():
            found.append((at - 1, word))
        found += [(at, word), (at + 1, word)]
    return tuple(found)

"""Generate ``graph_builder/data/cameo_verbs.tsv`` from PETRARCH2's CAMEO verb dictionary.

Our relations are verb lemmas with their particle or preposition (``withdraw_from``); the
dictionary lists base verbs in synonym blocks with a CAMEO code, and verb patterns. This script
flattens it into a ``relation -> code`` table that ``graph_builder.cameo`` loads without the
dictionary, so the mapping is reproducible from its source and reviewable as data.

Run from the repository root (with ``../shared/cameo`` present)::

    python tools/make_cameo.py            # writes graph_builder/data/cameo_verbs.tsv
    python tools/make_cameo.py --check    # exits 1 if the committed file is stale

What is taken from the dictionary (format: ``../shared/cameo/README.md``):

* each synonym verb of a block gets its own ``[code]`` if the line has one, else the block's
  code; ``[---]`` (no event unless a pattern matches) gives no entry;
* multi-word verbs ``+CARRY_OUT`` / ``HAND+OVER`` become ``carry_out`` / ``hand_over``; literal
  surface forms (``+KILLED_AND {}``, ``+IS_DETERMINED``) are skipped: they are not lemmas;
* a pattern whose only words after the verb are particles or prepositions (``- * (WITH)``,
  ``- * FROM +``, ``- * DOWN``) gives ``verb_particle`` its code. PETRARCH applies a block's
  patterns to all the block's verbs, but blocks are loose (``* OFF [046] # KICK`` sits under
  ATTACK); we generalise a pattern to every verb whose own code has the pattern's root (a
  refinement: ``withdraw_from`` 080 -> 0874) and otherwise only to the verb its comment names
  (or the block's head verb). Patterns naming an object (``- * (FROM BORDER)``) are not used;
* a paired code ``[042:043]`` (source->target : target->source) gives its first half, the
  direction of our subject->object triples; ``[:173]`` (reverse only) gives nothing;
* one code per relation: overrides, then synonym lines, then patterns written as a preposition
  phrase ``(TO)``, then bare-word patterns ``TO``; among equals the first occurrence wins, as in
  PETRARCH2 itself (it stores verbs with ``setdefault``);
* ``OVERRIDES``: a few very common news verbs the dictionary leaves without a default (their
  block is ``[---]``, or they are missing), each given the code the dictionary's own patterns
  give that verb most often, or its synonyms' block code; marked ``ours`` in the file.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "cameo"
DICTIONARY = "CAMEO.2.0.verbs.txt"
OUTPUT = REPO / "graph_builder" / "data" / "cameo_verbs.tsv"

#: Words that may follow a verb as its particle or preposition in a relation name.
PARTICLES = frozenset("""
    about above across after against ahead along alongside among amongst apart around as at
    away back before behind below beneath beside between beyond by down for forth forward from
    in inside into of off on onto out outside over past through throughout to together toward
    towards under until up upon with within without
""".split())

#: Pattern tokens that mark actors or skips rather than words (source, target, compound, skip).
MARKERS = frozenset("$+%^")

#: Words that show a multi-word entry is a surface form, not a lemma (``+IS_DETERMINED``).
NOT_LEMMA_WORDS = frozenset({"is", "was", "were", "are", "am", "be", "been", "has", "have",
                             "had", "and", "or"})

#: Our additions (relation, code, why): only very common news verbs the dictionary gives no
#: default, each with a code the dictionary uses for that verb or its synonyms.
OVERRIDES: tuple[tuple[str, str, str], ...] = (
    ("accept", "030", "EMBRACE block is [---]; ACCEPT's patterns (treaty, request, plan) give 030 most"),
    ("hand_in", "080", "absent from the dictionary; 'hand oneself in' = surrender, YIELD block [080]"),
    ("hand_over", "080", "absent from the dictionary; = surrender/cede/relinquish, YIELD block [080]"),
    ("refuse", "120", "REFUSE block is [---]; REFUSE's patterns (permission, deal, contact) give 120"),
    ("reject", "120", "REFUSE block is [---]; REJECT's patterns (proposal, demands, request) give 120"),
    ("sign", "057", "SIGN block is [---]; its treaty/deal/declaration/protocol patterns give 057"),
    ("urge", "020", "not a listed verb; the 22 '# URGE' patterns under DEMAND give 02x in 18"),
)

#: Precedence of the ways an entry is derived (lower wins).
PRECEDENCE = {"ours": 0, "verb": 1, "phrase": 2, "word": 3}

CODE_RE = re.compile(r"\[([^\]]*)\]")
HEADER_RE = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")


@dataclass(frozen=True)
class Entry:
    """One ``relation -> code`` row, the block it came from and how it was derived."""

    relation: str
    code: str
    block: str
    how: str  # a PRECEDENCE key

    @property
    def source(self) -> str:
        """What the data file says: verb (synonym line), pattern, or ours."""
        return "pattern" if self.how in ("phrase", "word") else self.how


def source_code(raw: str) -> str | None:
    """The source->target CAMEO code of a code field, or None when there is none.

    ``042:043`` -> ``042``; ``---``, ``:173`` and anything not plain digits (``080!``) -> None.
    """
    first = raw.strip().split(":", 1)[0].strip()
    return first if first.isdigit() and 3 <= len(first) <= 4 else None


def lemma_of(word: str) -> str | None:
    """``+CARRY_OUT`` / ``HAND+OVER`` -> ``carry_out`` / ``hand_over``; None for surface forms."""
    parts = [p for p in re.split(r"[+_]", word.lower()) if p]
    if not parts or any(p in NOT_LEMMA_WORDS for p in parts):
        return None
    if not all(re.fullmatch(r"[a-z][a-z'-]*", p) for p in parts):
        return None
    return "_".join(parts)


def strip_comment(line: str) -> str:
    """Drop ``# ...`` and legacy TABARI ``; ...`` comments."""
    return re.split(r"[#;]", line, maxsplit=1)[0]


def parse_synonym(line: str) -> tuple[str, str | None, list[str]] | None:
    """A synonym line -> (lemma, own code field or None, written forms); None if no lemma."""
    text = strip_comment(line)
    if re.search(r"\{\s*\}", text):  # empty inflection list: a literal surface form
        return None
    code = CODE_RE.search(text)
    braces = re.search(r"\{([^}]*)\}", text)
    head = re.sub(r"\{[^}]*\}", " ", CODE_RE.sub(" ", text)).split()
    lemma = lemma_of(head[0]) if len(head) == 1 else None
    if not lemma:
        return None
    forms = [head[0], *(braces.group(1).replace(",", " ").split() if braces else ())]
    return lemma, (code.group(1) if code else None), forms


def pattern_particles(line: str) -> tuple[tuple[str, ...], str, bool] | None:
    """``- * (FROM) + [0874]`` -> (("from",), "0874", True); None unless only particles follow.

    The flag says whether the first particle was written as a preposition phrase ``(FROM)``.
    """
    text = strip_comment(line)[1:]
    code = CODE_RE.search(text)
    tokens = CODE_RE.sub(" ", text).replace("(", " ( ").replace(")", " ) ").split()
    if code is None or "*" not in tokens:
        return None
    star = tokens.index("*")
    if any(t not in MARKERS for t in tokens[:star]):
        return None
    after = [t for t in tokens[star + 1:] if t not in MARKERS]
    words = tuple(t.lower() for t in after if t not in "()")
    if not 1 <= len(words) <= 2 or not all(w in PARTICLES for w in words):
        return None
    return words, code.group(1), after[0] == "("


def regular_forms(lemma: str) -> set[str]:
    """``rally`` -> ``rallies``, ``rallied``, ``rallying`` ...: what a comment may call the verb."""
    verb, _, rest = lemma.partition("_")
    rest = "_" + rest if rest else ""
    stems = {verb + "s", verb + "es", verb + "ed", verb + "d", verb + "ing", verb[:-1] + "ing"}
    if verb.endswith("y"):
        stems |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    return {stem + rest for stem in stems}


def comment_verbs(line: str) -> list[str]:
    """The verbs a pattern's comment names (``# BATTLE , CLASH`` -> battle, clash)."""
    if "#" not in line:
        return []
    chunks = line.split("#", 1)[1].split(",")
    return [c.split()[0].lower().lstrip("+") for c in chunks if c.split()]


@dataclass
class Block:
    """One ``--- HEAD [code] ---`` block while it is being read."""

    head: str
    code: str | None
    codes: dict[str, str | None] = field(default_factory=dict)  # member lemma -> its code
    forms: dict[str, str] = field(default_factory=dict)  # written/regular form -> member lemma

    def add(self, lemma: str, code: str | None, written: list[str]) -> None:
        """Register a synonym and every form a pattern comment may use for it."""
        self.codes.setdefault(lemma, code)
        for form in [lemma, *regular_forms(lemma), *(w.lower().lstrip("+") for w in written)]:
            self.forms.setdefault(form.replace("+", "_"), lemma)

    def pattern_verbs(self, line: str, code: str) -> list[str]:
        """Verbs a pattern is generalised to: those of the code's root, and the one it names."""
        named = comment_verbs(line) or [self.head.lower()]
        verbs = [self.forms[n] for n in named if n in self.forms]
        verbs += [m for m, own in self.codes.items() if own and own[:2] == code[:2]]
        return list(dict.fromkeys(verbs))


def parse(text: str) -> list[Entry]:
    """Every entry the dictionary's verb section gives, in dictionary order, duplicates kept."""
    verbs_part = text.split("####### VERB PATTERNS #######", 1)[1]
    verbs_part = verbs_part.split("######## TRANSFORMATIONS", 1)[0]
    entries: list[Entry] = []
    block: Block | None = None
    for raw in verbs_part.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = HEADER_RE.match(line)
        if header:
            block = Block(header.group(1), source_code(header.group(2)))
        elif block is None:
            continue
        elif line.startswith("-"):
            found = pattern_particles(line)
            code = source_code(found[1]) if found else None
            if found and code:
                how = "phrase" if found[2] else "word"
                entries += [Entry("_".join((verb, *found[0])), code, block.head, how)
                            for verb in block.pattern_verbs(line, code)]
        else:
            synonym = parse_synonym(line)
            if synonym:
                lemma, own, written = synonym
                code = source_code(own) if own is not None else block.code
                block.add(lemma, code, written)
                if code:
                    entries.append(Entry(lemma, code, block.head, "verb"))
    return entries


def resolve(entries: list[Entry], roots: set[str]) -> dict[str, Entry]:
    """One entry per relation: by PRECEDENCE, then the first occurrence."""
    chosen: dict[str, Entry] = {}
    for entry in entries:
        if entry.code[:2] not in roots:
            continue
        held = chosen.get(entry.relation)
        if held is None or PRECEDENCE[entry.how] < PRECEDENCE[held.how]:
            chosen[entry.relation] = entry
    return chosen


def read_roots(shared: Path) -> set[str]:
    """The root codes of ``cameo_root_codes.tsv`` (``01`` .. ``20``)."""
    lines = (shared / "cameo_root_codes.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return {line.split("\t", 1)[0] for line in lines if line.strip()}


def build(shared: Path) -> list[Entry]:
    """The rows of the data file, sorted by relation."""
    entries = parse((shared / DICTIONARY).read_text(encoding="utf-8"))
    entries = [Entry(r, c, "-", "ours") for r, c, _ in OVERRIDES] + entries
    return sorted(resolve(entries, read_roots(shared)).values(), key=lambda e: e.relation)


def render(rows: list[Entry]) -> str:
    """The TSV text: licence and provenance header, then ``relation code block source`` rows."""
    header = [
        "# CAMEO event codes for graph-builder relations (verb lemma[_particle]).",
        f"# Generated by tools/make_cameo.py from {DICTIONARY}, the CAMEO verb pattern",
        "# dictionary of the PETRARCH2 event coder, Copyright (c) 2015 Open Event Data Alliance,",
        "# MIT licence: see LICENSE-CAMEO next to this file. Do not edit: re-run the script.",
        "# source: verb = synonym line of the block; pattern = particle pattern of the block;",
        "#         ours = graph-builder override for a common verb the dictionary gives no code:",
        *(f"#   {rel} -> {code}: {why}" for rel, code, why in OVERRIDES),
        "relation\tcode\tblock\tsource",
    ]
    body = [f"{e.relation}\t{e.code}\t{e.block}\t{e.source}" for e in rows]
    return "\n".join(header + body) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the data file, or with ``--check`` fail when the committed one is stale."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="folder with the dictionary")
    parser.add_argument("--out", type=Path, default=OUTPUT, help="TSV to write")
    parser.add_argument("--check", action="store_true", help="fail if --out is not up to date")
    args = parser.parse_args(argv)
    rows = build(args.shared)
    text = render(rows)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is stale: run python tools/make_cameo.py", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: {len(rows)} relations")
    return 0


if __name__ == "__main__":
    sys.exit(main())

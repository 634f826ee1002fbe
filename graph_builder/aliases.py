"""User-supplied alias files: fix an actor's name or type, merge its variants, link it to Wikidata.

A YAML file is a list of entries; a CSV file has the columns ``label, type, aliases, wikidata``
with aliases separated by ``|``::

    - label: Khalifa Haftar
      type: Person
      aliases: [Haftar, Khalifa Hifter, Field Marshal Haftar]
      wikidata: Q312478

    label,type,aliases,wikidata
    Islamic State,Organization,ISIS|ISIL|Daesh,Q2429253
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .errors import GraphBuilderError
from .names import name_key
from .types import ACTOR_TYPES

_WIKIDATA = re.compile(r"^Q[1-9]\d*$")


@dataclass(frozen=True)
class AliasEntry:
    """One actor as the user wants it: its label, type, other names and Wikidata id."""

    label: str
    type: str
    aliases: tuple[str, ...] = ()
    wikidata: str = ""


class AliasTable:
    """Name key → entry, for every label and alias of every entry."""

    def __init__(self, entries: Iterable[AliasEntry] = ()) -> None:
        self.entries = list(entries)
        self._by_key = {name_key(name): entry for entry in self.entries for name in (entry.label, *entry.aliases)}

    def lookup(self, label: str) -> AliasEntry | None:
        return self._by_key.get(name_key(label))

    def __len__(self) -> int:
        return len(self.entries)


def load_aliases(path: str | Path) -> AliasTable:
    """Read an alias file (``.yaml``/``.yml`` or ``.csv``).

    Raises:
        GraphBuilderError: the file is missing, malformed, or an entry has an unknown type,
            no label, or a Wikidata id that is not of the form ``Q123``; the message names the
            file and the entry.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise GraphBuilderError(f"{path}: cannot read the alias file: {exc.strerror or exc}") from exc
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            rows = yaml.safe_load(text) or []
        except yaml.YAMLError as exc:
            raise GraphBuilderError(f"{path}: not valid YAML: {exc}") from exc
        if not isinstance(rows, list):
            raise GraphBuilderError(f"{path}: expected a list of entries with label, type, aliases")
    elif path.suffix.lower() == ".csv":
        rows = list(csv.DictReader(io.StringIO(text)))
    else:
        raise GraphBuilderError(f"{path}: unknown alias file format {path.suffix!r}; use .yaml, .yml or .csv")
    return AliasTable(_entry(path, n, row) for n, row in enumerate(rows, 1))


def _entry(path: Path, n: int, row: Any) -> AliasEntry:
    where = f"{path}: entry {n}"
    if not isinstance(row, dict):
        raise GraphBuilderError(f"{where}: expected a mapping with label, type, aliases")
    label = str(row.get("label") or "").strip()
    kind = str(row.get("type") or "").strip().capitalize()
    if not label:
        raise GraphBuilderError(f"{where}: no label")
    if kind not in ACTOR_TYPES:
        raise GraphBuilderError(f"{where}: type {row.get('type')!r} is not one of {', '.join(ACTOR_TYPES)}")
    aliases = row.get("aliases") or ()
    if isinstance(aliases, str):
        aliases = [a for a in aliases.split("|")]
    wikidata = str(row.get("wikidata") or "").strip()
    if wikidata and not _WIKIDATA.match(wikidata):
        raise GraphBuilderError(f"{where}: Wikidata id {wikidata!r} is not of the form Q123")
    return AliasEntry(label, kind, tuple(str(a).strip() for a in aliases if str(a).strip()), wikidata)

"""Tabular exporters: the triples as JSON Lines and CSV, one row per triple (``KnowledgeGraph.records``)."""

from __future__ import annotations

import csv
import io
import json
from typing import IO, TYPE_CHECKING

from ..assemble import TRIPLE_FIELDS, triple_record
from ..model import ArticlePart, article_parts
from .fragments import Fragments

if TYPE_CHECKING:
    from ..assemble import KnowledgeGraph


def to_jsonl(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """One JSON object a line (``KnowledgeGraph.records``), keys in a fixed order, article by
    article in the graph's order; each article's lines are kept in the cache folder like its
    Turtle (``fragments``), so a rebuild writes anew only the rows of new or changed articles."""
    pieces = Fragments(kg, "jsonl")
    try:
        for part in article_parts(kg):
            if part.triples:
                stream.write(pieces.of(part, lambda: _jsonl(kg, part), lambda: _actor_labels(kg, part)))
    finally:
        pieces.close()


def _jsonl(kg: "KnowledgeGraph", part: ArticlePart) -> bytes:
    lines = [_json_line(triple_record(kg, rt)) for rt in part.triples]
    lines.append("")  # a line break after the last line too
    return "\n".join(lines).encode("utf-8")


#: ``json.dumps(record, ensure_ascii=False)`` with one encoder for all rows (``dumps`` makes one a call).
_json_line = json.JSONEncoder(ensure_ascii=False).encode


def _actor_labels(kg: "KnowledgeGraph", part: ArticlePart) -> str:
    """The labels and types its rows show of the actors an article's triples name: a new article
    can change them ("Erdogan" becomes "Recep Tayyip Erdogan") while the ids stay."""
    ids = sorted({i for rt in part.triples for i in (rt.subject_id, rt.object_id, rt.speaker_id) if i})
    return repr([(kg.actors[i].label, kg.actors[i].type) for i in ids])


def to_csv(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """CSV with a header row (written even when there is no triple), UTF-8."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    writer = csv.DictWriter(text, fieldnames=TRIPLE_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(kg.records())
    text.flush()
    text.detach()

"""Tabular exporters: the triples as JSON Lines and CSV, one row per triple (``KnowledgeGraph.records``)."""

from __future__ import annotations

import csv
import io
import json
from typing import IO, TYPE_CHECKING

from ..assemble import TRIPLE_FIELDS

if TYPE_CHECKING:
    from ..assemble import KnowledgeGraph


def to_jsonl(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """One JSON object a line, keys in a fixed order."""
    for record in kg.records():
        stream.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")


def to_csv(kg: "KnowledgeGraph", stream: IO[bytes]) -> None:
    """CSV with a header row (written even when there is no triple), UTF-8."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    writer = csv.DictWriter(text, fieldnames=TRIPLE_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(kg.records())
    text.flush()
    text.detach()

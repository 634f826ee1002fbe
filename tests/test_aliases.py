"""User alias files fix labels and types, merge variants and link to Wikidata."""

from __future__ import annotations

import pytest

from graph_builder.aliases import load_aliases
from graph_builder.errors import GraphBuilderError
from graph_builder.resolve import resolve_actors
from graph_builder.types import Article, ArticleExtraction, Mention, Triple

YAML = """
- label: Khalifa Haftar
  type: Person
  aliases: [Hifter, Khalifa Hifter]
  wikidata: Q312478
"""
CSV = "label,type,aliases,wikidata\nIslamic State,Organization,ISIS|ISIL|Daesh,Q2429253\n"


def mention(text, start, kind="Person"):
    return Mention(text, start, start + len(text), text, kind, True)


@pytest.mark.parametrize("name, content", [("aliases.yaml", YAML), ("aliases.csv", CSV)])
def test_load(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    table = load_aliases(path)
    assert len(table) == 1
    entry = table.lookup("hifter") or table.lookup("daesh")
    assert entry is not None and entry.wikidata.startswith("Q")


def test_aliases_merge_variants_and_fix_the_type(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(YAML, encoding="utf-8")
    thing = Mention("the plan", 50, 58, "plan", "Thing", False)
    a1 = ArticleExtraction(Article("a1", "…"), (Triple(mention("Khalifa Hifter", 0, "Organization"), "reject", "rejected", thing, "a1", "…", 0, 9),))
    a2 = ArticleExtraction(Article("a2", "…"), (Triple(mention("Khalifa Haftar", 0), "reject", "rejected", thing, "a2", "…", 0, 9),))
    res = resolve_actors([a1, a2], aliases=load_aliases(path))
    haftar = res.actors["person/khalifa-haftar"]
    assert {rt.subject_id for rt in res.triples} == {"person/khalifa-haftar"}
    assert haftar.label == "Khalifa Haftar" and haftar.type == "Person" and haftar.wikidata == "Q312478"
    assert "Khalifa Hifter" in haftar.aliases


@pytest.mark.parametrize(
    "content, problem",
    [
        ("- label: X\n  type: Robot\n", "type 'Robot'"),
        ("- type: Person\n", "no label"),
        ("- label: X\n  type: Person\n  wikidata: 42\n", "Wikidata id"),
        ("label: [unclosed", "YAML"),
    ],
)
def test_bad_alias_files_name_the_problem(tmp_path, content, problem):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GraphBuilderError, match="bad.yaml") as info:
        load_aliases(path)
    assert problem in str(info.value)

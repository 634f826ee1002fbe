"""The README stays true: its SPARQL cookbook returns what it says, its commands exist."""

from __future__ import annotations

import re

import pytest

from graph_builder.cli import cli
from graph_builder.query import format_result, load_graph, run_query
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```sparql\n(.*?)```\n```text\n(.*?)```", README, re.S)


def test_readme_starts_with_the_two_commands():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    assert [line.split()[:2] for line in first_block.strip().splitlines()] == [["make", "graph"], ["make", "test"]]


@pytest.fixture(scope="module")
def seed_ttl():
    return load_graph(ROOT / "output" / "graph.ttl")


def test_there_is_a_cookbook():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("sparql, expected", EXAMPLES, ids=[f"example{i + 1}" for i in range(len(EXAMPLES))])
def test_cookbook_example(seed_ttl, sparql, expected):
    assert format_result(run_query(seed_ttl, sparql), "table") == expected.rstrip("\n")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented(command):
    assert f"graph-builder {command}" in README

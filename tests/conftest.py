"""Shared fixtures: one real spaCy pipeline per session, the seed, and the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_2a969d1f2132da28.txt"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def nlp():
    from graph_builder.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def seed_graph():
    """The knowledge graph of ``seeds/``, built once per session."""
    import graph_builder

    return graph_builder.build([SEEDS])


@pytest.fixture(scope="session")
def seed_records(seed_graph):
    return list(seed_graph.records())


def corpus_dir(name: str) -> Path:
    """A folder of the shared corpus, or skip the test where it is absent (CI without shared/)."""
    folder = CORPUS / name
    if not folder.is_dir():
        pytest.skip(f"shared corpus not found at {folder}")
    return folder

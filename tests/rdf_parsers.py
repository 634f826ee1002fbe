"""Three independent RDF parsers for the tests: rdflib, pyoxigraph and Raptor's rapper.

rapper has no JSON-LD parser, so JSON-LD's third reading is PyLD's (the JSON-LD API's Python
implementation), whose N-Quads rapper then parses. rapper comes from Debian's raptor2-utils
(``make test`` installs it); where it is missing the rapper checks skip, except on CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

#: format name → (rdflib parser, Oxigraph format, rapper parser, is a dataset)
FORMATS = {
    "turtle": ("turtle", ox.RdfFormat.TURTLE, "turtle", False),
    "trig": ("trig", ox.RdfFormat.TRIG, "trig", True),
    "ntriples": ("nt", ox.RdfFormat.N_TRIPLES, "ntriples", False),
    "nquads": ("nquads", ox.RdfFormat.N_QUADS, "nquads", True),
    "jsonld": ("json-ld", ox.RdfFormat.JSON_LD, None, False),
    "xml": ("xml", ox.RdfFormat.RDF_XML, "rdfxml", False),
}


def rdflib_count(path: Path, fmt: str) -> int:
    parser, _, _, dataset = FORMATS[fmt]
    if dataset:
        return len(list(Dataset().parse(path, format=parser).quads()))
    return len(Graph().parse(path, format=parser))


def oxigraph_count(path: Path, fmt: str) -> int:
    store = ox.Store()
    store.load(path=str(path), format=FORMATS[fmt][1])
    return len(store)


def rapper_count(path: Path, fmt: str) -> int:
    """Triples (or quads) rapper reads, failing on any error or warning it prints."""
    if shutil.which("rapper") is None:
        if os.environ.get("CI"):
            pytest.fail("rapper is missing: `make test` installs Debian's raptor2-utils")
        pytest.skip("rapper (Debian raptor2-utils) is not installed")
    parser = FORMATS[fmt][2]
    if parser is None:  # JSON-LD: PyLD expands it to N-Quads, which rapper reads
        import json

        from pyld import jsonld

        nquads = jsonld.to_rdf(json.loads(path.read_text(encoding="utf-8")), {"format": "application/n-quads"})
        path = path.with_suffix(".pyld.nq")
        path.write_text(nquads, encoding="utf-8")
        parser = "nquads"
    done = subprocess.run(["rapper", "-i", parser, "-c", str(path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr.lower() and "warning" not in done.stderr.lower(), done.stderr
    return int(re.search(r"returned (\d+) triples", done.stderr).group(1))


def counts(path: Path, fmt: str) -> dict[str, int]:
    """What each of the three parsers reads from ``path``."""
    return {"rdflib": rdflib_count(path, fmt), "oxigraph": oxigraph_count(path, fmt), "rapper": rapper_count(path, fmt)}

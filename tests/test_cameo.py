"""CAMEO classes of relations: the data file, its generator, lookups and licence.

The generator test reads the dictionary where it lies (``../shared/cameo``) and skips where it
is absent; everything else uses the committed data files only.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import importlib.util
import sys
import tomllib
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

from graph_builder.cameo import QUAD_CLASSES, CameoEvent, cameo_event

ROOT = Path(__file__).resolve().parents[1]
SHARED_CAMEO = ROOT.parent / "shared" / "cameo"
DATA = ROOT / "graph_builder" / "data"
DATA_FILES = ("cameo_verbs.tsv", "cameo_root_codes.tsv", "LICENSE-CAMEO")


def shared_cameo() -> Path:
    """The shared CAMEO folder, or skip where it is absent (CI without ../shared)."""
    if not (SHARED_CAMEO / "CAMEO.2.0.verbs.txt").is_file():
        pytest.skip(f"CAMEO dictionary not found at {SHARED_CAMEO}")
    return SHARED_CAMEO


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    """``tools/make_cameo.py`` imported as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("make_cameo", ROOT / "tools" / "make_cameo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it executes
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def data_rows() -> list[list[str]]:
    """The committed relation table, header row included."""
    text = (DATA / "cameo_verbs.tsv").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if not line.startswith("#")]


# --- the data file is what the generator makes ---------------------------------------------


def test_data_file_is_what_the_generator_makes(generator, tmp_path):
    out = tmp_path / "cameo_verbs.tsv"
    assert generator.main(["--shared", str(shared_cameo()), "--out", str(out)]) == 0
    assert out.read_bytes() == (DATA / "cameo_verbs.tsv").read_bytes(), (
        "graph_builder/data/cameo_verbs.tsv is stale: run python tools/make_cameo.py")


def test_generator_check_mode(generator, tmp_path):
    shared = str(shared_cameo())
    assert generator.main(["--shared", shared, "--out", str(DATA / "cameo_verbs.tsv"), "--check"]) == 0
    stale = tmp_path / "stale.tsv"
    stale.write_text("relation\tcode\tblock\tsource\n", encoding="utf-8")
    assert generator.main(["--shared", shared, "--out", str(stale), "--check"]) == 1


def test_copies_match_the_shared_folder():
    shared = shared_cameo()
    for name, copy in (("LICENSE", "LICENSE-CAMEO"), ("cameo_root_codes.tsv", "cameo_root_codes.tsv")):
        assert (DATA / copy).read_bytes() == (shared / name).read_bytes()


@pytest.mark.parametrize("line, expected", [
    ("- * (FROM) +    [0874]   # RETREAT", (("from",), "0874", True)),
    ("- * DOWN        [080]    # BACK", (("down",), "080", False)),
    ("- * OFF (FOR)   [042:043]", (("off", "for"), "042:043", False)),
    ("- * (FROM BORDER) [0874]", None),  # names an object: specific, not generalised
    ("- &MILITARY *   [0874]", None),  # words before the verb
    ("- * SANCTIONS   [163]", None),
])
def test_generator_reads_particle_patterns(generator, line, expected):
    assert generator.pattern_particles(line) == expected


@pytest.mark.parametrize("raw, code", [
    ("190", "190"), ("0874", "0874"), ("042:043", "042"), (":173", None), ("---", None),
    ("080!", None),
])
def test_generator_takes_the_source_to_target_code(generator, raw, code):
    assert generator.source_code(raw) == code


@pytest.mark.parametrize("word, lemma", [
    ("+CARRY_OUT", "carry_out"), ("HAND+OVER", "hand_over"), ("WITHDRAW", "withdraw"),
    ("+IS_DETERMINED", None), ("+KILLED_AND", None),
])
def test_generator_lemmas(generator, word, lemma):
    assert generator.lemma_of(word) == lemma


# --- the committed data file ---------------------------------------------------------------


def test_data_file_shape():
    header, *rows = data_rows()
    assert header == ["relation", "code", "block", "source"]
    relations = [row[0] for row in rows]
    assert relations == sorted(set(relations)), "relations sorted and unique"
    roots = {row[0] for row in (line.split("\t") for line in
             (DATA / "cameo_root_codes.tsv").read_text(encoding="utf-8").splitlines()[1:])}
    for relation, code, _block, source in rows:
        assert relation == relation.lower() and " " not in relation
        assert code.isdigit() and code[:2] in roots, (relation, code)
        assert source in {"verb", "pattern", "ours"}
    assert len(rows) > 1000


def test_data_file_names_source_and_licence():
    head = (DATA / "cameo_verbs.tsv").read_text(encoding="utf-8").split("\nrelation\t", 1)[0]
    assert "CAMEO.2.0.verbs.txt" in head and "PETRARCH" in head
    assert "MIT" in head and "LICENSE-CAMEO" in head and "Open Event Data" in head


def test_overrides_are_few_marked_and_commented(generator):
    ours = {row[0] for row in data_rows()[1:] if row[3] == "ours"}
    assert ours == {relation for relation, _code, _why in generator.OVERRIDES}
    assert len(ours) <= 10
    head = (DATA / "cameo_verbs.tsv").read_text(encoding="utf-8").split("\nrelation\t", 1)[0]
    assert all(f"#   {relation} -> " in head for relation in ours)


def test_quad_classes_agree_with_root_codes():
    lines = (DATA / "cameo_root_codes.tsv").read_text(encoding="utf-8").splitlines()[1:]
    names = {int(quad): name for _root, _name, quad, name in (line.split("\t") for line in lines)}
    assert names == QUAD_CLASSES


# --- lookups -------------------------------------------------------------------------------

#: Common news relations -> (root, quad class) as the dictionary (or our marked override) says.
COMMON = [
    # material conflict
    ("attack", "19", 4), ("shell", "19", 4), ("bomb", "19", 4), ("strike", "19", 4),
    ("fire_at", "19", 4), ("clash_with", "19", 4), ("kill", "19", 4), ("occupy", "19", 4),
    ("invade", "19", 4), ("injure", "18", 4), ("kidnap", "18", 4), ("assassinate", "18", 4),
    ("massacre", "20", 4), ("arrest", "17", 4), ("detain", "17", 4), ("seize", "17", 4),
    ("impose", "17", 4), ("expel", "17", 4), ("boycott", "16", 4),
    # verbal conflict
    ("reject", "12", 3), ("refuse", "12", 3), ("accuse", "11", 3), ("blame", "11", 3),
    ("condemn", "11", 3), ("criticize", "11", 3), ("criticise", "11", 3), ("denounce", "11", 3),
    ("threaten", "13", 3), ("warn", "13", 3), ("demand", "10", 3), ("protest", "14", 3),
    # verbal cooperation
    ("say", "01", 1), ("tell", "01", 1), ("announce", "01", 1), ("appeal", "02", 1),
    ("urge", "02", 1), ("ask", "02", 1), ("call_for", "02", 1), ("promise", "03", 1),
    ("accept", "03", 1), ("meet", "04", 1), ("meet_with", "04", 1), ("contact", "04", 1),
    ("consult", "04", 1), ("discuss", "04", 1), ("visit", "04", 1), ("agree", "05", 1),
    ("negotiate_with", "05", 1), ("sign", "05", 1), ("support", "05", 1), ("praise", "05", 1),
    # material cooperation
    ("give", "06", 2), ("aid", "06", 2), ("provide", "06", 2), ("help", "07", 2),
    ("withdraw", "08", 2), ("withdraw_from", "08", 2), ("retreat", "08", 2),
    ("surrender", "08", 2), ("hand_over", "08", 2), ("release", "08", 2),
    ("negotiate", "08", 2), ("investigate", "09", 2),
]


@pytest.mark.parametrize("relation, root, quad", COMMON)
def test_common_news_relations(relation, root, quad):
    event = cameo_event(relation)
    assert event is not None, relation
    assert (event.root, event.quad_class) == (root, quad)
    assert event.code.startswith(event.root)
    assert event.quad_class_name == QUAD_CLASSES[quad]


@pytest.mark.parametrize("relation, code", [
    ("withdraw_from", "0874"),  # "retreat or surrender militarily", from `- * FROM +`
    ("arrest", "173"), ("say", "010"), ("attack", "190"), ("reject", "120"),
])
def test_exact_codes(relation, code):
    assert cameo_event(relation).code == code


def test_event_carries_root_name():
    assert cameo_event("reject") == CameoEvent("120", "12", "REJECT", 3, "Verbal Conflict")
    assert cameo_event("withdraw_from").root_name == "YIELD"
    with pytest.raises(dataclasses.FrozenInstanceError):
        cameo_event("attack").code = "010"


def test_particle_specific_code_beats_the_bare_verb():
    assert cameo_event("withdraw_from").code == "0874"
    assert cameo_event("withdraw").code == "080"
    assert cameo_event("negotiate_with").root == "05" and cameo_event("negotiate").root == "08"


@pytest.mark.parametrize("relation, falls_back_to", [
    ("contact_back", "contact"),  # particle the dictionary does not list -> the verb
    ("hand_over_to", "hand_over"),  # last preposition dropped first
    ("hand_in_to", "hand_in"),
    ("attack_on", "attack"),
    ("fight_against", "fight"),
])
def test_particle_fallback(relation, falls_back_to):
    assert cameo_event(relation) == cameo_event(falls_back_to) is not None


def test_lookup_normalises_case_and_spaces():
    assert cameo_event("Withdraw From") == cameo_event("withdraw_from")
    assert cameo_event("  ATTACK ") == cameo_event("attack")


@pytest.mark.parametrize("relation", [
    "", "_", "xyzzy", "president_of", "based_in",  # not verbs
    "report", "deny", "hold",  # blocks without a default ([---]): no event unless a pattern fits
])
def test_unknown_or_eventless_relations_are_none(relation):
    assert cameo_event(relation) is None


# --- licence and packaging -----------------------------------------------------------------


def test_licence_shipped_with_the_data():
    licence = (DATA / "LICENSE-CAMEO").read_text(encoding="utf-8")
    assert "MIT License" in licence and "Open Event Data" in licence
    assert "above copyright notice and this permission notice shall be included" in licence


def test_data_files_are_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["graph_builder"]
    for name in DATA_FILES:
        assert any(fnmatch.fnmatch(f"data/{name}", p) for p in patterns), (name, patterns)
        assert (resources.files("graph_builder") / "data" / name).is_file()

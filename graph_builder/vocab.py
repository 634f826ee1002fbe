"""The graph's vocabulary: established namespaces first, and the few terms of our own.

People, organisations, places and articles are schema.org; provenance is PROV-O; labels and
aliases are SKOS; a statement node uses RDF reification's ``rdf:subject/predicate/object`` so
any store or SPARQL engine can read it; character offsets are NIF spans; the time a sentence
gives an event is SEM's ``sem:hasTimeStamp``. Only what none of these has lives in ``GB``
(written down with labels, domains and ranges in ``ontology.ttl``); the relations themselves
(``rel:reject``, ``rel:withdraw_from``) live in ``REL``.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, XSD

from .types import EVENT, GROUP, ORGANIZATION, PERSON, PLACE, THING

__all__ = ["GB", "REL", "NIF", "SEM", "SDO", "PROV", "SKOS", "RDF", "RDFS", "XSD", "OWL", "SH",
           "DEFAULT_BASE_IRI", "TYPE_CLASSES", "PREFIXES", "PREFIX_IRIS", "ONTOLOGY", "SHAPES", "JSONLD_CONTEXT"]

#: Where the nodes of a graph (actors, articles, statements) live unless ``base_iri`` says otherwise.
DEFAULT_BASE_IRI = "https://w3id.org/graph-builder/id/"

_HERE = Path(__file__).parent
#: The vocabulary written down (OWL/RDFS), the SHACL shapes of a graph, and the JSON-LD context.
ONTOLOGY = _HERE / "ontology.ttl"
SHAPES = _HERE / "shapes.ttl"
JSONLD_CONTEXT = _HERE / "context.jsonld"

#: NLP Interchange Format: text spans with character offsets (``nif:beginIndex``, ``nif:anchorOf``).
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
#: Simple Event Model: ``sem:hasTimeStamp`` for the time a sentence gives an event.
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")


class GB(DefinedNamespace):
    """graph-builder's own terms: only what schema.org, PROV-O, SKOS, NIF and SEM do not have."""

    _fail = True
    _NS = Namespace("https://w3id.org/graph-builder/ns#")

    Actor: URIRef  # Anything that takes part in a statement, as subject or object.
    Group: URIRef  # A collective actor without a name ("mediators"), scoped to its article.
    Thing: URIRef  # Something an action is done to that is not an agent ("initiative").
    Statement: URIRef  # One extracted actor-relation-actor fact with its evidence.
    Extraction: URIRef  # A run of graph-builder's extractors with one spaCy pipeline (a prov:Activity).
    relation: URIRef  # The relation's normalised name ("withdraw_from").
    relationText: URIRef  # The relation's words as written ("has rejected").
    negated: URIRef  # True when the sentence denies the relation ("did not accept").
    confidence: URIRef  # The extractor's confidence in the statement, in [0, 1].
    extractor: URIRef  # Name of the extractor that produced the statement ("svo.v1").
    sentence: URIRef  # The sentence (a nif:Sentence span) the statement was read from.
    subjectMention: URIRef  # The words (a nif:Phrase span) that name the subject in the sentence.
    relationMention: URIRef  # The verb (a nif:Phrase span) that carries the relation.
    objectMention: URIRef  # The words (a nif:Phrase span) that name the object in the sentence.
    timeText: URIRef  # The time the sentence gives the event, as written ("on Monday").
    modality: URIRef  # How sure the text is the event happened: a modal ("may"), "conditional", or a verb of intent.
    cameoCode: URIRef  # The CAMEO event code of the relation ("120": reject).
    cameoRoot: URIRef  # The CAMEO root class of the relation ("12": REJECT).
    quadClass: URIRef  # The CAMEO quad class: 1 verbal cooperation ... 4 material conflict.
    source: URIRef  # Where the article came from (file path or feed name).


#: Relations: ``REL["reject"]``, ``REL["withdraw_from"]``.
REL = Namespace("https://w3id.org/graph-builder/rel/")

#: The RDF class of each actor type.
TYPE_CLASSES: dict[str, URIRef] = {
    PERSON: SDO.Person,
    ORGANIZATION: SDO.Organization,
    PLACE: SDO.Place,
    EVENT: SDO.Event,
    GROUP: GB.Group,
    THING: GB.Thing,
}

#: Prefixes bound in every graph and offered to every query.
PREFIXES: dict[str, Namespace | str] = {
    "gb": str(GB._NS),
    "rel": REL,
    "schema": SDO,
    "prov": PROV,
    "skos": SKOS,
    "nif": NIF,
    "sem": SEM,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}

#: The same prefixes as plain IRI strings, as Oxigraph takes them.
PREFIX_IRIS: dict[str, str] = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}

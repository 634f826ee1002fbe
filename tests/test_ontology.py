"""The ontology, the SHACL shapes, the README's vocabulary section and the graphs agree."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from graph_builder.validate import validate_graph
from graph_builder.vocab import GB, ONTOLOGY, PREFIXES, REL, SHAPES
from tests.conftest import ROOT

ONTO = Graph().parse(ONTOLOGY, format="turtle")
SHAPES_GRAPH = Graph().parse(SHAPES, format="turtle")
README = (ROOT / "README.md").read_text(encoding="utf-8")
VOCAB_SECTION = README[README.index("## The graph's vocabulary"):README.index("## Architecture")]
CLASS_TYPES = (OWL.Class, RDFS.Class)
PROPERTY_TYPES = (RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty)


def curie(iri: URIRef) -> str:
    for prefix, namespace in PREFIXES.items():
        if str(iri).startswith(str(namespace)):
            return f"{prefix}:{str(iri)[len(str(namespace)):]}"
    raise AssertionError(f"{iri} is in no known namespace")


def declared(types) -> set[URIRef]:
    return {s for t in types for s in ONTO.subjects(RDF.type, t) if isinstance(s, URIRef)}


CLASSES, PROPERTIES = declared(CLASS_TYPES), declared(PROPERTY_TYPES)


def test_every_gb_term_is_defined_with_label_comment_domain_and_range():
    own = {URIRef(str(GB._NS) + name) for name in GB.__annotations__}
    assert own == {t for t in CLASSES | PROPERTIES if str(t).startswith(str(GB._NS))}
    for term in own:
        assert (term, RDFS.label, None) in ONTO and (term, RDFS.comment, None) in ONTO, term
        assert (term, RDFS.isDefinedBy, URIRef("https://w3id.org/graph-builder/ns")) in ONTO, term
        if term in PROPERTIES:
            assert (term, RDFS.domain, None) in ONTO and (term, RDFS.range, None) in ONTO, term


def test_every_reused_term_says_where_it_is_defined_and_how_it_is_used():
    from rdflib.namespace import SKOS

    for term in CLASSES | PROPERTIES:
        if not str(term).startswith(str(GB._NS)):
            assert (term, RDFS.isDefinedBy, None) in ONTO and (term, SKOS.scopeNote, None) in ONTO, term


def test_readme_vocabulary_lists_exactly_the_ontology_terms():
    in_readme = set(re.findall(r"`((?:gb|schema|prov|skos|nif|sem|rdf|rdfs):[A-Za-z]+)`", VOCAB_SECTION))
    in_readme -= {"rdf:Statement"}  # named as gb:Statement's superclass
    assert in_readme == {curie(t) for t in CLASSES | PROPERTIES}


def test_shapes_use_only_ontology_terms_and_cover_every_class():
    used = set()
    for predicate in (SH.path, SH.targetClass, SH["class"]):
        used |= {o for o in SHAPES_GRAPH.objects(None, predicate) if isinstance(o, URIRef)}
    for values in SHAPES_GRAPH.objects(None, SH["in"]):
        from rdflib.collection import Collection

        used |= {v for v in Collection(SHAPES_GRAPH, values) if isinstance(v, URIRef)}
    used -= {RDF.type}
    assert used <= CLASSES | PROPERTIES, used - (CLASSES | PROPERTIES)
    covered = {o for o in SHAPES_GRAPH.objects(None, SH.targetClass)} | used
    assert CLASSES - covered == set()
    closed_paths = {p for shape in SHAPES_GRAPH.subjects(SH.closed, Literal(True))
                    for prop in SHAPES_GRAPH.objects(shape, SH.property) for p in SHAPES_GRAPH.objects(prop, SH.path)}
    assert closed_paths <= PROPERTIES


def test_the_graph_uses_only_ontology_terms(seed_graph):
    g = seed_graph.rdf
    predicates = {p for p in g.predicates() if not str(p).startswith(str(REL)) and p != RDF.type}
    assert predicates <= PROPERTIES, predicates - PROPERTIES
    assert set(g.objects(None, RDF.type)) <= CLASSES, set(g.objects(None, RDF.type)) - CLASSES
    assert {p for p in PROPERTIES if (None, p, None) in g} >= {GB.sentence, GB.confidence, GB.timeText}


def test_ontology_and_shapes_are_consistent_rdf():
    assert (URIRef("https://w3id.org/graph-builder/ns"), RDF.type, OWL.Ontology) in ONTO
    assert len(list(SHAPES_GRAPH.subjects(RDF.type, SH.NodeShape))) >= 7


@pytest.mark.parametrize("break_it, message", [
    (lambda g, st: g.remove((g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object))),
     "plain edge"),
    (lambda g, st: g.set((st, GB.confidence, Literal("1.5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")))),
     "1.5"),
    (lambda g, st: g.add((st, URIRef("https://w3id.org/graph-builder/ns#madeUp"), Literal("x"))), "madeUp"),
    (lambda g, st: g.remove((st, GB.sentence, None)), "sentence"),
])
def test_the_shapes_catch_a_broken_graph(seed_graph, break_it, message):
    g = Graph()
    for triple in seed_graph.rdf:
        g.add(triple)
    statement = next(s for s in g.subjects(RDF.type, GB.Statement)
                     if g.value(s, GB.negated) == Literal(False) and g.value(s, GB.modality) is None)
    break_it(g, statement)
    report = validate_graph(g)
    assert not report.conforms and message in report.text

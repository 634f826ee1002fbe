"""graph-builder: knowledge graphs of who did what to whom, from news articles.

>>> import graph_builder as gb
>>> kg = gb.build(["seeds/"])                       # doctest: +SKIP
>>> kg.rdf, kg.nx                                   # rdflib.Graph, networkx.MultiDiGraph
>>> kg.query("SELECT ?s ?o WHERE { ?s rel:reject ?o }").to_dicts()
>>> kg.export("output/")                            # graph.ttl, triples.jsonl, graph.html...
"""

from .assemble import KnowledgeGraph
from .errors import GraphBuilderError, IngestError, ModelError, QueryError, UnknownPluginError
from .ingest import read_articles
from .pipeline import BuildReport, build, build_from_articles, build_from_texts, extract_articles, run_build
from .query import QueryResult, load_graph, run_query
from .registry import exporters, extractors
from .types import Actor, Article, ArticleExtraction, Mention, ResolvedTriple, Triple

__all__ = [
    "build", "build_from_texts", "build_from_articles", "extract_articles", "run_build", "read_articles",
    "load_graph", "run_query", "KnowledgeGraph", "QueryResult", "BuildReport",
    "Article", "Mention", "Triple", "ArticleExtraction", "Actor", "ResolvedTriple",
    "extractors", "exporters",
    "GraphBuilderError", "IngestError", "ModelError", "QueryError", "UnknownPluginError",
]
__version__ = "0.1.0"

"""The ``graph-builder`` command: a thin layer over the library, nothing more.

Exit status: 0 when everything went well; 1 on an error (message on stderr); 2 on a usage
error; 3 when the build finished but some inputs were skipped (listed in the summary).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import GraphBuilderError
from .export import ALIASES, FILE_NAMES
from .nlp import DEFAULT_MODEL
from .vocab import DEFAULT_BASE_IRI

EXIT_SKIPPED = 3

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="graph-builder")
def cli() -> None:
    """Build knowledge graphs of who did what to whom from news articles."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", default="output", show_default=True, type=click.Path(file_okay=False),
              help="Folder the outputs are written to.")
@click.option("-m", "--model", default=DEFAULT_MODEL, show_default=True,
              help="Installed spaCy pipeline to parse with (en_core_web_sm, en_core_web_md, ...).")
@click.option("-f", "--format", "formats", multiple=True,
              type=click.Choice(sorted([*FILE_NAMES, *ALIASES])),
              help="Output format; repeat for several. Default: turtle, jsonl, csv, graphml, html.")
@click.option("--base-iri", default=DEFAULT_BASE_IRI, show_default=True, help="Namespace of the graph's nodes.")
@click.option("--batch-size", default=32, show_default=True, type=click.IntRange(1), help="Articles per nlp.pipe batch.")
@click.option("-j", "--jobs", "n_process", default=1, show_default=True, type=click.IntRange(1),
              help="Parser processes.")
@click.option("--strict", is_flag=True, help="Stop at the first input that cannot be read.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary.")
def build(inputs: tuple[str, ...], out_dir: str, model: str, formats: tuple[str, ...], base_iri: str,
          batch_size: int, n_process: int, strict: bool, quiet: bool) -> None:
    """Build the knowledge graph of INPUTS: files, folders (read recursively) or - for stdin.

    Text (.txt), HTML (.html) and JSON Lines/JSON (.jsonl, .json) articles are read.

    \b
    Example:
        graph-builder build seeds/ --out output/
        cat articles.jsonl | graph-builder build - -f turtle -f jsonl
    """
    from .pipeline import run_build

    def progress(count: int, article) -> None:
        if not quiet and (count % 25 == 0):
            click.echo(f"\r  {count} articles processed", nl=False, err=True)

    try:
        kg, report = run_build(
            list(inputs), Path(out_dir), formats=list(formats) or None, strict=strict, model=model,
            base_iri=base_iri, batch_size=batch_size, n_process=n_process, progress=progress,
            stdin=click.get_text_stream("stdin"),
        )
    except GraphBuilderError as exc:
        raise click.ClickException(str(exc)) from exc
    if not quiet:
        if report.articles >= 25:
            click.echo("", err=True)
        click.echo(report.summary(), err=True)
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


@cli.command()
@click.argument("graph", type=click.Path(dir_okay=False))
@click.argument("sparql", required=False)
@click.option("--file", "query_file", type=click.File("r", encoding="utf-8"), help="Read the query from a file.")
@click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(["table", "csv", "json"]),
              help="How to print the results.")
def query(graph: str, sparql: str | None, query_file, fmt: str) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT) over GRAPH, an RDF file.

    The prefixes gb:, rel:, schema:, prov:, skos:, rdf:, rdfs: and xsd: are predefined.

    \b
    Example:
        graph-builder query output/graph.ttl 'SELECT ?s ?o WHERE { ?s rel:reject ?o }'
        graph-builder query output/graph.ttl --file my.rq --format csv
    """
    from .query import format_result, load_graph, run_query

    if (sparql is None) == (query_file is None):
        raise click.UsageError("give the query either as an argument or with --file")
    text = sparql if sparql is not None else query_file.read()
    try:
        result = run_query(load_graph(graph), text)
    except GraphBuilderError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_result(result, fmt))


@cli.command()
@click.argument("graph", type=click.Path(dir_okay=False))
@click.option("-o", "--out", "out_path", default=None, type=click.Path(dir_okay=False),
              help="HTML file to write (default: graph.html, or <focus>.html, beside GRAPH).")
@click.option("--focus", default=None, help="Show only the neighbourhood of this actor (label or alias).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(1), help="Steps around --focus.")
@click.option("--max-nodes", default=300, show_default=True, type=click.IntRange(1),
              help="Above this many actors show the most important ones.")
def view(graph: str, out_path: str | None, focus: str | None, depth: int, max_nodes: int) -> None:
    """Write an interactive HTML view of GRAPH (a GraphML file written by build).

    \b
    Example:
        graph-builder view output/graph.graphml --focus "Khalifa Haftar" --depth 2
    """
    from .export.graphml import read_graphml
    from .view import ego_graph, write_html

    try:
        nxg = read_graphml(Path(graph))
        if focus:
            nxg = ego_graph(nxg, focus, depth)
        target = Path(out_path) if out_path else Path(graph).with_name(
            f"{_file_stem(focus)}.html" if focus else "graph.html")
        write_html(nxg, target, title=f"{focus} — graph-builder" if focus else "graph-builder", max_nodes=max_nodes)
    except GraphBuilderError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {target}", err=True)


def _file_stem(label: str) -> str:
    from .names import slug

    return slug(label)


def main() -> None:
    cli()

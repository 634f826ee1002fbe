"""The ``graph-builder`` command: a thin layer over the library, nothing more.

Exit status: 0 when everything went well; 1 on an error (message on stderr); 2 on a usage
error; 3 when the build finished but some inputs were skipped (listed in the summary); 130 and
143 when a build was interrupted (SIGINT, SIGTERM) and stopped cleanly, its outputs untouched.
"""

from __future__ import annotations

import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click

from .errors import GraphBuilderError
from .export import ALIASES, FILE_NAMES
from .distributed import default_jobs
from .nlp import DEFAULT_MODEL
from .pipeline import DEFAULT_BATCH_SIZE
from .vocab import DEFAULT_BASE_IRI

EXIT_SKIPPED = 3


class Interrupted(KeyboardInterrupt):
    """A termination signal (SIGTERM, SIGHUP) raised as an exception, so that the build unwinds
    as on Ctrl-C: temporary files removed, worker processes and the cache closed."""


def _raise_interrupted(signum: int, frame: object) -> None:
    raise Interrupted(signum)


@contextmanager
def _signals_interrupt() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP interrupt it like SIGINT (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signals = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {sig: signal.signal(sig, _raise_interrupted) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

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
@click.option("--batch-size", default=DEFAULT_BATCH_SIZE, show_default=True, type=click.IntRange(1),
              help="Articles per nlp.pipe batch and per task sent to a process.")
@click.option("-j", "--jobs", "n_process", default=default_jobs(), show_default="the number of cores",
              type=click.IntRange(1), help="Processes that parse and extract.")
@click.option("--cache-dir", default=None, type=click.Path(file_okay=False),
              help="Cache of per-article extractions: a rebuild parses only new or changed articles. "
                   "[default: OUT/.cache]")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("--dask", default=None, metavar="ADDRESS",
              help="Parse and extract on this Dask distributed scheduler (tcp://host:8786).")
@click.option("-x", "--extractor", "extractors", multiple=True,
              help="Registered extractor to run (svo.v1, roles.v1, openie.v1, or a plugin's); repeat for "
                   "several. [default: svo.v1 and roles.v1]")
@click.option("--aliases", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Alias file (YAML or CSV: label, type, aliases, wikidata) that fixes or links actors.")
@click.option("--strict", is_flag=True, help="Stop at the first input that cannot be read.")
@click.option("--store", "store_dir", default=None, type=click.Path(file_okay=False),
              help="Also write the graph into an Oxigraph store in this folder (for query, serve, push).")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary.")
def build(inputs: tuple[str, ...], out_dir: str, model: str, formats: tuple[str, ...], base_iri: str,
          batch_size: int, n_process: int, cache_dir: str | None, no_cache: bool, dask: str | None,
          extractors: tuple[str, ...], aliases: str | None, strict: bool, store_dir: str | None, quiet: bool) -> None:
    """Build the knowledge graph of INPUTS: files, folders (read recursively) or - for stdin.

    Text (.txt), HTML (.html) and JSON Lines/JSON (.jsonl, .json) articles are read.

    \b
    Example:
        graph-builder build seeds/ --out output/
        cat articles.jsonl | graph-builder build - -f turtle -f jsonl
        graph-builder build corpus/ -f trig --store corpus.db --base-iri https://example.org/news/
        graph-builder build news/ --jobs 4 --cache-dir ~/.cache/gb    # a rebuild parses only new articles
        graph-builder build news/ --aliases actors.yaml -x svo.v1 -x roles.v1 -x openie.v1
    """
    from .pipeline import run_build

    def progress(count: int, article) -> None:
        if not quiet and (count % 25 == 0):
            click.echo(f"\r  {count} articles processed", nl=False, err=True)

    try:
        with _signals_interrupt():
            kg, report = run_build(
                list(inputs), Path(out_dir), formats=list(formats) or None, strict=strict, model=model,
                base_iri=base_iri, batch_size=batch_size, n_process=n_process, progress=progress,
                stdin=click.get_text_stream("stdin"), dask=dask, aliases=aliases,
                **({"extractors": list(extractors)} if extractors else {}),
                cache_dir=None if no_cache else Path(cache_dir) if cache_dir else Path(out_dir) / ".cache",
            )
            if store_dir is not None:
                report.files.append(kg.to_store(Path(store_dir)))
    except GraphBuilderError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt as exc:
        signum = exc.args[0] if isinstance(exc, Interrupted) else signal.SIGINT
        resume = "" if no_cache else " (what was extracted is in the cache)"
        click.echo(f"\ngraph-builder: build interrupted ({signal.Signals(signum).name}); the files in {out_dir} "
                   f"are those of the last complete build; run the same command to finish{resume}", err=True)
        sys.exit(128 + signum)
    from .ingest import article_warnings

    warnings = article_warnings(kg.articles)
    if not quiet:
        if report.articles >= 25:
            click.echo("", err=True)
        click.echo("\n".join([report.summary(), *(f"warning {w}" for w in warnings)]), err=True)
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


@cli.command()
@click.argument("graph", required=False, type=click.Path())
@click.argument("sparql", required=False)
@click.option("--file", "query_file", type=click.File("r", encoding="utf-8"), help="Read the query from a file.")
@click.option("-s", "--saved", "saved_name", default=None, help="Run a saved query by name (see --list).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A saved query's parameter, bound as a value (never pasted into the query); repeat.")
@click.option("--list", "list_saved", is_flag=True, help="List the saved queries and their parameters.")
@click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(["table", "csv", "json"]),
              help="How to print the results.")
def query(graph: str | None, sparql: str | None, query_file, saved_name: str | None, params: tuple[str, ...],
          list_saved: bool, fmt: str) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT) over GRAPH, an RDF file or a store folder.

    The prefixes gb:, rel:, schema:, prov:, skos:, nif:, sem:, rdf:, rdfs: and xsd: are
    predefined; the default graph is the union of the article graphs.

    \b
    Example:
        graph-builder query output/graph.ttl 'SELECT ?s ?o WHERE { ?s rel:reject ?o }'
        graph-builder query output/graph.ttl --file my.rq --format csv
        graph-builder query --list
        graph-builder query corpus.db --saved timeline -p actor="Khalifa Haftar"
    """
    from .query import format_result, open_source, run_query
    from .saved import run_saved, saved_queries

    if list_saved:
        for q in saved_queries().values():
            click.echo(f"{q.usage()}\n    {q.description}")
            for name, meaning in q.params.items():
                click.echo(f"    {name}: {meaning}")
        return
    if graph is None:
        raise click.UsageError("give GRAPH, an RDF file or a store folder (or --list)")
    if sum(x is not None for x in (sparql, query_file, saved_name)) != 1:
        raise click.UsageError("give the query either as an argument, with --file, or with --saved")
    if params and saved_name is None:
        raise click.UsageError("--param goes with --saved")
    bad = [p for p in params if "=" not in p]
    if bad:
        raise click.UsageError(f"--param {bad[0]!r}: write NAME=VALUE")
    try:
        source = open_source(graph)
        if saved_name is not None:
            result = run_saved(source, saved_name, dict(p.split("=", 1) for p in params))
        else:
            result = run_query(source, sparql if sparql is not None else query_file.read())
    except GraphBuilderError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_result(result, fmt))


@cli.command()
@click.argument("graph", type=click.Path(exists=True))
def validate(graph: str) -> None:
    """Check GRAPH (an RDF file or a store folder) against graph-builder's SHACL shapes.

    Prints "conforms" or pySHACL's report of each violation; exit status 1 when it does not conform.

    \b
    Example:
        graph-builder validate output/graph.ttl
        graph-builder validate corpus.db
    """
    from .validate import validate_path

    try:
        report = validate_path(graph)
    except GraphBuilderError as exc:
        raise click.ClickException(str(exc)) from exc
    if not report.conforms:
        click.echo(report.text)
        raise click.ClickException(f"{graph}: does not conform to the shapes ({report.results} violations)")
    click.echo(f"{graph}: conforms")


@cli.command()
@click.argument("graph", type=click.Path(exists=True))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback only by default).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--timeout", "timeout_s", default=60, show_default=True, type=click.IntRange(1),
              help="Time limit of one query, in seconds.")
def serve(graph: str, host: str, port: int, timeout_s: int) -> None:
    """Serve GRAPH (an RDF file or a store folder) as a read-only SPARQL 1.1 endpoint at /query.

    Runs the Oxigraph server (PyPI oxigraph) until Ctrl-C; the default graph is the union of the
    article graphs.

    \b
    Example:
        graph-builder serve output/graph.ttl --port 7878
        curl 'http://127.0.0.1:7878/query' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5'
    """
    from .serve import serve as run_server

    try:
        with _signals_interrupt():  # SIGTERM stops the Oxigraph server too, not only this process
            status = run_server(graph, host=host, port=port, timeout_s=timeout_s)
    except GraphBuilderError as exc:
        raise click.ClickException(str(exc)) from exc
    sys.exit(status if status > 0 else 0)


@cli.command()
@click.argument("store_dir", metavar="STORE", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--out", "out_dir", default="output", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write into.")
@click.option("-f", "--format", "fmt", default="nquads", show_default=True, type=click.Choice(["nquads", "trig"]),
              help="N-Quads (can be sharded) or TriG.")
@click.option("--shard-size", default=None, type=click.IntRange(1), metavar="QUADS",
              help="Write N-Quads in files of at most this many quads: graph-00001.nq, graph-00002.nq, ...")
def dump(store_dir: str, out_dir: str, fmt: str, shard_size: int | None) -> None:
    """Write the graph in STORE (a folder made by `build --store`) as N-Quads or TriG, streamed.

    The quads go from the disk to the files without the graph ever being held in memory, so a
    graph larger than memory can be exported; every article keeps its named graph.

    \b
    Example:
        graph-builder build corpus/ --store corpus.db -f jsonl
        graph-builder dump corpus.db --out dumps/ --shard-size 1000000
    """
    from .store import dump_store

    try:
        written = dump_store(store_dir, out_dir, fmt, shard_size)
    except GraphBuilderError as exc:
        raise click.ClickException(str(exc)) from exc
    for path in written:
        click.echo(f"wrote {path}", err=True)


@cli.command()
@click.argument("graph", type=click.Path(exists=True))
@click.option("--endpoint", required=True, help="The SPARQL 1.1 Graph Store Protocol URL (Oxigraph: http://host:7878/store).")
def push(graph: str, endpoint: str) -> None:
    """Upload GRAPH (TriG, N-Quads, another RDF file or a store folder) to a Graph Store endpoint.

    Each article's graph replaces the server's graph of that name (HTTP PUT), so pushing again
    does not duplicate anything.

    \b
    Example:
        graph-builder build seeds/ -f trig
        graph-builder push output/graph.trig --endpoint http://127.0.0.1:7878/store
    """
    from .push import push as upload

    try:
        report = upload(graph, endpoint)
    except GraphBuilderError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"pushed {len(report.graphs)} graphs ({report.triples} triples)"
               + (f" and {report.default_triples} default-graph triples" if report.default_triples else "")
               + f" to {endpoint}", err=True)


@cli.command()
@click.argument("graph", type=click.Path(dir_okay=False))
@click.option("-o", "--out", "out_path", default=None, type=click.Path(dir_okay=False),
              help="HTML file to write (default: graph.html, or <focus>.html, beside GRAPH).")
@click.option("--focus", default=None, help="Show only the neighbourhood of this actor (label or alias).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(1), help="Steps around --focus.")
@click.option("--max-nodes", default=300, show_default=True, type=click.IntRange(1),
              help="Above this many actors show the most important ones (PageRank and their links).")
@click.option("--png", "png_path", is_flag=False, flag_value="", default=None, type=click.Path(dir_okay=False),
              metavar="[FILE]", help="Also draw a static picture, for reports (default FILE: the HTML's name, .png).")
@click.option("--png-nodes", default=150, show_default=True, type=click.IntRange(1, 500),
              help="Most actors drawn in the --png picture.")
def view(graph: str, out_path: str | None, focus: str | None, depth: int, max_nodes: int, png_path: str | None,
         png_nodes: int) -> None:
    """Write an interactive HTML view of GRAPH (a GraphML file written by build), and a PNG.

    The page works offline: search, filters by actor type, relation and article date, evidence
    on hover. With --focus it shows the ego network of one actor.

    \b
    Example:
        graph-builder view output/graph.graphml --focus "Khalifa Haftar" --depth 2
        graph-builder view output/graph.graphml --png report.png
    """
    from .export.graphml import read_graphml
    from .view import ego_graph, write_html

    try:
        nxg = read_graphml(Path(graph))
        if focus:
            nxg = ego_graph(nxg, focus, depth)
        target = Path(out_path) if out_path else Path(graph).with_name(
            f"{_file_stem(focus)}.html" if focus else "graph.html")
        title = f"{focus} — graph-builder" if focus else "graph-builder"
        write_html(nxg, target, title=title, max_nodes=max_nodes)
        click.echo(f"wrote {target}", err=True)
        if png_path is not None:
            from .view_png import write_png

            picture = write_png(nxg, Path(png_path) if png_path else target.with_suffix(".png"), title=title,
                                max_nodes=min(max_nodes, png_nodes))
            click.echo(f"wrote {picture}", err=True)
    except GraphBuilderError as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command()
@click.option("--gold", "gold_paths", multiple=True, type=click.Path(exists=True),
              help="Gold facts: a .json file or a folder of them; repeat for several.")
@click.option("--triples", type=click.Path(exists=True, dir_okay=False),
              help="Score this triples.jsonl (from build) instead of extracting from the gold articles.")
@click.option("--root", "roots", multiple=True, type=click.Path(file_okay=False),
              help="Folder the gold 'article' paths are relative to; repeat. Default: . and ../shared/corpus.")
@click.option("--scope", default="all", show_default=True, type=click.Choice(["all", "actors"]),
              help="Predictions scored: all of a gold article's, or only those between its gold actors.")
@click.option("--carb", "carb_dir", type=click.Path(exists=True, file_okay=False),
              help="CaRB folder (dev.txt and gold/dev.tsv), scored with CaRB's metric.")
@click.option("--limit", type=click.IntRange(1), help="Only the first LIMIT CaRB sentences.")
@click.option("--predictions-out", type=click.Path(dir_okay=False),
              help="Also write the CaRB predictions (tabbed format) to this file.")
@click.option("-m", "--model", default=DEFAULT_MODEL, show_default=True, help="Installed spaCy pipeline.")
@click.option("-x", "--extractor", "extractors", multiple=True,
              help="Registered extractor to measure; repeat for several. Default: the build's for --gold, "
                   "openie.v1 (surface clauses) for --carb.")
@click.option("-v", "--verbose", is_flag=True, help="List the misses and the wrong outputs.")
def evaluate(gold_paths: tuple[str, ...], triples: str | None, roots: tuple[str, ...], scope: str,
             carb_dir: str | None, limit: int | None, predictions_out: str | None, model: str,
             extractors: tuple[str, ...], verbose: bool) -> None:
    """Score the extraction: precision, recall and F1 against gold facts and/or CaRB.

    \b
    Example:
        graph-builder evaluate --gold tests/gold --verbose
        graph-builder evaluate --gold tests/gold --triples output/triples.jsonl
        graph-builder evaluate --carb ../shared/benchmarks/carb --limit 100
    """
    from .carb import write_carb_predictions
    from .evaluate import DEFAULT_ROOTS, evaluate_carb, evaluate_gold
    from .extract import DEFAULT_EXTRACTORS

    if not gold_paths and not carb_dir:
        raise click.UsageError("give --gold and/or --carb")
    try:
        if gold_paths:
            report = evaluate_gold(gold_paths, triples=triples, roots=roots or DEFAULT_ROOTS, scope=scope, model=model,
                                   extractors=list(extractors) or DEFAULT_EXTRACTORS)
            click.echo(report.format(verbose))
        if carb_dir:
            carb = evaluate_carb(carb_dir, limit=limit, model=model, **({"extractors": list(extractors)} if extractors else {}))
            if predictions_out:
                write_carb_predictions(carb.predictions, predictions_out)
            click.echo(carb.format(verbose))
    except (GraphBuilderError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc


def _file_stem(label: str) -> str:
    from .names import slug

    return slug(label)


def main() -> None:
    cli()

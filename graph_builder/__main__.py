"""``python -m graph_builder`` is ``graph-builder``."""

from .cli import cli

cli()

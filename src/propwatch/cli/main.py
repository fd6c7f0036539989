"""Entry point of the ``propwatch`` command.

Each command module in :data:`COMMAND_MODULES` exposes ``register(app)``; commands parse options,
call one function of :mod:`propwatch.api` and write the result. Known errors
(:class:`~propwatch.errors.PropwatchError`) become one line on stderr and exit status 1.

Exit codes: 0 success; 1 an input or option was wrong (one line on stderr says which) or some
inputs failed; 2 the command line itself could not be parsed (Typer/Click usage error).
"""

from __future__ import annotations

import sys
from importlib import import_module

import typer

from propwatch.errors import PropwatchError

COMMAND_MODULES = [
    "propwatch.cli.analyze",
    "propwatch.cli.techniques",
    "propwatch.cli.evaluate",
    "propwatch.cli.classify",
    "propwatch.cli.train",
    "propwatch.cli.train_article",
    "propwatch.cli.batch",
    "propwatch.cli.report",
    "propwatch.cli.serve",
    "propwatch.cli.db",
]

app = typer.Typer(
    name="propwatch",
    help="Show, with evidence, how news articles try to persuade.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

for _module in COMMAND_MODULES:
    import_module(_module).register(app)


def main() -> None:
    """Run the CLI, turning known errors into one line on stderr."""
    try:
        app()
    except PropwatchError as error:
        print(f"propwatch: error: {error}", file=sys.stderr)
        sys.exit(1)

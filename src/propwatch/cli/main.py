"""Entry point of the ``propwatch`` command.

Each command module in :data:`COMMANDS` exposes ``register(app)``; commands parse options,
call one function of :mod:`propwatch.api` and write the result. Known errors
(:class:`~propwatch.errors.PropwatchError`) become one line on stderr and exit status 1.

:func:`main` imports only the module of the command it runs, and none for ``propwatch
--help`` (the command list comes from :data:`SUMMARIES`): the commands' dependencies (spaCy,
scikit-learn, SQLAlchemy, Dask, the web app) are heavy, and ``propwatch batch`` workers, which
multiprocessing starts by importing the ``propwatch`` script again, would otherwise load them
all.

Exit codes: 0 success; 1 an input or option was wrong (one line on stderr says which) or some
inputs failed; 2 the command line itself could not be parsed (Typer/Click usage error).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from importlib import import_module

import typer
from typer.core import TyperCommand, TyperGroup

from propwatch.errors import PropwatchError

# Command name -> the modules that register it (train_article adds ``train article``).
COMMANDS = {
    "analyze": ["propwatch.cli.analyze"],
    "techniques": ["propwatch.cli.techniques"],
    "eval": ["propwatch.cli.evaluate"],
    "classify": ["propwatch.cli.classify"],
    "train": ["propwatch.cli.train", "propwatch.cli.train_article", "propwatch.cli.train_quotes"],
    "batch": ["propwatch.cli.batch"],
    "report": ["propwatch.cli.report"],
    "serve": ["propwatch.cli.serve"],
    "db": ["propwatch.cli.db"],
    "annotations": ["propwatch.cli.annotations"],
}
COMMAND_MODULES = [module for modules in COMMANDS.values() for module in modules]
# The first paragraph of each command's help, as ``propwatch --help`` lists it; a test keeps
# them equal to the commands' own help texts.
SUMMARIES = {
    "analyze": "Find persuasion techniques in articles and write them in one format.",
    "techniques": (
        "List the persuasion techniques propwatch can report, with a definition and an example."
    ),
    "eval": (
        "Score predictions (PRED) against gold labels (GOLD) exactly as the shared-task scorers do."
    ),
    "classify": "Fill in the technique of every span of a SemEval-2020 TC template.",
    "train": "Train the models propwatch ships.",
    "batch": "Analyse a corpus of articles in parallel and store one result row per article.",
    "report": (
        "Write an HTML report of a propwatch batch result: technique, voice and narrative "
        "statistics with charts, by outlet or by month."
    ),
    "serve": "Start the web app (analyse, library, compare, outlets) and the REST API (/api/v1).",
    "db": "Manage the database that 'propwatch serve' stores analyses in.",
    "annotations": (
        "Export the corrections stored in the database, or import annotation files into it."
    ),
}


class _CommandList(TyperGroup):
    """The ``propwatch`` group as ``--help`` shows it: names and summaries, no module loaded.

    :func:`main` runs every named command through :func:`build_app`, so this group only ever
    lists commands (for ``--help``, no arguments, or a misspelt command).
    """

    def list_commands(self, ctx: object) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: object, cmd_name: str) -> TyperCommand | None:
        summary = SUMMARIES.get(cmd_name)
        return None if summary is None else TyperCommand(cmd_name, help=summary)


def build_app(
    modules: Iterable[str] = COMMAND_MODULES, *, group: type[TyperGroup] = TyperGroup
) -> typer.Typer:
    """The ``propwatch`` Typer app with the commands that ``modules`` register."""
    app = typer.Typer(
        name="propwatch",
        help="Show, with evidence, how news articles try to persuade.",
        cls=group,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    # A callback keeps the app a command group even when it holds a single command.
    app.callback()(lambda: None)
    for module in modules:
        import_module(module).register(app)
    if app.registered_commands or app.registered_groups:
        # Imported here, like the commands: the command list alone (SUMMARIES) needs neither.
        from propwatch.cli.helptext import reflow_help

        reflow_help(app)
    return app


def __getattr__(name: str) -> typer.Typer:
    """``app``: every command, built on first use (tests invoke it with Typer's runner)."""
    if name == "app":
        globals()["app"] = app = build_app()
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Run the CLI, turning known errors into one line on stderr."""
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    try:
        if command in COMMANDS:
            build_app(COMMANDS[command])()
        else:
            build_app([], group=_CommandList)()
    except PropwatchError as error:
        print(f"propwatch: error: {error}", file=sys.stderr)
        sys.exit(1)

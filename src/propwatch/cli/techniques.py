"""``propwatch techniques``: list a scheme's techniques with definitions and examples."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from propwatch import config, registry
from propwatch.cli.output import user_errors
from propwatch.schemes import Scheme, load_scheme

HELP = """List the persuasion techniques propwatch can report, with a definition and an example.

\b
Examples:
  propwatch techniques
  propwatch techniques --scheme semeval2020
"""


def _category_words(scheme: Scheme) -> list[str]:
    return [word for category in scheme.categories for word in category.name.split()]


def technique_table(scheme: Scheme) -> Table:
    """A Rich table of ``scheme``: name, category, definition and example, a row per technique."""
    table = Table(
        title=f"{scheme.title} ({len(scheme.techniques)} techniques)",
        show_lines=True,
        caption=scheme.description,
    )
    table.add_column("Technique", no_wrap=True, min_width=max(len(n) for n in scheme.names))
    table.add_column("Category", min_width=max(len(w) for w in _category_words(scheme)))
    table.add_column("Definition and example")
    for technique in scheme.techniques:
        colour = scheme.category(technique.category).colour
        table.add_row(
            technique.name,
            Text(technique.category, style=colour),
            Text.assemble(technique.definition, "\n", (technique.example, "italic")),
        )
    return table


def techniques(
    scheme: str = typer.Option(
        config.DEFAULT_SCHEME,
        "--scheme",
        "-s",
        help=f"Technique scheme: {', '.join(registry.schemes.names())}.",
    ),
) -> None:
    with user_errors():
        table = technique_table(load_scheme(scheme))
    Console(highlight=False).print(table)


def register(app: typer.Typer) -> None:
    """Add ``techniques`` to the ``propwatch`` command."""
    app.command("techniques", help=HELP)(techniques)

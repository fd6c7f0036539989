"""``propwatch techniques``: list a scheme's techniques with definitions and examples."""

from __future__ import annotations

import textwrap

import typer
from rich.console import Console, Group
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


def technique_list(scheme: Scheme, width: int) -> Group:
    """``scheme``'s techniques under their categories: the readable label and the exact name
    (as the label files spell it), then the definition and example, indented.

    A list, not a table: each text is wrapped at the terminal's ``width``, so 80 columns read
    as well as 200 (a four-column table there was 310 lines of narrow cells).
    """

    def indented(text: str, indent: int, style: str = "") -> Text:
        space = " " * indent
        wrapped = textwrap.fill(text, width, initial_indent=space, subsequent_indent=space)
        return Text(wrapped, style=style)

    parts: list[Text] = [
        Text(f"{scheme.title} ({len(scheme.techniques)} techniques)", style="bold"),
        indented(scheme.description, 0),
    ]
    for category in scheme.categories:
        parts.append(Text(f"\n{category.label}", style=f"bold {category.colour}"))
        for technique in scheme.techniques:
            if technique.category == category.name:
                heading = Text("  ").append(technique.label, "bold")
                parts.append(heading.append(f" ({technique.name})", "dim"))
                parts.append(indented(technique.definition, 4))
                parts.append(indented(f"Example: {technique.example}", 4, "italic"))
    return Group(*parts)


def techniques(
    scheme: str = typer.Option(
        config.DEFAULT_SCHEME,
        "--scheme",
        "-s",
        help=f"Technique scheme: {', '.join(registry.schemes.names())}.",
    ),
) -> None:
    with user_errors():
        console = Console(highlight=False)
        listing = technique_list(load_scheme(scheme), console.width)
    console.print(listing)


def register(app: typer.Typer) -> None:
    """Add ``techniques`` to the ``propwatch`` command."""
    app.command("techniques", help=HELP)(techniques)

"""Help texts as the terminal should wrap them (imported by ``propwatch --help``: keep light)."""

from __future__ import annotations

import typer

# Longest line of a verbatim (\b) help block: it fits an 80-column terminal (Rich indents
# help text by one column and keeps one free at the end).
HELP_WIDTH = 78


def flowing(text: str) -> str:
    """Help text whose paragraphs are joined into single lines for the terminal to wrap.

    Help texts are written wrapped at 100 columns; Typer's Rich help keeps those line breaks,
    so a narrower terminal broke every line twice. A paragraph that starts with ``\\b``
    (Click's mark for verbatim blocks, used for examples) keeps its lines.
    """
    paragraphs = text.strip("\n").split("\n\n")
    return "\n\n".join(
        p if p.startswith("\b") else " ".join(line.strip() for line in p.splitlines())
        for p in paragraphs
    )


def reflow_help(app: typer.Typer) -> None:
    """Apply :func:`flowing` to the help of ``app``, its commands and its groups, deeply."""
    if isinstance(app.info.help, str):
        app.info.help = flowing(app.info.help)
    for command in app.registered_commands:
        if isinstance(command.help, str):
            command.help = flowing(command.help)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            reflow_help(group.typer_instance)

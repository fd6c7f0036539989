"""Help texts read well in an 80-column terminal: paragraphs flow, verbatim blocks (examples)
fit, and no reStructuredText markup shows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import typer
from typer.testing import CliRunner

from propwatch.cli.helptext import HELP_WIDTH, flowing
from propwatch.cli.main import SUMMARIES, app


def helps(group: typer.Typer, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(command path, help text) of every command and group under ``group``."""
    for command in group.registered_commands:
        yield prefix + str(command.name), command.help or ""
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        yield prefix + str(sub.name), sub.typer_instance.info.help or ""
        yield from helps(sub.typer_instance, f"{prefix}{sub.name} ")


def test_paragraphs_flow_and_verbatim_blocks_keep_their_lines() -> None:
    text = "First line\nof a paragraph.\n\n\b\nExamples:\n  propwatch a\n  propwatch b\n"
    assert (
        flowing(text) == "First line of a paragraph.\n\n\b\nExamples:\n  propwatch a\n  propwatch b"
    )


@pytest.mark.parametrize(("name", "text"), list(helps(app)))
def test_every_help_fits_80_columns_without_markup(name: str, text: str) -> None:
    assert "``" not in text and ":func:" not in text
    for paragraph in text.split("\n\n"):
        if paragraph.startswith("\b"):
            too_wide = [line for line in paragraph.splitlines() if len(line) > HELP_WIDTH]
            assert too_wide == [], name
        else:
            assert "\n" not in paragraph, name


def test_command_summaries_have_no_markup() -> None:
    assert [name for name, summary in SUMMARIES.items() if "``" in summary] == []


def test_serve_help_in_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = CliRunner().invoke(app, ["serve", "--help"]).output.splitlines()
    # The paragraph is wrapped by the terminal's width, not at the source's line breaks.
    assert (
        " Analyses are stored in PROPWATCH_DATABASE_URL (or --db): by default an SQLite  " in lines
    )
    assert " file in your user data folder; PostgreSQL with" in [line.rstrip() for line in lines]
    assert max(len(line) for line in lines) <= 80

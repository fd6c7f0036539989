"""Helpers for scorer tests: label records built in code, the CLI run in-process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from propwatch.cli.main import app
from propwatch.io.labels.semeval2020 import SpanLabel
from propwatch.text.span import Span

Invoke = Callable[..., Result]


MakeSpans = Callable[..., list[SpanLabel]]


@pytest.fixture
def spans() -> MakeSpans:
    """``spans(("A", "Doubt", 0, 5), ...)``: ``SpanLabel`` records from (id, label, start, end)."""

    def make(*rows: tuple[str, str, int, int]) -> list[SpanLabel]:
        return [SpanLabel(article, Span(start, end, label)) for article, label, start, end in rows]

    return make


@pytest.fixture
def propwatch() -> Invoke:
    """``propwatch("eval", "si", pred, gold)`` runs the command line in-process."""
    runner = CliRunner()

    def invoke(*args: str | Path) -> Result:
        return runner.invoke(app, [str(a) for a in args])

    return invoke

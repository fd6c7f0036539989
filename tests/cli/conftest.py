"""Run the real ``propwatch`` Typer app in-process, with stdout and stderr kept apart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from propwatch.cli.main import app

Invoke = Callable[..., Result]


@pytest.fixture
def propwatch() -> Invoke:
    """``propwatch("analyze", "x.txt")`` runs the command line and returns the click Result."""
    runner = CliRunner()

    def invoke(*args: str | Path, stdin: str | None = None) -> Result:
        return runner.invoke(app, [str(a) for a in args], input=stdin)

    return invoke


@pytest.fixture
def ptc_folder(tmp_path: Path) -> Path:
    """A PTC-layout folder: two good articles, an empty one and a binary one."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "article101.txt").write_text(
        "Harbour Plan Approved\n\nThe council approved the plan.\nIt costs two million.\n",
        encoding="utf-8",
    )
    (folder / "article102.txt").write_text("", encoding="utf-8")
    (folder / "article103.txt").write_text(
        "Ferry Returns\n\nThe old ferry is back. Residents cheered.\n", encoding="utf-8"
    )
    return folder

"""Hostile inputs and unwritable outputs on the command line: one ``propwatch: error:`` line
each, never a traceback, and the good articles still written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from propwatch.components.text import TextComponent
from propwatch.text.analysis import Analysis

Invoke = Callable[..., Result]  # the ``propwatch`` fixture of tests/cli/conftest.py


def test_an_article_whose_analysis_fails_costs_only_itself(
    propwatch: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = TextComponent.set_annotations

    def fail_on_boom(self: TextComponent, analysis: Analysis, parsed: object) -> None:
        if "BOOM" in analysis.article.text:
            raise RecursionError("maximum recursion depth exceeded")
        original(self, analysis, parsed)  # type: ignore[arg-type]

    monkeypatch.setattr(TextComponent, "set_annotations", fail_on_boom)
    lines = [
        {"id": f"a{n}", "text": "BOOM here." if n == 3 else f"Article {n}."} for n in range(12)
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    result = propwatch("analyze", source, "--components", "text", "-f", "jsonl")
    assert result.exit_code == 1
    assert result.stderr == (
        f"propwatch: error: {source}:4: RecursionError: maximum recursion depth exceeded\n"
    )
    written = [json.loads(line)["article"]["id"] for line in result.stdout.splitlines()]
    assert written == [f"a{n}" for n in range(12) if n != 3]


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("missing/out.json", "No such file or directory"),
        ("file.txt/out.json", "Not a directory"),
        ("/dev/full", "No space left on device"),  # an absolute path replaces tmp_path
    ],
)
def test_an_output_that_cannot_be_written_is_one_error_line(
    propwatch: Invoke, tmp_path: Path, where: str, reason: str
) -> None:
    (tmp_path / "file.txt").write_text("Title\n\nBody.", encoding="utf-8")
    out = tmp_path / where
    result = propwatch(
        "analyze", tmp_path / "file.txt", "--components", "text", "-o", out, "-f", "json"
    )
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"propwatch: error: {out}: cannot write the output ({reason})\n"


def test_batch_out_that_cannot_be_written_is_one_error_line(
    propwatch: Invoke, tmp_path: Path
) -> None:
    (tmp_path / "file.txt").write_text("Title\n\nBody.", encoding="utf-8")
    for out, message in [
        (tmp_path / "file.txt" / "r.parquet", "cannot write the results (Not a directory)"),
        (tmp_path, "is a folder; --out names the results file"),
    ]:
        result = propwatch("batch", tmp_path / "file.txt", "--out", out, "--components", "")
        assert (result.exit_code, result.stderr) == (1, f"propwatch: error: {out}: {message}\n")


@pytest.mark.parametrize("command", [["serve"], ["db", "upgrade"], ["db", "current"]])
def test_a_database_that_cannot_be_opened_is_one_error_line(
    propwatch: Invoke, tmp_path: Path, command: list[str]
) -> None:
    (tmp_path / "file.txt").write_text("not a folder", encoding="utf-8")
    url = f"sqlite:///{tmp_path}/file.txt/propwatch.db"
    result = propwatch(*command, "--db", url)
    assert result.exit_code == 1
    message = f"--db {url}: cannot open the database (File exists)"
    assert result.stderr == f"propwatch: error: {message}\n"


def test_record_warnings_are_not_printed_and_decoding_warnings_stay_one_line(
    propwatch: Invoke, tmp_path: Path
) -> None:
    record = {"id": "w", "text": "Body.", "warnings": ["x\npropwatch: error: forged"]}
    (tmp_path / "in.jsonl").write_text(json.dumps(record), encoding="utf-8")
    odd = tmp_path / "bad\nname.txt"
    odd.write_bytes(b"Title\n\nBody \xff.")
    result = propwatch("analyze", tmp_path, "--components", "text", "-f", "jsonl")
    assert result.exit_code == 0
    shown = f"{tmp_path}/bad\\x0aname.txt"
    assert result.stderr == (
        f"propwatch: warning: {shown}: invalid UTF-8 at byte 12; undecodable bytes were "
        "replaced with U+FFFD\n"
    )


def test_text_of_unicode_spaces_only_is_reported_empty(propwatch: Invoke, tmp_path: Path) -> None:
    blank = tmp_path / "blank.txt"
    blank.write_text("\u00a0\u3000\u200b\n\u2060", encoding="utf-8")
    result = propwatch("analyze", blank, "--components", "text")
    assert result.exit_code == 1
    assert result.stderr == (
        f"propwatch: error: {blank}: empty text (only whitespace or invisible characters)\n"
    )

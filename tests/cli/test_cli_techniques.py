"""``propwatch techniques`` lists every technique of a scheme with its category."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from click.testing import Result

from propwatch.schemes import load_scheme

Invoke = Callable[..., Result]  # the ``propwatch`` fixture of tests/cli/conftest.py


@pytest.mark.parametrize(("scheme", "count"), [("semeval2023", 23), ("semeval2020", 14)])
def test_lists_every_technique_of_the_scheme(propwatch: Invoke, scheme: str, count: int) -> None:
    result = propwatch("techniques", "--scheme", scheme)
    assert result.exit_code == 0
    assert f"({count} techniques)" in result.stdout
    names = load_scheme(scheme).names
    assert len(names) == count
    # Each technique: "  Readable label (Exact_Name)", its definition and example below.
    listed = re.findall(r"^  \S.* \((\S+)\)$", result.stdout, flags=re.MULTILINE)
    assert sorted(listed) == sorted(names)


def test_reads_in_80_columns(propwatch: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = propwatch("techniques").stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert len(lines) < 130  # a four-column table took 310
    at = lines.index("  Name calling / labeling (Name_Calling-Labeling)")
    assert lines[at - 1] == "Attack on reputation"
    assert lines[at + 1].startswith("    Attaches a short label to a person or group,")


def test_default_scheme_is_semeval2023(propwatch: Invoke) -> None:
    assert "(23 techniques)" in propwatch("techniques").stdout


def test_unknown_scheme_is_one_error_line(propwatch: Invoke) -> None:
    result = propwatch("techniques", "--scheme", "ptc")
    assert result.exit_code == 1
    assert result.stderr.startswith("propwatch: error: unknown scheme 'ptc'; choose one of: ")
    assert result.stderr.count("\n") == 1

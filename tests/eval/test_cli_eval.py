"""``propwatch eval`` end to end: tables, ``--json``, ``--classes``, one-line errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from propwatch.eval.runner import scorer_summaries

Invoke = Callable[..., Result]  # the ``propwatch`` fixture of conftest.py


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def si_files(tmp_path: Path) -> tuple[Path, Path]:
    gold = write(tmp_path / "gold.tsv", "A\t0\t10\nA\t20\t30\nB\t0\t4\n")
    pred = write(tmp_path / "pred.tsv", "A\t5\t15\nA\t20\t25\n")
    return pred, gold


def test_si_json(propwatch: Invoke, tmp_path: Path) -> None:
    result = propwatch("eval", "si", *si_files(tmp_path), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    # Same case as test_span_scorers: P 0.75, R 1/3, F1 6/13.
    assert data["metrics"] == {"f1": 0.461538, "precision": 0.75, "recall": 0.333333}
    assert data["official"] == "f1"
    assert data["counts"] == {"predicted_spans": 2, "gold_spans": 3}


def test_si_table(propwatch: Invoke, tmp_path: Path) -> None:
    result = propwatch("eval", "si", *si_files(tmp_path))
    assert result.exit_code == 0
    rows = [line.split("│")[1:3] for line in result.stdout.splitlines() if line.startswith("│")]
    assert [(name.strip(), value.strip()) for name, value in rows] == [
        ("f1 (official)", "0.4615"),
        ("precision", "0.7500"),
        ("recall", "0.3333"),
        ("predicted_spans", "2"),
        ("gold_spans", "3"),
    ]


def test_st2_classes_option_changes_macro_only(propwatch: Invoke, tmp_path: Path) -> None:
    gold = write(tmp_path / "gold.txt", "a\tF1,F2\nb\t\n")
    pred = write(tmp_path / "pred.txt", "a\tF1\nb\tF3\n")
    classes = write(tmp_path / "frames.txt", "F1\nF2\nF3\nF4\n")
    plain = json.loads(propwatch("eval", "st2", pred, gold, "--json").stdout)["metrics"]
    full = json.loads(propwatch("eval", "st2", pred, gold, "--json", "--classes", classes).stdout)
    # See test_frames_micro_and_class_list_dependent_macro for the arithmetic.
    assert (plain["micro_f1"], plain["macro_f1"]) == (0.5, 0.333333)
    assert (full["metrics"]["micro_f1"], full["metrics"]["macro_f1"]) == (0.5, 0.5)
    assert [row["label"] for row in full["per_label"]] == ["F1", "F2", "F3", "F4"]


def test_note_goes_to_stderr(propwatch: Invoke, tmp_path: Path) -> None:
    gold = write(tmp_path / "gold.tsv", "A\t0\t10\nB\t0\t5\n")
    pred = write(tmp_path / "pred.tsv", "A\t0\t10\nC\t0\t5\n")
    result = propwatch("eval", "si", pred, gold, "--json")
    assert result.exit_code == 0
    assert result.stderr == (
        "propwatch: warning: 1 predicted articles are not in gold (e.g. C); "
        "their spans count as wrong\n"
    )


def test_malformed_line_is_one_error_line(propwatch: Invoke, tmp_path: Path) -> None:
    pred, gold = si_files(tmp_path)
    write(pred, "A\t5\t15\nA\t20\n")
    result = propwatch("eval", "si", pred, gold)
    assert result.exit_code == 1
    assert (
        result.stderr == f"propwatch: error: {pred}:2: expected 3 tab-separated fields, found 2\n"
    )


def test_unknown_kind_lists_the_scorers(propwatch: Invoke, tmp_path: Path) -> None:
    result = propwatch("eval", "ptc", *si_files(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == (
        "propwatch: error: unknown scorer 'ptc'; choose one of: "
        "flc, narratives, quotes, roles, si, st1, st2, st3, tc\n"
    )


def test_unscorable_predictions_are_one_error_line(propwatch: Invoke, tmp_path: Path) -> None:
    gold = write(tmp_path / "gold.txt", "a\topinion\nb\tsatire\n")
    pred = write(tmp_path / "pred.txt", "a\topinion\n")
    result = propwatch("eval", "st1", pred, gold)
    assert result.exit_code == 1
    assert result.stderr == (
        "propwatch: error: predictions do not match gold: "
        "1 gold articles have no prediction (e.g. 'b')\n"
    )


def test_missing_file_names_it(propwatch: Invoke, tmp_path: Path) -> None:
    _pred, gold = si_files(tmp_path)
    result = propwatch("eval", "si", tmp_path / "nope.tsv", gold)
    assert result.exit_code == 1
    assert result.stderr == f"propwatch: error: {tmp_path / 'nope.tsv'}: no such file\n"


def test_gold_scores_one_on_ptc_training_labels(propwatch: Invoke, shared_data: Path) -> None:
    si = shared_data / "ptc2020" / "train-labels-si.tsv"
    tc = shared_data / "ptc2020" / "train-labels-tc.tsv"
    si_result = json.loads(propwatch("eval", "si", si, si, "--json").stdout)
    tc_result = json.loads(propwatch("eval", "tc", tc, tc, "--json").stdout)
    assert si_result["metrics"] == {"f1": 1.0, "precision": 1.0, "recall": 1.0}
    assert tc_result["metrics"] == {"f1": 1.0, "precision": 1.0, "recall": 1.0}
    assert tc_result["counts"] == {"gold_spans": 6128, "correct": 6128}


def test_every_scorer_is_registered_with_a_summary() -> None:
    summaries = scorer_summaries()
    assert sorted(summaries) == [
        "flc",
        "narratives",
        "quotes",
        "roles",
        "si",
        "st1",
        "st2",
        "st3",
        "tc",
    ]
    assert all(summaries.values()), summaries  # the help lists each with its first doc line

"""Span distillation: a teacher names the techniques of spans in news, a student's span head
learns from those names beside the gold."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from propwatch.cli.main import app
from propwatch.models.techniques.heads import span_vector
from propwatch.models.techniques.tagger import TechniqueTagger
from propwatch.training.techniques.span_distil import label_spans, soft_spans

pytest.importorskip("torch")

NEWS = {
    "news:1": "Storm Hits Coast\n\nA storm hit the coast on Sunday night.\n",
    "news:2": "Vote Delayed\n\nThe council delayed its vote on the harbour plan.\n",
}


def _line_teacher(model: Path) -> TechniqueTagger:
    """The tiny model with a span threshold every token passes and no fragments: its
    candidate spans are the lines of a text."""
    teacher = TechniqueTagger(model_dir=model, threads=1).load()
    for scheme in teacher.layout_.schemes:
        teacher.config_["thresholds"][scheme].update(span=0.0, technique=None)
    return teacher


def test_the_teacher_writes_its_spans_and_their_techniques_once(
    trained: Path, tmp_path: Path
) -> None:
    teacher, out = _line_teacher(trained / "model"), tmp_path / "spans"
    assert label_spans(teacher, NEWS, out) == 2
    written = {p.name: p.stat().st_mtime_ns for p in out.glob("*.npz")}
    assert label_spans(teacher, NEWS, out) == 2  # nothing left to label: files kept
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.npz")} == written
    assert json.loads((out / "meta.json").read_text())["teacher"] == str(trained / "model")
    for path in out.glob("*.npz"):
        with np.load(path) as saved:
            text = NEWS[str(saved["key"])]
            title = len(text.split("\n")[0])
            assert saved["spans"].tolist() == [[0, title], [title + 2, len(text) - 1]]
            encoded = teacher.encode(text)
            runs = [(0, 3 if text.startswith("Storm") else 2)]  # the title's tokens
            expected = teacher.span_probs(encoded, runs, "semeval2020")[0]
            assert saved["probs:semeval2020"][0] == pytest.approx(expected, abs=1e-3)
            assert saved["probs:semeval2023"].shape == (2, 3)


def test_the_student_reads_the_teachers_spans_with_its_own_states(
    trained: Path, tmp_path: Path
) -> None:
    teacher, out = _line_teacher(trained / "model"), tmp_path / "spans"
    label_spans(teacher, NEWS, out)
    student = TechniqueTagger(model_dir=trained / "model", threads=1).load()
    soft = soft_spans(student, out)
    assert (soft.articles, soft.vectors.shape[0]) == (2, 4)
    assert soft.targets["semeval2023"].shape == (4, 3)
    assert np.allclose(soft.targets["semeval2020"].sum(1), 1.0, atol=1e-2)
    encoded = student.encode(NEWS["news:1"])
    title = span_vector(encoded.hidden, encoded.features, 0, 3)  # "storm hits coast"
    assert any(np.allclose(title, row, atol=1e-5) for row in soft.vectors)


def test_a_refit_on_the_teachers_spans_follows_the_teacher(
    trained: Path, tiny_corpus: Path, tmp_path: Path
) -> None:
    teacher, labels = _line_teacher(trained / "model"), tmp_path / "spans"
    label_spans(teacher, NEWS, labels)
    for path in labels.glob("*.npz"):  # a teacher sure that every line is a Repetition
        with np.load(path) as saved:
            arrays = dict(saved)
        for scheme in ("semeval2020", "semeval2023"):
            arrays[f"probs:{scheme}"] = np.tile(np.float16([0, 0, 1]), (len(arrays["spans"]), 1))
        np.savez(path, **arrays)
    out = tmp_path / "refit"
    command = ["train", "techniques", "--data", str(tiny_corpus), "--out", str(out)]
    command += ["--from-model", str(trained / "model"), "--head-members", "1"]
    command += ["--head-epochs", "0", "--soft-spans", str(labels), "--soft-span-weight", "3"]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    report = json.loads((out / "val" / "report.json").read_text())
    origin = report["span_distilled_from"]
    assert origin["teacher"] == str(trained / "model")
    assert (origin["articles"], origin["spans"], origin["weight"]) == (2, 4, 3.0)
    card = (out / "model" / "MODEL_CARD.md").read_text()
    assert "- Span distillation: the span head also learnt from 4 spans of\n  2 unlabelled" in card
    assert f"--soft-spans {labels} --soft-span-weight 3.0" in card
    student = TechniqueTagger(model_dir=tmp_path / "refit" / "model", threads=1).load()
    for text in NEWS.values():
        lines = [(0, text.index("\n")), (text.index("\n") + 2, len(text) - 1)]
        probs = student.classify(text, lines, "semeval2020", calibrated=False)
        assert probs.argmax(1).tolist() == [2, 2]  # Repetition, as the teacher said


def test_soft_spans_must_be_a_teacher_labels_folder(
    trained: Path, tiny_corpus: Path, tmp_path: Path
) -> None:
    command = ["train", "techniques", "--data", str(tiny_corpus), "--out", str(tmp_path / "o")]
    command += ["--from-model", str(trained / "model"), "--soft-spans", str(tmp_path)]
    result = CliRunner().invoke(app, command)
    assert result.exit_code != 0
    assert "holds no teacher labels" in result.output

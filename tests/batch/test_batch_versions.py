"""A re-shipped model is analysed again; unchanged work is skipped (versions from model files)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from batch_corpus import article_text, write_jsonl

from propwatch.batch import BatchOptions, PipelineSpec, run_batch
from propwatch.components.frames import FramesComponent
from propwatch.models.article.shipped import default_dir, load_model, save_model

FRAMES = PipelineSpec(components=("text", "frames"))


def _reship_frames(folder: Path) -> None:
    """Write the frames model again with other metadata: new file contents, same estimator."""
    save_model("frames", load_model("frames", folder), folder, {"note": "re-shipped"})


def test_model_version_follows_the_model_file(tmp_path: Path) -> None:
    shutil.copy(default_dir() / "frames.npz", tmp_path / "frames.npz")
    component = FramesComponent(model_dir=str(tmp_path))
    before = component.model_version()
    assert before.startswith(f"{FramesComponent.version}+")
    assert component.model_version() == before
    _reship_frames(tmp_path)
    assert component.model_version() not in {before, FramesComponent.version}


def test_batch_analyses_again_after_a_model_is_reshipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(default_dir() / "frames.npz", models / "frames.npz")
    monkeypatch.setenv("PROPWATCH_ARTICLE_MODEL_DIR", str(models))
    write_jsonl(tmp_path / "in.jsonl", [{"id": f"a{n}", "text": article_text(n)} for n in range(3)])
    inputs, out = (str(tmp_path / "in.jsonl"),), tmp_path / "results.parquet"

    first = run_batch(BatchOptions(inputs, out, spec=FRAMES, workers=1))
    again = run_batch(BatchOptions(inputs, out, spec=FRAMES, workers=1))
    assert (first.analysed, again.analysed, again.skipped) == (3, 0, 3)

    _reship_frames(models)
    after = run_batch(BatchOptions(inputs, out, spec=FRAMES, workers=1))
    assert (after.analysed, after.skipped) == (3, 0)
    assert after.model_version != first.model_version
    assert after.model_version.startswith("semeval2023;text=1;frames=2+")

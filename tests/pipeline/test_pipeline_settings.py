"""Model folders come from the settings (PROPWATCH_ARTICLE_MODEL_DIR,
PROPWATCH_TECHNIQUE_MODEL_DIR) through load_pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from propwatch.api import load_pipeline

COMPONENTS = ["text", "techniques", "genre", "frames", "narratives", "roles"]


def test_the_article_model_folder_goes_to_the_article_components_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = load_pipeline(components=COMPONENTS)
    assert [getattr(c, "model_dir", None) for c in shipped.components] == [None] * 6
    monkeypatch.setenv("PROPWATCH_ARTICLE_MODEL_DIR", str(tmp_path))
    pipeline = load_pipeline(components=COMPONENTS)
    folders = {c.name: getattr(c, "model_dir", None) for c in pipeline.components}
    assert folders == {
        "text": None,
        "techniques": None,  # the technique model folder is another setting
        "genre": str(tmp_path),
        "frames": str(tmp_path),
        "narratives": str(tmp_path),
        "roles": str(tmp_path),
    }


def test_the_technique_model_folder_goes_to_the_techniques_component(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROPWATCH_TECHNIQUE_MODEL_DIR", str(tmp_path / "adapted"))
    pipeline = load_pipeline(components=COMPONENTS)
    folders = {c.name: getattr(c, "model_dir", None) for c in pipeline.components}
    assert folders == {
        "text": None,
        "techniques": str(tmp_path / "adapted"),
        "genre": None,
        "frames": None,
        "narratives": None,
        "roles": None,
    }


def test_the_explain_component_reads_the_same_technique_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Word weights must come from the model that marked the spans, not the shipped one.
    monkeypatch.setenv("PROPWATCH_TECHNIQUE_MODEL_DIR", str(tmp_path / "adapted"))
    pipeline = load_pipeline(components=["text", "techniques", "explain"])
    folders = {c.name: getattr(c, "model_dir", None) for c in pipeline.components}
    assert folders["explain"] == folders["techniques"] == str(tmp_path / "adapted")

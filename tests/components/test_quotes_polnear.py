"""Quote extraction scored on PolNeAR dev articles (skips when ../shared/data is absent).

The full dev run is ``bench/quotes_polnear.py``; this test scores the first 12 dev articles
(by file name) so that it stays fast, with floors a little under what they measured: the
default pipeline's quote components (the rules, the encoder and the learned quote tagger).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from propwatch import registry
from propwatch.api import load_pipeline
from propwatch.eval.result import EvalOptions, Score
from propwatch.eval.runner import evaluate
from propwatch.io.labels.tsv import read_text
from propwatch.text.article import Article

N_ARTICLES = 12
# Measured on these 12 articles (direct F1 0.833, direct speaker accuracy 0.886, all F1 0.739
# with the rules alone; 0.828, 0.861, 0.765 and all speaker accuracy 0.912 with the tagger)
# minus a small margin.
FLOORS = {"direct_f1": 0.78, "direct_speaker": 0.82, "all_f1": 0.72, "all_speaker": 0.87}


@pytest.fixture(scope="module")
def scores(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Score]:
    dev = shared_data / "polnear" / "dev"
    paths = sorted((dev / "text").glob("*.txt"))[:N_ARTICLES]
    stems = {p.stem for p in paths}
    folder = tmp_path_factory.mktemp("polnear")
    gold = folder / "attributions"
    gold.mkdir()
    for file in (dev / "attributions").glob("*.ann"):
        if file.stem.rsplit("_", 1)[0] in stems:
            shutil.copy(file, gold / file.name)
    pipeline = load_pipeline(components=["text", "quotes", "techniques", "quote_tagger"])
    analyses = pipeline.pipe(Article(id=p.stem, text=read_text(p)) for p in paths)
    pred = folder / "quotes.tsv"
    with pred.open("w", encoding="utf-8") as stream:
        registry.writers.get("quotes-tsv").write(analyses, stream)
    return {
        "all": evaluate("quotes", pred, gold, EvalOptions(text_dir=dev / "text")),
        "direct": evaluate(
            "quotes", pred, gold, EvalOptions(direct_only=True, text_dir=dev / "text")
        ),
    }


def test_direct_quotes_are_found(scores: dict[str, Score]) -> None:
    assert scores["direct"].metrics["f1"] >= FLOORS["direct_f1"]


def test_direct_quote_speakers_are_right(scores: dict[str, Score]) -> None:
    assert scores["direct"].metrics["speaker_accuracy"] >= FLOORS["direct_speaker"]


def test_all_attributions_are_found(scores: dict[str, Score]) -> None:
    assert scores["all"].metrics["f1"] >= FLOORS["all_f1"]


def test_speakers_of_all_attributions_are_right(scores: dict[str, Score]) -> None:
    assert scores["all"].metrics["speaker_accuracy"] >= FLOORS["all_speaker"]

"""Every scorer gives 1.0 for gold against itself on the real corpora (skipped without them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from propwatch.eval.quotes import read_gold_quotes
from propwatch.eval.result import EvalOptions
from propwatch.eval.runner import evaluate
from propwatch.io.labels.tsv import read_label_list


@pytest.mark.parametrize(
    ("kind", "gold", "classes"),
    [
        ("flc", "ptc2020/train-labels-tc.tsv", None),
        ("st1", "semeval2023-en/train-labels-subtask-1.txt", None),
        ("st2", "semeval2023-en/train-labels-subtask-2.txt", "semeval2023-en/frames.txt"),
        ("st3", "semeval2023-en/train-labels-subtask-3", "semeval2023-en/techniques.txt"),
        ("roles", "semeval2025-en/train/subtask-1-annotations.txt", None),
        ("narratives", "semeval2025-en/train/subtask-2-annotations.txt", None),
    ],
)
def test_gold_against_itself_scores_one(
    shared_data: Path, kind: str, gold: str, classes: str | None
) -> None:
    options = EvalOptions(classes=read_label_list(shared_data / classes) if classes else None)
    score = evaluate(kind, shared_data / gold, shared_data / gold, options)
    assert score.metrics[score.official] == 1.0
    assert score.notes == ()


def test_quotes_written_from_gold_score_one(shared_data: Path, tmp_path: Path) -> None:
    dev = shared_data / "polnear" / "dev"
    rows = []
    for quotes in read_gold_quotes(dev / "attributions", dev / "text").values():
        for q in quotes:
            source = (q.sources[0].start, q.sources[0].end) if q.sources else (-1, -1)
            kind = "direct" if q.direct else "indirect"
            fields = [q.article_id, q.content.start, q.content.end, *source, -1, -1, "", kind]
            rows.append("\t".join(str(f) for f in fields))
    pred = tmp_path / "quotes.tsv"
    pred.write_text("\n".join(rows) + "\n", encoding="utf-8")
    for direct_only in (False, True):
        score = evaluate("quotes", pred, dev / "attributions", EvalOptions(direct_only=direct_only))
        assert (score.metrics["f1"], score.metrics["speaker_accuracy"]) == (1.0, 1.0)

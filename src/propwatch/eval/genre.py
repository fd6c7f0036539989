"""``st1``: SemEval-2023 Task 3 subtask 1 (news genre), as the official ``scorer-subtask-1.py``.

Predictions must cover exactly the gold article ids and use the three genres. The official
metric is macro-F1 over the genres seen in gold or predictions (sklearn ``f1_score`` with
``average="macro"``, ``zero_division=0``); micro-F1 (= accuracy) is reported too.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from propwatch.errors import ScoringError
from propwatch.eval.result import EvalOptions, Score, label_rows, require_same_keys
from propwatch.io.labels.semeval2023 import read_genres
from propwatch.registry import scorers

GENRES = ("reporting", "opinion", "satire")


def score_genres(
    pred: Mapping[str, str], gold: Mapping[str, str], classes: tuple[str, ...] = GENRES
) -> Score:
    """Score ``{article_id: genre}`` predictions.

    Raises
    ------
    ScoringError
        When the article ids differ or a predicted genre is not in ``classes``.
    """
    require_same_keys(gold, pred, "articles")
    invalid = sorted(set(pred.values()) - set(classes))
    if invalid:
        raise ScoringError(f"predicted genres not in {', '.join(classes)}: {', '.join(invalid)}")
    y_true = [gold[key] for key in gold]
    y_pred = [pred[key] for key in gold]
    labels = sorted(set(y_true) | set(y_pred))
    # Imported here: scikit-learn takes about a second to import.
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    p, r, f, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=0
    )
    return Score(
        kind="st1",
        official="macro_f1",
        metrics={
            "macro_f1": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
            "micro_f1": float(f1_score(y_true, y_pred, average="micro", zero_division=0)),
        },
        counts={"articles": len(y_true)},
        per_label=label_rows(labels, p, r, f, support, [y_pred.count(g) for g in labels]),
    )


@scorers.register("st1")
def score_genre_files(pred: Path, gold: Path, options: EvalOptions) -> Score:
    """SemEval-2023 subtask 1: macro-F1 of genres (id, genre)."""
    return score_genres(read_genres(pred), read_genres(gold), options.classes or GENRES)

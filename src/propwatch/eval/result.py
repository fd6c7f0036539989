"""What every scorer returns (:class:`Score`), its options, and helpers shared by scorers."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from propwatch.errors import ScoringError

# Digits kept in JSON output; the official scorers print 4 to 6.
JSON_DIGITS = 6


@dataclass(frozen=True, slots=True)
class EvalOptions:
    """Settings a scorer may use; each scorer ignores the ones it does not need.

    Parameters
    ----------
    classes : tuple of str or None, default=None
        The task's full label list, for macro averages over labels that appear in neither file
        (SemEval-2023 subtasks 2 and 3); ``None`` uses the labels seen in gold or predictions.
    direct_only : bool, default=False
        ``quotes``: score direct quotes only.
    text_dir : Path or None, default=None
        ``quotes``: folder of the article texts; ``None`` means ``text/`` beside the gold folder.
    articles : tuple of str or None, default=None
        ``si`` and ``flc``: the ids of every article scored. Spans predicted in a listed article
        that has no gold span then count as wrong; without the list, predictions covering more
        articles than gold stop the scoring, as the official scorer does (its gold file cannot
        name an article without spans).
    """

    classes: tuple[str, ...] | None = None
    direct_only: bool = False
    text_dir: Path | None = None
    articles: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class LabelScore:
    """Precision, recall and F1 of one label (all in [0, 1]).

    ``support`` counts gold items with the label, ``predicted`` predicted ones.
    """

    label: str
    precision: float
    recall: float
    f1: float
    support: int
    predicted: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "precision": round(self.precision, JSON_DIGITS),
            "recall": round(self.recall, JSON_DIGITS),
            "f1": round(self.f1, JSON_DIGITS),
            "support": self.support,
            "predicted": self.predicted,
        }


@dataclass(frozen=True, slots=True)
class Score:
    """The result of one scorer run.

    Parameters
    ----------
    kind : str
        The scorer name (``"si"``).
    official : str
        Key of the task's official metric in ``metrics``.
    metrics : dict of str to float
        Metric values in [0, 1], official metric first.
    counts : dict of str to int
        Sizes behind the metrics (predicted and gold spans, articles…).
    per_label : tuple of LabelScore
        One row per label, sorted by label; empty where labels do not apply.
    notes : tuple of str
        Things the user should know (ids only in predictions, labels ignored…).
    """

    kind: str
    official: str
    metrics: dict[str, float]
    counts: dict[str, int] = field(default_factory=dict)
    per_label: tuple[LabelScore, ...] = ()
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "official": self.official,
            "metrics": {name: round(value, JSON_DIGITS) for name, value in self.metrics.items()},
            "counts": dict(self.counts),
            "per_label": [row.to_dict() for row in self.per_label],
            "notes": list(self.notes),
        }


def official_prf(
    precision_credit: float, n_predicted: int, recall_credit: float, n_gold: int
) -> tuple[float, float, float]:
    """Precision, recall and F1 as the PTC scorers compute them (``compute_prec_rec_f1``).

    P = precision_credit / n_predicted (0 when nothing is predicted), R likewise over the gold
    count, F1 = 2PR / (P + R) when both are positive, 1.0 when both counts are 0, else 0.
    """
    precision = precision_credit / n_predicted if n_predicted else 0.0
    recall = recall_credit / n_gold if n_gold else 0.0
    f1 = 0.0
    if n_predicted == 0 and n_gold == 0:
        f1 = 1.0
    if precision > 0 and recall > 0:
        f1 = 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def require_same_keys(gold: Mapping[Any, Any], pred: Mapping[Any, Any], items: str) -> None:
    """Raise :class:`ScoringError` unless both mappings have the same keys.

    The SemEval-2023 and 2025 scorers refuse a prediction file that misses or adds an item.
    ``items`` names them in the message (``"articles"``, ``"paragraphs"``).
    """
    missing = [key for key in gold if key not in pred]
    extra = [key for key in pred if key not in gold]
    problems = []
    if missing:
        problems.append(f"{len(missing)} gold {items} have no prediction (e.g. {missing[0]!r})")
    if extra:
        problems.append(f"{len(extra)} predicted {items} are not in gold (e.g. {extra[0]!r})")
    if problems:
        raise ScoringError("predictions do not match gold: " + "; ".join(problems))


def label_rows(
    labels: Sequence[str],
    precision: Sequence[float],
    recall: Sequence[float],
    f1: Sequence[float],
    support: Sequence[int],
    predicted: Sequence[int],
) -> tuple[LabelScore, ...]:
    """Zip per-label arrays (as sklearn returns them) into :class:`LabelScore` rows."""
    return tuple(
        LabelScore(label, float(p), float(r), float(f), int(s), int(n))
        for label, p, r, f, s, n in zip(
            labels, precision, recall, f1, support, predicted, strict=True
        )
    )


def index_unique(items: Sequence[Any], key: Any, what: str) -> dict[Hashable, Any]:
    """``{key(item): item}``; a repeated key raises :class:`ScoringError` naming ``what``."""
    table: dict[Hashable, Any] = {}
    for item in items:
        k = key(item)
        if k in table:
            raise ScoringError(f"{what} lists {k!r} twice")
        table[k] = item
    return table

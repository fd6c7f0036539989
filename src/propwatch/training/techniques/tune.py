"""Tune decoding thresholds of an exported model on validation articles, with the scorers."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propwatch.eval.flc import score_flc
from propwatch.eval.measures import binary_counts, f_score
from propwatch.eval.si import score_si
from propwatch.io.labels.semeval2020 import SpanLabel
from propwatch.models.techniques.tagger import Encoded, TechniqueTagger
from propwatch.text.segment import paragraphs
from propwatch.text.span import Span
from propwatch.training.techniques.data import GoldSpan

SPAN_GRID = [round(x, 2) for x in np.arange(0.2, 0.91, 0.05)]
GAP_GRID = [0, 1, 2, 4]
MIN_TOKENS_GRID = [1, 2, 3]
SPLIT_GRID = [None, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]  # None: one technique per run
PARAGRAPH_GRID = [round(x, 2) for x in np.arange(0.05, 0.96, 0.05)]
PARAGRAPH_PASSES = 2

ParagraphKey = tuple[str, int]


def gold_labels(gold: Mapping[str, Sequence[GoldSpan]]) -> list[SpanLabel]:
    return [SpanLabel(key, Span(s, e, t)) for key, spans in gold.items() for s, e, t in spans]


def decode_spans(
    tagger: TechniqueTagger,
    texts: Mapping[str, str],
    encoded: Mapping[str, Encoded],
    scheme: str,
    limits: Mapping[str, Any],
) -> list[SpanLabel]:
    """Technique spans (without technique) of every text, decoded with ``limits``."""
    return [
        SpanLabel(key, Span(start, end))
        for key, text in texts.items()
        for start, end in tagger.run_bounds(
            text, encoded[key], tagger.find_runs(text, encoded[key], scheme, dict(limits))
        )
    ]


def tune_spans(
    tagger: TechniqueTagger,
    texts: Mapping[str, str],
    encoded: Mapping[str, Encoded],
    gold: Mapping[str, Sequence[GoldSpan]],
    scheme: str,
) -> tuple[dict[str, Any], float]:
    """Span threshold, gap and minimum length with the best SI F1; returns them and the F1."""
    reference = gold_labels(gold)
    best: tuple[float, dict[str, Any]] = (-1.0, {})
    for span, gap, min_tokens in itertools.product(SPAN_GRID, GAP_GRID, MIN_TOKENS_GRID):
        limits = {"span": span, "max_gap": gap, "min_tokens": min_tokens}
        found = decode_spans(tagger, texts, encoded, scheme, limits)
        # every held-out article is scored, one without gold spans of this scheme too
        f1 = score_si(found, reference, list(texts)).metrics["f1"]
        if f1 > best[0]:
            best = (f1, limits)
    return best[1], best[0]


def split_scores(
    tagger: TechniqueTagger,
    texts: Mapping[str, str],
    encoded: Mapping[str, Encoded],
    gold: Mapping[str, Sequence[GoldSpan]],
    scheme: str,
    limits: Mapping[str, Any],
) -> dict[float | None, float]:
    """FLC F1 for each ``"technique"`` threshold of :data:`SPLIT_GRID`.

    Spans and their own techniques are decoded with ``limits``; the threshold decides which
    fragments inside them carry further techniques (see :meth:`TechniqueTagger.detect`).
    """
    reference = gold_labels(gold)
    scores: dict[float | None, float] = {}
    for value in SPLIT_GRID:
        trial = {**limits, "technique": value}
        found = [
            SpanLabel(key, Span(d.start, d.end, d.technique))
            for key, text in texts.items()
            for d in tagger.detect(text, scheme, encoded[key], trial)
        ]
        scores[value] = score_flc(found, reference, list(texts)).metrics["f1"]
    return scores


def tune_split(
    tagger: TechniqueTagger,
    texts: Mapping[str, str],
    encoded: Mapping[str, Encoded],
    gold: Mapping[str, Sequence[GoldSpan]],
    scheme: str,
    limits: Mapping[str, Any],
) -> tuple[float | None, float]:
    """The ``"technique"`` threshold with the best FLC F1 (None: one technique per span run),
    and that F1; the first in :data:`SPLIT_GRID` order on ties."""
    scores = split_scores(tagger, texts, encoded, gold, scheme, limits)
    best = max(scores, key=lambda value: scores[value])
    return best, scores[best]


def tune_paragraphs(
    scores: NDArray[np.float32], gold: NDArray[np.bool_]
) -> tuple[NDArray[np.float32], float]:
    """Per-technique thresholds maximising paragraph micro-F1 by coordinate ascent.

    Parameters
    ----------
    scores : ndarray of shape (n_paragraphs, n_techniques)
    gold : ndarray of bool, same shape

    Returns
    -------
    thresholds : ndarray of shape (n_techniques,)
    f1 : float
        Micro-F1 on the tuning data with those thresholds.
    """
    thresholds = np.full(scores.shape[1], 0.5, dtype=np.float32)

    def micro_f1(limits: NDArray[np.float32]) -> float:
        tp, fp, fn = binary_counts(gold, scores >= limits)
        return f_score(tp.sum(), fp.sum(), fn.sum())

    for _ in range(PARAGRAPH_PASSES):
        for column in range(scores.shape[1]):
            options = []
            for value in PARAGRAPH_GRID:
                trial = thresholds.copy()
                trial[column] = value
                options.append((micro_f1(trial), -abs(value - 0.5), value))
            thresholds[column] = max(options)[2]
    return thresholds, micro_f1(thresholds)


def paragraph_matrix(
    tagger: TechniqueTagger,
    texts: Mapping[str, str],
    encoded: Mapping[str, Encoded],
    gold: Mapping[ParagraphKey, Sequence[str]],
    scheme: str,
) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
    """Scores and gold of every paragraph of ``texts`` that the gold file lists."""
    names = list(tagger.layout_.techniques[scheme])
    rows, truth = [], []
    for key, text in texts.items():
        spans, scores = tagger.paragraph_scores(text, scheme, encoded[key])
        for paragraph, row in zip(spans, scores, strict=True):
            labels = gold.get((key, int(paragraph.attrs["line"])))
            if labels is None:
                continue
            rows.append(row)
            truth.append([n in labels for n in names])
    width = len(names)
    return np.asarray(rows, dtype=np.float32).reshape(-1, width), np.asarray(
        truth, dtype=bool
    ).reshape(-1, width)


def paragraph_gold_from_spans(
    texts: Mapping[str, str],
    gold: Mapping[str, Sequence[GoldSpan]],
) -> dict[ParagraphKey, tuple[str, ...]]:
    """Paragraph labels derived from span labels (a technique counts where its span overlaps).

    On the SemEval-2023 training articles this reproduces the organizers' paragraph files.
    """
    out: dict[ParagraphKey, tuple[str, ...]] = {}
    for key, text in texts.items():
        for paragraph in paragraphs(text):
            names = {
                t
                for s, e, t in gold.get(key, [])
                if min(e, paragraph.end) > max(s, paragraph.start)
            }
            out[(key, int(paragraph.attrs["line"]))] = tuple(sorted(names))
    return out

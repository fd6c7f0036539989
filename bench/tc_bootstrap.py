"""Paired article bootstrap of two TC prediction files on the same gold spans.

TC labels every gold span, so its micro-F1 is close to the share of gold spans labelled right
(``propwatch eval tc`` gives the official figure; a span listed twice with two techniques makes
them differ slightly). This resamples articles with replacement and prints that share for A and
B, their difference and its standard error: a difference under two standard errors is noise.

Usage::

    python bench/tc_bootstrap.py OUT_A/dev/gold-tc.tsv OUT_A/dev/tc.tsv OUT_B/dev/tc.tsv
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import numpy as np

from propwatch.io.labels.semeval2020 import SpanLabel, read_tc

Key = tuple[str, int, int]


def _key(row: SpanLabel) -> Key:
    return row.article_id, row.span.start, row.span.end


def right_per_article(gold: list[SpanLabel], pred: Path) -> dict[str, tuple[int, int]]:
    """Per article: gold spans whose predicted technique is right, and gold spans."""
    predicted: dict[Key, set[str]] = defaultdict(set)
    for row in read_tc(pred):
        predicted[_key(row)].add(row.span.label)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in gold:
        counts[row.article_id][0] += row.span.label in predicted[_key(row)]
        counts[row.article_id][1] += 1
    return {article: (right, total) for article, (right, total) in counts.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("pred_a", type=Path)
    parser.add_argument("pred_b", type=Path)
    parser.add_argument("--samples", type=int, default=2000)
    args = parser.parse_args()
    gold = read_tc(args.gold)
    a, b = right_per_article(gold, args.pred_a), right_per_article(gold, args.pred_b)
    articles = sorted(a)
    counts = np.array([[a[k][0], b[k][0], a[k][1]] for k in articles], dtype=float)
    rng = np.random.default_rng(0)
    picks = rng.integers(0, len(articles), size=(args.samples, len(articles)))
    sums = counts[picks].sum(axis=1)  # samples x (right A, right B, gold spans)
    diffs = (sums[:, 1] - sums[:, 0]) / sums[:, 2]
    total = counts.sum(axis=0)
    share_a, share_b = total[0] / total[2], total[1] / total[2]
    print(f"right A {share_a:.4f}  B {share_b:.4f}  B - A {share_b - share_a:+.4f}")
    print(f"article bootstrap SE of B - A: {diffs.std():.4f} ({len(articles)} articles)")


if __name__ == "__main__":
    main()

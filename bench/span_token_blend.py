"""The token head's technique probabilities beside the span head's when a span is named.

A span's technique comes from the span head (mean/max/first states of the span, one MLP) and
the span calibration. The GRU token head also gives every token a probability per technique,
read over the whole article. This blends the two before the calibration, ``p ∝ p_head *
q^a`` with ``q`` the span tokens' mean technique probabilities (normalised), refits the
calibration on the held-out PTC articles (as ``propwatch train techniques`` fits it) for each
``a``, and scores the technique of every gold span (TC micro-F1: right labels over gold rows,
a span given twice takes the two most probable techniques):

- the held-out articles themselves, two-fold (calibration fitted on one half, scored on the
  other; five shuffles), which is where ``a`` would be chosen;
- the official dev set, paired with ``a = 0`` by an article bootstrap (``--model`` must not
  have seen it);
- with ``--fold-models OUT`` (a ``bench/checkthat_span_cv.py --token-head`` run), each fold
  model on its held-out third of the CheckThat! 2024 articles.

Usage::

    python bench/span_token_blend.py ../shared/data --model M [--fold-models OUT] [--folds 3]
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from checkthat_span_cv import folds
from propwatch.models.techniques.calibration import (
    EPSILON,
    SpanCalibration,
    calibration_inputs,
    recurrence_features,
)
from propwatch.models.techniques.heads import softmax
from propwatch.models.techniques.tagger import TechniqueTagger
from propwatch.training.techniques.calibration import L2, fit_towards_identity
from propwatch.training.techniques.data import (
    Corpus,
    load_checkthat2024,
    load_ptc2020,
    load_semeval2023,
)
from propwatch.training.techniques.fit import split_examples

BLENDS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
SCHEME = "scheme"  # the one scheme of each calibration fitted here
LOADERS = {"semeval2020": load_ptc2020, "semeval2023": load_semeval2023}


@dataclass
class Spans:
    """The gold spans of some articles with what the model says of each."""

    articles: list[str]
    bounds: list[tuple[int, int]]
    labels: NDArray[np.int64]
    head: NDArray[np.float32]  # span head's distribution
    tokens: NDArray[np.float32]  # mean token technique probabilities, normalised
    recurrence: NDArray[np.float32]

    def take(self, keep: set[str]) -> Spans:
        rows = [i for i, a in enumerate(self.articles) if a in keep]
        return Spans(
            [self.articles[i] for i in rows],
            [self.bounds[i] for i in rows],
            self.labels[rows],
            self.head[rows],
            self.tokens[rows],
            self.recurrence[rows],
        )


def read_spans(tagger: TechniqueTagger, corpus: Corpus, keys: Sequence[str], scheme: str) -> Spans:
    names = list(tagger.layout_.techniques[scheme])
    columns = tagger.layout_.technique_columns(scheme)
    articles, bounds, labels, head, tokens, recurrence = [], [], [], [], [], []
    for key in keys:
        text = corpus.texts[key]
        gold = [(s, e, t) for s, e, t in corpus.spans.get(key, []) if t in names]
        if not gold:
            continue
        encoded = tagger.encode(text)
        spans = [(s, e) for s, e, _t in gold]
        head.append(tagger.classify(text, spans, scheme, encoded, calibrated=False))
        recurrence.append(recurrence_features(text, spans))
        offsets, probs = encoded.tokens.offsets, encoded.probs[:, columns]
        for start, end in spans:
            hit = np.flatnonzero((offsets[:, 0] < end) & (offsets[:, 1] > start))
            mean = probs[hit].mean(axis=0) if hit.size else np.full(len(names), 1 / len(names))
            tokens.append(mean / mean.sum())
        articles += [key] * len(gold)
        bounds += spans
        labels += [names.index(t) for _s, _e, t in gold]
    return Spans(
        articles,
        bounds,
        np.asarray(labels, dtype=np.int64),
        np.concatenate(head),
        np.stack(tokens).astype(np.float32),
        np.concatenate(recurrence),
    )


def blended(spans: Spans, a: float) -> NDArray[np.float32]:
    logits = np.log(spans.head + EPSILON) + a * np.log(spans.tokens + EPSILON)
    return softmax(logits.astype(np.float32))


def calibrated(fit_on: Spans, score_on: Spans, a: float) -> NDArray[np.float32]:
    """``score_on``'s distributions through a calibration fitted on ``fit_on`` as
    ``propwatch train techniques`` fits it (towards the identity; techniques without a fitted
    example keep the head's probability) and applied as the tagger applies it."""
    n = fit_on.head.shape[1]
    rows = calibration_inputs(blended(fit_on, a), fit_on.recurrence)
    fitted = fit_towards_identity(rows, fit_on.labels, n, L2)
    unseen = ~np.isin(np.arange(n), fit_on.labels)
    calibration = SpanCalibration({SCHEME: fitted}, {SCHEME: unseen})
    return calibration.apply(SCHEME, blended(score_on, a), score_on.recurrence)


def right_per_article(spans: Spans, probs: NDArray[np.float32]) -> dict[str, list[int]]:
    """Per article: gold rows labelled right and gold rows (a span given k times takes its k
    most probable techniques, as ``propwatch classify`` fills a template)."""
    groups: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    for row, (article, bound) in enumerate(zip(spans.articles, spans.bounds, strict=True)):
        groups[(article, *bound)].append(row)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (article, _s, _e), rows in groups.items():
        top = list(np.argsort(-probs[rows[0]])[: len(rows)])
        for label in spans.labels[rows]:
            if label in top:
                top.remove(label)
                counts[article][0] += 1
        counts[article][1] += len(rows)
    return counts


def micro(counts: dict[str, list[int]], articles: Sequence[str]) -> float:
    return sum(counts[a][0] for a in articles) / max(1, sum(counts[a][1] for a in articles))


def paired(a: dict[str, list[int]], b: dict[str, list[int]], draws: int = 1000) -> float:
    """Standard error of micro(b) - micro(a) over article resamples."""
    keys = sorted(a)
    rng = np.random.default_rng(0)
    diffs = []
    for _ in range(draws):
        drawn = list(rng.choice(keys, len(keys)))
        diffs.append(micro(b, drawn) - micro(a, drawn))
    return float(np.std(diffs))


def report(name: str, fit_on: Spans, score_on: Spans) -> None:
    results = {a: right_per_article(score_on, calibrated(fit_on, score_on, a)) for a in BLENDS}
    keys = sorted(results[0.0])
    base = micro(results[0.0], keys)
    cells = []
    for a, counts in results.items():
        score, error = micro(counts, keys), paired(results[0.0], counts)
        cells.append(f"a={a}: {score:.3f} ({score - base:+.3f}, SE {error:.3f})")
    print(f"{name}: " + "; ".join(cells), flush=True)


def two_fold(name: str, spans: Spans) -> None:
    """TC of the held-out articles, the calibration fitted on the other half (5 shuffles)."""
    keys = sorted(set(spans.articles))
    line = []
    for a in BLENDS:
        scores = []
        for repeat in range(5):
            order = np.random.default_rng(repeat).permutation(keys)
            halves = [set(order[: len(keys) // 2]), set(order[len(keys) // 2 :])]
            counts: dict[str, list[int]] = {}
            for fit, test in (halves, halves[::-1]):
                part = spans.take(test)
                counts |= right_per_article(part, calibrated(spans.take(fit), part, a))
            scores.append(micro(counts, keys))
        line.append(f"a={a}: {np.mean(scores):.3f}")
    print(f"{name}, two-fold: " + "; ".join(line), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--model", type=Path, required=True, help="A model that never saw dev.")
    parser.add_argument("--fold-models", type=Path, help="OUT of checkthat_span_cv.py.")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--split-seed", type=int, default=13)
    args = parser.parse_args()
    _train, val = split_examples(list(load_ptc2020(args.data).texts), 0.15, args.split_seed)
    tagger = TechniqueTagger(model_dir=args.model).load()
    for scheme, load in LOADERS.items():
        held = read_spans(tagger, load(args.data), val, scheme)
        two_fold(f"{scheme} held-out", held)
        dev = load(args.data, "dev")
        report(f"{scheme} dev", held, read_spans(tagger, dev, sorted(dev.texts), scheme))
    if args.fold_models:
        corpus = load_checkthat2024(args.data)
        for k, keys in enumerate(folds(list(corpus.texts), args.folds, 0)):
            fold = TechniqueTagger(model_dir=args.fold_models / f"fold{k}" / "model").load()
            held = read_spans(fold, load_semeval2023(args.data), val, "semeval2023")
            report(f"CheckThat! fold {k}", held, read_spans(fold, corpus, keys, "semeval2023"))


if __name__ == "__main__":
    main()

"""The span head alone on gold spans, without the span calibration: run A against run B.

TC as ``bench/dev_bootstrap.py`` reports it goes through the span calibration, which every
refit fits on the held-out training articles' gold spans; on those articles TC is then partly
in-sample, and a change to the span head is seen through the calibration. This scores the head
itself: the SemEval-2020 technique of highest probability (``classify(calibrated=False)``) of
every gold span of the official dev set and of the held-out training articles (seed 13 split),
as the fraction right, with the paired article-bootstrap standard error of B - A. With
``--scheme semeval2023`` the 23 techniques of the same articles' SemEval-2023 spans, and also
the CheckThat! 2024 articles (2023-24 news), unless ``--trained-on-checkthat`` says a model
learnt from them.

Usage::

    python bench/span_head_accuracy.py ../shared/data RUN_A RUN_B [--samples 1000] \\
        [--scheme semeval2023 [--trained-on-checkthat]]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from propwatch.models.techniques.tagger import TechniqueTagger
from propwatch.training.techniques.data import CORPORA, Corpus, load_checkthat2024
from propwatch.training.techniques.fit import TrainSettings, split_articles


def hits(model: Path, corpus: Corpus, keys: list[str], scheme: str) -> NDArray[np.int64]:
    """Per article with gold spans: spans whose most probable technique is the gold one, and
    gold spans; shape (n_articles, 2)."""
    tagger = TechniqueTagger(model_dir=model, threads=2).load()
    rows = []
    for key in keys:
        spans = corpus.spans[key]
        if not spans:
            continue
        bounds = [(start, end) for start, end, _t in spans]
        probs = tagger.classify(corpus.texts[key], bounds, scheme, calibrated=False)
        names = [corpus.techniques[int(i)] for i in probs.argmax(1)]
        right = sum(name == t for name, (_s, _e, t) in zip(names, spans, strict=True))
        rows.append((right, len(spans)))
    return np.array(rows, dtype=np.int64)


def paired_accuracy(
    a: NDArray[np.int64], b: NDArray[np.int64], samples: int, rng: np.random.Generator
) -> tuple[float, float, float]:
    """Share of spans right for A and for B (rows: an article's right and total spans, the
    same articles in the same order), and the standard error of B - A over ``samples`` paired
    article resamples."""
    draws = rng.integers(0, len(a), size=(samples, len(a)))
    diffs = [b[d, 0].sum() / b[d, 1].sum() - a[d, 0].sum() / a[d, 1].sum() for d in draws]
    score_a, score_b = a[:, 0].sum() / a[:, 1].sum(), b[:, 0].sum() / b[:, 1].sum()
    return float(score_a), float(score_b), float(np.std(diffs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="Folder holding ptc2020/.")
    parser.add_argument("a", type=Path, help="Run folder of model A (holding model/).")
    parser.add_argument("b", type=Path, help="Run folder of model B.")
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument(
        "--trained-on-checkthat",
        action="store_true",
        help="A model saw the CheckThat! 2024 articles: do not score on them.",
    )
    parser.add_argument("--scheme", choices=sorted(CORPORA), default="semeval2020")
    args = parser.parse_args()
    load = CORPORA[args.scheme]
    dev, train = load(args.data, "dev"), load(args.data, "train")
    settings = TrainSettings()
    _train, held_out = split_articles(list(train.texts), settings.val_fraction, settings.seed)
    sets = {"dev": (dev, sorted(dev.texts)), "held-out": (train, held_out)}
    if args.scheme == "semeval2023" and not args.trained_on_checkthat:
        checkthat = load_checkthat2024(args.data)
        sets["checkthat"] = (checkthat, sorted(checkthat.texts))
    rng = np.random.default_rng(0)
    for name, (corpus, keys) in sets.items():
        a, b = (hits(run / "model", corpus, keys, args.scheme) for run in (args.a, args.b))
        score_a, score_b, error = paired_accuracy(a, b, args.samples, rng)
        print(
            f"{name:9s} {len(a)} articles, {a[:, 1].sum()} spans: A {score_a:.4f}  "
            f"B {score_b:.4f}  B - A {score_b - score_a:+.4f}  SE {error:.4f}"
        )


if __name__ == "__main__":
    main()

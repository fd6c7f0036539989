"""The span calibration fitted on 2023-24 news too: out-of-fold CheckThat! spans beside PTC's.

The span calibration (:mod:`propwatch.models.techniques.calibration`) is fitted on the gold
spans of 56 held-out PTC articles (2017-18). On the CheckThat! 2024 articles (2023-24 news) it
costs several points of TC against the span head alone (``bench/checkthat_span_cv.py`` prints
both), because it moves every answer towards the PTC articles' technique shares, and it leaves
the four techniques PTC-style labels never use as the head gives them. The CheckThat! articles
that the span head trains on cannot calibrate it (its answers on them are in-sample), but the
fold models of ``bench/checkthat_span_cv.py`` answer each CheckThat! article without having
seen it. This refits each fold model's SemEval-2023 calibration on

- its own answers on the held-out PTC articles (as ``propwatch train techniques`` does), and
- the answers of every *other* fold's model on that fold's held-out CheckThat! articles
  (out of fold; fold k's own articles are never used for fold k), as ``propwatch train
  techniques --calibration-folds`` does with its own refits,

then scores the fold model with it (SemEval-2023 TC micro-F1, the official scorer):

- on its held-out CheckThat! third, against the same model with its PTC-only calibration and
  with its span head alone;
- on the official dev set's SemEval-2023 spans, written as ``OUT/fold<k>/dev`` beside a copy
  of the run's own dev predictions, so that ``python bench/dev_bootstrap.py
  CV_OUT/fold<k>/dev OUT/fold<k>/dev`` gives the paired difference (only TC 2023 differs).

Usage::

    .venv/bin/python bench/checkthat_calibration.py ../shared/data CV_OUT OUT --folds 3
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import numpy as np

from checkthat_span_cv import folds, print_gain, tagger_tc
from propwatch.models.techniques.calibration import SpanCalibration
from propwatch.models.techniques.tagger import TechniqueTagger
from propwatch.training.techniques.calibration import Rows, fit_calibration
from propwatch.training.techniques.data import (
    load_checkthat2024,
    load_ptc2020,
    load_semeval2023,
)
from propwatch.training.techniques.fit import split_examples
from propwatch.training.techniques.out_of_fold import corpus_rows
from propwatch.training.techniques.run import HeldOut, held_out
from propwatch.training.techniques.validate import gold_rows, write_classified

SCHEME = "semeval2023"


def refit_calibration(tagger: TechniqueTagger, part: HeldOut, checkthat: list[Rows]) -> None:
    """Replace the tagger's SemEval-2023 calibration by one fitted on the held-out PTC
    articles ``part`` and the given CheckThat! rows, as ``--calibration-folds`` fits it."""
    rows = (np.concatenate([r[0] for r in checkthat]), np.concatenate([r[1] for r in checkthat]))
    fitted = fit_calibration(
        tagger, {SCHEME: (part.texts, part.gold)}, {SCHEME: part.encoded}, extra={SCHEME: rows}
    )
    old = tagger.calibration_ or SpanCalibration({})
    tagger.calibration_ = SpanCalibration(
        {**old.weights, **fitted.weights}, {**old.unseen, **fitted.unseen}
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="Folder holding checkthat2024-en/ and ptc2020/.")
    parser.add_argument("runs", type=Path, help="OUT of bench/checkthat_span_cv.py.")
    parser.add_argument("out", type=Path, help="Folder for predictions and summary.json.")
    parser.add_argument("--folds", type=int, default=2, help="As given to that bench.")
    parser.add_argument("--seed", type=int, default=0, help="As given to that bench.")
    parser.add_argument("--split-seed", type=int, default=13, help="Its refits' split seed.")
    args = parser.parse_args()
    corpus = load_checkthat2024(args.data)
    parts = folds(list(corpus.texts), args.folds, args.seed)
    taggers = [
        TechniqueTagger(model_dir=args.runs / f"fold{k}" / "model").load()
        for k in range(len(parts))
    ]
    out_of_fold = [
        corpus_rows(t, corpus, part, SCHEME) for t, part in zip(taggers, parts, strict=True)
    ]
    keys = list(load_ptc2020(args.data).texts)  # the split is drawn over these, as in training
    _train, val = split_examples(keys, 0.15, args.split_seed)
    dev = load_semeval2023(args.data, "dev")
    dev_gold = gold_rows(dev, sorted(dev.texts))
    rows = []
    for k, (tagger, held) in enumerate(zip(taggers, parts, strict=True)):
        folder = args.out / f"fold{k}"
        scores = {"ptc": tagger_tc(tagger, corpus, held, SCHEME, folder / "ct-ptc.tsv")}
        calibration, tagger.calibration_ = tagger.calibration_, None
        scores["head"] = tagger_tc(tagger, corpus, held, SCHEME, folder / "ct-head.tsv")
        tagger.calibration_ = calibration
        part = held_out(tagger, args.data, val, [SCHEME])[SCHEME]
        refit_calibration(tagger, part, [r for j, r in enumerate(out_of_fold) if j != k])
        scores["ptc+checkthat"] = tagger_tc(tagger, corpus, held, SCHEME, folder / "ct-both.tsv")
        shutil.copytree(args.runs / f"fold{k}" / "dev", folder / "dev", dirs_exist_ok=True)
        write_classified(tagger, dev.texts, dev_gold, SCHEME, folder / "dev" / "tc-2023.tsv")
        rows.append(scores)
        print(f"fold {k}: CheckThat! TC " + ", ".join(f"{n} {v:.4f}" for n, v in scores.items()))
    for a, b in (("ptc", "ptc+checkthat"), ("head", "ptc+checkthat")):
        print_gain(f"CheckThat! TC, {a} -> {b}", [row[b] - row[a] for row in rows])
    (args.out / "summary.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()

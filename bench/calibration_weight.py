"""How much of the span calibration to apply: TC on the dev set and on 2023-24 news.

The span calibration (:mod:`propwatch.models.techniques.calibration`) is fitted on held-out PTC
articles and moves every answer towards their technique shares: it helps on the PTC dev set and
costs several points on the CheckThat! 2024 articles (see the README). This scores a model with
the calibration applied in part, the technique distribution being

    p  proportional to  p_head ** (1 - w) * p_calibrated ** w

for each weight ``w`` (0: the span head alone, 1: the model as it is), as SemEval TC micro-F1
on the gold spans of

- the official dev set, SemEval-2020 and SemEval-2023 techniques (``--model``);
- each held-out third of the CheckThat! articles, with the fold models of
  ``bench/checkthat_span_cv.py`` (``--checkthat-runs OUT``, the folder that bench wrote; its
  ``--folds`` and ``--seed`` must be given again), and the mean over the folds;
- every CheckThat! article, with a model that never trained on them (``--checkthat-model``,
  e.g. the shipped one).

Usage::

    .venv/bin/python bench/calibration_weight.py ../shared/data --model RUN/model \\
        [--checkthat-runs CV_OUT --folds 3] [--checkthat-model DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from checkthat_span_cv import folds, tagger_tc
from propwatch.models.techniques.tagger import TechniqueTagger
from propwatch.training.techniques.data import (
    Corpus,
    load_checkthat2024,
    load_ptc2020,
    load_semeval2023,
)

WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)


def weighted_tagger(model: Path, weight: float) -> TechniqueTagger:
    tagger = TechniqueTagger(model_dir=model).load()
    if tagger.calibration_ is not None:
        tagger.calibration_ = dataclasses.replace(tagger.calibration_, weight=weight)
    return tagger


def tc(tagger: TechniqueTagger, corpus: Corpus, keys: Sequence[str], scheme: str) -> float:
    """Official TC micro-F1 of the tagger on the gold spans of ``keys``, rounded."""
    with tempfile.TemporaryDirectory() as folder:
        return round(tagger_tc(tagger, corpus, keys, scheme, Path(folder) / "tc.tsv"), 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="Folder holding ptc2020/, semeval2023-en/.")
    parser.add_argument("--model", type=Path, required=True, help="Model folder scored on dev.")
    parser.add_argument("--checkthat-runs", type=Path, help="OUT of bench/checkthat_span_cv.py.")
    parser.add_argument("--checkthat-model", type=Path, help="A model that never saw CheckThat!.")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    dev = {
        "semeval2020": load_ptc2020(args.data, "dev"),
        "semeval2023": load_semeval2023(args.data, "dev"),
    }
    # read once: the loop below scores every weight on the same articles
    checkthat = (
        load_checkthat2024(args.data) if args.checkthat_runs or args.checkthat_model else None
    )
    report: dict[str, dict[str, object]] = {}
    for weight in WEIGHTS:
        tagger = weighted_tagger(args.model, weight)
        row: dict[str, object] = {
            f"dev_tc_{scheme[-4:]}": tc(tagger, corpus, list(corpus.texts), scheme)
            for scheme, corpus in dev.items()
        }
        if args.checkthat_runs and checkthat is not None:
            held = folds(list(checkthat.texts), args.folds, args.seed)
            scores = [
                tc(
                    weighted_tagger(args.checkthat_runs / f"fold{i}" / "model", weight),
                    checkthat,
                    keys,
                    "semeval2023",
                )
                for i, keys in enumerate(held)
            ]
            row["checkthat_tc_folds"] = scores
            row["checkthat_tc_mean"] = round(float(np.mean(scores)), 4)
        if args.checkthat_model and checkthat is not None:
            tagger = weighted_tagger(args.checkthat_model, weight)
            row["checkthat_tc"] = tc(tagger, checkthat, list(checkthat.texts), "semeval2023")
        report[str(weight)] = row
        print(weight, json.dumps(row), flush=True)


if __name__ == "__main__":
    main()

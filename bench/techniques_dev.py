"""Scores of a technique model on the official dev set, with the official-equivalent scorers.

The dev set is the SemEval-2020 Task 11 dev set (75 articles, ``ptc2020/dev-*``) and the same
articles' SemEval-2023 span labels (``semeval2023-en/dev-ptc2020``). Neither is in the training
folders, and ``propwatch train techniques`` tunes its thresholds on a split of the training
articles, so these scores are not tuned on the articles they are reported on; they are the
yardstick for choosing between models. Writes predictions, gold subsets and scores to OUT and
prints the headline metrics (with per-technique tables under ``OUT/scores.json``).

``--checkthat`` scores the published CLEF CheckThat! 2024 articles (2023-24 news, SemEval-2023
techniques) the same way, into ``OUT/checkthat``: another time and annotation round than the
PTC articles, for models that did not train on them. ``bench/dev_bootstrap.py`` pairs two runs'
``OUT/checkthat`` folders as it pairs their dev folders.

``--calibration-weight W`` scores the model with its span calibration applied in part (see
:mod:`propwatch.models.techniques.calibration`): a copy of the model folder in ``OUT/model``
whose calibration carries that weight.

Usage::

    .venv/bin/python bench/techniques_dev.py ../shared/data OUT [--model DIR] [--checkthat] \
        [--calibration-weight W]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
from pathlib import Path

from propwatch.models.techniques import DEFAULT_MODEL_DIR
from propwatch.models.techniques.calibration import FILE_NAME as CALIBRATION_FILE
from propwatch.models.techniques.calibration import SpanCalibration
from propwatch.training.techniques.validate import (
    trained_on_dev,
    validate_checkthat,
    validate_dev,
)


def with_calibration_weight(source: Path, target: Path, weight: float) -> Path:
    """A copy of the model folder ``source`` at ``target`` whose calibration has ``weight``."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    calibration = SpanCalibration.load(source / CALIBRATION_FILE)
    dataclasses.replace(calibration, weight=weight).save(target / CALIBRATION_FILE)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="Folder holding ptc2020/ and semeval2023-en/.")
    parser.add_argument("out", type=Path, help="Folder for predictions, gold files and scores.")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--checkthat", action="store_true", help="Score CheckThat! 2024 too.")
    parser.add_argument("--calibration-weight", type=float, help="Apply the calibration in part.")
    args = parser.parse_args()
    if args.calibration_weight is not None:
        args.model = with_calibration_weight(
            args.model, args.out / "model", args.calibration_weight
        )
    if trained_on_dev(args.model):
        print(f"{args.model} trained on the dev set: its dev scores are in-sample", file=sys.stderr)
    scores = validate_dev(args.model, args.data, args.out)
    if scores is None:
        raise SystemExit(f"no dev set under {args.data} (ptc2020/dev-articles)")
    if args.checkthat:
        checkthat = validate_checkthat(args.model, args.data, args.out / "checkthat")
        if checkthat is None:
            raise SystemExit(f"no CheckThat! 2024 articles under {args.data}")
        scores["checkthat2024"] = checkthat["semeval2023"]
    (args.out / "scores.json").write_text(json.dumps(scores, indent=2) + "\n")
    headline = {s: {k: v["metrics"] for k, v in found.items()} for s, found in scores.items()}
    print(json.dumps({"model": str(args.model), **headline}, indent=2))


if __name__ == "__main__":
    main()

"""Validation scores of a technique model on the held-out split of ``propwatch train techniques``.

``propwatch train techniques`` scores the model it trains; this scores any model folder (by
default the shipped one) on the same held-out articles (15% of the PTC training articles, seeded
shuffle, seed 13), e.g. after a change to decoding. Writes the predictions, the gold files and
the scores to OUT, and prints the headline metrics as JSON.

Usage::

    .venv/bin/python bench/techniques_validation.py ../shared/data OUT [--model DIR]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from propwatch.models.techniques import DEFAULT_MODEL_DIR
from propwatch.models.techniques.train.data import CORPORA
from propwatch.models.techniques.train.fit import TrainSettings, split_articles
from propwatch.models.techniques.train.validate import validate

SCHEMES = ["semeval2020", "semeval2023"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="Folder holding ptc2020/ and semeval2023-en/.")
    parser.add_argument("out", type=Path, help="Folder for predictions, gold files and scores.")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    args = parser.parse_args()
    settings = TrainSettings()
    keys = list(CORPORA[SCHEMES[0]](args.data).texts)
    _train, val = split_articles(keys, settings.val_fraction, settings.seed)
    scores = validate(args.model, args.data, val, SCHEMES, args.out)
    (args.out / "scores.json").write_text(json.dumps(scores, indent=2) + "\n")
    headline = {s: {k: v["metrics"] for k, v in found.items()} for s, found in scores.items()}
    print(json.dumps({"val_articles": len(val), **headline}, indent=2))


if __name__ == "__main__":
    main()

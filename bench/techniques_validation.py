"""Validation scores of a technique model on the held-out split of ``propwatch train techniques``.

``propwatch train techniques`` scores the model it trains; this scores any model folder (by
default the shipped one) on the same held-out articles (15% of the PTC training articles, seeded
shuffle, seed 13), e.g. after a change to decoding. Writes the predictions, the gold files and
the scores to OUT, and prints the headline metrics as JSON.

The model's thresholds were tuned on these same articles, so its scores are optimistic.
``--cross-tune`` adds an SI F1 whose span thresholds never saw the articles they decode: each
half of the validation articles is decoded with the span limits tuned on the other half.

Usage::

    .venv/bin/python bench/techniques_validation.py ../shared/data OUT [--model DIR] [--cross-tune]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from propwatch.eval.si import score_si
from propwatch.models.techniques import DEFAULT_MODEL_DIR, TechniqueTagger
from propwatch.training.techniques.data import CORPORA
from propwatch.training.techniques.fit import TrainSettings, split_articles
from propwatch.training.techniques.tune import decode_spans, gold_labels, tune_spans
from propwatch.training.techniques.validate import validate

SCHEMES = ["semeval2020", "semeval2023"]


def cross_tuned_si(model: Path, data: Path, val: list[str]) -> dict[str, Any]:
    """SI scores of all ``val`` articles, each half decoded with limits tuned on the other."""
    tagger = TechniqueTagger(model_dir=model).load()
    corpus = CORPORA["semeval2020"](data)
    encoded = {key: tagger.encode(corpus.texts[key]) for key in val}
    halves = [val[0::2], val[1::2]]
    predicted, chosen = [], []
    for tune_on, decode in (halves, halves[::-1]):
        limits, _f1 = tune_spans(
            tagger,
            {k: corpus.texts[k] for k in tune_on},
            {k: encoded[k] for k in tune_on},
            {k: corpus.spans[k] for k in tune_on},
            "semeval2020",
        )
        chosen.append(limits)
        texts = {k: corpus.texts[k] for k in decode}
        predicted += decode_spans(tagger, texts, encoded, "semeval2020", limits)
    score = score_si(predicted, gold_labels({k: corpus.spans[k] for k in val}))
    return {"metrics": score.metrics, "limits_per_half": chosen}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="Folder holding ptc2020/ and semeval2023-en/.")
    parser.add_argument("out", type=Path, help="Folder for predictions, gold files and scores.")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--cross-tune", action="store_true", help="Also SI, cross-tuned.")
    args = parser.parse_args()
    settings = TrainSettings()
    keys = list(CORPORA[SCHEMES[0]](args.data).texts)
    _train, val = split_articles(keys, settings.val_fraction, settings.seed)
    scores = validate(args.model, args.data, val, SCHEMES, args.out)
    (args.out / "scores.json").write_text(json.dumps(scores, indent=2) + "\n")
    headline = {s: {k: v["metrics"] for k, v in found.items()} for s, found in scores.items()}
    if args.cross_tune:
        headline["semeval2020_si_cross_tuned"] = cross_tuned_si(args.model, args.data, val)
    print(json.dumps({"val_articles": len(val), **headline}, indent=2))


if __name__ == "__main__":
    main()

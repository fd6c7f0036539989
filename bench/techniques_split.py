"""FLC F1 of a technique model for each "technique" threshold: how it was chosen, what it gives.

Inside every span run, fragments whose own probability of another technique passes the
model's ``"technique"`` threshold become spans of that technique too (several techniques per
fragment, see ``TechniqueTagger.detect``). ``propwatch train techniques`` chooses the value on
the held-out training articles (seeded 15% split, where the span thresholds are tuned too);
this script prints the FLC F1 of every value there and on the official dev set, which is only
reported, never chosen on. ``none`` is one technique per run (the decoding before 6 Dec 2026).

Usage::

    nice .venv/bin/python bench/techniques_split.py ../shared/data [--model DIR]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from propwatch.models.techniques import DEFAULT_MODEL_DIR, TechniqueTagger
from propwatch.training.techniques.data import CORPORA
from propwatch.training.techniques.fit import TrainSettings, split_examples
from propwatch.training.techniques.tune import split_scores


def scores_on(
    tagger: TechniqueTagger, data: Path, split: str, keys: list[str] | None
) -> dict[str, dict[str, float]]:
    """FLC F1 per scheme and threshold on the ``keys`` articles of ``split`` (all if None)."""
    out = {}
    for scheme in tagger.layout_.schemes:
        corpus = CORPORA[scheme](data, split)
        chosen = sorted(corpus.texts) if keys is None else keys
        texts = {key: corpus.texts[key] for key in chosen}
        encoded = {key: tagger.encode(text) for key, text in texts.items()}
        gold = {key: corpus.spans[key] for key in chosen}
        found = split_scores(tagger, texts, encoded, gold, scheme, tagger.limits(scheme))
        out[scheme] = {str(value).lower(): round(f1, 4) for value, f1 in found.items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="Folder holding ptc2020/ and semeval2023-en/.")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    args = parser.parse_args()
    tagger = TechniqueTagger(model_dir=args.model).load()
    settings = TrainSettings()
    keys = list(CORPORA["semeval2020"](args.data).texts)
    _train, held_out = split_examples(keys, settings.val_fraction, settings.seed)
    report = {
        "model": str(args.model),
        "shipped_value": {s: tagger.limits(s).get("technique") for s in tagger.layout_.schemes},
        "held_out_training_articles": scores_on(tagger, args.data, "train", held_out),
        "dev": scores_on(tagger, args.data, "dev", None),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

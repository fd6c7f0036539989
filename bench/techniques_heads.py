"""Compare encoders or training data under one cheaper head refit, scored on the official dev set.

``propwatch train techniques --from-model DIR`` fits three bidirectional GRU token heads of 12
epochs each on the encoder's states (hours on a busy 2-core machine). To compare two encoders
(the fine-tuned MiniLM against the fine-tuned MPNet teacher) or an extra corpus against none,
this refits every model's heads in the same cheaper way: ``--members`` GRUs of ``--epochs``
epochs (default one of four), the span head as usual, thresholds tuned on the held-out training
articles, then prints the dev scores (``OUT/val/report.json`` keeps them all). The figures are
for comparing runs of this script with each other, not with the shipped model's.

``--epochs 0`` leaves the token head untrained: SI, FLC and paragraph scores mean nothing then,
but TC (the span head on the gold spans) is the same as with a trained token head, at a small
part of the cost. ``--soft-spans DIR`` adds a teacher's spans of unlabelled news to the span
head's refit (``bench/teacher_spans.py`` writes them; weighed by ``--soft-span-weight``).
``held_out_tc`` is TC on the held-out training articles.

Usage::

    python bench/techniques_heads.py ../shared/data OUT \\
        --model src/propwatch/data/models/techniques [--extra memes2021] [--epochs 0] \\
        [--soft-spans DIR --soft-span-weight 1.0]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from propwatch.training.techniques.fit import TrainSettings
from propwatch.training.techniques.run import refit_model


def official(score: dict[str, object]) -> float:
    metrics = score["metrics"]
    assert isinstance(metrics, dict)
    return round(float(metrics[str(score["official"])]), 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="Folder holding ptc2020/ and semeval2023-en/.")
    parser.add_argument("out", type=Path, help="Output folder (model, val, dev).")
    parser.add_argument("--model", type=Path, required=True, help="Model whose encoder is kept.")
    parser.add_argument("--extra", action="append", default=[], help="Extra corpus name.")
    parser.add_argument("--members", type=int, default=1, help="GRU token heads.")
    parser.add_argument("--epochs", type=int, default=4, help="Epochs of each GRU.")
    parser.add_argument("--soft-spans", default="", help="A teacher's span labels.")
    parser.add_argument("--soft-span-weight", type=float, default=1.0)
    args = parser.parse_args()
    settings = TrainSettings(
        extra=tuple(args.extra),
        head_members=args.members,
        head_epochs=args.epochs,
        soft_spans=args.soft_spans,
        soft_span_weight=args.soft_span_weight,
    )
    report = refit_model(args.data, args.model, args.out, settings)
    dev = report["dev_scores"]
    print(
        json.dumps(
            {
                "model": str(args.model),
                "extra": args.extra,
                "members": args.members,
                "epochs": args.epochs,
                "soft_spans": args.soft_spans,
                "soft_span_weight": args.soft_span_weight,
                "held_out_tc": official(report["scores"]["semeval2020"]["tc"]),
                "semeval2020": {k: official(v) for k, v in dev["semeval2020"].items()},
                "semeval2023": {k: official(v) for k, v in dev["semeval2023"].items()},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

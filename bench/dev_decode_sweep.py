"""One decoding setting swept over the dev cross-validation's fold models, without refitting.

``bench/dev_cv.py`` leaves one model per fold (``OUT/fold<k>/model``), each of whose heads
never saw its fold's dev articles. Here every fold model decodes its held-out third again with
one setting of its ``config.json`` thresholds changed in both schemes (``span``, ``max_gap``,
``min_tokens``, ``technique``), and the thirds are pooled and scored as ``dev_cv`` pools them:
one line of official scores per value; ``python bench/dev_bootstrap.py SWEEP/<setting>-<a>/pooled
SWEEP/<setting>-<b>/pooled`` gives a difference's standard error. The best of several values
is chosen on these articles, so its gain is optimistic: confirm it on the other partition
(``dev_cv.py --seed 1``) before trusting it.

Usage::

    python bench/dev_decode_sweep.py ../shared/data DEV_CV_OUT SWEEP max_gap 0,2,4,8 [--seed 0]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from checkthat_span_cv import folds
from dev_cv import pool, scores
from propwatch.training.techniques.data import CORPORA
from propwatch.training.techniques.validate import validate

SETTINGS = ("span", "max_gap", "min_tokens", "technique")


def with_setting(source: Path, target: Path, setting: str, value: float) -> Path:
    """A model folder at ``target``: ``source``'s files linked, its config with ``value``."""
    target.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.name != "config.json" and not (target / path.name).exists():
            (target / path.name).symlink_to(path.resolve())
    config = json.loads((source / "config.json").read_text(encoding="utf-8"))
    for limits in config["thresholds"].values():
        limits[setting] = value
    (target / "config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="Folder holding ptc2020/ and semeval2023-en/.")
    parser.add_argument("runs", type=Path, help="OUT of a finished bench/dev_cv.py run.")
    parser.add_argument("out", type=Path)
    parser.add_argument("setting", choices=SETTINGS)
    parser.add_argument("values", help="Comma-separated values, e.g. 0,2,4,8 or 0.25,0.3.")
    parser.add_argument("--seed", type=int, default=0, help="The dev_cv run's --seed.")
    args = parser.parse_args()
    keys = sorted(CORPORA["semeval2020"](args.data, "dev").texts)
    held_folds = folds(keys, len(list(args.runs.glob("fold*"))), args.seed)
    cast = int if args.setting in ("max_gap", "min_tokens") else float
    for value in (cast(v) for v in args.values.split(",")):
        parts = []
        for index, held in enumerate(held_folds):
            folder = args.out / f"{args.setting}-{value}" / f"fold{index}"
            source = args.runs / f"fold{index}" / "model"
            model = with_setting(source, folder / "model", args.setting, value)
            if not (folder / "held" / "articles.txt").is_file():
                validate(model, args.data, held, list(CORPORA), folder / "held", split="dev")
            parts.append(folder / "held")
        pooled = pool(parts, args.out / f"{args.setting}-{value}" / "pooled")
        found = {measure: row["score"] for measure, row in scores(pooled).items()}
        print(json.dumps({args.setting: value, **found}), flush=True)


if __name__ == "__main__":
    main()

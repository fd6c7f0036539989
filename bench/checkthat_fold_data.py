"""A data folder without one fold of the CheckThat! 2024 articles, for whole training runs.

``bench/checkthat_span_cv.py`` refits heads on all but one fold of the CheckThat! articles and
scores the fold it left out. To measure what those articles add to the *encoder* (a whole
``propwatch train techniques --extra checkthat2024`` run), the run must not see the fold: this
links every entry of DATA into OUT except ``checkthat2024-en``, whose articles and label files
it links only outside fold ``--fold`` (the same folds: a seeded shuffle, seed 0).

Usage::

    python bench/checkthat_fold_data.py ../shared/data OUT --fold 0 [--folds 3]
    propwatch train techniques --data OUT --out RUN --extra checkthat2024 ...
    python bench/checkthat_fold_data.py ../shared/data OUT --fold 0 --score RUN/model
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from checkthat_span_cv import folds, span_scores, tc
from propwatch.training.techniques.data import load_checkthat2024

FOLDER = "checkthat2024-en"
PARTS = ("articles", "labels-subtask-3-spans")


def link_without(data: Path, out: Path, held: set[str]) -> int:
    """Link ``data`` into ``out`` without the CheckThat! articles ``held``; articles kept."""
    out.mkdir(parents=True, exist_ok=True)
    for entry in data.iterdir():
        if entry.name != FOLDER and not (out / entry.name).exists():
            (out / entry.name).symlink_to(entry.resolve())
    kept = 0
    for part in PARTS:
        (out / FOLDER / part).mkdir(parents=True, exist_ok=True)
        for path in sorted((data / FOLDER / part).iterdir()):
            key = path.name.removeprefix("article").split("-")[0].removesuffix(".txt")
            target = out / FOLDER / part / path.name
            if key not in held and not target.exists():
                target.symlink_to(path.resolve())
                kept += part == "articles"
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="Folder holding checkthat2024-en/.")
    parser.add_argument("out", type=Path, help="The data folder to make.")
    parser.add_argument("--fold", type=int, default=0)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--score", type=Path, help="A model trained on OUT: score the fold.")
    args = parser.parse_args()
    corpus = load_checkthat2024(args.data)
    held = folds(list(corpus.texts), args.folds, 0)[args.fold]
    if args.score is None:
        kept = link_without(args.data, args.out, set(held))
        print(f"{args.out}: fold {args.fold} ({len(held)} articles) left out, {kept} kept")
        return
    where = args.score.parent / f"checkthat-fold{args.fold}"
    scores = span_scores(args.score, corpus, held, where / "pipeline")
    scores["tc"] = tc(args.score, corpus, held, where, calibrated=True)
    scores["tc_head"] = tc(args.score, corpus, held, where, calibrated=False)
    print(json.dumps(scores))


if __name__ == "__main__":
    main()

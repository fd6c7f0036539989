"""What the official dev set's articles are worth as training data, cross-validated over them.

``propwatch train techniques --with-dev`` trains on the 75 dev articles too (both schemes). Such
a model has no dev score, so what they add is measured here, with every dev article scored by a
model that never saw it:

- **base**: the heads of ``--model`` refitted as ``propwatch train techniques --from-model``
  does (``--members`` GRUs of ``--epochs`` passes, or only the span head with
  ``--span-head-only``), on the training articles alone; scored on the whole dev set;
- **fold k**: the same refit with the dev articles outside fold k added to the training
  articles (never held out: the thresholds and the calibration are still tuned on the held-out
  training articles); scored on fold k.

The folds' predictions are pooled into ``OUT/pooled`` (the layout of ``bench/techniques_dev.py``)
and both runs are scored with the official scorers (printed; ``OUT/summary.json`` adds the
per-technique rows); ``python bench/dev_bootstrap.py OUT/base OUT/pooled`` gives each
difference's standard error by paired article bootstrap.

Usage::

    nohup nice .venv/bin/python bench/dev_cv.py ../shared/data /work/runs/dev-cv \\
        [--model DIR] [--folds 3] [--members 1 --epochs 4] [--span-head-only] \\
        [--soft-labels runs/teacher-labels --soft-share 0.5] > dev-cv.log &

With ``--soft-labels`` every refit's token heads also learn from the teacher's labels (token-head
distillation); compare its ``pooled`` with a run without them over the same ``--seed``.

``--model`` must be a model whose heads never saw the dev set (refits start from its heads);
one trained with ``--with-dev`` is refused. Finished runs are kept under OUT and reused, so an
interrupted call can be repeated.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from checkthat_span_cv import fold_parser, folds
from dev_bootstrap import MEASURES
from propwatch.eval.result import EvalOptions
from propwatch.eval.runner import evaluate
from propwatch.schemes import load_scheme
from propwatch.training.techniques.data import CORPORA
from propwatch.training.techniques.fit import (
    DEV_CORPUS,
    EXTRA_SEPARATOR,
    TrainSettings,
    dev_examples,
)
from propwatch.training.techniques.run import refit_model
from propwatch.training.techniques.validate import trained_on_dev, validate


def refit(args: argparse.Namespace, out: Path, added_keys: list[str]) -> Path:
    """The model folder of one refit with the dev articles ``added_keys``, made unless ``out``
    holds a finished one."""
    if (out / "val" / "report.json").is_file():
        return out / "model"
    settings = TrainSettings(
        extra=tuple(args.extra),
        head_members=args.members,
        head_epochs=args.epochs,
        span_head_only=args.span_head_only,
        soft_labels=str(args.soft_labels or ""),
        soft_share=args.soft_share,
    )
    dev = dev_examples(args.data, list(CORPORA), args.model / "tokenizer.json")
    added = {k: dev[k] for k in (f"{DEV_CORPUS}{EXTRA_SEPARATOR}{key}" for key in added_keys)}
    refit_model(args.data, args.model, out, settings, added)
    return out / "model"


def pool(parts: list[Path], out: Path) -> Path:
    """The fold folders' prediction and gold files, concatenated into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    names = {"articles.txt", *(f for _k, pred, gold, _s in MEASURES.values() for f in (pred, gold))}
    for name in names:
        if all((part / name).is_file() for part in parts):
            text = "".join((part / name).read_text(encoding="utf-8") for part in parts)
            (out / name).write_text(text, encoding="utf-8")
    return out


def scores(folder: Path) -> dict[str, dict[str, Any]]:
    """Every measure of a folder of predictions (those it has files for), official scorers:
    the official score and the per-technique rows."""
    articles = tuple((folder / "articles.txt").read_text(encoding="utf-8").split())
    found = {}
    for measure, (kind, pred, gold, scheme) in MEASURES.items():
        if not (folder / pred).is_file():
            continue
        options = EvalOptions(
            articles=articles if kind in ("si", "flc") else None,
            classes=tuple(load_scheme(scheme).names) if scheme else None,
        )
        result = evaluate(kind, folder / pred, folder / gold, options).to_dict()
        found[measure] = {
            "score": round(float(result["metrics"][result["official"]]), 4),
            "per_label": result["per_label"],
        }
    return found


def main() -> None:
    parser = fold_parser(
        __doc__.splitlines()[0], "Folder holding ptc2020/ and semeval2023-en/.", folds=3
    )
    parser.add_argument("--members", type=int, default=1, help="GRU token heads.")
    parser.add_argument("--epochs", type=int, default=4, help="Passes of each GRU.")
    parser.add_argument("--span-head-only", action="store_true", help="Keep the token head.")
    parser.add_argument(
        "--soft-labels",
        type=Path,
        help="Teacher labels the GRU token heads also learn from (as propwatch train "
        "techniques --from-model ... --soft-labels does), in every refit, base included.",
    )
    parser.add_argument("--soft-share", type=float, default=1.0, help="With --soft-labels.")
    args = parser.parse_args()
    if trained_on_dev(args.model):  # every refit starts from its heads, which saw the dev set
        raise SystemExit(f"{args.model} was trained on the dev set: give a model that was not")
    keys = sorted(CORPORA["semeval2020"](args.data, "dev").texts)
    refit(args, args.out / "base", [])  # its run scores it on the whole dev set (base/dev)
    held_parts = []
    for index, held in enumerate(folds(keys, args.folds, args.seed)):
        model = refit(args, args.out / f"fold{index}", [k for k in keys if k not in held])
        held_dir = args.out / f"fold{index}" / "held"
        if not (held_dir / "articles.txt").is_file():
            validate(model, args.data, held, list(CORPORA), held_dir, split="dev")
        held_parts.append(held_dir)
    pooled = pool(held_parts, args.out / "pooled")
    runs = {"base": scores(args.out / "base" / "dev"), "pooled_folds": scores(pooled)}
    report: dict[str, Any] = {
        **{run: {m: v["score"] for m, v in found.items()} for run, found in runs.items()},
        "settings": {k: v for k, v in vars(args).items() if k not in ("data", "out", "model")},
    }
    print(json.dumps(report, indent=2))
    report["per_label"] = {
        run: {m: v["per_label"] for m, v in found.items()} for run, found in runs.items()
    }
    (args.out / "summary.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()

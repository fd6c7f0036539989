"""What the CheckThat! 2024 articles teach the span head, cross-validated over those articles.

The shipped model cannot name four SemEval-2023 techniques that only the CheckThat! 2024 news
articles (2023-24, ``checkthat2024-en``) carry in English, Questioning_the_Reputation among them
(about a third of their spans). The official dev set (PTC articles of 2017-18) has none of the
four, so it cannot show what those articles add; this bench does, by k-fold cross-validation
over the 46 well-aligned CheckThat! articles:

- **base**: the span head of ``--model`` refitted as ``propwatch train techniques --from-model
  --span-head-only`` does (with ``--soft-spans`` when given), without CheckThat! articles;
- **fold k**: the same refit with the CheckThat! articles outside fold k added to the training
  articles (never held out for tuning, as ``--extra checkthat2024`` and ``--annotations`` add
  theirs);
- **model**: ``--model`` itself, unchanged (the shipped model by default), for reference.

``--extra`` adds other one-scheme corpora to base and every fold alike, ``--with-dev`` the
official dev set's articles (as ``propwatch train techniques --with-dev``; the runs then have
no dev scores).

Every model labels the gold spans of each held-out fold (SemEval-2023 TC: micro-F1 = the share
of gold span labels named, as the official TC scorer counts it), with its span head alone and
through its span calibration; base is scored on every fold.
The token head is the model's own in every run (only the span head, whose task TC is, is
refitted), so the dev scores of every run (``dev_scores`` in
``OUT/<run>/val/report.json``) show what the added articles cost on the older news.

``--token-head`` refits the token head too (``--members`` GRUs of ``--epochs`` passes, as
``bench/dev_cv.py`` does), in base and every fold alike, so that the CheckThat! articles also
teach where spans begin and end; each model then also runs the whole pipeline on each held-out
fold, scored as the SemEval-2023 spans are (SI, FLC; ``OUT/<run>/ct-fold<k>/pipeline``).
``--jobs 2`` makes two refits at a time (one thread each). ``--model-as-base`` takes ``--model``
itself as base where its heads were fitted by the same recipe and seed without CheckThat!
articles, and ``--only-fold K`` makes and scores fold K alone (both to save hours of refits).

Usage::

    nohup nice .venv/bin/python bench/checkthat_span_cv.py ../shared/data /work/runs/ct-cv \\
        --soft-spans /work/runs/spandistil/spans --soft-span-weight 0.5 > ct-cv.log 2>&1 &

Finished runs are kept under OUT and reused, so an interrupted call can be repeated.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import torch

from propwatch.eval.runner import evaluate
from propwatch.models.techniques.layout import Layout
from propwatch.models.techniques.tagger import TechniqueTagger
from propwatch.models.techniques.windows import load_tokenizer
from propwatch.training.techniques.data import Corpus, encode_article, load_checkthat2024
from propwatch.training.techniques.fit import EXTRA_SEPARATOR, TrainSettings
from propwatch.training.techniques.run import refit_model
from propwatch.training.techniques.validate import (
    gold_rows,
    validate_semeval2023,
    write_classified,
    write_rows,
)

SCHEME = "semeval2023"
SHIPPED = Path(__file__).resolve().parents[1] / "src/propwatch/data/models/techniques"


def folds(keys: list[str], k: int, seed: int) -> list[list[str]]:
    """``k`` folds of a seeded shuffle of the sorted ``keys``."""
    order = np.random.default_rng(seed).permutation(len(keys))
    ordered = sorted(keys)
    return [sorted(ordered[i] for i in part) for part in np.array_split(order, k)]


def refit(args: argparse.Namespace, out: Path, corpus: Corpus, train: list[str]) -> Path:
    """The model folder of one refit, made unless ``out`` holds a finished one."""
    if (out / "val" / "report.json").is_file():
        return out / "model"
    settings = TrainSettings(
        span_head_only=not args.token_head,
        head_members=args.members,
        head_epochs=args.epochs,
        threads=max(1, 2 // args.jobs),
        soft_spans=str(args.soft_spans or ""),
        soft_span_weight=args.soft_span_weight,
        extra=tuple(args.extra),
        with_dev=args.with_dev,
    )
    config = json.loads((args.model / "config.json").read_text(encoding="utf-8"))
    layout = Layout(config["techniques"])
    tokenizer = load_tokenizer(args.model / "tokenizer.json")
    added = {
        f"checkthat2024{EXTRA_SEPARATOR}{key}": (
            corpus.texts[key],
            encode_article(
                f"checkthat2024{EXTRA_SEPARATOR}{key}",
                corpus.texts[key],
                {SCHEME: corpus.spans[key]},
                layout,
                tokenizer,
            ),
        )
        for key in train
    }
    torch.set_num_threads(settings.threads)
    refit_model(args.data, args.model, out, settings, added)
    return out / "model"


def refit_all(args: argparse.Namespace, corpus: Corpus, parts: dict[int, list[str]]) -> None:
    """Base (unless ``--model-as-base``) and the refit of every fold of ``parts``,
    ``args.jobs`` at a time."""
    runs = [] if args.model_as_base else [(args.out / "base", [])]
    runs += [
        (args.out / f"fold{index}", [key for key in corpus.texts if key not in held])
        for index, held in parts.items()
    ]
    with ProcessPoolExecutor(args.jobs) as pool:
        for done in [pool.submit(refit, args, out, corpus, train) for out, train in runs]:
            done.result()


def span_scores(model_dir: Path, corpus: Corpus, keys: list[str], out: Path) -> dict[str, float]:
    """SI and FLC F1 of the model's whole pipeline on the articles ``keys`` (written once)."""
    path = out / "scores.json"
    if not path.is_file():
        out.mkdir(parents=True, exist_ok=True)
        found = validate_semeval2023(model_dir, corpus, keys, out)
        path.write_text(json.dumps(found, indent=2) + "\n")
    found = json.loads(path.read_text(encoding="utf-8"))
    return {m: float(found[m]["metrics"]["f1"]) for m in ("si", "flc")}


def tc(model_dir: Path, corpus: Corpus, keys: list[str], out: Path, calibrated: bool) -> float:
    """SemEval-2023 TC micro-F1 of the model on the gold spans of ``keys``: the span head's
    technique, through the span calibration or (``calibrated=False``) as the head gives it."""
    tagger = TechniqueTagger(model_dir=model_dir).load()
    if not calibrated:
        tagger.calibration_ = None
    name = f"tc-{'calibrated' if calibrated else 'head'}.tsv"
    return tagger_tc(tagger, corpus, keys, SCHEME, out / name)


def tagger_tc(
    tagger: TechniqueTagger, corpus: Corpus, keys: Sequence[str], scheme: str, path: Path
) -> float:
    """Official TC micro-F1 of ``tagger`` on the gold spans of ``keys`` in ``scheme``; its
    answers are written to ``path``, the gold spans beside them (``gold-tc.tsv``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    gold = gold_rows(corpus, keys)
    gold_path = write_rows(path.parent / "gold-tc.tsv", gold)
    predicted = write_classified(tagger, corpus.texts, gold, scheme, path)
    return float(evaluate("tc", predicted, gold_path).to_dict()["metrics"]["f1"])


def dev_line(model_dir: Path) -> dict[str, Any]:
    """The run's official dev scores as its report wrote them."""
    path = model_dir.parent / "val" / "report.json"
    if not path.is_file():  # a model given as base, not refitted here
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("dev_scores") or {}


def fold_parser(description: str, data_help: str, folds: int) -> argparse.ArgumentParser:
    """The options of a bench that refits a model's heads once per fold of some articles."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("data", type=Path, help=data_help)
    parser.add_argument("out", type=Path, help="Work folder (one subfolder per run).")
    parser.add_argument("--model", type=Path, default=SHIPPED, help="Model whose encoder is kept.")
    parser.add_argument("--folds", type=int, default=folds)
    parser.add_argument("--seed", type=int, default=0, help="Seed of the folds' shuffle.")
    parser.add_argument(
        "--extra",
        action="append",
        default=[],
        help="An extra corpus of propwatch train techniques --extra for every refit (repeatable).",
    )
    return parser


def main() -> None:
    parser = fold_parser(
        __doc__.splitlines()[0], "Folder holding checkthat2024-en/ and ptc2020/.", folds=2
    )
    parser.add_argument("--soft-spans", type=Path, default=None, help="A teacher's span labels.")
    parser.add_argument("--soft-span-weight", type=float, default=1.0)
    parser.add_argument(
        "--with-dev", action="store_true", help="Every refit trains on the dev articles too."
    )
    parser.add_argument("--token-head", action="store_true", help="Refit the token head too.")
    parser.add_argument("--members", type=int, default=1, help="GRU token heads (--token-head).")
    parser.add_argument("--epochs", type=int, default=4, help="Passes of each (--token-head).")
    parser.add_argument("--jobs", type=int, default=1, choices=(1, 2), help="Refits at a time.")
    parser.add_argument(
        "--model-as-base",
        action="store_true",
        help="--model itself is base (no base refit): for a model whose heads were fitted by "
        "the refit's own recipe and seed, without CheckThat! articles.",
    )
    parser.add_argument(
        "--only-fold", type=int, action="append", help="Make and score only this fold (repeatable)."
    )
    args = parser.parse_args()
    corpus = load_checkthat2024(args.data)
    parts = dict(enumerate(folds(list(corpus.texts), args.folds, args.seed)))
    parts = {k: held for k, held in parts.items() if not args.only_fold or k in args.only_fold}
    refit_all(args, corpus, parts)
    base = args.model if args.model_as_base else args.out / "base" / "model"
    rows, pipeline = [], []
    for index, held in parts.items():
        model = args.out / f"fold{index}" / "model"
        runs = (
            (args.model, args.out / "model"),
            (base, args.out / "base"),
            (model, args.out / f"fold{index}"),
        )
        scores = [
            tc(run, corpus, held, folder / f"ct-fold{index}", calibrated)
            for calibrated in (False, True)
            for run, folder in runs
        ]
        rows.append((index, len(gold_rows(corpus, held)), *scores))
        print(
            f"fold {index}: {len(held)} articles, {rows[-1][1]} gold spans: TC of the span head "
            f"(model, base -> fold) {scores[0]:.4f}, {scores[1]:.4f} -> {scores[2]:.4f}, "
            f"calibrated {scores[3]:.4f}, {scores[4]:.4f} -> {scores[5]:.4f}"
        )
        if args.token_head:
            found = {
                name: span_scores(run, corpus, held, folder / f"ct-fold{index}" / "pipeline")
                for name, (run, folder) in zip(("model", "base", "fold"), runs, strict=True)
            }
            pipeline.append({"fold": index, **found})
            print(
                f"fold {index}: pipeline SI / FLC "
                + ", ".join(f"{name} {v['si']:.4f} / {v['flc']:.4f}" for name, v in found.items())
            )
    for name, (a, b) in (
        ("span head, base -> fold", (3, 4)),
        ("calibrated, base -> fold", (6, 7)),
        ("calibrated model -> span head of fold", (5, 4)),
        ("calibrated model -> calibrated fold", (5, 7)),
    ):
        print_gain(name, [row[b] - row[a] for row in rows])
    for measure in ("si", "flc") if pipeline else ():
        print_gain(
            f"pipeline {measure}, base -> fold",
            [row["fold"][measure] - row["base"][measure] for row in pipeline],
        )
    names = (
        *("fold", "spans", "head_model", "head_base", "head"),
        *("calibrated_model", "base", "calibrated"),
    )
    summary = {
        "folds": [dict(zip(names, row, strict=True)) for row in rows],
        "pipeline": pipeline,
        "dev": {"base": dev_line(base)}
        | {f"fold{i}": dev_line(args.out / f"fold{i}" / "model") for i in parts},
    }
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")


def print_gain(name: str, gains: Sequence[float]) -> None:
    """The mean of per-fold gains and its standard error over the folds."""
    spread = np.std(gains, ddof=1) / math.sqrt(len(gains)) if len(gains) > 1 else float("nan")
    print(f"{name}: mean gain {np.mean(gains):+.4f} (SE over folds {spread:.4f})")


if __name__ == "__main__":
    main()

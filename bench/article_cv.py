"""Cross-validated scores of an article-level model over all its training documents.

The fixed 20% validation split of ``propwatch train article`` is small (genre: 72 articles,
5 ``reporting``, no ``satire``; roles: 70 mentions in 21 documents), too small to compare
models. This repeats 5-fold cross-validation split by document (stratified by the first
label), fitting and scoring exactly as ``propwatch train article KIND`` does.

Usage::

    .venv/bin/python bench/article_cv.py genre ../shared/data [--repeats 5] [--states-cache DIR]
    .venv/bin/python bench/article_cv.py roles ../shared/data --repeats 4

Prints JSON: each scalar score of the kind's validation report, averaged over all folds, with
its standard error. ``--per-fold FILE`` keeps every fold's scores, so two versions of a model
run with the same command (the folds depend on ``--repeats`` only) can be compared fold by
fold: ``python bench/paired_folds.py BEFORE.json AFTER.json``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

from propwatch.text.nlp import shared_model
from propwatch.training.article.train import TRAINERS, Examples, MeanStates, Trainer


def first_label(label: object) -> str:
    """The stratification key of one example's label (a genre, or a role pair's main role)."""
    return str(label[0] if isinstance(label, tuple) else label)


def fitted_folds(
    trainer: Trainer, examples: Examples, repeats: int
) -> Iterator[tuple[Any, np.ndarray]]:
    """The model fitted on each fold's training documents, with the indices of its held-out
    examples: ``repeats`` shuffles of 5 folds by document, stratified by the first label (the
    same folds for the same data)."""
    groups = np.array(examples.groups)
    strata = [first_label(label) for label in examples.labels]
    for repeat in range(repeats):
        folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=repeat)
        for train, test in folds.split(groups, strata, groups):
            yield trainer.fit(examples.subset(set(groups[train])), 0), test


def fold_scores(trainer: Trainer, examples: Examples, repeats: int) -> dict[str, list[float]]:
    """Each scalar score of the trainer's report on every fold of :func:`fitted_folds`."""
    groups = np.array(examples.groups)
    scores: dict[str, list[float]] = {}
    for model, test in fitted_folds(trainer, examples, repeats):
        report = trainer.score(model, examples.subset(set(groups[test])))
        for name, value in report.items():
            if isinstance(value, float):
                scores.setdefault(name, []).append(value)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kind", choices=sorted(TRAINERS))
    parser.add_argument("data", type=Path, help="Folder holding semeval2023-en/, semeval2025-en/.")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--states-cache", type=Path, help="Folder of mean encoder states kept between runs."
    )
    parser.add_argument("--per-fold", type=Path, help="JSON file for every fold's scores.")
    args = parser.parse_args()
    trainer = TRAINERS[args.kind]
    examples = trainer.load(args.data, shared_model().parse_many, MeanStates(args.states_cache))
    scores = fold_scores(trainer, examples, args.repeats)
    summary = {
        name: {
            "mean": round(float(np.mean(values)), 3),
            "standard_error": round(float(np.std(values) / np.sqrt(len(values))), 3),
        }
        for name, values in scores.items()
    }
    print(json.dumps({"kind": args.kind, "folds": 5 * args.repeats, **summary}, indent=2))
    if args.per_fold:
        args.per_fold.write_text(json.dumps(scores, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""How the genre model does on the first words of articles it never saw, out of fold.

The genre model learns from whole articles (SemEval-2023 train, PolNeAR train reports), but
people paste a lead, a paragraph or a rant of sixty words. This scores each held-out article
whole and cut to its title and first N words of body, with the folds of
``bench/genre_unsure.py`` (5 by article, stratified by genre; the model fitted on whole
articles, as ``propwatch train article genre`` fits it). Every held-out article is weighted so
that the genres have their share in the model's news prior, as in that bench.

Usage::

    .venv/bin/python bench/genre_length.py ../shared/data [--repeats 2] [--states-cache DIR]

Prints JSON per length: the weighted accuracy of the most probable genre, the share decided
(not ``unsure``), the accuracy where decided and the out-of-fold macro-F1 of the most
probable genre (unweighted, as the official scorer); then, per genre over all lengths, how
often the model decided it and how often that was right (why satire is never decided).
"""

from __future__ import annotations

import json

import numpy as np
from sklearn.metrics import f1_score

from article_cv import fitted_folds
from genre_style import genre_parser
from genre_unsure import prior_weights
from propwatch.text.nlp import shared_model
from propwatch.training.article import datasets
from propwatch.training.article.train import TRAINERS, MeanStates

LENGTHS = (30, 60, 120, 240)


def lead(text: str, words: int) -> str:
    """The title line and the first ``words`` words of the body, line breaks kept."""
    title, _, body = text.strip().partition("\n")
    kept, count = [], 0
    for line in body.splitlines():
        tokens = line.split()
        if count + len(tokens) > words:
            kept.append(" ".join(tokens[: words - count]))
            break
        kept.append(line)
        count += len(tokens)
    return "\n".join([title, *kept]).strip()


def by_genre(
    versions: dict[str, list[np.ndarray]], classes: np.ndarray, gold: np.ndarray, below: float
) -> dict[str, dict[str, float | int]]:
    """Per genre, over every length: how many held-out texts are decided that genre and how
    many of those decisions are right (unweighted: few texts are decided satire)."""
    probabilities = np.concatenate([np.concatenate(parts) for parts in versions.values()])
    truth = np.tile(gold, len(versions))
    best = classes[probabilities.argmax(axis=1)]
    decided = probabilities.max(axis=1) >= below
    out = {}
    for genre in classes:
        called = decided & (best == genre)
        out[str(genre)] = {
            "decided": int(called.sum()),
            "right": round(float(np.mean(truth[called] == genre)), 3) if called.any() else 0.0,
        }
    return out


def main() -> None:
    args = genre_parser(__doc__.split("\n")[0], repeats=2, bootstrap=False).parse_args()
    trainer, states = TRAINERS["genre"], MeanStates(args.states_cache)
    examples = trainer.load(args.data, shared_model().parse_many, states)
    docs = datasets.genre_documents(args.data)
    reports = datasets.polnear_reports(args.data, "train")
    texts = np.array(docs.texts + reports.texts, dtype=object)
    labels = np.array(examples.labels)
    versions: dict[str, list[np.ndarray]] = {"whole": []}
    versions.update({str(n): [] for n in LENGTHS})
    truth: list[np.ndarray] = []
    for model, test in fitted_folds(trainer, examples, args.repeats):
        truth.append(labels[test])
        for name in versions:
            cut = texts[test] if name == "whole" else [lead(t, int(name)) for t in texts[test]]
            versions[name].append(model.predict_proba(np.stack([states(t) for t in cut])))
        classes = model.classes_
    gold = np.concatenate(truth)
    weights = prior_weights(labels, gold)
    report = {}
    for name, parts in versions.items():
        probabilities = np.concatenate(parts)
        best = classes[probabilities.argmax(axis=1)]
        decided = probabilities.max(axis=1) >= model.unsure_below
        right = best == gold
        report[name] = {
            "accuracy": weighted(right, weights),
            "decided": weighted(decided, weights),
            "accuracy_decided": weighted(right[decided], weights[decided]),
            "macro_f1": round(float(f1_score(gold, best, average="macro")), 3),
        }
    decisions = by_genre(versions, classes, gold, model.unsure_below)
    print(json.dumps({"repeats": args.repeats, "lengths": report, "decided": decisions}, indent=2))


def weighted(values: np.ndarray, weights: np.ndarray) -> float:
    return round(float(np.average(values, weights=weights)), 3)


if __name__ == "__main__":
    main()

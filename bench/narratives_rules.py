"""Whether naming fewer narratives, or fewer subnarratives, beats the shipped rule.

The shipped rule names the ``top_k`` most probable narratives of a text that passes the
presence gate (three in practice), each with its most probable subnarrative. Two refinements,
each tuned with the gate and top-k on the same inner out-of-fold probabilities that tune the
shipped rule, scored on held-out documents (5 folds by document, ``--repeats`` shuffles):

- **ratio**: a narrative after the first is named only if its probability is at least
  ``ratio`` times the first one's (``--ratios``);
- **ratio + subnarrative gate**: besides, a narrative whose best subnarrative has a probability
  under the gate gets ``<narrative>: Other`` (``--subnarrative-gates``).

Prints each variant's samples-F1 (coarse, fine), its paired difference with the shipped rule
and the standard error over folds, and how many narratives a text is given on average.

Usage::

    .venv/bin/python bench/narratives_rules.py ../shared/data --states-cache DIR --repeats 4
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.model_selection import KFold

from propwatch.eval.measures import samples_f1
from propwatch.models.article.narratives import (
    GATE_GRID,
    TOP_K_GRID,
    Narrative,
    NarrativeClassifier,
    decide,
    label_lists,
)
from propwatch.text.nlp import shared_model
from propwatch.training.article.train import TRAINERS, Examples, MeanStates

# (gate, top_k, ratio, subnarrative gate)
Rule = tuple[float, int, float, float]
Probabilities = tuple[np.ndarray, np.ndarray, np.ndarray, list[list[str]]]


def decide_refined(
    probabilities: Probabilities, labels: tuple[Sequence[str], Sequence[str]], rule: Rule
) -> list[list[Narrative]]:
    """The shipped :func:`decide`, then the ratio and the subnarrative gate of ``rule``."""
    presence, coarse, fine, on_topic = probabilities
    gate, top_k, ratio, sub_gate = rule
    column = {name: j for j, name in enumerate(labels[1])}
    found = decide(presence, coarse, fine, labels, (gate, top_k), on_topic)
    refined = []
    for row, narratives in enumerate(found):
        kept = [n for n in narratives if n.score >= ratio * narratives[0].score]
        refined.append(
            [
                n
                if not n.subnarratives or fine[row, column[n.subnarratives[0]]] >= sub_gate
                else Narrative(n.narrative, (), n.score)
                for n in kept
            ]
        )
    return refined


def f1s(found: list[list[Narrative]], gold: Sequence[tuple[list[str], list[str]]]) -> np.ndarray:
    """Mean samples-F1, coarse and fine."""
    lists = [label_lists(n) for n in found]
    coarse = samples_f1([c for c, _ in gold], [c for c, _ in lists])
    fine = samples_f1([f for _, f in gold], [f for _, f in lists])
    return np.array([np.mean(coarse), np.mean(fine)])


def tune(
    model: NarrativeClassifier, train: Examples, ratios: Sequence[float], subs: Sequence[float]
) -> Rule:
    """The rule with the best coarse plus fine samples-F1 on the inner out-of-fold probabilities."""
    probabilities: Probabilities = (
        model.presence_.oof_proba_[:, 0],
        model.coarse_.oof_proba_,
        model.fine_.oof_proba_,
        model.oof_on_topic(len(train.labels)),
    )
    labels = (model.coarse_.labels_, model.fine_.labels_)
    best: tuple[float, Rule] = (-1.0, (0.5, 1, 0.0, 0.0))
    for gate, top_k, ratio, sub in itertools.product(GATE_GRID, TOP_K_GRID, ratios, subs):
        rule = (float(gate), top_k, ratio, sub)
        score = float(f1s(decide_refined(probabilities, labels, rule), train.labels).sum())
        if score > best[0] + 1e-9:
            best = (score, rule)
    return best[1]


def held_out(model: NarrativeClassifier, test: Examples, rule: Rule) -> tuple[np.ndarray, float]:
    """Samples-F1 (coarse, fine) on ``test`` and the mean number of narratives named."""
    texts = [text for text, _ in test.inputs]
    states = [state for _, state in test.inputs]
    probabilities: Probabilities = (
        model.presence(texts, states),
        model.coarse_.predict_proba(texts, states),
        model.fine_.predict_proba(texts, states),
        model.on_topic(texts),
    )
    found = decide_refined(probabilities, (model.coarse_.labels_, model.fine_.labels_), rule)
    named = [len(n) for n in found if n]
    return f1s(found, test.labels), float(np.mean(named)) if named else 0.0


def cross_validate(
    examples: Examples, repeats: int, variants: dict[str, tuple[Sequence[float], Sequence[float]]]
) -> dict[str, dict[str, float]]:
    ids = sorted(set(examples.groups))
    scores: dict[str, list[np.ndarray]] = {name: [] for name in ["shipped", *variants]}
    named: dict[str, list[float]] = {name: [] for name in scores}
    for repeat in range(repeats):
        for train_rows, test_rows in KFold(5, shuffle=True, random_state=repeat).split(ids):
            train = examples.subset([ids[i] for i in train_rows])
            test = examples.subset([ids[i] for i in test_rows])
            model = TRAINERS["narratives"].fit(train, 0)
            rules = {"shipped": (*model.rule_, 0.0, 0.0)}
            rules.update({name: tune(model, train, *grids) for name, grids in variants.items()})
            for name, rule in rules.items():
                f1, count = held_out(model, test, rule)
                scores[name].append(f1)
                named[name].append(count)
    return {name: summarise(scores[name], scores["shipped"], named[name]) for name in scores}


def summarise(
    mine: list[np.ndarray], shipped: list[np.ndarray], named: list[float]
) -> dict[str, float]:
    diff = np.array(mine) - np.array(shipped)
    se = diff.std(axis=0, ddof=1) / np.sqrt(len(diff))
    mean = np.mean(mine, axis=0)
    return {
        "coarse": round(float(mean[0]), 3),
        "fine": round(float(mean[1]), 3),
        "difference_coarse": round(float(diff[:, 0].mean()), 3),
        "difference_coarse_se": round(float(se[0]), 3),
        "difference_fine": round(float(diff[:, 1].mean()), 3),
        "difference_fine_se": round(float(se[1]), 3),
        "narratives_per_text_named": round(float(np.mean(named)), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="Folder holding semeval2025-en/.")
    parser.add_argument("--states-cache", type=Path, help="Folder of mean encoder states.")
    parser.add_argument("--repeats", type=int, default=4)
    parser.add_argument("--ratios", type=float, nargs="+", default=[0.0, 0.5, 0.6, 0.7, 0.8, 0.9])
    parser.add_argument(
        "--subnarrative-gates", type=float, nargs="+", default=[0.0, 0.2, 0.3, 0.4, 0.5]
    )
    args = parser.parse_args()
    examples = TRAINERS["narratives"].load(
        args.data, shared_model().parse_many, MeanStates(args.states_cache)
    )
    variants = {
        "ratio": (args.ratios, [0.0]),
        "ratio_and_subnarrative_gate": (args.ratios, args.subnarrative_gates),
    }
    print(json.dumps(cross_validate(examples, args.repeats, variants), indent=2))


if __name__ == "__main__":
    main()

"""Narratives with one presence gate per domain (war, climate) against the shipped single gate.

Out of fold, climate documents that carry narratives are mostly called ``Other``
(``bench/narratives_other_share.py``). Here each outer fold's model keeps its probabilities and
topic gate; the gates for the war (``URW``) and climate (``CC``) domains and top-k are tuned
together on the same inner out-of-fold probabilities the shipped rule is tuned on, and both rules
are scored on the held-out documents (5 folds by document, ``--repeats`` shuffles). Also counts,
per domain, why held-out documents with narratives got none: off both topics, or below the gate.

Usage::

    .venv/bin/python bench/narratives_domain_gates.py ../shared/data --states-cache DIR
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np
from sklearn.model_selection import KFold

from propwatch.eval.measures import samples_f1
from propwatch.models.article.narratives import (
    GATE_GRID,
    OTHER,
    TOP_K_GRID,
    Narrative,
    NarrativeClassifier,
    decide,
    domain_of,
    label_lists,
)
from propwatch.text.nlp import shared_model
from propwatch.training.article.train import TRAINERS, MeanStates

Gates = dict[str, float]


def decide_by_domain(
    model: NarrativeClassifier,
    probs: tuple[np.ndarray, np.ndarray, np.ndarray],
    gates: Gates,
    top_k: int,
    on_topic: Sequence[Collection[str]],
) -> list[list[Narrative]]:
    """:func:`decide` with the gate of each text's most probable on-topic narrative's domain."""
    presence, coarse, fine = probs
    domains = np.array([domain_of(label) for label in model.coarse_.labels_])
    passed = np.zeros(len(presence))
    for row, topics in enumerate(on_topic):
        order = [j for j in np.argsort(-coarse[row], kind="stable") if domains[j] in topics]
        passed[row] = float(bool(order) and presence[row] >= gates[domains[order[0]]])
    labels = (model.coarse_.labels_, model.fine_.labels_)
    return decide(passed, coarse, fine, labels, (0.5, top_k), on_topic)


def both_f1(
    found: list[list[Narrative]], gold: Sequence[tuple[list[str], list[str]]]
) -> tuple[float, float]:
    """Mean samples-F1 (coarse, fine) of ``found`` against ``gold``."""
    lists = [label_lists(n) for n in found]
    coarse = samples_f1([c for c, _ in gold], [c for c, _ in lists]).mean()
    fine = samples_f1([f for _, f in gold], [f for _, f in lists]).mean()
    return float(coarse), float(fine)


def tuned_gates(model: NarrativeClassifier, gold: Sequence) -> tuple[Gates, int]:
    """Per-domain gates and top-k for the best coarse plus fine samples-F1 out of fold."""
    on_topic = model.oof_on_topic(len(gold))
    probs = (model.presence_.oof_proba_[:, 0], model.coarse_.oof_proba_, model.fine_.oof_proba_)
    best: tuple[float, Gates, int] = (-1.0, {}, 1)
    for war in GATE_GRID:
        for climate in GATE_GRID:
            for top_k in TOP_K_GRID:
                gates = {"URW": float(war), "CC": float(climate)}
                score = sum(both_f1(decide_by_domain(model, probs, gates, top_k, on_topic), gold))
                if score > best[0] + 1e-9:
                    best = (score, gates, top_k)
    return best[1], best[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="Folder holding semeval2025-en/.")
    parser.add_argument("--states-cache", type=Path, help="Folder of mean encoder states.")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    trainer = TRAINERS["narratives"]
    examples = trainer.load(args.data, shared_model().parse_many, MeanStates(args.states_cache))
    ids = sorted(set(examples.groups))
    scores: dict[str, list[tuple[float, float]]] = {"shipped": [], "domain_gates": []}
    why: Counter[str] = Counter()
    for repeat in range(args.repeats):
        for train_rows, test_rows in KFold(5, shuffle=True, random_state=repeat).split(ids):
            train = examples.subset([ids[i] for i in train_rows])
            test = examples.subset([ids[i] for i in test_rows])
            model = trainer.fit(train, 0)
            texts, states = [t for t, _ in test.inputs], [s for _, s in test.inputs]
            probs = (
                model.presence(texts, states),
                model.coarse_.predict_proba(texts, states),
                model.fine_.predict_proba(texts, states),
            )
            on_topic = model.on_topic(texts)
            gates, top_k = tuned_gates(model, train.labels)
            labels = (model.coarse_.labels_, model.fine_.labels_)
            shipped = decide(*probs, labels, model.rule_, on_topic)
            scores["shipped"].append(both_f1(shipped, test.labels))
            by_domain = decide_by_domain(model, probs, gates, top_k, on_topic)
            scores["domain_gates"].append(both_f1(by_domain, test.labels))
            for doc, (coarse, _), topics, found in zip(
                test.groups, test.labels, on_topic, shipped, strict=True
            ):
                if list(coarse) != [OTHER] and not found:
                    reason = "off both topics" if not topics else "below the gate"
                    why[f"{doc[3:5]}: {reason}"] += 1
    a, b = np.array(scores["shipped"]), np.array(scores["domain_gates"])
    diff = b - a
    report = {
        "shipped_coarse_fine": a.mean(0).round(3).tolist(),
        "domain_gates_coarse_fine": b.mean(0).round(3).tolist(),
        "difference": diff.mean(0).round(3).tolist(),
        "difference_se": (diff.std(0, ddof=1) / np.sqrt(len(diff))).round(3).tolist(),
        "narrative_documents_called_other": dict(sorted(why.items())),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

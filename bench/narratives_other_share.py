"""Where the narrative model loses samples-F1, and what a different share of ``Other`` does.

The SemEval-2025 training documents are about half ``Other`` (no narrative); the blind set's
share is unknown. Cross-validated (5 folds by document, ``--repeats`` shuffles), this prints:

- samples-F1 (coarse, fine) on the held-out documents that carry narratives and on the
  ``Other`` ones, and how many of the former the model calls ``Other``: what a blind set with
  fewer ``Other`` documents would score follows from these two numbers;
- for each ``--shares`` value, the shipped rule (presence gate and top-k, tuned on the training
  mix) against the rule tuned on the same inner out-of-fold probabilities with the training
  documents weighed to that share of ``Other``; both scored on the held-out documents weighed
  the same way (a lens on a shifted set, as ``bench/roles_prior.py`` does for roles);
- the share of ``Other`` that the shipped model's mean presence probability implies for the
  unlabelled SemEval-2025 test documents (not the blind dev set), beside the training one.

Usage::

    .venv/bin/python bench/narratives_other_share.py ../shared/data --states-cache DIR \\
        --repeats 3 --shares 0.485 0.3 0.15
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.model_selection import KFold

from propwatch.eval.measures import samples_f1
from propwatch.models.article.narratives import OTHER, NarrativeClassifier, decide, label_lists
from propwatch.models.article.shipped import load_model
from propwatch.text.nlp import shared_model
from propwatch.training.article.train import TRAINERS, Examples, MeanStates, share_weights

Rule = tuple[float, int]


def other_weights(narratives: Sequence[Sequence[str]], share: float) -> NDArray[np.float64] | None:
    """Weights under which ``Other`` documents make up ``share`` of ``narratives``."""
    return share_weights(np.array([list(n) == [OTHER] for n in narratives]), share)


def held_out_scores(
    model: NarrativeClassifier, examples: Examples, rule: Rule
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per-document samples-F1 (coarse, fine) of ``model`` under ``rule``."""
    texts = [text for text, _ in examples.inputs]
    states = [state for _, state in examples.inputs]
    found = decide(
        model.presence(texts, states),
        model.coarse_.predict_proba(texts, states),
        model.fine_.predict_proba(texts, states),
        (model.coarse_.labels_, model.fine_.labels_),
        rule,
        model.on_topic(texts),
    )
    lists = [label_lists(narratives) for narratives in found]
    coarse = samples_f1([c for c, _ in examples.labels], [c for c, _ in lists])
    fine = samples_f1([f for _, f in examples.labels], [f for _, f in lists])
    return coarse, fine


def cross_validate(examples: Examples, repeats: int, shares: Sequence[float]) -> dict[str, Any]:
    ids = sorted(set(examples.groups))
    split: dict[str, list[float]] = {k: [] for k in ("narr_c", "narr_f", "other_c", "other_f")}
    called_other, with_narratives = 0, 0
    lens: dict[float, dict[str, list[float]]] = {s: {} for s in shares}
    for repeat in range(repeats):
        for train_rows, test_rows in KFold(5, shuffle=True, random_state=repeat).split(ids):
            train = examples.subset([ids[i] for i in train_rows])
            test = examples.subset([ids[i] for i in test_rows])
            model = TRAINERS["narratives"].fit(train, 0)
            coarse, fine = held_out_scores(model, test, model.rule_)
            gold = [c for c, _ in test.labels]
            other = np.array([list(g) == [OTHER] for g in gold])
            split["narr_c"] += coarse[~other].tolist()
            split["narr_f"] += fine[~other].tolist()
            split["other_c"] += coarse[other].tolist()
            split["other_f"] += fine[other].tolist()
            with_narratives += int((~other).sum())
            called_other += int((~other & (coarse == 0) & (fine == 0)).sum())
            for share in shares:
                weights = other_weights(gold, share)
                narratives = [c for c, _ in train.labels]
                sub = [f for _, f in train.labels]
                shifted = model.tune_rule(narratives, sub, other_weights(narratives, share))
                after = held_out_scores(model, test, shifted)
                for name, (c, f) in (("shipped", (coarse, fine)), ("shifted", after)):
                    lens[share].setdefault(f"{name}_coarse", []).append(
                        float(np.average(c, weights=weights))
                    )
                    lens[share].setdefault(f"{name}_fine", []).append(
                        float(np.average(f, weights=weights))
                    )
    return {
        "held_out_f1": {k: round(float(np.mean(v)), 3) for k, v in split.items()},
        "documents_with_narratives": with_narratives,
        "of_them_scored_zero": called_other,
        "other_share_lens": {str(s): paired(v) for s, v in lens.items()},
    }


def paired(scores: dict[str, list[float]]) -> dict[str, float]:
    """Means over folds and the shifted rule's paired difference with its standard error."""
    out = {k: round(float(np.mean(v)), 3) for k, v in scores.items()}
    for part in ("coarse", "fine"):
        diff = np.array(scores[f"shifted_{part}"]) - np.array(scores[f"shipped_{part}"])
        out[f"difference_{part}"] = round(float(diff.mean()), 3)
        out[f"difference_{part}_se"] = round(float(diff.std(ddof=1) / np.sqrt(len(diff))), 3)
    return out


def implied_other_share(data: Path, states: MeanStates) -> dict[str, float]:
    """1 - mean presence probability of the shipped model, per document folder."""
    model: NarrativeClassifier = load_model("narratives")
    root = data / "semeval2025-en"
    out = {}
    for name, folder in (
        ("train", root / "train" / "raw-documents"),
        ("test_unlabelled", root / "test-unlabelled" / "subtask-2-documents"),
    ):
        texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
        presence = model.presence(texts, np.array([states(t) for t in texts]))
        out[name] = round(1 - float(presence.mean()), 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="Folder holding semeval2025-en/.")
    parser.add_argument("--states-cache", type=Path, help="Folder of mean encoder states.")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--shares", type=float, nargs="+", default=[0.485, 0.3, 0.15])
    args = parser.parse_args()
    states = MeanStates(args.states_cache)
    examples = TRAINERS["narratives"].load(args.data, shared_model().parse_many, states)
    report = cross_validate(examples, args.repeats, args.shares)
    report["implied_other_share"] = implied_other_share(args.data, states)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

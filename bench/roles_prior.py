"""Entity main roles against the trivial answer, with the role prior of the blind set.

The blind SemEval-2025 English set has about 80% antagonists (always ``Antagonist`` scores 0.80
there), the training mentions 64%. This cross-validates the role model as ``propwatch train
article roles`` fits it (5 folds by document, stratified by main role, the same splits as
``bench/article_cv.py roles``) and scores, on mentions weighted to 80% antagonists:

- ``always``: always ``Antagonist``, with the fine role most common among the training fold's
  antagonists;
- ``model``: the model as shipped;
- ``prior_shifted``: the model's main-role probabilities moved from the training fold's role
  shares to 80% antagonists (the others in their training proportion; Bayes' rule), fine role
  the most probable child of the new main role;
- ``antagonist_boost_<k>``: the model's ``Antagonist`` probability times ``k`` before the
  argmax, a range of back-offs to the prior (chosen here on the scored folds, so the best of
  them is an optimistic ceiling, not a result).

Usage::

    .venv/bin/python bench/roles_prior.py ../shared/data --repeats 4

Prints JSON: per rule, main-role accuracy and fine-role exact match (mean over folds and
standard error), and paired differences between rules over the same folds.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

from propwatch.models.article.roles import EntityRoleClassifier
from propwatch.text.nlp import shared_model
from propwatch.training.article.train import (
    BLIND_ANTAGONIST_SHARE,
    TRAINERS,
    Examples,
    MeanStates,
    antagonist_weights,
)

ANTAGONIST = "Antagonist"
BOOSTS = (1.5, 2.0, 3.0)


def prior_ratio(classes: list[str], train_main: np.ndarray) -> np.ndarray:
    """Per class, its blind-set share over its training share (antagonists at the blind share,
    the other roles keep their training proportion)."""
    shares = {c: float(np.mean(train_main == c)) for c in classes}
    rest = 1 - shares[ANTAGONIST]
    target = {
        c: BLIND_ANTAGONIST_SHARE if c == ANTAGONIST else (1 - BLIND_ANTAGONIST_SHARE) * s / rest
        for c, s in shares.items()
    }
    return np.array([target[c] / shares[c] for c in classes])


def decided(
    model: EntityRoleClassifier, main: np.ndarray, fine: np.ndarray
) -> list[tuple[str, list[str]]]:
    """Main role and fine roles per row of (adjusted) main-role probabilities."""
    roles = model.decide_fine(main, fine)
    return [(model.main_roles_[int(np.argmax(row))], r) for row, r in zip(main, roles, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="Folder holding semeval2025-en/.")
    parser.add_argument("--repeats", type=int, default=4)
    args = parser.parse_args()
    trainer = TRAINERS["roles"]
    examples: Examples = trainer.load(args.data, shared_model().parse_many, MeanStates())
    groups = np.array(examples.groups)
    main_roles = np.array([m for m, _ in examples.labels])
    fine_roles = [list(f) for _, f in examples.labels]
    scores: dict[str, dict[str, list[float]]] = {}
    for repeat in range(args.repeats):
        folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=repeat)
        for train, test in folds.split(groups, main_roles, groups):
            model = trainer.fit(examples.subset(set(groups[train])), 0)
            contexts = [examples.inputs[i] for i in test]
            proba = model.predict_proba(contexts)
            fine = model.predict_fine_proba(contexts)
            antagonist = model.main_roles_.index(ANTAGONIST)
            common = Counter(
                r for i in train if main_roles[i] == ANTAGONIST for r in fine_roles[i]
            ).most_common(1)[0][0]
            shifted = proba * prior_ratio(model.main_roles_, main_roles[train])
            answers = {
                "always": [(ANTAGONIST, [common])] * len(test),
                "model": decided(model, proba, fine),
                "prior_shifted": decided(model, shifted / shifted.sum(1, keepdims=True), fine),
            }
            for boost in BOOSTS:
                boosted = proba.copy()
                boosted[:, antagonist] *= boost
                answers[f"antagonist_boost_{boost}"] = decided(model, boosted, fine)
            weights = antagonist_weights(list(main_roles[test]))
            for rule, found in answers.items():
                right = [m == main_roles[i] for (m, _), i in zip(found, test, strict=True)]
                exact = [
                    set(f) == set(fine_roles[i]) for (_, f), i in zip(found, test, strict=True)
                ]
                row = scores.setdefault(rule, {"main_role_accuracy": [], "exact_match_ratio": []})
                row["main_role_accuracy"].append(float(np.average(right, weights=weights)))
                row["exact_match_ratio"].append(float(np.average(exact, weights=weights)))

    def summary(values: list[float]) -> dict[str, float]:
        array = np.array(values)
        return {
            "mean": round(float(array.mean()), 4),
            "standard_error": round(float(array.std() / np.sqrt(len(array))), 4),
        }

    pairs = (("model", "always"), ("prior_shifted", "always"), ("prior_shifted", "model"))
    report = {
        "folds": 5 * args.repeats,
        "antagonist_share": BLIND_ANTAGONIST_SHARE,
        "rules": {
            rule: {name: summary(values) for name, values in row.items()}
            for rule, row in scores.items()
        },
        "paired_differences": {
            f"{a} - {b}": {
                name: summary(list(np.subtract(scores[a][name], scores[b][name])))
                for name in scores[a]
            }
            for a, b in pairs
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

"""How often the genre model is right at each level of its own probability, out of fold.

The genre component answers ``unsure`` below ``GenreClassifier.unsure_below``; this is the
evidence for that threshold. Folds are those of ``bench/article_cv.py genre`` (5 folds by
article, stratified by genre, one shuffle per repeat), fitted as ``propwatch train article
genre`` fits. Every held-out article (SemEval-2023 train, and PolNeAR train reports as
``reporting``) is weighted so that the genres have their share in the model's news prior,
the population its probabilities are meant for.

Usage::

    .venv/bin/python bench/genre_unsure.py ../shared/data [--repeats 4] [--states-cache DIR]

Prints JSON: for each band of the most probable genre's probability, the weighted share of
articles in it, their weighted mean probability and weighted accuracy, and the number of
held-out predictions (articles times repeats).
"""

from __future__ import annotations

import json
from itertools import pairwise

import numpy as np

from article_cv import fitted_folds
from genre_style import genre_parser
from propwatch.models.article.genre import NEWS_PRIOR
from propwatch.text.nlp import shared_model
from propwatch.training.article.train import TRAINERS, MeanStates

BANDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def prior_weights(labels: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """A weight per held-out article (genre ``gold``) that gives each genre its share in the
    model's news prior, against its share among all ``labels``."""
    shares = {genre: float(np.mean(labels == genre)) for genre in NEWS_PRIOR}
    return np.array([NEWS_PRIOR[genre] / shares[genre] for genre in gold])


def main() -> None:
    parser = genre_parser(__doc__.split("\n")[0], repeats=4, bootstrap=False)
    args = parser.parse_args()
    trainer = TRAINERS["genre"]
    examples = trainer.load(args.data, shared_model().parse_many, MeanStates(args.states_cache))
    labels = np.array(examples.labels)
    states = np.array(examples.inputs)
    top, right, truth = [], [], []
    for model, test in fitted_folds(trainer, examples, args.repeats):
        probabilities = model.predict_proba(states[test])
        top.append(probabilities.max(axis=1))
        right.append(model.classes_[probabilities.argmax(axis=1)] == labels[test])
        truth.append(labels[test])
    best, correct = np.concatenate(top), np.concatenate(right)
    weights = prior_weights(labels, np.concatenate(truth))
    bands = []
    for low, high in pairwise(BANDS):
        inside = (best >= low) & ((best < high) | (high == 1.0))
        if inside.any():
            bands.append(
                {
                    "band": [low, high],
                    "share": round(float(weights[inside].sum() / weights.sum()), 3),
                    "mean_probability": round(
                        float(np.average(best[inside], weights=weights[inside])), 3
                    ),
                    "accuracy": round(
                        float(np.average(correct[inside], weights=weights[inside])), 3
                    ),
                    "predictions": int(inside.sum()),
                }
            )
    print(json.dumps({"repeats": args.repeats, "bands": bands}, indent=2))


if __name__ == "__main__":
    main()

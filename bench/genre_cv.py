"""Cross-validated genre scores (SemEval-2023 subtask 1) over all training articles.

The fixed 20% validation split of ``propwatch train article genre`` holds 72 articles with 5
``reporting`` and no ``satire``, too few to compare models; this repeats stratified 5-fold
cross-validation instead (every article is scored once per repeat, satire included).

Usage::

    .venv/bin/python bench/genre_cv.py ../shared/data [--repeats 5] [--C 0.01]

Prints JSON: macro-F1 over the three genres (mean over folds, and its standard error), and the
mean F1 of each genre.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import RepeatedStratifiedKFold

from propwatch.models.article import datasets
from propwatch.models.article.genre import GenreClassifier
from propwatch.models.techniques import shipped_tagger

GENRES = ["opinion", "reporting", "satire"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="Folder holding semeval2023-en/.")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--C", type=float, default=GenreClassifier().C)
    args = parser.parse_args()
    docs = datasets.genre_documents(args.data)
    tagger = shipped_tagger()
    states = np.array([tagger.encode(text).mean_state() for text in docs.texts])
    genres = np.array(docs.labels)
    folds = RepeatedStratifiedKFold(n_splits=5, n_repeats=args.repeats, random_state=0)
    macro, per_genre = [], []
    for train, test in folds.split(states, genres):
        guess = GenreClassifier(C=args.C).fit(states[train], genres[train]).predict(states[test])
        scores = f1_score(genres[test], guess, labels=GENRES, average=None, zero_division=0)
        macro.append(float(np.mean(scores)))
        per_genre.append(scores)
    print(
        json.dumps(
            {
                "articles": len(genres),
                "folds": len(macro),
                "macro_f1": round(float(np.mean(macro)), 3),
                "standard_error": round(float(np.std(macro) / np.sqrt(len(macro))), 3),
                "f1": dict(
                    zip(GENRES, np.round(np.mean(per_genre, axis=0), 3).tolist(), strict=True)
                ),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

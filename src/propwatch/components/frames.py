"""The ``frames`` component: the generic frames an article uses (SemEval-2023 subtask 2).

Writes ``labels["frames"]`` (frames whose probability reaches their tuned threshold, in the
model's label order), ``labels["frame_scores"]`` (frame → probability, each in [0, 1]) and
``labels["frame_evidence"]`` (each assigned frame → ``[start, end]`` of the sentence whose
words push its score up most, none when no sentence does).
"""

from __future__ import annotations

from typing import Any

from propwatch import registry
from propwatch.components.article import ArticleModelComponent, strongest_sentences
from propwatch.text.analysis import FRAME_EVIDENCE, FRAME_SCORES, FRAMES, SENTENCES, Analysis

CUE_SENTENCES = 1


@registry.components.register("frames")
class FramesComponent(ArticleModelComponent):
    """Assign frames from the shipped multi-label TF-IDF + logistic regression model."""

    name = "frames"
    kind = "frames"
    requires = (SENTENCES,)
    assigns = (FRAMES, FRAME_SCORES, FRAME_EVIDENCE)
    version = "2"

    def predict(self, analysis: Analysis) -> dict[str, Any]:
        """``scores`` (probability of each frame, independent, in [0, 1]), ``frames`` (those
        at their threshold) and ``evidence`` (frame → sentences)."""
        probabilities = self.model.predict_proba([analysis.text])[0]
        labels = self.model.labels_
        chosen = [j for j, p in enumerate(probabilities) if p >= self.model.thresholds_[j]]
        sentences = analysis.layer(SENTENCES)
        evidence: dict[str, list[list[int]]] = {}
        if chosen and sentences:
            support = self.model.contributions([s.text_of(analysis.text) for s in sentences])
            for j in chosen:
                found = strongest_sentences(sentences, support[:, j], CUE_SENTENCES)
                evidence[labels[j]] = [[s.start, s.end] for s, _ in found]
        return {
            "scores": {name: float(p) for name, p in zip(labels, probabilities, strict=True)},
            "frames": [labels[j] for j in chosen],
            "evidence": evidence,
        }

    def set_annotations(self, analysis: Analysis, result: dict[str, Any]) -> None:
        analysis.labels[FRAMES] = result["frames"]
        analysis.labels[FRAME_SCORES] = {n: round(p, 6) for n, p in result["scores"].items()}
        analysis.labels[FRAME_EVIDENCE] = result["evidence"]

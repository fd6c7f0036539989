"""The ``frames`` component: the generic frames an article uses (SemEval-2023 subtask 2).

Writes ``labels["frames"]`` (frames whose probability reaches their tuned threshold, in the
model's label order) and ``labels["frame_scores"]`` (frame → probability, each in [0, 1]).
"""

from __future__ import annotations

from propwatch import registry
from propwatch.components.article import ArticleModelComponent
from propwatch.text.analysis import FRAME_SCORES, FRAMES, Analysis


@registry.components.register("frames")
class FramesComponent(ArticleModelComponent):
    """Assign frames from the shipped multi-label TF-IDF + logistic regression model."""

    name = "frames"
    kind = "frames"
    assigns = (FRAMES, FRAME_SCORES)
    version = "1"

    def predict(self, analysis: Analysis) -> dict[str, float]:
        """Probability of each frame, in [0, 1] (independent per frame)."""
        probabilities = self.model.predict_proba([analysis.text])[0]
        return {name: float(p) for name, p in zip(self.model.labels_, probabilities, strict=True)}

    def set_annotations(self, analysis: Analysis, scores: dict[str, float]) -> None:
        thresholds = dict(zip(self.model.labels_, self.model.thresholds_, strict=True))
        analysis.labels[FRAMES] = [n for n, p in scores.items() if p >= thresholds[n]]
        analysis.labels[FRAME_SCORES] = {name: round(p, 6) for name, p in scores.items()}

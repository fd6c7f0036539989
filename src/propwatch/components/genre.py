"""The ``genre`` component: opinion, reporting or satire (SemEval-2023 Task 3 subtask 1).

Writes ``labels["genre"]`` (the most probable genre) and ``labels["genre_scores"]`` (genre →
probability, summing to 1).
"""

from __future__ import annotations

from propwatch import registry
from propwatch.components.article import ArticleModelComponent
from propwatch.text.analysis import ENCODER_STATES, GENRE, GENRE_SCORES, Analysis


@registry.components.register("genre")
class GenreComponent(ArticleModelComponent):
    """Assign the article's genre from its mean technique-encoder state (logistic regression)."""

    name = "genre"
    kind = "genre"
    requires = (ENCODER_STATES,)
    assigns = (GENRE, GENRE_SCORES)
    version = "2"

    def predict(self, analysis: Analysis) -> dict[str, float]:
        """Probability of each genre, in [0, 1], summing to 1."""
        probabilities = self.model.predict_proba([self.encoder_states(analysis).mean_state()])[0]
        return {str(c): float(p) for c, p in zip(self.model.classes_, probabilities, strict=True)}

    def set_annotations(self, analysis: Analysis, scores: dict[str, float]) -> None:
        analysis.labels[GENRE] = max(scores, key=scores.__getitem__)
        analysis.labels[GENRE_SCORES] = {name: round(p, 6) for name, p in scores.items()}

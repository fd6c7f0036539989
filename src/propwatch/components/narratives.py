"""The ``narratives`` component: SemEval-2025 narratives and subnarratives, with evidence.

Writes ``labels["narratives"]`` (see ``docs/json-schema.md``: one object per narrative with
``narrative``, ``subnarratives``, ``score`` and ``evidence``; empty means ``Other``),
``labels["narrative_presence"]`` (probability that the article carries any narrative) and the
``narrative_evidence`` layer: for each narrative, the sentences that push its score up most.
An evidence span's score is its share of all the positive support the sentences give that
narrative (in [0, 1]).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from propwatch import registry
from propwatch.components.article import ArticleModelComponent
from propwatch.models.article.narratives import Narrative
from propwatch.text.analysis import (
    ENCODER_STATES,
    NARRATIVE_EVIDENCE,
    NARRATIVE_PRESENCE,
    NARRATIVES,
    SENTENCES,
    Analysis,
)
from propwatch.text.span import Span


def evidence_spans(
    narrative: Narrative, sentences: list[Span], support: np.ndarray, limit: int
) -> list[Span]:
    """The ``limit`` sentences with the most positive support, as evidence spans.

    Parameters
    ----------
    narrative : Narrative
    sentences : list of Span
        The article's sentences.
    support : ndarray of shape (n_sentences,)
        Support of each sentence for the narrative (positive = for it).
    limit : int
        Most sentences to keep.
    """
    positive = np.clip(support, 0, None)
    total = float(positive.sum())
    if total <= 0:
        return []
    best = [i for i in np.argsort(-positive, kind="stable")[:limit] if positive[i] > 0]
    attrs = {"narrative": narrative.narrative, "subnarratives": list(narrative.subnarratives)}
    return [
        Span(
            sentences[i].start,
            sentences[i].end,
            narrative.narrative,
            float(positive[i] / total),
            attrs,
        )
        for i in sorted(best)
    ]


@registry.components.register("narratives")
class NarrativesComponent(ArticleModelComponent):
    """Assign narratives (Ukraine-Russia war, climate change) with sentence evidence.

    Parameters
    ----------
    model_dir : str or None, default=None
        Folder holding ``narratives.npz``; ``None`` uses the shipped model.
    evidence_sentences : int, default=2
        Most evidence sentences per narrative.
    """

    name = "narratives"
    kind = "narratives"
    requires = (SENTENCES, ENCODER_STATES)
    assigns = (NARRATIVES, NARRATIVE_PRESENCE, NARRATIVE_EVIDENCE)
    version = "2"

    def __init__(self, *, model_dir: str | None = None, evidence_sentences: int = 2) -> None:
        super().__init__(model_dir=model_dir)
        self.evidence_sentences = evidence_sentences

    def predict(self, analysis: Analysis) -> tuple[float, list[tuple[Narrative, list[Span]]]]:
        """Presence probability, and each narrative with its evidence spans."""
        text = analysis.text
        states = [self.encoder_states(analysis).mean_state()]
        presence = float(self.model.presence([text], states)[0])
        sentences = analysis.layer(SENTENCES)
        sentence_texts = [s.text_of(text) for s in sentences]
        found = []
        for narrative in self.model.predict_narratives([text], states)[0]:
            support = self.model.support(sentence_texts, narrative)
            found.append(
                (narrative, evidence_spans(narrative, sentences, support, self.evidence_sentences))
            )
        return presence, found

    def set_annotations(
        self, analysis: Analysis, result: tuple[float, list[tuple[Narrative, list[Span]]]]
    ) -> None:
        presence, found = result
        labels: list[dict[str, Any]] = [
            {
                "narrative": narrative.narrative,
                "subnarratives": list(narrative.subnarratives),
                "score": round(narrative.score, 6),
                "evidence": [[s.start, s.end] for s in spans],
            }
            for narrative, spans in found
        ]
        analysis.labels[NARRATIVES] = labels
        analysis.labels[NARRATIVE_PRESENCE] = round(presence, 6)
        analysis.set_layer(NARRATIVE_EVIDENCE, (s for _, spans in found for s in spans))

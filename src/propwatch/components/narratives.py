"""The ``narratives`` component: SemEval-2025 narratives and subnarratives, with evidence.

Writes ``labels["narratives"]`` (see ``docs/json-schema.md``: one object per narrative with
``narrative``, ``subnarratives``, ``score`` and ``evidence``; empty means ``Other``),
``labels["narrative_presence"]`` (probability that the article carries any narrative),
``labels["narrative_topics"]`` (the domains whose topic the article is about, the gate before
any narrative is named) and the ``narrative_evidence`` layer: for each narrative, the sentences
on its topic that push its score up most. An evidence span's score is its share of all the
positive support the sentences give that narrative (in [0, 1]).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from propwatch import registry
from propwatch.components.article import ArticleModelComponent, strongest_sentences
from propwatch.models.article.narratives import Narrative
from propwatch.text.analysis import (
    ENCODER_STATES,
    NARRATIVE_EVIDENCE,
    NARRATIVE_PRESENCE,
    NARRATIVE_TOPICS,
    NARRATIVES,
    SENTENCES,
    Analysis,
)
from propwatch.text.span import Span

# What the component finds: presence probability, topics, narratives with their evidence.
Found = tuple[float, list[str], list[tuple[Narrative, list[Span]]]]


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
    attrs = {"narrative": narrative.narrative, "subnarratives": list(narrative.subnarratives)}
    return [
        Span(sentence.start, sentence.end, narrative.narrative, share, attrs)
        for sentence, share in strongest_sentences(sentences, support, limit)
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
    assigns = (NARRATIVES, NARRATIVE_PRESENCE, NARRATIVE_TOPICS, NARRATIVE_EVIDENCE)
    version = "3"

    def __init__(self, *, model_dir: str | None = None, evidence_sentences: int = 2) -> None:
        super().__init__(model_dir=model_dir)
        self.evidence_sentences = evidence_sentences

    def predict(self, analysis: Analysis) -> Found:
        """Presence probability, the topics, and each narrative with its evidence spans."""
        text = analysis.text
        states = [self.encoder_states(analysis).mean_state()]
        presence = float(self.model.presence([text], states)[0])
        topics = sorted(self.model.on_topic([text])[0])
        sentences = analysis.layer(SENTENCES)
        sentence_texts = [s.text_of(text) for s in sentences]
        found = []
        for narrative in self.model.predict_narratives([text], states)[0]:
            support = self.model.support(sentence_texts, narrative)
            found.append(
                (narrative, evidence_spans(narrative, sentences, support, self.evidence_sentences))
            )
        return presence, topics, found

    def set_annotations(self, analysis: Analysis, result: Found) -> None:
        presence, topics, found = result
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
        analysis.labels[NARRATIVE_TOPICS] = topics
        analysis.set_layer(NARRATIVE_EVIDENCE, (s for _, spans in found for s in spans))

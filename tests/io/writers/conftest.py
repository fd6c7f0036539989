"""Two hand-built analyses that every writer test formats.

Article 7 has every layer and label filled (overlapping techniques, a quote with and one without
source/cue, the latter found by the learned tagger, entity roles, narratives); article 8 has
every analysis run but nothing found.
"""

from __future__ import annotations

import pytest

from propwatch import Analysis, Article, Span

TEXT = (
    "Valley Mayor Wins Again\n"
    "\n"
    "The reckless council wasted our money.\n"
    "\n"
    '"They are budget vandals," said critic Ann Roe.\n'
)


def _article7() -> Analysis:
    analysis = Analysis(Article(id="7", text=TEXT, title="Valley Mayor Wins Again"))
    analysis.set_layer(
        "paragraphs",
        [
            Span(start, end, "paragraph", attrs={"line": line})
            for start, end, line in [(0, 23, 1), (25, 63, 3), (65, 112, 5)]
        ],
    )
    wording = {"category": "manipulative wording", "voice": "author"}
    analysis.set_layer(
        "techniques",
        [
            Span(29, 37, "Loaded_Language", 0.91, wording),
            Span(29, 52, "Exaggeration-Minimisation", 0.55, wording),
            Span(
                75,
                89,
                "Name_Calling-Labeling",
                0.8,
                {"category": "attack on reputation", "voice": "quoted", "speaker": "Ann Roe"},
            ),
        ],
    )
    analysis.set_layer(
        "quotes",
        [
            Span(25, 63, "indirect", 0.86, {"tagged": True}),  # found by the learned tagger
            Span(
                66,
                90,
                "direct",
                attrs={
                    "speaker": "Ann Roe",
                    "source_start": 104,
                    "source_end": 111,
                    "cue_start": 92,
                    "cue_end": 96,
                },
            ),
        ],
    )
    analysis.set_layer(
        "entities",
        [
            Span(38, 45, "Antagonist", attrs={"entity": "council", "fine_roles": ["Incompetent"]}),
            Span(
                104,
                111,
                "Protagonist",
                attrs={"entity": "Ann Roe", "fine_roles": ["Guardian", "Peacemaker"]},
            ),
        ],
    )
    analysis.labels.update(
        scheme="semeval2023",
        genre="opinion",
        frames=["Economic", "Political"],
        narratives=[
            {
                "narrative": "URW: Discrediting Ukraine",
                "subnarratives": ["URW: Discrediting Ukraine: Ukraine is a puppet of the West"],
                "score": 0.7,
                "evidence": [[65, 112]],
            },
            {
                "narrative": "URW: Praise of Russia",
                "subnarratives": [],
                "score": 0.6,
                "evidence": [],
            },
        ],
    )
    return analysis


def _article8() -> Analysis:
    analysis = Analysis(Article(id="8", text="Quiet day\n", title="Quiet day"))
    analysis.set_layer("paragraphs", [Span(0, 9, "paragraph", attrs={"line": 1})])
    for layer in ("techniques", "quotes", "entities"):
        analysis.set_layer(layer, [])
    analysis.labels.update(genre="reporting", frames=[], narratives=[])
    return analysis


@pytest.fixture
def analyses() -> list[Analysis]:
    """Article 7 (everything found) then article 8 (nothing found)."""
    return [_article7(), _article8()]

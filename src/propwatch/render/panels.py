"""The article-level results around the highlighted text: genre and frames, speakers and their
quotes, narratives with their evidence, entity roles.

The web's article page and the HTML report show the same panels (``_panels.html``), built here
from an :class:`~propwatch.text.analysis.Analysis`. A panel is None when its layer or label was
not computed, so a page can tell "not analysed" from "none found". Plain data only; escaping is
the template's job.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from propwatch.render.view import Glossary
from propwatch.text.analysis import ENTITIES, FRAMES, GENRE, NARRATIVES, QUOTES, Analysis
from propwatch.text.span import Span

UNKNOWN_SPEAKER = "unknown speaker"
# Double quotation marks a quote span may begin or end with; the speakers panel shows quotes in
# <q>, which adds the reader's own marks, so the span's are left out there.
QUOTATION_MARKS = '"“”„‟«»'


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    kind: str


@dataclass(frozen=True, slots=True)
class EntityRole:
    entity: str
    main_role: str
    fine_roles: tuple[str, ...]
    mentions: int
    cast: bool


@dataclass(frozen=True, slots=True)
class Narrative:
    name: str
    subnarratives: tuple[str, ...]
    score: float | None
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Panels:
    """What the panels show; each is None when its layer or label was not computed."""

    genre: str | None
    frames: list[str] | None  # readable labels
    quotes: dict[str, list[Quote]] | None  # speaker -> quotes, most quoted first
    narratives: list[Narrative] | None
    entities: list[EntityRole] | None


def _quotes(analysis: Analysis) -> dict[str, list[Quote]] | None:
    if not analysis.has_layer(QUOTES):
        return None
    by_speaker: dict[str, list[Quote]] = defaultdict(list)
    for span in analysis.layer(QUOTES):
        speaker = str(span.attrs.get("speaker") or UNKNOWN_SPEAKER)
        text = span.text_of(analysis.text)
        shown = text.strip().strip(QUOTATION_MARKS).strip() or text
        by_speaker[speaker].append(Quote(shown, span.label))
    return dict(sorted(by_speaker.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def _narratives(analysis: Analysis) -> list[Narrative] | None:
    if NARRATIVES not in analysis.labels:
        return None
    found = []
    for item in analysis.labels[NARRATIVES]:
        evidence = tuple(analysis.text[int(s) : int(e)] for s, e in item.get("evidence", []))
        score = item.get("score")
        found.append(
            Narrative(
                name=str(item["narrative"]),
                subnarratives=tuple(str(s) for s in item.get("subnarratives", [])),
                score=float(score) if score is not None else None,
                evidence=evidence,
            )
        )
    return found


def _entities(analysis: Analysis) -> list[EntityRole] | None:
    """One row per entity, in order of first mention (mentions given by the user count as
    cast: they were asked about)."""
    if not analysis.has_layer(ENTITIES):
        return None
    by_entity: dict[str, list[Span]] = defaultdict(list)
    for span in analysis.layer(ENTITIES):
        name = str(span.attrs.get("entity") or span.text_of(analysis.text))
        by_entity[name].append(span)
    return [
        EntityRole(
            entity=name,
            main_role=spans[0].label,
            fine_roles=tuple(str(r) for r in spans[0].attrs.get("fine_roles", [])),
            mentions=len(spans),
            cast=bool(spans[0].attrs.get("cast", True)),
        )
        for name, spans in by_entity.items()
    ]


def build_panels(analysis: Analysis, glossary: Glossary) -> Panels:
    """The panels of ``analysis``; frames under their readable labels."""
    frames = analysis.labels.get(FRAMES)
    return Panels(
        genre=analysis.labels.get(GENRE),
        frames=[glossary.label(f) for f in frames] if frames is not None else None,
        quotes=_quotes(analysis),
        narratives=_narratives(analysis),
        entities=_entities(analysis),
    )

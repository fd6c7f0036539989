"""The article-level results around the highlighted text: genre and frames, techniques by
paragraph, speakers and their quotes, narratives with their evidence, entity roles with their
supporting sentence.

Each result comes with its confidence and the evidence its model gives: narratives their
sentences, entity roles the sentence where the role is most probable, paragraph techniques the
paragraph. The genre and frame models read the whole text (encoder states, TF-IDF); their cues
are the sentences that push most towards the answer (``genre_evidence``, ``frame_evidence``),
shown as cues, not proof; a result below :data:`LOW_CONFIDENCE` is marked as such.

The web's article page and the HTML report show the same panels (``_panels.html``), built here
from an :class:`~propwatch.text.analysis.Analysis`. A panel is None when its layer or label was
not computed, so a page can tell "not analysed" from "none found". Plain data only; escaping is
the template's job.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from propwatch.render.view import LOW_CONFIDENCE, Glossary
from propwatch.text.analysis import (
    ENTITIES,
    FRAME_EVIDENCE,
    FRAME_SCORES,
    FRAMES,
    GENRE,
    GENRE_EVIDENCE,
    GENRE_SCORES,
    NARRATIVE_TOPICS,
    NARRATIVES,
    PARAGRAPH_TECHNIQUES,
    PARAGRAPHS,
    QUOTES,
    Analysis,
)
from propwatch.text.span import Span

UNKNOWN_SPEAKER = "unknown speaker"
# Double quotation marks a quote span may begin or end with; the speakers panel shows quotes in
# <q>, which adds the reader's own marks, so the span's are left out there.
QUOTATION_MARKS = '"“”„‟«»'
# Characters of a paragraph shown beside its techniques.
EXCERPT_CHARS = 90


@dataclass(frozen=True, slots=True)
class Scored:
    """A readable label with its probability in [0, 1] (None when the analysis has none)."""

    label: str
    score: float | None = None

    @property
    def low(self) -> bool:
        return self.score is not None and self.score < LOW_CONFIDENCE


@dataclass(frozen=True, slots=True)
class ParagraphTechniques:
    """The techniques the paragraph classifier found in one paragraph (1-based line number)."""

    line: int
    excerpt: str
    techniques: tuple[Scored, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    """A quote as the speakers panel shows it; ``confidence`` is the learned tagger's, for the
    reported speech it found where no rule did (None for the rules' quotes)."""

    text: str
    kind: str
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class EntityRole:
    entity: str
    main_role: Scored
    fine_roles: tuple[str, ...]
    mentions: int
    cast: bool
    sentence: str | None  # where the role is most probable


@dataclass(frozen=True, slots=True)
class Narrative:
    name: str
    subnarratives: tuple[str, ...]
    score: float | None
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Panels:
    """What the panels show; each is None when its layer or label was not computed."""

    genre: Scored | None
    frames: list[Scored] | None  # readable labels, most probable first
    genre_cues: tuple[str, ...]  # sentences that push most towards the genre
    frame_cues: dict[str, tuple[str, ...]]  # readable frame label -> its sentences
    paragraphs: list[ParagraphTechniques] | None
    quotes: dict[str, list[Quote]] | None  # speaker -> quotes, most quoted first
    narratives: list[Narrative] | None
    # Narrative domains whose topic the text is about; None when not computed (older analyses).
    narrative_topics: list[str] | None
    entities: list[EntityRole] | None

    @property
    def whole_text_scores(self) -> bool:
        """Whether genre or frames have probabilities (of the whole text, with no sentence)."""
        scored = [*([self.genre] if self.genre else []), *(self.frames or [])]
        return any(s.score is not None for s in scored)


def _quotes(analysis: Analysis) -> dict[str, list[Quote]] | None:
    if not analysis.has_layer(QUOTES):
        return None
    by_speaker: dict[str, list[Quote]] = defaultdict(list)
    for span in analysis.layer(QUOTES):
        speaker = str(span.attrs.get("speaker") or UNKNOWN_SPEAKER)
        text = span.text_of(analysis.text)
        shown = text.strip().strip(QUOTATION_MARKS).strip() or text
        confidence = span.score if span.attrs.get("tagged") else None
        by_speaker[speaker].append(Quote(shown, span.label, confidence))
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
            main_role=Scored(spans[0].label, spans[0].score),
            fine_roles=tuple(str(r) for r in spans[0].attrs.get("fine_roles", [])),
            mentions=len(spans),
            cast=bool(spans[0].attrs.get("cast", True)),
            sentence=_quoted(analysis.text, spans[0].attrs.get("sentence")),
        )
        for name, spans in by_entity.items()
    ]


def _quoted(text: str, where: object) -> str | None:
    """The ``[start, end]`` stretch of ``text``, stripped; None without one."""
    if not isinstance(where, list | tuple) or len(where) != 2:
        return None
    return text[int(where[0]) : int(where[1])].strip() or None


def _genre(analysis: Analysis) -> Scored | None:
    """The genre with its probability; where the model was unsure (no genre clearly
    supported), the label says so and names the most probable genre with its probability."""
    genre = analysis.labels.get(GENRE)
    if genre is None:
        return None
    scores = analysis.labels.get(GENRE_SCORES, {})
    if genre in scores or not scores:
        return Scored(str(genre), scores.get(genre))
    leaning = max(scores, key=scores.__getitem__)
    return Scored(f"{genre}, most probably {leaning}", float(scores[leaning]))


def _frames(analysis: Analysis, glossary: Glossary) -> list[Scored] | None:
    frames = analysis.labels.get(FRAMES)
    if frames is None:
        return None
    scores = analysis.labels.get(FRAME_SCORES, {})
    found = [Scored(glossary.label(f), scores.get(f)) for f in frames]
    return sorted(found, key=lambda f: -(f.score or 0.0))


def _frame_cues(analysis: Analysis, glossary: Glossary) -> dict[str, tuple[str, ...]]:
    """Readable frame label -> its cue sentences, for the frames that have some."""
    cues = {}
    for frame, where in analysis.labels.get(FRAME_EVIDENCE, {}).items():
        sentences = _stretches(analysis.text, where)
        if sentences:
            cues[glossary.label(frame)] = sentences
    return cues


def _stretches(text: str, where: list[object]) -> tuple[str, ...]:
    """The non-empty ``[start, end]`` stretches of ``text`` (see :func:`_quoted`), in order."""
    return tuple(s for s in (_quoted(text, w) for w in where) if s)


def _paragraphs(analysis: Analysis, glossary: Glossary) -> list[ParagraphTechniques] | None:
    found = analysis.labels.get(PARAGRAPH_TECHNIQUES)
    if found is None:
        return None
    texts = {
        int(p.attrs["line"]): p.text_of(analysis.text)
        for p in analysis.layer(PARAGRAPHS)
        if "line" in p.attrs
    }
    paragraphs = []
    for item in found:
        text = texts.get(int(item["line"]), "")
        excerpt = text if len(text) <= EXCERPT_CHARS else _cut(text, EXCERPT_CHARS)
        names = item["techniques"]
        scores = item.get("scores") or [None] * len(names)
        techniques = tuple(
            Scored(glossary.label(name), None if score is None else float(score))
            for name, score in zip(names, scores, strict=True)
        )
        paragraphs.append(ParagraphTechniques(int(item["line"]), excerpt, techniques))
    return paragraphs


def _cut(text: str, limit: int) -> str:
    """``text`` cut at the last space within ``limit`` characters, with an ellipsis."""
    head = text[:limit]
    return (head.rsplit(" ", 1)[0] if " " in head else head).rstrip(",;: ") + "…"


def build_panels(analysis: Analysis, glossary: Glossary) -> Panels:
    """The panels of ``analysis``; frames and techniques under their readable labels."""
    return Panels(
        genre=_genre(analysis),
        frames=_frames(analysis, glossary),
        genre_cues=_stretches(analysis.text, analysis.labels.get(GENRE_EVIDENCE, [])),
        frame_cues=_frame_cues(analysis, glossary),
        paragraphs=_paragraphs(analysis, glossary),
        quotes=_quotes(analysis),
        narratives=_narratives(analysis),
        narrative_topics=analysis.labels.get(NARRATIVE_TOPICS),
        entities=_entities(analysis),
    )

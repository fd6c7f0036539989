"""SemEval-2025 Task 10 submission files: subtask 1 (entity roles), subtask 2 (narratives).

Subtask 1 offsets are **end-inclusive** in the official format; propwatch spans are
end-exclusive, so the end written is ``span.end - 1``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TextIO

from propwatch import registry
from propwatch.io.writers.base import Writer, write_tsv_rows
from propwatch.text.analysis import ENTITIES, Analysis

NARRATIVES = "narratives"
OTHER = "Other"


def entity_rows(analysis: Analysis) -> Iterator[list[object]]:
    """``[id, mention, start, end_inclusive, main_role, *fine_roles]`` per entity span."""
    for span in analysis.layer(ENTITIES):
        mention = span.attrs.get("mention", span.text_of(analysis.text))
        roles = list(span.attrs.get("fine_roles", ()))
        yield [analysis.article.id, mention, span.start, span.end - 1, span.label, *roles]


def write_st1(analyses: Iterable[Analysis], stream: TextIO) -> None:
    """One row per entity mention, fine roles each in their own column."""
    write_tsv_rows(stream, (row for a in analyses for row in entity_rows(a)))


def _subnarratives(narrative: Mapping[str, Any]) -> list[str]:
    # The official files write "<narrative>: Other" when no subnarrative of it applies.
    return list(narrative.get("subnarratives") or [f"{narrative['narrative']}: {OTHER}"])


def narrative_row(analysis: Analysis) -> tuple[str, str, str]:
    """``(id, narratives, subnarratives)``, each ``;``-joined; ``Other`` when there are none."""
    narratives = analysis.labels[NARRATIVES]
    if not narratives:
        return analysis.article.id, OTHER, OTHER
    coarse = ";".join(n["narrative"] for n in narratives)
    fine = ";".join(sub for n in narratives for sub in _subnarratives(n))
    return analysis.article.id, coarse, fine


def write_st2(analyses: Iterable[Analysis], stream: TextIO) -> None:
    """One row per article: id, narratives, subnarratives."""
    write_tsv_rows(stream, (narrative_row(a) for a in analyses))


registry.writers.add(
    "semeval2025-st1",
    Writer(
        name="semeval2025-st1",
        suffix=".txt",
        media_type="text/tab-separated-values",
        requires=(ENTITIES,),
        write=write_st1,
        description="SemEval-2025 Task 10 subtask 1: doc, entity, start, end (inclusive), roles",
    ),
)
registry.writers.add(
    "semeval2025-st2",
    Writer(
        name="semeval2025-st2",
        suffix=".txt",
        media_type="text/tab-separated-values",
        requires=(NARRATIVES,),
        write=write_st2,
        description="SemEval-2025 Task 10 subtask 2: doc, narratives, subnarratives",
    ),
)

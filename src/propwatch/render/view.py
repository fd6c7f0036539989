"""Analysis → view model for the HTML report (displaCy-style: convert first, then render).

Overlapping technique spans are laid out like displaCy's span renderer: each span gets a
vertical *slot* (sorted by start, longest first; the lowest slot free of overlapping spans), and
the text is cut at every span boundary into segments that know which spans cover them. The
``highlighted_text`` macro (``render/templates/_highlight.html``), used by the web's article
page and the HTML report alike, draws one underline ("stripe") per covering span at its slot's
height, coloured by CSS classes of the span's category.

Everything here is plain data; escaping is the template's job (Jinja2 autoescape), so no value
in this module is HTML.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from propwatch import registry
from propwatch.render.environment import css_class
from propwatch.schemes import Category, Technique, load_scheme
from propwatch.text.analysis import TECHNIQUES, Analysis
from propwatch.text.span import Span

UNKNOWN_COLOUR = "#9e9e9e"
MAX_SLOT = 7  # deeper overlaps share the last stripe height (propwatch.css defines s0..s7)
# Below even odds a result is more likely wrong than right: pages and reports say "low
# confidence" (technique cards here, article panels in render/panels.py).
LOW_CONFIDENCE = 0.5


@dataclass(frozen=True, slots=True)
class SpanView:
    """One technique span as the report shows it (a card and a stripe)."""

    number: int  # 1-based, in text order; the marker in the text and the card share it
    anchor: str  # HTML id of the card
    slot: int
    start: int
    end: int
    text: str
    technique: str
    label: str
    category: str
    colour: str
    definition: str
    score: float
    voice: str
    speaker: str
    runner_up: str = ""  # readable label of the next most probable technique, if known
    runner_up_score: float = 0.0
    # the words that weighed most for the technique, heaviest first, with their weights
    # (``weighed_words``, only where the explain component ran)
    words: tuple[tuple[str, float], ...] = ()

    @property
    def low(self) -> bool:
        """Whether the score is below :data:`LOW_CONFIDENCE`."""
        return self.score < LOW_CONFIDENCE


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of text covered by the same spans (indices into ``ArticleView.spans``)."""

    text: str
    covering: tuple[int, ...]
    starting: tuple[int, ...]
    title: bool = False  # part of the title that opens the text


@dataclass(frozen=True, slots=True)
class Stripe:
    """One covering span's underline: its slot (height), category class and span number."""

    slot: int
    css: str
    number: int


@dataclass(frozen=True, slots=True)
class MarkedSegment:
    """A piece of text with the stripes of every span covering it (none for plain text)."""

    text: str
    stripes: tuple[Stripe, ...]
    starting: tuple[SpanView, ...]  # spans that start here (the report links their numbers)
    numbers: str  # span numbers covering it, space-separated, for the card
    background: str  # category class of the span closest to the text
    summary: str  # technique labels, for screen readers
    title: bool  # part of the title that opens the text (set as a heading)


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """A category or technique in a legend, with its category's CSS class."""

    name: str
    label: str
    css: str
    count: int


@dataclass(frozen=True, slots=True)
class ArticleView:
    """Everything the template shows for one article."""

    id: str
    title: str
    anchor: str
    segments: tuple[Segment, ...]
    marked: tuple[MarkedSegment, ...]
    spans: tuple[SpanView, ...]
    categories: tuple[LegendEntry, ...]
    techniques: tuple[LegendEntry, ...]
    has_techniques: bool
    slots: int


@dataclass(frozen=True, slots=True)
class Glossary:
    """Technique and category descriptions gathered from every registered scheme."""

    techniques: dict[str, Technique]
    categories: dict[str, Category]

    @classmethod
    def load(cls, preferred: str | None = None) -> Glossary:
        """Read all schemes; names in ``preferred`` win when two schemes share a name."""
        order = [n for n in registry.schemes.names() if n != preferred]
        if preferred is not None and preferred in registry.schemes:
            order.append(preferred)  # loaded last, so it overwrites shared names
        techniques: dict[str, Technique] = {}
        categories: dict[str, Category] = {}
        for name in order:
            scheme = load_scheme(name)
            techniques.update((t.name, t) for t in scheme.techniques)
            categories.update((c.name, c) for c in scheme.categories)
        return cls(techniques, categories)

    def colour(self, category: str) -> str:
        found = self.categories.get(category)
        return found.colour if found else UNKNOWN_COLOUR

    def label(self, name: str) -> str:
        """What a reader sees for a technique or frame name: the scheme's label, else
        :func:`readable` (raw names stay in the data formats)."""
        technique = self.techniques.get(name)
        return technique.label if technique else readable(name)

    def technique_class(self, name: str) -> str:
        """CSS class of technique ``name``'s category (``cat-unknown`` when no scheme has it)."""
        technique = self.techniques.get(name)
        return css_class(technique.category if technique else "")


def readable(name: str) -> str:
    """A raw label with its underscores as spaces and only its first letter capital.

    >>> readable("Legality_Constitutionality_and_jurisprudence")
    'Legality constitutionality and jurisprudence'
    """
    first, *rest = name.replace("_", " ").split(" ")
    return " ".join([first, *(word.lower() for word in rest)])


def assign_slots(spans: Sequence[Span]) -> list[int]:
    """Vertical slot of each span so that overlapping spans never share a slot.

    Parameters
    ----------
    spans : sequence of Span
        In any order.

    Returns
    -------
    list of int
        ``slots[i]`` for ``spans[i]``, 0 being closest to the text.
    """
    order = sorted(range(len(spans)), key=lambda i: (spans[i].start, -len(spans[i]), i))
    slots = [0] * len(spans)
    placed: list[int] = []
    for i in order:
        taken = {slots[j] for j in placed if spans[j].overlap(spans[i]) > 0}
        slots[i] = next(s for s in range(len(placed) + 1) if s not in taken)
        placed.append(i)
    return slots


def cut_segments(text: str, spans: Sequence[Span], title_end: int = 0) -> list[Segment]:
    """Cut ``text`` at every span boundary; each piece lists the spans covering it.

    Parameters
    ----------
    text : str
    spans : sequence of Span
    title_end : int, default=0
        End (exclusive) of a title that opens the text: the text is cut there too, and the
        pieces before it are marked ``title``.

    Returns
    -------
    list of Segment
        Pieces that concatenate back to ``text`` exactly.
    """
    ends = {s.start for s in spans} | {s.end for s in spans} | {title_end}
    bounds = sorted({0, len(text), *ends})
    segments = []
    for left, right in pairwise(bounds):
        covering = tuple(i for i, s in enumerate(spans) if s.start <= left and right <= s.end)
        starting = tuple(i for i, s in enumerate(spans) if s.start == left)
        segments.append(Segment(text[left:right], covering, starting, right <= title_end))
    return segments


def _span_view(
    number: int, anchor: str, slot: int, span: Span, text: str, glossary: Glossary
) -> SpanView:
    technique = glossary.techniques.get(span.label)
    category = span.attrs.get("category") or (technique.category if technique else "")
    return SpanView(
        number=number,
        anchor=f"{anchor}-span-{number}",
        slot=slot,
        start=span.start,
        end=span.end,
        text=span.text_of(text),
        technique=span.label,
        label=technique.label if technique else span.label,
        category=category,
        colour=glossary.colour(category),
        definition=technique.definition if technique else "",
        score=span.score,
        voice=str(span.attrs.get("voice", "")),
        speaker=str(span.attrs.get("speaker") or ""),
        runner_up=glossary.label(str(span.attrs["runner_up"])) if "runner_up" in span.attrs else "",
        runner_up_score=float(span.attrs.get("runner_up_score", 0.0)),
        words=tuple(
            (text[w["start"] : w["end"]], float(w["weight"]))
            for w in span.attrs.get("weighed_words", ())
        ),
    )


def _legend(views: Iterable[SpanView], glossary: Glossary) -> tuple[tuple[LegendEntry, ...], ...]:
    views = list(views)
    by_category = Counter(v.category for v in views)
    by_technique = Counter(v.technique for v in views)
    labels = {v.technique: v.label for v in views}
    classes = {v.technique: css_class(v.category) for v in views}
    categories = tuple(
        LegendEntry(c.name, c.label, css_class(c.name), by_category[c.name])
        for c in glossary.categories.values()
        if by_category[c.name]
    )
    techniques = tuple(
        LegendEntry(name, labels[name], classes[name], count)
        for name, count in by_technique.most_common()
    )
    return categories, techniques


def marked_segments(
    segments: Iterable[Segment], spans: Sequence[SpanView]
) -> tuple[MarkedSegment, ...]:
    """``segments`` with the stripes, numbers and labels of the ``spans`` covering each."""
    marked = []
    for segment in segments:
        by_slot = sorted((spans[i] for i in segment.covering), key=lambda s: s.slot)
        marked.append(
            MarkedSegment(
                text=segment.text,
                stripes=tuple(
                    Stripe(min(s.slot, MAX_SLOT), css_class(s.category), s.number) for s in by_slot
                ),
                starting=tuple(spans[i] for i in segment.starting),
                numbers=" ".join(str(s.number) for s in by_slot),
                background=css_class(by_slot[0].category) if by_slot else "",
                summary="; ".join(s.label for s in by_slot),
                title=segment.title,
            )
        )
    return tuple(marked)


def build_view(
    analysis: Analysis, index: int, glossary: Glossary, *, title_end: int = 0
) -> ArticleView:
    """The view model of ``analysis``, the ``index``-th article of the report (0-based).

    ``title_end``: end of a title that opens the text, whose segments are marked (see
    :func:`cut_segments`); 0 for none.
    """
    spans = analysis.layer(TECHNIQUES)  # sorted by (start, end): numbers follow the text
    anchor = f"article-{index + 1}"
    slots = assign_slots(spans)
    views = tuple(
        _span_view(i + 1, anchor, slots[i], s, analysis.text, glossary) for i, s in enumerate(spans)
    )
    categories, techniques = _legend(views, glossary)
    segments = tuple(cut_segments(analysis.text, spans, title_end))
    article = analysis.article
    return ArticleView(
        id=article.id,
        title=article.title or article.id,
        anchor=anchor,
        segments=segments,
        marked=marked_segments(segments, views),
        spans=views,
        categories=categories,
        techniques=techniques,
        has_techniques=analysis.has_layer(TECHNIQUES),
        slots=max(slots, default=-1) + 1,
    )

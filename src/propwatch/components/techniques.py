"""The ``techniques`` component: persuasion-technique spans with their evidence.

A thin adapter around :class:`~propwatch.models.techniques.TechniqueTagger`: it runs the
tagger on each article and writes the ``techniques`` layer, adding from the scheme each span's
category and definition, and the sentence that holds it. It also assigns the encoder's
states (the ``encoder_states`` run-time layer), which the article-level components require
instead of running the encoder again.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path
from typing import Any

from propwatch import config, registry
from propwatch.models.techniques import DEFAULT_MODEL_DIR, Detection, Encoded, TechniqueTagger
from propwatch.pipeline.component import Component
from propwatch.schemes import Scheme, load_scheme
from propwatch.text.analysis import (
    ENCODER_STATES,
    PARAGRAPH_TECHNIQUES,
    SCHEME_LABEL,
    SENTENCES,
    TECHNIQUES,
    Analysis,
)
from propwatch.text.span import Span

Found = tuple[list[Detection], list[dict[str, Any]], Encoded]
# Longest text encoded while it is parsed (all news articles): on longer ones the encoder's and
# the parse's working memory (hundreds of MB each at 100,000 characters) would add up, so they
# are encoded after the parse, as before.
EARLY_ENCODE_CHARS = 50_000


def sentence_of(span: Detection, sentences: list[Span]) -> list[int] | None:
    """``[start, end]`` from the sentence holding the span's start to the one holding its end."""
    if not sentences:
        return None
    starts = [s.start for s in sentences]
    first = sentences[max(bisect_right(starts, span.start) - 1, 0)]
    last = sentences[max(bisect_right(starts, max(span.end - 1, span.start)) - 1, 0)]
    return [first.start, max(first.end, last.end)]


def to_span(detection: Detection, scheme: Scheme, sentences: list[Span]) -> Span:
    """The layer span of one detection, with category, definition and sentence."""
    technique = scheme.technique(detection.technique)
    attrs: dict[str, object] = {
        "category": technique.category,
        "definition": technique.definition,
    }
    sentence = sentence_of(detection, sentences)
    if sentence is not None:
        attrs["sentence"] = sentence
    if detection.runner_up is not None:
        attrs["runner_up"] = detection.runner_up
        attrs["runner_up_score"] = detection.runner_up_score
    return Span(detection.start, detection.end, detection.technique, detection.score, attrs)


@registry.components.register("techniques")
class TechniquesComponent(Component):
    """Assign the ``techniques`` layer, the ``scheme`` and ``paragraph_techniques`` labels, and
    the encoder's states (``encoder_states``, tagged with the encoder's version).

    Parameters
    ----------
    scheme : str, default=config.DEFAULT_SCHEME
        Technique scheme of the output; the model must have been trained on it.
    model_dir : str or None, default=None
        Folder of a trained technique model; ``None`` uses the one shipped with propwatch.
    threads : int, default=0
        onnxruntime threads (0: onnxruntime's choice).
    """

    name = "techniques"
    requires = (SENTENCES,)
    assigns = (TECHNIQUES, SCHEME_LABEL, PARAGRAPH_TECHNIQUES, ENCODER_STATES)
    version = "2"  # 2: spans name their runner-up technique

    def __init__(
        self, *, scheme: str = config.DEFAULT_SCHEME, model_dir: str | None = None, threads: int = 0
    ) -> None:
        self.scheme = scheme
        self.model_dir = model_dir
        self.threads = threads
        self._tagger: TechniqueTagger | None = None
        self._scheme: Scheme | None = None

    def model_files(self) -> list[Path]:
        """Every file of the technique model folder but its model card."""
        folder = Path(self.model_dir) if self.model_dir else DEFAULT_MODEL_DIR
        return [p for p in folder.iterdir() if p.is_file() and p.suffix != ".md"]

    def tagger(self) -> TechniqueTagger:
        """The loaded tagger (loaded on first use, then kept)."""
        if self._tagger is None:
            model_dir = Path(self.model_dir) if self.model_dir else None
            tagger = TechniqueTagger(model_dir=model_dir, threads=self.threads).load()
            tagger.check_scheme(self.scheme)
            self._tagger = tagger
            self._scheme = load_scheme(self.scheme)
        return self._tagger

    def prepares_early(self, analysis: Analysis) -> bool:
        """The encoder reads only the text, so it runs while the text is parsed, up to
        :data:`EARLY_ENCODE_CHARS` characters."""
        return len(analysis.text) <= EARLY_ENCODE_CHARS

    def prepare(self, analysis: Analysis) -> Encoded:
        """The encoder's states and token probabilities of the text (no layer needed)."""
        return self.tagger().encode(analysis.text)

    def predict(self, analysis: Analysis) -> Found:
        """Technique spans, per-paragraph techniques and encoder states (nothing written).

        Returns
        -------
        detections : list of Detection
        paragraphs : list of dict
            ``{"line", "techniques", "scores"}`` for each paragraph with a technique.
        encoded : Encoded
        """
        encoded: Encoded = self.prepared(analysis)  # first: it may be loading the tagger
        tagger = self.tagger()
        detections = tagger.detect(analysis.text, self.scheme, encoded)
        paragraphs = [
            {
                "line": int(paragraph.attrs["line"]),
                "techniques": [name for name, _score in chosen],
                "scores": [round(score, 4) for _name, score in chosen],
            }
            for paragraph, chosen in tagger.paragraph_techniques(
                analysis.text, self.scheme, encoded
            )
            if chosen
        ]
        return detections, paragraphs, encoded

    def set_annotations(self, analysis: Analysis, results: Found) -> None:
        assert self._scheme is not None  # set by tagger(), which predict() called
        detections, paragraphs, encoded = results
        analysis.set_runtime(ENCODER_STATES, encoded)
        sentences = analysis.layer(SENTENCES)
        analysis.set_layer(TECHNIQUES, [to_span(d, self._scheme, sentences) for d in detections])
        analysis.labels[SCHEME_LABEL] = self.scheme
        analysis.labels[PARAGRAPH_TECHNIQUES] = paragraphs

"""The ``explain`` component: the words that weighed most for each technique span.

Not in the default pipeline: it costs one encoder call per span (see
:mod:`propwatch.models.techniques.explain`), so it runs where a reader asked for it:
``propwatch analyze --explain`` (after ``--min-confidence``, so only the spans written are
explained) and the article page, which fetches one span's words when its card asks. It adds
``weighed_words`` to each ``techniques`` span: up to :data:`TOP_WORDS` words, heaviest first,
as ``{"start", "end", "weight"}`` (character offsets, end-exclusive; the drop of the span
head's probability of the technique when the word is masked).
"""

from __future__ import annotations

from pathlib import Path

from propwatch import config, registry
from propwatch.components.technique_model import default_model_dir, default_tagger
from propwatch.models.techniques import TechniqueTagger
from propwatch.models.techniques.explain import WordWeight, occlusion_weights
from propwatch.models.techniques.windows import Tokens, tokenize
from propwatch.pipeline.component import Component
from propwatch.text.analysis import SCHEME_LABEL, TECHNIQUES, Analysis
from propwatch.text.span import Span

TOP_WORDS = 5  # a card names a handful; the rest weigh little or against the technique
WEIGHED_WORDS = "weighed_words"


def heaviest(weights: list[WordWeight], top: int = TOP_WORDS) -> list[WordWeight]:
    """The ``top`` words that support the technique (weight > 0), heaviest first."""
    return sorted((w for w in weights if w.weight > 0), key=lambda w: -w.weight)[:top]


@registry.components.register("explain")
class ExplainComponent(Component):
    """Add ``weighed_words`` to the spans of the ``techniques`` layer.

    Parameters
    ----------
    model_dir : str or None, default=None
        Folder of the technique model that marked the spans; ``None``: the default one
        (``PROPWATCH_TECHNIQUE_MODEL_DIR`` or the shipped one).
    """

    name = "explain"
    requires = (TECHNIQUES, SCHEME_LABEL)
    assigns = (TECHNIQUES,)
    version = "1"

    def __init__(self, *, model_dir: str | None = None) -> None:
        self.model_dir = model_dir
        self._tagger: TechniqueTagger | None = None

    def model_files(self) -> list[Path]:
        """Every file of the technique model folder but its model card."""
        folder = Path(self.model_dir) if self.model_dir else default_model_dir()
        return [p for p in folder.iterdir() if p.is_file() and p.suffix != ".md"]

    def tagger(self) -> TechniqueTagger:
        """The loaded tagger; the default one is shared with the rest of the process."""
        if self._tagger is None:
            self._tagger = (
                TechniqueTagger(model_dir=self.model_dir).load()
                if self.model_dir
                else default_tagger()
            )
        return self._tagger

    def explain_span(
        self, analysis: Analysis, span: Span, tokens: Tokens | None = None
    ) -> list[WordWeight]:
        """Every word of ``span`` (a ``techniques`` span of ``analysis``) and its context,
        with its weight, in text order; ``tokens``: the text's wordpieces, if known.

        A stored analysis without a ``scheme`` label (made by a pipeline of other components)
        is read in the default scheme."""
        scheme = str(analysis.labels.get(SCHEME_LABEL, config.DEFAULT_SCHEME))
        return occlusion_weights(
            self.tagger(), analysis.text, (span.start, span.end), span.label, scheme, tokens=tokens
        )

    def predict(self, analysis: Analysis) -> list[list[WordWeight]]:
        """The words of every technique span, in layer order (nothing written)."""
        spans = analysis.layer(TECHNIQUES)
        if not spans:
            return []
        tokens = tokenize(self.tagger().tokenizer_, analysis.text)  # once for all spans
        return [self.explain_span(analysis, span, tokens) for span in spans]

    def set_annotations(self, analysis: Analysis, results: list[list[WordWeight]]) -> None:
        spans = analysis.layer(TECHNIQUES)
        analysis.set_layer(
            TECHNIQUES,
            [
                Span(
                    s.start,
                    s.end,
                    s.label,
                    s.score,
                    {**s.attrs, WEIGHED_WORDS: _entries(heaviest(w))},
                )
                for s, w in zip(spans, results, strict=True)
            ],
        )


def _entries(weights: list[WordWeight]) -> list[dict[str, float | int]]:
    """``weighed_words`` entries of the layer's spans."""
    return [{"start": w.start, "end": w.end, "weight": w.weight} for w in weights]

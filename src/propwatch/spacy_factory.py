"""propwatch's technique detector as a spaCy pipeline component, ``propwatch_techniques``.

spaCy finds the factory through the ``spacy_factories`` entry point of the installed package,
so no import is needed::

    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("propwatch_techniques")  # config: scheme, model_dir, spans_key
    doc = nlp(text)
    group = doc.spans["propwatch"]
    for span, score in zip(group, group.attrs["scores"]):
        print(span.text, span.label_, score)

The spans are a ``SpanGroup`` whose ``attrs["scores"]`` holds one probability per span, in
span order, as spaCy's own span categorizer stores its scores. propwatch's spans are
character offsets; spaCy's spans cover whole tokens, so each is widened to the tokens it
touches (``Doc.char_span(..., alignment_mode="expand")``).
"""

from __future__ import annotations

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from propwatch import config
from propwatch.pipeline import Pipeline
from propwatch.settings import AnalysisLimits
from propwatch.text.analysis import TECHNIQUES
from propwatch.text.article import Article

FACTORY = "propwatch_techniques"
SPANS_KEY = "propwatch"
SCORES = "scores"  # the SpanGroup attribute spaCy's span categorizer uses
# The components the technique detector needs, in order.
COMPONENTS = ("text", "techniques")


class TechniqueSpans:
    """A spaCy component that writes propwatch's technique spans to ``doc.spans``.

    Parameters
    ----------
    pipeline : Pipeline
        A propwatch pipeline that assigns the ``techniques`` layer.
    spans_key : str, default="propwatch"
        The ``doc.spans`` key written.
    """

    def __init__(self, pipeline: Pipeline, spans_key: str = SPANS_KEY) -> None:
        self.pipeline = pipeline
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        """Analyse ``doc.text`` and set ``doc.spans[spans_key]`` (replacing a group there)."""
        analysis = self.pipeline(Article(id="spacy", text=doc.text))
        spans, scores = [], []
        for span in analysis.layer(TECHNIQUES):
            found = doc.char_span(span.start, span.end, label=span.label, alignment_mode="expand")
            # None only when the span holds no token (whitespace alone): nothing to mark.
            if found is not None:
                spans.append(found)
                scores.append(span.score)
        group = SpanGroup(doc, name=self.spans_key, spans=spans)
        group.attrs[SCORES] = np.array(scores, dtype=np.float32)
        doc.spans[self.spans_key] = group
        return doc


@Language.factory(
    FACTORY,
    default_config={"scheme": config.DEFAULT_SCHEME, "model_dir": None, "spans_key": SPANS_KEY},
)
def make_technique_spans(
    nlp: Language, name: str, scheme: str, model_dir: str | None, spans_key: str
) -> TechniqueSpans:
    """Build the component (spaCy calls this for ``nlp.add_pipe("propwatch_techniques")``).

    Parameters
    ----------
    nlp : Language
        The spaCy pipeline it joins (unused: propwatch tokenizes on its own).
    name : str
        The component's name in ``nlp``.
    scheme : str, default=config.DEFAULT_SCHEME
        The technique scheme (``"semeval2023"`` or ``"semeval2020"``).
    model_dir : str or None, default=None
        A technique model folder (``propwatch train techniques``); None for the shipped one.
    spans_key : str, default="propwatch"
        The ``doc.spans`` key written.
    """
    settings = {"techniques": {"scheme": scheme, "model_dir": model_dir}}
    pipeline = Pipeline.from_names(
        COMPONENTS, settings, max_text_chars=AnalysisLimits().max_text_chars
    )
    return TechniqueSpans(pipeline, spans_key)

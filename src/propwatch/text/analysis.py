"""The result of analysing one article: span layers plus article-level labels."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from propwatch.text.article import Article
from propwatch.text.span import Span

SCHEMA_VERSION = "1.0"

# Well-known layer names; components may add others.
PARAGRAPHS = "paragraphs"
SENTENCES = "sentences"
TECHNIQUES = "techniques"
QUOTES = "quotes"
ENTITIES = "entities"
NARRATIVE_EVIDENCE = "narrative_evidence"
# Well-known article labels (``Analysis.labels`` keys), with the shape of their values.
# Techniques per paragraph, as judged from the whole paragraph (see docs): list of dict.
PARAGRAPH_TECHNIQUES = "paragraph_techniques"
SCHEME_LABEL = "scheme"  # str: the technique scheme of the techniques layer
VOICES_LABEL = "voices"  # dict: technique spans per voice (author, quoted speakers)
GENRE = "genre"  # str: the most probable genre
GENRE_SCORES = "genre_scores"  # dict of genre to probability
FRAMES = "frames"  # list of str: frames above their thresholds
FRAME_SCORES = "frame_scores"  # dict of frame to probability
NARRATIVES = "narratives"  # list of dict: narrative, subnarratives, score, evidence
NARRATIVE_PRESENCE = "narrative_presence"  # float: probability the article carries a narrative


@dataclass
class Analysis:
    """Everything propwatch found in one :class:`Article`.

    Attributes
    ----------
    article : Article
        The analysed article; every span offset refers to ``article.text``.
    spans : dict of str to list of Span
        Span layers keyed by name (``"techniques"``, ``"quotes"``, ``"sentences"``…). Spans in a
        layer may overlap and are kept sorted by (start, end).
    labels : dict of str to Any
        Article-level results, JSON-serializable: ``genre``, ``frames``, ``narratives``…
    models : dict of str to str
        Version of each model that contributed, keyed by component name.
    cache : dict of str to Any
        Run-time objects that components share and that are never serialized or compared, e.g.
        the spaCy parse under ``"text.parse"`` (see :func:`propwatch.text.nlp.parse_of`).
    """

    article: Article
    spans: dict[str, list[Span]] = field(default_factory=dict)
    labels: dict[str, Any] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.article.text

    def layer(self, name: str) -> list[Span]:
        """The spans of layer ``name`` (empty if the layer was never set)."""
        return self.spans.get(name, [])

    def set_layer(self, name: str, spans: Iterable[Span]) -> None:
        """Replace layer ``name``; every span must fit the article text."""
        ordered = sorted(spans, key=lambda s: (s.start, s.end, s.label))
        for span in ordered:
            span.check_fits(self.article.text)
        self.spans[name] = ordered

    def has_layer(self, name: str) -> bool:
        return name in self.spans

    def to_dict(self, exclude: Iterable[str] = ()) -> dict[str, Any]:
        """JSON-ready dict following ``docs/json-schema.md``; ``exclude`` drops layers/keys."""
        skip = set(exclude)
        data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        if "article" not in skip:
            data["article"] = self.article.to_dict()
        data["spans"] = {
            name: [s.to_dict() for s in spans]
            for name, spans in self.spans.items()
            if name not in skip
        }
        data["labels"] = {k: v for k, v in self.labels.items() if k not in skip}
        data["models"] = dict(self.models)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Analysis:
        analysis = cls(article=Article.from_dict(data["article"]))
        for name, spans in data.get("spans", {}).items():
            analysis.set_layer(name, (Span.from_dict(s) for s in spans))
        analysis.labels = dict(data.get("labels", {}))
        analysis.models = dict(data.get("models", {}))
        return analysis

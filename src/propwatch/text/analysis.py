"""The result of analysing one article: span layers plus article-level labels."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

from propwatch.errors import PropwatchError
from propwatch.text.article import Article
from propwatch.text.span import Span

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

T = TypeVar("T")

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
GENRE = "genre"  # str: the most probable genre, or "unsure" when none is clearly supported
GENRE_SCORES = "genre_scores"  # dict of genre to probability
FRAMES = "frames"  # list of str: frames above their thresholds
FRAME_SCORES = "frame_scores"  # dict of frame to probability
GENRE_EVIDENCE = "genre_evidence"  # list of [start, end]: sentences that push to the genre
FRAME_EVIDENCE = "frame_evidence"  # dict of frame to list of [start, end] (its sentences)
NARRATIVES = "narratives"  # list of dict: narrative, subnarratives, score, evidence
NARRATIVE_PRESENCE = "narrative_presence"  # float: probability the article carries a narrative
NARRATIVE_TOPICS = "narrative_topics"  # list of str: narrative domains whose topic it is about


class RuntimeLayer(str, Generic[T]):
    """Name of a layer of run-time values of type ``T``: shared between components, never
    serialized or compared (kept in :attr:`Analysis.cache`).

    It is a layer name like any other, so components list it in ``requires`` and ``assigns``
    and the pipeline checks, before anything runs, that an earlier component assigns it.
    Components write it with :meth:`Analysis.set_runtime` and read it, typed, with
    :meth:`Analysis.runtime`.
    """

    __slots__ = ()


class EncoderStates(Protocol):
    """The technique encoder's states of one text (what the article-level models read).

    :class:`propwatch.models.techniques.Encoded` is one; the models that read it were fitted
    on one encoder and must be given that encoder's states.
    """

    @property
    def encoder(self) -> str:
        """Version of the encoder that computed the states."""
        ...

    def mean_state(self, start: int = 0, end: int | None = None) -> NDArray[np.float32]:
        """Mean state of the tokens overlapping characters ``[start, end)``, shape (n_dims,)."""
        ...

    @property
    def offsets(self) -> NDArray[np.int64]:
        """Character offsets ``[start, end)`` of each token, shape (n_tokens, 2)."""
        ...

    def token_states(self, first: int, last: int) -> NDArray[np.float32]:
        """States of tokens ``first`` to ``last`` (end-exclusive), shape (n, n_dims)."""
        ...


# The technique encoder's states of the article, assigned by the ``techniques`` component and
# required by the article-level components (genre, narratives, roles), which read them instead
# of running the encoder again.
ENCODER_STATES = RuntimeLayer[EncoderStates]("encoder_states")


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
        the spaCy parse under ``"text.parse"`` (see :func:`propwatch.text.nlp.parse_of`) and
        the declared :class:`RuntimeLayer` values (see :meth:`runtime`).
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

    def runtime(self, layer: RuntimeLayer[T]) -> T:
        """The value an earlier component assigned to run-time layer ``layer``.

        Raises
        ------
        PropwatchError
            If no component assigned it (a pipeline checks this before it runs; a component
            called on its own needs the assigning component to run first).
        """
        if layer not in self.cache:
            raise PropwatchError(f"{layer} was not assigned: run a component that assigns it first")
        return cast(T, self.cache[layer])

    def set_runtime(self, layer: RuntimeLayer[T], value: T) -> None:
        """Assign run-time layer ``layer`` (kept for later components, never serialized)."""
        self.cache[layer] = value

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

"""Shared base of the article-level components (genre, frames, narratives, roles).

Each loads one model of :mod:`propwatch.models.article.shipped` on first use, from
``model_dir``, else from the folder shipped with propwatch. :func:`propwatch.api.load_pipeline`
gives ``model_dir`` from :class:`~propwatch.settings.ModelSettings`, so ``propwatch analyze``
can run models trained by ``propwatch train article``, e.g. to score a validation split end to
end.

Components whose model reads the technique encoder's states require the ``encoder_states``
layer (:data:`~propwatch.text.analysis.ENCODER_STATES`, assigned by the ``techniques``
component), so a pipeline that lists them without ``techniques`` before them is refused when it
is built. Their models are refused when they were fitted on another version of the shipped
technique encoder, and so are states of another encoder (a techniques component given another
model).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from propwatch.components.technique_model import default_encoder_version
from propwatch.errors import InputError
from propwatch.models.article.shipped import load_model, model_path
from propwatch.pipeline.component import Component
from propwatch.text.analysis import ENCODER_STATES, Analysis, EncoderStates
from propwatch.text.span import Span


def strongest_sentences(
    sentences: Sequence[Span], support: np.ndarray, limit: int
) -> list[tuple[Span, float]]:
    """The ``limit`` sentences with the most positive support, in text order.

    Parameters
    ----------
    sentences : sequence of Span
        The article's sentences.
    support : ndarray of shape (n_sentences,)
        How much each sentence pushes a result up (positive = towards it).
    limit : int
        Most sentences to keep.

    Returns
    -------
    list of (Span, float)
        Each sentence with its share of all the positive support, in [0, 1]; empty when no
        sentence supports the result.
    """
    positive = np.clip(support, 0, None)
    total = float(positive.sum())
    if total <= 0:
        return []
    best = [i for i in np.argsort(-positive, kind="stable")[:limit] if positive[i] > 0]
    return [(sentences[i], float(positive[i] / total)) for i in sorted(best)]


class ArticleModelComponent(Component):
    """A component backed by one article-level model, loaded lazily.

    Parameters
    ----------
    model_dir : str or None, default=None
        Folder holding ``<kind>.npz``; ``None`` uses the models shipped with propwatch.
    """

    kind: ClassVar[str] = ""
    also_loads: ClassVar[tuple[str, ...]] = ()  # other kinds it reads, e.g. roles reads cast

    def __init__(self, *, model_dir: str | None = None) -> None:
        self.model_dir = model_dir
        self._model: Any = None

    @property
    def model(self) -> Any:
        """The loaded estimator (read from disk on first use, then kept)."""
        if self._model is None:
            self._model = self.load_kind(self.kind)
        return self._model

    def folder(self) -> Path | None:
        """This component's model folder; ``None`` for the shipped one."""
        return Path(self.model_dir) if self.model_dir else None

    def model_files(self) -> list[Path]:
        """The ``<kind>.npz`` files it loads (models that read encoder states are refused on
        another encoder, so the encoder's files need not be hashed again here)."""
        return [model_path(kind, self.folder()) for kind in (self.kind, *self.also_loads)]

    def load_kind(self, kind: str) -> Any:
        """The ``kind`` model from this component's model folder, its encoder version checked."""
        folder = self.folder()
        model = load_model(kind, folder)
        if ENCODER_STATES in self.requires and model.encoder != default_encoder_version():
            raise InputError(
                str(model_path(kind, folder)),
                f"fitted on technique encoder {model.encoder!r}, but the technique model in use "
                f"has encoder {default_encoder_version()!r}: "
                f"retrain it with 'propwatch train article {kind}'",
            )
        return model

    def encoder_states(self, analysis: Analysis) -> EncoderStates:
        """The article's technique encoder states, from the encoder the model was fitted on.

        Raises
        ------
        InputError
            If the techniques component ran a model with another encoder.
        """
        states = analysis.runtime(ENCODER_STATES)
        if states.encoder != self.model.encoder:
            raise InputError(
                str(model_path(self.kind, self.folder())),
                f"fitted on technique encoder {self.model.encoder!r}, but the techniques "
                f"component's model has encoder {states.encoder!r}",
            )
        return states

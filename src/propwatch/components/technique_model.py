"""Which technique model propwatch runs by default: ``PROPWATCH_TECHNIQUE_MODEL_DIR`` when set
(as the pipeline reads it), else the shipped one.

Here, above the model layer, because the choice is a setting; the article components, the
explain component and the training commands read it, so a candidate technique model gets its
article models and quote tagger before it is shipped.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from propwatch.models.techniques import DEFAULT_MODEL_DIR, TechniqueTagger
from propwatch.models.techniques.tagger import encoder_version
from propwatch.settings import ModelSettings


def default_model_dir() -> Path:
    """The folder of the technique model propwatch runs by default."""
    return ModelSettings().technique_model_dir or DEFAULT_MODEL_DIR


def default_encoder_version() -> str:
    """:func:`encoder_version` of :func:`default_model_dir`'s model, without loading it."""
    config = json.loads((default_model_dir() / "config.json").read_text(encoding="utf-8"))
    return encoder_version(config)


@functools.cache
def default_tagger() -> TechniqueTagger:
    """:func:`default_model_dir`'s technique model, loaded once per process.

    Article-level models and the quote tagger read its encoder states (see
    :meth:`Encoded.mean_state`), so the training commands fit them on this encoder, which lets
    a model of ``propwatch train techniques`` get its article models before it is shipped.
    """
    return TechniqueTagger(model_dir=default_model_dir()).load()

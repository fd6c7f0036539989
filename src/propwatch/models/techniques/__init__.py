"""Persuasion-technique tagger: ONNX encoder + numpy heads (training code in ``.train``)."""

from propwatch.models.techniques.tagger import (
    DEFAULT_MODEL_DIR,
    Detection,
    Encoded,
    TechniqueTagger,
    shipped_encoder_version,
    shipped_tagger,
)

__all__ = [
    "DEFAULT_MODEL_DIR",
    "Detection",
    "Encoded",
    "TechniqueTagger",
    "shipped_encoder_version",
    "shipped_tagger",
]

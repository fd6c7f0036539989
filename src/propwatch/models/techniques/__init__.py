"""Persuasion-technique tagger: ONNX encoder + numpy heads (trained in ``propwatch.training``)."""

from propwatch.models.techniques.tagger import (
    DEFAULT_MODEL_DIR,
    Detection,
    Encoded,
    TechniqueTagger,
)

__all__ = [
    "DEFAULT_MODEL_DIR",
    "Detection",
    "Encoded",
    "TechniqueTagger",
]

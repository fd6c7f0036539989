"""Persuasion-technique tagger: ONNX encoder + numpy heads (trained in ``propwatch.training``)."""

from propwatch.models.techniques.tagger import (
    DEFAULT_MODEL_DIR,
    Detection,
    Encoded,
    TechniqueTagger,
    default_encoder_version,
    default_model_dir,
    default_tagger,
)

__all__ = [
    "DEFAULT_MODEL_DIR",
    "Detection",
    "Encoded",
    "TechniqueTagger",
    "default_encoder_version",
    "default_model_dir",
    "default_tagger",
]

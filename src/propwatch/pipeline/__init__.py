"""Pipelines of named components that fill an :class:`~propwatch.text.analysis.Analysis`."""

from propwatch.pipeline.component import Component
from propwatch.pipeline.pipeline import Pipeline

__all__ = ["Component", "Pipeline"]

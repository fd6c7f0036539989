"""Who says what: direct quotes, reported speech, and their speakers (rules over a spaCy parse).

Pure functions of a spaCy ``Doc``; :mod:`propwatch.components.quotes` adapts them to the pipeline.
"""

from propwatch.models.quotes.extract import DIRECT, INDIRECT, Attribution, extract_attributions

__all__ = ["DIRECT", "INDIRECT", "Attribution", "extract_attributions"]

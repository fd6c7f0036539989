"""The built-in scorers; importing this module registers them (see :mod:`propwatch.eval`)."""

from propwatch.eval import (
    flc,
    frames,
    genre,
    narratives,
    paragraphs,
    quotes,
    roles,
    si,
    tc,
)

__all__ = ["flc", "frames", "genre", "narratives", "paragraphs", "quotes", "roles", "si", "tc"]

"""Scorers equal to the official shared-task scorers, one module per task.

Each module registers a function ``(pred: Path, gold: Path, options: EvalOptions) -> Score``
in :data:`propwatch.registry.scorers` under the name used by ``propwatch eval KIND``; importing
this package registers the built-ins. :func:`propwatch.eval.runner.evaluate` looks one up and
runs it. The pure functions (``score_si``, ``score_tc``…) work on records already read and are
what training code calls.
"""

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

"""Run a registered scorer by name: what ``propwatch eval`` and :mod:`propwatch.api` call."""

from __future__ import annotations

from pathlib import Path

from propwatch.eval.result import EvalOptions, Score
from propwatch.registry import scorers


def evaluate(kind: str, pred: Path, gold: Path, options: EvalOptions | None = None) -> Score:
    """Score the predictions in ``pred`` against the gold labels in ``gold``.

    Parameters
    ----------
    kind : str
        A name in :data:`propwatch.registry.scorers` (``si``, ``tc``, ``flc``, ``st1``, ``st2``,
        ``st3``, ``roles``, ``narratives``, ``quotes``).
    pred, gold : Path
        Prediction and gold files (or folders, where the scorer accepts them).
    options : EvalOptions or None
        Scorer settings; ``None`` uses the defaults.

    Raises
    ------
    UnknownNameError
        For an unknown ``kind``; the message lists the valid names.
    InputError, ScoringError
        For unreadable files or predictions that do not fit the gold labels.
    """
    scorer = scorers.get(kind)
    return scorer(Path(pred), Path(gold), options or EvalOptions())


def scorer_summaries() -> dict[str, str]:
    """``{name: first docstring line}`` of every registered scorer, for help texts."""
    summaries = {}
    for name in scorers.names():
        doc = scorers.get(name).__doc__ or ""
        summaries[name] = doc.strip().splitlines()[0] if doc.strip() else ""
    return summaries

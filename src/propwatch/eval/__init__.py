"""Scorers equal to the official shared-task scorers, one module per task, and their measures.

Each task module registers a function ``(pred: Path, gold: Path, options: EvalOptions) ->
Score`` in :data:`propwatch.registry.scorers` under the name used by ``propwatch eval KIND``;
the registry imports :mod:`propwatch.eval.scorers`, which imports them all, on first lookup.
:func:`propwatch.eval.runner.evaluate` looks one up and runs it. The pure functions
(``score_si``, ``score_tc``…) work on records already read and are what training code calls.
Precision, recall and the F-scores themselves are in :mod:`propwatch.eval.measures` (pure
numpy), which the estimators' threshold tuning uses too; this package imports nothing, so
importing the measures does not import the scorers and their file readers.
"""

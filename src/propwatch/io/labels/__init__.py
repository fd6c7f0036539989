"""Readers for gold and predicted label files of the shared tasks, one module per format.

Every reader returns plain records whose character offsets are Python ``str`` indices with an
exclusive end; inclusive formats (SemEval-2025 Task 10 entity mentions) are converted here, at the
boundary. A malformed line raises :class:`~propwatch.errors.InputError` naming ``file:line``.

Modules: :mod:`.semeval2020` (PTC SI/TC), :mod:`.semeval2023` (subtasks 1-3),
:mod:`.semeval2025` (Task 10 subtasks 1-2), :mod:`.brat` (PolNeAR attributions),
:mod:`.quotes` (propwatch quotes-tsv predictions).
"""

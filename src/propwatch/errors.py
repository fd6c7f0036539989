"""Exceptions whose message is one line that names the input and the problem.

The CLI prints ``str(error)`` for any :class:`PropwatchError` on stderr and exits non-zero;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class PropwatchError(Exception):
    """Base class for errors caused by user input or configuration, not by bugs."""


class InputError(PropwatchError):
    """An input (file, stream, line) could not be read.

    Parameters
    ----------
    source : str
        The file path, ``<stdin>`` or ``path:line`` that failed.
    reason : str
        What is wrong with it, in a few words.
    """

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class UnknownNameError(PropwatchError, KeyError):
    """A name was looked up in a registry table that does not hold it."""

    def __init__(self, table: str, name: str, known: list[str]) -> None:
        self.table = table
        self.name = name
        self.known = known
        super().__init__(f"unknown {table} {name!r}; choose one of: {', '.join(sorted(known))}")

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])


class NotBuiltError(PropwatchError):
    """An output needs an analysis that this propwatch version does not provide yet."""


class SpanError(PropwatchError, ValueError):
    """A span's offsets do not fit the text it belongs to."""


class ScoringError(PropwatchError):
    """Predictions cannot be scored against the gold labels (ids or spans that do not match)."""

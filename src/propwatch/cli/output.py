"""Helpers shared by commands: the stderr console and one-line error reporting."""

from __future__ import annotations

from rich.console import Console

# Messages go to stderr so stdout stays clean for ``-o -`` data.
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def report_error(message: str) -> None:
    """Print one line ``propwatch: error: <message>`` on stderr (markup not interpreted)."""
    stderr.print(f"propwatch: error: {message}", markup=False)


def report_warning(message: str) -> None:
    stderr.print(f"propwatch: warning: {message}", markup=False)

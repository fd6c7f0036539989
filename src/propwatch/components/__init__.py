"""Pipeline components, one module each; importing this package registers the built-ins."""

from propwatch.components import text

__all__ = ["text"]

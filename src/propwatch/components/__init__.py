"""Pipeline components, one module each; importing this package registers the built-ins."""

from propwatch.components import quotes, techniques, text, voice

__all__ = ["quotes", "techniques", "text", "voice"]

"""Pipeline components, one module each; importing this package registers the built-ins."""

from propwatch.components import (
    explain,
    frames,
    genre,
    narratives,
    quotes,
    roles,
    techniques,
    text,
    voice,
)

__all__ = [
    "explain",
    "frames",
    "genre",
    "narratives",
    "quotes",
    "roles",
    "techniques",
    "text",
    "voice",
]

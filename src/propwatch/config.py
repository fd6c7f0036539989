"""Pipeline configuration: which components run, in which order, with which settings.

Components are looked up by name in :data:`propwatch.registry.components`. A component that is
not listed here does not run; later issues append their components (quotes, techniques, voice,
genre, frames, narratives, roles) once they are built.
"""

from __future__ import annotations

DEFAULT_SCHEME = "semeval2023"

# Order matters: each component's ``requires`` must be assigned by an earlier one.
DEFAULT_PIPELINE: list[str] = [
    "text",
    "quotes",
    "techniques",
    "voice",
    "genre",
    "frames",
    "narratives",
    "roles",
]

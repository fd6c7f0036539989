"""Pipeline configuration: which components run, in which order, with which settings.

Components are looked up by name in :data:`propwatch.registry.components`; a component that is
not listed does not run. Settings read from the environment (model folders, limits) are in
:mod:`propwatch.settings`.
"""

from __future__ import annotations

DEFAULT_SCHEME = "semeval2023"

# Order matters: each component's ``requires`` must be assigned by an earlier one.
DEFAULT_PIPELINE: list[str] = [
    "text",
    "quotes",
    "techniques",
    "quote_tagger",
    "voice",
    "genre",
    "frames",
    "narratives",
    "roles",
]

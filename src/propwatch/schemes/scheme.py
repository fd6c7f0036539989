"""Technique schemes: taxonomies of persuasion techniques, read from JSON data files.

A scheme file (``data/<name>.json``) holds ``name``, ``title``, ``description``, a list of
``categories`` (``name``, ``label``, ``colour``) and a list of ``techniques`` (``name``, ``label``,
``category``, ``definition``, ``example`` and optional ``equivalents``: scheme name → technique
names with the same meaning in that scheme).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from propwatch.errors import PropwatchError

# Colours end up in inline CSS of the HTML report, so only plain hex colours are allowed.
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True, slots=True)
class Category:
    """A group of techniques that share a persuasive strategy.

    Parameters
    ----------
    name : str
        Key used in technique spans' ``attrs["category"]`` (``"attack on reputation"``).
    label : str
        Human-readable name.
    colour : str
        ``#rrggbb`` colour used to highlight the category's techniques.
    """

    name: str
    label: str
    colour: str


@dataclass(frozen=True, slots=True)
class Technique:
    """One persuasion technique.

    Parameters
    ----------
    name : str
        Exact label used in spans and in the research formats (``"Name_Calling-Labeling"``).
    label : str
        Human-readable name.
    category : str
        Name of the technique's :class:`Category`.
    definition, example : str
        Plain-language definition and a short invented example.
    equivalents : mapping of str to tuple of str
        For another scheme's name, the techniques there that cover this one.
    """

    name: str
    label: str
    category: str
    definition: str
    example: str
    equivalents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Scheme:
    """A named taxonomy: its categories and techniques, in file order."""

    name: str
    title: str
    description: str
    categories: tuple[Category, ...]
    techniques: tuple[Technique, ...]

    def technique(self, name: str) -> Technique:
        """The technique called ``name``; the error lists the scheme's techniques."""
        for technique in self.techniques:
            if technique.name == name:
                return technique
        known = ", ".join(t.name for t in self.techniques)
        raise PropwatchError(f"scheme {self.name!r} has no technique {name!r}; it has: {known}")

    def category(self, name: str) -> Category:
        """The category called ``name``."""
        for category in self.categories:
            if category.name == name:
                return category
        known = ", ".join(c.name for c in self.categories)
        raise PropwatchError(f"scheme {self.name!r} has no category {name!r}; it has: {known}")

    @property
    def names(self) -> list[str]:
        """Technique names in file order."""
        return [t.name for t in self.techniques]

    def mapping_to(self, other: str) -> dict[str, tuple[str, ...]]:
        """Technique name → equivalent technique names in scheme ``other`` (empty if none)."""
        return {t.name: tuple(t.equivalents.get(other, ())) for t in self.techniques}


def read_scheme(path: Path) -> Scheme:
    """Read and check a scheme data file.

    Raises
    ------
    PropwatchError
        If a technique names an unknown category or a colour is not ``#rrggbb``.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    categories = tuple(Category(**c) for c in data["categories"])
    techniques = tuple(_technique(t) for t in data["techniques"])
    scheme = Scheme(
        name=data["name"],
        title=data["title"],
        description=data["description"],
        categories=categories,
        techniques=techniques,
    )
    _check(scheme, path)
    return scheme


def _technique(data: Mapping[str, Any]) -> Technique:
    equivalents = {k: tuple(v) for k, v in data.get("equivalents", {}).items()}
    return Technique(**{**data, "equivalents": equivalents})


def _check(scheme: Scheme, path: Path) -> None:
    for category in scheme.categories:
        if not _HEX_COLOUR.match(category.colour):
            raise PropwatchError(f"{path}: colour {category.colour!r} is not #rrggbb")
    for technique in scheme.techniques:
        scheme.category(technique.category)
    if len(set(scheme.names)) != len(scheme.names):
        raise PropwatchError(f"{path}: technique names are not unique")

"""The README's code map names every folder of src/propwatch, and only folders that exist."""

from __future__ import annotations

import re
from pathlib import Path

import propwatch

PACKAGE = Path(propwatch.__file__).parent
README = PACKAGE.parents[1] / "README.md"
# Folders whose sub-packages the map lists one by one (io is only its three parts).
BY_PART = ("io", "models", "training")
ENTRY = re.compile(r"^(?P<indent> {2,4})(?P<name>[a-z_]+/(?:[a-z_]+/)?)\s")


def map_folders(readme: str) -> set[str]:
    """Folders the map under ``src/propwatch/`` names, as ``"models/article"``."""
    block = readme.split("src/propwatch/\n", 1)[1].split("```", 1)[0]
    found, parent = set(), ""
    for line in block.splitlines():
        entry = ENTRY.match(line)
        if entry is None:
            continue
        name = entry["name"].rstrip("/")
        if entry["indent"] == "  ":
            parent = name
            found.add(name)
        else:
            found.add(f"{parent}/{name}")
    return found


def source_folders() -> set[str]:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    parts = {
        f"{top}/{p.name}"
        for top in BY_PART
        for p in (PACKAGE / top).iterdir()
        if (p / "__init__.py").is_file()
    }
    return (folders - {"io"}) | parts


def test_the_map_matches_the_source_folders() -> None:
    assert map_folders(README.read_text(encoding="utf-8")) == source_folders()

"""Technique schemes as data: every ``data/<name>.json`` file is a scheme called ``<name>``.

Adding a scheme is adding a data file; :func:`load_scheme` finds it through
:data:`propwatch.registry.schemes`, whose values are zero-argument loaders.
"""

from __future__ import annotations

from functools import partial
from importlib.resources import files
from pathlib import Path

from propwatch import registry
from propwatch.schemes.scheme import Category, Scheme, Technique, read_scheme

DATA_DIR = Path(str(files("propwatch.schemes") / "data"))


def load_scheme(name: str) -> Scheme:
    """Load the scheme registered as ``name`` (``"semeval2023"``, ``"semeval2020"``…).

    Raises
    ------
    UnknownNameError
        If no scheme has that name; the message lists the known ones.
    """
    loader = registry.schemes.get(name)
    scheme: Scheme = loader()
    return scheme


for _path in sorted(DATA_DIR.glob("*.json")):
    registry.schemes.add(_path.stem, partial(read_scheme, _path))

__all__ = ["Category", "Scheme", "Technique", "load_scheme", "read_scheme"]

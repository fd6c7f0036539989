"""Named tables of readers, writers, components, schemes and scorers.

Formats, schemes and pipeline components are looked up by name here instead of being chosen by
if/elif chains. Third-party packages extend a table through the entry-point group
``propwatch.<table>`` (e.g. ``propwatch.writers``); built-ins register with the decorator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar

from propwatch.errors import UnknownNameError

T = TypeVar("T")


class Registry(Generic[T]):
    """A named table of objects of one kind.

    Parameters
    ----------
    table : str
        Human name of the table (``"writer"``), used in error messages and as the entry-point
        group suffix.
    builtins : str or None
        Package imported on first lookup; its modules register the built-in entries.
    """

    def __init__(self, table: str, builtins: str | None = None) -> None:
        self.table = table
        self.builtins = builtins
        self._items: dict[str, T] = {}
        self._entry_points_loaded = False

    def register(self, name: str) -> Callable[[T], T]:
        """Decorator that stores its target under ``name`` and returns it unchanged."""

        def decorate(item: T) -> T:
            self.add(name, item)
            return item

        return decorate

    def add(self, name: str, item: T) -> None:
        if name in self._items and self._items[name] is not item:
            raise ValueError(f"{self.table} {name!r} is already registered")
        self._items[name] = item

    def get(self, name: str) -> T:
        """Return the object registered as ``name``; the error lists the valid names."""
        self._load_entry_points()
        try:
            return self._items[name]
        except KeyError:
            raise UnknownNameError(self.table, name, list(self._items)) from None

    def names(self) -> list[str]:
        self._load_entry_points()
        return sorted(self._items)

    def __contains__(self, name: object) -> bool:
        self._load_entry_points()
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def _load_entry_points(self) -> None:
        if self._entry_points_loaded:
            return
        self._entry_points_loaded = True
        if self.builtins:  # importing the package registers the built-ins
            import_module(self.builtins)
        for ep in entry_points(group=f"propwatch.{self.table}s"):
            if ep.name not in self._items:
                self._items[ep.name] = ep.load()


# The tables. Values: reader/writer/scorer callables, component factories, scheme loaders.
readers: Registry[Any] = Registry("reader", builtins="propwatch.io.readers")
writers: Registry[Any] = Registry("writer", builtins="propwatch.io.writers")
components: Registry[Any] = Registry("component", builtins="propwatch.components")
schemes: Registry[Any] = Registry("scheme", builtins="propwatch.schemes")
scorers: Registry[Any] = Registry("scorer", builtins="propwatch.eval.scorers")
annotation_formats: Registry[Any] = Registry(
    "annotation_format", builtins="propwatch.annotations.formats"
)

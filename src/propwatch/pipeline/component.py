"""The contract every pipeline component follows (spaCy-style: named, declares its layers)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any, ClassVar

from propwatch.text.analysis import Analysis


class Component:
    """A step that reads some layers of an :class:`Analysis` and writes others.

    Subclasses set ``name``, ``requires`` and ``assigns`` (layer or label names) and implement
    ``predict`` (compute plain results, so batch jobs and tests can call it alone) and
    ``set_annotations`` (write them into the analysis), or override ``__call__`` outright.
    ``pipe`` may be overridden to batch work across articles (e.g. one ONNX call for many
    windows); by default it calls ``__call__`` on each analysis.

    A component whose costly part needs only the article's text (the technique encoder)
    implements :meth:`prepare` and says in :meth:`prepares_early` for which articles
    :meth:`Pipeline.pipe` should start it on a background thread as soon as the article enters
    the pipeline, while earlier components work on it (the spaCy parse); ``predict`` takes the
    result with :meth:`prepared`.

    ``version`` is the version of the component's own rules (bump it when its code changes
    what it writes); a component backed by model files lists them in ``model_files``, and
    :meth:`model_version` adds a digest of their contents, so a re-shipped model changes the
    version that analyses and batch keys record without anyone editing a number.
    """

    name: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ()
    version: ClassVar[str] = "0"

    def model_files(self) -> Sequence[Path]:
        """Files whose contents decide this component's output (none by default)."""
        return ()

    def model_version(self) -> str:
        """``version``, plus ``+`` and a digest of :meth:`model_files` when there are any."""
        files = self.model_files()
        if not files:
            return self.version
        return f"{self.version}+{files_digest(tuple(sorted(files)))}"

    def __call__(self, analysis: Analysis) -> Analysis:
        self.set_annotations(analysis, self.predict(analysis))
        return analysis

    def predict(self, analysis: Analysis) -> Any:
        raise NotImplementedError

    def prepares_early(self, analysis: Analysis) -> bool:
        """Whether :meth:`Pipeline.pipe` starts :meth:`prepare` when ``analysis`` enters
        (never, by default)."""
        return False

    def prepare(self, analysis: Analysis) -> Any:
        """Work on ``analysis.text`` alone, before the layers in ``requires`` exist (it may run
        on another thread than ``predict``)."""
        raise NotImplementedError

    def prepared(self, analysis: Analysis) -> Any:
        """What :meth:`prepare` gave for this analysis: waited for when the pipeline started
        it in the background, computed now when nothing did (a direct ``predict`` call)."""
        started = analysis.cache.pop(prepare_key(self), None)
        if isinstance(started, Future):
            return started.result()
        return self.prepare(analysis)

    def set_annotations(self, analysis: Analysis, results: Any) -> None:
        raise NotImplementedError

    def pipe(self, analyses: Iterable[Analysis]) -> Iterator[Analysis]:
        for analysis in analyses:
            yield self(analysis)


def prepare_key(component: Component) -> str:
    """The ``analysis.cache`` key of the component's :meth:`~Component.prepare` in progress."""
    return f"{component.name}.prepared"


def files_digest(files: tuple[Path, ...]) -> str:
    """First 12 hex digits of a SHA-256 over the files' names and contents.

    Cached by each file's path, size and modification time: the shipped encoder alone is
    22 MB, and every analysis records the version.
    """
    stamps = tuple((str(path), *_stamp(path)) for path in files)
    return _digest(stamps)


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


@functools.cache
def _digest(stamps: tuple[tuple[str, int, int], ...]) -> str:
    hasher = hashlib.sha256()
    for name, _size, _mtime in stamps:
        hasher.update(Path(name).name.encode("utf-8") + b"\0")
        with open(name, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                hasher.update(block)
    return hasher.hexdigest()[:12]

"""The contract every pipeline component follows (spaCy-style: named, declares its layers)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from propwatch.text.analysis import Analysis


class Component:
    """A step that reads some layers of an :class:`Analysis` and writes others.

    Subclasses set ``name``, ``requires`` and ``assigns`` (layer or label names) and implement
    ``predict`` (compute plain results, so batch jobs and tests can call it alone) and
    ``set_annotations`` (write them into the analysis), or override ``__call__`` outright.
    ``pipe`` may be overridden to batch work across articles (e.g. one ONNX call for many
    windows); by default it calls ``__call__`` on each analysis.
    """

    name: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ()
    version: ClassVar[str] = "0"

    def __call__(self, analysis: Analysis) -> Analysis:
        self.set_annotations(analysis, self.predict(analysis))
        return analysis

    def predict(self, analysis: Analysis) -> Any:
        raise NotImplementedError

    def set_annotations(self, analysis: Analysis, results: Any) -> None:
        raise NotImplementedError

    def pipe(self, analyses: Iterable[Analysis]) -> Iterator[Analysis]:
        for analysis in analyses:
            yield self(analysis)

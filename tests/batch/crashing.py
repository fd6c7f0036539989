"""A pipeline whose worker process dies on one article, as on a segfault in a model library.

Its own module, importable by the Dask workers the tests start (they are spawned with the
tests' ``sys.path``), so the spec travels to them by reference.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from propwatch.batch import PipelineSpec
from propwatch.pipeline import Pipeline
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article

MARK = "<<crash the worker>>"


class _CrashingPipeline(Pipeline):
    def pipe(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        articles = list(articles)
        if any(MARK in article.text for article in articles):
            os._exit(70)  # no exception, no cleanup: the process is simply gone
        return super().pipe(articles)


@dataclass(frozen=True)
class CrashingSpec(PipelineSpec):
    """The paragraphs-and-sentences pipeline, except on an article whose text has :data:`MARK`."""

    components: tuple[str, ...] | None = ("text",)

    def load(self) -> Pipeline:
        return _CrashingPipeline(super().load().components)

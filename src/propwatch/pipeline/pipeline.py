"""Build and run a pipeline from a list of component names."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from threadpoolctl import ThreadpoolController

from propwatch import registry
from propwatch.errors import PropwatchError
from propwatch.pipeline.component import Component
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article


@functools.cache
def _blas() -> ThreadpoolController:
    """The BLAS libraries loaded in this process (found once: the scan reads every library)."""
    return ThreadpoolController()


class Pipeline:
    """An ordered list of components; checks that each one's ``requires`` is met before it runs.

    Parameters
    ----------
    components : sequence of Component
        Run in order on every article.
    """

    def __init__(self, components: Sequence[Component]) -> None:
        self.components = list(components)
        available: set[str] = set()
        for component in self.components:
            missing = [name for name in component.requires if name not in available]
            if missing:
                raise PropwatchError(
                    f"component {component.name!r} needs {', '.join(missing)}, "
                    "which no earlier component assigns"
                )
            available.update(component.assigns)

    @classmethod
    def from_names(
        cls, names: Sequence[str], config: Mapping[str, Mapping[str, Any]] | None = None
    ) -> Pipeline:
        """Create each component with ``registry.components.get(name)(**config[name])``."""
        config = config or {}
        return cls([registry.components.get(name)(**config.get(name, {})) for name in names])

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    def __call__(self, article: Article) -> Analysis:
        return next(self.pipe([article]))

    def pipe(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        """Analyse articles lazily, letting each component batch across them.

        While it runs, numpy's BLAS uses one thread: the components multiply small matrices,
        where handing work to a second OpenBLAS thread costs up to 100 times the work itself
        on a busy machine, and the cores are kept busy by the parse and encoder threads.
        """
        stream: Iterable[Analysis] = (Analysis(article) for article in articles)
        for component in self.components:
            stream = self._stamp(component, component.pipe(stream))
        with _blas().limit(limits=1, user_api="blas"):
            yield from stream

    @staticmethod
    def _stamp(component: Component, analyses: Iterable[Analysis]) -> Iterator[Analysis]:
        for analysis in analyses:
            analysis.models[component.name] = component.version
            yield analysis

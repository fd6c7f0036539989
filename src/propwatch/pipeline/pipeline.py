"""Build and run a pipeline from a list of component names."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from propwatch import registry
from propwatch.errors import InputError, PropwatchError
from propwatch.pipeline.component import Component, prepare_key
from propwatch.pipeline.memory import release_free_memory
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article
from propwatch.text.threads import one_blas_thread

# After each component of an article this long, the heaps' free memory goes back to the system
# (see release_free_memory); what a news-sized article frees, the next one reuses at once.
RELEASE_TEXT_CHARS = 100_000


class Pipeline:
    """An ordered list of components; checks that each one's ``requires`` is met before it runs.

    Parameters
    ----------
    components : sequence of Component
        Run in order on every article.
    max_text_chars : int or None, default=None
        Longest text analysed; a longer article raises :class:`InputError` (naming its
        ``meta["source"]``, else its id) before any component runs. None: no limit.
    """

    def __init__(
        self, components: Sequence[Component], *, max_text_chars: int | None = None
    ) -> None:
        self.components = list(components)
        self.max_text_chars = max_text_chars
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
        cls,
        names: Sequence[str],
        config: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        max_text_chars: int | None = None,
    ) -> Pipeline:
        """Create each component with ``registry.components.get(name)(**config[name])``."""
        config = config or {}
        components = [registry.components.get(name)(**config.get(name, {})) for name in names]
        return cls(components, max_text_chars=max_text_chars)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    def __call__(self, article: Article) -> Analysis:
        return next(self.pipe([article]))

    def pipe(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        """Analyse articles lazily, letting each component batch across them.

        The :meth:`~Component.prepare` of every component that :meth:`~Component.prepares_early`
        for an article starts, on one background thread, as the article enters (so the encoder
        of an article runs while it is parsed: a single article takes about the longer of the
        two, not their sum); the results wait in ``analysis.cache`` for the component's
        ``predict``.

        While it runs, numpy's BLAS uses one thread: the components multiply small matrices,
        where handing work to a second OpenBLAS thread costs up to 100 times the work itself
        on a busy machine, and the cores are kept busy by the parse and encoder threads.
        """
        background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="propwatch-prepare")

        def entering(article: Article) -> Analysis:
            analysis = Analysis(self.checked(article))
            for component in self.components:
                if component.prepares_early(analysis):
                    started = background.submit(component.prepare, analysis)
                    analysis.cache[prepare_key(component)] = started
            return analysis

        stream: Iterable[Analysis] = map(entering, articles)
        for component in self.components:
            stream = self._stamp(component, component.pipe(stream))
        try:
            with one_blas_thread():
                yield from stream
        finally:
            # an abandoned stream leaves no queued work behind it
            background.shutdown(wait=True, cancel_futures=True)

    def checked(self, article: Article) -> Article:
        """``article``, unless its text is longer than ``max_text_chars``.

        Raises
        ------
        InputError
            Naming the article and both lengths, e.g. ``a.txt: text of 1,200,000 characters
            is above the limit of 1,000,000 (PROPWATCH_MAX_TEXT_CHARS)``.
        """
        limit = self.max_text_chars
        if limit is not None and len(article.text) > limit:
            raise InputError(
                str(article.meta.get("source", article.id)),
                f"text of {len(article.text):,} characters is above the limit of {limit:,} "
                "(PROPWATCH_MAX_TEXT_CHARS)",
            )
        return article

    @staticmethod
    def _stamp(component: Component, analyses: Iterable[Analysis]) -> Iterator[Analysis]:
        version = component.model_version()
        for analysis in analyses:
            analysis.models[component.name] = version
            if len(analysis.text) > RELEASE_TEXT_CHARS:
                release_free_memory()
            yield analysis

"""What runs on a Dask worker: the pipeline, loaded once per worker, and the chunk task.

The same code serves ``--workers N`` (a local cluster of single-threaded worker processes) and
``--scheduler tcp://...`` (any cluster whose workers have propwatch installed). The pipeline is
held by a :class:`PipelinePlugin` registered on every worker, not by a module-level cache, and is
built on the first task so that loading models never blocks the worker's event loop.
:mod:`propwatch.api` (and through it the models' libraries) is imported only then, so a worker
holds only the libraries its pipeline needs.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from distributed import WorkerPlugin, get_worker

from propwatch import config
from propwatch.batch.keys import ResultKey
from propwatch.batch.rows import failed_row, ok_row, source_of
from propwatch.errors import InputError
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article

if TYPE_CHECKING:
    from propwatch.pipeline import Pipeline

# One unit of work: the key the driver computed and the article it belongs to.
WorkItem = tuple[ResultKey, Article]


@dataclass(frozen=True, slots=True)
class PipelineSpec:
    """Which pipeline a batch runs; small and picklable, sent to every worker.

    Parameters
    ----------
    scheme : str
        Technique scheme name, as for :func:`propwatch.api.load_pipeline`.
    components : tuple of str or None
        Component names in order; None runs :data:`propwatch.config.DEFAULT_PIPELINE`.
    threads : int or None
        onnxruntime threads of the technique encoder (see :func:`propwatch.api.load_pipeline`);
        one, since the workers already keep every core busy: two local workers on 2 cores spent
        5% more CPU per article with two threads each (0.376 against 0.356 CPU-s, 6 pairs, SE
        of the difference 0.008), for the same outputs. None leaves onnxruntime's choice.
    """

    scheme: str = config.DEFAULT_SCHEME
    components: tuple[str, ...] | None = None
    threads: int | None = 1

    @property
    def plugin_name(self) -> str:
        """Worker-plugin name; differs per spec so jobs with other settings can share a cluster."""
        settings = (self.scheme, self.components, self.threads)
        digest = hashlib.sha256(repr(settings).encode()).hexdigest()
        return f"propwatch-pipeline-{digest[:12]}"

    def load(self) -> Pipeline:
        from propwatch import api  # here, not at the top: see the module docstring

        components = None if self.components is None else list(self.components)
        return api.load_pipeline(scheme=self.scheme, components=components, threads=self.threads)


def pipeline_version(pipeline: Pipeline, scheme: str) -> str:
    """The model version stored in result keys: scheme plus each component's name=version.

    Example: ``"semeval2023;text=1;techniques=2"``. A new model version changes the keys, so a
    rerun analyses every article again instead of mixing models.
    """
    return ";".join([scheme, *(f"{c.name}={c.model_version()}" for c in pipeline.components)])


class PipelinePlugin(WorkerPlugin):
    """Holds one worker's pipeline; built on first use and reused by every later task.

    Parameters
    ----------
    spec : PipelineSpec
        The pipeline to build.
    """

    def __init__(self, spec: PipelineSpec) -> None:
        self.spec = spec
        self.name = spec.plugin_name
        self._pipeline: Pipeline | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {"spec": self.spec}  # the lock and a loaded pipeline stay on their machine

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["spec"])  # type: ignore[misc]

    def pipeline(self) -> Pipeline:
        with self._lock:  # a worker may run several threads
            if self._pipeline is None:
                self._pipeline = self.spec.load()
            return self._pipeline

    def version(self) -> str:
        return pipeline_version(self.pipeline(), self.spec.scheme)


def _plugin(spec: PipelineSpec) -> PipelinePlugin:
    plugin = get_worker().plugins[spec.plugin_name]
    assert isinstance(plugin, PipelinePlugin)
    return plugin


def worker_version(spec: PipelineSpec) -> str:
    """Task: load the pipeline on this worker and return its :func:`pipeline_version`."""
    return _plugin(spec).version()


def _row(key: ResultKey, article: Article, result: Analysis | InputError) -> dict[str, Any]:
    from propwatch import api  # loaded with the pipeline already (see the module docstring)

    if isinstance(result, Analysis):
        try:
            return ok_row(key, result)
        except Exception as error:  # an analysis that cannot be stored fails alone
            result = api.article_error(article, error)
    return failed_row(key, result.source, result.reason, article)


def analyse_chunk(
    spec: PipelineSpec, expected_version: str, items: Sequence[WorkItem]
) -> list[dict[str, Any]]:
    """Task: analyse a chunk of articles; returns one result row per item.

    :func:`propwatch.api.analyze_each` runs the chunk through ``pipeline.pipe`` so components
    can batch across articles, and turns any article that raises into a failed row with its
    reason, so one bad article never costs the others. A worker whose models differ from
    ``expected_version`` (a cluster with mixed installs) records every item as failed instead
    of storing results under the wrong key.
    """
    from propwatch import api

    plugin = _plugin(spec)
    version = plugin.version()
    if version != expected_version:
        reason = f"worker runs models {version!r}, the job expects {expected_version!r}"
        return [failed_row(key, source_of(a), reason, a) for key, a in items]
    results = api.analyze_each([article for _, article in items], plugin.pipeline())
    return [
        _row(key, article, result) for (key, article), result in zip(items, results, strict=True)
    ]

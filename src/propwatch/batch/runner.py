"""Run a batch: stream inputs, skip stored keys, fan chunks out to Dask, store rows exactly once.

Every run goes through ``dask.distributed``: ``--workers N`` starts a local cluster of N
single-threaded worker processes, ``--scheduler`` connects to an existing cluster. The driver
reads inputs lazily and keeps at most ``max_in_flight`` chunks submitted, so memory stays bounded
whatever the corpus size; it alone writes result parts (see :mod:`propwatch.batch.store`).
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

import dask
from distributed import Client, Future, KilledWorker, LocalCluster, wait

from propwatch.batch.keys import NO_CONTENT, ResultKey, content_hash
from propwatch.batch.rows import failed_row, source_of
from propwatch.batch.store import STATUS_OK, ResultStore
from propwatch.batch.worker import (
    PipelinePlugin,
    PipelineSpec,
    WorkItem,
    analyse_chunk,
    worker_version,
)
from propwatch.errors import InputError, PropwatchError
from propwatch.io.readers import ReadOptions, read_inputs
from propwatch.text.article import Article

_CONNECT_TIMEOUT_S = 30
# Dask keeps each connection's last 1000 message batches (under 1 MB each) for debugging. Here
# every task message carries a whole chunk of articles, so with that default the client and the
# local scheduler in this process would hold hundreds of thousands of articles (~0.5 GB).
#
# Dask's nanny also starts each local worker with MALLOC_TRIM_THRESHOLD_=65536, which fixes
# glibc's malloc thresholds: every array over 128 KB (the parse's and the encoder's, per
# article) is then mapped and unmapped again and its pages faulted in anew. The 40 first PTC
# test articles through the chunk path in one process (load 4-6): 1.6 instead of 0.47 million
# page faults, 0.39-0.42 instead of 0.32-0.35 CPU-s per article. None drops the variable (the
# nanny's documented way to unset one); the thread settings beside it stay.
#
# A local worker is sent one chunk at a time (the default sends 1.1 per thread, so two to a
# single-threaded worker): when an article kills its worker, Dask counts the death against
# every chunk the worker held, and after four deaths fails them all, so a chunk queued beside
# the culprit's would be lost with it. A chunk takes seconds, the next one's round trip
# milliseconds.
_DASK_CONFIG = {
    "distributed.admin.low-level-log-length": 8,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.scheduler.worker-saturation": 1.0,
}


@dataclass(frozen=True)
class BatchOptions:
    """Everything one ``propwatch batch`` run needs.

    Parameters
    ----------
    inputs : tuple of str
        Files, folders, globs (JSONL, Parquet, WARC, text, HTML).
    out : Path
        The compacted results file; parts live in ``<out>.parts/`` until compaction.
    spec : PipelineSpec
        The pipeline every worker builds.
    read_options : ReadOptions
        Reader settings (text/id columns, id rule).
    workers : int
        Local worker processes; ignored when ``scheduler`` is set.
    scheduler : str or None
        Address of a running Dask scheduler (``tcp://host:8786``).
    limit : int or None
        Read at most this many inputs (articles plus unreadable inputs), in input order.
    retry_failed : bool
        Analyse again the keys whose stored rows all failed.
    chunk_size : int
        Articles per Dask task; larger amortises scheduling, smaller balances load.
    max_in_flight : int or None
        Chunks submitted and not yet stored; default ``4 * workers`` (``4 * threads`` on a
        cluster).
    flush_rows, flush_seconds : int, float
        A part file is written once this many rows wait, or this many seconds passed.
    """

    inputs: tuple[str, ...]
    out: Path
    spec: PipelineSpec = field(default_factory=PipelineSpec)
    read_options: ReadOptions = field(default_factory=ReadOptions)
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    scheduler: str | None = None
    limit: int | None = None
    retry_failed: bool = False
    chunk_size: int = 8
    max_in_flight: int | None = None
    flush_rows: int = 256
    flush_seconds: float = 5.0


@dataclass
class BatchSummary:
    """What a run did. ``reasons`` counts failures by reason (without the input's name)."""

    analysed: int = 0
    skipped: int = 0
    failed: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    model_version: str = ""
    rows_stored: int = 0
    elapsed_s: float = 0.0

    def count(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            if row["status"] == STATUS_OK:
                self.analysed += 1
            else:
                self.failed += 1
                self.reasons[_reason_only(row["error"], row["source"])] += 1


class Progress(Protocol):
    """Where the runner reports each input it finished with (stored or skipped)."""

    def advance(self, done: int) -> None: ...


class NoProgress:
    """A :class:`Progress` that shows nothing."""

    def advance(self, done: int) -> None:
        return None


def _reason_only(error: str, source: str) -> str:
    """``"x.jsonl:3: not valid JSON"`` → ``"not valid JSON"``, so equal reasons group together."""
    prefix = f"{source}: "
    return error[len(prefix) :] if error.startswith(prefix) else error


@contextmanager
def connect(workers: int, scheduler: str | None) -> Iterator[Client]:
    """A Dask client: on ``scheduler`` if given, else on a new local cluster of ``workers``."""
    with dask.config.set(_DASK_CONFIG):
        yield from _connect(workers, scheduler)


def _connect(workers: int, scheduler: str | None) -> Iterator[Client]:
    if scheduler:
        try:
            client = Client(scheduler, timeout=_CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError) as error:
            raise PropwatchError(
                f"{scheduler}: cannot reach the Dask scheduler ({error})"
            ) from None
        with client:
            yield client
        return
    if workers < 1:
        raise PropwatchError(f"--workers must be at least 1, got {workers}")
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            # No dashboard, and its bare HTTP server on a free port instead of a fixed 8787.
            scheduler_kwargs={"dashboard_address": ":0"},
            # Dask logs its own errors with tracebacks, some from races of a normal shutdown
            # (a worker's heartbeat meeting the closed scheduler). Every failure that matters
            # reaches the run as a failed task and becomes a failed row with a one-line reason.
            silence_logs=logging.CRITICAL,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def load_everywhere(client: Client, spec: PipelineSpec) -> str:
    """Load the pipeline on every worker at once, before any chunk; the first one's version.

    Otherwise one worker loads alone (to give the version) and the others with their first
    chunk, while it already analyses: with as many workers as cores those loads take a core
    from the work, and the run starts later. A worker that leaves meanwhile is stood in for by
    any other.
    """
    futures = [
        client.submit(worker_version, spec, pure=False, workers=[address], allow_other_workers=True)
        for address in client.nthreads()
    ]
    versions: list[str] = client.gather(futures)
    return versions[0]


def _input_key(item: Article | InputError, version: str) -> ResultKey:
    if isinstance(item, InputError):
        return ResultKey(item.source, NO_CONTENT, version)
    return ResultKey(item.id, content_hash(item.text), version)


class _Job:
    """The state of one run: pending chunks, buffered rows, counts."""

    def __init__(self, options: BatchOptions, client: Client, store: ResultStore) -> None:
        self.options = options
        self.client = client
        self.store = store
        self.summary = BatchSummary()
        self.pending: dict[Future, list[WorkItem]] = {}
        self.buffer: list[dict[str, Any]] = []
        self.last_flush = time.monotonic()
        threads = sum(client.nthreads().values()) or 1
        self.max_in_flight = options.max_in_flight or 4 * threads

    def submit(self, chunk: list[WorkItem], progress: Progress) -> None:
        """Send ``chunk`` to the cluster; an article Dask cannot send fails alone."""
        try:
            future = self.client.submit(
                analyse_chunk, self.options.spec, self.summary.model_version, chunk, pure=False
            )
        except Exception as error:  # serialisation: resend one by one to find the culprit
            if len(chunk) > 1:
                for item in chunk:
                    self.submit([item], progress)
                return
            ((key, article),) = chunk
            reason = f"cannot send to a worker ({type(error).__name__}: {error})"
            self.add([failed_row(key, source_of(article), reason, article)], progress)
            return
        self.pending[future] = chunk

    def collect(self, progress: Progress, *, until: int) -> None:
        """Store finished chunks until at most ``until`` remain pending.

        A chunk whose task failed as a whole (every worker that ran it died: one article that
        crashes the process or exhausts its memory) is sent again one article per task, so
        only the culprit is recorded as failed. A chunk whose rows were lost (its worker died
        after analysing it, before they were fetched) is sent again as it is.
        """
        while len(self.pending) > until:
            done, _ = wait(list(self.pending), return_when="FIRST_COMPLETED")
            for future in done:
                chunk = self.pending.pop(future)
                if future.status == "finished":
                    self.add(future.result(), progress)
                elif future.status == "lost":
                    self.submit(chunk, progress)
                elif future.status == "error" and len(chunk) > 1:
                    for item in chunk:
                        self.submit([item], progress)
                else:
                    self.add(_task_failed(future, chunk), progress)

    def add(self, rows: list[dict[str, Any]], progress: Progress) -> None:
        self.buffer.extend(rows)
        self.summary.count(rows)
        progress.advance(len(rows))
        elapsed = time.monotonic() - self.last_flush
        if len(self.buffer) >= self.options.flush_rows or elapsed >= self.options.flush_seconds:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.store.write_part(self.buffer)
            self.buffer = []
        self.last_flush = time.monotonic()


def _task_failed(future: Future, chunk: list[WorkItem]) -> list[dict[str, Any]]:
    """Failed rows for the articles of a task that returned no rows (raised, or was cancelled)."""
    if future.status != "error":
        reason = f"task {future.status}"
    elif isinstance(error := future.exception(), KilledWorker):  # Dask's message: a paragraph
        reason = "every worker that analysed it died (the process crashed or ran out of memory)"
    else:
        reason = f"task failed: {type(error).__name__}: {error}"
    return [failed_row(key, source_of(article), reason, article) for key, article in chunk]


def _new_items(
    options: BatchOptions, version: str, skip: set[bytes], summary: BatchSummary, progress: Progress
) -> Iterator[tuple[ResultKey, Article | InputError]]:
    """Input items whose key is not stored yet, each once; counts the skipped ones."""
    items: Iterable[Article | InputError] = read_inputs(
        list(options.inputs), options=options.read_options
    )
    for number, item in enumerate(items, start=1):
        if options.limit is not None and number > options.limit:
            return
        key = _input_key(item, version)
        digest = key.digest()
        if digest in skip:
            summary.skipped += 1
            progress.advance(1)
            continue
        skip.add(digest)  # an input repeated within the run is analysed once
        yield key, item


def count_inputs(options: BatchOptions) -> int:
    """How many inputs the run will go through (at most ``limit``); reads them once, cheaply.

    The CLI runs this in a background thread to give the progress bar a total and an ETA.
    """
    items = read_inputs(list(options.inputs), options=options.read_options)
    return sum(1 for _ in islice(items, options.limit))


def run_batch(options: BatchOptions, progress: Progress | None = None) -> BatchSummary:
    """Analyse every input not stored yet, store the rows, compact ``options.out``.

    Parameters
    ----------
    options : BatchOptions
        What to read, where to store it, how to run.
    progress : Progress, optional
        Told of every input finished with (stored or skipped).

    Returns
    -------
    BatchSummary
        Counts for this run; ``rows_stored`` is the size of the compacted output.
    """
    progress = progress or NoProgress()
    started = time.monotonic()
    # The store first: an --out that cannot be written fails before any worker starts.
    with ResultStore(options.out) as store, connect(options.workers, options.scheduler) as client:
        client.register_plugin(PipelinePlugin(options.spec))
        job = _Job(options, client, store)
        job.summary.model_version = load_everywhere(client, options.spec)
        ok, failed_only = store.stored_keys()
        skip = ok if options.retry_failed else ok | failed_only
        chunk: list[WorkItem] = []
        for key, item in _new_items(
            options, job.summary.model_version, skip, job.summary, progress
        ):
            if isinstance(item, InputError):  # readers report empty and broken inputs
                job.add([failed_row(key, item.source, str(item))], progress)
            else:
                chunk.append((key, item))
            if len(chunk) >= options.chunk_size:
                job.submit(chunk, progress)
                chunk = []
                job.collect(progress, until=job.max_in_flight - 1)
        if chunk:
            job.submit(chunk, progress)
        job.collect(progress, until=0)
        job.flush()
        job.summary.rows_stored = store.compact()
    job.summary.elapsed_s = time.monotonic() - started
    return job.summary

"""Analyses in a small pool of worker processes with a bounded queue and a time limit.

Analysing is CPU-bound and a hostile text can run for minutes or eat gigabytes, so analyses run
in child processes, never in the server's own: each worker builds the pipeline once and then
answers jobs over a pipe. A job that passes the time limit gets its worker killed (threads
cannot be killed) and a fresh worker starts on the next job; reads and other analyses go on
meanwhile. At most ``workers`` analyses run and ``queue`` more wait; beyond that the pool
answers 503 at once with ``Retry-After``, so memory and waiting stay bounded. Workers run at
a lower CPU priority than the server, so reads are answered first.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from queue import SimpleQueue
from typing import NoReturn

from fastapi import HTTPException

from propwatch.api import analyze_articles
from propwatch.errors import PropwatchError
from propwatch.pipeline import Pipeline
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article

# Seconds a client is told to wait when the queue is full: about one short analysis.
RETRY_AFTER_S = 5
# Building the default pipeline loads every model; on a busy machine that takes a while, and
# it is not counted against the analysis time limit.
STARTUP_TIMEOUT_S = 300.0
# A closed worker gets this long to exit by itself before it is killed.
EXIT_GRACE_S = 5.0
# Workers run at a lower CPU priority than the server: on a machine with as many busy workers
# as cores, pages and API reads would otherwise wait for an analysis to yield its core (GET
# p95 7.2 s under 200 clients); an idle machine gives the workers every cycle anyway.
WORKER_NICENESS = 10

PipelineFactory = Callable[[], Pipeline]


class AnalysisRefused(PropwatchError):
    """The pipeline refused the input (an input problem found in the worker)."""


@dataclass(frozen=True, slots=True)
class _Reply:
    """What a worker sends back: analyses, a refusal (a known input problem) or a failure."""

    analyses: list[Analysis] | None = None
    refused: str | None = None
    failed: str | None = None


def _serve_jobs(build: PipelineFactory, conn: Connection) -> None:
    """Body of a worker process: build the pipeline, then analyse jobs until the pipe closes."""
    # Ctrl-C in the terminal reaches the whole process group; the server stops its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):  # POSIX
        os.nice(WORKER_NICENESS)
    try:
        pipeline = build()
    except PropwatchError as error:
        conn.send(_Reply(refused=str(error)))
        return
    conn.send(_Reply(analyses=[]))  # ready
    while True:
        try:
            articles = conn.recv()
        except EOFError:
            return
        try:
            reply = _Reply(analyses=list(analyze_articles(articles, pipeline)))
        except PropwatchError as error:
            reply = _Reply(refused=str(error))
        except Exception as error:
            # A component that breaks on a hostile text is a bug to fix (the traceback goes
            # to the server's log), but the client sent that text: it gets a 422, like a batch
            # records one failed article, and the worker keeps serving (components keep no
            # per-article state).
            traceback.print_exc()
            reply = _Reply(failed=f"{type(error).__name__}: {error}")
        conn.send(reply)


class _Worker:
    """One child process, started on first use and again after it was killed or died."""

    def __init__(self, build: PipelineFactory) -> None:
        self._build = build
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None

    def run(self, articles: list[Article], timeout_s: float) -> list[Analysis]:
        """Analyse ``articles`` in the child; kills it when ``timeout_s`` passes."""
        if self._process is not None and not self._process.is_alive():
            self.stop()  # it died between jobs (killed from outside)
        conn = self._conn or self._start()
        try:
            conn.send(articles)
        except (BrokenPipeError, ConnectionResetError):
            self._died()
        if not conn.poll(timeout_s):
            self.stop(grace_s=0)  # a runaway job would not notice the pipe closing
            raise HTTPException(
                422,
                f"the analysis took longer than the {timeout_s:g} s limit and was stopped; "
                "send a shorter text",
            )
        return _analyses(self._receive())

    def stop(self, grace_s: float = EXIT_GRACE_S) -> None:
        """Close the pipe, give the child ``grace_s`` seconds to exit, then kill it."""
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            self._process.join(grace_s)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
            self._process.close()
        self._process = self._conn = None

    def _start(self) -> Connection:
        # spawn, not fork: the server process has threads (event loop, thread pools), and a
        # forked child would inherit their locks in whatever state they were in.
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(target=_serve_jobs, args=(self._build, child), daemon=True)
        process.start()
        child.close()
        self._process, self._conn = process, parent
        if not parent.poll(STARTUP_TIMEOUT_S):
            self.stop()
            raise RuntimeError(f"the analysis worker did not start within {STARTUP_TIMEOUT_S} s")
        ready = self._receive()
        if ready.refused is not None:  # the pipeline cannot be built (configuration error)
            self.stop()
        _analyses(ready)
        return parent

    def _receive(self) -> _Reply:
        assert self._conn is not None  # called only while a child runs
        try:
            reply: _Reply = self._conn.recv()
        except (EOFError, ConnectionResetError):
            self._died()
        return reply

    def _died(self) -> NoReturn:
        assert self._process is not None
        self._process.join(EXIT_GRACE_S)
        code = self._process.exitcode
        self.stop()
        raise HTTPException(
            422,
            f"the analysis stopped (worker exit code {code}); the text may need more memory "
            "than the server has; send a shorter text",
        )


def _analyses(reply: _Reply) -> list[Analysis]:
    """The reply's analyses, or the refusal or failure it reports, raised."""
    if reply.refused is not None:
        raise AnalysisRefused(reply.refused)
    if reply.failed is not None:
        raise HTTPException(422, f"the analysis failed on this text ({reply.failed})")
    assert reply.analyses is not None  # a reply holds exactly one of the three
    return reply.analyses


class AnalysisPool:
    """``workers`` worker processes, ``queue`` waiting jobs at most, ``timeout_s`` per job.

    Parameters
    ----------
    build : callable returning a Pipeline
        Run once in each worker process; it must be picklable (a module-level function or a
        ``functools.partial`` of one).
    workers : int
        Analyses that run at once; each worker holds its own copy of the models.
    queue : int
        Jobs that may wait for a worker; one more is answered 503 with ``Retry-After``.
    timeout_s : float, seconds
        Longest one job (all articles of one request) may run; it is then stopped (422).
    """

    def __init__(
        self, build: PipelineFactory, *, workers: int, queue: int, timeout_s: float
    ) -> None:
        self.timeout_s = timeout_s
        self._workers = [_Worker(build) for _ in range(workers)]
        self._idle: SimpleQueue[_Worker] = SimpleQueue()
        for worker in self._workers:
            self._idle.put(worker)
        # Threads only wait on pipes; one per admitted job, so the queue holds no more.
        self._slots = threading.BoundedSemaphore(workers + queue)
        self._threads = ThreadPoolExecutor(workers + queue, thread_name_prefix="analysis")

    async def analyze(self, articles: Sequence[Article]) -> list[Analysis]:
        """Analyses of ``articles``, in order; 503 when the queue is full, 422 on timeout."""
        if not self._slots.acquire(blocking=False):
            raise HTTPException(
                503,
                "the server is busy analysing other articles; try again shortly",
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
        job = self._threads.submit(self._run, list(articles))
        # Released when the job ends, not when the request does: a client that hangs up
        # leaves its job running, and it still counts against the queue until it finishes.
        job.add_done_callback(lambda _job: self._slots.release())
        return await asyncio.wrap_future(job)

    def close(self) -> None:
        """Stop every worker process (waiting for running jobs' threads first)."""
        self._threads.shutdown(wait=True, cancel_futures=True)
        for worker in self._workers:
            worker.stop()

    def _run(self, articles: list[Article]) -> list[Analysis]:
        worker = self._idle.get()
        try:
            return worker.run(articles, self.timeout_s)
        finally:
            self._idle.put(worker)

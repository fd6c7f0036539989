"""Analyses the analyse page runs in the background while its script polls for them.

A browser that runs ``static/analyse.js`` posts the form with ``Accept: application/json``;
the server reads the inputs, starts the analysis as a task of the event loop and answers 202
with the job's address at once, so a long analysis never holds a request open and the page
can show its progress. The job is polled at ``/analyze/jobs/{id}`` until it names the page to
open or the error to show. Without JavaScript the form is posted as before and the answer is
the article page itself.

Job ids are random (``secrets.token_urlsafe``): only the browser that started a job learns
it. The store is bounded: the oldest finished jobs are forgotten first, so a client that never
polls cannot make it grow.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable
from dataclasses import dataclass

from fastapi import HTTPException

from propwatch.errors import PropwatchError

# Finished jobs kept for polling; running ones are bounded by the analysis queue.
KEEP_FINISHED = 256


@dataclass
class Job:
    """One background analysis: its task, and the page to open or the error once it ends."""

    task: asyncio.Task[str]
    location: str | None = None
    error: str | None = None
    status: int | None = None
    done: bool = False


@dataclass(frozen=True, slots=True)
class JobState:
    """What a poll answers: ``state`` is ``running``, ``done`` (open ``location``) or
    ``failed`` (show ``error``, whose HTTP status the plain form would have had)."""

    state: str
    location: str | None = None
    error: str | None = None
    status: int | None = None


class Jobs:
    """The background analyses of one app, by id."""

    def __init__(self, keep_finished: int = KEEP_FINISHED) -> None:
        self._keep_finished = keep_finished
        self._jobs: dict[str, Job] = {}

    def start(self, work: Awaitable[str]) -> str:
        """Run ``work`` (which returns the page to open) as a task; its id."""
        job_id = secrets.token_urlsafe(16)
        task = asyncio.ensure_future(work)
        job = Job(task)
        task.add_done_callback(lambda finished: self._finish(job, finished))
        self._jobs[job_id] = job
        return job_id

    def state(self, job_id: str) -> JobState | None:
        """The job's state, or None for an unknown (or long forgotten) id."""
        job = self._jobs.get(job_id)
        if job is None:
            return None
        if not job.done:
            return JobState("running")
        if job.error is not None:
            return JobState("failed", error=job.error, status=job.status)
        return JobState("done", location=job.location)

    def _finish(self, job: Job, task: asyncio.Task[str]) -> None:
        job.done = True
        error = None if task.cancelled() else task.exception()
        if task.cancelled():
            job.error, job.status = "the analysis was cancelled (the server is stopping)", 503
        elif isinstance(error, HTTPException):
            job.error, job.status = str(error.detail), error.status_code
        elif isinstance(error, PropwatchError):
            job.error, job.status = str(error), 400
        elif error is not None:
            # A bug: the plain form would have answered 500 and logged it; so does the poll.
            job.error, job.status = "internal server error; the server log has the details", 500
            asyncio.get_running_loop().call_exception_handler(
                {"message": "background analysis failed", "exception": error}
            )
        else:
            job.location = task.result()
        self._forget_oldest_finished()

    def _forget_oldest_finished(self) -> None:
        finished = [job_id for job_id, job in self._jobs.items() if job.done]
        for job_id in finished[: max(0, len(finished) - self._keep_finished)]:
            del self._jobs[job_id]

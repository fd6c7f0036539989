"""A short-lived in-memory cache of shared GET responses, like a reverse proxy's micro-cache.

Library lists, statistics and outlet pages aggregate over every stored article; under many
clients the server would compute the same answer hundreds of times a second. A route marks a
response as the same for everyone with ``Cache-Control: public, max-age=N`` (see
:data:`SHARED_FOR_ONE_SECOND`); this middleware keeps such responses for at most ``N`` seconds
and answers repeated GETs from memory, before any routing, database or template work.

Correctness rules:

- Only ``200`` responses to ``GET`` that are ``public``, carry no ``Set-Cookie`` and fit in
  ``max_body`` bytes are kept; pages with a form (their CSRF token belongs to one visitor) are
  never marked ``public``.
- The key is the path, the query string and the request headers a response may depend on
  (the API key and ``Accept-Encoding``), so a cached answer never reaches a client it was not
  computed for.
- Every commit that changed the database through this server's sessions (an analysis
  stored, an article deleted) starts a new generation (:func:`count_commits`); answers of an
  older generation are never replayed, and an answer computed while a commit happened is not
  kept, so what this server stores is visible at once. Writes by another process
  (``propwatch batch --db`` into the same database) appear within ``N`` seconds.
- When a kept answer has to be computed again, clients asking for it meanwhile wait for that
  one computation instead of each starting their own.
- At most ``max_entries`` answers are kept (least recently stored dropped first), so memory is
  bounded by ``max_entries * max_body``.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SHARED_FOR_ONE_SECOND = "public, max-age=1"
# Request headers a shared answer may depend on (API keys, compression); lower-case bytes.
VARY_HEADERS = (b"x-api-key", b"accept-encoding")


class Generation:
    """A counter of the commits that changed the database; read and bumped from any thread."""

    def __init__(self) -> None:
        self.value = 0

    def bump(self) -> None:
        self.value += 1  # one bytecode-level increment under the GIL; a lost race only misses


def count_commits(sessions: sessionmaker[Session], generation: Generation) -> None:
    """Bump ``generation`` after every commit of a ``sessions`` session that wrote: flushed
    changed objects or executed an INSERT, UPDATE or DELETE statement."""

    def flushed(session: Session, _context: Any) -> None:
        session.info["changed"] = True

    def executed(state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            state.session.info["changed"] = True

    def committed(session: Session) -> None:
        if session.info.pop("changed", False):
            generation.bump()

    def rolled_back(session: Session) -> None:
        session.info.pop("changed", None)

    event.listen(sessions, "after_flush", flushed)
    event.listen(sessions, "do_orm_execute", executed)
    event.listen(sessions, "after_commit", committed)
    event.listen(sessions, "after_rollback", rolled_back)


@dataclass(frozen=True, slots=True)
class _Entry:
    generation: int
    expires: float
    start: Message
    body: bytes


class SharedResponseCache:
    """ASGI middleware keeping ``public`` GET answers for their ``max-age``; see the module.

    Parameters
    ----------
    app : ASGI app
        The wrapped application.
    generation : Generation
        Bumped by every change of the stored data (see :func:`count_commits`).
    max_entries : int, default=256
        Answers kept at most.
    max_body : int, default=1_000_000
        Largest body kept, in bytes.
    clock : callable, default=time.monotonic
        Seconds; tests pass their own.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        generation: Generation,
        max_entries: int = 256,
        max_body: int = 1_000_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.generation = generation
        self.max_entries = max_entries
        self.max_body = max_body
        self.clock = clock
        self._entries: OrderedDict[tuple[bytes, ...], _Entry] = OrderedDict()
        self._pending: dict[tuple[bytes, ...], asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        key = _key(scope)
        pending = self._pending.get(key)
        if pending is not None and key in self._entries:
            # A shared answer is being computed again: wait for it rather than compute it
            # once more per waiting client (only for answers known to be shared, so private
            # pages never wait for each other).
            await pending.wait()
        entry = self._entries.get(key)
        if entry is not None and self._fresh(entry):
            await send(entry.start)
            await send({"type": "http.response.body", "body": entry.body})
            return
        done = self._pending.setdefault(key, asyncio.Event())
        try:
            await self._answer_and_keep(key, scope, receive, send)
        finally:
            if self._pending.get(key) is done:
                del self._pending[key]
            done.set()

    def _fresh(self, entry: _Entry) -> bool:
        return entry.generation == self.generation.value and entry.expires > self.clock()

    async def _answer_and_keep(
        self, key: tuple[bytes, ...], scope: Scope, receive: Receive, send: Send
    ) -> None:
        generation = self.generation.value
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0

        async def keep(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and size <= self.max_body:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
            await send(message)

        await self.app(scope, receive, keep)
        max_age = _shared_max_age(start)
        # No commit happened while it was computed, so it shows the data of one generation.
        unchanged = self.generation.value == generation
        if max_age and unchanged and size <= self.max_body and start is not None:
            self._entries[key] = _Entry(generation, self.clock() + max_age, start, b"".join(chunks))
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def _key(scope: Scope) -> tuple[bytes, ...]:
    headers = dict(scope.get("headers", []))
    vary = tuple(headers.get(name, b"") for name in VARY_HEADERS)
    return (scope["path"].encode(), scope.get("query_string", b""), *vary)


def _shared_max_age(start: Message | None) -> float:
    """Seconds an answer may be shared (0: not at all): 200, ``public``, no cookie set."""
    if start is None or start["status"] != 200:
        return 0.0
    headers = [(name.lower(), value) for name, value in start.get("headers", [])]
    if any(name == b"set-cookie" for name, _ in headers):
        return 0.0
    control = b",".join(value for name, value in headers if name == b"cache-control")
    directives = [part.strip() for part in control.decode("latin-1").lower().split(",")]
    if "public" not in directives:
        return 0.0
    ages = [d.removeprefix("max-age=") for d in directives if d.startswith("max-age=")]
    return float(ages[0]) if ages and ages[0].isdigit() else 0.0

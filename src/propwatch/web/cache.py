"""A short-lived in-memory cache of shared GET responses, like a reverse proxy's micro-cache.

Library lists, statistics, outlet and article pages are the same for every client; under many
clients the server would compute the same answer hundreds of times a second. A route marks a
response as the same for everyone with ``Cache-Control: public, max-age=N`` (see
:data:`SHARED_FOR_ONE_SECOND`); this middleware keeps such responses for at most ``N`` seconds
and answers repeated GETs from memory, before any routing, database or template work.

Correctness rules:

- Only ``200`` responses to ``GET`` that are ``public``, carry no ``Set-Cookie`` and fit in
  ``max_body`` bytes are kept. Pages with a form are kept with an empty slot where the
  visitor's CSRF token goes, filled per visitor outside this cache
  (:class:`~propwatch.web.security.CsrfSlotMiddleware`).
- The key is the path, the query string and the request headers a response may depend on
  (the API key and ``Accept-Encoding``), so a cached answer never reaches a client it was not
  computed for.
- A commit that changed or removed stored rows through this server's sessions (an article
  deleted, an annotation saved) starts a new generation (:func:`count_commits`): answers of an
  older generation are never replayed, and an answer computed while such a commit happened
  is not kept.
- A commit that only added new articles ends no answer: the lists and counts that lack the
  new article are still replayed until their ``max-age`` ends, as any HTTP cache may do with
  them. (Ending every answer on every stored analysis made the cache useless while posts came
  in several times a second.) The client that wrote reads its own writes: a non-GET response
  during which this server committed a change, or an answer a route marked with
  :data:`WROTE_HEADER`, sets the cookie :data:`WROTE_COOKIE` to that moment, and a request
  carrying it is answered only from answers whose computation started
  after it. Writes by another process (``propwatch batch --db`` into the same database)
  appear within ``N`` seconds.
- After half its max-age, the next request for a kept answer computes it again while the
  others are still answered from memory, so under load nobody waits for an expired answer.
  When a kept answer has to be computed again anyway (it expired unasked, or a change ended
  it), clients asking for it meanwhile wait for that one computation instead of each
  starting their own.
- At most ``max_entries`` answers are kept (least recently stored dropped first), so memory is
  bounded by ``max_entries * max_body``.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SHARED_FOR_ONE_SECOND = "public, max-age=1"
# Request headers a shared answer may depend on (API keys, compression); lower-case bytes.
VARY_HEADERS = (b"x-api-key", b"accept-encoding")
# Share of its max-age after which one request computes a kept answer again (the others are
# still answered from memory); a page is then computed about twice per max-age while asked for.
REFRESH_AFTER = 0.5
# The moment (of the cache's clock) of a client's last write through this server.
WROTE_COOKIE = "propwatch_wrote"
# Set by a route on an answer that reports a write finished before it (the analyse page's
# background analysis, stored after its request was answered); it becomes WROTE_COOKIE.
WROTE_HEADER = "X-Propwatch-Wrote"
# Longer than any kept answer lives (max-age plus its computation), after which it is moot.
WROTE_COOKIE_MAX_AGE_S = 60


class Generation:
    """Counters of the commits through the server's sessions; read and bumped from any thread.

    ``value`` counts the commits that changed or removed stored rows (they end every kept
    answer), ``additions`` those that only added new articles.
    """

    def __init__(self) -> None:
        self.value = 0
        self.additions = 0

    def bump(self) -> None:
        self.value += 1  # one bytecode-level increment under the GIL; a lost race only misses

    def add(self) -> None:
        self.additions += 1


def count_commits(
    sessions: sessionmaker[Session],
    generation: Generation,
    added_rows: tuple[type, ...] = (),
) -> None:
    """Count every commit of a ``sessions`` session that wrote in ``generation``.

    A commit whose flushes only inserted objects of the ``added_rows`` classes (a new article
    and the rows that exist only with it) calls ``generation.add()``; any other write (a
    changed or deleted object, a new object of another class, an INSERT, UPDATE or DELETE
    statement) calls ``generation.bump()``.
    """

    def flushed(session: Session, _context: Any) -> None:
        # Still the flush's own lists here (SQLAlchemy's after_flush).
        only_added = not session.dirty and not session.deleted
        if only_added and all(isinstance(row, added_rows) for row in session.new):
            session.info["added"] = True
        else:
            session.info["changed"] = True

    def executed(state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            state.session.info["changed"] = True

    def committed(session: Session) -> None:
        added = session.info.pop("added", False)
        if session.info.pop("changed", False):
            generation.bump()
        elif added:
            generation.add()

    def rolled_back(session: Session) -> None:
        session.info.pop("changed", None)
        session.info.pop("added", None)

    event.listen(sessions, "after_flush", flushed)
    event.listen(sessions, "do_orm_execute", executed)
    event.listen(sessions, "after_commit", committed)
    event.listen(sessions, "after_rollback", rolled_back)


@dataclass(frozen=True, slots=True)
class _Entry:
    generation: int
    started: float  # when its computation started, so it holds every earlier commit
    refresh_at: float
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
        Seconds, for expiry and :data:`WROTE_COOKIE`; tests pass their own. The monotonic
        clock is shared by the processes of one machine, so a cookie outlives a restart.
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
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] != "GET":
            await self._write(scope, receive, send)
            return
        key = _key(scope)
        wrote = _wrote(scope)
        entry = self._entries.get(key)
        pending = self._pending.get(key)
        if entry is not None and pending is not None and not self._usable(entry, wrote):
            # A shared answer is being computed again: wait for it rather than compute it
            # once more per waiting client (only for answers known to be shared, so private
            # pages never wait for each other).
            await pending.wait()
            entry = self._entries.get(key)
        usable = entry is not None and self._usable(entry, wrote)
        if entry is not None and usable and not self._refresh_due(key, entry):
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

    def _refresh_due(self, key: tuple[bytes, ...], entry: _Entry) -> bool:
        """Whether this request should compute a still-fresh answer again, ahead of time.

        After :data:`REFRESH_AFTER` of its max-age, the first request computes it again while
        the others are still answered from memory; so under load nobody waits for an expired
        answer to be recomputed (which took most of a second each second for each page).
        """
        return self.clock() >= entry.refresh_at and key not in self._pending

    def _usable(self, entry: _Entry, wrote: float) -> bool:
        """Not expired, no change since, and computed after the client's last write."""
        current = entry.generation == self.generation.value
        return current and entry.expires > self.clock() and entry.started > wrote

    async def _write(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass a non-GET request on; mark its client as a writer if anything was committed."""
        before = (self.generation.value, self.generation.additions)

        async def mark(message: Message) -> None:
            # Also when another client's commit happened meanwhile: reading fresher answers
            # than needed is only slower.
            committed = (self.generation.value, self.generation.additions) != before
            await send(self._marked(message, committed))

        await self.app(scope, receive, mark)

    def _marked(self, message: Message, wrote: bool) -> Message:
        """``message`` with :data:`WROTE_COOKIE` set if it starts the answer to a writer:
        ``wrote``, or marked by its route with :data:`WROTE_HEADER` (which is removed)."""
        if message["type"] != "http.response.start":
            return message
        marker = WROTE_HEADER.lower().encode()
        headers = list(message.get("headers", []))
        if any(name == marker for name, _ in headers):
            headers = [(name, value) for name, value in headers if name != marker]
            wrote = True
        if not wrote:
            return message
        cookie = (
            f"{WROTE_COOKIE}={self.clock():.6f}; Max-Age={WROTE_COOKIE_MAX_AGE_S}; "
            "Path=/; HttpOnly; SameSite=Lax"
        )
        return {**message, "headers": [*headers, (b"set-cookie", cookie.encode())]}

    async def _answer_and_keep(
        self, key: tuple[bytes, ...], scope: Scope, receive: Receive, send: Send
    ) -> None:
        generation = self.generation.value
        started = self.clock()
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0

        async def keep(message: Message) -> None:
            nonlocal start, size
            message = self._marked(message, wrote=False)  # a marked answer sets a cookie
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and size <= self.max_body:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
            await send(message)

        await self.app(scope, receive, keep)
        max_age = _shared_max_age(start)
        # No change or removal was committed while it was computed (additions may have been).
        unchanged = self.generation.value == generation
        if max_age and unchanged and size <= self.max_body and start is not None:
            now = self.clock()
            self._entries[key] = _Entry(
                generation,
                started,
                now + REFRESH_AFTER * max_age,
                now + max_age,
                start,
                b"".join(chunks),
            )
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def _key(scope: Scope) -> tuple[bytes, ...]:
    headers = dict(scope.get("headers", []))
    vary = tuple(headers.get(name, b"") for name in VARY_HEADERS)
    return (scope["path"].encode(), scope.get("query_string", b""), *vary)


def _wrote(scope: Scope) -> float:
    """The client's :data:`WROTE_COOKIE` moment; 0 when it has none (or a malformed one)."""
    cookies = b"; ".join(value for name, value in scope.get("headers", []) if name == b"cookie")
    value = cookie_parser(cookies.decode("latin-1")).get(WROTE_COOKIE, "")
    try:
        moment = float(value)
    except ValueError:
        return 0.0
    return moment if math.isfinite(moment) else 0.0


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

"""Safety that every response gets: body size limit (413), security headers, CSRF, API keys.

The two middlewares are plain ASGI so they also guard requests no route handles. CSRF uses the
double-submit pattern: a random token in a ``SameSite=Strict`` cookie that every form echoes in
a hidden field. API clients do not use cookies; the API refuses state-changing requests that
a browser marks as coming from another site (``Origin``, ``Sec-Fetch-Site``) and takes bodies
only as JSON (which another site cannot send without CORS, which the server never allows) or
multipart, so a page elsewhere cannot make a visitor's browser analyse or delete, keys or not.
Pages with a form are rendered once for everyone with :data:`CSRF_SLOT` where the token goes
(so they can be shared, see :mod:`propwatch.web.cache`); :class:`CsrfSlotMiddleware` puts each
visitor's token there on the way out.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from urllib.parse import urlsplit

from starlette.requests import cookie_parser
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from propwatch.text.annotation import LOCAL

CSRF_COOKIE = "propwatch_csrf"
CSRF_FIELD = "csrf_token"
# What new_csrf_token gives: 32 random bytes in URL-safe base64 (43 characters).
_CSRF_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
# Rendered where the token goes; as long as a token, so no Content-Length changes.
CSRF_SLOT = "propwatch-csrf-slot".ljust(43, "-")
# Set by a route whose body holds CSRF_SLOT; removed by CsrfSlotMiddleware.
CSRF_SLOT_HEADER = "X-Propwatch-Csrf-Slot"
API_KEY_HEADER = "X-API-Key"
API_PATH = "/api/"
JSON = "application/json"
MULTIPART = "multipart/form-data"
# Sec-Fetch-Site values of requests a page of this very server made, or the user typed.
_OWN_SITE = {"same-origin", "none"}

# No inline scripts or styles anywhere; every asset is served by the app itself.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class BodyTooLarge(Exception):
    """Raised inside ``receive`` when a streamed body passes the limit."""


def too_large_message(limit: int) -> str:
    """The 413 explanation, naming the limit in MB."""
    return f"request body is larger than the {limit / 1e6:g} MB limit"


class HttpMiddleware:
    """An ASGI middleware that acts on HTTP requests (:meth:`handle`); others pass through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one HTTP request, calling ``self.app``."""
        raise NotImplementedError


class SecurityHeadersMiddleware(HttpMiddleware):
    """Adds the Content-Security-Policy and related headers to every HTTP response."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CsrfSlotMiddleware(HttpMiddleware):
    """Puts the visitor's CSRF token in the :data:`CSRF_SLOT` of responses that have one.

    A response marked with :data:`CSRF_SLOT_HEADER` (a page with a form, rendered for every
    visitor alike and perhaps replayed by the shared-response cache) gets the token of the
    visitor's CSRF cookie, or a new one set as that cookie, in its slot, and loses its
    ``Cache-Control``: with the token in it the page is the visitor's own. Only a token of the
    form :func:`new_csrf_token` gives is taken from a cookie, so the body keeps its length.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        token: bytes | None = None
        chunks: list[bytes] = []

        async def fill(message: Message) -> None:
            nonlocal token
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                slot = CSRF_SLOT_HEADER.lower().encode()
                if any(name == slot for name, _ in headers):
                    token = self._token(scope, headers)
                    drop = (slot, b"cache-control")
                    message = {**message, "headers": [h for h in headers if h[0] not in drop]}
            elif message["type"] == "http.response.body" and token is not None:
                # The slot may straddle two pieces of a streamed body: fill the whole.
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = b"".join(chunks).replace(CSRF_SLOT.encode(), token)
                message = {**message, "body": body}
            await send(message)

        await self.app(scope, receive, fill)

    @staticmethod
    def _token(scope: Scope, headers: list[tuple[bytes, bytes]]) -> bytes:
        """The visitor's token; a new one is added to ``headers`` as the cookie."""
        raw = b"; ".join(value for name, value in scope["headers"] if name == b"cookie")
        token = cookie_parser(raw.decode("latin-1")).get(CSRF_COOKIE, "")
        if not _CSRF_TOKEN.fullmatch(token):
            token = new_csrf_token()
            # Starlette's cookie formatting, as the pages used before the slot existed.
            cookie = Response()
            secure = scope.get("scheme") == "https"
            cookie.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure)
            headers.extend(h for h in cookie.raw_headers if h[0] == b"set-cookie")
        return token.encode()


class BodyLimitMiddleware:
    """Answers 413 to bodies over ``limit`` bytes, by Content-Length or while streaming.

    Parameters
    ----------
    app : ASGI app
        The wrapped application.
    limit : int, bytes
        Largest accepted request body.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"").decode() or "0"
        if length.isdigit() and int(length) > self.limit:
            await self._reject(scope, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await self._reject(scope, send)

    async def _reject(self, scope: Scope, send: Send) -> None:
        # API clients get JSON like every other API error; browsers posting a page form get
        # the sentence as plain text, which they display as is.
        message = too_large_message(self.limit)
        if scope["path"].startswith(API_PATH):
            body, media_type = json.dumps({"detail": message}).encode(), b"application/json"
        else:
            body, media_type = f"413: {message}\n".encode(), b"text/plain; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", media_type),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type header, lower case, without parameters."""
    return (content_type or "").split(";")[0].strip().lower()


def cross_site(headers: Mapping[str, str]) -> bool:
    """True when a browser says the request comes from a page of another origin.

    Browsers send ``Origin`` with every cross-origin POST and DELETE (``null`` from sandboxed
    or privacy-sensitive contexts) and, lately, ``Sec-Fetch-Site``. Clients that send neither
    (curl, scripts) are not browsers and cannot be made to send a visitor's request.
    """
    site = headers.get("sec-fetch-site")
    if site is not None and site not in _OWN_SITE:
        return True
    origin = headers.get("origin")
    if origin is None:
        return False
    return urlsplit(origin).netloc.lower() != headers.get("host", "").lower()


def new_csrf_token() -> str:
    """A fresh unguessable token for the CSRF cookie."""
    return secrets.token_urlsafe(32)


def csrf_matches(cookie: str | None, submitted: str | None) -> bool:
    """True when the form echoed the cookie's token (constant-time comparison)."""
    if not cookie or not submitted:
        return False
    return secrets.compare_digest(cookie.encode(), submitted.encode())


def key_entry(entry: str) -> tuple[str, str]:
    """``(name, key)`` of a configured key: ``alice:s3cret`` is alice's, an unnamed ``s3cret``
    is called ``key-`` and the first 8 hex digits of its SHA-256 (which do not reveal it)."""
    name, separator, key = entry.partition(":")
    if separator and name and key:
        return name, key
    return f"key-{hashlib.sha256(entry.encode()).hexdigest()[:8]}", entry


def api_key_owner(keys: list[str], given: str | None) -> str | None:
    """The name of the configured key ``given`` is, ``"local"`` when no keys are configured,
    None when it is none of them (constant-time comparisons)."""
    if not keys:
        return LOCAL
    if not given:
        return None
    owner = None
    for name, key in map(key_entry, keys):
        if secrets.compare_digest(key.encode(), given.encode()):
            owner = name
    return owner


def api_key_valid(keys: list[str], given: str | None) -> bool:
    """True when no keys are configured, or ``given`` is one of them (constant time)."""
    return api_key_owner(keys, given) is not None

"""Fetch an article from a URL on the server, refusing to be used to reach internal hosts.

Server-side request forgery rules: only ``http``/``https``; the host name is resolved here and
every address it resolves to must be public (not private, loopback, link-local — which covers
the 169.254.169.254 cloud metadata service — shared, reserved or multicast); the connection goes
to the address that was checked, so a DNS answer cannot change in between; each redirect is
checked the same way. Timeouts, a redirect limit and a size cap bound the work.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from propwatch import registry
from propwatch.errors import InputError
from propwatch.io.readers import ReadOptions, Source
from propwatch.text.article import Article

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Which reader turns a response of this media type into an article.
READER_FOR_MEDIA_TYPE = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "txt",
}
USER_AGENT = "propwatch (+https://github.com/propwatch)"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Limits of one fetch.

    Parameters
    ----------
    allow_private : bool, default=False
        Allow private, loopback and link-local addresses (local test servers, intranets).
    timeout_s : float, seconds, default=10
        Connect and read timeout; the whole fetch, redirects included, may take twice this.
    max_bytes : int, bytes, default=5 MB
        Largest response body read.
    max_redirects : int, default=5
        Redirects followed before giving up.
    """

    allow_private: bool = False
    timeout_s: float = 10.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5


def is_public(address: IPAddress) -> bool:
    """True for a globally routable unicast address (IPv4-mapped IPv6 checked as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def resolve(url: str, host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to; an :class:`InputError` when it does not resolve."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise InputError(url, f"cannot resolve host {host!r} ({error})") from None
    # Drop an IPv6 zone index (fe80::1%eth0) before parsing.
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def checked_address(url: httpx.URL, policy: FetchPolicy, name: str) -> IPAddress:
    """The address to connect to for ``url``, after the scheme and SSRF checks.

    ``name`` is the URL as the user (or the redirect) wrote it, for error messages.

    Raises
    ------
    InputError
        For a non-HTTP scheme, a missing host, or a host resolving to a non-public address.
    """
    if url.scheme not in ("http", "https"):
        raise InputError(name, "only http:// and https:// URLs can be fetched")
    if not url.host:
        raise InputError(name, "the URL has no host")
    port = url.port or (443 if url.scheme == "https" else 80)
    addresses = resolve(name, url.host, port)
    if not policy.allow_private:
        for address in addresses:
            if not is_public(address):
                raise InputError(
                    name,
                    f"refused: {url.host} resolves to the non-public address {address} "
                    "(start the server with --allow-private-urls to allow it)",
                )
    return addresses[0]


def _read_capped(response: httpx.Response, url: str, policy: FetchPolicy, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise InputError(url, f"page is larger than the {policy.max_bytes / 1e6:g} MB limit")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > policy.max_bytes:
            raise InputError(url, f"page is larger than the {policy.max_bytes / 1e6:g} MB limit")
        if time.monotonic() > deadline:
            raise InputError(url, f"page took longer than {2 * policy.timeout_s:g} s to download")
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass(frozen=True, slots=True)
class Page:
    """A downloaded page: the final URL (after redirects), its media type and its bytes."""

    url: str
    media_type: str
    data: bytes


def parse_url(url: str) -> httpx.URL:
    """``url`` parsed; an :class:`InputError` for what httpx refuses (``http://0177.0.0.1/``,
    an unclosed ``[``, control characters, a malformed international name)."""
    try:
        parsed = httpx.URL(url)
        parsed.host  # noqa: B018 (decodes an international name, which may fail, now)
    except (httpx.InvalidURL, UnicodeError) as error:
        raise InputError(url, f"not a valid URL ({error})") from None
    return parsed


def download(url: str, policy: FetchPolicy, transport: httpx.BaseTransport | None = None) -> Page:
    """GET ``url`` under ``policy``, following checked redirects.

    Raises
    ------
    InputError
        When a rule refuses the URL, the server fails or answers an error status, or the page
        is too large or too slow.
    """
    deadline = time.monotonic() + 2 * policy.timeout_s
    timeout = httpx.Timeout(policy.timeout_s)
    # trust_env=False: a proxy from the environment would make the connection, not us, and
    # the address check would no longer hold.
    client = httpx.Client(
        timeout=timeout, transport=transport, follow_redirects=False, trust_env=False
    )
    with client:
        current, shown = parse_url(url), url
        for _ in range(policy.max_redirects + 1):
            address = checked_address(current, policy, shown)
            pinned = current.copy_with(host=str(address))
            headers = {"Host": current.netloc.decode("ascii"), "User-Agent": USER_AGENT}
            request = client.build_request(
                "GET", pinned, headers=headers, extensions={"sni_hostname": current.host}
            )
            try:
                response = client.send(request, stream=True)
            except httpx.HTTPError as error:
                raise InputError(shown, f"cannot fetch ({error})") from None
            try:
                location = response.headers.get("location")
                if response.is_redirect and location:
                    shown = urljoin(str(current), location)
                    current = parse_url(shown)
                    continue
                if response.status_code >= 400:
                    raise InputError(shown, f"server answered {response.status_code}")
                media_type = response.headers.get("content-type", "").split(";")[0].strip()
                data = _read_capped(response, shown, policy, deadline)
                return Page(str(current), media_type.lower(), data)
            finally:
                response.close()
    raise InputError(url, f"more than {policy.max_redirects} redirects")


def fetch_article(
    url: str, policy: FetchPolicy, transport: httpx.BaseTransport | None = None
) -> Article:
    """Download ``url`` and extract its article (trafilatura for HTML); id and url are the URL.

    Raises
    ------
    InputError
        For refused or failed fetches, unsupported media types and pages without text.
    """
    page = download(url, policy, transport)
    reader_name = READER_FOR_MEDIA_TYPE.get(page.media_type)
    if reader_name is None:
        raise InputError(
            page.url,
            f"cannot read {page.media_type or 'untyped'} content; "
            f"readable: {', '.join(READER_FOR_MEDIA_TYPE)}",
        )
    reader = registry.readers.get(reader_name)
    source = Source(page.url, page.data)
    for item in reader.read(source, ReadOptions()):
        if isinstance(item, InputError):
            raise item
        return dataclasses.replace(item, id=page.url, url=item.url or page.url)
    raise InputError(page.url, "no article found in the page")

"""URL fetching: SSRF rules (addresses, DNS, redirects), limits, and extraction."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from web_helpers import make_settings

from propwatch.errors import InputError
from propwatch.web import fetch
from propwatch.web.app import create_app
from propwatch.web.fetch import FetchPolicy, download, fetch_article, is_public
from propwatch.web.workers import AnalysisPool

PAGE = (
    b"<html><head><title>Harbour news</title></head><body><article>"
    b"<h1>Harbour reopens after storm</h1>"
    b"<p>The harbour reopened on Monday after three weeks of repairs to the old pier.</p>"
    b"<p>Fishing boats returned before dawn, and the market opened an hour early.</p>"
    b"</article></body></html>"
)
ALLOW = FetchPolicy(allow_private=True, timeout_s=5)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/story")
            self.end_headers()
            return
        body = PAGE if self.path == "/story" else b"%PDF-1.4"
        self.send_response(200 if self.path in ("/story", "/file.pdf") else 404)
        kind = "text/html; charset=utf-8" if self.path == "/story" else "application/pdf"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # keep test output clean
        return


@pytest.fixture(scope="module")
def local_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.5",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


def test_public_addresses_are_allowed() -> None:
    assert is_public(ipaddress.ip_address("93.184.216.34"))
    assert is_public(ipaddress.ip_address("2606:2800:220:1:248:1893:25c8:1946"))


def test_loopback_url_is_refused_by_default(local_site: str) -> None:
    with pytest.raises(InputError) as error:
        download(f"{local_site}/story", FetchPolicy())
    assert str(error.value) == (
        f"{local_site}/story: refused: 127.0.0.1 resolves to the non-public address 127.0.0.1 "
        "(start the server with --allow-private-urls to allow it)"
    )


def test_names_are_checked_after_resolution() -> None:
    with pytest.raises(InputError, match="refused: localhost resolves to the non-public"):
        download("http://localhost:9/", FetchPolicy())


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x/"])
def test_only_http_schemes(url: str) -> None:
    with pytest.raises(InputError) as error:
        download(url, FetchPolicy())
    assert str(error.value) == f"{url}: only http:// and https:// URLs can be fetched"


def test_redirect_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    public = ipaddress.ip_address("93.184.216.34")
    monkeypatch.setattr(
        fetch,
        "resolve",
        lambda url, host, port: [
            public if host == "news.test" else ipaddress.ip_address("127.0.0.1")
        ],
    )
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.url.host} {request.headers['host']}")
        return httpx.Response(302, headers={"Location": "http://internal.test/admin"})

    with pytest.raises(InputError) as error:
        download("http://news.test/a", FetchPolicy(), httpx.MockTransport(handler))
    assert seen == ["93.184.216.34 news.test"]  # connected to the checked address
    assert "refused: internal.test resolves to the non-public address 127.0.0.1" in str(error.value)


def test_size_cap_and_error_status(monkeypatch: pytest.MonkeyPatch) -> None:
    public = ipaddress.ip_address("93.184.216.34")
    monkeypatch.setattr(fetch, "resolve", lambda url, host, port: [public])

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/gone":
            return httpx.Response(404)
        return httpx.Response(200, content=b"x" * 2_000, headers={"Content-Type": "text/plain"})

    transport = httpx.MockTransport(handler)
    with pytest.raises(InputError, match=r"page is larger than the 0\.001 MB limit"):
        download("http://news.test/big", FetchPolicy(max_bytes=1_000), transport)
    with pytest.raises(InputError, match="server answered 404"):
        download("http://news.test/gone", FetchPolicy(), transport)


def test_fetch_article_extracts_the_main_text(local_site: str) -> None:
    article = fetch_article(f"{local_site}/moved", ALLOW)
    assert article.id == f"{local_site}/story"
    assert article.url == f"{local_site}/story"
    assert article.title == "Harbour reopens after storm"
    assert "The harbour reopened on Monday" in article.text
    with pytest.raises(InputError, match="cannot read application/pdf content"):
        fetch_article(f"{local_site}/file.pdf", ALLOW)


def test_api_fetches_urls_only_when_private_urls_are_allowed(
    local_site: str, tmp_path: Path, analyzer: AnalysisPool
) -> None:
    def client(allow: bool) -> TestClient:
        settings = make_settings(f"sqlite:///{tmp_path / f'{allow}.db'}", allow_private_urls=allow)
        return TestClient(create_app(settings, analyzer=analyzer))

    refused = client(False).post("/api/v1/analyze", json={"url": f"{local_site}/story"})
    assert refused.status_code == 400
    assert "refused: 127.0.0.1 resolves to the non-public address" in refused.json()["detail"]
    allowed = client(True).post(
        "/api/v1/analyze", json={"url": f"{local_site}/story", "outlet": "Port News"}
    )
    assert allowed.status_code == 201, allowed.text
    article = allowed.json()[0]["article"]
    assert (article["url"], article["outlet"]) == (f"{local_site}/story", "Port News")

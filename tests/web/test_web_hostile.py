"""No 500 for any client input, and cross-site writes refused (issue 15, section 5)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import ARTICLE, make_settings

from propwatch.db import repo
from propwatch.web.app import create_app
from propwatch.web.security import CONTENT_SECURITY_POLICY, CSRF_COOKIE
from propwatch.web.workers import AnalysisPool

HUGE = 2**63  # one past the largest id the databases hold
OUTSIDE = "http://evil.example"


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"", "application/json", 422),
        (b"not json", "application/json", 422),
        (b"\xff\xfe\x00binary", "application/json", 422),
        (b"[1, 2]", "application/json", 422),
        (b'{"text": "a", "url": "http://example.com"}', "application/json", 422),
        (b"", None, 415),
        (b'{"text": "A plain text post."}', "text/plain", 415),
        (b"text=Hello", "application/x-www-form-urlencoded", 415),
    ],
)
def test_bad_bodies_are_4xx_with_json_details(
    sqlite_client: TestClient, body: bytes, content_type: str | None, status: int
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = sqlite_client.post("/api/v1/analyze", content=body, headers=headers)
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    if status == 415:
        assert detail == (
            "send application/json (a JSON object) or multipart/form-data (file parts)"
        )
    else:
        assert all(set(issue) == {"type", "loc", "msg"} for issue in detail), detail


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/api/v1/articles/{HUGE}"),
        ("DELETE", f"/api/v1/articles/{HUGE}"),
        ("GET", f"/api/v1/articles/{HUGE}/export/json"),
        ("GET", f"/api/v1/articles?page={HUGE}"),
        ("GET", f"/api/v1/articles?page={HUGE // 200 + 1}"),
        ("GET", f"/articles/{HUGE}"),
        ("GET", f"/compare?a={HUGE}&b=1"),
        ("GET", f"/library?page={HUGE}"),
        ("GET", "/api/v1/articles/0"),
    ],
)
def test_ids_and_pages_past_64_bits_are_422(
    sqlite_client: TestClient, method: str, path: str
) -> None:
    response = sqlite_client.request(method, path)
    assert response.status_code == 422, response.text


def test_largest_id_is_a_plain_404(sqlite_client: TestClient) -> None:
    largest = HUGE - 1
    response = sqlite_client.get(f"/api/v1/articles/{largest}")
    assert (response.status_code, response.json()) == (
        404,
        {"detail": f"no article with id {largest}"},
    )
    last_page = sqlite_client.get(f"/api/v1/articles?page={largest // 200}&per_page=200")
    assert last_page.json()["items"] == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://0177.0.0.1/", "Invalid IPv4 address"),
        ("http://[::1", "Invalid port"),
        ("http://xn--/", "Malformed A-label"),
    ],
)
def test_unparsable_urls_are_400(sqlite_client: TestClient, url: str, reason: str) -> None:
    response = sqlite_client.post("/api/v1/analyze", json={"url": url})
    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"{url}: not a valid URL ({reason}")


def test_urls_not_starting_with_http_are_422(sqlite_client: TestClient) -> None:
    response = sqlite_client.post("/api/v1/analyze", json={"url": "\u0000http://example.com/"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "String should match pattern '^https?://'"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("deep.jsonl", b"[" * 100_000),
        ("nested.jsonl", b'{"text": ' * 50_000),
        ("warnings.jsonl", b'{"id": "w", "text": "Title\\n\\nBody.", "warnings": 5}\n'),
        ("svg.html", b"<svg><script>alert(1)</script></svg>" * 10),
        ("binary.txt", bytes(range(256)) * 40),
        ("nul.txt", b"Title\n\n" + b"\x00" * 5_000),
        ("utf32.txt", "\ufeffTitle\n\nBody text.".encode("utf-32")),
        ("empty.html", b""),
    ],
)
def test_hostile_uploads_never_500(sqlite_client: TestClient, name: str, data: bytes) -> None:
    response = sqlite_client.post("/api/v1/analyze", files=[("file", (name, data, "text/plain"))])
    assert response.status_code in (201, 400, 422), response.text
    if response.status_code != 201:
        assert response.json()["detail"].startswith(name)


def test_server_errors_carry_the_security_headers(
    tmp_path: Path, analyzer: AnalysisPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(repo, "stats", broken)
    monkeypatch.setattr(repo, "facets", broken)
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'e.db'}"), analyzer=analyzer)
    client = TestClient(app, raise_server_exceptions=False)
    api = client.get("/api/v1/stats")
    page = client.get("/library")
    assert api.json() == {"detail": "internal server error; the server log has the details"}
    assert "internal server error" in page.text
    for response in (api, page):
        assert response.status_code == 500
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["x-content-type-options"] == "nosniff"


def test_created_at_has_a_time_zone(sqlite_client: TestClient) -> None:
    sqlite_client.post("/api/v1/analyze", json={"text": ARTICLE})
    listed = sqlite_client.get("/api/v1/articles").json()["items"][0]["created_at"]
    one = sqlite_client.get(f"/api/v1/articles/{1}").json()["created_at"]
    for stamp in (listed, one):
        assert datetime.fromisoformat(stamp).utcoffset() is not None, stamp
        assert stamp.endswith("Z"), stamp


def test_openapi_documents_error_statuses(sqlite_client: TestClient) -> None:
    paths = sqlite_client.get("/api/v1/openapi.json").json()["paths"]
    one = paths["/api/v1/articles/{article_id}"]
    assert set(one["get"]["responses"]) == {"200", "404", "422"}
    assert set(one["delete"]["responses"]) == {"204", "401", "403", "404", "422"}
    analyze = paths["/api/v1/analyze"]["post"]["responses"]
    assert set(analyze) == {"201", "400", "401", "403", "413", "415", "422", "503"}
    assert "Retry-After" in analyze["503"]["headers"]


def test_options_and_405_list_every_allowed_method(sqlite_client: TestClient) -> None:
    options = sqlite_client.options("/api/v1/articles/1")
    assert (options.status_code, options.headers["allow"]) == (204, "DELETE, GET, OPTIONS")
    put = sqlite_client.put("/api/v1/articles/1")
    assert (put.status_code, put.headers["allow"]) == (405, "DELETE, GET, OPTIONS")
    assert sqlite_client.options("/api/v1/analyze").headers["allow"] == "OPTIONS, POST"


def test_page_form_takes_pasted_text_past_1_mb_and_413_past_the_limit(
    sqlite_client: TestClient,
) -> None:
    sqlite_client.get("/")
    token = sqlite_client.cookies[CSRF_COOKIE]
    long_text = ARTICLE + "\n\n" + "The council met again. " * 100_000  # 2.3 MB
    accepted = sqlite_client.post(
        "/analyze",
        data={"text": long_text, "csrf_token": token},
        files={"files": ("", b"", "application/octet-stream")},  # as browsers send the form
        follow_redirects=False,
    )
    assert accepted.status_code == 303, accepted.text[:300]
    too_long = sqlite_client.post(
        "/analyze",
        data={"text": "x" * 5_000_001, "csrf_token": token},
        files={"files": ("", b"", "application/octet-stream")},
    )
    assert too_long.status_code == 413
    assert too_long.text == "413: request body is larger than the 5 MB limit\n"


def test_cross_site_writes_are_refused(sqlite_client: TestClient) -> None:
    client = sqlite_client
    stored = client.post("/api/v1/analyze", json={"text": ARTICLE})
    article = f"/api/v1/articles/{stored.headers['X-Propwatch-Article-Ids']}"
    as_text = json.dumps({"text": ARTICLE})
    attempts = [
        client.post(
            "/api/v1/analyze",
            content=as_text,
            headers={"Content-Type": "text/plain", "Origin": OUTSIDE},
        ),
        client.post(
            "/api/v1/analyze",
            files=[("file", ("a.txt", ARTICLE.encode(), "text/plain"))],
            headers={"Origin": OUTSIDE},
        ),
        client.post(
            "/api/v1/analyze",
            files=[("file", ("a.txt", ARTICLE.encode(), "text/plain"))],
            headers={"Origin": "null"},
        ),
        client.post(
            "/api/v1/analyze", json={"text": ARTICLE}, headers={"Sec-Fetch-Site": "cross-site"}
        ),
        client.delete(article, headers={"Origin": OUTSIDE}),
    ]
    for response in attempts:
        assert response.status_code == 403
        assert response.json() == {
            "detail": "requests from other sites are refused; call the API directly"
        }
    assert client.get("/api/v1/stats").json()["articles"] == 1
    # The same site (a page of this server, e.g. the API explorer) and non-browsers may.
    same_site = client.post(
        "/api/v1/analyze",
        files=[("file", ("a.txt", ARTICLE.encode(), "text/plain"))],
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert same_site.status_code == 201
    assert client.delete(article).status_code == 204

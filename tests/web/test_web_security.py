"""Safe by default: escaping, CSP, 413, API keys, CSRF."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient
from web_helpers import ARTICLE, make_settings

from propwatch.web.app import create_app
from propwatch.web.security import CONTENT_SECURITY_POLICY, CSRF_COOKIE
from propwatch.web.workers import AnalysisPool

HOSTILE = (
    "Breaking <script>alert('title')</script>\n\n"
    'A corrupt <img src=x onerror=alert(1)> plan; see <a href="javascript:alert(2)">this</a>.'
    " Fish &amp; chips &lt;b&gt;bold&lt;/b&gt; &#x3C;i&#x3E;"
)


def client_for(tmp_path: Path, analyzer: AnalysisPool, **overrides: object) -> TestClient:
    settings = make_settings(f"sqlite:///{tmp_path / 'sec.db'}", **overrides)
    return TestClient(create_app(settings, analyzer=analyzer))


def csrf_token(client: TestClient) -> str:
    client.get("/")
    token = client.cookies.get(CSRF_COOKIE)
    assert token
    return token


def test_hostile_article_renders_as_plain_text(sqlite_client: TestClient) -> None:
    response = sqlite_client.post(
        "/api/v1/analyze",
        json={"text": HOSTILE, "outlet": "<b>Outlet</b>"},
    )
    article_id = response.headers["X-Propwatch-Article-Ids"]
    pages = [
        f"/articles/{article_id}",
        "/library",
        "/outlets",
        f"/compare?a={article_id}&b={article_id}",
    ]
    for path in pages:
        html = sqlite_client.get(path).text
        scripts = re.findall(r"<script[^>]*>", html)
        article_page = ["app.js", "filters.js", "review.js", "explain.js"]
        files = article_page if path.startswith("/articles/") else ["app.js"]
        assert scripts == [f'<script src="/static/{name}" defer>' for name in files], path
        assert "<img" not in html and "<b>" not in html, path
        assert "javascript:" not in html or path == f"/articles/{article_id}", path
    page = sqlite_client.get(f"/articles/{article_id}").text
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript' not in page
    assert (
        "Fish &amp;amp; chips &amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; &amp;#x3C;i&amp;#x3E;" in page
    )


def test_javascript_url_is_never_a_link(sqlite_client: TestClient) -> None:
    record = '{"id": "j", "text": "Title\\n\\nBody.", "url": "javascript:alert(1)"}\n'
    response = sqlite_client.post(
        "/api/v1/analyze", files=[("file", ("a.jsonl", record.encode(), "application/jsonl"))]
    )
    assert response.json()[0]["article"]["url"] == "javascript:alert(1)"
    page = sqlite_client.get(f"/articles/{response.headers['X-Propwatch-Article-Ids']}").text
    assert "<span>javascript:alert(1)</span>" in page
    assert 'href="javascript' not in page


def test_security_headers_on_pages_and_api(sqlite_client: TestClient) -> None:
    for path in ("/", "/api/v1/stats", "/static/app.css", "/no-such-page"):
        headers = sqlite_client.get(path).headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


def test_bodies_over_the_limit_get_413(tmp_path: Path, analyzer: AnalysisPool) -> None:
    client = client_for(tmp_path, analyzer, max_upload_bytes=2_000)
    big = "word " * 1_000
    declared = client.post("/api/v1/analyze", json={"text": big})
    assert declared.status_code == 413
    assert declared.json() == {"detail": "request body is larger than the 0.002 MB limit"}

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(10):
            yield b"x" * 500
        yield b'"}'

    streamed = client.post(
        "/api/v1/analyze", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    upload = client.post("/api/v1/analyze", files=[("file", ("a.txt", big.encode(), "text/plain"))])
    assert upload.status_code == 413
    form = client.post("/analyze", data={"text": big, "csrf_token": csrf_token(client)})
    assert (form.status_code, form.text) == (
        413,
        "413: request body is larger than the 0.002 MB limit\n",
    )
    assert client.post("/api/v1/analyze", json={"text": ARTICLE}).status_code == 201


def test_api_keys_guard_write_endpoints_only(tmp_path: Path, analyzer: AnalysisPool) -> None:
    client = client_for(tmp_path, analyzer, api_keys=["k-one", "k-two"])
    missing = client.post("/api/v1/analyze", json={"text": ARTICLE})
    assert (missing.status_code, missing.json()) == (
        401,
        {"detail": "this server needs an API key in the X-API-Key header"},
    )
    wrong = client.post("/api/v1/analyze", json={"text": ARTICLE}, headers={"X-API-Key": "k"})
    assert wrong.status_code == 401
    ok = client.post("/api/v1/analyze", json={"text": ARTICLE}, headers={"X-API-Key": "k-two"})
    assert ok.status_code == 201
    article_id = ok.headers["X-Propwatch-Article-Ids"]
    assert client.get(f"/api/v1/articles/{article_id}").status_code == 200
    assert client.delete(f"/api/v1/articles/{article_id}").status_code == 401
    deleted = client.delete(f"/api/v1/articles/{article_id}", headers={"X-API-Key": "k-one"})
    assert deleted.status_code == 204
    # The analyse form asks for the key too.
    token = csrf_token(client)
    form = {"csrf_token": token, "text": ARTICLE}
    assert client.post("/analyze", data=form, follow_redirects=False).status_code == 401
    keyed = client.post("/analyze", data=form | {"api_key": "k-one"}, follow_redirects=False)
    assert keyed.status_code == 303
    assert 'name="api_key"' in client.get("/").text


def test_forms_need_the_csrf_token(sqlite_client: TestClient) -> None:
    no_cookie = sqlite_client.post("/analyze", data={"text": ARTICLE}, follow_redirects=False)
    assert no_cookie.status_code == 403
    assert "the form expired or came from another site" in no_cookie.text
    token = csrf_token(sqlite_client)
    forged = sqlite_client.post(
        "/analyze", data={"text": ARTICLE, "csrf_token": token + "x"}, follow_redirects=False
    )
    assert forged.status_code == 403
    good = sqlite_client.post(
        "/analyze", data={"text": ARTICLE, "csrf_token": token}, follow_redirects=False
    )
    assert (good.status_code, good.headers["location"]) == (303, "/articles/1")
    delete = sqlite_client.post("/articles/1/delete", data={}, follow_redirects=False)
    assert delete.status_code == 403
    cookie = sqlite_client.get("/").headers.get("set-cookie")
    assert cookie is None  # the token is set once and reused

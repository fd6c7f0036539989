"""Server-rendered pages: highlights with overlaps, legend, filters, panels, library, compare,
outlets, API docs and error pages."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from web_helpers import ARTICLE

from propwatch.web.routers import pages

OTHER = "Harbour reopens\n\nThe harbour reopened on Monday; a disaster was avoided."


def store(client: TestClient, text: str, **fields: str) -> int:
    response = client.post("/api/v1/analyze", json={"text": text, **fields})
    return int(response.headers["X-Propwatch-Article-Ids"])


def marks(html: str) -> list[tuple[str, str]]:
    """(data-spans, visible text) of every highlight."""
    found = re.findall(
        r'<mark class="hl [^"]+" tabindex="0" data-spans="([^"]*)"[^>]*>(.*?)</mark>', html
    )
    return [(spans, re.sub(r"<[^>]+>", "", inner)) for spans, inner in found]


def test_article_page_highlights_overlapping_spans(client: TestClient) -> None:
    article_id = store(client, ARTICLE, outlet="Daily Example", published="2024-03-05")
    html = client.get(f"/articles/{article_id}").text
    assert marks(html) == [
        ("2 1", "corrupt"),
        ("2", " elites"),
        ("3", "everyone"),
        ("4", "disaster"),
    ]
    # The overlap draws two stripes at different heights, one per category.
    assert (
        '<span class="u s0 cat-attack-on-reputation"><span class="u s1 cat-manipulative-wording">'
        "corrupt</span></span>"
    ) in html
    # The text between highlights is kept exactly (escaped).
    assert "</mark> on the council ignored <mark" in html
    assert "again. &#34;This is a <mark" in html
    legend = re.findall(r'name="technique" value="([^"]+)">[^<]+<span class="count">(\d+)', html)
    assert legend == [
        ("Loaded_Language", "2"),
        ("Name_Calling-Labeling", "1"),
        ("Exaggeration-Minimisation", "1"),
    ]
    categories = re.findall(r'name="category" value="([^"]+)"', html)
    assert categories == ["attack on reputation", "manipulative wording"]
    assert re.findall(r'<li id="span-(\d+)" class="found-item"', html) == ["1", "2", "3", "4"]
    assert "Confidence 75%" in html and "Voice: author" in html


def test_article_filters_by_technique_category_and_confidence(client: TestClient) -> None:
    # Every span stays in the page (filters.js switches them in place); those filtered out
    # are drawn off: not focusable (marks() lists focusable marks only) and their card hidden.
    article_id = store(client, ARTICLE)
    only_loaded = client.get(f"/articles/{article_id}?technique=Loaded_Language").text
    assert marks(only_loaded) == [("2 1", "corrupt"), ("4", "disaster")]
    # The overlap of both: the name-calling stripe off, the mark coloured as loaded language.
    assert (
        '<mark class="hl cat-manipulative-wording" tabindex="0" data-spans="2 1" '
        'aria-label="corrupt (Name calling / labeling; Loaded language)">'
        '<span class="u s0 cat-attack-on-reputation off">'
    ) in only_loaded
    assert 'value="Loaded_Language" checked' in only_loaded
    assert re.findall(r'<li id="span-(\d)"[^>]*hidden>', only_loaded) == ["2", "3"]
    assert '<span id="shown-count" role="status">2 of 4 shown</span>' in only_loaded
    by_category = client.get(f"/articles/{article_id}?category=attack+on+reputation").text
    assert marks(by_category) == [("2 1", "corrupt"), ("2", " elites")]
    # The legend keeps the counts of the whole article.
    assert 'value="Loaded_Language">Loaded language <span class="count">2' in by_category
    # The keyword tagger scores every span 0.75.
    confident = client.get(f"/articles/{article_id}?min_confidence=0.8").text
    assert marks(confident) == []
    assert '<span id="shown-count" role="status">0 of 4 shown</span>' in confident
    assert 'name="min_confidence" min="0" max="1" step="0.05" value="0.8"' in confident
    assert client.get(f"/articles/{article_id}?min_confidence=1.5").status_code == 422


def test_article_panels_and_exports(client: TestClient) -> None:
    article_id = store(client, ARTICLE)
    html = client.get(f"/articles/{article_id}").text
    assert '<summary>Jane Park <span class="count">1</span></summary>' in html
    assert "<q>This is a disaster for our town,</q>" in html
    assert "Distrust of officials" in html and "<blockquote>corrupt</blockquote>" in html
    assert "<dt>Genre</dt><dd>opinion</dd>" in html
    exports = re.findall(rf'href="/api/v1/articles/{article_id}/export/([^"]+)"', html)
    assert {"json", "html", "semeval-flc", "semeval-si", "csv", "quotes-tsv"} <= set(exports)
    assert "semeval2023-st2" not in exports  # needs frames, which this analysis lacks
    assert "<dt>keywords</dt><dd>test-1</dd>" in html


def test_library_search_filters_and_pages(client: TestClient) -> None:
    first = store(client, ARTICLE, outlet="Daily Example", published="2024-03-05")
    second = store(client, OTHER, outlet="Port News", published="2024-04-20")
    html = client.get("/library").text
    assert re.findall(r'<td><a href="/articles/(\d+)">', html) == [str(second), str(first)]
    assert "2 articles, page 1 of 1" in html
    searched = client.get("/library?q=harbour&outlet=&technique=&narrative=&date_from=&date_to=")
    assert searched.status_code == 200
    assert re.findall(r'<td><a href="/articles/(\d+)">', searched.text) == [str(second)]
    filtered = client.get("/library?technique=Name_Calling-Labeling").text
    assert re.findall(r'<td><a href="/articles/(\d+)">', filtered) == [str(first)]
    # Readable labels where a person reads, the raw name in the query.
    option = '<option value="Name_Calling-Labeling" selected>Name calling / labeling</option>'
    assert option in filtered
    assert "<option>Port News</option>" in filtered


def test_compare_shows_two_profiles_on_one_scale(client: TestClient) -> None:
    first = store(client, ARTICLE)
    second = store(client, OTHER)
    html = client.get(f"/compare?a={first}&b={second}").text
    assert html.count('<section class="profile"') == 2
    assert "<strong>4</strong> technique spans" in html
    assert "<strong>1</strong> technique spans" in html
    # Loaded_Language: 2 in the first (full width 300), 1 in the second (half).
    assert re.findall(r'<rect x="230" y="\d+" width="([\d.]+)"', html) == [
        "300.0",
        "150.0",
        "150.0",
        "150.0",
    ]


def test_outlets_page_charts_each_outlet(client: TestClient) -> None:
    store(client, ARTICLE, outlet="Daily Example", published="2024-03-05")
    store(client, OTHER, outlet="Daily Example", published="2024-04-20")
    store(client, OTHER)
    html = client.get("/outlets").text
    assert re.findall(r'<h2 id="outlet-\d+">([^<]+)</h2>', html) == ["Daily Example", "(no outlet)"]
    assert "2 articles · 5 technique spans" in html
    assert 'aria-label="Technique spans per article by month in Daily Example"' in html
    assert "<title>2024-03: 4</title>" in html and "<title>2024-04: 1</title>" in html
    assert "<title>2024-03 · attack on reputation: 1 of 4</title>" in html
    assert "<title>2024-03 · manipulative wording: 3 of 4</title>" in html
    assert "<title>2024-03 · Distrust of officials: 1 of 1</title>" in html
    # Technique bars carry readable labels (3 of the outlet's 5 spans are loaded language).
    assert "<title>Loaded language: 60%</title>" in html and "Loaded_Language" not in html


def test_analyse_form_round_trip_and_errors(client: TestClient) -> None:
    page = client.get("/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    empty = client.post("/analyze", data={"csrf_token": token.group(1), "text": " "})
    assert empty.status_code == 400
    assert (
        '<p class="error" role="alert" id="form-error">text: empty text; paste an article</p>'
        in empty.text
    )
    files = [
        ("files", ("a.txt", ARTICLE.encode(), "text/plain")),
        ("files", ("b.txt", OTHER.encode(), "text/plain")),
    ]
    many = client.post(
        "/analyze",
        data={"csrf_token": token.group(1), "outlet": "Uploads"},
        files=files,
        follow_redirects=False,
    )
    assert (many.status_code, many.headers["location"]) == (303, "/library")
    assert client.get("/api/v1/stats").json()["outlets"] == {"Uploads": 2}


def test_api_docs_and_error_pages(client: TestClient) -> None:
    docs = client.get("/api").text
    assert "<code>POST /api/v1/analyze</code>" in docs
    assert "<code>DELETE /api/v1/articles/{article_id}</code>" in docs
    explorer = client.get("/api/docs").text
    assert '<script src="/static/vendor/swagger-ui-5.32.0/swagger-ui-bundle.js" defer>' in explorer
    assert '<div id="swagger-ui" data-url="/api/v1/openapi.json">' in explorer
    missing = client.get("/articles/42")
    assert missing.status_code == 404
    assert '<p class="error" role="alert">no article with id 42</p>' in missing.text
    assert client.get("/articles/abc").status_code == 422


def test_compare_keeps_older_chosen_articles_selectable(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "COMPARE_CHOICES", 1)
    first = store(client, ARTICLE)
    second = store(client, OTHER)
    html = client.get(f"/compare?a={first}").text
    assert re.findall(r'<option value="(\d+)"', html) == [str(second), str(first)] * 2
    assert f'<option value="{first}" selected>' in html

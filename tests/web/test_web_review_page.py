"""The article page's review parts as the server draws them (what a reader without JavaScript
sees): each predicted span with its latest correction, and every correction, escaped; on
SQLite and PostgreSQL."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient
from web_helpers import ARTICLE

QUOTED = ARTICLE.index('"This is a disaster')  # a fragment with a double quote in it
QUOTE = (QUOTED + 1, ARTICLE.index('" said'))  # the keyword tagger's quote, by Jane Park


def correct(client: TestClient, article_id: int, version: int, **annotation: object) -> None:
    url = f"/api/v1/articles/{article_id}/annotations?version={version}"
    response = client.post(url, json={"kind": "technique", **annotation})
    assert response.status_code == 201, response.text


def texts(pattern: str, html: str) -> list[str]:
    """The visible text of every match of ``pattern``'s group: tags removed, entities read,
    spaces joined."""
    found = re.findall(pattern, html, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", m)).split()) for m in found]


def test_the_page_shows_corrections_beside_the_predictions(client: TestClient) -> None:
    response = client.post("/api/v1/analyze", json={"text": ARTICLE})
    article_id = int(response.headers["X-Propwatch-Article-Ids"])
    correct(client, article_id, 0, action="reject", start=31, end=45, labels=[])
    correct(client, article_id, 1, action="accept", start=31, end=45, labels=[])
    correct(client, article_id, 2, action="resize", start=96, end=117, labels=["Loaded_Language"])
    correct(client, article_id, 3, action="add", start=QUOTED, end=QUOTED + 19, labels=["Doubt"])
    speaker = {"kind": "speaker", "start": QUOTE[0], "end": QUOTE[1]}
    correct(client, article_id, 4, **speaker, action="relabel", labels=["Mayor Jane Park"])
    html = client.get(f"/articles/{article_id}").text

    states = texts(r'<li id="span-\d+".*?<p class="review-state">(.*?)</p>', html)
    assert [s.split(" by ")[0] for s in states] == [
        "Not reviewed",
        "Accepted",  # the later of its two corrections
        "Not reviewed",
        "Resized (Loaded language) to disaster for our town",
    ]
    assert re.fullmatch(r"Accepted by local, \d{4}-\d\d-\d\d \d\d:\d\d UTC", states[1])
    corrections = texts(r'<li>\s*(<span class="reviewed.*?)<br>', html)
    assert corrections == [
        "Rejected corrupt elites (predicted span 2)",
        "Accepted corrupt elites (predicted span 2)",
        "Resized (Loaded language) disaster for our town (predicted span 4)",
        'Added as Doubt "This is a disaster',
        "Relabelled as Mayor Jane Park This is a disaster for our town, (quote 1)",
    ]
    # The quote with the model's speaker and its correction; what the model said, for the
    # script, as JSON in an attribute.
    (quote,) = texts(r'<li id="speaker-1"[^>]*>(.*?)<p class="review-actions"', html)
    assert quote.startswith(
        "This is a disaster for our town, · Speaker: Jane Park "
        "Relabelled as Mayor Jane Park by local, "
    )
    assert f'data-start="{QUOTE[0]}" data-end="{QUOTE[1]}" data-labels=\'["Jane Park"]\'' in html
    assert "<q>&#34;This is a disaster</q>" in html
    assert 'data-version="5"' in html
    # The controls need the script: drawn hidden, review.js shows them.
    assert html.count('<p class="review-actions" role="group"') == 5
    assert len(re.findall(r'<p class="review-actions"[^>]* hidden>', html)) == 5
    assert re.search(r'<div class="review-bar" id="review-bar" [^>]*hidden>', html)
    assert len(re.findall(r"<button [^>]*data-delete=\"\d+\"[^>]* hidden>", html)) == 5


def test_a_paragraph_is_relabelled_through_the_api_and_listed(client: TestClient) -> None:
    response = client.post("/api/v1/analyze", json={"text": ARTICLE})
    article_id = int(response.headers["X-Propwatch-Article-Ids"])
    body = ARTICLE.index("The corrupt")
    paragraph = {"kind": "paragraph", "start": body, "end": len(ARTICLE), "labels": ["Doubt"]}
    url = f"/api/v1/articles/{article_id}/annotations?version=0"
    half = client.post(url, json={**paragraph, "action": "relabel", "end": body + 11})
    assert (half.status_code, half.json()["detail"]) == (
        422,
        f"[{body}, {body + 11}) is not a paragraph (one whole non-blank line)",
    )
    added = client.post(url, json={**paragraph, "action": "add"})
    assert (added.status_code, added.json()["detail"]) == (
        422,
        "a paragraph annotation accepts or relabels the techniques of a paragraph "
        "(relabel with no technique: the paragraph has none)",
    )
    correct(client, article_id, 0, **paragraph, action="relabel")
    html = client.get(f"/articles/{article_id}").text
    assert texts(r'<li>\s*(<span class="reviewed.*?)<br>', html) == [
        "Relabelled as Doubt " + ARTICLE[body:]
    ]

"""``GET /api/v1/articles/{id}/techniques/{number}/words``: the words that weighed most for a
technique span, computed on request with the shipped technique model."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web_helpers import SLUR, slur_analysis

from propwatch.db import repo


def test_a_span_s_words_are_weighed_on_request(sqlite_client: TestClient) -> None:
    services = sqlite_client.app.state.services  # type: ignore[attr-defined]
    with services.sessions() as session:
        article_id = repo.add_analysis(session, slur_analysis()).id
    response = sqlite_client.get(f"/api/v1/articles/{article_id}/techniques/1/words")
    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["technique"]) == (1, "Name_Calling-Labeling")
    assert body["words"][0]["text"] in SLUR.split()
    text = slur_analysis().text
    assert all(text[w["start"] : w["end"]] == w["text"] for w in body["words"])
    weights = [w["weight"] for w in body["words"]]
    assert weights == sorted(weights, reverse=True) and weights[-1] > 0 and len(weights) <= 5


def test_a_span_that_is_not_there_is_a_404(sqlite_client: TestClient) -> None:
    services = sqlite_client.app.state.services  # type: ignore[attr-defined]
    with services.sessions() as session:
        article_id = repo.add_analysis(session, slur_analysis()).id
    missing = sqlite_client.get(f"/api/v1/articles/{article_id}/techniques/2/words")
    assert missing.status_code == 404
    assert missing.json()["detail"] == f"article {article_id} has no technique span 2"
    assert sqlite_client.get("/api/v1/articles/999/techniques/1/words").status_code == 404

"""REST API against SQLite and PostgreSQL: analyse, list, filter, read, export, delete, stats."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from web_helpers import ARTICLE

EXPECTED_TECHNIQUES = [
    (31, 38, "Loaded_Language"),
    (31, 45, "Name_Calling-Labeling"),
    (69, 77, "Exaggeration-Minimisation"),
    (96, 104, "Loaded_Language"),
]
OTHER = "Harbour reopens\n\nThe harbour reopened on Monday after repairs."


def post_text(client: TestClient, text: str, **fields: str) -> int:
    response = client.post("/api/v1/analyze", json={"text": text, **fields})
    assert response.status_code == 201, response.text
    return int(response.headers["X-Propwatch-Article-Ids"])


def test_analyze_text_returns_cli_json_and_stores_it(client: TestClient) -> None:
    response = client.post(
        "/api/v1/analyze",
        json={"text": ARTICLE, "outlet": "Daily Example", "published": "2024-03-05", "id": "a1"},
    )
    assert response.status_code == 201
    body = response.json()
    assert isinstance(body, list) and len(body) == 1
    analysis = body[0]
    assert analysis["schema_version"] == "1.0"
    assert analysis["article"]["id"] == "a1"
    assert analysis["article"]["title"] == "Council vote sparks anger"
    assert analysis["article"]["outlet"] == "Daily Example"
    spans = [(s["start"], s["end"], s["label"]) for s in analysis["spans"]["techniques"]]
    assert spans == EXPECTED_TECHNIQUES
    assert analysis["models"] == {"keywords": "test-1"}
    article_id = int(response.headers["X-Propwatch-Article-Ids"])
    assert response.headers["Location"] == f"/api/v1/articles/{article_id}"

    stored = client.get(f"/api/v1/articles/{article_id}").json()
    assert stored["id"] == article_id
    assert stored["models"] == {"keywords": "test-1"}
    assert stored["analysis"] == analysis


def test_analyze_uploaded_files(client: TestClient) -> None:
    records = [
        {"id": "j1", "text": OTHER, "outlet": "Port News"},
        {"id": "j2", "text": "Short note\n\nA disaster, say critics."},
    ]
    jsonl = "\n".join(json.dumps(r) for r in records) + "\n"
    response = client.post(
        "/api/v1/analyze",
        files=[
            ("file", ("article7.txt", ARTICLE.encode(), "text/plain")),
            ("file", ("batch.jsonl", jsonl.encode(), "application/jsonl")),
        ],
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert [a["article"]["id"] for a in body] == ["7", "j1", "j2"]
    assert [len(a["spans"]["techniques"]) for a in body] == [4, 0, 1]
    assert len(response.headers["X-Propwatch-Article-Ids"].split(",")) == 3


def test_store_false_analyses_without_saving(client: TestClient) -> None:
    response = client.post("/api/v1/analyze?store=false", json={"text": ARTICLE})
    assert response.status_code == 201
    assert "Location" not in response.headers
    assert client.get("/api/v1/articles").json()["total"] == 0


def test_list_filters_search_and_pagination(client: TestClient) -> None:
    first = post_text(client, ARTICLE, outlet="Daily Example", published="2024-03-05")
    second = post_text(client, OTHER, outlet="Port News", published="2024-04-20")

    def ids(**params: str | int) -> list[int]:
        response = client.get("/api/v1/articles", params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert ids() == [second, first]  # newest first
    assert ids(q="harbour") == [second]
    assert ids(q="council ignored") == [first]
    assert ids(q='corrupt* ("') == [first]  # FTS query syntax is not interpreted
    assert ids(q="nowhere") == []
    assert ids(outlet="Port News") == [second]
    assert ids(technique="Name_Calling-Labeling") == [first]
    assert ids(narrative="Distrust of officials") == [first]
    assert ids(date_from="2024-04-01") == [second]
    assert ids(date_to="2024-03-31") == [first]
    page = client.get("/api/v1/articles", params={"per_page": 1, "page": 2}).json()
    assert (page["total"], page["pages"], [i["id"] for i in page["items"]]) == (2, 2, [first])
    summary = client.get("/api/v1/articles", params={"q": "harbour"}).json()["items"][0]
    assert summary["title"] == "Harbour reopens"
    assert summary["technique_count"] == 0


def test_stats_counts_everything(client: TestClient) -> None:
    post_text(client, ARTICLE, outlet="Daily Example")
    post_text(client, OTHER)
    assert client.get("/api/v1/stats").json() == {
        "articles": 2,
        "technique_spans": 4,
        "techniques": {
            "Loaded_Language": 2,
            "Exaggeration-Minimisation": 1,
            "Name_Calling-Labeling": 1,
        },
        "categories": {"manipulative wording": 3, "attack on reputation": 1},
        "narratives": {"Distrust of officials": 1},
        "outlets": {"(no outlet)": 1, "Daily Example": 1},
    }


def test_delete_removes_article_and_its_rows(client: TestClient) -> None:
    article_id = post_text(client, ARTICLE)
    assert client.delete(f"/api/v1/articles/{article_id}").status_code == 204
    assert client.get(f"/api/v1/articles/{article_id}").json() == {
        "detail": f"no article with id {article_id}"
    }
    assert client.delete(f"/api/v1/articles/{article_id}").status_code == 404
    assert client.get("/api/v1/stats").json()["technique_spans"] == 0


def test_export_formats(client: TestClient) -> None:
    article_id = post_text(client, ARTICLE, id="a1")
    flc = client.get(f"/api/v1/articles/{article_id}/export/semeval-flc")
    assert flc.status_code == 200
    assert flc.text == (
        "a1\tLoaded_Language\t31\t38\n"
        "a1\tName_Calling-Labeling\t31\t45\n"
        "a1\tExaggeration-Minimisation\t69\t77\n"
        "a1\tLoaded_Language\t96\t104\n"
    )
    exported = client.get(f"/api/v1/articles/{article_id}/export/json")
    assert exported.headers["content-disposition"] == (
        f'attachment; filename="propwatch-article-{article_id}.json"'
    )
    assert json.loads(exported.text)[0]["article"]["id"] == "a1"
    html = client.get(f"/api/v1/articles/{article_id}/export/html")
    assert html.headers["content-type"].startswith("text/html")
    assert "Council vote sparks anger" in html.text
    missing = client.get(f"/api/v1/articles/{article_id}/export/semeval2023-st2")
    assert missing.status_code == 404
    assert missing.json()["detail"] == (
        "format 'semeval2023-st2' needs frames, which this analysis lacks"
    )


def test_bad_requests_name_the_problem(client: TestClient) -> None:
    both = client.post("/api/v1/analyze", json={"text": "x", "url": "https://example.org"})
    assert both.status_code == 422
    assert "give exactly one of 'text' and 'url'" in both.text
    empty = client.post("/api/v1/analyze", json={"text": " \u3000\n"})
    assert (empty.status_code, empty.json()["detail"][0]["msg"]) == (
        422,
        "Value error, empty text; paste an article",
    )
    pdf = client.post("/api/v1/analyze", files=[("file", ("paper.pdf", b"%PDF-1.4", "x/y"))])
    assert pdf.status_code == 400
    assert pdf.json()["detail"] == (
        "paper.pdf: unsupported file type; upload one of: .txt, .html, .htm, .jsonl, .jsonl.gz"
    )
    assert client.get("/api/v1/articles/999").status_code == 404


def test_openapi_lists_the_endpoints(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths) == {
        "/api/v1/analyze",
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/articles/{article_id}/export/{format_name}",
        "/api/v1/articles/{article_id}/techniques/{number}/words",
        "/api/v1/articles/{article_id}/annotations",
        "/api/v1/articles/{article_id}/annotations/{annotation_id}",
        "/api/v1/stats",
    }
    body = paths["/api/v1/analyze"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}

"""Annotations over the REST API, on SQLite and PostgreSQL: a reviewer corrects an article."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from web_helpers import ARTICLE, make_settings

from propwatch.web.app import create_app
from propwatch.web.workers import AnalysisPool

RELABEL = {
    "kind": "technique",
    "action": "relabel",
    "start": 31,
    "end": 45,
    "labels": ["Name_Calling-Labeling", "Loaded_Language"],
}
ADD = {"kind": "technique", "action": "add", "start": 96, "end": 104, "labels": ["Doubt"]}


def stored_article(client: TestClient) -> int:
    response = client.post("/api/v1/analyze", json={"text": ARTICLE})
    assert response.status_code == 201, response.text
    return int(response.headers["X-Propwatch-Article-Ids"])


def without_time(body: dict[str, object]) -> dict[str, object]:
    annotation = body["annotation"]
    assert isinstance(annotation, dict)
    assert annotation.pop("created_at").endswith("Z")
    return body


def test_a_reviewer_adds_changes_and_deletes_annotations(client: TestClient) -> None:
    article = stored_article(client)
    url = f"/api/v1/articles/{article}/annotations"
    assert client.get(url).json() == {"article_id": article, "version": 0, "annotations": []}

    added = client.post(f"{url}?version=0", json=RELABEL)
    assert added.status_code == 201
    first = added.json()["annotation"]["id"]
    assert without_time(added.json()) == {
        "version": 1,
        "annotation": {"id": first, **RELABEL, "who": "local"},
    }
    changed = client.put(f"{url}/{first}?version=1", json={**RELABEL, "action": "accept"})
    assert changed.status_code == 200
    assert without_time(changed.json()) == {
        "version": 2,
        "annotation": {"id": first, **RELABEL, "action": "accept", "who": "local"},
    }
    second = client.post(f"{url}?version=2", json=ADD).json()["annotation"]["id"]
    listed = client.get(url).json()
    assert (listed["version"], [a["action"] for a in listed["annotations"]]) == (
        3,
        ["accept", "add"],
    )
    assert client.delete(f"{url}/{first}?version=3").json() == {"version": 4, "annotation": None}
    assert [a["id"] for a in client.get(url).json()["annotations"]] == [second]
    # The model's own spans are unchanged.
    spans = client.get(f"/api/v1/articles/{article}").json()["analysis"]["spans"]["techniques"]
    assert [(s["start"], s["end"], s["label"]) for s in spans][:2] == [
        (31, 38, "Loaded_Language"),
        (31, 45, "Name_Calling-Labeling"),
    ]


def test_two_reviewers_of_one_version_never_lose_an_edit(client: TestClient) -> None:
    article = stored_article(client)
    url = f"/api/v1/articles/{article}/annotations"
    assert client.post(f"{url}?version=0", json=RELABEL).status_code == 201
    late = client.post(f"{url}?version=0", json=ADD)
    assert (late.status_code, late.json()) == (
        409,
        {
            "detail": f"the annotations of article {article} changed since version 0 "
            "(now version 1); read them again and redo your change"
        },
    )
    assert client.post(f"{url}?version=1", json=ADD).status_code == 201
    assert len(client.get(url).json()["annotations"]) == 2


def test_bad_annotations_name_the_problem(client: TestClient) -> None:
    article = stored_article(client)
    url = f"/api/v1/articles/{article}/annotations?version=0"

    def detail(body: dict[str, object], status: int = 422) -> object:
        response = client.post(url, json=body)
        assert response.status_code == status, response.text
        return response.json()["detail"]

    assert detail({**ADD, "end": 500}) == (
        f"offsets [96, 500) are not inside the text (0 <= start < end <= {len(ARTICLE)})"
    )
    assert str(detail({**ADD, "labels": ["Sarcasm"]})).startswith(
        "unknown technique 'Sarcasm' for scheme 'semeval2023'; it has: Name_Calling-Labeling, "
    )
    assert detail({**ADD, "action": "approve"}) == (
        "unknown action 'approve'; choose one of: accept, reject, relabel, resize, add"
    )
    assert detail({**ADD, "kind": "role", "labels": ["Villain"]}) == (
        "a role annotation's first label is a main role: Protagonist, Antagonist, Innocent"
    )
    assert detail({**ADD, "action": "accept", "start": 97}) == (
        "no predicted technique span at [97, 104) to accept; a span the model missed is an 'add'"
    )
    assert detail({**ADD, "action": "resize", "start": 0, "end": 7}) == (
        "no predicted technique span overlaps [0, 7) to resize"
    )
    assert [e["loc"] for e in detail({"kind": "technique"})] == [  # type: ignore[union-attr]
        ["body", "action"],
        ["body", "start"],
        ["body", "end"],
        ["body", "labels"],
    ]
    missing = client.post(f"/api/v1/articles/{article + 1}/annotations?version=0", json=ADD)
    assert (missing.status_code, missing.json()) == (
        404,
        {"detail": f"no article with id {article + 1}"},
    )
    gone = client.delete(f"/api/v1/articles/{article}/annotations/7?version=0")
    assert (gone.status_code, gone.json()) == (
        404,
        {"detail": f"article {article} has no annotation with id 7"},
    )
    assert client.get(f"/api/v1/articles/{article}/annotations").json()["version"] == 0


def test_annotations_are_by_the_api_keys_name(tmp_path: Path, analyzer: AnalysisPool) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'keys.db'}", api_keys=["alice:s3cret", "k2"])
    with TestClient(create_app(settings, analyzer=analyzer)) as client:
        response = client.post(
            "/api/v1/analyze", json={"text": ARTICLE}, headers={"X-API-Key": "s3cret"}
        )
        url = f"/api/v1/articles/{response.headers['X-Propwatch-Article-Ids']}/annotations"
        by_alice = client.post(f"{url}?version=0", json=ADD, headers={"X-API-Key": "s3cret"})
        assert by_alice.json()["annotation"]["who"] == "alice"
        unnamed = client.post(f"{url}?version=1", json=RELABEL, headers={"X-API-Key": "k2"})
        # An unnamed key is named by the start of its SHA-256, which does not reveal it.
        assert unnamed.json()["annotation"]["who"] == "key-015f7e6b"
        assert client.post(f"{url}?version=2", json=ADD).status_code == 401
        cross_site = client.post(
            f"{url}?version=2",
            json=ADD,
            headers={"X-API-Key": "s3cret", "Origin": "https://elsewhere.example"},
        )
        assert cross_site.status_code == 403
        assert client.get(url).json()["version"] == 2

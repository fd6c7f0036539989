"""The app with its real default pipeline (propwatch.config.DEFAULT_PIPELINE), run once."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import ARTICLE, make_settings

from propwatch import config
from propwatch.web.app import create_app


@pytest.mark.slow
def test_default_pipeline_analyses_and_stores(tmp_path: Path) -> None:
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'default.db'}"))
    with TestClient(app) as client:
        response = client.post("/api/v1/analyze", json={"text": ARTICLE, "id": "d1"})
        assert response.status_code == 201, response.text
        analysis = response.json()[0]
        assert list(analysis["models"]) == config.DEFAULT_PIPELINE
        assert analysis["article"]["text"] == ARTICLE
        stored = client.get(response.headers["Location"]).json()
        assert stored["analysis"] == analysis
        page = client.get(f"/articles/{stored['id']}")
        assert page.status_code == 200
        entities = analysis["spans"]["entities"]
        assert entities, "the fixture article names people, organisations or places"
        for entity in entities:  # cast ones in the roles table, the others listed after it
            cell = f'<td>{html.escape(entity["attrs"]["entity"])} <span class="muted">('
            assert (cell in page.text) == entity["attrs"]["cast"]
        named = not all(e["attrs"]["cast"] for e in entities)
        assert ("Also named, not clearly cast in a role" in page.text) == named

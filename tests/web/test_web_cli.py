"""``propwatch serve`` and ``propwatch db`` run in-process with CliRunner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from propwatch.cli.main import app

runner = CliRunner()


def test_db_upgrade_then_current(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert runner.invoke(app, ["db", "current", "--db", url]).output == "none\n"
    upgraded = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert (upgraded.exit_code, upgraded.output) == (0, "database schema at revision 0002\n")
    assert runner.invoke(app, ["db", "current", "--db", url]).output == "0002\n"


def test_serve_builds_the_app_from_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    result = runner.invoke(app, ["serve", "--port", "8123", "--db", url, "--allow-private-urls"])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    settings = calls[0]["app"].state.services.settings
    assert (calls[0]["host"], calls[0]["port"]) == ("127.0.0.1", 8123)
    assert (settings.database_url, settings.allow_private_urls) == (url, True)
    assert "serving on http://127.0.0.1:8123" in result.output


def test_serve_help_teaches_the_options() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    for option in ("--host", "--port", "--db", "--allow-private-urls", "PROPWATCH_API_KEYS"):
        assert option in result.output

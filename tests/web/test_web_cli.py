"""``propwatch serve`` and ``propwatch db`` run in-process with CliRunner."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner
from web_helpers import free_port

from propwatch.cli.main import app

runner = CliRunner()


def test_db_upgrade_then_current(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert runner.invoke(app, ["db", "current", "--db", url]).output == "none\n"
    upgraded = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert (upgraded.exit_code, upgraded.output) == (0, "database schema at revision 0003\n")
    assert runner.invoke(app, ["db", "current", "--db", url]).output == "0003\n"


def test_serve_builds_the_app_from_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []

    def run(server: uvicorn.Server, sockets: list[socket.socket]) -> None:
        calls.append({"config": server.config, "address": sockets[0].getsockname()})
        sockets[0].close()

    monkeypatch.setattr(uvicorn.Server, "run", run)
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    port = free_port()
    result = runner.invoke(app, ["serve", "--port", str(port), "--db", url, "--allow-private-urls"])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    config = calls[0]["config"]
    settings = config.app.state.services.settings
    assert calls[0]["address"] == ("127.0.0.1", port)
    assert (settings.database_url, settings.allow_private_urls) == (url, True)
    assert result.output == f"propwatch: serving on http://127.0.0.1:{port}\n"


def test_serve_on_a_busy_port_says_so_first(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        url = f"sqlite:///{tmp_path / 'serve.db'}"
        result = runner.invoke(app, ["serve", "--port", str(port), "--db", url])
    assert result.exit_code == 1
    assert result.output == (
        f"propwatch: error: port {port} on 127.0.0.1 is already in use (another propwatch "
        f"serve?); stop that program or choose another port: propwatch serve --port {port + 1} "
        f"(make run PORT={port + 1})\n"
    )
    assert not (tmp_path / "serve.db").exists()  # checked before the database is opened


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_takes_the_port_and_host() -> None:
    root = Path(__file__).resolve().parents[2]
    dry = ["make", "--dry-run", "--always-make", "--no-print-directory", "run", "PORT=8080"]
    # Under ``make test`` MAKEFLAGS and MAKELEVEL come from the outer make; the plan of a
    # top-level ``make run`` is what a user sees.
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    planned = subprocess.run(
        [*dry, "HOST=0.0.0.0"], cwd=root, capture_output=True, text=True, check=True, env=env
    )
    assert planned.stdout.splitlines()[-1] == ".venv/bin/propwatch serve --host 0.0.0.0 --port 8080"


def test_serve_help_teaches_the_options() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    for option in ("--host", "--port", "--db", "--allow-private-urls", "PROPWATCH_API_KEYS"):
        assert option in result.output

"""schemathesis against the running app: every check, a bounded number of cases, no failure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from web_helpers import LiveServer

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
# A well-formed request may still name a page the server cannot fetch (the test server
# reaches no network) or a file type no reader takes; the 400 then names the problem.
# An annotation may be well-formed and still not fit the article (offsets past its text, a
# technique of another scheme: 422), name no stored article or annotation (404), or state
# an old version (409); each answer names the problem.
CONFIG = """
[[operations]]
include-path-regex = "/annotations"
checks.positive_data_acceptance.expected-statuses = ["2xx", "404", "409", "422"]

[[operations]]
include-path = "/api/v1/analyze"
include-method = "POST"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400"]
"""


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_or_schema_violation(
    live_server: LiveServer, tmp_path: Path
) -> None:
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG)
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(config),
        "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        "30",
        "--generation-deterministic",
        "--workers",
        "1",
        "--request-timeout",
        "30",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "Selected: 11/11" in run.stdout

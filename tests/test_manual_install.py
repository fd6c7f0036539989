"""The README's install by hand (``python3 -m venv .venv; .venv/bin/pip install -e .``) with the
pip that Python ships, not upgraded: it must bring everything HTML input needs.

pip 23.2 (Python 3.11's) skips an extra that a package no longer declares: justext asks for
``lxml[html_clean]``, lxml 6 dropped that extra, and every .html, WARC and URL input then failed
with ``ImportError: lxml.html.clean module is now a separate project``. The check resolves the
install (``--dry-run``, nothing installed) in a fresh virtual environment.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_manual_install_with_the_bundled_pip_brings_lxml_html_clean(tmp_path: Path) -> None:
    venv, report = tmp_path / "venv", tmp_path / "report.json"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    command = [str(venv / "bin" / "pip"), "install", "--dry-run", "--quiet"]
    command += ["--report", str(report), "-e", str(ROOT)]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    installed = {
        item["metadata"]["name"].lower() for item in json.loads(report.read_text())["install"]
    }
    assert {"lxml", "lxml-html-clean", "trafilatura"} <= {n.replace("_", "-") for n in installed}

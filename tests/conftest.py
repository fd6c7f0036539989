"""Shared fixtures. Tests that need the research corpora use ``shared_data`` and skip without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# CI clones the repo next to shared/, so ../shared/data is found from the repo root.
_DEFAULT_SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SHARED_DATA = Path(os.environ.get("PROPWATCH_SHARED_DATA", _DEFAULT_SHARED_DATA)).resolve()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path of ``../shared/data``; skips the test when the corpora are not on this machine."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"research corpora not found at {SHARED_DATA}")
    return SHARED_DATA

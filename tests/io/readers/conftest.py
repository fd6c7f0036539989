"""Fixtures for reader tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from reader_helpers import Writer


@pytest.fixture()
def write(tmp_path: Path) -> Writer:
    """``write("a/b.txt", b"...")`` creates the file under ``tmp_path`` and returns its path."""

    def _write(relative: str, data: bytes | str) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    return _write

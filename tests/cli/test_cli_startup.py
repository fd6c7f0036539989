"""``propwatch --help`` builds every command without loading the heavy libraries."""

from __future__ import annotations

import subprocess
import sys

HEAVY = {"spacy", "torch", "sklearn", "scipy.optimize", "onnxruntime", "thinc"}


def test_building_every_command_loads_no_model_library() -> None:
    code = (
        "import sys; from propwatch.cli.main import build_app; build_app(); "
        f"print(sorted(set({sorted(HEAVY)!r}) & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr

"""``propwatch --help`` is fast: it lists the commands without importing them, building any
command loads no model library, and ``propwatch serve`` builds its app without them (the
analysis workers load them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup

from propwatch.cli.main import COMMANDS, SUMMARIES, build_app

HEAVY = {"spacy", "torch", "sklearn", "scipy.optimize", "onnxruntime", "thinc"}


def test_building_every_command_loads_no_model_library() -> None:
    code = (
        "import sys; from propwatch.cli.main import build_app; build_app(); "
        f"print(sorted(set({sorted(HEAVY)!r}) & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_the_served_app_is_built_without_any_model_library(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'serve.db'}"
    code = (
        "import sys\n"
        "from propwatch.settings import load_settings\n"
        "from propwatch.web.app import create_app\n"
        f"create_app(load_settings(database_url={database!r}))\n"
        f"print(sorted(set({sorted(HEAVY | {'scipy', 'tokenizers'})!r}) & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_help_lists_every_command_without_importing_any() -> None:
    code = (
        "import sys; from propwatch.cli.main import main; sys.argv = ['propwatch', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('propwatch.cli.') and "
        "m != 'propwatch.cli.main'), sorted({'sqlalchemy', 'dask', 'pyarrow'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "[] []", result.stdout + result.stderr
    for name in COMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_listed_summary_is_the_first_paragraph_of_the_command_help(name: str) -> None:
    group = typer.main.get_command(build_app(COMMANDS[name]))
    assert isinstance(group, TyperGroup)
    command = group.get_command(typer.Context(group), name)
    assert command is not None and command.help is not None
    first_paragraph = " ".join(command.help.split("\n\n")[0].split())
    assert SUMMARIES[name] == first_paragraph

"""The import rule of docs/architecture.md: no package imports one above it.

Every ``import``/``from ... import`` of a propwatch module in ``src/propwatch`` counts, also
inside functions and ``if TYPE_CHECKING:`` blocks, since a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

import propwatch

PACKAGE = Path(propwatch.__file__).parent
ROOT = "propwatch"  # the package's __init__ (``__version__``, the lazy public API)

# What each part of propwatch may import, lowest layers first (see docs/architecture.md).
CORE = {"errors", "registry", "config", "settings", ROOT}
MAY_IMPORT: dict[str, set[str]] = {
    "errors": set(),
    "settings": set(),
    "config": set(),
    "eval.measures": set(),
    "registry": {"errors"},
    "text": {"errors"},
    "schemes": {"errors", "registry"},
    "io.readers": {"errors", "registry", "text"},
    "io.labels": {"errors", "text"},
    "models": {"errors", "text", "eval.measures"},
    "pipeline": {"errors", "registry", "text"},
    "components": CORE | {"text", "schemes", "io.labels", "models", "pipeline"},
    "eval": CORE | {"text", "io.labels", "eval.measures"},
    "render": CORE | {"text", "schemes"},
    "io.writers": CORE | {"text", "schemes", "render"},
    "db": CORE | {"text"},
    "annotations": CORE | {"text", "schemes", "io.labels", "io.writers", "eval", "db"},
}
LIBRARY = set(MAY_IMPORT)
MAY_IMPORT["api"] = LIBRARY - {"db", "annotations"}
MAY_IMPORT["batch"] = LIBRARY | {"api"}
MAY_IMPORT["training"] = LIBRARY | {"api"}
MAY_IMPORT["web"] = LIBRARY | {"api"}
MAY_IMPORT["spacy_factory"] = LIBRARY | {"api"}
MAY_IMPORT[ROOT] = {"text", "api"}
MAY_IMPORT["cli"] = LIBRARY | {"api", "batch", "training", "web"}


def part_of(parts: tuple[str, ...]) -> str:
    """The part a module belongs to, from its path inside the package (``("models", "x")``).

    ``io`` is three parts (readers, labels, writers) and ``eval.measures`` sits below the rest
    of ``eval``: they belong to different layers.
    """
    if not parts or parts == ("__init__",):
        return ROOT
    split = parts[0] == "io" or parts[:2] == ("eval", "measures")
    if split and len(parts) > 1 and parts[1] != "__init__":
        return f"{parts[0]}.{parts[1]}"
    return parts[0]


def is_module(package: Path, parts: tuple[str, ...]) -> bool:
    target = package.joinpath(*parts)
    return target.is_dir() or target.with_suffix(".py").is_file()


def imported(tree: ast.AST, package: Path) -> set[tuple[str, ...]]:
    """Paths (inside ``package``) of the propwatch modules a module's code imports."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name.split(".") for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            module = node.module.split(".")
            # ``from propwatch.eval import measures`` imports the module measures, and
            # ``from propwatch.eval.measures import f1`` a name of it.
            names = [[*module, alias.name] for alias in node.names]
            names = [name for name in names if is_module(package, tuple(name[1:]))] or [module]
        else:
            continue
        found.update(tuple(name[1:]) for name in names if name[0] == ROOT)
    return found


def violations(package: Path, rules: Mapping[str, set[str]]) -> list[str]:
    """``"<file>: <part> may not import <module>"`` for every import the rules forbid."""
    found = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        source = part_of(parts)
        for target in sorted(imported(ast.parse(path.read_text(encoding="utf-8")), package)):
            part = part_of(target)
            if part != source and part not in rules[source]:
                module = ".".join((ROOT, *target))
                found.append(f"{path.relative_to(package)}: {source} may not import {module}")
    return found


def test_no_package_imports_a_layer_above_it() -> None:
    assert violations(PACKAGE, MAY_IMPORT) == []


def test_every_part_of_the_package_has_a_rule() -> None:
    parts = {part_of(p.relative_to(PACKAGE).with_suffix("").parts) for p in PACKAGE.rglob("*.py")}
    assert parts - set(MAY_IMPORT) == set()


def test_an_upward_import_is_reported(tmp_path: Path) -> None:
    for folder in ("models", "components", "text", "eval", "io/labels"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "__init__.py").write_text("")
    (tmp_path / "eval" / "measures.py").write_text("")
    (tmp_path / "io" / "labels" / "ptc.py").write_text("")
    (tmp_path / "components" / "genre.py").write_text("GENRE = 'genre'\n")
    (tmp_path / "text" / "analysis.py").write_text("")
    (tmp_path / "models" / "tagger.py").write_text(
        "from propwatch.text.analysis import Analysis\n"
        "from propwatch.eval import measures\n"
        "def lazy():\n"
        "    from propwatch.components.genre import GENRE\n"
        "    import propwatch.io.labels.ptc\n"
    )
    assert violations(tmp_path, MAY_IMPORT) == [
        "models/tagger.py: models may not import propwatch.components.genre",
        "models/tagger.py: models may not import propwatch.io.labels.ptc",
    ]

"""Where the article-level models live on disk, and how they are saved and loaded.

Each model is one ``<kind>.npz`` file (see :mod:`propwatch.models.article.store`) in
``propwatch/data/models/article/`` unless another folder is given. The table :data:`KINDS` maps
a kind to its estimator class; every class has ``to_arrays()``, ``meta()`` and
``from_arrays(meta, arrays)``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from propwatch.errors import InputError
from propwatch.models.article.cast import CastClassifier
from propwatch.models.article.genre import GenreClassifier
from propwatch.models.article.multilabel import MultiLabelTextClassifier
from propwatch.models.article.narratives import NarrativeClassifier
from propwatch.models.article.roles import EntityRoleClassifier
from propwatch.models.article.store import load_arrays, save_arrays

KINDS: dict[str, Any] = {
    "genre": GenreClassifier,
    "frames": MultiLabelTextClassifier,
    "narratives": NarrativeClassifier,
    "roles": EntityRoleClassifier,
    "cast": CastClassifier,
}


def default_dir() -> Path:
    """The folder of the models shipped inside the package."""
    return Path(str(files("propwatch") / "data" / "models" / "article"))


def model_path(kind: str, directory: Path | None = None) -> Path:
    """``<directory>/<kind>.npz`` (default: the shipped folder)."""
    return (directory or default_dir()) / f"{kind}.npz"


def save_model(kind: str, model: Any, directory: Path, info: dict[str, Any]) -> Path:
    """Write ``model`` as ``<directory>/<kind>.npz``; ``info`` (data, seed…) joins its header."""
    path = model_path(kind, directory)
    save_arrays(path, model.to_arrays(), {"kind": kind, "model": model.meta(), "info": info})
    return path


def load_model(kind: str, directory: Path | None = None) -> Any:
    """Load the ``kind`` model from ``directory`` (default: shipped).

    Raises
    ------
    InputError
        If the file is missing, unreadable or holds another kind of model.
    """
    path = model_path(kind, directory)
    arrays, meta = load_arrays(path)
    if meta.get("kind") != kind:
        raise InputError(str(path), f"holds a {meta.get('kind')!r} model, not {kind!r}")
    try:
        return KINDS[kind].from_arrays(meta["model"], arrays)
    except KeyError as missing:
        # A model saved by an older propwatch lacks the arrays of parts added since.
        raise InputError(
            str(path),
            f"has no {missing}: made by another propwatch version; retrain it with "
            f"`propwatch train article {kind}`",
        ) from None

"""Save and load models as one compressed ``.npz`` of named arrays plus a JSON header.

No pickle: loading runs ``numpy.load(..., allow_pickle=False)``, so a model file cannot run code.
Weights are stored as float16 to keep the shipped models small (the rounding changes decision
values by less than 1e-3).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from propwatch.errors import InputError

META_KEY = "__meta__"


def save_arrays(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Write ``arrays`` and the JSON-serializable ``meta`` to ``path`` (an ``.npz`` file)."""
    packed: dict[str, Any] = {
        name: array.astype(np.float16) if array.dtype == np.float32 else array
        for name, array in arrays.items()
    }
    packed[META_KEY] = np.array(json.dumps(meta, sort_keys=True))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as stream:
        np.savez_compressed(stream, **packed)


def load_arrays(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Read what :func:`save_arrays` wrote; float16 arrays come back as float32.

    Raises
    ------
    InputError
        If ``path`` is missing or is not a propwatch model file.
    """
    if not path.is_file():
        raise InputError(str(path), "model file not found")
    with np.load(path, allow_pickle=False) as data:
        if META_KEY not in data:
            raise InputError(str(path), "not a propwatch model file (no header)")
        meta = json.loads(str(data[META_KEY]))
        arrays = {
            name: data[name].astype(np.float32) if data[name].dtype == np.float16 else data[name]
            for name in data.files
            if name != META_KEY
        }
    return arrays, meta


def split_prefix(arrays: dict[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    """The arrays whose name starts with ``prefix + "."``, with the prefix removed."""
    head = prefix + "."
    return {name[len(head) :]: value for name, value in arrays.items() if name.startswith(head)}


def with_prefix(arrays: dict[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    """``arrays`` with every name written ``prefix.name``."""
    return {f"{prefix}.{name}": value for name, value in arrays.items()}

"""Distillation: a teacher model's token probabilities on unlabelled news, as soft targets.

The MPNet teacher beats the MiniLM student on the dev set by 5-8 points (SI, FLC) but costs
about five times as much at run time. Its knowledge reaches the fast student as soft targets:
the teacher reads a few thousand news articles nobody labelled and its token probabilities
become the student's targets on them, beside the gold of the training articles.

Two steps, each resumable:

1. :func:`label_news` runs the teacher over :func:`unlabelled_news` and writes one ``.npz``
   per article (text, the teacher's token offsets and probabilities as float16, and with
   ``states`` its encoder states too) plus ``meta.json`` (teacher, layout, whether states are
   kept). Articles already labelled are skipped, so a stopped run continues where it was.
2. :func:`soft_examples` turns that folder into training :class:`Example` objects in the
   *student's* tokenization: each student token gets the mean probability (and state) of the
   teacher tokens it overlaps (the tokenizers differ, the characters do not).

Token probabilities alone taught the student where spans are but little of which technique
they carry (model card, 6 Dec); the teacher's states carry everything its heads read, so a
student may also learn to map its own states onto them (``--state-weight``).

The blind articles are kept out by title: no text whose first line is the title of a PTC
article (train, dev or test) is labelled.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from tokenizers import Tokenizer

from propwatch.errors import PropwatchError
from propwatch.models.techniques.features import token_features
from propwatch.models.techniques.layout import Layout
from propwatch.models.techniques.tagger import TechniqueTagger
from propwatch.models.techniques.windows import tokenize
from propwatch.training.article import datasets
from propwatch.training.techniques.data import Example

log = logging.getLogger(__name__)

META_FILE = "meta.json"
SOFT_PREFIX = "teacher:"  # keys of soft examples; the ":" keeps them out of held-out splits


def _folder_texts(folder: Path, pattern: str = "*.txt") -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(folder.glob(pattern))}


def _hyperpartisan(root: Path) -> dict[str, str]:
    return {str(i): text for i, text in enumerate(datasets.hyperpartisan_texts(root))}


# Unlabelled news per source: none of it carries technique labels, none is a blind set's.
SOURCES: dict[str, Callable[[Path], dict[str, str]]] = {
    "semeval2023-test": lambda root: _folder_texts(
        root / "semeval2023-en" / "test-articles-subtask-3"
    ),
    "semeval2025-train": lambda root: _folder_texts(
        root / "semeval2025-en" / "train" / "raw-documents"
    ),
    "semeval2025-test1": lambda root: _folder_texts(
        root / "semeval2025-en" / "test-unlabelled" / "subtask-1-documents"
    ),
    "semeval2025-test2": lambda root: _folder_texts(
        root / "semeval2025-en" / "test-unlabelled" / "subtask-2-documents"
    ),
    "polnear-train": lambda root: _folder_texts(root / "polnear" / "train" / "text"),
    "polnear-dev": lambda root: _folder_texts(root / "polnear" / "dev" / "text"),
    "hyperpartisan": _hyperpartisan,
}


def _title(text: str) -> str:
    return " ".join(text.strip().split("\n", 1)[0].lower().split())


def ptc_titles(data_root: Path) -> set[str]:
    """Titles of every PTC article: training, the official dev set and the blind test set."""
    folder = data_root / "ptc2020"
    return {_title(p.read_text(encoding="utf-8")) for p in folder.glob("*-articles/*.txt")}


def unlabelled_news(data_root: Path, sources: list[str] | None = None) -> dict[str, str]:
    """Texts of the unlabelled news sources, keyed ``source:id``; each text once, PTC titles out.

    Sources whose folder is missing are skipped with a log line.
    """
    blocked = ptc_titles(data_root)
    seen: set[str] = set()
    texts: dict[str, str] = {}
    for name in sources or list(SOURCES):
        try:
            found = SOURCES[name](data_root)
        except (FileNotFoundError, PropwatchError) as error:
            log.warning("unlabelled source %s skipped: %s", name, error)
            continue
        for key, text in found.items():
            digest = hashlib.sha1(" ".join(text.split()).encode()).hexdigest()
            if not text.strip() or digest in seen or _title(text) in blocked:
                continue
            seen.add(digest)
            texts[f"{name}:{key}"] = text
    return texts


def label_file_name(key: str) -> str:
    """Name of the file holding the teacher's labels of the article ``key``."""
    return hashlib.sha1(key.encode()).hexdigest()[:20] + ".npz"


def label_files(folder: Path) -> Iterator[Path]:
    """The finished label files of ``folder`` (not those a stopped run left half-written)."""
    return (p for p in sorted(folder.glob("*.npz")) if not p.name.endswith(".partial.npz"))


def write_meta(teacher: TechniqueTagger, out: Path, states: bool = False) -> None:
    """Create ``out`` and record which teacher labels it and whether its states are kept; a
    folder labelled by a teacher of other techniques, or with states kept or not kept where
    this run does the opposite, is refused, so one folder never mixes two kinds of labels."""
    out.mkdir(parents=True, exist_ok=True)
    meta = {
        "teacher": str(teacher.model_dir),
        "teacher_version": teacher.config_.get("version"),
        "encoder": teacher.config_.get("encoder"),
        "techniques": teacher.layout_.to_dict(),
        "states": states,
    }
    meta_path = out / META_FILE
    if meta_path.is_file():
        saved = json.loads(meta_path.read_text(encoding="utf-8"))
        if saved["techniques"] != meta["techniques"]:
            raise PropwatchError(f"{out} holds labels of a teacher with other techniques")
        if bool(saved.get("states")) != states and any(label_files(out)):
            kept = "with" if saved.get("states") else "without"
            raise PropwatchError(
                f"{out} holds labels {kept} the teacher's states; use another --out"
            )
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def label_news(
    teacher: TechniqueTagger,
    texts: dict[str, str],
    out: Path,
    max_minutes: float = 0.0,
    states: bool = False,
) -> int:
    """Write the teacher's token probabilities (with ``states``, its encoder states too: about
    1.5 KB per token) of every text to ``out``; returns how many are labelled there now. Texts
    already labelled are skipped; ``max_minutes`` (0: no limit) stops the run early, to be
    continued by calling again."""
    write_meta(teacher, out, states)
    for key, path in pending(sorted(texts), out, max_minutes, len(texts)):
        encoded = teacher.encode(texts[key])
        arrays = {
            "key": np.array(key),
            "text": np.array(texts[key]),
            "offsets": encoded.tokens.offsets.astype(np.int32),
            "probs": encoded.probs.astype(np.float16),
        }
        if states:
            arrays["states"] = encoded.token_states(0, len(encoded.probs)).astype(np.float16)
        save_labels(path, **arrays)
    return sum(1 for _ in label_files(out))


def pending(
    keys: Iterable[str], out: Path, max_minutes: float, total: int
) -> Iterator[tuple[str, Path]]:
    """The ``keys`` not yet labelled in ``out``, in order, each with the path of its label
    file; none once ``max_minutes`` (0: no limit) have passed since the first. Logs progress
    every 50 of the ``total`` keys."""
    started = time.monotonic()
    for done, key in enumerate(keys, 1):
        path = out / label_file_name(key)
        if path.is_file():
            continue
        if max_minutes and time.monotonic() - started > max_minutes * 60:
            log.warning("time budget used up; run again to continue")
            return
        yield key, path
        if done % 50 == 0:
            log.info("%d of %d labelled", done, total)


def save_labels(path: Path, **arrays: NDArray[Any]) -> None:
    """Write one article's label file; a killed run never leaves a half-written one."""
    partial = path.with_suffix(".partial.npz")
    np.savez_compressed(partial, **arrays)  # type: ignore[arg-type]
    partial.replace(path)


def student_targets(
    teacher_offsets: NDArray[np.integer], probs: NDArray[np.floating], offsets: NDArray[np.integer]
) -> NDArray[np.float32]:
    """Per student token (character ``offsets``), the mean row of ``probs`` (the teacher's
    probabilities or states, one row per teacher token) over the teacher tokens overlapping
    it; 0 where none does. Linear in the tokens (two binary searches)."""
    totals = np.vstack([np.zeros((1, probs.shape[1])), np.cumsum(probs, axis=0, dtype=np.float64)])
    low = np.searchsorted(teacher_offsets[:, 1], offsets[:, 0], side="right")
    high = np.searchsorted(teacher_offsets[:, 0], offsets[:, 1], side="left")
    count = np.maximum(high - low, 0)
    sums = totals[np.maximum(high, low)] - totals[low]
    return (sums / np.maximum(count, 1)[:, None]).astype(np.float32)


def teacher_of(folder: Path) -> dict[str, Any]:
    """Which teacher labelled ``folder``: its path, version and encoder, for the model card."""
    meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    encoder = meta.get("encoder") or {}
    return {
        "teacher": meta["teacher"],
        "version": meta.get("teacher_version"),
        "encoder": f"{encoder.get('name', 'unknown')} ({encoder.get('weights', '?')})",
    }


def check_labels(folder: Path, layout: Layout, states: bool = False) -> None:
    """Raise :class:`PropwatchError` unless ``folder`` holds labels of a teacher of ``layout``'s
    techniques (with its states, when ``states``)."""
    meta_path = folder / META_FILE
    if not meta_path.is_file():
        raise PropwatchError(f"{folder} holds no teacher labels ({META_FILE} missing)")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if Layout(meta["techniques"]).to_dict() != layout.to_dict():
        raise PropwatchError(f"the teacher of {folder} was trained on other techniques")
    if states and not meta.get("states"):
        raise PropwatchError(
            f"{folder} holds no teacher states: label with propwatch train teacher-labels --states"
        )


def soft_examples(
    folder: Path, layout: Layout, tokenizer: Tokenizer, states: bool = False
) -> list[Example]:
    """The teacher-labelled articles in ``folder`` as student examples (every column labelled,
    no gold spans: they teach the token head and the encoder, not the span head); with
    ``states``, each carries the teacher's states in the student's tokens (float16)."""
    return [example for _text, example in soft_articles(folder, layout, tokenizer, states)]


def soft_articles(
    folder: Path, layout: Layout, tokenizer: Tokenizer, states: bool = False
) -> list[tuple[str, Example]]:
    """:func:`soft_examples` with the text of each article, for a head that reads the
    encoder's states of it."""
    check_labels(folder, layout, states)
    articles = []
    for path in label_files(folder):
        with np.load(path) as saved:
            key, text = str(saved["key"]), str(saved["text"])
            teacher_offsets, probs = saved["offsets"], saved["probs"].astype(np.float32)
            hidden = saved["states"] if states else None
        tokens = tokenize(tokenizer, text)
        targets = student_targets(teacher_offsets, probs, tokens.offsets)
        features = token_features(text, tokens.offsets)
        columns = np.ones(layout.n_token_outputs, dtype=np.float32)
        example = Example(SOFT_PREFIX + key, tokens.ids, features, targets, [], columns, True)
        if hidden is not None:
            aligned = student_targets(teacher_offsets, hidden, tokens.offsets)
            example.teacher_states = aligned.astype(np.float16)
        articles.append((text, example))
    return articles

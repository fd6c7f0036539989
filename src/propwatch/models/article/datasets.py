"""Training data of the article-level models, read from the research corpora folder.

``data_dir`` is the folder that holds ``semeval2023-en/`` and ``semeval2025-en/`` (normally
``../shared/data``). Nothing here is shipped or copied: the files are only read.
"""

from __future__ import annotations

import csv
import random
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from propwatch.errors import InputError
from propwatch.io.labels.semeval2023 import read_frames, read_genres
from propwatch.io.labels.semeval2025 import fix_utf16_offsets, read_entity_mentions, read_narratives
from propwatch.models.article.roles import MentionContext
from propwatch.text.span import Span

SEMEVAL2023 = "semeval2023-en"
SEMEVAL2025 = "semeval2025-en"

SentenceSplitter = Callable[[list[str]], list[list[Span]]]


@dataclass(frozen=True, slots=True)
class Documents:
    """Documents with one label value each (a genre, a frame list, a narrative pair…)."""

    ids: list[str]
    texts: list[str]
    labels: list


def split_ids(ids: Sequence[str], seed: int, fraction: float = 0.2) -> tuple[set[str], set[str]]:
    """``(train, validation)`` id sets: ``fraction`` of the sorted ids, shuffled with ``seed``."""
    shuffled = sorted(ids)
    random.Random(seed).shuffle(shuffled)
    cut = round(len(shuffled) * fraction)
    return set(shuffled[cut:]), set(shuffled[:cut])


def _require(path: Path) -> Path:
    if not path.exists():
        raise InputError(str(path), "training data not found (pass the shared data folder)")
    return path


def _semeval2023(data_dir: Path, subtask: int) -> tuple[Path, Path]:
    root = _require(data_dir / SEMEVAL2023)
    return root / f"train-articles-subtask-{subtask}", root / f"train-labels-subtask-{subtask}.txt"


def genre_documents(data_dir: Path) -> Documents:
    """SemEval-2023 subtask 1 training articles with their genre."""
    folder, labels = _semeval2023(data_dir, 1)
    genres = read_genres(_require(labels))
    ids = sorted(genres)
    texts = [(folder / f"article{i}.txt").read_text(encoding="utf-8") for i in ids]
    return Documents(ids, texts, [genres[i] for i in ids])


def frame_documents(data_dir: Path) -> Documents:
    """SemEval-2023 subtask 2 training articles with their frame lists."""
    folder, labels = _semeval2023(data_dir, 2)
    frames = read_frames(_require(labels))
    ids = sorted(frames)
    texts = [(folder / f"article{i}.txt").read_text(encoding="utf-8") for i in ids]
    return Documents(ids, texts, [list(frames[i]) for i in ids])


def _semeval2025(data_dir: Path) -> Path:
    return _require(data_dir / SEMEVAL2025)


def _document_text(root: Path, doc_id: str) -> str:
    return (root / "train" / "raw-documents" / doc_id).read_text(encoding="utf-8")


def narrative_documents(data_dir: Path) -> Documents:
    """SemEval-2025 subtask 2 documents; labels are ``(narratives, subnarratives)`` lists."""
    root = _semeval2025(data_dir)
    table = read_narratives(root / "train" / "subtask-2-annotations.txt")
    ids = sorted(table)
    texts = [_document_text(root, i) for i in ids]
    labels = [(list(table[i].narratives), list(table[i].subnarratives)) for i in ids]
    return Documents(ids, texts, labels)


def narrative_definitions(data_dir: Path) -> dict[str, str]:
    """Taxonomy text per narrative and subnarrative label: definition plus examples."""
    taxonomy = _semeval2025(data_dir) / "taxonomy"
    texts: dict[str, str] = {}
    for file, key, examples in (
        ("narrative_definitions.csv", "narrative", "example"),
        ("subnarrative_definitions.csv", "subnarrative", "examples"),
    ):
        with open(taxonomy / file, encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                texts[row[key].strip()] = f"{row['definition']}\n{row[examples]}"
    return texts


@dataclass(frozen=True, slots=True)
class RoleExamples:
    """Entity mentions in their sentence, with gold roles and the document they come from."""

    doc_ids: list[str]
    contexts: list[MentionContext]
    main_roles: list[str]
    fine_roles: list[list[str]]


def mention_context(text: str, sentences: Sequence[Span], start: int, end: int) -> MentionContext:
    """The mention ``[start, end)`` inside the sentence holding its start (grown to cover it).

    ``sentences`` are sorted sentence spans of ``text``; a mention outside every sentence
    (e.g. in blank space) gets the whole text as its context.
    """
    index = bisect_right([s.start for s in sentences], start) - 1
    if index < 0 or sentences[index].end <= start:
        return MentionContext(text, start, end)
    sentence = sentences[index]
    stop = max(sentence.end, end)
    return MentionContext(text[sentence.start : stop], start - sentence.start, end - sentence.start)


def role_examples(data_dir: Path, split_sentences: SentenceSplitter) -> RoleExamples:
    """SemEval-2025 subtask 1 mentions, each in the sentence that holds it.

    Parameters
    ----------
    data_dir : Path
    split_sentences : callable
        ``split_sentences(texts)`` gives the sorted sentence spans of each text; inference uses
        the ``sentences`` layer, so training should split the same way (spaCy).
    """
    root = _semeval2025(data_dir)
    mentions = read_entity_mentions(root / "train" / "subtask-1-annotations.txt")
    doc_ids = sorted({m.doc_id for m in mentions})
    texts = {doc_id: _document_text(root, doc_id) for doc_id in doc_ids}
    split = split_sentences([texts[d] for d in doc_ids])
    sentences = dict(zip(doc_ids, split, strict=True))
    examples = RoleExamples([], [], [], [])
    for mention in mentions:
        fixed = fix_utf16_offsets(mention, texts[mention.doc_id])
        text = texts[mention.doc_id]
        examples.doc_ids.append(mention.doc_id)
        examples.contexts.append(
            mention_context(text, sentences[mention.doc_id], fixed.start, fixed.end)
        )
        examples.main_roles.append(fixed.main_role)
        examples.fine_roles.append(list(fixed.fine_roles))
    return examples

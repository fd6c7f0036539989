"""Training corpora: articles with technique spans per scheme, turned into window examples.

The SemEval-2020 PTC articles and the SemEval-2023 subtask-3 English articles are the same
371 texts up to a few replaced quote characters; 2023 span offsets are mapped onto the PTC text
so that one encoding of each article carries the labels of both schemes.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from tokenizers import Tokenizer

from propwatch.errors import InputError
from propwatch.models.techniques.features import token_features
from propwatch.models.techniques.layout import Layout
from propwatch.models.techniques.windows import tokenize, window_starts

GoldSpan = tuple[int, int, str]  # character start, end (exclusive), technique


@dataclass
class Corpus:
    """Articles of one scheme.

    Attributes
    ----------
    texts : dict of str to str
        Article id to text.
    spans : dict of str to list of GoldSpan
        Article id to its technique spans (character offsets into ``texts[id]``).
    techniques : list of str
        The scheme's technique names, in file order.
    """

    texts: dict[str, str]
    spans: dict[str, list[GoldSpan]]
    techniques: list[str]


def _read_articles(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        raise InputError(str(folder), "folder of article<ID>.txt files not found")
    return {
        path.stem.removeprefix("article"): path.read_text(encoding="utf-8")
        for path in sorted(folder.glob("article*.txt"))
    }


def _read_span_rows(path: Path) -> list[tuple[str, str, int, int]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            article, technique, start, end = line.split("\t")
            rows.append((article, technique, int(start), int(end)))
    return rows


def _techniques(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _read_label_folder(folder: Path, texts: dict[str, str]) -> dict[str, list[GoldSpan]]:
    """Span rows of every ``*.txt`` file of ``folder``, per article id of ``texts``."""
    spans: dict[str, list[GoldSpan]] = {key: [] for key in texts}
    for path in sorted(folder.glob("*.txt")):
        for article, technique, start, end in _read_span_rows(path):
            if article in spans:
                spans[article].append((start, end, technique))
    return spans


def load_ptc2020(root: Path, split: str = "train") -> Corpus:
    """SemEval-2020 Task 11 data under ``root/ptc2020``: ``train`` or the official ``dev`` set."""
    base = root / "ptc2020"
    texts = _read_articles(base / f"{split}-articles")
    spans: dict[str, list[GoldSpan]] = {key: [] for key in texts}
    for article, technique, start, end in _read_span_rows(base / f"{split}-labels-tc.tsv"):
        spans[article].append((start, end, technique))
    return Corpus(texts, spans, _techniques(base / "techniques.txt"))


def load_semeval2023(root: Path, split: str = "train") -> Corpus:
    """SemEval-2023 Task 3 English span-level labels: ``train`` or ``dev``.

    ``dev`` is the official SemEval-2020 dev set's articles with their SemEval-2023 labels
    (``semeval2023-en/dev-ptc2020``), so one dev set serves both schemes.
    """
    base = root / "semeval2023-en"
    if split == "dev":
        folder = base / "dev-ptc2020"
        texts = _read_articles(folder / "articles")
        spans = _read_label_folder(folder / "labels-subtask-3-spans", texts)
    else:
        texts = _read_articles(base / "train-articles-subtask-3")
        spans = _read_label_folder(base / "train-labels-subtask-3-spans", texts)
    return Corpus(texts, spans, _techniques(base / "techniques.txt"))


# CheckThat! articles whose spans are shifted by a few characters (they end mid-word), as the
# data README warns; realigning them by guesswork would teach wrong boundaries.
CHECKTHAT_MISALIGNED = frozenset({"42141", "4271", "4239"})


def load_checkthat2024(root: Path, split: str = "train") -> Corpus:
    """CLEF-2024 CheckThat! Task 3 English articles: 2023-24 news in the SemEval-2023 scheme.

    Only the published half is in ``root/checkthat2024-en`` (one split); the articles listed
    in :data:`CHECKTHAT_MISALIGNED` are left out.
    """
    base = root / "checkthat2024-en"
    texts = {
        key: text
        for key, text in _read_articles(base / "articles").items()
        if key not in CHECKTHAT_MISALIGNED
    }
    spans = _read_label_folder(base / "labels-subtask-3-spans", texts)
    return Corpus(texts, spans, _techniques(root / "semeval2023-en" / "techniques.txt"))


# SemEval-2021 Task 6 meme techniques (PTC guidelines) under their SemEval-2023 names, as the
# data README maps them; "Smears" and "Glittering generalities" are broader than their targets.
MEME_TECHNIQUES = {
    "Appeal to authority": "Appeal_to_Authority",
    "Appeal to fear/prejudice": "Appeal_to_Fear-Prejudice",
    "Black-and-white Fallacy/Dictatorship": "False_Dilemma-No_Choice",
    "Causal Oversimplification": "Causal_Oversimplification",
    "Doubt": "Doubt",
    "Exaggeration/Minimisation": "Exaggeration-Minimisation",
    "Flag-waving": "Flag_Waving",
    "Glittering generalities (Virtue)": "Appeal_to_Values",
    "Loaded Language": "Loaded_Language",
    "Misrepresentation of Someone's Position (Straw Man)": "Straw_Man",
    "Name calling/Labeling": "Name_Calling-Labeling",
    "Obfuscation, Intentional vagueness, Confusion": "Obfuscation-Vagueness-Confusion",
    "Presenting Irrelevant Data (Red Herring)": "Red_Herring",
    "Reductio ad hitlerum": "Guilt_by_Association",
    "Repetition": "Repetition",
    "Slogans": "Slogans",
    "Smears": "Questioning_the_Reputation",
    "Thought-terminating cliché": "Conversation_Killer",
    "Whataboutism": "Whataboutism",
    "Bandwagon": "Appeal_to_Popularity",
}


def _meme_span(text: str, label: dict[str, Any]) -> GoldSpan | None:
    """A meme label's span; the fragment is searched again where the offsets miss it."""
    start, end = int(label["start"]), int(label["end"])
    fragment = str(label["text_fragment"]).replace("\u200b", "")  # in a fragment, not the text
    if text[start:end] != fragment:
        start = text.find(fragment)
        end = start + len(fragment)
    if start < 0:
        return None
    return (start, end, MEME_TECHNIQUES[label["technique"]])


def load_memes2021(root: Path, split: str = "train") -> Corpus:
    """SemEval-2021 Task 6 meme texts with technique spans, in the SemEval-2023 scheme.

    Every split of ``root/extra/semeval2021-task6-memes`` (none of them is a yardstick here);
    texts that occur twice are read once. Short texts rich in the techniques news rarely shows
    (straw man, whataboutism, thought-terminating cliches).
    """
    texts: dict[str, str] = {}
    spans: dict[str, list[GoldSpan]] = {}
    seen: set[str] = set()
    for path in sorted((root / "extra" / "semeval2021-task6-memes").glob("*/data/*_task2.txt")):
        for meme in json.loads(path.read_text(encoding="utf-8")):
            text = str(meme["text"])
            if text in seen:
                continue
            seen.add(text)
            key = f"meme-{path.name.split('_')[0]}-{meme['id']}"
            texts[key] = text
            found = (_meme_span(text, label) for label in meme["labels"])
            spans[key] = [span for span in found if span is not None]
    return Corpus(texts, spans, _techniques(root / "semeval2023-en" / "techniques.txt"))


# ElecDeb60To20 fallacy (label, subcategory) pairs that truly match a SemEval-2023 technique;
# the others (appeal to pity, ad hominem of unstated kind, authority "without evidence") do not.
DEBATE_TECHNIQUES = {
    ("AppealtoEmotion", "Loaded Language"): "Loaded_Language",
    ("AppealtoEmotion", "Flag waving"): "Flag_Waving",
    ("AppealtoEmotion", "Appeal to fear"): "Appeal_to_Fear-Prejudice",
    ("AppealtoAuthority", "False Authority"): "Appeal_to_Authority",
    ("AppealtoAuthority", "Appeal to popular opinion"): "Appeal_to_Popularity",
    ("FalseCause", "False cause"): "Causal_Oversimplification",
    ("Slipperyslope", "Slippery slope"): "Consequential_Oversimplification",
    ("Slipperyslope", ""): "Consequential_Oversimplification",
    ("AdHominem", "Tu quoque"): "Appeal_to_Hypocrisy",
    ("AdHominem", "Name-Calling, Labeling"): "Name_Calling-Labeling",
    ("Slogans", "Slogan"): "Slogans",
    ("Slogans", ""): "Slogans",
}


def load_debates2020(root: Path, split: str = "train") -> Corpus:
    """US presidential debate snippets (ElecDeb60To20) with fallacy spans, SemEval-2023 scheme.

    Rows of one context become one text with all their spans (the span is found in its
    context; the data has no offsets). A context with a fallacy outside
    :data:`DEBATE_TECHNIQUES` is left out: its fallacy would be taught as plain text.
    """
    rows: dict[str, list[tuple[str, str | None]]] = {}
    for path in sorted((root / "extra" / "elecdeb60to20-fallacy").glob("*/data/*.csv")):
        with path.open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                technique = DEBATE_TECHNIQUES.get((row["Label"], row["Subcategory"]))
                rows.setdefault(row["Context"], []).append((row["Fallacy"], technique))
    texts: dict[str, str] = {}
    spans: dict[str, list[GoldSpan]] = {}
    for context, fallacies in rows.items():
        found = [(context.find(text), text, technique) for text, technique in fallacies]
        if any(technique is None or start < 0 for start, _text, technique in found):
            continue
        key = f"debate-{len(texts)}"
        texts[key] = context
        spans[key] = sorted({(s, s + len(t), str(k)) for s, t, k in found})
    return Corpus(texts, spans, _techniques(root / "semeval2023-en" / "techniques.txt"))


# LOGIC textbook fallacies (Jin et al. 2022) whose fine-grained source name is a SemEval-2023
# technique by definition; the coarse LOGIC classes ("fallacy of relevance", "intentional") mix
# several techniques and stay out, as do fallacies news annotation has no name for.
LOGIC_TECHNIQUES = {
    "straw man": "Straw_Man",
    "red herring": "Red_Herring",
    "slippery slope": "Consequential_Oversimplification",
    "false dilemma": "False_Dilemma-No_Choice",
    "ad populum": "Appeal_to_Popularity",
    "bandwagon fallacy": "Appeal_to_Popularity",
    "appeal to authority": "Appeal_to_Authority",
    "false authority": "Appeal_to_Authority",
    "tu quoque": "Appeal_to_Hypocrisy",
    "association fallacy": "Guilt_by_Association",
    "appeal to fear": "Appeal_to_Fear-Prejudice",
    "appeal to tradition": "Appeal_to_Values",
    "false causality": "Causal_Oversimplification",
    "post hoc ergo propter hoc": "Causal_Oversimplification",
}
# The one LOGIC example that quotes a PolNeAR test article (see the data's SOURCE.md).
LOGIC_HOLDOUT_OVERLAP = "locker room talk"


def load_logic2022(root: Path, split: str = "train") -> Corpus:
    """LOGIC's textbook fallacy examples, each one span over its whole text, SemEval-2023 scheme.

    Only rows whose fine-grained ``old_label`` is a key of :data:`LOGIC_TECHNIQUES` (texts
    with several names are left out); short, often artificial sentences that name the
    rhetorical moves news rarely shows. Each text is read once.
    """
    texts: dict[str, str] = {}
    spans: dict[str, list[GoldSpan]] = {}
    seen: set[str] = set()
    for path in sorted((root / "extra" / "logic-fallacy").glob("*/data/edu_all.csv")):
        with path.open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                technique = LOGIC_TECHNIQUES.get(row["old_label"].strip().lower())
                text = row["source_article"].strip().strip('"').strip()
                if technique is None or not text or text in seen:
                    continue
                seen.add(text)
                if LOGIC_HOLDOUT_OVERLAP in text.lower():
                    continue
                key = f"logic-{len(texts)}"
                texts[key] = text
                spans[key] = [(0, len(text), technique)]
    return Corpus(texts, spans, _techniques(root / "semeval2023-en" / "techniques.txt"))


CORPORA: dict[str, Callable[..., Corpus]] = {
    "semeval2020": load_ptc2020,
    "semeval2023": load_semeval2023,
}

# Corpora annotated in one scheme only, added to training beside the articles annotated in
# both: name to (scheme, loader). Their articles never join the held-out split.
EXTRA_CORPORA: dict[str, tuple[str, Callable[..., Corpus]]] = {
    "checkthat2024": ("semeval2023", load_checkthat2024),
    "memes2021": ("semeval2023", load_memes2021),
    "debates2020": ("semeval2023", load_debates2020),
    "logic2022": ("semeval2023", load_logic2022),
}


RESYNC_WINDOW = 8  # characters that must agree again after a difference


def _resync(source: str, target: str, i: int, j: int) -> tuple[int, int]:
    """Smallest skip ``(di, dj)`` after which both texts agree for RESYNC_WINDOW characters."""
    for total in range(1, 2 * RESYNC_WINDOW + 1):
        for di in range(total + 1):
            dj = total - di
            a, b = i + di, j + dj
            if source[a : a + RESYNC_WINDOW] == target[b : b + RESYNC_WINDOW]:
                return di, dj
    return 1, 1


def map_offsets(source: str, target: str) -> NDArray[np.int64]:
    """Position in ``target`` of every position ``0..len(source)`` of ``source``.

    A greedy walk that resynchronises after each small difference (replaced quote marks,
    dropped line breaks); linear in the text length for texts that differ in a few places.

    Returns
    -------
    ndarray of int64, shape (len(source) + 1,)
    """
    mapping = np.zeros(len(source) + 1, dtype=np.int64)
    i = j = 0
    while i < len(source) and j < len(target):
        if source[i] == target[j]:
            mapping[i] = j
            i, j = i + 1, j + 1
            continue
        di, dj = _resync(source, target, i, j)
        mapping[i : i + di] = j
        i, j = i + di, j + dj
    mapping[i:] = min(j, len(target))
    return mapping


def merge_corpora(
    corpora: dict[str, Corpus],
) -> tuple[dict[str, str], dict[str, dict[str, list[GoldSpan]]]]:
    """Texts of the first corpus and each scheme's spans mapped onto them.

    Returns
    -------
    texts : dict of str to str
    spans : dict of scheme to (dict of article id to list of GoldSpan)
    """
    first = next(iter(corpora.values()))
    texts = first.texts
    spans: dict[str, dict[str, list[GoldSpan]]] = {}
    for scheme, corpus in corpora.items():
        per_article: dict[str, list[GoldSpan]] = {}
        for key, text in texts.items():
            own = corpus.texts.get(key)
            gold = corpus.spans.get(key, [])
            if own is None or own == text:
                per_article[key] = list(gold) if own is not None else []
                continue
            mapping = map_offsets(own, text)
            per_article[key] = [(int(mapping[s]), int(mapping[e]), t) for s, e, t in gold]
        spans[scheme] = per_article
    return texts, spans


@dataclass
class Example:
    """One article encoded for training.

    Attributes
    ----------
    ids : ndarray of int64, shape (n_tokens,)
    features : ndarray of float32, shape (n_tokens, N_FEATURES)
    targets : ndarray of float32, shape (n_tokens, layout.n_token_outputs)
        1 where the token overlaps a gold span of that column.
    spans : list of (int, int, str, int)
        Token start, token end (exclusive), scheme and class index of each gold span.
    columns : ndarray of float32, shape (layout.n_token_outputs,)
        1 for the columns of the schemes the article is annotated in, 0 elsewhere: an article
        of a one-scheme corpus says nothing about the other scheme's columns, so their loss
        is masked out.
    soft : bool
        The targets are a teacher's probabilities, not gold (see :mod:`.distil`).
    teacher_states : ndarray of float16, shape (n_tokens, teacher_hidden_size), or None
        A teacher's encoder states in this example's tokens, for a student to learn to map its
        own states onto (see :mod:`.distil`); None for gold examples.
    """

    key: str
    ids: NDArray[np.int64]
    features: NDArray[np.float32]
    targets: NDArray[np.float32]
    spans: list[tuple[int, int, str, int]] = field(default_factory=list)
    columns: NDArray[np.float32] = field(default_factory=lambda: np.ones(0, dtype=np.float32))
    soft: bool = False
    teacher_states: NDArray[np.float16] | None = None


def token_range(offsets: NDArray[np.int64], start: int, end: int) -> tuple[int, int]:
    """Tokens overlapping characters ``[start, end)`` as ``[first, last + 1)``; empty if none."""
    hit = np.nonzero((offsets[:, 0] < end) & (offsets[:, 1] > start))[0]
    if hit.size == 0:
        return 0, 0
    return int(hit[0]), int(hit[-1]) + 1


def encode_article(
    key: str,
    text: str,
    spans: dict[str, list[GoldSpan]],
    layout: Layout,
    tokenizer: Tokenizer,
) -> Example:
    """Tokenize one article and build its token targets and span list.

    ``spans`` has one entry per scheme the article is annotated in (an empty list when it is
    annotated and has no span); the other schemes' columns are masked out.
    """
    tokens = tokenize(tokenizer, text)
    targets = np.zeros((len(tokens), layout.n_token_outputs), dtype=np.float32)
    labelled = np.zeros(layout.n_token_outputs, dtype=np.float32)
    span_rows: list[tuple[int, int, str, int]] = []
    for scheme, gold in spans.items():
        labelled[layout.any_column(scheme)] = 1.0
        labelled[layout.technique_columns(scheme)] = 1.0
        names = list(layout.techniques[scheme])
        columns = layout.technique_columns(scheme)
        for start, end, technique in gold:
            first, last = token_range(tokens.offsets, start, end)
            if first == last or technique not in names:
                continue
            index = names.index(technique)
            targets[first:last, layout.any_column(scheme)] = 1.0
            targets[first:last, columns.start + index] = 1.0
            span_rows.append((first, last, scheme, index))
    features = token_features(text, tokens.offsets)
    return Example(key, tokens.ids, features, targets, span_rows, labelled)


@dataclass
class Window:
    """A training window: token slice of one example plus the gold spans it carries."""

    example: Example
    start: int
    end: int
    spans: list[tuple[int, int, str, int]]


def make_windows(example: Example, window: int, stride: int) -> list[Window]:
    """Cut an example into windows; each gold span goes to the window holding most of it."""
    starts = window_starts(len(example.ids), window, stride)
    if not starts:
        return []
    windows = [Window(example, s, min(s + window, len(example.ids)), []) for s in starts]
    for first, last, scheme, index in example.spans:
        overlaps = [max(0, min(w.end, last) - max(w.start, first)) for w in windows]
        best = int(np.argmax(overlaps))
        chosen = windows[best]
        chosen.spans.append((max(first, chosen.start), min(last, chosen.end), scheme, index))
    return windows

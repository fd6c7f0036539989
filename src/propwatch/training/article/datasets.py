"""Training data of the article-level models, read from the research corpora folder.

``data_dir`` is the folder that holds ``semeval2023-en/`` and ``semeval2025-en/`` (normally
``../shared/data``). Nothing here is shipped or copied: the files are only read.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
from numpy.typing import NDArray

from propwatch.errors import InputError
from propwatch.io.labels.semeval2023 import read_frames, read_genres
from propwatch.io.labels.semeval2025 import (
    EntityMention,
    fix_utf16_offsets,
    read_entity_mentions,
    read_narratives,
)
from propwatch.models.article.cast import entity_vector
from propwatch.models.article.entities import entity_groups, ner_mentions
from propwatch.models.article.roles import MentionContext, mention_context, mention_contexts
from propwatch.models.techniques import Encoded
from propwatch.text.nlp import ParsedText

SEMEVAL2023 = "semeval2023-en"
SEMEVAL2025 = "semeval2025-en"
SUBTASK1 = Path("train") / "subtask-1-annotations.txt"

Parser = Callable[[list[str]], list[ParsedText]]
Encoder = Callable[[str], Encoded]


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
    """SemEval-2023 subtask 1 training articles with their genre (see :func:`polnear_reports`
    for the news reports added to them)."""
    return _genre_articles(*_semeval2023(data_dir, 1))


def _genre_articles(folder: Path, labels: Path) -> Documents:
    """The ``article<ID>.txt`` files of ``folder`` that the genre file ``labels`` lists."""
    genres = read_genres(_require(labels))
    ids = sorted(genres)
    texts = [(folder / f"article{i}.txt").read_text(encoding="utf-8") for i in ids]
    return Documents(ids, texts, [genres[i] for i in ids])


POLNEAR_PREFIX = "polnear:"


def polnear_reports(data_dir: Path, split: str = "train") -> Documents:
    """PolNeAR's news articles (US political news, 2015-16) as genre ``reporting``.

    The SemEval-2023 genre training set holds 30 ``reporting`` articles against 319 ``opinion``;
    a model trained on it alone calls 74 of PolNeAR's 84 dev reports opinion. Ids carry the
    :data:`POLNEAR_PREFIX`, so scores can leave them out.
    """
    folder = _require(data_dir / "polnear" / split / "text")
    paths = sorted(folder.glob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in paths]
    return Documents([POLNEAR_PREFIX + p.stem for p in paths], texts, ["reporting"] * len(paths))


def genre_dev_documents(data_dir: Path) -> Documents:
    """The official PTC dev articles with their SemEval-2023 genres (a shifted check)."""
    root = _require(data_dir / SEMEVAL2023 / "dev-ptc2020")
    return _genre_articles(root / "articles", root / "labels-subtask-1.txt")


def frame_documents(data_dir: Path) -> Documents:
    """SemEval-2023 subtask 2 training articles with their frame lists."""
    return _frame_articles(*_semeval2023(data_dir, 2))


def frame_dev_documents(data_dir: Path) -> Documents:
    """The official PTC dev articles with their SemEval-2023 frame lists (a shifted check)."""
    root = _require(data_dir / SEMEVAL2023 / "dev-ptc2020")
    return _frame_articles(root / "articles", root / "labels-subtask-2.txt")


def _frame_articles(folder: Path, labels: Path) -> Documents:
    """The ``article<ID>.txt`` files of ``folder`` that the frames file ``labels`` lists."""
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


def narrative_topic(doc_id: str) -> str:
    """The domain whose topic a SemEval-2025 document is about, from its id.

    The organizers name each file by topic (``EN_UA_103861.txt``: the Russia-Ukraine war,
    ``EN_CC_100013.txt``: climate change), also when it carries no narrative.
    """
    return "CC" if "_CC_" in doc_id else "URW"


def off_topic_texts(data_dir: Path) -> list[str]:
    """News on neither narrative topic: PolNeAR's training reports (US politics, 2015-16) and
    the PTC training articles (2017-18, from before the war).

    A few of them may touch on climate or Russia; the topic model learns from whole articles,
    so a passing mention does not make a text about the topic.
    """
    articles = sorted((_require(data_dir / "ptc2020" / "train-articles")).glob("*.txt"))
    ptc = [path.read_text(encoding="utf-8") for path in articles]
    return polnear_reports(data_dir, "train").texts + ptc


def hyperpartisan_texts(data_dir: Path) -> list[str]:
    """The SemEval-2019 hyperpartisan articles (2016-18, many of them rants) in the newspaper3k
    layout: title, a blank line, then the body without markup, one paragraph per ``<p>`` (and
    per run of text between them), a blank line between paragraphs. A shifted check of the
    narrative topic gate and of genre."""
    path = _require(data_dir / "hyperpartisan" / "articles-training-byarticle-20181122.xml")
    root = ElementTree.parse(path).getroot()
    return [f"{a.get('title', '')}\n\n{_paragraphs(a)}" for a in root]


def _paragraphs(article: ElementTree.Element) -> str:
    """The text of an article element, its paragraphs apart: joined as they were, the last
    word of one paragraph ran into the first of the next ("…closing in.Terrifying")."""
    pieces = [article.text or ""]
    for child in article:
        pieces += ["".join(child.itertext()), child.tail or ""]
    return "\n\n".join(" ".join(piece.split()) for piece in pieces if piece.strip())


def hyperpartisan_flags(data_dir: Path) -> list[bool]:
    """Whether each article of :func:`hyperpartisan_texts` (same order) is labelled
    hyperpartisan (238 of 645 are): its genre is not annotated, but one-sided articles are
    mostly opinion pieces and rants, and the others include plain news reports."""
    articles = _require(data_dir / "hyperpartisan" / "articles-training-byarticle-20181122.xml")
    truth = _require(data_dir / "hyperpartisan" / "ground-truth-training-byarticle-20181122.xml")
    flags = {
        a.get("id"): a.get("hyperpartisan") == "true" for a in ElementTree.parse(truth).getroot()
    }
    return [flags[a.get("id")] for a in ElementTree.parse(articles).getroot()]


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


@dataclass(frozen=True, slots=True)
class CastExamples:
    """Entities spaCy finds in the annotated documents: their vector and whether any of their
    mentions has a gold role."""

    doc_ids: list[str]
    vectors: list[NDArray[np.float32]]
    cast: list[bool]


@dataclass(frozen=True, slots=True)
class RoleDocuments:
    """The SemEval-2025 subtask-1 training documents and their mentions (offsets fixed)."""

    texts: dict[str, str]
    mentions: list[EntityMention]


def role_documents(data_dir: Path) -> RoleDocuments:
    """Read the annotated documents and their mentions, UTF-16 offsets re-read where needed."""
    root = _semeval2025(data_dir)
    annotated = read_entity_mentions(root / SUBTASK1)
    texts = {
        doc_id: _document_text(root, doc_id) for doc_id in sorted({m.doc_id for m in annotated})
    }
    return RoleDocuments(texts, [fix_utf16_offsets(m, texts[m.doc_id]) for m in annotated])


def cast_examples(data_dir: Path, parse: Parser, encode: Encoder) -> CastExamples:
    """One example per NER entity of each SemEval-2025 subtask-1 training document.

    Entities are found as the roles component finds them (:func:`.entities.ner_mentions`,
    grouped by name); one counts as cast when a mention overlaps an annotated mention.
    """
    documents = role_documents(data_dir)
    texts = documents.texts
    gold: dict[str, list[tuple[int, int]]] = {}
    for mention in documents.mentions:
        gold.setdefault(mention.doc_id, []).append((mention.start, mention.end))
    examples = CastExamples([], [], [])
    for doc_id, parsed in zip(texts, parse(list(texts.values())), strict=True):
        sentences, encoded = parsed.sentences(), encode(texts[doc_id])
        mentions = ner_mentions(parsed)
        every = mention_contexts(parsed, sentences, [(m.start, m.end) for m in mentions], encoded)
        for members in entity_groups(mentions):
            found = [mentions[i] for i in members]
            contexts = [every[i] for i in members]
            examples.doc_ids.append(doc_id)
            examples.vectors.append(entity_vector(contexts, [m.kind for m in found]))
            examples.cast.append(
                any(a < m.end and m.start < b for m in found for a, b in gold[doc_id])
            )
    return examples


def role_examples(data_dir: Path, parse: Parser, encode: Encoder) -> RoleExamples:
    """SemEval-2025 subtask 1 mentions, each in the sentence that holds it, with its cues.

    Parameters
    ----------
    data_dir : Path
    parse : callable
        ``parse(texts)`` gives the spaCy parse of each text; inference uses the pipeline's
        shared parse and its ``sentences`` layer, so training must parse the same way.
    encode : callable
        ``encode(text)`` gives the technique encoder's states of a text (the shipped model's,
        which inference reads).
    """
    documents = role_documents(data_dir)
    texts = documents.texts
    parses = dict(zip(texts, parse(list(texts.values())), strict=True))
    sentences = {doc_id: parsed.sentences() for doc_id, parsed in parses.items()}
    encoded = {doc_id: encode(text) for doc_id, text in texts.items()}
    examples = RoleExamples([], [], [], [])
    for fixed in documents.mentions:
        examples.doc_ids.append(fixed.doc_id)
        examples.contexts.append(
            mention_context(
                parses[fixed.doc_id],
                sentences[fixed.doc_id],
                fixed.start,
                fixed.end,
                encoded[fixed.doc_id],
            )
        )
        examples.main_roles.append(fixed.main_role)
        examples.fine_roles.append(list(fixed.fine_roles))
    return examples

"""Adapt a technique model to people's corrections: ``propwatch train techniques --from-model
DIR --annotations SOURCE``.

The corrections (a database URL, or an export that carries the article texts: ``jsonl``,
``labelstudio``, ``brat``) become a corpus of one scheme: each article's technique spans as
people say they are (:meth:`AnnotatedArticle.gold_spans`). A seeded share of those articles
is held out; the model's heads are fitted again (:func:`.run.refit_model`) on the shipped
training data together with the other annotated articles, so what the model knew is kept, and
the model before and after is scored on the held-out ones with the validation scorers.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from propwatch.annotations.formats.base import AnnotatedArticle
from propwatch.annotations.store import annotated_article, annotation_format, files_to_read
from propwatch.annotations.store import guess_format as guess_annotation_format
from propwatch.db import repo
from propwatch.db.engine import make_engine, make_sessionmaker
from propwatch.errors import PropwatchError
from propwatch.models.techniques.layout import Layout
from propwatch.models.techniques.windows import load_tokenizer
from propwatch.schemes import load_scheme
from propwatch.text.annotation import PARAGRAPH, TECHNIQUE, Annotation
from propwatch.training.techniques.data import Corpus, encode_article
from propwatch.training.techniques.fit import EXTRA_SEPARATOR, TrainSettings, split_articles
from propwatch.training.techniques.run import refit_model
from propwatch.training.techniques.validate import VALIDATORS

log = logging.getLogger(__name__)

CORPUS_NAME = "annotations"  # training keys of annotated articles: "annotations:<id>"
HELD_OUT_SHARE = 0.25


def _from_database(url: str) -> list[AnnotatedArticle]:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            return [
                annotated_article(repo.to_analysis(row), notes)
                for row, notes in repo.annotated_articles(session)
            ]
    finally:
        engine.dispose()


def _from_files(path: Path, scheme: str) -> list[AnnotatedArticle]:
    found = annotation_format(guess_annotation_format([path]))
    texts: dict[str, str] = {}
    notes: dict[str, list[Annotation]] = {}
    for file in files_to_read([path], found):
        reading = found.read(file)
        if reading.problems:
            raise PropwatchError(str(reading.problems[0]))
        for item in reading.annotations:
            if item.text is None:
                raise PropwatchError(
                    f"{path}: {found.name} files carry no article text; give the database URL"
                )
            texts[item.article_id] = item.text
            notes.setdefault(item.article_id, []).append(item.annotation)
    return [
        AnnotatedArticle(key, text, scheme, (), tuple(notes[key])) for key, text in texts.items()
    ]


def load_annotations(source: str, scheme: str) -> Corpus:
    """The technique spans people gave the articles of ``scheme``, as a training corpus.

    Parameters
    ----------
    source : str
        A database URL (``sqlite:///propwatch.db``): each annotated article's predicted spans
        as corrected; or an export file or folder carrying the texts (``jsonl``,
        ``labelstudio``, ``brat``): the spans people kept.
    scheme : str
        The technique scheme (files do not say; a database's articles name theirs).

    Articles with paragraph labels only (``paragraph`` annotations, as an imported subtask-3
    paragraph file gives) are left out with one logged line: a paragraph label says which
    techniques occur somewhere in a paragraph, not where, so it cannot train the span heads.

    Raises
    ------
    PropwatchError
        When ``source`` holds no article of ``scheme`` with technique span annotations, or
        cannot be read.
    """
    articles = _from_database(source) if "://" in source else _from_files(Path(source), scheme)
    ours = [a for a in articles if a.scheme == scheme]
    reviewed = [a for a in ours if any(note.kind == TECHNIQUE for note in a.annotations)]
    paragraph_only = sum(
        1 for a in ours if a not in reviewed and any(n.kind == PARAGRAPH for n in a.annotations)
    )
    why = (
        f"{paragraph_only} annotated articles have paragraph labels only: paragraph labels "
        "name no span, so they cannot train the span heads"
    )
    if not reviewed:
        found = f"; {why}" if paragraph_only else ""
        raise PropwatchError(
            f"{source}: no article of scheme {scheme!r} has technique span annotations{found}"
        )
    if paragraph_only:
        log.warning("%s; left out", why)
    return Corpus(
        texts={a.id: a.text for a in reviewed},
        spans={a.id: a.gold_spans() for a in reviewed},
        techniques=list(load_scheme(scheme).names),
    )


def held_out_split(keys: Sequence[str], share: float, seed: int) -> tuple[list[str], list[str]]:
    """Training and held-out article ids: a seeded shuffle, at least one of each.

    Raises
    ------
    PropwatchError
        With fewer than two articles.
    """
    if len(keys) < 2:
        raise PropwatchError("adapting needs at least two annotated articles (one is held out)")
    train, held = split_articles(keys, share, seed)
    if not held:
        held, train = train[:1], train[1:]
    return train, held


def adapt_model(
    data_root: Path,
    source: Path,
    out: Path,
    annotations: str,
    scheme: str,
    settings: TrainSettings,
    share: float = HELD_OUT_SHARE,
    holdout_seed: int | None = None,
) -> dict[str, Any]:
    """Refit the heads of ``source`` on the shipped data and the annotated articles; score the
    model before and after on the held-out annotated articles.

    ``holdout_seed`` (default: ``settings.seed``) draws the held-out annotated articles
    alone, so that repeated runs over several draws keep the rest of the training the same.

    Returns
    -------
    dict
        ``trained_on`` and ``held_out`` (article ids), ``before`` and ``after`` (the scores of
        :data:`.validate.VALIDATORS`), also written to ``out/annotations/report.json``; the
        adapted model is ``out/model``.
    """
    corpus = load_annotations(annotations, scheme)
    seed = settings.seed if holdout_seed is None else holdout_seed
    train, held = held_out_split(sorted(corpus.texts), share, seed)
    config = json.loads((source / "config.json").read_text(encoding="utf-8"))
    layout = Layout(config["techniques"])
    if scheme not in layout.schemes:
        raise PropwatchError(f"{source} has no head for scheme {scheme!r}")
    tokenizer = load_tokenizer(source / "tokenizer.json")
    own = {key: f"{CORPUS_NAME}{EXTRA_SEPARATOR}{key}" for key in train}
    added = {
        own[key]: (
            corpus.texts[key],
            encode_article(
                own[key], corpus.texts[key], {scheme: corpus.spans[key]}, layout, tokenizer
            ),
        )
        for key in train
    }
    scores = out / "annotations"
    before = VALIDATORS[scheme](source, corpus, held, _folder(scores / "before"))
    refit_model(data_root, source, out, settings, added)
    after = VALIDATORS[scheme](out / "model", corpus, held, _folder(scores / "after"))
    report = {
        "holdout_seed": seed,
        "trained_on": train,
        "held_out": held,
        "before": before,
        "after": after,
    }
    (scores / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def score_lines(report: dict[str, Any]) -> list[str]:
    """One line per score of an adaptation report: ``flc micro_f1 0.212 -> 0.305``."""
    lines = []
    for name, before in report["before"].items():
        metric = before["official"]
        after = report["after"][name]["metrics"][metric]
        lines.append(f"{name} {metric} {before['metrics'][metric]:.3f} -> {after:.3f}")
    return lines

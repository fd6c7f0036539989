"""Train, validate and save the article-level models (``propwatch train article``).

For each kind: read the training data, hold out 20% of the documents (seeded, by document),
fit on the rest and score the held-out part per label, then refit on everything and save the
shipped model. The validation report (scores and the held-out document ids) is written as
``<kind>-validation.json`` beside the model.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propwatch.components.technique_model import default_encoder_version, default_tagger
from propwatch.eval.measures import (
    accuracy,
    binary_f_score,
    binary_prf,
    macro_f1,
    micro_f1,
    per_label,
    samples_f1,
)
from propwatch.models.article.cast import CastClassifier
from propwatch.models.article.genre import UNSURE, GenreClassifier
from propwatch.models.article.multilabel import MultiLabelTextClassifier
from propwatch.models.article.narratives import NarrativeClassifier, without_other
from propwatch.models.article.roles import EntityRoleClassifier
from propwatch.models.article.shipped import save_model
from propwatch.training.article import datasets

VALIDATION_FRACTION = 0.2
# Genre checks the spread of its answers on every 6th hyperpartisan article (108 of 645):
# encoding is nearly all of its training time (about 2 s per article on the loaded machine).
HYPERPARTISAN_STEP = 6
BLIND_ANTAGONIST_SHARE = 0.8


@dataclass
class Examples:
    """Training samples: ``groups[i]`` is the document of ``inputs[i]`` (splits keep it whole)."""

    groups: list[str]
    inputs: list[Any]
    labels: list[Any]
    extra: dict[str, Any] = field(default_factory=dict)

    def subset(self, keep: set[str]) -> Examples:
        rows = [i for i, g in enumerate(self.groups) if g in keep]
        return Examples(
            [self.groups[i] for i in rows],
            [self.inputs[i] for i in rows],
            [self.labels[i] for i in rows],
            self.extra,
        )


@dataclass
class MeanStates:
    """The shipped technique encoder's mean state of a text (384 numbers), computed once.

    Encoding is most of the training time of genre and narratives (about 1,500 and 1,000
    texts with their checks); with ``folder`` each state is kept there as
    ``<encoder>/<sha256 of text>.npy``, so a rerun, a cross-validation bench and the training
    command share one encoding, and a new encoder version starts an empty subfolder.

    Parameters
    ----------
    folder : Path or None, default=None
        Where states are kept between runs; None keeps them in memory only.
    """

    folder: Path | None = None
    known: dict[str, NDArray[np.float32]] = field(default_factory=dict)

    def __call__(self, text: str) -> NDArray[np.float32]:
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if key in self.known:
            return self.known[key]
        path = None
        if self.folder is not None:
            path = self.folder / default_encoder_version() / f"{key}.npy"
        if path is not None and path.is_file():
            state = np.load(path, allow_pickle=False)
        else:
            state = default_tagger().encode(text).mean_state()
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                np.save(path, state, allow_pickle=False)
        self.known[key] = state
        return state


def _genre_load(data_dir: Path, parse: datasets.Parser, states: MeanStates) -> Examples:
    docs = datasets.genre_documents(data_dir)
    reports = datasets.polnear_reports(data_dir, "train")
    inputs = [states(text) for text in docs.texts + reports.texts]
    return Examples(docs.ids + reports.ids, inputs, docs.labels + reports.labels)


def _genre_fit(examples: Examples, seed: int) -> GenreClassifier:
    model = GenreClassifier(encoder=default_encoder_version(), random_state=seed)
    return model.fit(np.array(examples.inputs), examples.labels)


def _genre_score(model: GenreClassifier, examples: Examples) -> dict[str, Any]:
    """Scores on the SemEval-2023 articles; the share of PolNeAR reports called ``reporting``."""
    polnear = [g.startswith(datasets.POLNEAR_PREFIX) for g in examples.groups]
    semeval = [i for i, p in enumerate(polnear) if not p]
    states = np.array(examples.inputs)
    guess, decided = list(model.predict(states)), list(model.decide(states))
    truth = [[examples.labels[i]] for i in semeval]
    found = [[guess[i]] for i in semeval]
    sure = [i for i in semeval if decided[i] != UNSURE]
    reports = [guess[i] == "reporting" for i, p in enumerate(polnear) if p]
    shares = Counter(decided[i] for i in semeval)
    return {
        "macro_f1": macro_f1(truth, found),
        **{
            f"decided_{genre}": shares[genre] / len(semeval) if semeval else None
            for genre in (*model.classes_, UNSURE)
        },
        "accuracy": accuracy([t[0] for t in truth], [f[0] for f in found]),
        "per_label": per_label(truth, found),
        "accuracy_when_sure": (
            accuracy([examples.labels[i] for i in sure], [decided[i] for i in sure])
            if sure
            else None
        ),
        "polnear_reports_called_reporting": float(np.mean(reports)) if reports else None,
    }


def _genre_checks(model: GenreClassifier, data_dir: Path, states: MeanStates) -> dict[str, Any]:
    """The final model on data of other sources: the PTC dev articles, PolNeAR's dev reports,
    and the genres it gives the hyperpartisan articles (their genre is not annotated: many are
    opinion, few satire; a check of the answers' spread, not a score)."""
    dev = datasets.genre_dev_documents(data_dir)
    reports = datasets.polnear_reports(data_dir, "dev")
    check = Examples(
        dev.ids + reports.ids,
        [states(t) for t in dev.texts + reports.texts],
        dev.labels + reports.labels,
    )
    scores = _genre_score(model, check)
    hyperpartisan = datasets.hyperpartisan_texts(data_dir)[::HYPERPARTISAN_STEP]
    flags = datasets.hyperpartisan_flags(data_dir)[::HYPERPARTISAN_STEP]
    one_sided = np.array([states(t) for t in hyperpartisan])
    spread = {
        "ptc_dev": np.array([states(t) for t in dev.texts]),
        "polnear_dev": np.array([states(t) for t in reports.texts]),
        "hyperpartisan_true": one_sided[np.array(flags)],
        "hyperpartisan_false": one_sided[~np.array(flags)],
    }
    return {
        "ptc_dev": {k: v for k, v in scores.items() if k != "polnear_reports_called_reporting"},
        "polnear_dev_reports_called_reporting": scores["polnear_reports_called_reporting"],
        "predicted": {name: _spread(model, rows) for name, rows in spread.items()},
    }


def _spread(model: GenreClassifier, states: np.ndarray) -> dict[str, dict[str, int]]:
    """How many articles get each genre: forced (the most probable) and decided (or unsure)."""
    return {
        "most_probable": dict(sorted(Counter(model.predict(states).tolist()).items())),
        "decided": dict(sorted(Counter(model.decide(states).tolist()).items())),
    }


def _frames_load(data_dir: Path, parse: datasets.Parser, states: MeanStates) -> Examples:
    docs = datasets.frame_documents(data_dir)
    return Examples(docs.ids, docs.texts, docs.labels)


def _frames_fit(examples: Examples, seed: int) -> MultiLabelTextClassifier:
    return MultiLabelTextClassifier(C=1.0, min_df=2, random_state=seed).fit(
        examples.inputs, examples.labels
    )


def _frames_score(model: MultiLabelTextClassifier, examples: Examples) -> dict[str, Any]:
    guess = model.predict(examples.inputs)
    return {
        "micro_f1": micro_f1(examples.labels, guess),
        "per_label": per_label(examples.labels, guess),
    }


def _frames_checks(
    model: MultiLabelTextClassifier, data_dir: Path, states: MeanStates
) -> dict[str, Any]:
    """The final model on the PTC dev articles' SemEval-2023 frames (never tuned on)."""
    dev = datasets.frame_dev_documents(data_dir)
    scores = _frames_score(model, Examples(dev.ids, dev.texts, dev.labels))
    guess = model.predict(dev.texts)
    return {
        "ptc_dev": scores,
        "ptc_dev_frames_per_article": {
            "gold": float(np.mean([len(f) for f in dev.labels])),
            "predicted": float(np.mean([len(f) for f in guess])),
        },
    }


def _narratives_load(data_dir: Path, parse: datasets.Parser, states: MeanStates) -> Examples:
    docs = datasets.narrative_documents(data_dir)
    definitions = datasets.narrative_definitions(data_dir)
    inputs = [(text, states(text)) for text in docs.texts]
    extra = {
        "definitions": definitions,
        "definition_states": {label: states(text) for label, text in definitions.items()},
        "off_topic_texts": datasets.off_topic_texts(data_dir),
    }
    return Examples(docs.ids, inputs, docs.labels, extra)


def _narratives_fit(examples: Examples, seed: int) -> NarrativeClassifier:
    return NarrativeClassifier(encoder=default_encoder_version(), random_state=seed).fit(
        [text for text, _ in examples.inputs],
        [coarse for coarse, _ in examples.labels],
        [fine for _, fine in examples.labels],
        topics=[datasets.narrative_topic(doc_id) for doc_id in examples.groups],
        off_topic_texts=examples.extra["off_topic_texts"],
        states=[state for _, state in examples.inputs],
        definitions=examples.extra["definitions"],
        definition_states=examples.extra["definition_states"],
    )


def _narratives_score(model: NarrativeClassifier, examples: Examples) -> dict[str, Any]:
    guess = model.predict(
        [text for text, _ in examples.inputs], [state for _, state in examples.inputs]
    )
    coarse_truth = [coarse for coarse, _ in examples.labels]
    fine_truth = [fine for _, fine in examples.labels]
    return {
        "samples_f1_coarse": float(samples_f1(coarse_truth, [c for c, _ in guess]).mean()),
        "samples_f1_fine": float(samples_f1(fine_truth, [f for _, f in guess]).mean()),
        "per_label_coarse": per_label(
            [without_other(x) for x in coarse_truth], [without_other(c) for c, _ in guess]
        ),
    }


def _narratives_checks(
    model: NarrativeClassifier, data_dir: Path, states: MeanStates
) -> dict[str, Any]:
    """The final model on news from before the war and off both topics: how many articles it
    puts on a narrative topic, and how many it gives a narrative (each should be few)."""
    checks: dict[str, Any] = {}
    for name, texts in (
        ("ptc_dev", datasets.genre_dev_documents(data_dir).texts),
        ("hyperpartisan", datasets.hyperpartisan_texts(data_dir)),
    ):
        found = model.predict_narratives(texts, [states(text) for text in texts])
        named = Counter(n[0].narrative for n in found if n)
        checks[name] = {
            "articles": len(texts),
            "on_topic": dict(Counter(t for topics in model.on_topic(texts) for t in topics)),
            "with_a_narrative": sum(named.values()),
            "first_narratives": dict(named.most_common(5)),
        }
    return checks


def _roles_load(data_dir: Path, parse: datasets.Parser, states: MeanStates) -> Examples:
    found = datasets.role_examples(data_dir, parse, default_tagger().encode)
    labels = list(zip(found.main_roles, found.fine_roles, strict=True))
    return Examples(found.doc_ids, found.contexts, labels)


def _roles_fit(examples: Examples, seed: int) -> EntityRoleClassifier:
    return EntityRoleClassifier(encoder=default_encoder_version(), random_state=seed).fit(
        examples.inputs, [m for m, _ in examples.labels], [f for _, f in examples.labels]
    )


def _cast_load(data_dir: Path, parse: datasets.Parser, states: MeanStates) -> Examples:
    found = datasets.cast_examples(data_dir, parse, default_tagger().encode)
    return Examples(found.doc_ids, found.vectors, found.cast)


def _cast_fit(examples: Examples, seed: int) -> CastClassifier:
    model = CastClassifier(encoder=default_encoder_version(), random_state=seed)
    return model.fit(np.array(examples.inputs), examples.labels, examples.groups)


def _cast_score(model: CastClassifier, examples: Examples) -> dict[str, Any]:
    truth = np.array(examples.labels, dtype=bool)
    chosen = model.predict(np.array(examples.inputs))
    p, r, f = binary_prf(truth, chosen)
    return {
        "precision": p,
        "recall": r,
        "f1": f,
        "f2": binary_f_score(truth, chosen, beta=2.0),
        "all_cast_f1": binary_f_score(truth, np.ones_like(truth)),
        "all_cast_f2": binary_f_score(truth, np.ones_like(truth), beta=2.0),
        "entities": len(truth),
        "cast_entities": int(truth.sum()),
        "kept_entities": int(chosen.sum()),
        "threshold": model.threshold_,
    }


def antagonist_weights(
    main_roles: Sequence[str], share: float = BLIND_ANTAGONIST_SHARE
) -> NDArray[np.float64] | None:
    """Weights, shape (n_mentions,), under which antagonists make up ``share`` of the mentions.

    The blind SemEval-2025 evaluation set has about 80% antagonists (always ``Antagonist`` scores
    0.80 there), the training documents 64%; weighted scores estimate the blind ones. ``None``
    (unweighted) when all mentions, or none, are antagonists.
    """
    return share_weights(np.array([m == "Antagonist" for m in main_roles]), share)


def share_weights(chosen: NDArray[np.bool_], share: float) -> NDArray[np.float64] | None:
    """Weights under which the ``chosen`` items make up ``share`` of all, the others keeping
    their proportions: a lens on a set drawn with another prior. ``None`` (unweighted) when
    all items, or none, are chosen."""
    if chosen.all() or not chosen.any():
        return None
    return np.where(chosen, share / chosen.mean(), (1 - share) / (1 - chosen.mean()))


def _roles_score(model: EntityRoleClassifier, examples: Examples) -> dict[str, Any]:
    found = model.predict_roles(examples.inputs)
    main_truth = [m for m, _ in examples.labels]
    fine_truth = [f for _, f in examples.labels]
    main_right = [m == t for (m, _, _), t in zip(found, main_truth, strict=True)]
    exact = [set(f) == set(t) for (_, f, _), t in zip(found, fine_truth, strict=True)]
    blind_like = antagonist_weights(main_truth)
    return {
        "main_role_accuracy": float(np.mean(main_right)),
        "always_antagonist_accuracy": float(np.mean([m == "Antagonist" for m in main_truth])),
        "exact_match_ratio": float(np.mean(exact)),
        "main_role_accuracy_80pct_antagonists": float(np.average(main_right, weights=blind_like)),
        "exact_match_ratio_80pct_antagonists": float(np.average(exact, weights=blind_like)),
        "fine_micro_f1": micro_f1(fine_truth, [f for _, f, _ in found]),
        "per_main_role": per_label([[m] for m in main_truth], [[m] for m, _, _ in found]),
        "per_fine_role": per_label(fine_truth, [f for _, f, _ in found]),
    }


@dataclass(frozen=True)
class Trainer:
    """How to read, fit and score one kind of model."""

    # ``load(data_dir, parse, states)``: genre and narratives read ``states``, the others
    # encode mentions themselves (their states are not one per text).
    load: Callable[[Path, datasets.Parser, MeanStates], Examples]
    fit: Callable[[Examples, int], Any]
    score: Callable[[Any, Examples], dict[str, Any]]
    data: str
    # The final model scored on data of other sources (``shifted_checks`` in the report).
    checks: Callable[[Any, Path, MeanStates], dict[str, Any]] | None = None


TRAINERS: dict[str, Trainer] = {
    "genre": Trainer(
        _genre_load,
        _genre_fit,
        _genre_score,
        "SemEval-2023 Task 3 EN subtask 1 train + PolNeAR train as reporting",
        _genre_checks,
    ),
    "frames": Trainer(
        _frames_load,
        _frames_fit,
        _frames_score,
        "SemEval-2023 Task 3 EN subtask 2 train",
        _frames_checks,
    ),
    "narratives": Trainer(
        _narratives_load,
        _narratives_fit,
        _narratives_score,
        "SemEval-2025 Task 10 EN subtask 2 train + taxonomy; topic gate also PolNeAR train"
        " and PTC train as neither topic",
        _narratives_checks,
    ),
    "roles": Trainer(
        _roles_load, _roles_fit, _roles_score, "SemEval-2025 Task 10 EN subtask 1 train"
    ),
    "cast": Trainer(
        _cast_load,
        _cast_fit,
        _cast_score,
        "SemEval-2025 Task 10 EN subtask 1 train: spaCy entities, cast if annotated",
    ),
}


def train(
    kind: str,
    data_dir: Path,
    out_dir: Path,
    *,
    seed: int = 0,
    parse: datasets.Parser,
    validation_only: bool = False,
    states_cache: Path | None = None,
) -> dict[str, Any]:
    """Validate then train the ``kind`` model; write ``<kind>.npz`` and ``<kind>-validation.json``.

    Parameters
    ----------
    kind : str
        A key of :data:`TRAINERS`.
    data_dir : Path
        Folder holding ``semeval2023-en/`` and ``semeval2025-en/``.
    out_dir : Path
        Where the model and report go.
    seed : int, default=0
        Seed of the validation split and the solvers.
    parse : callable
        ``parse(texts)`` gives their spaCy parses, used by the role model's mention contexts.
    validation_only : bool, default=False
        Save the model fitted on the training part (not refitted on everything), e.g. to
        evaluate it end to end on the held-out documents.
    states_cache : Path or None, default=None
        Folder where texts' mean encoder states are kept between runs (:class:`MeanStates`).

    Returns
    -------
    dict
        The validation report (also written to ``<kind>-validation.json``).
    """
    trainer = TRAINERS[kind]
    began = time.perf_counter()
    states = MeanStates(states_cache)
    examples = trainer.load(data_dir, parse, states)
    train_ids, validation_ids = datasets.split_ids(
        sorted(set(examples.groups)), seed, VALIDATION_FRACTION
    )
    model = trainer.fit(examples.subset(train_ids), seed)
    report: dict[str, Any] = {
        "kind": kind,
        "data": trainer.data,
        "seed": seed,
        "train_documents": len(train_ids),
        "validation_documents": sorted(validation_ids),
        "validation": trainer.score(model, examples.subset(validation_ids)),
    }
    if not validation_only:
        model = trainer.fit(examples, seed)
    report["fitted_on"] = "train part" if validation_only else "all documents"
    if trainer.checks is not None:
        report["shifted_checks"] = trainer.checks(model, data_dir, states)
    report["seconds"] = round(time.perf_counter() - began, 1)
    info = {key: report[key] for key in ("data", "seed", "fitted_on", "train_documents")}
    save_model(kind, model, out_dir, info)
    (out_dir / f"{kind}-validation.json").write_text(
        json.dumps(report, indent=2, sort_keys=True) + "\n"
    )
    return report

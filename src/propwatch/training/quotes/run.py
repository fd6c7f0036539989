"""``propwatch train quotes``: fit, score and write the content tagger the pipeline ships.

1. **Held-out check.** A share of PolNeAR train (seeded, by article) is held out; the tagger is
   fitted on the rest and scored on it beside the rules alone, with the quotes scorer (content
   F1, direct-quote F1, speaker accuracy) and the paired article bootstrap's standard error of
   the F1 difference.
2. **The model.** The tagger is fitted again on all of train (its epoch and ``sure`` level
   chosen on a tenth of it) and written to ``OUT/model`` (ONNX, ``meta.json``,
   ``MODEL_CARD.md``).
3. **Dev.** When DATA has PolNeAR dev, that model is scored there once, the same way; dev
   is never fitted or tuned on.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from propwatch.components.quotes import QuoteTaggerComponent
from propwatch.components.technique_model import default_encoder_version
from propwatch.eval.measures import paired_f1_se
from propwatch.eval.quotes import score_quotes
from propwatch.io.labels.quotes import PredictedQuote
from propwatch.models.quotes import Attribution
from propwatch.models.quotes.learned import FLAGS, META_FILE
from propwatch.text.span import Span
from propwatch.training.quotes.card import model_card
from propwatch.training.quotes.data import Parser, QuoteArticle, load_split
from propwatch.training.quotes.fit import FitSettings, Fitted, fit
from propwatch.training.quotes.model import export_onnx

log = logging.getLogger(__name__)


def predicted(article_id: str, attribution: Attribution) -> PredictedQuote:
    """A quote as the ``quotes-tsv`` writer writes it and the scorer reads it."""
    source = None if attribution.source is None else Span(*attribution.source)
    cue = None if attribution.cue is None else Span(*attribution.cue)
    speaker = " ".join((attribution.speaker or "").split())
    return PredictedQuote(
        article_id, Span(attribution.start, attribution.end), source, cue, speaker, attribution.kind
    )


def with_tagger(articles: Sequence[QuoteArticle], model_dir: Path) -> dict[str, list[Attribution]]:
    """Each article's attributions as the pipeline gives them: the rules', then the tagger's."""
    component = QuoteTaggerComponent(model_dir=str(model_dir))
    return {
        a.id: a.rules
        + [found for found, _ in component.added(a.parsed, a.rules, a.offsets, a.state_rows)]
        for a in articles
    }


def compare(articles: Sequence[QuoteArticle], model_dir: Path) -> dict[str, Any]:
    """Scores of the rules alone and with the tagger on ``articles``, and the F1 difference
    with its paired bootstrap SE."""
    gold = {a.id: a.gold for a in articles}
    systems = {
        "rules": {a.id: a.rules for a in articles},
        "with_tagger": with_tagger(articles, model_dir),
    }
    out: dict[str, Any] = {"articles": len(articles)}
    counts = {}
    for name, found in systems.items():
        quotes = [predicted(i, f) for i, fs in found.items() for f in fs]
        every = score_quotes(quotes, gold, False)
        direct = score_quotes(quotes, gold, True)
        out[name] = {
            "f1": round(every.metrics["f1"], 4),
            "precision": round(every.metrics["precision"], 4),
            "recall": round(every.metrics["recall"], 4),
            "speaker_accuracy": round(every.metrics["speaker_accuracy"], 4),
            "direct_f1": round(direct.metrics["f1"], 4),
        }
        counts[name] = _article_counts(quotes, articles)
    out["f1_difference"] = round(out["with_tagger"]["f1"] - out["rules"]["f1"], 4)
    out["f1_difference_se"] = round(paired_f1_se(counts["rules"], counts["with_tagger"]), 4)
    return out


def _article_counts(quotes: list[PredictedQuote], articles: Sequence[QuoteArticle]) -> np.ndarray:
    """(matched, predicted, gold) of each article."""
    rows = []
    for a in articles:
        mine = [q for q in quotes if q.article_id == a.id]
        c = score_quotes(mine, {a.id: a.gold}, False).counts
        rows.append((c["matched"], c["predicted_quotes"], c["gold_quotes"]))
    return np.array(rows, dtype=np.int64)


def write_model(fitted: Fitted, folder: Path, meta: dict[str, Any]) -> None:
    """The ONNX network and its ``meta.json`` in ``folder``."""
    export_onnx(fitted.net, folder)
    write_meta(folder, meta)


def write_meta(folder: Path, meta: dict[str, Any]) -> None:
    (folder / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def _meta(fitted: Fitted, settings: FitSettings, articles: int) -> dict[str, Any]:
    return {
        "name": "quote_tagger",
        "version": date.today().isoformat(),
        "encoder": default_encoder_version(),
        "flags": list(FLAGS),
        "sure": fitted.sure,
        "min_pieces": settings.min_pieces,
        "epoch": fitted.epoch,
        "settings": asdict(settings),
        "training": {"data": "PolNeAR train", "articles": articles},
        "chosen_on_tenth": {k: round(v, 4) for k, v in fitted.tenth_scores.items()},
    }


def train_quotes(
    data: Path,
    out: Path,
    *,
    settings: FitSettings,
    held_share: float = 1 / 3,
    states_cache: Path | None = None,
    limit: int = 0,
    parse: Parser | None = None,
) -> dict[str, Any]:
    """Run the three steps of the module docstring; return the report (also in
    ``OUT/report.json``)."""
    started = time.perf_counter()
    polnear = data / "polnear"
    train = load_split(polnear / "train", states_cache=states_cache, limit=limit, parse=parse)
    order = np.random.default_rng(settings.seed).permutation(len(train))
    n_held = round(len(train) * held_share)
    held = [train[i] for i in sorted(order[:n_held])]
    rest = [train[i] for i in sorted(order[n_held:])]
    log.info("held-out check: fitting on %d articles, scoring %d", len(rest), len(held))
    check = fit(rest, settings)
    write_model(check, out / "held-out-model", _meta(check, settings, len(rest)))
    report: dict[str, Any] = {"held_out": compare(held, out / "held-out-model")}
    log.info("fitting on all %d training articles", len(train))
    final = fit(train, settings)
    meta = _meta(final, settings, len(train))
    write_model(final, out / "model", meta)
    if (polnear / "dev" / "text").is_dir():
        dev = load_split(polnear / "dev", states_cache=states_cache, limit=limit, parse=parse)
        report["dev"] = compare(dev, out / "model")
    meta["scores"] = report
    write_meta(out / "model", meta)
    (out / "model" / "MODEL_CARD.md").write_text(model_card(meta), encoding="utf-8")
    report["seconds"] = round(time.perf_counter() - started, 1)
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report

"""Score a model folder on validation articles with the official-equivalent scorers.

Writes, under the output folder, the gold subsets of the validation articles and the
predictions produced by the real pipeline (``text`` + ``techniques``) and by ``classify``,
then ``propwatch eval``'s scorers on each pair. The same files can be re-scored by hand, e.g.
``propwatch eval si OUT/val/si.tsv OUT/val/gold-si.tsv``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from propwatch import registry
from propwatch.api import classify_template
from propwatch.eval.result import EvalOptions
from propwatch.eval.runner import evaluate
from propwatch.io.labels.semeval2020 import SpanLabel
from propwatch.io.writers.base import write_tsv_rows
from propwatch.models.techniques.tagger import TechniqueTagger
from propwatch.pipeline import Pipeline
from propwatch.text.analysis import PARAGRAPH_TECHNIQUES, Analysis
from propwatch.text.article import Article
from propwatch.text.span import Span
from propwatch.training.techniques.data import CORPORA, Corpus, load_checkthat2024
from propwatch.training.techniques.tune import paragraph_gold_from_spans


def _analyses(model_dir: Path, corpus: Corpus, val: Sequence[str], scheme: str) -> list[Analysis]:
    pipeline = Pipeline.from_names(
        ["text", "techniques"], {"techniques": {"scheme": scheme, "model_dir": str(model_dir)}}
    )
    return list(pipeline.pipe(Article(id=k, text=corpus.texts[k]) for k in val))


def write_rows(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        write_tsv_rows(stream, rows)
    return path


def _write_format(path: Path, name: str, analyses: list[Analysis]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        registry.writers.get(name).write(analyses, stream)
    return path


def gold_rows(corpus: Corpus, val: Sequence[str]) -> list[tuple[str, str, int, int]]:
    """``(article, technique, start, end)`` of every gold span of the articles ``val``."""
    return [(k, t, s, e) for k in val for s, e, t in sorted(corpus.spans[k])]


def _gold_paragraphs(corpus: Corpus, val: Sequence[str]) -> list[tuple[str, int, str]]:
    texts = {key: corpus.texts[key] for key in val}
    labels = paragraph_gold_from_spans(texts, {key: corpus.spans[key] for key in val})
    return [(key, line, ",".join(names)) for (key, line), names in labels.items()]


def write_classified(
    tagger: TechniqueTagger,
    texts: Mapping[str, str],
    gold: Sequence[tuple[str, str, int, int]],
    scheme: str,
    path: Path,
) -> Path:
    """``classify``'s technique of every gold span of ``scheme``, written to ``path`` (TC)."""
    template = [SpanLabel(k, Span(s, e)) for k, _t, s, e in gold]
    filled = classify_template(texts, template, scheme, tagger)
    rows = [(r.article_id, r.span.label, r.span.start, r.span.end) for r in filled]
    return write_rows(path, rows)


def validate_semeval2020(
    model_dir: Path, corpus: Corpus, val: Sequence[str], out: Path
) -> dict[str, Any]:
    """SI, FLC (pipeline output) and TC (classify on gold spans) scores."""
    analyses = _analyses(model_dir, corpus, val, "semeval2020")
    gold = gold_rows(corpus, val)
    scored = EvalOptions(articles=tuple(val))  # an article without gold spans is scored too
    gold_tc = write_rows(out / "gold-tc.tsv", gold)
    gold_si = write_rows(out / "gold-si.tsv", [(k, s, e) for k, _t, s, e in gold])
    si = _write_format(out / "si.tsv", "semeval-si", analyses)
    flc = _write_format(out / "flc.tsv", "semeval-flc", analyses)
    tagger = TechniqueTagger(model_dir=model_dir).load()
    tc = write_classified(tagger, corpus.texts, gold, "semeval2020", out / "tc.tsv")
    return {
        "si": evaluate("si", si, gold_si, scored).to_dict(),
        "flc": evaluate("flc", flc, gold_tc, scored).to_dict(),
        "tc": evaluate("tc", tc, gold_tc).to_dict(),
    }


def validate_semeval2023(
    model_dir: Path, corpus: Corpus, val: Sequence[str], out: Path
) -> dict[str, Any]:
    """Subtask-3 scores: as written (paragraph scores) and from technique spans alone; SI and
    FLC of the 23-technique spans; TC of the SemEval-2023 techniques on the gold spans (the
    span head, as for SemEval-2020)."""
    analyses = _analyses(model_dir, corpus, val, "semeval2023")
    options = EvalOptions(classes=tuple(corpus.techniques), articles=tuple(val))
    gold = write_rows(out / "gold-st3.txt", _gold_paragraphs(corpus, val))
    written = _write_format(out / "st3.txt", "semeval2023-st3", analyses)
    flc = _write_format(out / "flc-2023.tsv", "semeval-flc", analyses)
    si = _write_format(out / "si-2023.tsv", "semeval-si", analyses)
    for analysis in analyses:
        analysis.labels.pop(PARAGRAPH_TECHNIQUES, None)
    from_spans = _write_format(out / "st3-from-spans.txt", "semeval2023-st3", analyses)
    gold_spans = gold_rows(corpus, val)
    gold_flc = write_rows(out / "gold-tc-2023.tsv", gold_spans)
    gold_si = write_rows(out / "gold-si-2023.tsv", [(k, s, e) for k, _t, s, e in gold_spans])
    tagger = TechniqueTagger(model_dir=model_dir).load()
    tc = write_classified(tagger, corpus.texts, gold_spans, "semeval2023", out / "tc-2023.tsv")
    return {
        "st3": evaluate("st3", written, gold, options).to_dict(),
        "st3_from_spans": evaluate("st3", from_spans, gold, options).to_dict(),
        "si": evaluate("si", si, gold_si, EvalOptions(articles=tuple(val))).to_dict(),
        "flc": evaluate("flc", flc, gold_flc, options).to_dict(),
        "tc": evaluate("tc", tc, gold_flc).to_dict(),
    }


VALIDATORS: dict[str, Callable[[Path, Corpus, Sequence[str], Path], dict[str, Any]]] = {
    "semeval2020": validate_semeval2020,
    "semeval2023": validate_semeval2023,
}


def validate(
    model_dir: Path,
    data_root: Path,
    val: Sequence[str],
    schemes: Sequence[str],
    out: Path,
    split: str = "train",
) -> dict[str, Any]:
    """Scores per scheme of the model in ``model_dir`` on the ids ``val`` of a corpus ``split``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "articles.txt").write_text("".join(f"{k}\n" for k in val))
    return {
        scheme: VALIDATORS[scheme](model_dir, CORPORA[scheme](data_root, split), val, out)
        for scheme in schemes
    }


# config.json key of a technique model whose heads saw the official dev set (``--with-dev``,
# or refitted from such heads): it has no dev score worth the name.
TRAINED_ON_DEV = "trained_on_dev"


def trained_on_dev(model_dir: Path) -> bool:
    """Whether the technique model in ``model_dir`` saw the official dev set in training."""
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    return bool(config.get(TRAINED_ON_DEV))


def validate_checkthat(model_dir: Path, data_root: Path, out: Path) -> dict[str, Any] | None:
    """SemEval-2023 scores on the published CLEF CheckThat! 2024 articles (2023-24 news, the
    well-aligned ones), or ``None`` where ``data_root`` lacks them: news of another time and
    annotation round than the PTC articles, for a model that did not train on them (no
    ``--extra checkthat2024``)."""
    if not (data_root / "checkthat2024-en" / "articles").is_dir():
        return None
    corpus = load_checkthat2024(data_root)
    keys = sorted(corpus.texts)
    out.mkdir(parents=True, exist_ok=True)
    (out / "articles.txt").write_text("".join(f"{k}\n" for k in keys))
    return {"semeval2023": validate_semeval2023(model_dir, corpus, keys, out)}


def validate_dev(model_dir: Path, data_root: Path, out: Path) -> dict[str, Any] | None:
    """Scores on the official dev set (both schemes), or ``None`` where ``data_root`` lacks it.

    The dev set is never trained or tuned on by ``propwatch train techniques``, so these are
    the scores to choose models by (see ``bench/techniques_dev.py``).
    """
    if not (data_root / "ptc2020" / "dev-articles").is_dir():
        return None
    dev = sorted(CORPORA["semeval2020"](data_root, "dev").texts)
    return validate(model_dir, data_root, dev, list(VALIDATORS), out, split="dev")

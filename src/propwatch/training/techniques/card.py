"""Write ``MODEL_CARD.md`` for a trained technique model from its validation report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Models exported before the encoder was recorded in config.json all used this one.
EARLIER_ENCODER = {"name": "all-MiniLM-L6-v2", "layers": 6, "width": 384, "weights": "int8"}
COMMAND = "propwatch train techniques --data ../shared/data --out runs/techniques"
HEADS_COMMAND = "propwatch train techniques --data ../shared/data --out runs/heads --from-model"


def _metric(score: dict[str, Any], name: str) -> str:
    return f"{score['metrics'][name]:.3f}"


def _per_label_table(score: dict[str, Any]) -> list[str]:
    rows = [
        "| technique | precision | recall | F1 | gold | predicted |",
        "|---|---|---|---|---|---|",
    ]
    for row in score.get("per_label", []):
        rows.append(
            f"| {row['label']} | {row['precision']:.3f} | {row['recall']:.3f} | "
            f"{row['f1']:.3f} | {row['support']} | {row['predicted']} |"
        )
    return rows


def _training_time(report: dict[str, Any]) -> list[str]:
    source = report.get("encoder_from")
    if source is None:
        return [f"Training took {report['train_minutes']} minutes on a shared 2-core CPU."]
    return [
        f"The encoder is the one of the model trained that way on {source['encoder_version']};",
        "its heads and thresholds were then fitted again on its states with",
        "",
        "```",
        " \\\n    ".join([f"{HEADS_COMMAND} {source['path']}", *_options(report["settings"])]),
        "```",
    ]


def _score_lines(scores: dict[str, Any]) -> list[str]:
    """Headline scores and per-technique tables of one scored set of articles."""
    lines: list[str] = []
    if "semeval2020" in scores:
        s = scores["semeval2020"]
        lines += [
            "SemEval-2020 (official-equivalent `propwatch eval`):",
            "",
            f"- SI: P {_metric(s['si'], 'precision')}, R {_metric(s['si'], 'recall')}, "
            f"F1 **{_metric(s['si'], 'f1')}**",
            f"- TC (gold spans): micro-F1 **{_metric(s['tc'], s['tc']['official'])}**",
            f"- FLC: F1 {_metric(s['flc'], s['flc']['official'])}",
            "",
            "TC per technique:",
            "",
            *_per_label_table(s["tc"]),
            "",
            "FLC per technique:",
            "",
            *_per_label_table(s["flc"]),
            "",
        ]
    if "semeval2023" in scores:
        s = scores["semeval2023"]
        lines += [
            "SemEval-2023 subtask 3 (paragraph techniques):",
            "",
            f"- as `--format semeval2023-st3` writes it (paragraph scores): micro-F1 "
            f"**{_metric(s['st3'], 'micro_f1')}**, macro-F1 {_metric(s['st3'], 'macro_f1')}",
            f"- from the technique spans alone: micro-F1 "
            f"{_metric(s['st3_from_spans'], 'micro_f1')}",
            f"- FLC on the 23 techniques: F1 {_metric(s['flc'], 'f1')}",
            *(
                [f"- TC of the 23 techniques on the gold spans: micro-F1 {_metric(s['tc'], 'f1')}"]
                if "tc" in s
                else []
            ),
            "",
            "Per technique (as written):",
            "",
            *_per_label_table(s["st3"]),
            "",
        ]
    return lines


def _dev_lines(dev: dict[str, Any] | None) -> list[str]:
    if not dev:
        return []
    return [
        "## Official dev set (never trained, tuned or chosen on by this command)",
        "",
        "The SemEval-2020 Task 11 dev set (75 articles, `ptc2020/dev-*`) and the same articles'",
        "SemEval-2023 span labels (`semeval2023-en/dev-ptc2020`): the scores to compare models by.",
        "",
        *_score_lines(dev),
    ]


def _trained_on_dev(report: dict[str, Any]) -> list[str]:
    if not report.get("trained_on_dev"):
        return []
    return [
        "## Trained on the official dev set too",
        "",
        "The 75 dev articles (`ptc2020/dev-*` with their SemEval-2023 labels) are training",
        "articles of this model, so it has no dev score that is a result. What adding them is",
        "worth was measured beforehand by cross-validation over the dev articles",
        "(`python bench/dev_cv.py`: each third scored by heads fitted with the other two).",
        "",
    ]


def _teacher(teacher: dict[str, Any]) -> str:
    """A teacher as the cards name it: its folder, version and encoder."""
    return f"`{teacher['teacher']}` (version {teacher['version']}, encoder {teacher['encoder']})"


def _distillation(report: dict[str, Any]) -> list[str]:
    teacher = report.get("distilled_from")
    if teacher is None:
        return []
    return [
        f"- Distillation: {teacher['articles']} unlabelled news articles (SemEval-2023 test,",
        "  SemEval-2025 documents, PolNeAR, Hyperpartisan; no PTC article) labelled with the token",
        f"  probabilities of the teacher {_teacher(teacher)}, learnt as soft targets beside",
        "  the gold:",
        f"  {report['settings']['soft_share']} times as many of their windows as gold ones per",
        "  epoch.",
        *_state_distillation(report["settings"]),
    ]


def _head_distillation(report: dict[str, Any]) -> list[str]:
    teacher = report.get("head_distilled_from")
    if teacher is None:
        return []
    return [
        f"- Token-head distillation: the GRU token heads also learnt from {teacher['articles']}",
        "  unlabelled news articles labelled with the token probabilities of the teacher",
        f"  {_teacher(teacher)}, as they are, {teacher['share']} of them per gold article and",
        "  pass; the encoder is the one it was given.",
    ]


def _state_distillation(settings: dict[str, Any]) -> list[str]:
    if not settings.get("state_weight"):
        return []
    return [
        "  The encoder also learnt to map its states onto the teacher's on those articles (a",
        "  linear map, trained with it and not kept; cosine distance weighed",
        f"  {settings['state_weight']} beside the token and span losses).",
    ]


def _span_distillation(report: dict[str, Any]) -> list[str]:
    teacher = report.get("span_distilled_from")
    if teacher is None:
        return []
    return [
        f"- Span distillation: the span head also learnt from {teacher['spans']} spans of",
        f"  {teacher['articles']} unlabelled news articles, found and named by the teacher",
        f"  {_teacher(teacher)}:",
        "  cross-entropy against its span head's distributions, weighed",
        f"  {teacher['weight']} beside the gold spans' (`bench/teacher_spans.py`).",
    ]


def _options(settings: dict[str, Any]) -> list[str]:
    """The command-line options of a run's data and targets, as the user gave them."""
    options = []
    if settings.get("soft_labels"):
        options.append(
            f"--soft-labels {settings['soft_labels']} --soft-share {settings['soft_share']}"
        )
    if settings.get("state_weight"):
        options.append(f"--state-weight {settings['state_weight']}")
    if settings.get("soft_spans"):
        options.append(
            f"--soft-spans {settings['soft_spans']} "
            f"--soft-span-weight {settings['soft_span_weight']}"
        )
    options += [f"--extra {name}" for name in settings.get("extra", ())]
    if settings.get("calibration_folds"):
        options.append(f"--calibration-folds {settings['calibration_folds']}")
    if settings.get("with_dev"):
        options.append("--with-dev")
    return options


def _command(report: dict[str, Any]) -> str:
    """The command that trained the encoder: this run's, unless the run kept another model's
    encoder (its heads' command, with this run's options, follows in the card)."""
    if report.get("encoder_from") is not None:
        return COMMAND
    return " \\\n    ".join([COMMAND, *_options(report["settings"])])


def card_text(report: dict[str, Any], schemes: Sequence[str]) -> str:
    """The model card as Markdown."""
    settings = report["settings"]
    encoder = report.get("encoder", EARLIER_ENCODER)
    lines = [
        "# Technique tagger (propwatch default)",
        "",
        f"Shared {encoder['name']} encoder ({encoder['layers']}-layer, {encoder['width']} wide),",
        (
            f"embeddings and lowest {settings['freeze_layers']} layers frozen,"
            if settings["freeze_layers"]
            else "every layer and the embeddings"
        ),
        "fine-tuned jointly on both schemes,",
        f"exported to ONNX with {encoder['weights']} weights. On top: a token",
        "head (sigmoid per scheme for *inside a technique span* and per technique; once the",
        f"heads are refitted, the mean of {settings.get('head_members', 3)} bidirectional GRUs"
        f" ({settings.get('head_epochs', 12)} passes each) over all token states of the",
        "article, 128 wide per direction, seeds seed, seed+1, ..., ONNX) and a span head (MLP over",
        "mean/max/first token states of a span + features, softmax per scheme).",
        "Token features the uncased encoder cannot see: all-caps, title case, inside quotes, title",
        "line, word/bigram repeated in the article, log word count (helps Repetition). The title",
        "line is the first line when the text goes on after it and it has at most 40 words.",
        "Articles are read whole in overlapping windows "
        f"({settings['window']} wordpieces, stride {settings['stride']}); a token in two windows",
        "gets the mean of its two states.",
        "",
        *(
            [
                "After fine-tuning, the span head was refitted and the GRU token head trained on",
                "the int8 encoder's states of the training articles (encoder fixed), several",
                "passes each; the linear token head trained with the encoder is no longer used.",
                "",
            ]
            if report.get("heads_refitted")
            else []
        ),
        "Decoding: tokens whose span score (the mean of both schemes' *inside a span*",
        "probabilities and the scheme's highest technique probability) passes a tuned threshold",
        "form runs (merged over small gaps, never across a line break, widened to whole words);",
        "the span head names each run's technique; inside each run, fragments whose own",
        "probability of another technique passes the `technique` threshold become spans of that",
        "technique too, so one fragment may carry several techniques, each with its own score.",
        "Paragraph techniques (SemEval-2023 subtask 3,",
        "label `paragraph_techniques`) are the techniques whose highest token probability in the",
        "paragraph passes a per-technique threshold. All thresholds were tuned on the validation",
        "split (so its scores below are somewhat optimistic).",
        "",
        "## Data",
        "",
        "- SemEval-2020 Task 11 PTC training articles (14 techniques) and SemEval-2023 Task 3",
        "  English subtask-3 span labels (23 techniques) on the same 371 articles.",
        *(
            ["- The official dev set's 75 articles, both schemes (`--with-dev`), never held out."]
            if settings.get("with_dev")
            else []
        ),
        f"- Validation: {report['val_articles']} articles ({settings['val_fraction']:.0%}, seeded "
        f"shuffle, seed {settings['seed']}); training: {report['train_articles']} articles.",
        *_distillation(report),
        *_head_distillation(report),
        *_span_distillation(report),
        "",
        "## Reproduce",
        "",
        "```",
        _command(report),
        "```",
        "",
        f"Seed {settings['seed']}, {settings['epochs']} epochs (or the",
        f"{settings['max_minutes']}-minute budget, whichever ends first), batch",
        f"{settings['batch_size']}, encoder lr {settings['encoder_lr']}, head lr",
        f"{settings['head_lr']}, {settings['threads']} CPU threads.",
        *_training_time(report),
        "",
        *_dev_lines(report.get("dev_scores")),
        *_trained_on_dev(report),
        "## Validation scores (held-out training articles, where the thresholds were tuned)",
        "",
        *_score_lines(report["scores"]),
    ]
    lines += [
        "## Known weaknesses",
        "",
        "- Span boundaries are loose (FLC, which needs both the span and its technique, is far",
        "  below SI); rare techniques (fewer than ~20 validation examples) are rarely found.",
        "- Training saw each window 2-3 times on a busy 2-core CPU; the schedule follows the",
        "  time budget, so a faster machine takes more steps and gives slightly different weights.",
        "- The GRU heads learn from the encoder's states of its own training articles, which it",
        "  has partly memorised; states of new articles are noisier.",
        "- Thresholds are tuned on the same validation articles the scores come from.",
        "",
    ]
    return "\n".join(lines)


def write_card(model_dir: Path, report: dict[str, Any], schemes: Sequence[str]) -> None:
    (model_dir / "MODEL_CARD.md").write_text(card_text(report, schemes), encoding="utf-8")

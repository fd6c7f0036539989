"""The content tagger's ``MODEL_CARD.md``, written from its ``meta.json``."""

from __future__ import annotations

from typing import Any

ROWS = (
    ("all attributions F1", "f1"),
    ("precision", "precision"),
    ("recall", "recall"),
    ("direct quotes F1", "direct_f1"),
    ("speaker accuracy", "speaker_accuracy"),
)


def _table(scores: dict[str, Any]) -> list[str]:
    lines = ["| measure | rules alone | rules and tagger |", "|---|---|---|"]
    for label, key in ROWS:
        lines.append(f"| {label} | {scores['rules'][key]:.3f} | {scores['with_tagger'][key]:.3f} |")
    diff, se = scores["f1_difference"], scores["f1_difference_se"]
    lines.append(f"\nF1 difference {diff:+.4f}, paired article bootstrap SE {se:.4f}.")
    return lines


def model_card(meta: dict[str, Any]) -> str:
    """Markdown: what the model is, its data and settings, and its held-out and dev scores."""
    settings = meta["settings"]
    scores = meta.get("scores", {})
    lines = [
        f"# Quote content tagger {meta['version']}",
        "",
        "Tags, B/I/O per wordpiece, the contents of reported speech and the mentions of their",
        "sources, for the `quote_tagger` component, which adds the contents to the rules'",
        f"quotes where no rule quote lies. A linear projection to {settings['hidden']} inputs and",
        f"a bidirectional GRU of {settings['hidden']} units each way read the technique",
        f"encoder's states (encoder `{meta['encoder']}`) and {len(meta['flags'])} cue flags: "
        f"{', '.join(meta['flags'])}.",
        "",
        f"- Trained on {meta['training']['data']} ({meta['training']['articles']} articles), "
        f"seed {settings['seed']}, epoch {meta['epoch']} of {settings['epochs']} (chosen on a "
        "tenth of the articles by the contents' F1 alone).",
        f"- A content joins the rules' quotes when its mean content probability is at least "
        f"{meta['sure']} (chosen on the same tenth), it overlaps no rule quote and a speaker is "
        "found: a tagged source before it in its paragraph or in its sentences, the subject of "
        "its verb, or the last rule speaker of its paragraph "
        "(`propwatch.models.quotes.tagged`).",
        "- Reproduce: `propwatch train quotes --data ../shared/data --out OUT`.",
    ]
    if "held_out" in scores:
        held = scores["held_out"]
        lines += [
            "",
            f"## Held-out PolNeAR train articles ({held['articles']})",
            "",
            "Fitted on the other training articles only.",
            "",
            *_table(held),
        ]
    if "dev" in scores:
        dev = scores["dev"]
        title = f"## PolNeAR dev ({dev['articles']} articles, never fitted or tuned on)"
        lines += ["", title, "", *_table(dev)]
    return "\n".join(lines) + "\n"

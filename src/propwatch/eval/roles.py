"""``roles``: SemEval-2025 Task 10 subtask 1 (entity framing), as ``subtask1_scorer.py``.

Mentions are matched by (document id, start, end); predictions must list exactly the gold
mentions. Metrics:

- ``emr`` (official): exact match ratio, the share of gold mentions whose predicted set of
  fine-grained roles equals the gold set (order and repeats ignored; the main role is not
  compared);
- ``micro_precision``/``micro_recall``/``micro_f1`` of fine roles over the binarized role sets
  of all mentions (labels seen in either file, ``zero_division=1``);
- ``main_role_accuracy``: share of mentions whose main role is right.

Differences from the official code: it keys mentions by (document, mention text without ``"``,
start, end); the text is left out here because offsets already identify a mention. It pairs
main roles and role sets in file order rather than by key, which gives wrong numbers when the
two files list mentions in different orders; here they are paired by key.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from propwatch.errors import ScoringError
from propwatch.eval.result import EvalOptions, Score, index_unique, label_rows, require_same_keys
from propwatch.io.labels.semeval2025 import EntityMention, read_entity_mentions
from propwatch.registry import scorers

MAIN_ROLES = ("Protagonist", "Antagonist", "Innocent")


def _key(mention: EntityMention) -> tuple[str, int, int]:
    return (mention.doc_id, mention.start, mention.end)


def score_roles(pred: Sequence[EntityMention], gold: Sequence[EntityMention]) -> Score:
    """Score predicted roles of the gold mentions.

    Raises
    ------
    ScoringError
        When the mention sets differ, a mention is listed twice, or a predicted main role is
        not Protagonist, Antagonist or Innocent.
    """
    gold_table = index_unique(gold, _key, "gold")
    pred_table = index_unique(pred, _key, "predictions")
    require_same_keys(gold_table, pred_table, "mentions")
    if not gold_table:
        raise ScoringError("gold has no mentions")
    invalid = sorted({m.main_role for m in pred} - set(MAIN_ROLES))
    if invalid:
        raise ScoringError(f"predicted main roles not in {', '.join(MAIN_ROLES)}: {invalid}")
    keys = list(gold_table)
    gold_sets = [set(gold_table[k].fine_roles) for k in keys]
    pred_sets = [set(pred_table[k].fine_roles) for k in keys]
    emr = sum(g == p for g, p in zip(gold_sets, pred_sets, strict=True)) / len(keys)
    labels = sorted(set().union(*gold_sets, *pred_sets))
    # Imported here: scikit-learn takes about a second to import.
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support
    from sklearn.preprocessing import MultiLabelBinarizer

    binarizer = MultiLabelBinarizer(classes=labels).fit([])
    y_true, y_pred = binarizer.transform(gold_sets), binarizer.transform(pred_sets)
    micro = precision_recall_fscore_support(y_true, y_pred, average="micro", zero_division=1)
    p, r, f, support = precision_recall_fscore_support(
        y_true, y_pred, average=None, zero_division=1
    )
    main_accuracy = accuracy_score(
        [gold_table[k].main_role for k in keys], [pred_table[k].main_role for k in keys]
    )
    return Score(
        kind="roles",
        official="emr",
        metrics={
            "emr": emr,
            "micro_f1": float(micro[2]),
            "micro_precision": float(micro[0]),
            "micro_recall": float(micro[1]),
            "main_role_accuracy": float(main_accuracy),
        },
        counts={"mentions": len(keys)},
        per_label=label_rows(labels, p, r, f, support, y_pred.sum(axis=0)),
    )


@scorers.register("roles")
def score_role_files(pred: Path, gold: Path, options: EvalOptions) -> Score:
    """SemEval-2025 subtask 1: exact match of fine-role sets, main-role accuracy."""
    return score_roles(read_entity_mentions(pred), read_entity_mentions(gold))

"""Multi-label F1 over binarized label sets, as the SemEval-2023 subtask 2 and 3 scorers do.

Both official scorers binarize gold and predicted label sets with ``MultiLabelBinarizer``
fitted on the task's class list, then report sklearn ``f1_score`` with ``average="micro"``
(official) and ``"macro"``, both with ``zero_division=1``. With ``zero_division=1`` a class
absent from both gold and predictions scores F1 = 1 in the macro average, so macro-F1 depends
on the class list: pass the task's list (``frames.txt``, ``techniques.txt``) to reproduce the
official macro figure; without it the labels seen in either file are used. Micro-F1 does not
depend on the list.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

from propwatch.errors import ScoringError
from propwatch.eval.result import Score, label_rows, require_same_keys

K = TypeVar("K", bound=Hashable)


def score_label_sets(
    kind: str,
    pred: Mapping[K, Sequence[str]],
    gold: Mapping[K, Sequence[str]],
    classes: Sequence[str] | None,
    items: str,
) -> Score:
    """Micro- and macro-F1 of predicted label sets against gold label sets.

    Parameters
    ----------
    kind : str
        Scorer name for the result.
    pred, gold : mapping of item key to labels
        Label sets per item (article or paragraph); the keys must be identical.
    classes : sequence of str or None
        The task's class list; predicted labels outside it are refused (as officially) and
        gold labels outside it are ignored (as ``MultiLabelBinarizer`` does), with a note.
    items : str
        Plural name of the items, for messages.

    Raises
    ------
    ScoringError
        When the keys differ or a predicted label is not in ``classes``.
    """
    require_same_keys(gold, pred, items)
    notes: tuple[str, ...] = ()
    if classes is None:
        classes = sorted({label for labels in (*gold.values(), *pred.values()) for label in labels})
    else:
        allowed = set(classes)
        invalid = sorted({label for labels in pred.values() for label in labels} - allowed)
        if invalid:
            raise ScoringError(f"predicted labels not in the class list: {', '.join(invalid)}")
        ignored = sorted({label for labels in gold.values() for label in labels} - allowed)
        if ignored:
            notes = (f"gold labels not in the class list were ignored: {', '.join(ignored)}",)
    # Imported here: scikit-learn takes about a second to import.
    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.preprocessing import MultiLabelBinarizer

    binarizer = MultiLabelBinarizer(classes=list(classes))
    binarizer.fit([])
    keep = set(classes)
    y_true = binarizer.transform([[x for x in gold[key] if x in keep] for key in gold])
    y_pred = binarizer.transform([pred[key] for key in gold])
    micro = precision_recall_fscore_support(y_true, y_pred, average="micro", zero_division=1)
    p, r, f, support = precision_recall_fscore_support(
        y_true, y_pred, average=None, zero_division=1
    )
    return Score(
        kind=kind,
        official="micro_f1",
        metrics={
            "micro_f1": float(micro[2]),
            "macro_f1": float(f.mean()) if len(f) else 1.0,
            "micro_precision": float(micro[0]),
            "micro_recall": float(micro[1]),
        },
        counts={
            items: len(gold),
            "gold_labels": int(y_true.sum()),
            "predicted_labels": int(y_pred.sum()),
        },
        per_label=label_rows(list(classes), p, r, f, support, y_pred.sum(axis=0)),
        notes=notes,
    )

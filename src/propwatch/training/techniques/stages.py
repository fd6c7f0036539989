"""The distillation chain in one call: teacher, its labels on unlabelled news, student.

Each stage writes its own folder under ``out`` and is skipped when that folder holds a finished
result, resumed when it holds one in progress; so one command, run again after an interruption
(a teacher takes hours on two cores), carries on where it stopped:

``out/teacher``         a model trained from the large encoder (float weights; see run.py)
``out/teacher-labels``  its token probabilities (and states) on unlabelled news (distil.py)
``out/student``         the fast model trained on the gold and those soft labels
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from propwatch.models.techniques.tagger import TechniqueTagger
from propwatch.training.techniques.distil import label_news, unlabelled_news
from propwatch.training.techniques.fit import PROGRESS_FILE, TrainSettings
from propwatch.training.techniques.run import run_training

log = logging.getLogger(__name__)

REPORT = Path("val") / "report.json"  # written last by a finished training run


def _train_stage(
    data_root: Path, out: Path, schemes: Sequence[str], settings: TrainSettings
) -> None:
    if (out / REPORT).is_file():
        log.info("%s is finished; kept", out)
        return
    resume = (out / "checkpoint" / PROGRESS_FILE).is_file()
    run_training(data_root, out, schemes, settings, resume=resume)


def run_distillation(
    data_root: Path,
    out: Path,
    schemes: Sequence[str],
    teacher: TrainSettings,
    student: TrainSettings,
) -> dict[str, Any]:
    """Train (or resume) the teacher, label the unlabelled news with it, train the student.

    ``teacher`` and ``student`` are the two runs' settings; the student's ``soft_labels`` is
    set here, and the teacher's states are kept with its labels when the student learns from
    them (``state_weight``). Returns where each stage's output is.
    """
    # A teacher keeps float weights and learns from the gold alone.
    teacher = replace(teacher, quantize=False, soft_labels="", state_weight=0.0)
    _train_stage(data_root, out / "teacher", schemes, teacher)
    labels = out / "teacher-labels"
    tagger = TechniqueTagger(model_dir=out / "teacher" / "model", threads=teacher.threads).load()
    states = student.state_weight > 0
    count = label_news(tagger, unlabelled_news(data_root), labels, states=states)
    log.info("%d articles labelled by the teacher", count)
    _train_stage(data_root, out / "student", schemes, replace(student, soft_labels=str(labels)))
    return {
        "teacher": str(out / "teacher" / "model"),
        "teacher_labels": str(labels),
        "labelled_articles": count,
        "student": str(out / "student" / "model"),
    }

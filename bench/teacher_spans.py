"""Label the spans of unlabelled news with a teacher's span head (span distillation, step 1).

Reads the texts of a ``propwatch train teacher-labels`` folder (the unlabelled news its teacher
read, each once, no PTC title), runs the teacher over them in a seeded random order and writes
its candidate spans and span distributions (see ``propwatch.training.techniques.span_distil``).
Resumable: run it again to continue; ``--minutes`` bounds one call. Step 2 is
``bench/techniques_heads.py ... --soft-spans OUT``.

Usage::

    python bench/teacher_spans.py /work/runs/teacher-labels OUT \\
        --teacher /work/runs/cheap-mpnet/model [--minutes 60] [--threads 2]
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import numpy as np

from propwatch.models.techniques.tagger import TechniqueTagger
from propwatch.training.techniques.distil import label_files
from propwatch.training.techniques.span_distil import label_spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("texts", type=Path, help="A teacher-labels folder (its texts are read).")
    parser.add_argument("out", type=Path, help="Folder of the span labels.")
    parser.add_argument("--teacher", type=Path, required=True, help="Teacher model folder.")
    parser.add_argument("--minutes", type=float, default=0.0, help="Time budget (0: none).")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    texts = {}
    for path in label_files(args.texts):
        with np.load(path) as saved:
            texts[str(saved["key"])] = str(saved["text"])
    teacher = TechniqueTagger(model_dir=args.teacher, threads=args.threads).load()
    count = label_spans(teacher, texts, args.out, args.minutes)
    print(f"{count} of {len(texts)} articles labelled in {args.out}")


if __name__ == "__main__":
    main()

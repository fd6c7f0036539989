"""Label the spans of unlabelled news with a teacher's span head (span distillation, step 1).

Reads the texts of a ``propwatch train teacher-labels`` folder (the unlabelled news its teacher
read, each once, no PTC title), runs the teacher over them in a seeded random order and writes
its candidate spans and span distributions (see ``propwatch.training.techniques.span_distil``).
Resumable: run it again to continue; ``--minutes`` bounds one call. Step 2 is
``bench/techniques_heads.py ... --soft-spans OUT`` (or ``propwatch train techniques
--from-model ... --soft-spans OUT``).

Measured 6 Dec 2026 (the MPNet teacher ``/work/runs/cheap-mpnet/model``, 55 minutes at nice 19
on the shared 2-core machine: 1,199 of the 1,918 articles, 32,746 spans; then
``bench/techniques_heads.py ../shared/data OUT --model src/propwatch/data/models/techniques
--epochs 0 [--soft-spans OUT --soft-span-weight W]`` and ``bench/dev_bootstrap.py`` against the
same refit without them): dev TC 0.5786 -> 0.6040 at weight 0.5 (+0.025, SE 0.013), 0.6021 at
1 (+0.024, SE 0.015), 0.5964 at 2 (+0.018, SE 0.014); TC on the held-out training articles,
where the span calibration is fitted, 0.746 -> 0.733, 0.724, 0.723. The span head alone
(no calibration, ``bench/span_head_accuracy.py ../shared/data BASE RUN``) gains more on dev:
0.537 -> 0.571, 0.575, 0.580 (+0.034, +0.038, +0.043; SE 0.013-0.015), and nothing on the
held-out articles (0.648 -> 0.651, 0.651, 0.648; SE 0.014). Then, once, with all 1,918
articles (52,511 spans, 20 more minutes) at weight 0.5: dev TC 0.5786 -> 0.6030 (+0.0245,
SE 0.0084), held-out TC 0.746 -> 0.729; the span head alone dev 0.537 -> 0.578 (+0.041,
SE 0.012), held-out 0.648 -> 0.661 (+0.013, SE 0.013). The weight was chosen on dev.

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

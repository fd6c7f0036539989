"""The content tagger's network (torch, for training) and its export to ONNX."""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import numpy as np
import torch
from torch import nn

from propwatch.models.quotes.learned import ONNX_FILE, SOURCE

ONNX_OPSET = 17


class ContentGRU(nn.Module):
    """A linear projection, a bidirectional GRU and two B/I/O output sets per wordpiece: a
    content's O, B, I, then a source's.

    The projection comes first because the recurrent steps are sequential: on one thread
    they cost far less at ``hidden`` inputs than at the encoder's 384.
    """

    def __init__(self, n_inputs: int, hidden: int, dropout: float = 0.2) -> None:
        super().__init__()
        self.drop = nn.Dropout(dropout)
        self.project = nn.Linear(n_inputs, hidden)
        self.gru = nn.GRU(hidden, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, 2 * SOURCE)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        """Logits of shape (batch, length, 6)."""
        states, _ = self.gru(torch.relu(self.project(self.drop(inputs))))
        return self.out(self.drop(states))


class _Probabilities(nn.Module):
    """The network with a softmax over each tag set, as the run-time model answers."""

    def __init__(self, net: ContentGRU) -> None:
        super().__init__()
        self.net = net

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        logits = self.net(inputs)
        content, source = logits[..., :SOURCE], logits[..., SOURCE:]
        return torch.cat([torch.softmax(content, dim=-1), torch.softmax(source, dim=-1)], dim=-1)


def probabilities(net: ContentGRU, inputs: np.ndarray) -> np.ndarray:
    """Content then source O/B/I probabilities of one sequence of inputs (n, n_inputs), with
    torch: shape (n, 6)."""
    net.eval()
    with torch.no_grad():
        return _Probabilities(net)(torch.from_numpy(inputs)[None])[0].numpy()


def export_onnx(net: ContentGRU, folder: Path) -> Path:
    """Write ``folder/content_tagger.onnx`` (input ``inputs``, output ``probs``; batch of one,
    any length)."""
    import onnx

    net.eval()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ONNX_FILE
    dummy = torch.zeros((1, 8, net.project.in_features))
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / ONNX_FILE
        # The legacy exporter writes the GRU as one ONNX GRU node. Its warnings are about
        # batches of several sequences (the tagger runs one at a time), tracing and its own
        # deprecation; tests compare the ONNX model's probabilities with torch's.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _export(net, dummy, plain)
        onnx.save(onnx.load(str(plain)), str(path))  # one file, no external data
    return path


def _export(net: ContentGRU, dummy: torch.Tensor, path: Path) -> None:
    torch.onnx.export(
        _Probabilities(net),
        (dummy,),
        str(path),
        input_names=["inputs"],
        output_names=["probs"],
        dynamic_axes={"inputs": {1: "length"}, "probs": {1: "length"}},
        opset_version=ONNX_OPSET,
        dynamo=False,
    )

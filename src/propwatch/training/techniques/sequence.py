"""Train the sequence token head (a bidirectional GRU) on fixed encoder states; export to ONNX."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from numpy.typing import NDArray
from torch import nn

from propwatch.models.techniques.sequence import INPUT_NAME, OUTPUT_NAME
from propwatch.training.techniques.export import ONNX_OPSET
from propwatch.training.techniques.fit import epoch_windows


class TokenGRU(nn.Module):
    """Input dropout, a bidirectional GRU, then a linear layer over ``[GRU state, input]``.

    Parameters
    ----------
    n_inputs : int
        Width of a token's input (encoder state and token features).
    n_outputs : int
        Token-head columns (see :class:`~propwatch.models.techniques.layout.Layout`).
    hidden : int
        GRU width per direction.
    """

    def __init__(self, n_inputs: int, n_outputs: int, hidden: int = 128, dropout: float = 0.2):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.gru = nn.GRU(n_inputs, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden + n_inputs, n_outputs)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        """Logits of shape (batch, length, n_outputs) for inputs (batch, length, n_inputs)."""
        inputs = self.dropout(inputs)
        context, _ = self.gru(inputs)
        return self.out(torch.cat([context, inputs], dim=-1))


Chunk = tuple[int, int, int]  # article index, first token, last token (exclusive)


def _chunks(
    lengths: Sequence[int], chosen: Sequence[int], size: int, rng: np.random.Generator
) -> list[Chunk]:
    """Cut the ``chosen`` articles into pieces of at most ``size`` tokens, at a random phase
    per pass."""
    out: list[Chunk] = []
    for index in chosen:
        length = lengths[index]
        phase = int(rng.integers(0, size))
        cuts = sorted({0, *range(phase, length, size)} - {length})
        out.extend((index, a, b) for a, b in zip(cuts, [*cuts[1:], length], strict=True))
    return out


def _padded(
    chunks: Sequence[Chunk],
    inputs: Sequence[torch.Tensor],
    targets: Sequence[torch.Tensor],
    columns: Sequence[torch.Tensor],
    n_gold: int,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Batch tensors (x, y, weights, soft) padded to the longest chunk.

    ``weights`` is 1 for the real tokens of a chunk in the columns its article is labelled in;
    ``soft`` (batch, 1, 1) is 1 for the chunks of teacher-labelled articles (index ``n_gold``
    and beyond).
    """
    length = max(b - a for _i, a, b in chunks)
    x = torch.zeros(len(chunks), length, inputs[0].shape[1])
    y = torch.zeros(len(chunks), length, targets[0].shape[1])
    weights = torch.zeros(len(chunks), length, targets[0].shape[1])
    soft = torch.tensor([float(index >= n_gold) for index, _a, _b in chunks]).view(-1, 1, 1)
    for row, (index, a, b) in enumerate(chunks):
        x[row, : b - a] = inputs[index][a:b]
        y[row, : b - a] = targets[index][a:b]
        weights[row, : b - a] = columns[index]
    return x, y, weights, soft


class TokenGRUEnsemble(nn.Module):
    """Mean logits of :class:`TokenGRU` members trained from different seeds.

    One member's span decisions move by about a point of SI F1 from seed to seed; the mean of
    three is steadier and better than each of them.
    """

    def __init__(self, members: Sequence[TokenGRU]) -> None:
        super().__init__()
        self.members = nn.ModuleList(members)
        self.n_inputs = members[0].gru.input_size

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        """Logits of shape (batch, length, n_outputs)."""
        return torch.stack([member(inputs) for member in self.members]).mean(0)


@dataclass(frozen=True)
class SoftArticles:
    """Teacher-labelled articles for the token head (see :mod:`.distil`): their inputs, the
    teacher's token probabilities as targets, and how many of them a pass reads per gold
    article (``share``)."""

    inputs: Sequence[NDArray[np.float32]]
    targets: Sequence[NDArray[np.float32]]
    share: float = 1.0


def _fit_member(
    inputs: Sequence[torch.Tensor],
    targets: Sequence[torch.Tensor],
    columns: Sequence[torch.Tensor],
    n_gold: int,
    share: float,
    pos_weight: NDArray[np.float32],
    seed: int,
    epochs: int,
    chunk: int,
    batch_size: int,
) -> TokenGRU:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = TokenGRU(inputs[0].shape[1], targets[0].shape[1])
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
    # Gold targets with the positive-class weight, a teacher's probabilities as they are.
    gold_loss = nn.BCEWithLogitsLoss(pos_weight=torch.from_numpy(pos_weight), reduction="none")
    soft_loss = nn.BCEWithLogitsLoss(reduction="none")
    lengths = [len(y) for y in targets]
    gold, soft = list(range(n_gold)), list(range(n_gold, len(targets)))
    model.train()
    for epoch in range(epochs):
        chosen = epoch_windows(gold, soft, epoch, share, seed)
        chunks = _chunks(lengths, chosen, chunk, rng)
        order = rng.permutation(len(chunks))
        for start in range(0, len(chunks), batch_size):
            batch = [chunks[i] for i in order[start : start + batch_size]]
            x, y, weights, is_soft = _padded(batch, inputs, targets, columns, n_gold)
            optimizer.zero_grad()
            logits = model(x)
            per_token = gold_loss(logits, y)
            if soft:
                per_token = torch.where(is_soft > 0, soft_loss(logits, y), per_token)
            value = (per_token * weights).sum() / weights.sum()
            value.backward()
            optimizer.step()
    return model.eval()


def fit_token_gru(
    inputs: Sequence[NDArray[np.float32]],
    targets: Sequence[NDArray[np.float32]],
    pos_weight: NDArray[np.float32],
    seed: int,
    columns: Sequence[NDArray[np.float32]] | None = None,
    members: int = 3,
    epochs: int = 12,
    chunk: int = 256,
    batch_size: int = 16,
    soft: SoftArticles | None = None,
) -> TokenGRUEnsemble:
    """Fit ``members`` :class:`TokenGRU` heads (seeds ``seed``, ``seed + 1``, ...) on articles.

    Each pass cuts the articles into chunks of at most ``chunk`` tokens at a random phase and
    visits them in batches of ``batch_size``.

    Parameters
    ----------
    inputs : sequence of ndarray, each of shape (n_tokens, n_inputs)
        Encoder state and token features of every token of each article.
    targets : sequence of ndarray, each of shape (n_tokens, n_outputs)
    pos_weight : ndarray of shape (n_outputs,)
        Positive-class weights of the token loss.
    columns : sequence of ndarray, each of shape (n_outputs,), optional
        Per article, 1 for the columns it is labelled in (see ``Example.columns``); all by
        default.
    soft : SoftArticles or None, default=None
        Teacher-labelled articles (every column labelled, no positive-class weight); each
        pass reads every gold article and the pass's slice of these, ``soft.share`` times as
        many (see :func:`.fit.epoch_windows`), so successive passes read different ones.
    """
    n_gold, n_out = len(targets), targets[0].shape[1]
    c_all = [torch.from_numpy(c) for c in columns] if columns else [torch.ones(n_out)] * n_gold
    x_all = [torch.from_numpy(x) for x in inputs]
    y_all = [torch.from_numpy(y) for y in targets]
    if soft is not None:
        x_all += [torch.from_numpy(x) for x in soft.inputs]
        y_all += [torch.from_numpy(y) for y in soft.targets]
        c_all += [torch.ones(n_out)] * len(soft.targets)
    share = soft.share if soft is not None else 0.0
    # One thread: the GRU's small steps gain 15% from a second thread on an idle 2-core
    # machine but take 4-20 times longer with it when other work holds the cores (torch's
    # threads wait for each other), measured 6 Dec 2026.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        members_fitted = [
            _fit_member(
                x_all, y_all, c_all, n_gold, share, pos_weight, seed + i, epochs, chunk, batch_size
            )
            for i in range(members)
        ]
    finally:
        torch.set_num_threads(threads)
    return TokenGRUEnsemble(members_fitted).eval()


def export_token_gru(model: TokenGRUEnsemble, path: Path) -> None:
    """Write ``model`` as ONNX (float32) with a dynamic token axis and a batch of one."""
    with warnings.catch_warnings():
        # The exporter warns that a GRU run with another batch size may fail: inference
        # always passes one article.
        warnings.filterwarnings("ignore", message=".*batch_size other than 1", category=UserWarning)
        torch.onnx.export(
            model.eval(),
            (torch.zeros(1, 7, model.n_inputs),),
            str(path),
            input_names=[INPUT_NAME],
            output_names=[OUTPUT_NAME],
            dynamic_axes={INPUT_NAME: {1: "tokens"}, OUTPUT_NAME: {1: "tokens"}},
            opset_version=ONNX_OPSET,
            dynamo=False,
        )

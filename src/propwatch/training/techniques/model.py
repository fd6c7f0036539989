"""The torch network trained here: a BERT encoder plus the heads of ``heads.py``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import torch
from torch import nn

from propwatch.models.techniques.heads import Heads
from propwatch.models.techniques.layout import Layout


class TechniqueNet(nn.Module):
    """Encoder + token head + span head.

    Parameters
    ----------
    encoder : transformers.PreTrainedModel
        A BERT-style encoder returning ``last_hidden_state``.
    layout : Layout
        Column layout of the token head and span classes per scheme.
    n_features : int
        Width of the per-token feature vector.
    span_hidden : int
        Width of the span MLP's hidden layer.
    dropout : float
        Dropout before both heads.
    teacher_size : int, default=0
        Width of a teacher's states: a linear map of this encoder's states onto them is
        trained with the rest (state distillation) and never exported; 0 for none.
    """

    def __init__(
        self,
        encoder: Any,
        layout: Layout,
        n_features: int,
        span_hidden: int,
        dropout: float,
        teacher_size: int = 0,
    ) -> None:
        super().__init__()
        size = int(encoder.config.hidden_size)
        self.encoder: Any = encoder  # a transformers model; its attributes are untyped
        self.dropout = nn.Dropout(dropout)
        self.token_head = nn.Linear(size + n_features, layout.n_token_outputs)
        self.span_hidden = nn.Linear(3 * size + n_features + 1, span_hidden)
        self.span_out = nn.ModuleDict(
            {s: nn.Linear(span_hidden, len(layout.techniques[s])) for s in layout.schemes}
        )
        self.state_map = nn.Linear(size, teacher_size) if teacher_size else None

    def encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Hidden states, shape (batch, length, hidden_size)."""
        return self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    def token_logits(self, hidden: torch.Tensor, features: torch.Tensor) -> torch.Tensor:
        return self.token_head(self.dropout(torch.cat([hidden, features], dim=-1)))

    def span_logits(
        self,
        hidden: torch.Tensor,
        features: torch.Tensor,
        spans: Sequence[tuple[int, int, int]],
        scheme: str,
    ) -> torch.Tensor:
        """Logits of spans given as (row, first, last) into ``hidden``; twin of ``span_vector``."""
        vectors = []
        for row, first, last in spans:
            states = hidden[row, first:last]
            length = torch.tensor([np.log1p(last - first) / 5.0], dtype=hidden.dtype)
            pooled = [
                states.mean(0),
                states.max(0).values,
                states[0],
                features[row, first:last].mean(0),
                length,
            ]
            vectors.append(torch.cat(pooled))
        inner = torch.relu(self.span_hidden(self.dropout(torch.stack(vectors))))
        return self.span_out[scheme](inner)

    def heads(self) -> Heads:
        """The head weights as numpy arrays for inference."""

        def arr(t: torch.Tensor) -> np.ndarray:
            return t.detach().cpu().numpy().astype(np.float32)

        return Heads(
            token_w=arr(self.token_head.weight.T),
            token_b=arr(self.token_head.bias),
            span_w=arr(self.span_hidden.weight.T),
            span_b=arr(self.span_hidden.bias),
            span_out={
                s: (arr(cast(nn.Linear, m).weight.T), arr(cast(nn.Linear, m).bias))
                for s, m in self.span_out.items()
            },
        )

"""Write a trained :class:`TechniqueNet` as an inference model folder (ONNX int8 + numpy heads)."""

from __future__ import annotations

import inspect
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from propwatch.models.techniques.layout import Layout
from propwatch.training.techniques.model import TechniqueNet

ONNX_OPSET = 17


class _EncoderOnly(nn.Module):
    """The encoder with a plain tensor signature, as ONNX export needs."""

    def __init__(self, encoder: nn.Module) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state


class _EncoderWithTypes(_EncoderOnly):
    """BERT-style encoders take segment ids as well (all zeros here: one segment per window)."""

    def forward(  # type: ignore[override]
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> torch.Tensor:
        out = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        )
        return out.last_hidden_state


def encoder_inputs(encoder: nn.Module) -> list[str]:
    """The ONNX input names of ``encoder``: MPNet has no segment ids, BERT-style models do."""
    takes_types = "token_type_ids" in inspect.signature(encoder.forward).parameters
    return ["input_ids", "attention_mask", *(["token_type_ids"] if takes_types else [])]


def export_encoder(encoder: nn.Module, path: Path, quantize: bool = True) -> None:
    """Export ``encoder`` to ONNX with dynamic batch and length axes; int8 weights if asked."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    dummy = torch.full((2, 16), 5, dtype=torch.long)  # an ordinary token: MPNet pads with 1
    axes = {0: "batch", 1: "length"}
    names = encoder_inputs(encoder)
    wrapper = _EncoderWithTypes(encoder) if len(names) == 3 else _EncoderOnly(encoder)
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "encoder.onnx"
        torch.onnx.export(
            wrapper.eval(),
            (dummy, dummy, torch.zeros_like(dummy))[: len(names)],
            str(plain),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={**dict.fromkeys(names, axes), "last_hidden_state": axes},
            opset_version=ONNX_OPSET,
            dynamo=False,
        )
        if quantize:
            quantize_dynamic(str(plain), str(path), weight_type=QuantType.QInt8)
        else:
            shutil.copyfile(plain, path)


def describe_encoder(folder: Path) -> dict[str, Any]:
    """Name, depth and width of the Hugging Face encoder in ``folder``, for the model card.

    The name is the first heading of the folder's README (sentence-transformers packages name
    the model there; the folder itself is often just ``model``), else the folder's name.
    """
    hf_config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    readme = folder / "README.md"
    headings = [
        line[2:].strip()
        for line in (readme.read_text(encoding="utf-8").splitlines() if readme.is_file() else [])
        if line.startswith("# ")
    ]
    return {
        "name": headings[0] if headings else folder.name,
        "layers": int(hf_config["num_hidden_layers"]),
        "width": int(hf_config["hidden_size"]),
    }


def write_model(
    net: TechniqueNet,
    layout: Layout,
    tokenizer_path: Path,
    folder: Path,
    config: dict[str, Any],
    quantize: bool = True,
) -> None:
    """Create ``folder`` with ``encoder.onnx``, ``tokenizer.json``, ``heads.npz``, ``config.json``.

    ``config`` must hold ``window``, ``stride`` and ``thresholds``; the layout is added here.
    """
    folder.mkdir(parents=True, exist_ok=True)
    export_encoder(net.encoder, folder / "encoder.onnx", quantize=quantize)
    encoder = {**describe_encoder(tokenizer_path.parent), "weights": "int8" if quantize else "fp32"}
    shutil.copyfile(tokenizer_path, folder / "tokenizer.json")
    np.savez(folder / "heads.npz", **net.heads().to_arrays())  # type: ignore[arg-type]
    full = {**config, "encoder": encoder, "techniques": layout.to_dict()}
    (folder / "config.json").write_text(json.dumps(full, indent=2, sort_keys=True) + "\n")

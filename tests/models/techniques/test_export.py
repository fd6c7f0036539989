"""The exported ONNX encoder computes what the torch encoder computes (BERT and MPNet).

The legacy ONNX exporter was seen to write silently wrong MPNet graphs with some transformers
releases; a teacher exported that way would label the news with garbage. Random tiny models of
both architectures are exported as training exports them and run on the same windows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
onnxruntime = pytest.importorskip("onnxruntime")

from propwatch.training.techniques.export import encoder_inputs, export_encoder  # noqa: E402

SIZES = {
    "hidden_size": 32,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "intermediate_size": 64,
    "vocab_size": 200,
}


def _tiny(kind: str) -> torch.nn.Module:
    torch.manual_seed(0)
    if kind == "mpnet":
        return transformers.MPNetModel(transformers.MPNetConfig(**SIZES)).eval()
    return transformers.BertModel(transformers.BertConfig(**SIZES)).eval()


@pytest.mark.parametrize("kind", ["bert", "mpnet"])
def test_float_export_matches_torch(kind: str, tmp_path: Path) -> None:
    encoder = _tiny(kind)
    path = tmp_path / "encoder.onnx"
    export_encoder(encoder, path, quantize=False)
    ids = torch.tensor([[0, 17, 42, 99, 5, 2, 1, 1], [0, 8, 150, 7, 33, 61, 12, 2]])
    mask = torch.tensor([[1, 1, 1, 1, 1, 1, 0, 0], [1] * 8])
    with torch.no_grad():
        expected = encoder(input_ids=ids, attention_mask=mask).last_hidden_state.numpy()
    feed = {"input_ids": ids.numpy(), "attention_mask": mask.numpy()}
    if "token_type_ids" in encoder_inputs(encoder):
        feed["token_type_ids"] = np.zeros_like(ids.numpy())
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (got,) = session.run(["last_hidden_state"], feed)
    real = mask.numpy().astype(bool)  # padded positions are never read
    np.testing.assert_allclose(got[real], expected[real], atol=1e-4)
    assert got.shape == expected.shape

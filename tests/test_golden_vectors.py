"""Golden vectors: this machine reproduces the vectors recorded in indexer/golden_vectors.json, within the
variant's stated tolerance, however the texts are batched; a machine that does not is refused loudly."""
from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from indexer.embedding import golden
from indexer.embedding.embedder import default_embedder
from indexer.embedding.model import GOLDEN_TOLERANCE, VARIANTS
from indexer.embedding.onnx_embedder import OnnxEmbedder
from indexer.errors import ModelMismatch

pytestmark = pytest.mark.model  # the real model, loaded directly


@pytest.mark.parametrize("variant", VARIANTS)
def test_this_machine_reproduces_the_golden_vectors(variant):
    texts = golden.texts()
    assert len(texts) >= 5 and len(golden._load()["variants"][variant]["vectors"]) == len(texts)
    result = golden.check(variant, default_embedder(variant).encode)
    assert result.ok, result.message()
    assert result.tolerance == GOLDEN_TOLERANCE[variant]
    # the same whether the texts come together, one by one, or reversed on four lanes
    emb = OnnxEmbedder(variant=variant, lanes=4)
    for encode in (lambda t: np.stack([emb.encode([x])[0] for x in t]), lambda t: emb.encode(t[::-1])[::-1]):
        again = golden.check(variant, encode)
        assert (again.max_abs, again.min_cos, again.identical) == (result.max_abs, result.min_cos, result.identical)


def test_the_fp32_tolerance_is_tight_enough_to_catch_the_int8_model():
    """fp32's tolerance is what tells models apart: int8's vectors, read as fp32 ones, are far outside it."""
    result = golden.check("fp32", default_embedder("int8").encode)
    assert not result.ok and result.max_abs > 100 * GOLDEN_TOLERANCE["fp32"][0]


def test_a_machine_that_computes_otherwise_is_refused_naming_the_variant_and_the_difference(tmp_path, monkeypatch):
    data = golden._load()
    v = np.frombuffer(base64.b64decode(data["variants"]["fp32"]["vectors"][1]), dtype=np.float32).copy()
    v[7] += 2e-4  # what another CPU's rounding could do, 20 times over the tolerance
    data["variants"]["fp32"]["vectors"][1] = base64.b64encode(v.tobytes()).decode()
    fake = tmp_path / "golden_vectors.json"
    fake.write_text(json.dumps(data))
    monkeypatch.setattr(golden, "GOLDEN_FILE", fake)
    with pytest.raises(ModelMismatch, match=r"the fp32 model on this machine .* largest difference 2\.\d+e-04 "
                                            r"\(tolerance 1e-05\)"):
        golden.verify("fp32", default_embedder("fp32").encode)
    with pytest.raises(ModelMismatch, match="fp32 model"):  # and a model loading on it refuses to embed
        OnnxEmbedder(variant="fp32").encode(["SPO workload"])

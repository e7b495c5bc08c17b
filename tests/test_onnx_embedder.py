"""The ONNX Runtime embedder gives sentence-transformers' vectors, and a search never imports torch."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from indexer.embedding.embedder import SentenceTransformerEmbedder
from indexer.embedding.onnx_embedder import OnnxEmbedder, onnx_path
from tests.conftest import REPO

pytestmark = pytest.mark.model  # the real model, loaded directly

EDGE_TEXTS = [
    "SPO",
    "",
    "   leading and trailing spaces   ",
    "Unicode: ‘smart quotes’ – en dash, café, ½, 🙂",
    # > 256 pieces
    "Recommendation 4: HMPPS should " + "ensure that risk of harm assessments are completed on time; " * 60,
    "senior probation officer\nworkload\tmeasurement",
]


@pytest.fixture(scope="module")
def reference():
    return SentenceTransformerEmbedder()


@pytest.fixture(scope="module")
def onnx():
    return OnnxEmbedder()


def test_matches_sentence_transformers_on_corpus_chunks_and_edge_cases(searcher, reference, onnx):
    texts = [c.text for c in list(searcher.chunks)[:48]] + EDGE_TEXTS
    want = reference.encode(texts)
    got = onnx.encode(texts)
    assert got.shape == want.shape == (len(texts), 384) and got.dtype == np.float32
    cos = np.sum(got * want, axis=1)
    assert cos.min() >= 0.9999, (cos.min(), texts[int(cos.argmin())][:80])
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)  # mean pooling + L2 normalise


def test_one_text_alone_equals_the_same_text_among_others(onnx):
    batch = onnx.encode(EDGE_TEXTS)
    for i, t in enumerate(EDGE_TEXTS):
        assert onnx.encode([t])[0].tobytes() == batch[i].tobytes()


def test_same_model_as_the_reference_on_another_runtime(reference, onnx):
    a, b = onnx.identity(), reference.identity()
    assert {k: v for k, v in a.items() if k != "numeric"} == {k: v for k, v in b.items() if k != "numeric"}
    assert a["numeric"]["scheme"] == b["numeric"]["scheme"]
    assert a["numeric"]["runtime"].startswith("onnxruntime==") and "torch==" in b["numeric"]["runtime"]
    assert onnx.encode([]).shape == (0, 384)


def test_model_is_cached_on_disk():
    assert onnx_path().exists() and onnx_path().stat().st_size > 10_000_000


def test_search_process_never_imports_torch(corpus_index):
    code = (
        "import sys, json\n"
        "from search.retrieval.searcher import Searcher\n"
        f"hits = Searcher({str(corpus_index)!r}).search('SPO workload', k=3)\n"
        "print(json.dumps({'hits': len(hits), 'mods': [m for m in ('torch', 'sentence_transformers', 'transformers')"
        " if m in sys.modules]}))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(REPO), timeout=300,
                       env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin",
                            "HOME": str(__import__("pathlib").Path.home())})
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out == {"hits": 3, "mods": []}

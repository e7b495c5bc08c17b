"""Golden vectors: the vectors of a few fixed texts, recorded for each model variant, that every machine
must reproduce within the variant's tolerance (indexer/model.py GOLDEN_TOLERANCE).

    verify("fp32", encode)          # raises ModelMismatch naming the variant and the difference
    check("int8", encode).max_abs   # the figures, for tests and `python -m indexer.embedding.golden`

An index, its figures and the cuts fitted on them are only portable if every machine computes the same
vectors. A CPU, a runtime or a tokenizer that computes them otherwise is caught here, when the model is
loaded, instead of silently shifting results. `python -m eval.golden` shows how this machine compares; re-record
(`--write`) only when the model, its export or the numeric path changes on purpose.
"""
from __future__ import annotations

import base64
import json
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from indexer.embedding.model import GOLDEN_TOLERANCE, check_variant

GOLDEN_FILE = Path(__file__).with_name("golden_vectors.json")
Encode = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class GoldenCheck:
    variant: str
    max_abs: float  # largest difference of one component
    min_cos: float  # lowest cosine between a stored vector and this machine's
    identical: bool  # the same float32 bytes
    tolerance: tuple[float, float]  # (max_abs, min_cos) allowed
    recorded_on: str

    @property
    def ok(self) -> bool:
        return self.max_abs <= self.tolerance[0] and self.min_cos >= self.tolerance[1]

    def message(self) -> str:
        return (f"the {self.variant} model on this machine ({machine()}) does not reproduce the golden vectors "
                f"recorded on {self.recorded_on}: largest difference {self.max_abs:.2e} (tolerance "
                f"{self.tolerance[0]:.0e}), lowest cosine {self.min_cos:.6f} (tolerance {self.tolerance[1]}); "
                f"its vectors, indexes and figures would differ from other machines'. Check the installed "
                f"onnxruntime and tokenizers against pyproject.toml, and report the CPU")


def machine() -> str:
    """The CPU's model name and the vector extensions that decide which kernels run."""
    name, flags = platform.processor() or platform.machine(), set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
            elif line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                break
    except OSError:
        pass
    isa = [f for f in ("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8") if f in flags]
    return f"{name} ({', '.join(isa) or 'no AVX2'})"


def _load() -> dict:
    return json.loads(GOLDEN_FILE.read_text(encoding="utf-8"))


def _decode(b64: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(b64), dtype=np.float32)


def texts() -> list[str]:
    return list(_load()["texts"])


def check(variant: str, encode: Encode) -> GoldenCheck:
    """This machine's vectors of the golden texts against the stored ones, each text embedded on its own."""
    data = _load()
    stored = data["variants"][check_variant(variant)]
    want = np.stack([_decode(v) for v in stored["vectors"]])
    got = np.asarray(encode(data["texts"]), dtype=np.float32)
    cos = np.sum(got * want, axis=1) / (np.linalg.norm(got, axis=1) * np.linalg.norm(want, axis=1))
    return GoldenCheck(variant, float(np.abs(got - want).max()), float(cos.min()), got.tobytes() == want.tobytes(),
                       GOLDEN_TOLERANCE[variant], stored["recorded_on"])


def verify(variant: str, encode: Encode) -> GoldenCheck:
    result = check(variant, encode)
    if not result.ok:
        from indexer.errors import ModelMismatch

        raise ModelMismatch(result.message())
    return result

"""A generation's manifest: what it was built with, what it holds, and the checksum of every file.

    IndexManifest.read(path).check_compatible(embedder.identity(), where=path)

Written last into each generation (indexer/store.py) as manifest.json. A reader refuses a
generation built with another format version or model (the vectors would mean other
things); the analyzer and chunker settings tell the indexer whether kept documents can
be carried over unchanged.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Optional

from indexer.embedding.model import VARIANT_ENV
from indexer.errors import IncompatibleIndex

FORMAT_VERSION = 2  # 2: precomputed BM25 postings and IVF groups (docs/performance.md)
# must match to read vectors; "numeric" is the scheme and runtime (and, for int8, the CPU's digest)
MODEL_KEYS = ("name", "weights_sha256", "dim", "normalize", "max_seq_length", "variant", "numeric")
# what an index written before a key existed was built with: indexes before variants ran fp32
MODEL_KEY_DEFAULTS = {"variant": "fp32"}


@dataclass(frozen=True)
class IndexManifest:
    model: dict  # the embedder's identity (indexer.embedding.model.model_identity) and the canary embedding
    analyzer: dict  # Analyzer settings
    chunker: dict  # chunking settings and the readers' identity
    documents: dict  # doc_id -> {"path", "sha256", "chunks"}
    counts: dict  # documents, chunks, vectors, recommendations
    format_version: int = FORMAT_VERSION
    files: dict = field(default_factory=dict)  # file name -> {"bytes", "sha256"}: set by the store
    generation: Optional[str] = None  # set by the store
    created_at: Optional[str] = None  # set by the store
    machine: Optional[str] = None  # the CPU it was built on (indexer.embedding.golden.machine), for the record
    extra: dict = field(default_factory=dict)  # keys this version does not know, kept as they were

    @classmethod
    def from_json(cls, d: dict) -> "IndexManifest":
        known = {f.name for f in fields(cls)} - {"extra"}
        missing = {"model", "analyzer", "chunker", "documents"} - set(d)
        if missing:
            raise ValueError(f"manifest lacks {', '.join(sorted(missing))}")
        return cls(**{"counts": {}, **{k: v for k, v in d.items() if k in known}},
                   extra={k: v for k, v in d.items() if k not in known})

    def to_json(self) -> dict:
        d = asdict(self)
        extra = d.pop("extra")
        return {**d, **extra}

    @classmethod
    def read(cls, path: Path) -> "IndexManifest":
        """Raises OSError or ValueError for a missing, unreadable or malformed file."""
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_json(), indent=1, ensure_ascii=False).encode("utf-8")

    def check_compatible(self, model: Optional[dict], where: Path | str) -> None:
        """Refuse a generation built with another format or model, saying how to fix it."""
        fv = self.format_version
        if fv != FORMAT_VERSION:
            newer = isinstance(fv, int) and fv > FORMAT_VERSION
            hint = "upgrade inspection-search" if newer else "rebuild it: inspection-search index --rebuild"
            raise IncompatibleIndex(f"{where}: index format version {fv}, this tool reads {FORMAT_VERSION}; {hint}")
        if model is None:
            return
        for key in MODEL_KEYS:
            built, runs = self.model.get(key, MODEL_KEY_DEFAULTS.get(key)), model.get(key, MODEL_KEY_DEFAULTS.get(key))
            if built != runs and key == "variant":
                raise IncompatibleIndex(
                    f"{where}: index built with the {built} variant of model {self.model.get('name')}, this run "
                    f"uses {runs}; use {built} with this index (--model-variant {built} or {VARIANT_ENV}={built}), "
                    f"or rebuild it with {runs}: inspection-search index --rebuild --model-variant {runs}")
            if built != runs and key == "numeric":
                raise IncompatibleIndex(f"{where}: {_numeric_difference(built, runs, self.machine)}")
            if built != runs:
                raise IncompatibleIndex(
                    f"{where}: index built with model {self.model.get('name')} ({key}={self.model.get(key)!r}), "
                    f"this tool runs {model.get('name')} ({key}={model.get(key)!r}); "
                    "rebuild it: inspection-search index --rebuild")

    @property
    def model_variant(self) -> str:
        return self.model.get("variant", MODEL_KEY_DEFAULTS["variant"])

    @property
    def canary(self) -> Optional[list]:
        return self.model.get("canary")

    def chunks_of(self, doc_id: str) -> int:
        return int(self.documents.get(doc_id, {}).get("chunks", 0))

    def stamped(self, files: dict, generation: str, created_at: str) -> "IndexManifest":
        """This manifest as the store writes it: with the generation's files, name and time."""
        return replace(self, format_version=FORMAT_VERSION, files=files, generation=generation,
                       created_at=created_at)


def _numeric_difference(built: Optional[dict], runs: Optional[dict], machine: Optional[str]) -> str:
    """Why vectors computed here would not match the index's, and what to do."""
    rebuild = "rebuild it: inspection-search index --rebuild"
    if not built:
        return ("index built before vectors were computed one text at a time (their values depended on the batch); "
                f"{rebuild}")
    runs = runs or {}
    if built.get("scheme") == runs.get("scheme") and built.get("runtime") == runs.get("runtime"):
        return (f"index built with the int8 model on a CPU that computes it differently from this one"
                f"{f' ({machine})' if machine else ''}: int8 vectors depend on the CPU. Rebuild it on this machine "
                f"(inspection-search index --rebuild), or build it with the fp32 model, whose vectors are the same on "
                f"every CPU (--model-variant fp32)")
    return (f"index built with {built.get('scheme')!r} on {built.get('runtime')}, this installation computes "
            f"{runs.get('scheme')!r} on {runs.get('runtime')}; install the runtime it was built with, or {rebuild}")

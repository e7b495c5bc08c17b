"""The on-disk index format: one place that writes it and reads it.

    INDEX_DIR/
      CURRENT              one line naming the live generation, replaced atomically
      LOCK                 single-writer lock (filelock)
      gen-000007/          one complete, immutable generation
        documents.jsonl    Document records
        chunks.jsonl       Chunk records (text, offsets, pages, section, rec_no)
        tokens.jsonl       BM25 terms per chunk (the analyzer's output), one JSON list a line
        vectors.npy        float32 [n_vectors, DIM], L2-normalised embeddings
        vector_chunks.npy  int32 [n_vectors]: the chunk row each vector belongs to
        recommendations.jsonl  Recommendation records
        manifest.json      written last: format version, model identity and canary,
                           analyzer and chunker settings, per-document hashes and
                           chunk counts, and SHA-256 + size of every file above

A write builds a new generation in a temporary directory, fsyncs every file and
the directory, renames it into place, then atomically replaces CURRENT. A crash
at any point leaves the previous generation live. Loading verifies the
checksums and falls back to the newest generation that verifies, saying so.
No pickle anywhere: JSON lines and .npy only.
"""
from __future__ import annotations

import io
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import numpy as np

from indexer import fsio
from indexer.model import no_vectors
from indexer.records import Chunk, Document, Recommendation
from indexer.errors import UserError

FORMAT_VERSION = 2  # 2: precomputed BM25 postings and IVF groups (docs/performance.md)
INDEX_ENV = "INSPECTION_SEARCH_INDEX"
DEFAULT_INDEX_DIR = Path("var/index")
KEEP_GENERATIONS = 3
_GEN = re.compile(r"^gen-(\d{6})$")
# search structures derived from tokens and vectors, computed once per generation (search/fastbm25.py, search/dense.py)
DERIVED_FILES = ("bm25_terms.json", "bm25_indptr.npy", "bm25_docs.npy", "bm25_tf.npy", "bm25_doclen.npy",
                 "ivf_centroids.npy", "ivf_lists.npy")
DATA_FILES = ("documents.jsonl", "chunks.jsonl", "tokens.jsonl", "vectors.npy", "vector_chunks.npy",
              "recommendations.jsonl") + DERIVED_FILES
MMAP_ABOVE = 16 << 20  # bytes: larger vector files are memory-mapped, not read into memory


class IndexError_(UserError):
    """Base for index problems that the edges turn into one clear line."""


class IndexNotFound(IndexError_):
    pass


class IndexBusy(IndexError_):
    pass


class IndexCorrupt(IndexError_):
    pass


class IncompatibleIndex(IndexError_):
    """Built with another model or format version: it must be rebuilt."""


def resolve_index_dir(option: Optional[str | Path] = None) -> Path:
    """The one rule for where the index lives: option, then $INSPECTION_SEARCH_INDEX, then var/index."""
    if option:
        return Path(option)
    env = os.environ.get(INDEX_ENV)
    return Path(env) if env else DEFAULT_INDEX_DIR


@dataclass
class IndexData:
    """A whole generation in memory."""

    documents: list[Document] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    tokens: list[list[str]] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=no_vectors)
    vector_chunks: np.ndarray = field(default_factory=lambda: np.zeros((0,), dtype=np.int32))
    recommendations: list[Recommendation] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)
    generation: Optional[str] = None
    warnings: list[str] = field(default_factory=list)
    derived: dict = field(default_factory=dict)  # DERIVED_FILES by name, when read from disk


class RawJson(str):
    """A record carried over from the previous generation as its stored JSON line: written back
    verbatim, so adding one document to a large index does not re-parse and re-serialise the rest."""

    __slots__ = ()


def _jsonl(rows: Iterable) -> bytes:
    return "".join((r if isinstance(r, RawJson) else json.dumps(r, ensure_ascii=False)) + "\n"
                   for r in rows).encode("utf-8")


def _record(r):
    return r if isinstance(r, RawJson) else r.to_dict()


def _npy(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    return buf.getvalue()


def _derived_payloads(data: IndexData, previous: Optional[Path]) -> dict[str, bytes]:
    """DERIVED_FILES for a generation: BM25 postings from the tokens, IVF groups from the vectors."""
    from search.dense import ann_files
    from search.fastbm25 import BM25Arrays

    files = BM25Arrays.from_tokens(data.tokens).to_files()
    files.update(ann_files(np.asarray(data.vectors, dtype=np.float32), previous))
    return {name: _npy(v) if isinstance(v, np.ndarray) else json.dumps(v, ensure_ascii=False).encode("utf-8")
            for name, v in files.items()}


def _read_jsonl(path: Path) -> list:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def check_compatible(manifest: dict, model: Optional[dict], where: Path) -> None:
    """Refuse an index built with another format or model, saying how to fix it."""
    fv = manifest.get("format_version")
    if fv != FORMAT_VERSION:
        newer = isinstance(fv, int) and fv > FORMAT_VERSION
        hint = "upgrade inspection-search" if newer else "rebuild it: inspection-search index --rebuild"
        raise IncompatibleIndex(f"{where}: index format version {fv}, this tool reads {FORMAT_VERSION}; {hint}")
    if model is None:
        return
    built = manifest.get("model", {})
    for key in ("name", "weights_sha256", "dim", "normalize", "max_seq_length"):
        if built.get(key) != model.get(key):
            raise IncompatibleIndex(
                f"{where}: index built with model {built.get('name')} ({key}={built.get(key)!r}), "
                f"this tool runs {model.get('name')} ({key}={model.get(key)!r}); "
                "rebuild it: inspection-search index --rebuild")


class IndexStore:
    def __init__(self, root: Path | str):
        self.root = Path(root)

    # --- generations ---------------------------------------------------------
    def generations(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and _GEN.match(p.name))

    def current(self) -> Optional[str]:
        try:
            name = (self.root / "CURRENT").read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return name if _GEN.match(name) else None

    def exists(self) -> bool:
        return bool(self.current() or self.generations())

    def lock(self, timeout: float = 30.0):
        """The single-writer lock; a second writer waits up to `timeout`, then gets IndexBusy."""
        from filelock import FileLock, Timeout

        fsio.mkdir(self.root)
        lock = FileLock(str(self.root / "LOCK"), timeout=timeout)

        class _Ctx:
            def __enter__(self_inner):
                try:
                    lock.acquire()
                except Timeout:
                    raise IndexBusy(f"{self.root}: index busy (another indexing run holds the lock)") from None
                return self_inner

            def __exit__(self_inner, *exc):
                lock.release()
                return False

        return _Ctx()

    # --- reading -------------------------------------------------------------
    def read_manifest(self, gen: str) -> dict:
        path = self.root / gen / "manifest.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise IndexCorrupt(f"{path}: unreadable manifest ({e})") from None

    def verify(self, gen: str, manifest: Optional[dict] = None) -> dict:
        """Check every file against the manifest's size and SHA-256; return the manifest."""
        manifest = manifest or self.read_manifest(gen)
        files = manifest.get("files", {})
        for name in DATA_FILES:
            meta = files.get(name)
            path = self.root / gen / name
            if meta is None:
                raise IndexCorrupt(f"{path}: not listed in the manifest")
            try:
                size = path.stat().st_size
            except OSError:
                raise IndexCorrupt(f"{path}: missing") from None
            if size != meta["bytes"] or fsio.sha256_file(path) != meta["sha256"]:
                raise IndexCorrupt(f"{path}: checksum mismatch (file damaged)")
        return manifest

    def read(self, model: Optional[dict] = None, verify: bool = True) -> IndexData:
        """Load the live generation, or the newest older one that verifies (with a warning)."""
        gens = self.generations()
        if not gens:
            raise IndexNotFound(f"{self.root}: no index here yet; build one: inspection-search index corpus")
        cur = self.current()
        order = ([cur] if cur in gens else []) + [g for g in reversed(gens) if g != cur]
        warnings: list[str] = []
        if cur and cur not in gens:
            warnings.append(f"CURRENT names {cur}, which is missing")
        for gen in order:
            try:
                manifest = self.read_manifest(gen)
                check_compatible(manifest, model, self.root / gen)
                if verify:
                    self.verify(gen, manifest)
                data = self._load(gen, manifest)
            except IndexCorrupt as e:
                warnings.append(f"skipped generation {gen}: {e}")
                continue
            if gen != cur:
                warnings.append(f"fell back to generation {gen}")
            data.warnings = warnings
            return data
        raise IndexCorrupt(f"{self.root}: no generation verifies ({'; '.join(warnings)}); "
                           "rebuild it: inspection-search index --rebuild")

    def _load(self, gen: str, manifest: dict) -> IndexData:
        d = self.root / gen
        from indexer.lazy_jsonl import LazyJsonl

        try:
            big = (d / "vectors.npy").stat().st_size > MMAP_ABOVE
            derived = {name: (json.loads((d / name).read_text(encoding="utf-8")) if name.endswith(".json")
                              else np.load(d / name, allow_pickle=False)) for name in DERIVED_FILES}
            return IndexData(
                documents=[Document.from_dict(r) for r in _read_jsonl(d / "documents.jsonl")],
                # chunks and tokens are read on demand: a large index would not fit in memory as objects
                chunks=LazyJsonl(d / "chunks.jsonl", Chunk.from_dict) if big
                else [Chunk.from_dict(r) for r in _read_jsonl(d / "chunks.jsonl")],
                tokens=LazyJsonl(d / "tokens.jsonl"),
                vectors=np.load(d / "vectors.npy", allow_pickle=False, mmap_mode="r" if big else None),
                vector_chunks=np.load(d / "vector_chunks.npy", allow_pickle=False),
                recommendations=[Recommendation.from_dict(r) for r in _read_jsonl(d / "recommendations.jsonl")],
                manifest=manifest,
                generation=gen,
                derived=derived,
            )
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise IndexCorrupt(f"{d}: cannot load ({type(e).__name__}: {e})") from None

    # --- writing -------------------------------------------------------------
    def write(self, data: IndexData, manifest: dict, keep: int = KEEP_GENERATIONS) -> str:
        """Write a new generation and make it live. Call with the lock held."""
        try:
            return self._write(data, manifest, keep)
        except BaseException:
            self.clean_temporaries()  # a failed write (disk full, I/O error) leaves no half-built generation
            raise

    def _write(self, data: IndexData, manifest: dict, keep: int) -> str:
        fsio.mkdir(self.root)
        self.clean_temporaries()
        gens = self.generations()
        n = int(_GEN.match(gens[-1]).group(1)) + 1 if gens else 1
        gen = f"gen-{n:06d}"
        tmp = self.root / f".tmp-{gen}-{os.getpid()}"
        fsio.mkdir(tmp)
        payloads = {
            "documents.jsonl": _jsonl(d.to_dict() for d in data.documents),
            "chunks.jsonl": _jsonl(_record(c) for c in data.chunks),
            "tokens.jsonl": _jsonl(data.tokens),
            "vectors.npy": _npy(np.ascontiguousarray(data.vectors, dtype=np.float32)),
            "vector_chunks.npy": _npy(np.ascontiguousarray(data.vector_chunks, dtype=np.int32)),
            "recommendations.jsonl": _jsonl(r.to_dict() for r in data.recommendations),
        }
        cur = self.current()
        payloads.update(_derived_payloads(data, self.root / cur if cur else None))
        files = {}
        for name, blob in payloads.items():
            fsio.write_bytes(tmp / name, blob)
            files[name] = {"bytes": len(blob), "sha256": fsio.sha256_bytes(blob)}
            fsio.crash_point(f"after_{name}")
        manifest = dict(manifest, format_version=FORMAT_VERSION, files=files, generation=gen,
                        created_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        fsio.write_bytes(tmp / "manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False).encode())
        fsio.crash_point("after_manifest")
        fsio.fsync_dir(tmp)
        fsio.rename(tmp, self.root / gen)
        fsio.fsync_dir(self.root)
        fsio.crash_point("after_rename_gen")
        pointer = self.root / "CURRENT.tmp"
        fsio.write_bytes(pointer, (gen + "\n").encode())
        fsio.replace(pointer, self.root / "CURRENT")
        fsio.fsync_dir(self.root)
        fsio.crash_point("after_current")
        self.prune(keep)
        return gen

    def clean_temporaries(self) -> None:
        if self.root.is_dir():
            for p in self.root.iterdir():
                if p.name.startswith(".tmp-gen-"):
                    fsio.remove_tree(p)

    def prune(self, keep: int = KEEP_GENERATIONS) -> None:
        """Keep the newest `keep` generations (the live one always)."""
        cur = self.current()
        gens = self.generations()
        for g in gens[:-keep] if keep > 0 else []:
            if g != cur:
                fsio.remove_tree(self.root / g)

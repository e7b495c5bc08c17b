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
        bm25_terms.json, bm25_indptr.npy, bm25_docs.npy, bm25_tf.npy, bm25_doclen.npy
                           BM25 postings from the tokens (indexer/postings.py)
        ivf_centroids.npy, ivf_lists.npy
                           IVF groups of the vectors, empty below 50k (indexer/ivf.py)
        manifest.json      written last (indexer/manifest.py): format version, model
                           identity and canary, analyzer and chunker settings,
                           per-document hashes and chunk counts, and SHA-256 + size of
                           every file above

This module is the only one that knows these file names. A write builds a new
generation in a temporary directory, fsyncs every file and
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
from typing import Any, Iterable, Optional

import numpy as np

from indexer import fsio
from indexer.embedding.model import no_vectors
from indexer.errors import IncompatibleIndex, IndexBusy, IndexCorrupt, IndexUnusable, IndexNotFound  # noqa: F401
from indexer.index.ivf import IvfLists, build_ivf
from indexer.index.manifest import FORMAT_VERSION, IndexManifest  # noqa: F401  (FORMAT_VERSION: part of the store's API)
from indexer.index.postings import BM25Arrays
from indexer.records import Chunk, Document, Recommendation

INDEX_ENV = "INSPECTION_SEARCH_INDEX"
DEFAULT_INDEX_DIR = Path("var/index")
KEEP_GENERATIONS = 3
_GEN = re.compile(r"^gen-(\d{6})$")
# every file of a generation, named here and nowhere else
DOCUMENTS, CHUNKS, TOKENS = "documents.jsonl", "chunks.jsonl", "tokens.jsonl"
VECTORS, VECTOR_CHUNKS, RECOMMENDATIONS = "vectors.npy", "vector_chunks.npy", "recommendations.jsonl"
POSTINGS_FILES = {"terms": "bm25_terms.json", "indptr": "bm25_indptr.npy", "docs": "bm25_docs.npy",
                  "tf": "bm25_tf.npy", "doc_len": "bm25_doclen.npy"}  # BM25Arrays field -> file
IVF_FILES = {"centroids": "ivf_centroids.npy", "lists": "ivf_lists.npy"}  # IvfLists field -> file
MANIFEST = "manifest.json"
DATA_FILES = ((DOCUMENTS, CHUNKS, TOKENS, VECTORS, VECTOR_CHUNKS, RECOMMENDATIONS)
              + tuple(POSTINGS_FILES.values()) + tuple(IVF_FILES.values()))
MMAP_ABOVE = 16 << 20  # bytes: larger vector files are memory-mapped, not read into memory


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
    # a list, or read on demand from disk (LazyJsonl) for a large index; while a build assembles a generation,
    # kept documents' chunks may be their stored JSON lines (RawJson), written back as they were
    chunks: Any = field(default_factory=list)  # Sequence[Chunk]
    tokens: Any = field(default_factory=list)  # Sequence[list[str]]
    vectors: np.ndarray = field(default_factory=no_vectors)
    vector_chunks: np.ndarray = field(default_factory=lambda: np.zeros((0,), dtype=np.int32))
    recommendations: list[Recommendation] = field(default_factory=list)
    manifest: Optional[IndexManifest] = None
    generation: Optional[str] = None
    warnings: list[str] = field(default_factory=list)
    # derived from tokens and vectors: read with a generation; computed by the store when it writes one
    postings: Optional[BM25Arrays] = None
    ivf: Optional[IvfLists] = None


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


def _read_jsonl(path: Path) -> list:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _derived_payloads(data: IndexData, previous: Optional[IvfLists]) -> dict[str, bytes]:
    """The postings and IVF files of a generation, computed from its tokens and vectors (the previous
    generation's centroids are reused when they still suit)."""
    postings = BM25Arrays.from_tokens(data.tokens)
    ivf = build_ivf(np.asarray(data.vectors, dtype=np.float32), previous)
    out = {POSTINGS_FILES["terms"]: json.dumps(list(postings.terms), ensure_ascii=False).encode("utf-8")}
    out.update({name: _npy(getattr(postings, f)) for f, name in POSTINGS_FILES.items() if f != "terms"})
    out.update({name: _npy(getattr(ivf, f)) for f, name in IVF_FILES.items()})
    return out


def _read_postings(d: Path) -> BM25Arrays:
    arrays = {f: np.load(d / name, allow_pickle=False) for f, name in POSTINGS_FILES.items() if f != "terms"}
    terms = tuple(json.loads((d / POSTINGS_FILES["terms"]).read_text(encoding="utf-8")))
    return BM25Arrays(terms, arrays["indptr"].astype(np.int64, copy=False), arrays["docs"], arrays["tf"],
                      arrays["doc_len"]).check()


def _read_ivf(d: Path) -> IvfLists:
    return IvfLists(*(np.load(d / IVF_FILES[f], allow_pickle=False) for f in ("centroids", "lists")))


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
    def read_manifest(self, gen: str) -> IndexManifest:
        path = self.root / gen / MANIFEST
        try:
            return IndexManifest.read(path)
        except (OSError, ValueError, TypeError) as e:
            raise IndexCorrupt(f"{path}: unreadable manifest ({e})") from None

    def verify(self, gen: str, manifest: Optional[IndexManifest] = None) -> IndexManifest:
        """Check every file against the manifest's size and SHA-256; return the manifest."""
        manifest = manifest or self.read_manifest(gen)
        files = manifest.files
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
                manifest.check_compatible(model, self.root / gen)
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

    def _load(self, gen: str, manifest: IndexManifest) -> IndexData:
        d = self.root / gen
        from indexer.index.lazy_jsonl import LazyJsonl

        try:
            big = (d / VECTORS).stat().st_size > MMAP_ABOVE
            return IndexData(
                documents=[Document.from_dict(r) for r in _read_jsonl(d / DOCUMENTS)],
                # chunks and tokens are read on demand: a large index would not fit in memory as objects
                chunks=LazyJsonl(d / CHUNKS, Chunk.from_dict) if big
                else [Chunk.from_dict(r) for r in _read_jsonl(d / CHUNKS)],
                tokens=LazyJsonl(d / TOKENS),
                vectors=np.load(d / VECTORS, allow_pickle=False, mmap_mode="r" if big else None),
                vector_chunks=np.load(d / VECTOR_CHUNKS, allow_pickle=False),
                recommendations=[Recommendation.from_dict(r) for r in _read_jsonl(d / RECOMMENDATIONS)],
                manifest=manifest,
                generation=gen,
                postings=_read_postings(d),
                ivf=_read_ivf(d),
            )
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise IndexCorrupt(f"{d}: cannot load ({type(e).__name__}: {e})") from None

    # --- writing -------------------------------------------------------------
    def write(self, data: IndexData, manifest: IndexManifest, keep: int = KEEP_GENERATIONS) -> str:
        """Write a new generation and make it live. Call with the lock held."""
        try:
            return self._write(data, manifest, keep)
        except BaseException:
            self.clean_temporaries()  # a failed write (disk full, I/O error) leaves no half-built generation
            raise

    def _write(self, data: IndexData, manifest: IndexManifest, keep: int) -> str:
        fsio.mkdir(self.root)
        self.clean_temporaries()
        gens = self.generations()
        last = _GEN.match(gens[-1]) if gens else None
        n = int(last.group(1)) + 1 if last else 1
        gen = f"gen-{n:06d}"
        tmp = self.root / f".tmp-{gen}-{os.getpid()}"
        fsio.mkdir(tmp)
        payloads = {
            DOCUMENTS: _jsonl(d.to_dict() for d in data.documents),
            CHUNKS: _jsonl(_record(c) for c in data.chunks),
            TOKENS: _jsonl(data.tokens),
            VECTORS: _npy(np.ascontiguousarray(data.vectors, dtype=np.float32)),
            VECTOR_CHUNKS: _npy(np.ascontiguousarray(data.vector_chunks, dtype=np.int32)),
            RECOMMENDATIONS: _jsonl(r.to_dict() for r in data.recommendations),
        }
        payloads.update(_derived_payloads(data, self._previous_ivf()))
        files = {}
        for name, blob in payloads.items():
            fsio.write_bytes(tmp / name, blob)
            files[name] = {"bytes": len(blob), "sha256": fsio.sha256_bytes(blob)}
            fsio.crash_point(f"after_{name}")
        manifest = manifest.stamped(files, gen, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        fsio.write_bytes(tmp / MANIFEST, manifest.to_bytes())
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

    def _previous_ivf(self) -> Optional[IvfLists]:
        """The live generation's IVF groups (their centroids may be reused), if readable."""
        cur = self.current()
        try:
            return _read_ivf(self.root / cur) if cur else None
        except (OSError, ValueError):
            return None

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

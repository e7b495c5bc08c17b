"""Dense retrieval: cosine similarity of normalised embeddings in FAISS.

A chunk may own several vectors (windows of a long passage); it is scored by
its best window. Scores are cosine similarities in [-1, 1].

Exact search (IndexFlatIP) below `EXACT_BELOW` vectors; above it an inverted
file (IndexIVFFlat: vectors grouped under k-means centroids, a query scans the
`nprobe` nearest groups). IVF rather than HNSW because it builds far faster,
reached the recall HNSW did not on the benchmark's vectors, and can be
refreshed cheaply: the centroids are reused by the next generation, so adding
a document only assigns vectors to them (the measurements: docs/performance.md).

The centroids and each vector's group are computed when a generation is
written (`indexer.index.ivf.build_ivf`) and stored with it by the index store, so
loading builds the IVF without training or assigning.

Filters mask before the cut: with a filter, only allowed vectors are scored
(exact over the allowed subset when it is small, IVF with a bitmap selector
and proportionally more groups probed when it is large).
"""
from __future__ import annotations

import math
from typing import Optional

import numpy as np

from indexer.embedding.model import DIM
from indexer.index.ivf import EXACT_BELOW, IvfLists


def default_nprobe(nlist: int) -> int:
    """Groups scanned per query: 1/32 of them, at least 16 (recall@10 against exact search at 100k and 1M:
    docs/performance.md, `python -m eval.bench`)."""
    return min(nlist, max(16, nlist // 32))


class DenseIndex:
    def __init__(self, vectors: np.ndarray, vector_chunks: np.ndarray, ivf: Optional[IvfLists] = None,
                 nprobe: Optional[int] = None):
        import faiss

        self.vector_chunks = np.asarray(vector_chunks, dtype=np.int64)
        self.dim = int(vectors.shape[1]) if vectors.ndim == 2 and vectors.shape[1] else DIM
        self.vectors = vectors  # kept (memory-mapped when loaded from disk) for exact filtered search
        n = int(vectors.shape[0]) if vectors.ndim == 2 else 0
        centroids, lists = (ivf.centroids, ivf.lists) if ivf is not None else (None, None)
        if centroids is not None and len(centroids) and lists is not None and len(lists) == n and n:
            quantizer = faiss.IndexFlatIP(self.dim)
            quantizer.add(np.ascontiguousarray(centroids, dtype=np.float32))
            index = faiss.IndexIVFFlat(quantizer, self.dim, len(centroids), faiss.METRIC_INNER_PRODUCT)
            index.is_trained = True
            self._quantizer = quantizer  # the IVF index does not own it: keep it alive
            for i, x in _blocks(vectors):  # add with the stored groups: no re-assignment
                ids = np.arange(i, i + len(x), dtype=np.int64)
                grp = np.ascontiguousarray(lists[i:i + len(x)], dtype=np.int64)
                index.add_core(len(x), faiss.swig_ptr(x), faiss.swig_ptr(ids), faiss.swig_ptr(grp))
            self.nlist = len(centroids)
            self.nprobe = nprobe or default_nprobe(self.nlist)
            index.nprobe = self.nprobe  # also for direct index.search calls (the benchmark's recall)
            self.kind = "ivf"
        else:
            index = faiss.IndexFlatIP(self.dim)
            for _, x in _blocks(vectors):
                index.add(x)
            self.nlist = 0
            self.nprobe = 0
            self.kind = "exact"
        self.index = index
        _release_pages(vectors)  # faiss holds its own copy; let the mapped file's pages go

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    def top(self, qvec: np.ndarray, n: int, mask: Optional[np.ndarray] = None) -> list[tuple[int, float]]:
        """Best `n` (chunk row, cosine) with chunk rows restricted to where mask is True."""
        if self.size == 0 or n <= 0:
            return []
        import faiss

        # one query is one thread's work; OpenMP's spinning workers slowed flat search many times over
        # on a busy 2-core machine, and the query embedding with it
        faiss.omp_set_num_threads(1)
        q = np.ascontiguousarray(qvec.reshape(1, -1), dtype=np.float32)
        allowed = None  # per vector, when filtered
        limit = self.size
        if mask is not None:
            allowed = mask.take(self.vector_chunks)
            limit = int(np.count_nonzero(allowed))
            if limit == 0:
                return []
            if self.kind == "ivf" and limit < EXACT_BELOW:
                return self._exact_subset(q, np.flatnonzero(allowed), n)
        # ask for more vectors than chunks wanted: several windows may share a chunk
        want = min(limit, max(n * 3, n + 16))
        # the bitmap must live as long as this call, and belong to it alone: the index is shared
        # between threads, and a bitmap kept on self could be replaced (and freed) mid-search
        params, _bitmap = self._params(allowed, limit)
        while True:
            dist, ids = self.index.search(q, want, params=params) if params is not None else self.index.search(q, want)
            best = self._best_per_chunk(ids[0], dist[0])
            if len(best) >= n or want >= limit:
                break
            if self.kind == "ivf" and ids[0][-1] < 0:
                break  # the probed groups hold no more: asking for more cannot help
            want = min(limit, want * 2)
        if self.kind == "ivf" and allowed is not None and len(best) < n:
            return self._exact_subset(q, np.flatnonzero(allowed), n)  # the filter left too few in the probed groups
        return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    def _params(self, allowed: Optional[np.ndarray], n_allowed: int):
        """FAISS search parameters, and the bitmap they point to (the caller keeps it alive: a per-call
        local, so concurrent filtered searches do not replace each other's)."""
        import faiss

        sel = bitmap = None
        if allowed is not None:
            bitmap = np.packbits(allowed, bitorder="little")
            sel = faiss.IDSelectorBitmap(self.size, faiss.swig_ptr(bitmap))
        if self.kind == "ivf":
            probe = self.nprobe
            if allowed is not None:  # a filter keeps a fraction f: probe ~1/f times more groups
                probe = min(self.nlist, int(math.ceil(self.nprobe * self.size / n_allowed)))
            params = (faiss.SearchParametersIVF(sel=sel, nprobe=probe) if sel
                      else faiss.SearchParametersIVF(nprobe=probe))
        else:
            params = faiss.SearchParameters(sel=sel) if sel else None
        return params, bitmap

    def _best_per_chunk(self, ids: np.ndarray, dist: np.ndarray) -> dict[int, float]:
        best: dict[int, float] = {}
        for vid, score in zip(ids.tolist(), dist.tolist()):
            if vid < 0:  # FAISS pads with -1 when it finds fewer vectors than asked for
                continue
            c = int(self.vector_chunks[vid])
            if c not in best:
                best[c] = float(score)
        return best

    def _exact_subset(self, q: np.ndarray, allowed: np.ndarray, n: int) -> list[tuple[int, float]]:
        """Exact cosine over the allowed vectors only (read from the stored vectors)."""
        best: dict[int, float] = {}
        block = 65536
        scores = np.empty(allowed.size, dtype=np.float32)
        for i in range(0, allowed.size, block):
            rows = allowed[i:i + block]
            scores[i:i + block] = np.asarray(self.vectors[rows], dtype=np.float32) @ q[0]
        order = np.lexsort((allowed, -scores))
        for j in order.tolist():
            c = int(self.vector_chunks[allowed[j]])
            if c not in best:
                best[c] = float(scores[j])
                if len(best) >= n:
                    break
        return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def _blocks(vectors: np.ndarray, rows: int = 65536):
    """(first row, float32 block) over the vectors. A memory-mapped array is read with plain file reads:
    faulting its pages in would count them in RSS beside faiss's copy (peak ~2x the vectors at 1M)."""
    n = int(vectors.shape[0]) if vectors.ndim == 2 else 0
    path = getattr(vectors, "filename", None)
    if isinstance(vectors, np.memmap) and path and vectors.dtype == np.float32 and vectors.flags.c_contiguous:
        row_bytes = vectors.shape[1] * 4
        with open(path, "rb") as f:
            for i in range(0, n, rows):
                m = min(rows, n - i)
                f.seek(vectors.offset + i * row_bytes)
                x = np.empty((m, vectors.shape[1]), dtype=np.float32)
                f.readinto(memoryview(x).cast("B"))  # type: ignore[arg-type]  # numpy arrays are buffers
                yield i, x
        return
    for i in range(0, n, rows):
        yield i, np.ascontiguousarray(vectors[i:i + rows], dtype=np.float32)


def _release_pages(vectors: np.ndarray) -> None:
    """Drop the resident pages of a memory-mapped array (they count in RSS until dropped)."""
    import mmap

    m = getattr(vectors, "_mmap", None)
    if m is not None and hasattr(m, "madvise"):
        try:
            m.madvise(mmap.MADV_DONTNEED)
        except (OSError, ValueError):
            pass

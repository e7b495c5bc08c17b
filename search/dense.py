"""Dense retrieval: cosine similarity of normalised embeddings in FAISS.

A chunk may own several vectors (windows of a long passage); it is scored by
its best window. Scores are cosine similarities in [-1, 1].
"""
from __future__ import annotations

from typing import Optional

import numpy as np


class DenseIndex:
    def __init__(self, vectors: np.ndarray, vector_chunks: np.ndarray):
        import faiss

        self.vector_chunks = np.asarray(vector_chunks, dtype=np.int64)
        self.dim = int(vectors.shape[1]) if vectors.ndim == 2 and vectors.shape[1] else 384
        self.index = faiss.IndexFlatIP(self.dim)
        if len(vectors):
            self.index.add(np.ascontiguousarray(vectors, dtype=np.float32))

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    def top(self, qvec: np.ndarray, n: int, mask: Optional[np.ndarray] = None) -> list[tuple[int, float]]:
        """Best `n` (chunk row, cosine) with chunk rows restricted to where mask is True."""
        import faiss

        if self.size == 0 or n <= 0:
            return []
        params = None
        allowed_vecs = None
        if mask is not None:
            allowed_vecs = np.flatnonzero(mask[self.vector_chunks]).astype(np.int64)
            if allowed_vecs.size == 0:
                return []
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed_vecs))
        # ask for more vectors than chunks wanted: several windows may share a chunk
        limit = self.size if allowed_vecs is None else int(allowed_vecs.size)
        want = min(limit, max(n * 3, n + 16))
        q = np.ascontiguousarray(qvec.reshape(1, -1), dtype=np.float32)
        while True:
            dist, ids = self.index.search(q, want, params=params) if params else self.index.search(q, want)
            best: dict[int, float] = {}
            for vid, score in zip(ids[0], dist[0]):
                if vid < 0:  # FAISS pads with -1 when it holds fewer vectors than asked for
                    continue
                c = int(self.vector_chunks[vid])
                if c not in best:
                    best[c] = float(score)
            if len(best) >= n or want >= limit:
                break
            want = min(limit, want * 2)
        return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

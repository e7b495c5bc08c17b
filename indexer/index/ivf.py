"""IVF groups for dense search: k-means centroids and each vector's group, computed once per generation.

The index store (indexer/store.py) builds them when it writes a generation (reusing the
previous generation's centroids when their number still suits the size, so adding a
document only assigns vectors) and hands them back when it reads one; search/dense.py
searches over them. Why IVF and not HNSW, with the measurements: docs/performance.md.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np

from indexer.embedding.model import DIM

EXACT_BELOW = 50_000  # vectors: exact flat search is fast enough below this and always right
KMEANS_POINTS_PER_CENTROID = 32
KMEANS_ITER = 10
SEED = 1234


def ivf_nlist(n_vectors: int) -> int:
    """Number of IVF groups for an index of n vectors: ~2 sqrt(n) (632 at 100k, 2,000 at 1M)."""
    return max(1, int(round(2 * math.sqrt(n_vectors))))


def train_centroids(vectors: np.ndarray, nlist: int, seed: int = SEED) -> np.ndarray:
    import faiss

    n = len(vectors)
    rng = np.random.default_rng(seed)
    sample_n = min(n, nlist * KMEANS_POINTS_PER_CENTROID)
    sample = vectors if sample_n == n else vectors[np.sort(rng.choice(n, sample_n, replace=False))]
    km = faiss.Kmeans(vectors.shape[1], nlist, niter=KMEANS_ITER, seed=seed, spherical=True,
                      max_points_per_centroid=KMEANS_POINTS_PER_CENTROID, verbose=False)
    km.train(np.ascontiguousarray(sample, dtype=np.float32))
    return np.ascontiguousarray(km.centroids, dtype=np.float32)


def assign(vectors: np.ndarray, centroids: np.ndarray, block: int = 65536) -> np.ndarray:
    """The group (nearest centroid by inner product) of every vector, int32."""
    import faiss

    q = faiss.IndexFlatIP(centroids.shape[1])
    q.add(centroids)
    out = np.empty(len(vectors), dtype=np.int32)
    for i in range(0, len(vectors), block):
        _, ids = q.search(np.ascontiguousarray(vectors[i:i + block], dtype=np.float32), 1)
        out[i:i + block] = ids[:, 0]
    return out


@dataclass(frozen=True)
class IvfLists:
    """Centroids [nlist, dim] float32 and each vector's group [n] int32; both empty below EXACT_BELOW."""

    centroids: np.ndarray
    lists: np.ndarray

    @classmethod
    def none(cls, dim: int = DIM) -> "IvfLists":
        return cls(np.zeros((0, dim), dtype=np.float32), np.zeros((0,), dtype=np.int32))

    @property
    def empty(self) -> bool:
        return len(self.centroids) == 0


def build_ivf(vectors: np.ndarray, previous: Optional[IvfLists] = None,
              exact_below: int = EXACT_BELOW) -> IvfLists:
    """The IVF groups of a generation's vectors: none below `exact_below` (exact search needs none).
    The centroids of `previous` (the generation being replaced) are reused when their number still
    suits the size, so an update assigns vectors instead of running k-means again."""
    n, dim = (vectors.shape[0], vectors.shape[1]) if vectors.ndim == 2 else (0, DIM)
    if n < exact_below:
        return IvfLists.none(dim)
    want = ivf_nlist(n)
    centroids = None
    if previous is not None and not previous.empty:
        old = previous.centroids
        if old.ndim == 2 and old.shape[1] == dim and want / 2 <= len(old) <= want * 2:
            centroids = old
    if centroids is None:
        centroids = train_centroids(vectors, want)
    return IvfLists(np.ascontiguousarray(centroids, dtype=np.float32), assign(vectors, centroids))

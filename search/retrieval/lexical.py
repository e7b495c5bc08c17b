"""BM25 over the analyzer's terms.

`ReferenceBM25` wraps rank-bm25's BM25Okapi: the reference implementation that
faster ones are checked against. Scores are BM25Okapi scores (k1=1.5, b=0.75,
idf floored at epsilon * mean idf): unbounded, comparable only within one query.
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

K1, B, EPSILON = 1.5, 0.75, 0.25


class ReferenceBM25:
    name = "rank-bm25"

    def __init__(self, corpus_tokens: Sequence[Sequence[str]]):
        self.n = len(corpus_tokens)
        self._bm25 = None
        # rank-bm25 divides by zero on an empty corpus or one of empty documents
        if self.n and any(len(t) for t in corpus_tokens):
            from rank_bm25 import BM25Okapi

            self._bm25 = BM25Okapi([list(t) for t in corpus_tokens], k1=K1, b=B, epsilon=EPSILON)

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        if self._bm25 is None or not query_tokens:
            return np.zeros(self.n, dtype=np.float64)
        return np.asarray(self._bm25.get_scores(list(query_tokens)), dtype=np.float64)

    def top(self, query_tokens: Sequence[str], n: int, mask: Optional[np.ndarray] = None) -> list[tuple[int, float]]:
        """Best `n` (row, score) with score > 0, restricted to rows where mask is True."""
        s = self.scores(query_tokens)
        return _top_positive(s, n, mask)

    def idf(self, term: str) -> float:
        """The term's BM25Okapi idf; for a term no passage holds, the highest idf possible here."""
        import math

        if self._bm25 is not None and term in self._bm25.idf:
            return float(self._bm25.idf[term])
        return math.log(self.n + 0.5) - math.log(0.5) if self.n else 0.0

    def upper_bound(self, query_tokens: Sequence[str]) -> float:
        """The highest score BM25Okapi could give these terms: sum of idf * (k1 + 1) (tf -> infinity)."""
        if self._bm25 is None:
            return 0.0
        return float(sum(self._bm25.idf[t] * (K1 + 1) for t in query_tokens if t in self._bm25.idf))


def _top_positive(s: np.ndarray, n: int, mask: Optional[np.ndarray]) -> list[tuple[int, float]]:
    if mask is not None:
        s = np.where(mask, s, -np.inf)
    cand = np.flatnonzero(s > 0)
    if cand.size == 0 or n <= 0:
        return []
    if cand.size > n:
        # keep every row tied with the n-th score, so that the cut below is by row among equals
        nth = -np.partition(-s[cand], n - 1)[n - 1]
        cand = cand[s[cand] >= nth]
    order = cand[np.lexsort((cand, -s[cand]))][:n]  # score desc, then row asc: deterministic
    return [(int(i), float(s[i])) for i in order]

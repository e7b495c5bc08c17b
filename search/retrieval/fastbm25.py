"""BM25Okapi over an inverted index: the same scores as rank-bm25, from postings.

rank-bm25 scores a query by looping over every document in Python (far too slow
at 100k chunks: docs/performance.md). Here each term owns a postings list (document rows and
term frequencies, sorted by row) and a query touches only the postings of its
terms:

    score(d) = sum_{t in q} idf(t) * tf(t,d) * (k1 + 1) / (tf(t,d) + k1 * (1 - b + b * |d| / avgdl))
    idf(t)   = ln(N - df + 0.5) - ln(df + 0.5), floored to epsilon * mean idf where negative

Same variant, same parameters (k1=1.5, b=0.75, epsilon=0.25) and the same
order of floating-point operations as rank-bm25 0.2.2's BM25Okapi, so scores
agree to the last bit on the tested corpus (tests/test_fast_bm25.py compares
them). Term frequencies stay integers and the weight is computed per query in
float64, rather than stored as precomputed float32 weights: 6 bytes a posting
instead of 8, and no rounding.

The postings are plain arrays (`indexer.index.postings.BM25Arrays`), computed once per
index generation and stored with it by the index store, so loading a large index
does not re-read every chunk's tokens.

`top` does not score every matching row: it prunes with per-term upper bounds
(search/maxscore.py) and scores only the rows that can still make the top k,
exactly as above. The bounds are computed on load (one pass over the
postings), so the index format is unchanged.
"""
from __future__ import annotations

import math
from typing import Optional, Sequence

import numpy as np

from indexer.index.postings import BM25Arrays
from search.retrieval.lexical import EPSILON, K1, B, _top_positive
from search.retrieval.maxscore import Postings, Scratch, max_parts, top_k


class FastBM25:
    """Drop-in for ReferenceBM25: same `scores`, same `top`."""

    name = "inverted-index"

    def __init__(self, corpus_tokens: Optional[Sequence[Sequence[str]]] = None, *,
                 arrays: Optional[BM25Arrays] = None):
        if arrays is None:
            arrays = BM25Arrays.from_tokens(corpus_tokens or [])
        self.arrays = arrays
        self.n = int(len(arrays.doc_len))
        self._term_id = {t: i for i, t in enumerate(arrays.terms)}
        self._idf = _okapi_idf(self.n, np.diff(arrays.indptr))
        total = int(arrays.doc_len.sum())
        # rank-bm25 divides by zero on an empty corpus or one of empty documents: score nothing then
        self._empty = self.n == 0 or total == 0
        if not self._empty:
            avgdl = total / self.n
            # same expression and order as rank-bm25: k1 * (1 - b + b * doc_len / avgdl)
            self._norm = K1 * (1 - B + B * arrays.doc_len.astype(np.int64) / avgdl)
            self._postings = Postings(arrays.indptr, arrays.docs, arrays.tf, self._idf, self._norm,
                                      self._norm.astype(np.float32),
                                      max_parts(arrays.indptr, arrays.docs, arrays.tf, self._norm))
            self._scratch = Scratch(self.n)

    @classmethod
    def from_arrays(cls, arrays: BM25Arrays) -> "FastBM25":
        return cls(arrays=arrays)

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        s = np.zeros(self.n, dtype=np.float64)
        if self._empty:
            return s
        a = self.arrays
        for t in query_tokens:  # every occurrence counts, as in rank-bm25
            i = self._term_id.get(t)
            if i is None:
                continue
            lo, hi = a.indptr[i], a.indptr[i + 1]
            rows = a.docs[lo:hi]
            tf = a.tf[lo:hi].astype(np.float64)
            s[rows] += self._idf[i] * (tf * (K1 + 1) / (tf + self._norm[rows]))
        return s

    def top(self, query_tokens: Sequence[str], n: int, mask: Optional[np.ndarray] = None) -> list[tuple[int, float]]:
        """Best `n` (row, score) with score > 0, restricted to rows where mask is True; (score desc, row asc)."""
        if self._empty or n <= 0:
            return []
        query = [i for i in map(self._term_id.get, query_tokens) if i is not None]
        # pruning needs non-negative weights (a negative idf floor only occurs in degenerate corpora)
        # and pays only when n is small against the corpus
        if n * 4 >= self.n or any(self._idf[i] < 0 for i in query):
            return _top_positive(self.scores(query_tokens), n, mask)
        return top_k(self._postings, query, n, mask, self._scratch)

    def idf(self, term: str) -> float:
        """The term's BM25Okapi idf; for a term no passage holds, the highest idf possible here."""
        i = self._term_id.get(term)
        if i is not None:
            return float(self._idf[i])
        return math.log(self.n + 0.5) - math.log(0.5) if self.n else 0.0

    def upper_bound(self, query_tokens: Sequence[str]) -> float:
        """The highest score BM25Okapi could give these terms: sum of idf * (k1 + 1) (tf -> infinity)."""
        return float(sum(self._idf[self._term_id[t]] * (K1 + 1) for t in query_tokens if t in self._term_id))


def _okapi_idf(n_docs: int, df: np.ndarray) -> np.ndarray:
    """BM25Okapi idf with rank-bm25's epsilon floor, summed in the same order with the same math.log."""
    idf = np.empty(len(df), dtype=np.float64)
    total = 0.0
    negative = []
    log = math.log
    for i, f in enumerate(df.tolist()):
        v = log(n_docs - f + 0.5) - log(f + 0.5)
        idf[i] = v
        total += v
        if v < 0:
            negative.append(i)
    if len(df):
        idf[negative] = EPSILON * (total / len(df))
    return idf

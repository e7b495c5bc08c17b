"""BM25Okapi over an inverted index: the same scores as rank-bm25, from postings.

rank-bm25 scores a query by looping over every document in Python (~370 ms a
query at 100k chunks). Here each term owns a postings list (document rows and
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

The postings are plain arrays (`BM25Arrays`), computed once per index
generation and stored beside it (`bm25_*.npy`, `bm25_terms.json`), so loading a
large index does not re-read every chunk's tokens.

`top` does not score every matching row: it prunes with per-term upper bounds
(search/maxscore.py) and scores only the rows that can still make the top k,
exactly as above. The bounds are computed on load (one pass over the
postings, 1.4-2 s at 1M chunks), so the index format is unchanged.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import chain
from typing import Optional, Sequence

import numpy as np

from search.lexical import B, EPSILON, K1, _top_positive
from search.maxscore import Postings, Scratch, max_parts, top_k

ARRAY_FILES = ("bm25_indptr.npy", "bm25_docs.npy", "bm25_tf.npy", "bm25_doclen.npy")
TERMS_FILE = "bm25_terms.json"


@dataclass(frozen=True)
class BM25Arrays:
    """Postings of a corpus. Term i's postings are docs[indptr[i]:indptr[i+1]] (rows ascending) and tf[...]."""

    terms: tuple[str, ...]  # in order of first appearance in the corpus (rank-bm25's idf order)
    indptr: np.ndarray  # int64 [n_terms + 1]
    docs: np.ndarray  # int32 [n_postings]
    tf: np.ndarray  # smallest unsigned int dtype that holds the largest frequency
    doc_len: np.ndarray  # int32 [n_docs]: tokens per document, repeats counted

    @classmethod
    def from_tokens(cls, corpus_tokens: Sequence[Sequence[str]]) -> "BM25Arrays":
        n = len(corpus_tokens)
        if not isinstance(corpus_tokens, (list, tuple)):
            corpus_tokens = list(corpus_tokens)  # iterated three times below
        doc_len = np.fromiter(map(len, corpus_tokens), dtype=np.int32, count=n)
        # C-level passes (dict.fromkeys keeps first-appearance order): ~3x faster than a Python loop at 100k
        vocab = {t: i for i, t in enumerate(dict.fromkeys(chain.from_iterable(corpus_tokens)))}
        ids = np.fromiter(map(vocab.__getitem__, chain.from_iterable(corpus_tokens)), dtype=np.int64,
                          count=int(doc_len.sum()))
        rows = np.repeat(np.arange(n, dtype=np.int64), doc_len)
        # one sort of (term, row) keys gives the postings in term order, rows ascending, with counts
        keys, tf = np.unique(ids * max(n, 1) + rows, return_counts=True)
        term_of = keys // max(n, 1)
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_of, minlength=len(vocab)), out=indptr[1:])
        tf_dtype = np.uint8 if tf.size == 0 or tf.max() < 256 else np.uint16 if tf.max() < 65536 else np.uint32
        return cls(tuple(vocab), indptr, (keys % max(n, 1)).astype(np.int32), tf.astype(tf_dtype), doc_len)

    def to_files(self) -> dict[str, object]:
        """name -> ndarray (for .npy) or list (for JSON): what the index store writes."""
        return {"bm25_indptr.npy": self.indptr, "bm25_docs.npy": self.docs, "bm25_tf.npy": self.tf,
                "bm25_doclen.npy": self.doc_len, TERMS_FILE: list(self.terms)}

    @classmethod
    def from_files(cls, files: dict[str, object]) -> "BM25Arrays":
        arr = cls(tuple(files[TERMS_FILE]), np.asarray(files["bm25_indptr.npy"], dtype=np.int64),
                  np.asarray(files["bm25_docs.npy"]), np.asarray(files["bm25_tf.npy"]),
                  np.asarray(files["bm25_doclen.npy"]))
        if len(arr.indptr) != len(arr.terms) + 1 or arr.indptr[-1] != len(arr.docs) or len(arr.docs) != len(arr.tf):
            raise ValueError("BM25 postings are inconsistent (terms, indptr, docs, tf lengths disagree)")
        return arr

    @property
    def nbytes(self) -> int:
        return int(self.indptr.nbytes + self.docs.nbytes + self.tf.nbytes + self.doc_len.nbytes)


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

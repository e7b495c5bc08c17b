"""Exact BM25 top-k without scoring every matching row: MaxScore, term at a time.

At 1M chunks a query's terms hold about as many postings as there are chunks,
and scoring them all dominated a query's time (docs/performance.md). The top k
(100 here) rarely needs them all. Each term t has an upper bound on what it can add to any row,

    ub(t) = idf(t) * max over t's postings of tf * (k1 + 1) / (tf + norm(row))

and theta, a lower bound on the k-th best score, grows as rows are scored. Once
the bounds of the terms not yet read sum to less than theta, a row that holds
none of the terms read so far cannot reach the top k: the remaining
("non-essential") terms are then only looked up for the rows still in the
running, and a row is dropped as soon as its partial score plus the bounds left
falls below theta (Turtle & Flood, "Query evaluation: strategies and
optimizations", IP&M 1995).

Exactness: pruning runs on float32 partial scores, whose error is bounded (see
`_slack`) and allowed for in every comparison, so a row is only dropped when
it cannot reach theta. Every surviving row is then scored exactly like
rank-bm25 (float64, the same operations in query order: `Postings.exact`), and
the top k is cut by (score desc, row asc). The result equals the exhaustive
top k, ties included; tests/test_fast_bm25.py checks this on random corpora.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from search.retrieval.lexical import K1

# Measured on the benchmark's 1M-chunk index (docs/performance.md):
PROBE = 200  # rows scored exactly to raise theta (at least k are)
REFRESH_SHARE = 0.2  # raise theta exactly before reading a list on more than this share of the rows
LOOKUP_RATIO = 20  # look terms up per candidate (binary search) when candidates * this < postings


@dataclass(frozen=True)
class Postings:
    """What pruned scoring reads; built once per index by FastBM25."""

    indptr: np.ndarray  # int64 [n_terms + 1]
    docs: np.ndarray  # int32 rows, ascending within a term
    tf: np.ndarray  # unsigned ints
    idf: np.ndarray  # float64 [n_terms]
    norm: np.ndarray  # float64 [n_docs]: k1 * (1 - b + b * |d| / avgdl), computed as rank-bm25 does
    norm32: np.ndarray  # float32 copy of norm, for the bounds only
    max_part: np.ndarray  # float64 [n_terms]: max over the term's postings of tf * (k1 + 1) / (tf + norm)

    def postings(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self.indptr[t], self.indptr[t + 1]
        return self.docs[lo:hi], self.tf[lo:hi]

    def tf_at(self, t: int, rows: np.ndarray) -> np.ndarray:
        """Term t's frequency in each of `rows` (ascending, dtype of docs); 0 where absent."""
        docs, tf = self.postings(t)
        pos = np.searchsorted(docs, rows)
        np.minimum(pos, len(docs) - 1, out=pos)
        return np.where(docs.take(pos) == rows, tf.take(pos), 0)

    def exact(self, query: Sequence[int], rows: np.ndarray) -> np.ndarray:
        """rank-bm25's scores of `rows`, bit for bit: float64, term by term in query order (repeats count)."""
        s = np.zeros(len(rows), dtype=np.float64)
        norm = self.norm.take(rows)
        tfs: dict[int, np.ndarray] = {}
        for t in query:
            tf = tfs.get(t)
            if tf is None:
                tf = tfs[t] = self.tf_at(t, rows).astype(np.float64)
            s += self.idf[t] * (tf * (K1 + 1) / (tf + norm))
        return s


def max_parts(indptr: np.ndarray, docs: np.ndarray, tf: np.ndarray, norm: np.ndarray,
              block: int = 1 << 20) -> np.ndarray:
    """Per term, the largest tf * (k1 + 1) / (tf + norm) over its postings (same float64 operations as the
    scores, so idf times it bounds every weight exactly). Read in blocks of whole terms to bound memory."""
    n_terms = len(indptr) - 1
    out = np.zeros(n_terms, dtype=np.float64)
    t = 0
    while t < n_terms:
        u = max(t + 1, int(np.searchsorted(indptr, indptr[t] + block, side="right")) - 1)
        u = min(u, n_terms)
        lo, hi = int(indptr[t]), int(indptr[u])
        if hi > lo:
            f = tf[lo:hi].astype(np.float64)
            part = f * (K1 + 1) / (f + norm[docs[lo:hi]])
            starts = indptr[t:u] - lo
            nonempty = np.flatnonzero(np.diff(indptr[t:u + 1]))
            out[t + nonempty] = np.maximum.reduceat(part, starts[nonempty])
        t = u
    return out


class Scratch(threading.local):
    """Per-thread buffers, one slot per row, all zero between queries (searches run in many threads)."""

    def __init__(self, n_docs: int):
        self.acc = np.zeros(n_docs, dtype=np.float32)  # partial scores (bounds arithmetic)
        self.member = np.zeros(n_docs, dtype=bool)  # candidate rows, when postings are scanned against them


def top_k(p: Postings, query: Sequence[int], k: int, mask: Optional[np.ndarray],
          scratch: Scratch) -> list[tuple[int, float]]:
    """The best k (row, score) with score > 0, rows restricted to mask; (score desc, row asc).

    `query`: term ids in query order, repeats kept. Every idf must be >= 0 (weights non-negative).
    One function of 71 lines, past the project's 60, on purpose: it is the per-query hot loop, and its
    pruning state (theta, the bounds left, the scratch arrays) lives in locals; split into calls that
    pass that state around it ran slower at 1M chunks (docs/performance.md, "1M-chunk latency").
    """
    terms = list(dict.fromkeys(query))
    if k <= 0 or not terms:
        return []
    reps = np.array([query.count(t) for t in terms], dtype=np.float64)
    idf = p.idf[terms]
    ub = reps * idf * p.max_part[terms]
    slack = _slack(len(query), float(ub.sum()))
    scale = (reps * idf * (K1 + 1)).astype(np.float32)
    order = np.argsort(-ub, kind="stable").tolist()
    rest = np.append(np.cumsum(ub[order][::-1])[::-1], 0.0).tolist()  # rest[j]: bounds of order[j:]
    acc, member = scratch.acc, scratch.member
    theta = 0.0  # lower bound on the k-th best score among allowed rows
    used_member = False
    try:
        # essential terms: every posting, while the terms left could still lift an unseen row to theta
        j, probe_rows, want = 0, None, max(PROBE, k)
        while j < len(order) and rest[j] >= theta - slack:
            rows, tf = p.postings(terms[order[j]])
            if probe_rows is not None and len(rows) > REFRESH_SHARE * len(p.norm):
                # a long list ahead: scoring a few promising rows exactly may show that it is not needed
                theta = max(theta, _exact_kth(p, query, probe_rows, acc, k, mask))
                probe_rows = None
                if rest[j] < theta - slack:
                    break
            np.add.at(acc, rows, _bound_weights(scale[order[j]], tf, rows, p.norm32))
            # rows to raise theta from: the shortest list read that holds enough of them (few to choose from,
            # the rarest terms weigh most), else the longest
            if probe_rows is None or (len(probe_rows) < want < len(rows)) or (want <= len(rows) < len(probe_rows)):
                probe_rows = rows
            j += 1
        cut = theta - rest[j] - slack
        cand = np.flatnonzero(acc >= cut if cut > 0 else acc > 0).astype(p.docs.dtype)
        if mask is not None:
            cand = cand[mask.take(cand)]
        if j == len(order):
            cand, theta = _narrow(cand, acc, k, theta, 0.0, slack)
        # non-essential terms: only the candidates' postings, then drop those that can no longer make it
        while j < len(order):
            x = order[j]
            rows, tf = p.postings(terms[x])
            if len(cand) * LOOKUP_RATIO < len(rows):
                tfc = p.tf_at(terms[x], cand)
                hit = np.flatnonzero(tfc)
                rows, tf = cand[hit], tfc[hit]
            else:
                if not used_member:  # set once: rows dropped later stay marked, which only costs a little work
                    member[cand] = True
                    used_member = True
                hit = np.flatnonzero(member.take(rows))
                rows, tf = rows[hit], tf[hit]
            np.add.at(acc, rows, _bound_weights(scale[x], tf, rows, p.norm32))
            j += 1
            cand, theta = _narrow(cand, acc, k, theta, rest[j], slack)
    finally:
        acc.fill(0)
        if used_member:
            member.fill(False)
    scores = p.exact(query, cand)
    keep = scores > 0
    cand, scores = cand[keep], scores[keep]
    best = np.lexsort((cand, -scores))[:k]
    return [(int(cand[i]), float(scores[i])) for i in best]


def _slack(n_query: int, ub_sum: float) -> float:
    """Bound on |float32 partial - exact partial|: each float32 weight is within ~5 units of rounding
    (2^-24) of the real value and each of up to n_query float32 additions adds one more, relative to a
    sum that never exceeds the sum of the bounds. Four times that, to be safe."""
    return (n_query + 8) * 2.0 ** -22 * ub_sum


def _bound_weights(scale: np.float32, tf: np.ndarray, rows: np.ndarray, norm32: np.ndarray) -> np.ndarray:
    """float32 reps * idf * tf * (k1 + 1) / (tf + norm), for pruning only."""
    den = norm32.take(rows)  # take: about twice as fast as fancy indexing here
    den += tf
    num = tf * scale
    return np.divide(num, den, out=num)


def _narrow(cand: np.ndarray, acc: np.ndarray, k: int, theta: float, rest: float,
            slack: float) -> tuple[np.ndarray, float]:
    """Raise theta from the candidates' partial scores, then drop the candidates that cannot reach it."""
    part = acc.take(cand)
    above = part[part > theta + slack]  # the k-th best partial is among these, if it beats theta at all
    if len(above) >= k:
        theta = max(theta, float(np.partition(above, len(above) - k)[len(above) - k]) - slack)
    return cand[part >= theta - rest - slack], theta


def _exact_kth(p: Postings, query: Sequence[int], rows: np.ndarray, acc: np.ndarray, k: int,
               mask: Optional[np.ndarray]) -> float:
    """The k-th best exact score among the (about PROBE) allowed rows of `rows` with the best partial scores:
    a lower bound on the k-th best score overall (0 when there are fewer than k)."""
    if mask is not None:
        rows = rows[mask.take(rows)]
    if len(rows) < k:
        return 0.0
    probe = max(PROBE, k)
    if len(rows) > probe:
        part = acc.take(rows)
        best = rows[part >= np.partition(part, len(rows) - probe)[len(rows) - probe]]
        rows = best[:2 * probe]  # ties may add more; any subset gives a lower bound, and it stays ascending
    s = p.exact(query, rows)
    return float(np.partition(s, len(s) - k)[len(s) - k])

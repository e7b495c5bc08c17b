"""Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009).

    score(d) = sum_i  w_i / (k + rank_i(d))      ranks 1-based, k = 60 by default

Only ranks matter, so BM25 scores and cosine similarities, which live on
different scales, never have to be compared. A document missing from a list
contributes nothing from it.
"""
from __future__ import annotations

from typing import Hashable, Sequence

RRF_K = 60


def rrf(ranked_lists: Sequence[Sequence[Hashable]], k: int = RRF_K,
        weights: Sequence[float] | None = None) -> list[tuple[Hashable, float]]:
    """Fuse ranked id lists; returns (id, fused score) best first, ties broken by first appearance."""
    if k < 0:
        raise ValueError(f"rrf k must be >= 0, got {k}")
    weights = list(weights) if weights is not None else [1.0] * len(ranked_lists)
    if len(weights) != len(ranked_lists):
        raise ValueError(f"{len(weights)} weights for {len(ranked_lists)} lists")
    scores: dict[Hashable, float] = {}
    order: dict[Hashable, int] = {}
    for w, ranked in zip(weights, ranked_lists):
        seen = set()
        for rank, doc in enumerate(ranked, start=1):
            if doc in seen:  # a list that repeats an id counts it once, at its best rank
                continue
            seen.add(doc)
            scores[doc] = scores.get(doc, 0.0) + w / (k + rank)
            order.setdefault(doc, len(order))
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))

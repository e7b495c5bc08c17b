"""Fusing the BM25 list and the dense list into one ranking: the one place that decides how.

    fuse("convex", bm25, dense, bm25_upper_bound)        # what hybrid search does by default
    fuse("rrf", bm25, dense, weights=(1.0, 1.0))         # reciprocal rank fusion, on request

`FUSIONS` names the choices, `check_fusion` validates a name (one message, used by every
edge), `fusion_from_env` reads $INSPECTION_SEARCH_FUSION. The two functions:

- convex: a combination of scores on fixed scales (see `convex`), the default; on the
  labelled queries it ranked better than RRF (docs/eval.md has the figures). Its weights
  depend on the query (`query_alpha`): the share of the question the documents' words can
  match at all (`lexical_share`) sets how much BM25 counts, so a question asked in other
  words than the documents' is led by the dense list, one in their words is fused evenly.
- rrf: reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009),
      score(d) = sum_i  w_i / (k + rank_i(d))      ranks 1-based, k = 60 by default;
  only ranks matter, so BM25 scores and cosines never have to be compared, and a
  document missing from a list contributes nothing from it.
"""
from __future__ import annotations

import os
from typing import Callable, Hashable, Optional, Sequence

from indexer.errors import BadInput
from search.retrieval.lexical import K1

RRF_K = 60
FUSIONS = ("convex", "rrf")
DEFAULT_FUSION = "convex"
FUSION_ENV = "INSPECTION_SEARCH_FUSION"
CONVEX_ALPHA = 0.5


def check_fusion(name: str) -> str:
    if name not in FUSIONS:
        raise BadInput(f"fusion must be one of {', '.join(FUSIONS)}, not {name!r}")
    return name


def fusion_from_env() -> str:
    """$INSPECTION_SEARCH_FUSION, else the default; checked."""
    return check_fusion(os.environ.get(FUSION_ENV) or DEFAULT_FUSION)


def fuse(name: str, bm25: Sequence[tuple[Hashable, float]], dense: Sequence[tuple[Hashable, float]],
         bm25_upper_bound: float = 0.0, *, alpha: float = CONVEX_ALPHA, rrf_k: int = RRF_K,
         weights: Optional[Sequence[float]] = None) -> list[tuple[Hashable, float]]:
    """One ranking of (id, fused score) from two (id, score) lists, best first."""
    if check_fusion(name) == "convex":
        return convex(bm25, dense, bm25_upper_bound, alpha=alpha)
    return rrf([[d for d, _ in bm25], [d for d, _ in dense]], k=rrf_k, weights=weights)


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


def lexical_share(idf: Callable[[str], float], terms: Sequence[str], upper_bound: float) -> float:
    """The share of a query's BM25 weight that the documents' words can match at all, in [0, 1]:
    `upper_bound` (sum of idf * (k1 + 1) over the terms some passage holds) over the same sum
    for every term, a term no passage holds counted at the idf the index gives it, the highest
    there is. "What drives frontline officers to quit?" shares about half ("quit" is in no
    passage); a question in the documents' own words shares 1."""
    whole = float(sum(idf(t) * (K1 + 1) for t in terms))
    return min(1.0, upper_bound / whole) if whole > 0 else 1.0


def query_alpha(alpha: float, share: float) -> float:
    """The dense weight of convex fusion for one query: `alpha` when all of it can be matched by
    words (share 1), rising towards 1 as the share the documents' words can match falls:
    1 - (1 - alpha) * share. The BM25 weight is the configured one scaled by that share, so
    lexical evidence counts in proportion to how much of the question it can speak for; no
    new number is fitted (alpha stays 0.5, docs/eval.md)."""
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must be in [0, 1], got {alpha}")
    return 1.0 - (1.0 - alpha) * min(max(share, 0.0), 1.0)


def convex(bm25: Sequence[tuple[Hashable, float]], dense: Sequence[tuple[Hashable, float]],
           bm25_upper_bound: float, alpha: float = CONVEX_ALPHA) -> list[tuple[Hashable, float]]:
    """Convex combination of scores on fixed scales (Bruch, Gai & Ingber, ACM TOIS 2023, "TM2C2").

        score(d) = alpha * max(cos(d), 0) + (1 - alpha) * bm25(d) / bm25_upper_bound

    Unlike min-max normalisation per query, the scales are the theoretical ones: a cosine is
    used as it is, and BM25 is divided by the score a passage would get if it matched every
    query term as strongly as BM25Okapi allows (sum of idf * (k1 + 1)). So a query whose
    words only meet the documents on common terms brings weak BM25 evidence, and a passage
    that one list ranks first is not dragged down by the other list's indifference, as it is
    by RRF. A passage missing from a list scores 0 there for BM25 (it scored below the list's
    cut) and the lowest listed cosine for dense (an upper bound of its own).
    """
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must be in [0, 1], got {alpha}")
    ub = bm25_upper_bound if bm25_upper_bound > 0 else 1.0
    b = {d: s / ub for d, s in bm25}
    c = {d: max(s, 0.0) for d, s in dense}
    floor = min(c.values()) if c else 0.0
    order: dict[Hashable, int] = {}
    for d, _ in list(bm25) + list(dense):
        order.setdefault(d, len(order))
    fused = {d: alpha * c.get(d, floor) + (1 - alpha) * b.get(d, 0.0) for d in order}
    return sorted(fused.items(), key=lambda kv: (-kv[1], order[kv[0]]))

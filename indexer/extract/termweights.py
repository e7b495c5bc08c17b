"""Term weights over a small collection of texts (recommendation records), in one place.

    w = idf_weights([{"spo", "workload"}, {"train", "staff"}, ...])
    weighted_cosine({"spo", "workload"}, {"workload", "tool"}, w)

idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5)): BM25's idf made non-negative (as Lucene
does), so a term every record holds still weighs a little and a rare term much more.
Used to link a report's recommendations to plan rows (indexer.extract.links) and to compare
records with each other (search.records.recurrence). BM25 retrieval keeps rank-bm25's own
Okapi idf (search.retrieval.fastbm25), which scores must match.
"""
from __future__ import annotations

import math
from collections import Counter
from typing import Iterable, Mapping


def idf(df: int, n: int) -> float:
    """The weight of a term held by `df` of `n` texts (df = 0: a term none holds, as rare as can be)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def idf_weights(term_sets: Iterable[frozenset[str] | set[str]]) -> dict[str, float]:
    sets = list(term_sets)
    df = Counter(t for ts in sets for t in ts)
    return {t: idf(d, len(sets)) for t, d in df.items()}


def weighted_cosine(a: Iterable[str], b: Iterable[str], weights: Mapping[str, float]) -> float:
    """Cosine of two term sets, each term weighted by `weights` (unknown terms weigh nothing)."""
    a, b = set(a), set(b)
    if not a or not b:
        return 0.0
    dot = sum(weights.get(t, 0.0) ** 2 for t in a & b)
    na = math.sqrt(sum(weights.get(t, 0.0) ** 2 for t in a))
    nb = math.sqrt(sum(weights.get(t, 0.0) ** 2 for t in b))
    return dot / (na * nb) if na and nb else 0.0

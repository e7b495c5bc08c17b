"""Average-linkage clustering with must-link and cannot-link pairs: how records become threads.

    cluster(sim, cannot_link, threshold, must_link=[(3, 17)])

Groups start as single records; pairs an inspector confirmed are joined first (whatever
their similarity), then the two groups with the highest mean pairwise similarity merge
while that mean is at least `threshold` and no pair across them is cannot-linked (two
records of one plan addressed to the same body, or a pair an inspector rejected).

The threshold's direction, once: a HIGHER threshold gives FEWER, tighter threads (more
precise, fewer repeats found); a lower one joins more. Average linkage, unlike connected
components, cannot chain A~B~C into one thread when A and C have nothing in common.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np


def cluster(sim: np.ndarray, cannot_link: np.ndarray, threshold: float,
            must_link: Iterable[tuple[int, int]] = ()) -> list[list[int]]:
    """Clusters of rows, each sorted, ordered by their first row. Ties break on the lowest rows, so
    the result is deterministic. A must-link pair that is also cannot-linked is not joined."""
    n = sim.shape[0]
    clusters: dict[int, list[int]] = {i: [i] for i in range(n)}
    # running sums of similarity between clusters, so each merge costs O(n)
    total = sim.astype(np.float64).copy()
    blocked = cannot_link.copy()
    alive = np.ones(n, dtype=bool)
    size = np.ones(n, dtype=np.int64)
    owner = list(range(n))

    def merge(a: int, b: int) -> None:
        a, b = min(a, b), max(a, b)
        for i in clusters[b]:
            owner[i] = a
        clusters[a] += clusters.pop(b)
        total[a, :] += total[b, :]
        total[:, a] += total[:, b]
        blocked[a, :] |= blocked[b, :]
        blocked[:, a] |= blocked[:, b]
        size[a] += size[b]
        alive[b] = False

    for i, j in sorted(must_link):
        a, b = owner[i], owner[j]
        if a != b and not blocked[a, b]:
            merge(a, b)
    while True:
        avg = total / np.outer(size, size)
        cand = alive[:, None] & alive[None, :] & ~blocked
        np.fill_diagonal(cand, False)
        avg = np.where(cand, avg, -np.inf)
        best = float(avg.max()) if n else -np.inf
        if not best >= threshold:
            break
        flat = np.flatnonzero(avg == best)
        a, b = divmod(int(flat[0]), n)
        merge(a, b)
    return sorted((sorted(c) for c in clusters.values()), key=lambda c: c[0])

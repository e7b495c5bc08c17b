"""Filtered dense searches from many threads at once give exactly the sequential answers.

The searcher is shared between the app's worker threads. A filter becomes a bitmap that
FAISS reads during the search; if that bitmap lived on the shared index object, one
thread's filter could replace (and free) another's mid-search. Both index kinds are
covered: IVF (here 80,000 vectors, filters keeping more than the exact-search cut-off so
the IVF bitmap path runs) and exact flat search.
"""
from __future__ import annotations

import threading

import numpy as np
import pytest

from indexer.index.ivf import EXACT_BELOW, build_ivf
from search.retrieval.dense import DenseIndex

THREADS = 8
ROUNDS = 12


def _unit(rng, n: int, dim: int = 384) -> np.ndarray:
    v = rng.standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _index(kind: str, rng):
    if kind == "ivf":
        n = 80_000
        vectors = _unit(rng, n)
        index = DenseIndex(vectors, np.arange(n), build_ivf(vectors))
    else:
        n = 6_000
        index = DenseIndex(_unit(rng, n), np.arange(n))
    assert index.kind == kind
    return index, n


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["ivf", "exact"])
def test_concurrent_filtered_searches_equal_the_sequential_answers(kind):
    rng = np.random.default_rng(7)
    index, n = _index(kind, rng)
    keep = [0.95, 0.8, 0.7] if kind == "ivf" else [0.5, 0.2, 0.05]
    masks = [None] + [rng.random(n) < f for f in keep]
    if kind == "ivf":  # large filters: the IVF bitmap path, not the exact-subset fallback
        assert all(int(m.sum()) >= EXACT_BELOW for m in masks[1:])
    queries = _unit(rng, 6)
    jobs = [(q, m) for q in range(len(queries)) for m in range(len(masks))]
    expected = {job: index.top(queries[job[0]], 20, masks[job[1]]) for job in jobs}
    failures: list[str] = []
    start = threading.Barrier(THREADS)

    def worker(seed: int) -> None:
        order = np.random.default_rng(seed).permutation(len(jobs) * ROUNDS) % len(jobs)
        start.wait()
        for j in order:
            q, m = jobs[j]
            try:
                got = index.top(queries[q], 20, masks[m])
            except Exception as e:  # noqa: BLE001 - any failure under concurrency is the finding
                failures.append(f"query {q} mask {m}: {type(e).__name__}: {e}")
                continue
            if got != expected[(q, m)]:
                failures.append(f"query {q} mask {m}: {got[:3]} instead of {expected[(q, m)][:3]}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, f"{len(failures)} of {THREADS * ROUNDS * len(jobs)} searches differed: {failures[:5]}"

"""The approximate (IVF) dense index against exact search."""
from __future__ import annotations

import numpy as np
import pytest

from indexer.index.ivf import build_ivf
from search.retrieval.dense import DenseIndex

N = 20_000  # big enough for a real IVF (nlist 283), small enough to build in seconds


@pytest.fixture(scope="module")
def vectors(searcher):
    """Real corpus embeddings plus noise, as in eval/bench.py; several vectors per chunk for some chunks."""
    rng = np.random.default_rng(7)
    base = np.asarray(searcher.data.vectors, dtype=np.float32)
    x = base[rng.integers(0, len(base), N)] + rng.normal(0, 0.6 / np.sqrt(base.shape[1]), (N, base.shape[1]))
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    chunks = np.repeat(np.arange(N // 2), 2)  # two windows per chunk: the chunk scores by its best
    return x, chunks


@pytest.fixture(scope="module")
def indexes(vectors, tmp_path_factory):
    x, chunks = vectors
    files = build_ivf(x, exact_below=1_000)
    ivf = DenseIndex(x, chunks, files)
    exact = DenseIndex(x, chunks)
    assert ivf.kind == "ivf" and exact.kind == "exact" and ivf.size == exact.size == N
    return ivf, exact, files


@pytest.fixture(scope="module")
def query_vectors(embedder):
    import json

    from tests.conftest import QUERIES

    with QUERIES.open(encoding="utf-8") as f:
        qs = [json.loads(line)["query"] for line in f if line.strip()][:40]
    return embedder.encode(qs)


def test_ivf_recall_at_10_against_exact_is_at_least_095(indexes, query_vectors):
    ivf, exact, _ = indexes
    recalls = []
    for q in query_vectors:
        a = {c for c, _ in ivf.top(q, 10)}
        e = {c for c, _ in exact.top(q, 10)}
        recalls.append(len(a & e) / 10)
    assert np.mean(recalls) >= 0.95, np.mean(recalls)


def test_ivf_scores_are_exact_cosines_of_the_chunks_best_window(indexes, vectors, query_vectors):
    ivf, _, _ = indexes
    x, chunks = vectors
    q = query_vectors[0]
    for c, score in ivf.top(q, 10):
        assert score == pytest.approx(float(np.max(x[chunks == c] @ q)), abs=1e-5)


@pytest.mark.parametrize("fraction", [0.001, 0.05, 0.5])
def test_filter_masks_before_the_cut(indexes, query_vectors, fraction):
    """Only allowed chunks come back, as many as asked for, and the same ones exact search finds."""
    ivf, exact, _ = indexes
    rng = np.random.default_rng(3)
    mask = rng.random(N // 2) < fraction
    q = query_vectors[1]
    got = ivf.top(q, 10, mask)
    want = exact.top(q, 10, mask)
    assert got and all(mask[c] for c, _ in got)
    assert len(got) == min(10, int(mask.sum()))
    assert len({c for c, _ in got} & {c for c, _ in want}) >= 9


def test_asking_for_more_than_exists_never_returns_padding(vectors, query_vectors):
    x, chunks = vectors
    small = x[:40]
    files = build_ivf(small, exact_below=10)
    ivf = DenseIndex(small, chunks[:40], files)
    got = ivf.top(query_vectors[0], 1000)
    assert len(got) == 20 and all(0 <= c < 20 for c, _ in got)  # FAISS's -1 labels are dropped


def test_centroids_are_reused_from_the_previous_generation(indexes, vectors):
    _, _, files = indexes
    x, _ = vectors
    grown = np.concatenate([x, x[:500]])
    again = build_ivf(grown, previous=files, exact_below=1_000)
    assert np.array_equal(again.centroids, files.centroids)
    assert np.array_equal(again.lists[:N], files.lists)


def test_small_indexes_store_no_ivf_and_search_exactly(searcher):
    assert searcher.dense.kind == "exact"
    assert searcher.data.ivf is not None and searcher.data.ivf.empty

"""FastBM25 (inverted index) against the reference, rank-bm25's BM25Okapi."""
from __future__ import annotations

import json

import numpy as np
import pytest

from indexer.index.postings import BM25Arrays
from search.retrieval.fastbm25 import FastBM25
from search.retrieval.lexical import ReferenceBM25
from tests.conftest import QUERIES


def _queries(analyzer):
    with QUERIES.open(encoding="utf-8") as f:
        return [analyzer.query_tokens(json.loads(line)["query"]) for line in f if line.strip()]


def test_same_scores_and_top10_as_rank_bm25_on_the_shipped_corpus(searcher, analyzer):
    tokens = list(searcher.data.tokens)
    ref, fast = ReferenceBM25(tokens), FastBM25(tokens)
    qs = _queries(analyzer)
    assert len(qs) >= 50
    for q in qs:
        assert np.array_equal(ref.scores(q), fast.scores(q)), q  # bit for bit
        assert [r for r, _ in fast.top(q, 10)] == [r for r, _ in ref.top(q, 10)], q


def test_searcher_uses_the_stored_postings_and_ranks_like_the_reference(corpus_index, searcher, embedder, analyzer):
    from search.retrieval.searcher import Searcher

    assert isinstance(searcher.lexical, FastBM25)
    assert searcher.data.postings is not None and searcher.data.postings.terms, \
        "postings are stored with the generation"
    ref = Searcher(corpus_index, embedder=embedder, analyzer=analyzer, lexical_cls=ReferenceBM25)
    for q in ("SPO workload", "recruitment and retention of probation officers", "unpaid work"):
        got = [(h.chunk.chunk_id, round(h.score, 9)) for h in searcher.search(q, k=10, mode="bm25")]
        want = [(h.chunk.chunk_id, round(h.score, 9)) for h in ref.search(q, k=10, mode="bm25")]
        assert got == want


# A designed corpus: "probation" is in 3 of 4 documents, so its raw idf is negative
# and must be floored to epsilon * mean idf; "risk" repeats within a document.
TINY = [
    ["probation", "risk", "risk", "risk"],
    ["probation", "workload"],
    ["probation", "court", "report"],
    ["hostel"],
]


@pytest.mark.parametrize("query", [
    ["probation"],                  # negative idf, floored
    ["risk"],                       # tf 3 in a short document
    ["probation", "probation"],     # a repeated query term counts twice, as in rank-bm25
    ["unknown"],                    # not in the corpus: no scores
    ["hostel", "risk", "court"],
    [],
])
def test_tiny_corpus_matches_reference_exactly(query):
    ref, fast = ReferenceBM25(TINY), FastBM25(TINY)
    assert np.array_equal(ref.scores(query), fast.scores(query))
    assert fast.top(query, 10) == ref.top(query, 10)


def test_idf_floor_is_epsilon_times_mean_idf():
    fast = FastBM25(TINY)
    i = fast.arrays.terms.index("probation")
    n = len(TINY)
    raw = [np.log(n - df + 0.5) - np.log(df + 0.5) for df in np.diff(fast.arrays.indptr)]
    assert raw[i] < 0
    assert fast._idf[i] == pytest.approx(0.25 * np.mean(raw), abs=1e-12)


def test_mask_applies_before_the_cut():
    fast = FastBM25(TINY)
    mask = np.array([False, True, True, True])
    top = fast.top(["probation"], 1, mask)
    assert [r for r, _ in top] != [0] and top and top[0][0] in (1, 2)
    assert fast.top(["risk"], 10, mask) == []  # the only matching document is filtered out


def test_empty_corpora_score_nothing():
    for corpus in ([], [[], []]):
        fast = FastBM25(corpus)
        assert fast.top(["x"], 5) == []
        assert fast.scores(["x"]).shape == (len(corpus),)


def test_postings_round_trip_through_the_store_and_inconsistent_ones_are_refused(searcher):
    from dataclasses import replace

    stored = searcher.data.postings
    fresh = BM25Arrays.from_tokens([list(t) for t in searcher.data.tokens])
    assert stored.terms == fresh.terms and all(np.array_equal(getattr(stored, f), getattr(fresh, f))
                                               for f in ("indptr", "docs", "tf", "doc_len"))
    with pytest.raises(ValueError):
        replace(fresh, docs=fresh.docs[:-1]).check()


# --- pruned top-k (search/maxscore.py) against the exhaustive ranking -------------------------------

def _synthetic(n_docs: int, seed: int) -> BM25Arrays:
    """Random postings with a skewed vocabulary (some terms in most rows, most in few), term frequencies
    mostly 1 and row lengths from a few values, so that many rows tie exactly. Built directly as arrays:
    what is under test is scoring, not BM25Arrays.from_tokens."""
    rng = np.random.default_rng(seed)
    n_terms = 3000
    n_post = n_docs * 12
    term = (n_terms * rng.random(n_post) ** 2.5).astype(np.int64)  # term i about (i + 1)^-0.6 as often as term 0
    # three terms in most rows: their raw idf is negative and floored to epsilon * mean idf
    common = rng.random((3, n_docs)) < np.array([[0.9], [0.7], [0.55]])
    c_term, c_doc = np.nonzero(common)
    term = np.concatenate([term, n_terms + c_term])
    doc = np.concatenate([rng.integers(0, n_docs, n_post), c_doc])
    keys, tf = np.unique(term.astype(np.int64) * n_docs + doc, return_counts=True)
    t_of, d_of = keys // n_docs, keys % n_docs
    used = np.unique(t_of)  # no empty postings lists, as from_tokens guarantees
    remap = np.full(n_terms + 3, -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    t_of = remap[t_of]
    indptr = np.zeros(len(used) + 1, dtype=np.int64)
    np.cumsum(np.bincount(t_of, minlength=len(used)), out=indptr[1:])
    tokens_in_row = np.bincount(d_of, weights=tf, minlength=n_docs).astype(np.int32)
    doc_len = np.maximum(tokens_in_row, rng.choice(np.array([40, 80, 160], dtype=np.int32), n_docs))
    return BM25Arrays(tuple(f"t{i}" for i in range(len(used))), indptr, d_of.astype(np.int32),
                      tf.astype(np.uint8), doc_len)


def _random_queries(fast: FastBM25, rng, n: int) -> list[list[str]]:
    df = np.diff(fast.arrays.indptr)
    by_df = np.argsort(-df)
    terms = fast.arrays.terms
    out = []
    for _ in range(n):
        m = int(rng.integers(1, 13))
        # mostly frequent terms (long postings, crowded scores), some rare ones, sometimes a repeat or unknown
        picks = [by_df[int(rng.integers(0, 40))] if rng.random() < 0.6 else int(rng.integers(0, len(terms)))
                 for _ in range(m)]
        q = [terms[i] for i in picks]
        if rng.random() < 0.2:
            q.append(q[0])
        if rng.random() < 0.1:
            q.insert(0, "not-a-term")
        out.append(q)
    return out


# the tuning constants changed so that every branch runs: theta raised before every list, candidates always
# looked up one by one, or always matched against whole postings lists
KNOBS = {"defaults": {}, "refresh often": {"REFRESH_SHARE": 0.01, "PROBE": 150},
         "always look up": {"REFRESH_SHARE": 0.05, "LOOKUP_RATIO": 0},
         "never look up": {"REFRESH_SHARE": 0.1, "LOOKUP_RATIO": 10 ** 9}}


@pytest.mark.parametrize("n_docs,seed,knobs", [(50_000, 1, "defaults"), (200_000, 2, "defaults"),
                                               (50_000, 5, "refresh often"), (100_000, 6, "always look up"),
                                               (100_000, 7, "never look up")])
def test_pruned_top_k_equals_the_exhaustive_top_k(n_docs, seed, knobs, monkeypatch):
    """Same rows, same scores (bit for bit), same order, ties included; with and without filters."""
    from search.retrieval import maxscore
    from search.retrieval.lexical import _top_positive

    for name, value in KNOBS[knobs].items():
        monkeypatch.setattr(maxscore, name, value)
    fast = FastBM25.from_arrays(_synthetic(n_docs, seed))
    assert fast._idf.min() > 0 and (np.diff(fast.arrays.indptr) > n_docs // 2).sum() == 3
    rng = np.random.default_rng(seed)
    masks = [None, rng.random(n_docs) < 0.3, np.arange(n_docs) < n_docs // 10, rng.random(n_docs) < 0.01]
    ties_at_cut = 0
    for qi, q in enumerate(_random_queries(fast, rng, 60)):
        s = fast.scores(q)
        for k in (10, 100, 400):  # 400: more than maxscore.PROBE
            mask = masks[qi % len(masks)]
            want = _top_positive(s, k, mask)
            assert fast.top(q, k, mask) == want, (q, k, qi % len(masks))
            if len(want) == k:
                allowed = s if mask is None else np.where(mask, s, 0)
                ties_at_cut += int(np.count_nonzero(allowed == want[-1][1]) > 1)
    assert ties_at_cut > 20  # the corpus does exercise ties at the cut


def test_pruned_top_k_matches_rank_bm25_on_the_shipped_corpus(searcher, analyzer):
    """The pruned path itself (FastBM25.top uses it only when k is small against the corpus) against rank-bm25."""
    from search.retrieval.maxscore import top_k

    tokens = list(searcher.data.tokens)
    ref, fast = ReferenceBM25(tokens), FastBM25(tokens)
    for q in _queries(analyzer):
        ids = [fast._term_id[t] for t in q if t in fast._term_id]
        for k in (1, 10, 30):
            assert top_k(fast._postings, ids, k, None, fast._scratch) == ref.top(q, k), (q, k)


@pytest.mark.parametrize("query", [["probation"], ["risk"], ["probation", "probation"], ["hostel", "risk", "court"]])
def test_pruned_top_k_on_the_tiny_corpus(query):
    from search.retrieval.maxscore import top_k

    ref, fast = ReferenceBM25(TINY), FastBM25(TINY)
    ids = [fast._term_id[t] for t in query]
    for k in (1, 2, 10):
        assert top_k(fast._postings, ids, k, None, fast._scratch) == ref.top(query, k)
        mask = np.array([False, True, True, True])
        assert top_k(fast._postings, ids, k, mask, fast._scratch) == ref.top(query, k, mask)


def test_pruned_top_k_is_safe_across_threads():
    """Each thread has its own scratch buffers: concurrent queries give the sequential answers."""
    from concurrent.futures import ThreadPoolExecutor

    fast = FastBM25.from_arrays(_synthetic(50_000, 3))
    qs = _random_queries(fast, np.random.default_rng(3), 40)
    want = [fast.top(q, 20) for q in qs]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda q: fast.top(q, 20), qs * 3))
    assert got == want * 3
    assert not fast._scratch.acc.any() and not fast._scratch.member.any()


def test_upper_bounds_bound_every_weight():
    from search.retrieval.lexical import K1

    fast = FastBM25.from_arrays(_synthetic(50_000, 4))
    a, p = fast.arrays, fast._postings
    for t in range(0, len(a.terms), 37):
        rows, tf = p.postings(t)
        f = tf.astype(np.float64)
        w = fast._idf[t] * (f * (K1 + 1) / (f + fast._norm[rows]))
        assert w.max() == fast._idf[t] * p.max_part[t]

"""FastBM25 (inverted index) against the reference, rank-bm25's BM25Okapi."""
from __future__ import annotations

import json

import numpy as np
import pytest

from search.fastbm25 import BM25Arrays, FastBM25
from search.lexical import ReferenceBM25
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
        assert np.max(np.abs(ref.scores(q) - fast.scores(q))) <= 1e-6, q
        assert [r for r, _ in fast.top(q, 10)] == [r for r, _ in ref.top(q, 10)], q


def test_searcher_uses_the_stored_postings_and_ranks_like_the_reference(corpus_index, searcher, embedder, analyzer):
    from search.searcher import Searcher

    assert isinstance(searcher.lexical, FastBM25)
    assert searcher.data.derived["bm25_terms.json"], "postings are stored with the generation"
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


def test_arrays_round_trip_and_reject_inconsistent_files():
    arr = BM25Arrays.from_tokens(TINY)
    files = arr.to_files()
    back = BM25Arrays.from_files(json.loads(json.dumps({k: v.tolist() if hasattr(v, "tolist") else v
                                                        for k, v in files.items()})))
    assert back.terms == arr.terms and np.array_equal(back.docs, arr.docs) and np.array_equal(back.tf, arr.tf)
    files["bm25_docs.npy"] = files["bm25_docs.npy"][:-1]
    with pytest.raises(ValueError):
        BM25Arrays.from_files(files)

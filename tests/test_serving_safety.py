"""Queries that cannot be answered get a clear message, and nothing reaches BM25 or the model
(rows 6, 23, 24 and 26 of the test plan)."""
from __future__ import annotations

import pdfs
import pytest

from indexer.build import build_index
from indexer.text.analyzer import MAX_QUERY_TOKENS
from search.retrieval.searcher import MAX_QUERY_CHARS, QueryError, Searcher


class SpyEmbedder:
    """The real model, counting what it is asked to encode."""

    def __init__(self, real):
        self.real, self.texts = real, []

    def identity(self) -> dict:
        return self.real.identity()

    def encode(self, texts, *a, **k):
        self.texts += list(texts)
        return self.real.encode(texts, *a, **k)


@pytest.fixture
def spied(searcher, monkeypatch):
    """The shared searcher with its model and BM25 watched."""
    spy = SpyEmbedder(searcher.embedder)
    bm25_queries: list[list[str]] = []
    real_top = searcher.lexical.top

    def top(tokens, n, mask=None):
        bm25_queries.append(list(tokens))
        return real_top(tokens, n, mask)

    monkeypatch.setattr(searcher, "embedder", spy)
    monkeypatch.setattr(searcher.lexical, "top", top)
    searcher.search("warm up the canary check", k=1)
    spy.texts.clear()
    bm25_queries.clear()
    return searcher, spy, bm25_queries


@pytest.mark.parametrize("query", ["", "   ", "\n\t ", "???", "🙂🙂🙂", "— … !!", None])
def test_empty_query_gets_a_prompt_and_reaches_nothing(spied, query):
    s, spy, bm25 = spied
    for mode in ("hybrid", "bm25", "dense"):
        with pytest.raises(QueryError, match="Type a question or some words"):
            s.search(query, mode=mode)
    assert spy.texts == [] and bm25 == []


@pytest.mark.parametrize("size", [MAX_QUERY_CHARS + 1, 10_000, 1_000_000])
def test_over_long_query_is_refused_with_the_limit(spied, size):
    s, spy, bm25 = spied
    query = ("word " * (size // 5 + 1))[:size - 1] + "x"
    with pytest.raises(QueryError, match=rf"{size:,} characters; the limit is {MAX_QUERY_CHARS:,}"):
        s.search(query)
    assert spy.texts == [] and bm25 == []


def test_long_query_within_the_limit_uses_at_most_64_distinct_terms(spied, analyzer):
    s, spy, bm25 = spied
    words = [f"term{i}" for i in range(400)] + ["supervision"] * 50
    query = " ".join(words)[:MAX_QUERY_CHARS]
    hits = s.search(query, k=5, mode="bm25")
    assert len(bm25) == 1 and len(bm25[0]) == MAX_QUERY_TOKENS == 64
    assert len(set(bm25[0])) == len(bm25[0])  # deduplicated
    assert isinstance(hits, list)


@pytest.fixture(scope="module")
def one_chunk_index(tmp_path_factory, embedder, analyzer):
    root = tmp_path_factory.mktemp("tiny")
    (root / "docs").mkdir()
    (root / "docs" / "only.txt").write_text("Approved premises need investment in repairs.", encoding="utf-8")
    build_index([root / "docs"], root / "idx", embedder=embedder, analyzer=analyzer)
    return root / "idx"


@pytest.mark.parametrize("mode", ["hybrid", "dense"])
def test_k_larger_than_the_index_returns_only_what_exists(one_chunk_index, embedder, analyzer, mode):
    s = Searcher(one_chunk_index, embedder=embedder, analyzer=analyzer)
    assert len(s) == 1
    hits = s.search("investment in approved premises", k=5, mode=mode)
    assert [h.rank for h in hits] == [1] and hits[0].chunk is s.chunks[0]
    # FAISS pads a short answer with label -1; none may become a (made-up) citation
    got = s.dense.top(embedder.encode(["anything at all"])[0], 5)
    assert len(got) == 1 and got[0][0] == 0


def test_bm25_on_a_one_chunk_index_returns_nothing_rather_than_a_padded_row(one_chunk_index, embedder, analyzer):
    s = Searcher(one_chunk_index, embedder=embedder, analyzer=analyzer)
    assert s.search("recruitment of trainees", k=5, mode="bm25") == []  # no shared term: no hit
    # one shared term in a one-document corpus: BM25 idf is floored, the chunk may or may not score
    assert len(s.search("investment", k=5, mode="bm25")) <= 1


def test_index_of_only_unreadable_files_says_no_documents_yet(tmp_path, embedder, analyzer):
    """A fresh install whose only upload is a scanned PDF (row 6) and a binary file named .txt."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "scan.pdf").write_bytes(pdfs.image_only_pdf())
    (docs / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    report = build_index([docs], tmp_path / "idx", embedder=embedder, analyzer=analyzer)
    assert sorted(p.split("/")[-1] for p, _ in report.skipped) == ["photo.txt", "scan.pdf"]
    assert report.total_documents == 0 and report.total_chunks == 0
    s = Searcher(tmp_path / "idx", embedder=embedder, analyzer=analyzer)
    for mode in ("hybrid", "bm25", "dense"):
        with pytest.raises(QueryError, match="No documents are indexed yet"):
            s.search("SPO workload", mode=mode)

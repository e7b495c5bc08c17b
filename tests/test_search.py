"""Search over the shipped corpus: hybrid, filters, fusion, citations, the CLI."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from search.retrieval.fusion import convex, rrf
from search.retrieval.searcher import Filters, QueryError

SPO_2020 = "Review the role of the Senior Probation Officer in order to ensure that the workload is manageable"
SPO_2022 = "Consider how SPO workloads are measured"


def test_rrf_arithmetic():
    fused = dict(rrf([["a", "b", "c"], ["c", "a"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert fused["b"] == pytest.approx(1 / 62)
    weighted = dict(rrf([["a"], ["b"]], k=60, weights=[2.0, 1.0]))
    assert weighted["a"] == pytest.approx(2 / 61) and weighted["b"] == pytest.approx(1 / 61)


def test_spo_workload_question_finds_both_years(searcher):
    hits = searcher.search("Which recommendations about SPO workload recur across years?", k=10)
    texts = [h.chunk.text for h in hits]
    assert any(SPO_2020 in t for t in texts)
    assert any(SPO_2022 in t for t in texts)
    h2020 = next(h for h in hits if SPO_2020 in h.chunk.text)
    assert h2020.chunk.rec_no == 8 and h2020.document.year == 2020
    assert "recommendation 8" in h2020.citation()


def test_convex_arithmetic():
    # bm25 upper bound 10: a -> 0.5*0.8 + 0.5*(5/10); b (no bm25) -> 0.5*0.6; c (no dense) -> lowest cosine 0.6
    fused = dict(convex([("a", 5.0), ("c", 8.0)], [("a", 0.8), ("b", 0.6)], bm25_upper_bound=10.0))
    assert fused["a"] == pytest.approx(0.5 * 0.8 + 0.5 * 0.5)
    assert fused["b"] == pytest.approx(0.5 * 0.6)
    assert fused["c"] == pytest.approx(0.5 * 0.6 + 0.5 * 0.8)
    # a passage one list ranks first is not dragged down by the other list's silence
    assert convex([("x", 1.0)], [("y", 0.9)], 2.0) == [("x", pytest.approx(0.5 * 0.9 + 0.5 * 0.5)),
                                                       ("y", pytest.approx(0.5 * 0.9))]


def test_no_passage_appears_twice_and_scores_explain_the_fusion(searcher):
    from search.retrieval.searcher import Searcher, SearchSettings

    q = "training for newly qualified officers"
    rrf_searcher = Searcher(searcher.index_dir, embedder=searcher.embedder, analyzer=searcher.analyzer,
                            data=searcher.data, settings=SearchSettings(fusion="rrf"))
    for s in (searcher, rrf_searcher):
        hits = s.search(q, k=20)
        ids = [h.chunk.chunk_id for h in hits]
        assert len(ids) == len(set(ids))
        assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    for h in rrf_searcher.search(q, k=20):
        assert h.score == pytest.approx(sum(1 / (60 + r) for r in (h.bm25_rank, h.dense_rank) if r))
    ub = searcher.lexical.upper_bound(searcher.analyzer.query_tokens(q))
    assert searcher.settings.fusion == "convex"
    for h in searcher.search(q, k=20):
        if h.bm25_score is not None and h.dense_score is not None:
            assert h.score == pytest.approx(0.5 * max(h.dense_score, 0) + 0.5 * h.bm25_score / ub)
        assert 0 <= h.score <= 1


def test_abbreviation_finds_the_spelled_out_form(searcher):
    # these rows say "workload measurement/management tool(s)" and never "WMT"
    spelled_out = [c for c in searcher.chunks
                   if "workload m" in c.text.lower() and "WMT" not in c.text and c.kind == "recommendation"]
    assert spelled_out
    found = {h.chunk.chunk_id for h in searcher.search("WMT", k=5, mode="bm25")}
    assert {c.chunk_id for c in spelled_out} & found
    # and the reverse: the spelled-out query finds rows that only abbreviate
    spo = set(searcher.analyzer.query_tokens("senior probation officer"))
    assert "spo" in spo


@pytest.mark.parametrize("filters,check", [
    (Filters(doc_type="strategy"), lambda d: d.doc_type == "strategy"),
    (Filters(year_from=2022, year_to=2022), lambda d: d.year == 2022),
    (Filters(year_to=2020), lambda d: d.year == 2020),
    (Filters(publisher="inspectorate"), lambda d: "Inspectorate" in d.publisher),
])
@pytest.mark.parametrize("mode", ["hybrid", "bm25", "dense"])
def test_filters_apply_before_the_cut(searcher, filters, check, mode):
    hits = searcher.search("recruitment and training of probation staff", k=5, mode=mode, filters=filters)
    assert len(hits) == 5 or mode == "bm25"
    assert hits and all(check(h.document) for h in hits)


def test_a_filter_matching_nothing_returns_nothing(searcher):
    assert searcher.search("SPO workload", k=10, filters=Filters(year_from=2031)) == []
    assert searcher.search("SPO workload", k=10, filters=Filters(doc_type="inspection_report")) == []


def test_k_larger_than_the_index_returns_what_exists(searcher):
    hits = searcher.search("probation", k=10_000, mode="dense")
    assert len(hits) == len(searcher) and len({h.chunk.chunk_id for h in hits}) == len(searcher)


@pytest.mark.parametrize("bad", ["", "   ", "x" * 5000])
def test_bad_queries_get_a_clear_message(searcher, bad):
    with pytest.raises(QueryError):
        searcher.search(bad)


def test_cli_search_json_schema(corpus_index):
    out = subprocess.run(
        [sys.executable, "-m", "ui.cli", "search", "Which recommendations about SPO workload recur across years?",
         "--json", "--index", str(corpus_index)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    hits = data["hits"]
    assert len(hits) == 10
    keys = {"rank", "score", "chunk_id", "doc_id", "title", "doc_type", "date", "year", "pages", "rec_no",
            "section", "text", "ranks", "citation"}
    assert keys <= set(hits[0])
    assert set(hits[0]["ranks"]) == {"bm25", "dense"}
    assert any(SPO_2020 in h["text"] and h["year"] == 2020 and h["rec_no"] == 8 for h in hits)
    assert any(SPO_2022 in h["text"] and h["year"] == 2022 and h["rec_no"] == 17 for h in hits)


def test_cli_reports_a_missing_index_in_one_line(tmp_path):
    out = subprocess.run([sys.executable, "-m", "ui.cli", "search", "anything", "--index", str(tmp_path / "none")],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "inspection-search index" in out.stderr

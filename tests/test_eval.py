"""The evaluation on real indexes: the regression floor on the shipped set, the labels
against the corpus, and scoring a labelled file against an index of other documents."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.metrics import load_queries, normalise
from eval.run import evaluate

REPO = Path(__file__).resolve().parent.parent
QUERIES = REPO / "eval" / "queries.jsonl"
BASELINE = REPO / "eval" / "baseline.json"
ALLOWED_DROP = 0.02


@pytest.fixture(scope="module")
def shipped_result(searcher):
    return evaluate(searcher, load_queries(QUERIES), k=10, modes=("bm25", "dense", "hybrid"))


def test_hybrid_ndcg_holds_the_recorded_baseline(shipped_result):
    base = json.loads(BASELINE.read_text(encoding="utf-8"))
    floor = base["modes"]["hybrid"]["ndcg"] - ALLOWED_DROP
    got = shipped_result.modes["hybrid"].overall.ndcg
    assert got >= floor, (f"hybrid nDCG@10 fell to {got:.4f}, below the baseline {base['modes']['hybrid']['ndcg']:.4f} "
                          f"- {ALLOWED_DROP}; run `inspection-search eval --details` to see which queries lost")


def test_hybrid_is_not_worse_than_either_list_it_fuses(shipped_result):
    m = shipped_result.modes
    best_single = max(m["bm25"].overall.ndcg, m["dense"].overall.ndcg)
    assert m["hybrid"].overall.ndcg >= best_single, {k: v.overall.ndcg for k, v in m.items()}


def test_every_labelled_query_is_scored_once_per_mode(shipped_result):
    labelled = [q for q in load_queries(QUERIES) if q.answerable]
    for mode in ("bm25", "dense", "hybrid"):
        assert [r.query.qid for r in shipped_result.modes[mode].queries] == [q.qid for q in labelled]
        assert sum(s.queries for s in shipped_result.modes[mode].by_kind.values()) == len(labelled)


def test_every_quote_in_the_shipped_labels_is_in_the_corpus():
    from indexer.build.intake import discover
    from indexer.readers import read_file

    files, _ = discover([REPO / "corpus"])
    texts = [f" {normalise(read_file(f).text)} " for f in files]
    missing = [(q.qid, g.quote) for q in load_queries(QUERIES) for g in q.relevant
               if not any(f" {g.norm} " in t for t in texts)]
    assert not missing, missing


def test_the_no_answer_queries_have_no_labels_and_the_others_have_a_grade_2_quote():
    for q in load_queries(QUERIES):
        assert q.answerable == (q.kind != "no-answer"), q.qid
        if q.answerable:
            assert any(g.grade == 2 for g in q.relevant), q.qid


# --- any index, any labelled file ---------------------------------------------------

TINY = {
    "lighthouse.txt": "Lighthouse keeping\n\nThe keeper polishes the Fresnel lens every Tuesday morning before dawn. "
                      "Paraffin for the lamp is delivered by boat once a month, weather permitting.",
    "bees.txt": "Beekeeping notes\n\nA strong colony of honey bees needs about twenty kilograms of stored honey "
                "to survive the winter. Varroa mites are counted on a sticky board in late summer.",
    "bread.txt": "Sourdough baking\n\nFeed the starter with equal weights of rye flour and water twelve hours "
                 "before mixing the dough. Bake the loaf in a covered pot at 240 degrees.",
}
TINY_QUERIES = [
    {"id": "t1", "query": "How often is the Fresnel lens polished?", "kind": "lighthouse",
     "relevant": [{"quote": "polishes the Fresnel lens every Tuesday", "grade": 2}]},
    {"id": "t2", "query": "how much stored honey does a bee colony need for winter", "kind": "bees",
     "relevant": [{"quote": "needs about twenty kilograms of stored honey", "grade": 2},
                  {"quote": "Varroa mites are counted on a sticky board", "grade": 1}]},
    {"id": "t3", "query": "What flour is the sourdough starter fed with?", "kind": "bread",
     "relevant": [{"quote": "equal weights of rye flour and water", "grade": 2}]},
    {"id": "t4", "query": "What is the tide table for next week?", "kind": "no-answer", "relevant": []},
]
TINY_GOLD = {"lighthouse.txt": "Paraffin for the lamp is delivered by boat once a month, weather permitting.",
             "bees.txt": "A strong colony of honey bees needs about twenty kilograms of stored honey "
                         "to survive the winter."}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, embedder, analyzer):
    from indexer.build import build_index

    root = tmp_path_factory.mktemp("tiny-eval")
    docs = root / "docs"
    docs.mkdir()
    for name, text in TINY.items():
        (docs / name).write_text(text, encoding="utf-8")
    labels = root / "labels.jsonl"
    labels.write_text("".join(json.dumps(q) + "\n" for q in TINY_QUERIES), encoding="utf-8")
    report = build_index([docs], root / "index", embedder=embedder, analyzer=analyzer)
    assert report.total_documents == 3 and not report.skipped
    return root


def test_a_labelled_file_scores_an_index_of_other_documents(tiny, embedder, analyzer):
    from search.retrieval.searcher import Searcher

    s = Searcher(tiny / "index", embedder=embedder, analyzer=analyzer)
    result = evaluate(s, load_queries(tiny / "labels.jsonl"), k=10, modes=("bm25", "hybrid"))
    assert result.kinds == ("lighthouse", "bees", "bread") and result.labelled == 3
    for mode in ("bm25", "hybrid"):
        m = result.modes[mode]
        # each document is one passage holding all of its quotes: every query is answered at rank 1
        assert (m.overall.ndcg, m.overall.recall, m.overall.mrr, m.overall.success) == (1.0, 1.0, 1.0, 1.0)
        assert m.by_kind["bees"].queries == 1
        t2 = next(r for r in m.queries if r.query.qid == "t2")
        assert [(c.quote, c.rank) for c in t2.score.credits] == [(0, 1), (1, 1)]


def test_cli_eval_json_and_trec_files_on_another_index(tiny, capsys):
    from ranx import Qrels, Run
    from ranx import evaluate as ranx_evaluate

    from ui.cli import main

    out_dir = tiny / "trec"
    code = main(["eval", "--index", str(tiny / "index"), "--queries", str(tiny / "labels.jsonl"),
                 "--modes", "bm25,dense", "--k", "2", "--json", "--run-out", str(out_dir), "--no-extras",
                 "--record-baseline", str(tiny / "baseline.json")])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["k"] == 2 and data["labelled"] == 3 and data["no_answer"] == 1
    assert set(data["modes"]) == {"bm25", "dense"}
    assert data["modes"]["bm25"]["overall"]["success"] == 1.0
    base = json.loads((tiny / "baseline.json").read_text())
    assert base["k"] == 2 and base["modes"]["dense"]["ndcg"] == round(data["modes"]["dense"]["overall"]["ndcg"], 4)
    assert set(base["by_kind"]["bm25"]) == {"lighthouse", "bees", "bread"}
    qrels_lines = (out_dir / "quotes.qrels").read_text().splitlines()
    assert qrels_lines == ["t1 0 t1.1 2", "t2 0 t2.1 2", "t2 0 t2.2 1", "t3 0 t3.1 2"]
    first = (out_dir / "bm25.run").read_text().splitlines()[0].split()
    assert first[:2] == ["t1", "Q0"] and first[3] == "1" and first[5] == "inspection-search-bm25"
    # the quote-slot runs reproduce nDCG with ranx read from the files alone
    for mode in ("bm25", "dense"):
        got = ranx_evaluate(Qrels.from_file(str(out_dir / "quotes.qrels"), kind="trec"),
                            Run.from_file(str(out_dir / f"{mode}.quotes.run"), kind="trec"), "ndcg_burges@2",
                            make_comparable=True)
        assert got == pytest.approx(data["modes"][mode]["overall"]["ndcg"])


def test_cli_eval_reports_a_bad_labels_file_in_one_line(tiny, tmp_path, capsys):
    from ui.cli import main

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "query": "q", "relevant": [{"quote": "a", "grade": 5}]}\n', encoding="utf-8")
    assert main(["eval", "--index", str(tiny / "index"), "--queries", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "bad.jsonl:1" in err and "grade is 5" in err and len(err.splitlines()) == 1


def test_plain_report_lists_modes_kinds_and_missed_quotes(tiny, embedder, analyzer):
    from search.retrieval.searcher import Searcher
    from ui.cmd_eval import report

    s = Searcher(tiny / "index", embedder=embedder, analyzer=analyzer)
    labels = tiny / "labels-miss.jsonl"
    labels.write_text(json.dumps({"id": "m1", "query": "lamp paraffin delivery", "kind": "lighthouse",
                                  "relevant": [{"quote": "a quote that appears nowhere", "grade": 2}]}) + "\n")
    result = evaluate(s, load_queries(labels), k=3, modes=("hybrid",))
    text = report(result, str(labels), details=True)
    assert "nDCG@3" in text and "lighthouse (1)" in text
    assert "missed m1.1 (grade 2)" in text and "got [1] " in text


def test_extras_score_ask_held_out_by_document(tiny, embedder, analyzer):
    """ask's own labelled set on another index: every question asked once, cuts chosen per fold
    without the fold's document, figures pooled over the held-out folds."""
    from eval.ask import load_ask_set
    from search.retrieval.searcher import Searcher

    s = Searcher(tiny / "index", embedder=embedder, analyzer=analyzer)
    ask = tiny / "ask.jsonl"
    rows = [
        {"id": "a1", "question": "How is paraffin for the lamp delivered?", "answerable": True, "kind": "fact",
         "gold": [TINY_GOLD["lighthouse.txt"]], "doc": "lighthouse.txt"},
        {"id": "a2", "question": "How much stored honey does a colony need?", "answerable": True, "kind": "fact",
         "gold": [TINY_GOLD["bees.txt"]], "doc": "bees.txt"},
        {"id": "u1", "question": "What did the keeper of the Glasgow lighthouse eat?", "answerable": False,
         "kind": "near-miss-place", "missing": ["Glasgow"], "doc": "lighthouse.txt"},
        {"id": "u2", "question": "How many loaves did the baker sell in 1999?", "answerable": False,
         "kind": "near-miss-year", "missing": ["1999"], "doc": "bread.txt"},
    ]
    ask.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = evaluate(s, load_queries(tiny / "labels.jsonl"), k=5, modes=("hybrid",), extras=True,
                      ask_items=load_ask_set(ask))
    cv = result.answers
    assert {f["doc"] for f in cv.folds} == {"lighthouse.txt", "bees.txt", "bread.txt"}
    assert sum(f["questions"] for f in cv.folds) == 4
    assert cv.held_out.answerable == 2 and cv.held_out.unanswerable == 2
    assert 0 <= cv.held_out.gold_answered <= 1 and 0 <= cv.held_out.declined <= 1
    assert result.recurrence.status == "skipped"  # no query of kind recurrence in this file


def test_cuts_are_chosen_without_the_questions_they_score():
    from eval.ask import AskItem, AskRow, choose_cuts, cross_validate

    def row(qid, doc, answerable, cov, cos, gold=True):
        return AskRow(AskItem(qid, qid, answerable, "k", doc, ("g",) if answerable else ()), True, cov, cos,
                      gold, gold, False, "")

    # each document's questions are decided by cuts chosen on the other documents' questions alone:
    # A's weak answerable question is declined and B's unanswerable one answered, held out
    rows = [row("a1", "A", True, 0.1, 0.3), row("a2", "A", False, 0.05, 0.25),
            row("b1", "B", True, 0.6, 0.6), row("b2", "B", False, 0.2, 0.3),
            row("c1", "C", True, 0.7, 0.5), row("c2", "C", False, 0.15, 0.28)]
    cv = cross_validate(rows)
    for f in cv.folds:
        others = [r for r in rows if r.item.doc != f["doc"]]
        assert (f["coverage"], f["cosine"]) == choose_cuts(others)
    assert cv.held_out.answerable == cv.held_out.unanswerable == 3
    assert cv.held_out.gold_answered == pytest.approx(2 / 3) and cv.held_out.declined == pytest.approx(2 / 3)

"""Has this been recommended before? `similar` over the shipped plans, inspectors' judgements,
and the held-out figures on the labelled pairs (eval/rec_pairs.jsonl)."""
from __future__ import annotations

import csv
import io
import json
import shutil
import threading

import pytest
from conftest import CORPUS

from search.records.judgements import JudgementStore, record_key
from search.records.recurrence import CONFIRMED, find_threads, threads_csv
from search.records.similar import resolve_record, similar, similar_csv
from search.records.view import records_view


def _key(rec):
    return (rec.year, rec.number)


def _keys(matches):
    return [_key(m.record) for m in matches]


@pytest.fixture
def own_index(corpus_index, tmp_path):
    """A copy of the session's index this test may judge in."""
    idx = tmp_path / "index"
    shutil.copytree(corpus_index, idx)
    return idx


@pytest.fixture
def own_searcher(own_index, embedder, analyzer):
    from search.retrieval.searcher import Searcher

    return Searcher(own_index, embedder=embedder, analyzer=analyzer)


# --- similar ------------------------------------------------------------------------------------

@pytest.mark.parametrize("later,earlier", [
    ("2022-06#14", (2020, 4)),  # support the region to recruit and retain staff <- recruit skilled staff enough
    ("2025-02#5", (2020, 6)),  # candidates' health-related needs shared <- disclosed diversity needs shared
    ("2022-06#17", (2020, 8)),  # SPO workload
])
def test_the_repeats_the_issue_names_are_in_the_top_three(searcher, later, earlier):
    rec = resolve_record(records_view(searcher), later)
    top = similar(records_view(searcher), record=rec, k=3)
    assert earlier in _keys(top), [(m.record.rec_id, round(m.similarity, 3)) for m in top]
    # only earlier records of other documents, never the record itself
    assert all(m.record.doc_id != rec.doc_id and m.record.year < rec.year for m in top)


def test_a_pasted_draft_finds_the_recommendations_it_repeats(searcher):
    top = similar(records_view(searcher), text="Review how senior probation officers' workloads are measured and kept "
                                 "manageable", k=5)
    assert {(2020, 8), (2022, 17)} <= set(_keys(top[:3]))
    first = top[0]
    assert "workload" in first.shared and first.record.status == "Agreed"
    assert first.similarity >= top[1].similarity >= top[-1].similarity
    body = first.to_json()
    assert set(body["parts"]) == {"subject_dense", "text_dense", "lexical", "response_dense"}
    assert body["record"]["target_dates"] and body["record"]["response"]


def test_a_report_recommendation_is_compared_as_itself_and_shows_its_answer(searcher):
    deck5 = resolve_record(records_view(searcher), "2025-01#r5")
    top = similar(records_view(searcher), record=deck5, k=5)
    assert (2020, 6) in _keys(top)
    # the deck's recommendation 5 is answered by the 2025 plan's row 5: never offered as its own repeat
    assert deck5.linked and all(m.record.rec_id != deck5.linked for m in top)


@pytest.mark.parametrize("ref", ["2022-06#99", "nonsense", "#3"])
def test_an_unknown_record_is_refused_by_name(searcher, ref):
    with pytest.raises(ValueError, match="no record"):
        resolve_record(records_view(searcher), ref)


# --- held out ------------------------------------------------------------------------------------

def test_held_out_figures_on_the_labelled_pairs(searcher):
    from eval.repeats import evaluate_repeats, load_pairs

    r = evaluate_repeats(searcher, load_pairs())
    assert r.similar_queries >= 9 and r.grade2_pairs >= 10
    assert r.similar_recall_at_5 >= 0.95 and r.similar_mrr >= 0.8
    assert r.thread_precision >= 0.9
    # both named repeats in the held-out top 3 as well
    assert r.similar_ranks["2022#14"][0] <= 3 and r.similar_ranks["2025#5"][0] <= 3


def test_eval_reports_the_repeat_figures_held_out(searcher):
    from conftest import QUERIES

    from eval.metrics import load_queries
    from eval.repeats import load_pairs
    from eval.run import evaluate
    from ui.cmd_eval import report

    result = evaluate(searcher, load_queries(QUERIES), k=10, modes=("bm25",), extras=True, pairs=load_pairs())
    text = report(result, "eval/queries.jsonl")
    assert "repeats (9 records with grade-2 earlier records, 10 grade-2 pairs" in text
    assert f"similar: recall@5 {result.repeats.similar_recall_at_5:.3f}" in text
    from search.thresholds import THREAD_THRESHOLD

    # the shipped threshold, with how far it can move before the threads lose more than a pair
    assert f"thread threshold {THREAD_THRESHOLD:.3g} finds" in text and "thresholds as good on the grid: 0." in text
    assert json.loads(json.dumps(result.to_json()))["repeats"]["shipped"]["threads"]["threshold"] == THREAD_THRESHOLD


# --- judgements --------------------------------------------------------------------------------

def _thread_of(threads, key):
    return next((t for t in threads if key in {_key(r) for r in t.instances}), None)


def test_a_confirmed_and_a_rejected_link_change_threads_similar_and_the_csvs(own_searcher):
    s = own_searcher
    r14, r4 = resolve_record(records_view(s), "2022-06#14"), resolve_record(records_view(s), "2020-03#4")
    r17, r8 = resolve_record(records_view(s), "2022-06#17"), resolve_record(records_view(s), "2020-03#8")
    before = find_threads(records_view(s))
    assert _thread_of(before, (2022, 14)) is None  # too unlike in words for the precise view
    assert {(2020, 8), (2022, 17)} <= {_key(r) for r in _thread_of(before, (2022, 17)).instances}

    store = JudgementStore(s.index_dir)
    store.judge(r14, r4, "match", by="inspector A")
    store.judge(r17, r8, "reject")

    after = find_threads(records_view(s))
    t = _thread_of(after, (2022, 14))
    assert t is not None and {(2020, 4), (2022, 14)} <= {_key(r) for r in t.instances}
    assert all(CONFIRMED in f for r, f in zip(t.instances, t.flags) if _key(r) in {(2020, 4), (2022, 14)})
    t17 = _thread_of(after, (2022, 17))
    assert t17 is None or (2020, 8) not in {_key(r) for r in t17.instances}
    # the SPO thread is gone for that topic's first place only because an inspector said so
    spo = find_threads(records_view(s), "SPO workload")
    assert not any({(2020, 8), (2022, 17)} <= {_key(r) for r in th.instances} for th in spo)

    top = similar(records_view(s), record=r14, k=5)
    assert _key(top[0].record) == (2020, 4) and top[0].judgement == "match"  # confirmed first
    assert (2020, 8) not in _keys(similar(records_view(s), record=r17, k=20))  # rejected: left out
    shown = similar(records_view(s), record=r17, k=20, include_rejected=True)
    assert next(m for m in shown if _key(m.record) == (2020, 8)).judgement == "no_match"

    buf = io.StringIO()
    threads_csv(after, buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    mine = [r for r in rows if r["thread_id"] == t.thread_id]
    assert {(r["year"], r["number"]) for r in mine} >= {("2020", "4"), ("2022", "14")}
    assert all(CONFIRMED in r["flags"] for r in mine if (r["year"], r["number"]) in {("2020", "4"), ("2022", "14")})
    buf = io.StringIO()
    similar_csv(records_view(s), top, buf)
    first = next(csv.DictReader(io.StringIO(buf.getvalue())))
    assert first["judgement"] == "match" and first["number"] == "4" and first["shared_words"]


def test_judgements_survive_a_rebuild_and_adding_a_document(tmp_path, embedder, analyzer):
    from indexer.build import build_index
    from search.retrieval.searcher import Searcher

    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    idx = tmp_path / "index"
    build_index([folder], idx, embedder=embedder, analyzer=analyzer)
    s = Searcher(idx, embedder=embedder, analyzer=analyzer)
    JudgementStore(idx).judge(resolve_record(records_view(s), "2022-06#14"),
                              resolve_record(records_view(s), "2020-03#4"), "match")

    def joined(searcher) -> bool:
        t = _thread_of(find_threads(records_view(searcher)), (2022, 14))
        return t is not None and (2020, 4) in {_key(r) for r in t.instances}

    build_index([folder], idx, embedder=embedder, analyzer=analyzer, rebuild=True)
    s = Searcher(idx, embedder=embedder, analyzer=analyzer)
    assert s.generation != "gen-000001" and joined(s)
    (folder / "2026-01_note_staffing.txt").write_text(
        "Staffing note\n\nA short note on rotas in coastal offices, added later.\n", encoding="utf-8")
    build_index([folder], idx, embedder=embedder, analyzer=analyzer)
    s = Searcher(idx, embedder=embedder, analyzer=analyzer)
    assert len(s.docs) == 6 and joined(s)


def test_judgements_export_and_import_as_csv(own_searcher, tmp_path):
    s = own_searcher
    store = JudgementStore(s.index_dir)
    store.judge(resolve_record(records_view(s), "2022-06#14"), resolve_record(records_view(s), "2020-03#4"),
                "match", by="A")
    store.judge(resolve_record(records_view(s), "2022-06#17"), resolve_record(records_view(s), "2020-03#8"),
                "no_match", by="B")
    out = tmp_path / "judgements.csv"
    assert store.export_csv(out) == 2
    other = JudgementStore(tmp_path / "other-index")
    assert other.import_csv(out) == 2
    assert {(k, j.label, j.by) for k, j in other.latest().items()} == \
        {(k, j.label, j.by) for k, j in store.latest().items()}
    # a bad label is refused with the file and line, and nothing is added
    bad = tmp_path / "bad.csv"
    bad.write_text(out.read_text(encoding="utf-8").replace("no_match", "perhaps"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.csv:\d: .*perhaps"):
        other.import_csv(bad)
    assert len(other.all()) == 2


def test_a_later_judgement_replaces_an_earlier_one_and_the_history_is_kept(own_searcher):
    s = own_searcher
    a, b = resolve_record(records_view(s), "2022-06#14"), resolve_record(records_view(s), "2020-03#4")
    store = JudgementStore(s.index_dir)
    store.judge(a, b, "match")
    store.judge(b, a, "no_match")  # order of the two records does not matter
    assert [j.label for j in store.latest().values()] == ["no_match"]
    assert len(store.all()) == 2
    assert (2020, 4) not in _keys(similar(records_view(s), record=a, k=20))


def test_judgements_are_keyed_by_content_not_by_place(searcher):
    a = resolve_record(records_view(searcher), "2022-06#14")
    from dataclasses import replace

    moved = replace(a, rec_id="elsewhere#3", doc_id="elsewhere", number=3, chunk_id="x")
    assert record_key(moved) == record_key(a)
    assert record_key(replace(a, text=a.text + " and vet them")) != record_key(a)


def test_concurrent_judgements_are_all_kept_and_a_failed_write_changes_nothing(own_searcher, monkeypatch):
    s = own_searcher
    recs = [r for r in s.data.recommendations if r.text.strip()][:21]
    store = JudgementStore(s.index_dir)
    pairs = [(recs[0], r) for r in recs[1:]]
    threads = [threading.Thread(target=store.judge, args=(a, b, "match")) for a, b in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.all()) == len(pairs) == 20
    before = store.path.read_bytes()

    from indexer import fsio

    def fail(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsio, "replace", fail)
    with pytest.raises(OSError):
        store.judge(recs[1], recs[2], "no_match")
    assert store.path.read_bytes() == before
    assert not [p for p in store.dir.iterdir() if p.name.startswith(f".{store.path.name}.tmp")]


# --- the command line ----------------------------------------------------------------------------

def test_cli_similar_judge_and_judgements(own_index, tmp_path, capsys):
    from ui.cli import main

    assert main(["similar", "--record", "2022-06#14", "-k", "3", "--json", "--index", str(own_index)]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["query"]["record"].endswith("#14") and len(body["matches"]) == 3
    assert any(m["record"]["number"] == 4 for m in body["matches"])
    assert main(["judge", "2022-06#14", "2020-03#4", "confirm", "--by", "tester", "--index", str(own_index)]) == 0
    assert "a repeat" in capsys.readouterr().out
    assert main(["similar", "--record", "2022-06#14", "-k", "3", "--index", str(own_index)]) == 0
    text = capsys.readouterr().out
    assert text.index("CONFIRMED REPEAT") < text.index("[2]")
    out = tmp_path / "j.csv"
    assert main(["judgements", "--export", str(out), "--index", str(own_index)]) == 0
    assert "tester" in out.read_text(encoding="utf-8")
    assert main(["similar", "--index", str(own_index)]) == 2
    assert "give the draft's text, or --record" in capsys.readouterr().err
    assert main(["judge", "2022-06#14", "2099#1", "match", "--index", str(own_index)]) == 2
    assert "no record '2099#1'" in capsys.readouterr().err

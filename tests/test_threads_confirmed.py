"""Threads that show what inspectors confirmed (issue 20): a report's recommendation and its plan row are one
recommendation made in the report's year; a confirmed pair is always a thread; a pasted draft can be
confirmed before it is a record. And links that leave a tie unlinked, saying so."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS
from layout_printers import print_plan, print_report
from layouts import CASE_ADMIN, KINGSBRIDGE, KINGSBRIDGE_PLAN, Action, Plan, Row

from indexer.build import build_index
from search.records.judgements import JudgementStore, draft_key
from search.records.recurrence import CONFIRMED, find_threads, threads_csv, year_made
from search.records.view import records_view
from search.retrieval.searcher import Searcher

CRS_2022 = "2022-06_action-plan_essex-north-northamptonshire.txt"


@pytest.fixture()
def index(tmp_path, embedder, analyzer):
    folder = tmp_path / "docs"
    shutil.copytree(CORPUS, folder)
    (folder / KINGSBRIDGE.file).write_bytes(print_report(KINGSBRIDGE)[0])
    (folder / KINGSBRIDGE_PLAN.file).write_bytes(print_plan(KINGSBRIDGE_PLAN, "pdf")[0])
    (folder / CASE_ADMIN.file).write_bytes(print_report(CASE_ADMIN)[0])
    idx = tmp_path / "idx"
    build_index([folder], idx, embedder=embedder, analyzer=analyzer)
    return folder, idx


def _view(idx, embedder, analyzer):
    return records_view(Searcher(idx, embedder=embedder, analyzer=analyzer))


def _rec(view, file: str, number: int, kind: str = "plan_row"):
    doc = next(d for d in view.documents.values() if Path(d.path).name == file)
    return next(r for r in view.records if r.doc_id == doc.doc_id and r.number == number and r.kind == kind)


def _thread(threads, rec):
    return next((t for t in threads if rec.rec_id in {r.rec_id for r in t.instances}), None)


def test_a_plan_row_answering_a_report_counts_in_the_reports_year(index, embedder, analyzer):
    _, idx = index
    view = _view(idx, embedder, analyzer)
    row = _rec(view, KINGSBRIDGE_PLAN.file, 7)  # the plan is dated February 2026, the report December 2025
    report_rec = _rec(view, KINGSBRIDGE.file, 4, "report")
    assert row.linked == report_rec.rec_id and (row.year, report_rec.year) == (2026, 2025)
    assert year_made(row, view) == 2025
    # row 8 (for Millbrook PDU) answers no report in the index: the year of the report its plan answers
    millbrook = _rec(view, KINGSBRIDGE_PLAN.file, 8)
    assert millbrook.linked is None and year_made(millbrook, view) == 2025


def test_a_confirmed_pair_is_a_thread_whatever_the_minimum_of_years(index, embedder, analyzer, capsys):
    _, idx = index
    view = _view(idx, embedder, analyzer)
    a = _rec(view, CASE_ADMIN.file, 4, "report")  # 2025 (March): a new case management system
    b = _rec(view, KINGSBRIDGE_PLAN.file, 3)  # made in 2025 (December): home visits; nothing else like either
    assert _thread(find_threads(view), b) is None and _thread(find_threads(view), a) is None
    JudgementStore(idx).judge(a, b, "match", by="A. Inspector")
    view = _view(idx, embedder, analyzer)
    for min_years in (1, 2, 3):
        t = _thread(find_threads(view, min_years=min_years), b)
        assert t is not None and t.years == (2025,) and t.recurs is (min_years == 1)
        assert {a.rec_id, b.rec_id} <= {r.rec_id for r in t.instances} and all(CONFIRMED in f for f in t.flags)
    buf = io.StringIO()
    threads_csv(find_threads(view), buf)
    rows = [r for r in csv.DictReader(io.StringIO(buf.getvalue())) if r["rec_id"] in (a.rec_id, b.rec_id)]
    assert len(rows) == 2 and all(CONFIRMED in r["flags"] and r["year_made"] == "2025" for r in rows)
    from ui.cli import main

    assert main(["recurring", "--json", "--index", str(idx)]) == 0
    shown = json.loads(capsys.readouterr().out)["threads"]
    assert any({a.rec_id, b.rec_id} <= {i["rec_id"] for i in t["instances"]} for t in shown)


def test_a_pasted_draft_is_confirmed_now_and_joins_the_thread_once_indexed(index, embedder, analyzer):
    from search.records.similar import similar

    folder, idx = index
    draft = "Cut the waiting times for accommodation support from rehabilitative services in every PDU."
    view = _view(idx, embedder, analyzer)
    crs = _rec(view, CRS_2022, 12)
    store = JudgementStore(idx)
    j = store.judge_draft(draft, crs, "confirm", by="A. Inspector")
    assert j.draft and draft_key(draft) in (j.a, j.b) and "cut the waiting times" in (j.a_text + j.b_text)
    assert [p.by for p in store.pending_drafts(list(view.records))] == ["A. Inspector"]
    # the same draft pasted again shows the judgement on its match
    match = next(m for m in similar(view, text=draft, k=20) if m.record.rec_id == crs.rec_id)
    assert match.judgement == "match"
    # the draft becomes a recommendation of a report indexed later
    (folder / "2027-01_fenmoor-pdu-inspection.txt").write_text(
        "HM Inspectorate of Probation\nAn inspection of probation services in Fenmoor PDU\nPublished: 12 January 2027"
        "\n\nRecommendations\n\nHM Prison and Probation Service should:\n\n1. " + draft + "\n\nFindings\n\n"
        "Waiting times were long.\n", encoding="utf-8")
    build_index([folder], idx, embedder=embedder, analyzer=analyzer)
    view = _view(idx, embedder, analyzer)
    new = next(r for r in view.records if r.text == draft)
    t = _thread(find_threads(view), new)
    assert t is not None and crs.rec_id in {r.rec_id for r in t.instances}
    assert all(CONFIRMED in f for r, f in zip(t.instances, t.flags) if r.rec_id in (new.rec_id, crs.rec_id))
    assert store.pending_drafts(list(view.records)) == []


def test_a_tie_between_two_plan_rows_is_left_unlinked_and_reported(tmp_path, embedder, analyzer):
    text = "Reduce waiting times for accommodation support from commissioned rehabilitative services."
    plan = Plan("tie", "2026-03_action-plan_accommodation.docx", ("docx",), "tie",
                "Action plan: A thematic inspection of accommodation support", "2026-03-02", "2026-01-20", None,
                ["ACTION PLAN", "Action Plan Submitted: 2 March 2026", "A Response to the HMI Probation Inspection:",
                 "A thematic inspection of accommodation support", "Report Published: 20 January 2026"],
                ("Rec No", "Recommendation", "Agreed/ Partly Agreed/ Not Agreed", "Response", "Responsible Owner",
                 "Target Date"),
                [("HM Prison and Probation Service should:", [
                    Row("2", text, "Agreed", [Action(["Places re-commissioned."], ["Region A"], ["2026"])],
                        scope="for Kingsbridge PDU"),
                    Row("3", text, "Agreed", [Action(["Places re-commissioned."], ["Region B"], ["2026"])],
                        scope="for Millbrook PDU")])])
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / plan.file).write_bytes(print_plan(plan, "docx")[0])
    (folder / "accommodation-thematic.txt").write_text(
        "HM Inspectorate of Probation\nA thematic inspection of accommodation support\nPublished: 20 January 2026\n\n"
        "Recommendations\n\nHM Prison and Probation Service should:\n\n1. " + text + "\n\nFindings\n\nLong waits.\n",
        encoding="utf-8")
    report = build_index([folder], tmp_path / "idx", embedder=embedder, analyzer=analyzer)
    warning = next(w for w in report.warnings if w.startswith("link ambiguous"))
    view = _view(tmp_path / "idx", embedder, analyzer)
    rec = next(r for r in view.records if r.kind == "report")
    assert rec.rec_id in warning and rec.linked is None
    assert all(r.linked is None for r in view.records)

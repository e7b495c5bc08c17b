"""Real documents in, recommendation records out: action-plan tables as PDF, Word, OpenDocument and
HTML; an inspection report's recommendations as PDF, HTML, Word and OpenDocument; each report
recommendation linked to the plan row that answers it. Everything goes through the real readers
(in their child process), the real index on disk and the real model."""
from __future__ import annotations

import json
from collections import Counter

import documents as docs
import pytest
from conftest import CORPUS

from indexer.build import build_index
from indexer.extract.actionplan import parse_action_plan
from indexer.index.store import IndexStore
from indexer.readers import read_bytes, read_file
from indexer.readers.isolated import read_document
from search.records.view import records_view

PLAN_MAKERS = {"pdf": docs.plan_pdf, "docx": docs.plan_docx, "odt": docs.plan_odt, "html": docs.plan_html}
REPORT_MAKERS = {"pdf": docs.report_pdf, "html": docs.report_html, "docx": docs.report_docx, "odt": docs.report_odt}
# where each Riverford row lands in the table PDF: row 2's long response runs onto page 2
RIVERFORD_PAGES = {1: (1,), 2: (1, 2), 3: (2,), 4: (2,), 5: (2,)}


def _index(tmp_path, files: dict[str, bytes], embedder, analyzer, name="idx"):
    folder = tmp_path / f"{name}-docs"
    folder.mkdir()
    for fname, data in files.items():
        (folder / fname).write_bytes(data)
    idx = tmp_path / name
    report = build_index([folder], idx, embedder=embedder, analyzer=analyzer)
    assert not report.skipped, report.skipped
    return IndexStore(idx).read(), report


@pytest.mark.parametrize("fmt", list(PLAN_MAKERS))
def test_an_action_plan_table_gives_exactly_its_records(tmp_path, embedder, analyzer, fmt):
    data, report = _index(tmp_path, {f"riverford-plan.{fmt}": PLAN_MAKERS[fmt](docs.RIVERFORD_PLAN)},
                          embedder, analyzer)
    assert not [w for w in report.warnings if "states" in w]  # the plan's own totals agree (where it has them)
    recs = sorted(data.recommendations, key=lambda r: r.number)
    want = docs.RIVERFORD_PLAN.rows
    assert [r.number for r in recs] == [w.number for w in want]
    assert all(r.kind == "plan_row" for r in recs)
    for r, w in zip(recs, want):
        assert r.text == w.text
        assert r.status == w.status
        assert list(r.owners) == w.owners
        assert list(r.target_dates) == w.targets
        assert " ".join(r.response.split()) == " ".join(" ".join(w.response).split())
        assert not r.incomplete and not r.repaired
    addressees = {r.number: r.addressee for r in recs}
    assert addressees[1] == addressees[3] == "The Riverford PDU should:"
    assert addressees[4] == "HM Prison and Probation Service should:"
    if fmt == "pdf":
        assert {r.number: r.pages for r in recs} == RIVERFORD_PAGES
    else:
        assert all(r.pages == () for r in recs)  # Word, OpenDocument and HTML have no pages of their own


def test_a_table_pdf_whose_split_rows_are_left_open_at_the_page_foot_reads_the_same():
    """Some writers draw no bottom border where a row breaks over a page; the row must not be lost."""
    ex = read_bytes(docs.plan_pdf(docs.RIVERFORD_PLAN, close_split_rows=False), "open.pdf")
    plan = parse_action_plan(ex)
    assert [(r.number, r.status) for r in plan.rows] == [(w.number, w.status) for w in docs.RIVERFORD_PLAN.rows]
    assert plan.totals == docs.RIVERFORD_PLAN.totals and plan.warnings == []


def test_the_2025_plan_printed_as_a_table_pdf_gives_its_8_records_and_totals(tmp_path, embedder, analyzer):
    text_plan = parse_action_plan(read_file(CORPUS / "2025-02_action-plan_recruitment-training-retention.txt"))
    plan = docs.plan_from_text_rows(text_plan.rows, ["ACTION PLAN", "Action Plan Submitted: 13 February 2025",
                                                     "Report Published: 16 January 2025"], text_plan.totals)
    data, report = _index(tmp_path, {"plan-2025.pdf": docs.plan_pdf(plan)}, embedder, analyzer)
    assert not [w for w in report.warnings if "states" in w], report.warnings
    recs = sorted(data.recommendations, key=lambda r: r.number)
    assert [r.number for r in recs] == list(range(1, 9))
    assert Counter(r.status for r in recs) == {"Agreed": 5, "Partly Agreed": 3}
    by_text = {r.number: r for r in text_plan.rows}
    for r in recs:
        assert r.text == by_text[r.number].text
        assert list(r.target_dates) == by_text[r.number].targets
        assert r.pages and r.pages[0] >= 1
    assert recs[0].pages == (1,) and recs[-1].pages[-1] <= data.documents[0].n_pages
    pages = [r.pages for r in recs]
    assert pages == sorted(pages) and any(len(p) == 2 for p in pages)  # rows continue over page breaks


@pytest.mark.parametrize("fmt", list(REPORT_MAKERS))
def test_an_inspection_report_gives_its_numbered_recommendations_with_addressees(fmt):
    ex = read_document(REPORT_MAKERS[fmt](docs.RIVERFORD_REPORT), f"report.{fmt}")
    from indexer.extract.report_recs import read_report_recommendations

    recs = read_report_recommendations(ex)
    want = [(a, t) for a, items in docs.RIVERFORD_REPORT.groups for t in items]
    assert [r.number for r in recs] == [1, 2, 3, 4, 5]
    assert [r.printed_number for r in recs] == ["1.", "2.", "3.", "4.", "5."]
    assert [(r.addressee, r.text) for r in recs] == want
    if fmt == "pdf":
        # the list crosses a page break; the running header and page number are not part of any item
        assert recs[0].pages[0] < recs[-1].pages[-1]
        assert all("Riverford PDU" not in r.text or r.number == 1 for r in recs)
    else:
        assert all(r.pages == () for r in recs)


def test_a_saved_web_page_keeps_the_article_only():
    ex = read_document(docs.report_html(docs.RIVERFORD_REPORT), "report.html")
    for gone in ("We use cookies", "Accept analytics", "Skip to main content", "Our reports", "Related content",
                 "Crown copyright", "Privacy", "track()", "dataLayer", "Home"):
        assert gone not in ex.text, gone
    for kept in ("Foreword", "five recommendations", "review the vetting process", "Contextual facts",
                 "14 vacant probation officer posts"):
        assert kept in ex.text, kept
    assert ex.title.startswith("An inspection of probation services in: Riverford PDU")
    headings = [ex.text[b.start:b.end] for b in ex.blocks if b.kind == "heading"]
    assert headings[:3] == ["An inspection of probation services in: Riverford PDU", "Foreword", "Recommendations"]
    markers = [b.marker for b in ex.blocks if b.kind == "list_item" and b.marker]
    assert markers == ["1.", "2.", "3.", "4.", "5."]  # the second list starts at 4 (<ol start=4>)


def test_html_lists_and_tables_keep_their_numbers_and_grid():
    page = b"""<html><body><main>
    <ol type="a"><li>first</li><li value="7">seventh</li><li>eighth
      <ul><li>a point under it</li></ul></li></ol>
    <ol start="3" type="I"><li>three</li></ol>
    <table><tr><th>A</th><th>B</th><th>C</th></tr>
      <tr><td rowspan="2">tall</td><td colspan="2">wide</td></tr>
      <tr><td>b2</td><td>c2</td></tr></table>
    </main></body></html>"""
    ex = read_bytes(page, "lists.html")
    items = [(b.marker, b.level, ex.text[b.start:b.end]) for b in ex.blocks if b.kind == "list_item"]
    assert items == [("a.", 1, "a. first"), ("g.", 1, "g. seventh"), ("h.", 1, "h. eighth"),
                     ("•", 2, "• a point under it"), ("III.", 1, "III. three")]
    rows = [b.cells for b in ex.blocks if b.kind == "table_row"]
    assert rows == [("A", "B", "C"), ("tall", "wide", None), (None, "b2", "c2")]
    assert [b.header for b in ex.blocks if b.kind == "table_row"] == [True, False, False]


@pytest.mark.parametrize("make,name", [(docs.plan_pdf, "p.pdf"), (docs.plan_docx, "p.docx"), (docs.plan_odt, "p.odt"),
                                       (docs.plan_html, "p.html"), (docs.report_pdf, "r.pdf"),
                                       (docs.report_html, "r.html"), (docs.report_docx, "r.docx"),
                                       (docs.report_odt, "r.odt")])
def test_block_offsets_point_into_the_text_in_order(make, name):
    source = docs.RIVERFORD_PLAN if name.startswith("p") else docs.RIVERFORD_REPORT
    ex = read_document(make(source), name)
    assert ex.blocks
    prev_end = 0
    for b in ex.blocks:
        assert prev_end <= b.start < b.end <= len(ex.text)
        assert ex.text[b.start:b.end].strip()
        prev_end = b.end
        if b.kind == "table_row":
            assert ex.text[b.start:b.end].count("\t") == len(b.cells) - 1
    # a round trip through the child process's JSON loses nothing
    assert read_bytes(make(source), name) == ex


def test_a_report_and_its_action_plan_are_linked_and_never_a_recurrence(tmp_path, embedder, analyzer):
    from search.records.catalogue import effective_status, list_recommendations
    from search.records.recurrence import find_threads
    from search.retrieval.searcher import Searcher

    files = {"riverford-report.html": docs.report_html(docs.RIVERFORD_REPORT),
             "riverford-plan.pdf": docs.plan_pdf(docs.RIVERFORD_PLAN),
             "2025-plan.txt": (CORPUS / "2025-02_action-plan_recruitment-training-retention.txt").read_bytes()}
    data, _ = _index(tmp_path, files, embedder, analyzer)
    report_doc = next(d for d in data.documents if d.path.endswith(".html"))
    plan_doc = next(d for d in data.documents if d.path.endswith(".pdf"))
    assert report_doc.doc_type == "inspection_report" and report_doc.date == "2024-03-12"
    assert plan_doc.doc_type == "action_plan" and plan_doc.report_date == "2024-03-12"
    by_id = {r.rec_id: r for r in data.recommendations}
    reports = sorted((r for r in data.recommendations if r.kind == "report"), key=lambda r: r.ordinal)
    assert len(reports) == 5
    for r in reports:
        row = by_id[r.linked]
        assert row.doc_id == plan_doc.doc_id and row.number == r.number and row.linked == r.rec_id
        assert r.status is None and effective_status(r, by_id) == row.status
    # the other plan (a different inspection) is linked to nothing
    assert not any(r.linked for r in data.recommendations if r.doc_id not in (report_doc.doc_id, plan_doc.doc_id))

    s = Searcher(tmp_path / "idx", embedder=embedder, analyzer=analyzer)
    partly = list_recommendations(records_view(s), status="Partly Agreed", doc_type="inspection_report")
    assert [r.number for r in partly] == [2]
    for t in find_threads(records_view(s), only_recurring=False):
        ids = {r.rec_id for r in t.instances}
        assert not any(by_id[i].linked in ids for i in ids), t.label  # never paired with its own response
        assert not any(by_id[i].kind == "report" and by_id[i].linked for i in ids)


def test_the_slide_decks_eight_recommendations_answer_the_2025_plan(corpus_index, capsys):
    from ui.cli import main

    assert main(["recommendations", "--index", str(corpus_index), "--doc-type", "presentation", "--json"]) == 0
    recs = json.loads(capsys.readouterr().out)["recommendations"]
    assert len(recs) == 8
    assert Counter(r["addressee"] for r in recs) == {"MoJ": 3, "HMPPS": 5}
    assert Counter(r["effective_status"] for r in recs) == {"Agreed": 5, "Partly Agreed": 3}
    assert [r["linked_record"]["number"] for r in recs] == list(range(1, 9))
    assert all(r["linked_record"]["title"].startswith("Action plan: A thematic inspection") for r in recs)
    assert main(["recommendations", "--index", str(corpus_index), "--doc-type", "presentation"]) == 0
    out = capsys.readouterr().out
    assert out.count("per the action plan of 13 February 2025") == 8
    assert "Partly Agreed, per the action plan of 13 February 2025 (row 1)" in out

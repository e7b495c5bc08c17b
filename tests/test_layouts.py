"""Issue 20's layouts, end to end, on the development documents (tests/layouts.py): a report and the plan
answering it, in PDF, Word, OpenDocument and saved web pages, indexed beside the shipped corpus.

The held-out set (eval/extraction/) is never read here: `inspection-search eval` scores it.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS
from dev_set import write_set
from layout_printers import print_plan, print_report
from layouts import CASE_ADMIN, FENWICK, HARTFIELD, KINGSBRIDGE, KINGSBRIDGE_PLAN, LOWMOOR, LOWMOOR_PLAN

from indexer.extract.actionplan import parse_action_plan
from indexer.extract.report_recs import read_report_recommendations
from indexer.readers import read_bytes


@pytest.fixture(scope="module")
def dev_set(tmp_path_factory) -> Path:
    return write_set(tmp_path_factory.mktemp("dev-set"))


@pytest.fixture(scope="module")
def dev_index(dev_set, tmp_path_factory, embedder, analyzer):
    from indexer.build import build_index
    from search.retrieval.searcher import Searcher

    idx = tmp_path_factory.mktemp("dev-index") / "index"
    report = build_index([CORPUS, dev_set / "docs"], idx, embedder=embedder, analyzer=analyzer)
    return Searcher(idx, embedder=embedder, analyzer=analyzer), report


def _doc(searcher, name: str):
    return next(d for d in searcher.docs.values() if Path(d.path).name == name)


def _recs(searcher, name: str):
    doc = _doc(searcher, name)
    return [r for r in searcher.data.recommendations if r.doc_id == doc.doc_id]


def test_every_layout_gives_exactly_its_records_fields_and_links(dev_set, dev_index):
    from eval.end_to_end import score_records

    s, _ = dev_index
    layouts, overall, _ = score_records(dev_set, s.data.documents, s.data.recommendations)
    assert len(layouts) == 11
    for name, t in layouts.items():
        assert (t.precision, t.recall) == (1.0, 1.0), name
        for field in ("number", "addressee", "text", "date"):
            assert t.accuracy(field) == 1.0, (name, field)
        assert t.link_accuracy == 1.0, name
    assert overall.accuracy("status") == overall.accuracy("term") == overall.accuracy("pages") == 1.0
    assert overall.fields["pages"][1] == 28  # the records of the five PDFs
    assert overall.found == overall.expected == 54


def test_chapters_after_the_recommendations_are_headings_not_recommendations(dev_index):
    s, _ = dev_index
    recs = _recs(s, LOWMOOR.file)
    assert [r.printed_number for r in recs] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert not any(r.text.startswith(("Leadership", "Staffing", "Services", "Outcomes")) for r in recs)
    ex = read_bytes(print_report(LOWMOOR)[0], LOWMOOR.file)
    heads = {ex.text[b.start:b.end]: b.level for b in ex.blocks if b.kind == "heading" and not b.furniture}
    assert heads["2. Staffing and workloads"] == heads["Recommendations"] < heads["2.1 Caseloads"]
    # a contents line is not a heading, the running header and page numbers are furniture
    contents = [ex.text[b.start:b.end] for b in ex.blocks if b.layer == "contents"]
    assert contents[0] == "Contents" and any(c.startswith("2. Staffing and workloads .") for c in contents)
    furniture = {ex.text[b.start:b.end] for b in ex.blocks if b.layer == "furniture"}
    n = len(ex.page_starts)
    assert LOWMOOR.running_header in furniture and {f"Page {k} of {n}" for k in range(2, n + 1)} <= furniture
    # recommendation 4 crosses a page break without taking the running header or the page number in
    assert recs[3].pages == (2, 3)
    assert all(LOWMOOR.running_header not in r.text and "Page" not in r.text for r in recs)


def test_furniture_is_in_no_passage_and_the_title_and_date_come_from_the_cover(dev_index):
    s, _ = dev_index
    doc = _doc(s, LOWMOOR.file)
    assert doc.title == LOWMOOR.title and doc.provenance["title"] == "cover"
    # "September 2025" stands alone on the cover; the PDF's creation date (2021) is weaker
    assert doc.date == "2025-09" and doc.provenance["date"] == "cover"
    chunks = [c for c in s.chunks if c.doc_id == doc.doc_id]
    assert chunks and not any("HM Inspectorate of Probation |" in c.text or "Page 2 of" in c.text or "....." in c.text
                              for c in chunks)


def test_a_recommendation_stated_twice_is_one_record_citing_both_places(dev_index):
    s, _ = dev_index
    recs = _recs(s, CASE_ADMIN.file)
    assert [r.number for r in recs] == [1, 2, 3, 4]
    for r in recs:
        assert len(r.pages) == 2 and r.pages[0] < r.pages[1]
        assert any("Annex 1: Recommendations" in n for n in r.notes)


def test_numbering_1_1_and_letters_are_printed_numbers_and_positions(dev_index):
    s, _ = dev_index
    report = _recs(s, HARTFIELD.file)
    assert [(r.printed_number, r.number) for r in report] == [("1.1", 1), ("1.2", 2), ("2.1", 3), ("2.2", 4)]
    assert {r.addressee for r in report} == {"The Hartfield PDU should:", "HM Prison and Probation Service should:"}
    rows = _recs(s, "hartfield-pdu_action-plan.odt")
    assert [(r.printed_number, r.number) for r in rows] == [("1.1", 1), ("1.2", 2), ("2.1", 3), ("2.2", 4)]
    assert all(r.linked and r.linked.endswith(f"#r{r.number}") for r in rows)
    lettered = _recs(s, "transitions-review.odt")
    assert [r.printed_number for r in lettered] == ["a)", "b)", "c)", "d)", "e)"]


def test_status_cells_in_either_vocabulary_keep_the_printed_status_and_note(dev_index):
    s, report = dev_index
    rows = {r.number: r for r in _recs(s, LOWMOOR_PLAN.file)}
    assert (rows[2].status, rows[2].status_printed, rows[2].status_note) == (
        "Partly Agreed", "Partly accepted", "Protected time depends on the vacancies being filled")
    assert (rows[5].status, rows[5].status_printed) == ("Partly Agreed", "Partly Accepted")
    assert (rows[6].status, rows[6].status_printed) == ("Not Agreed", "Not accepted")
    rejected = {r.number: r for r in _recs(s, "2025-10_action-plan_transitions-review.docx")}[4]
    assert (rejected.status, rejected.status_printed) == ("Not Agreed", "Rejected")
    assert rejected.status_note.startswith("No national funding")
    # every plan's stated totals match its rows: no warning
    assert not [w for w in report.warnings if "plan states" in w]
    # row 4 runs over a page break: its actions on both pages are one row
    assert rows[4].pages == (1, 2) and len(rows[4].owners) == 3


def test_a_total_that_disagrees_with_the_rows_is_reported():
    from dataclasses import replace

    from layouts import TRANSITIONS_PLAN

    plan = replace(TRANSITIONS_PLAN, totals={**TRANSITIONS_PLAN.totals, "Accepted": 3})
    parsed = parse_action_plan(read_bytes(print_plan(plan, "docx")[0], "plan.docx"))
    assert parsed.totals["Accepted"] == 3 and parsed.totals["Rejected"] == 1
    assert parsed.warnings == ["states 3 Accepted, extracted 2"]


def test_links_respect_the_unit_a_recommendation_is_for(dev_index):
    s, _ = dev_index
    rows = {r.number: r for r in _recs(s, KINGSBRIDGE_PLAN.file)}
    report = {r.number: r for r in _recs(s, KINGSBRIDGE.file)}
    # rows 4-6 (Millbrook PDU) say what rows 1-3 (Kingsbridge PDU) say; row 8 is row 7 for Millbrook
    for n in (1, 2, 3):
        assert report[n].linked == rows[n].rec_id
    assert report[4].linked == rows[7].rec_id
    assert not any(rows[n].linked for n in (4, 5, 6, 8))


def test_the_same_plan_as_word_and_as_pdf_is_one_document(dev_index):
    s, report = dev_index
    pdf = _doc(s, "2025-04_action-plan_case-administration.pdf")
    docx = _doc(s, "2025-04_action-plan_case-administration.docx")
    assert pdf.same_as == docx.doc_id and not _recs(s, pdf.path.rsplit("/", 1)[1])
    assert not [c for c in s.chunks if c.doc_id == pdf.doc_id]
    assert (pdf.path, docx.doc_id, docx.title) in report.same_document
    assert len(_recs(s, docx.path.rsplit("/", 1)[1])) == 4


def test_metadata_of_a_web_page_and_an_opendocument_file(dev_index):
    s, _ = dev_index
    page = _doc(s, KINGSBRIDGE.file)
    # the fieldwork month in the text is not the page's date: its meta date is
    assert page.date == "2025-12-09" and page.provenance["date"] == "properties"
    assert page.title == KINGSBRIDGE.title and page.doc_type == "inspection_report"
    odt = _doc(s, "transitions-review.odt")
    assert odt.provenance["title"] == "properties" and odt.date == "2025-07"
    fenwick = _doc(s, FENWICK.file)
    assert (fenwick.date, fenwick.provenance["date"]) == ("2024-11-19", "text: Published")


def test_a_word_table_of_contents_is_contents_and_its_headings_are_not_titles():
    ex = read_bytes(print_report(HARTFIELD)[0], HARTFIELD.file)
    toc = [ex.text[b.start:b.end] for b in ex.blocks if b.layer == "contents"]
    assert toc[0] == "Contents" and len(toc) == 4
    assert len(read_report_recommendations(ex)) == 4


def test_the_development_set_meets_the_issue_targets(dev_set, embedder, analyzer, tmp_path):
    """`inspection-search eval --extraction DIR` on the development set: every target of issue 20 met."""
    from eval.end_to_end import score_set
    from eval.end_to_end_report import extraction_lines

    result = score_set(dev_set, embedder=embedder, analyzer=analyzer, work_dir=tmp_path)
    lines = extraction_lines(result)
    assert "NOT" not in lines[-1 - len(result.warnings)], "\n".join(lines)
    assert all(ok for _, _, ok in result.threads.confirmed) and len(result.threads.confirmed) == 4
    assert all(all(d.right.values()) for d in result.documents)
    assert not result.warnings


def test_a_cover_heading_that_ends_with_a_colon_goes_on_to_its_next_line():
    """A cover printed "An inspection of probation services in:" over "Calderbrook PDU" is titled with both."""
    from indexer.extract.describe import cover_title
    from indexer.records import Block, ExtractedText

    lines = [("heading", 1, "An inspection of probation services in:"), ("heading", 2, "Calderbrook PDU"),
             ("paragraph", None, "Published: 21 November 2023")]
    text, blocks = "", []
    for kind, level, ln in lines:
        blocks.append(Block(kind, len(text), len(text) + len(ln), (1,), level))
        text += ln + "\n"
    doc = ExtractedText(text, (0,), tuple(blocks), "pdf")
    assert cover_title(doc) == "An inspection of probation services in: Calderbrook PDU"
    whole = ExtractedText(text.replace("in:", "in"), (0,), tuple(blocks), "pdf")
    assert cover_title(whole) == "An inspection of probation services in"  # no colon: the heading alone

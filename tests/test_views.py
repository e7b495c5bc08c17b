"""The app's pages without a browser (issue 22): human names, plurals, snippets and the fold below the best,
why a passage matched, records' lines, upload notices, progress by stage, and a cited sentence found on a
PDF page (pdfplumber's word boxes) and in a Word file's section."""
from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Optional

import pytest

from ui.originals.align import matched_words
from ui.views.common import display_title, plural, status_badge, type_name
from ui.views.hits import CLOSE_RATIO, shown_count, snippet, why


def test_human_names_and_plurals():
    assert plural(1, "passage") == "1 passage" and plural(3, "passage") == "3 passages"
    assert type_name("action_plan") == "Action plan" and type_name("inspection_report") == "Inspection report"
    assert type_name(None) == "Other document"
    assert display_title("2026-03_inspection_workforce-stability") == "Inspection workforce stability"
    assert display_title("riverford-pdu-inspection") == "Riverford PDU inspection"
    real = "Action plan: Inspection of Essex North and Northamptonshire PDUs"
    assert display_title(real) == real  # a real title is kept as it is
    assert "Status unknown" in status_badge(None) and "status-partly" in status_badge("Partly Agreed")


def _hit(score, bm25=None, dense=None):
    return SimpleNamespace(score=score, bm25_rank=bm25, dense_rank=dense)


def test_results_far_below_the_best_are_folded():
    assert shown_count([]) == 0
    assert shown_count([_hit(0.47), _hit(0.15), _hit(0.12)]) == 1  # the example: one relevant passage
    assert shown_count([_hit(0.7), _hit(0.66), _hit(0.63), _hit(0.2)]) == 3
    close = [_hit(0.5)] * 9
    assert shown_count(close) == 5  # however close, at most five open at once
    assert shown_count([_hit(1.0), _hit(CLOSE_RATIO)]) == 2


def test_a_snippet_holds_the_most_marked_words_and_cuts_at_spaces():
    text = "Alpha " * 60 + "the workload of the SPO and the workload measurement tool " + "omega " * 60
    spans = [(i, i + 8) for i in range(len(text)) if text.startswith("workload", i)]
    a, b = snippet(text, spans, size=120)
    assert text[a:b].count("workload") == 2 and text[a - 1] == " " and b - a <= 120


def test_why_a_passage_matched_in_plain_words():
    assert why(_hit(0.5, bm25=1, dense=2), ["SPO", "workload"]) == \
        "Matches the words “SPO” and “workload”, and is similar in meaning"
    assert why(_hit(0.5, bm25=3, dense=40), ["vetting"]) == "Matches the word “vetting”"
    assert why(_hit(0.5, dense=1), []) == "Similar in meaning to the search, with none of its words"


def test_the_words_of_the_search_found_through_the_glossary(analyzer):
    from ui.views.hits import query_words_in

    text = "The Senior Probation Officer reviews workloads every month."
    assert query_words_in("SPO workload", text, analyzer) == ["SPO", "workload"]
    assert query_words_in("the estates", text, analyzer) == []


def test_the_cited_words_are_found_among_a_pages_words():
    words = "Contextual facts The PDU had 14 vacant pro- bation officer posts at the time of the inspection. 3".split()
    found, n = matched_words("The PDU had 14 vacant probation officer posts at the time of the inspection.", words)
    assert [words[i] for i in found][:3] == ["The", "PDU", "had"] and words[found[-1]] == "inspection."
    assert n >= 12
    assert matched_words("the", "a lone the elsewhere".split())[1] == 1  # a short target may match one word
    assert matched_words("nothing like it here", "completely different words".split()) == ([], 0)


def test_a_sentence_is_highlighted_on_its_pdf_page_and_the_page_is_drawn():
    from documents import RIVERFORD_REPORT, report_pdf

    from ui.originals.pdf_page import find_on_pages, render_page

    pdf = report_pdf(RIVERFORD_REPORT)
    sentence = "The PDU had 14 vacant probation officer posts at the time of the inspection."
    match = find_on_pages(pdf, (2, 3), sentence)
    assert match.page == 3 and match.words == sentence and len(match.boxes) == 1
    box = match.boxes[0]
    assert 0 < box.left < 0.2 and 0 < box.top < 1 and 0.3 < box.width < 0.9 and box.height < 0.03
    png, width, height, pages = render_page(pdf, 3)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and width == 1000 and height > width and pages == 3


def test_a_sentence_is_marked_in_its_word_section():
    from documents import RIVERFORD_PLAN, plan_docx

    from indexer.readers import read_bytes
    from ui.originals.section import section_of

    doc = read_bytes(plan_docx(RIVERFORD_PLAN), "plan.docx")
    start = doc.text.index("HMPPS will set a twelve-week target")
    section = section_of(doc, start - 40, start + 120, "HMPPS will set a twelve-week target for vetting and report "
                                                          "against it quarterly.")
    assert section.found
    marked = [p.text[a:b] for blk in section.blocks for p in blk.pieces for a, b in p.marks]
    assert " ".join(marked) == "HMPPS will set a twelve-week target for vetting and report against it quarterly."
    row = next(b for b in section.blocks if b.in_passage and b.kind == "table_row")
    assert row.labels[:2] == ("Rec No", "Recommendation")  # named columns: shown as a card in a narrow panel


@dataclass(frozen=True)
class _Outcome:
    name: str
    state: str
    message: str
    passages: int = 0
    records: int = 0
    linked: int = 0
    linked_to: str = ""
    title: str = ""
    doc_type: str = ""
    date: Optional[str] = None
    extra: dict = field(default_factory=dict)

    @property
    def ok(self):
        return self.state in ("indexed", "unchanged")

    @property
    def indexed(self):
        return self.state == "indexed"


def test_an_upload_notice_says_at_a_glance_how_it_went():
    from ui.views.documents import upload_html

    ok = _Outcome("r.pdf", "indexed", "", 8, 5, 5, "Riverford PDU action plan", "riverford-pdu-inspection",
                  "inspection_report", "2024-03-12")
    bad = _Outcome("scan.pdf", "refused", "scanned PDF: no text to read")
    html = upload_html([ok])
    assert "notice-success" in html and "Added to the index" in html
    assert "added as Riverford PDU inspection (Inspection report, 12 March 2024): 8 passages, 5 recommendations, " \
           "5 linked to Riverford PDU action plan" in html
    assert "notice-warning" in upload_html([ok, bad]) and "1 file added, 1 not" in upload_html([ok, bad])
    html = upload_html([bad])
    assert "notice-error" in html and "Not added" in html and "scanned PDF: no text to read" in html
    assert "Nothing new to add" in upload_html([_Outcome("r.pdf", "unchanged", "already indexed")])


def test_upload_progress_is_said_by_stage():
    from ui.uploading import stage_progress

    said = []
    say = stage_progress(lambda f, m: said.append((round(f, 2), m)), 1, 2, "plan.docx")
    say.start()
    say(0.05, "0/1 files, 40 passages embedded (3.1 passages/s)")
    say(0.9, "writing the index")
    say(1.0, "done")
    assert said[0] == (0.5, "plan.docx (2 of 2): step 1 of 3, reading the document")
    assert said[1][1] == "plan.docx (2 of 2): step 2 of 3, indexing its passages (40 so far)"
    assert said[2][1].endswith("step 3 of 3, saving the index") and said[3][0] == pytest.approx(0.985, abs=0.006)
    assert [f for f, _ in said] == sorted(f for f, _ in said)  # never backwards


def test_a_record_line_names_the_body_as_the_sector_does():
    from ui.views.records import short_name

    assert short_name("HM Prison and Probation Service") == "HMPPS"
    assert short_name("HM Prison & Probation Service and Ministry of Justice") == "HMPPS and MoJ"
    assert short_name("Essex North PDU should:") == "Essex North PDU should"


def test_a_reports_recommendation_and_its_plan_row_are_told_apart_on_their_lines():
    from ui.listings import RecordLine
    from ui.views.records import record_html

    common = dict(year=2025, number="1.1", addressee="HMPPS", scope="", text="Reduce SPO workloads.", status="Agreed",
                  targets=(), owners=(), response="", response_from="", answers="", source="")
    report = record_html(RecordLine("r1", "report", **common))
    plan = record_html(RecordLine("p1", "plan_row", **common))
    summary = lambda html: html.split("</summary>")[0]  # noqa: E731  the collapsed line alone
    assert '<span class="from-tag">Report</span>' in summary(report) and "Plan<" not in summary(report)
    assert '<span class="from-tag">Plan</span>' in summary(plan) and "Report<" not in summary(plan)

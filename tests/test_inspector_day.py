"""The inspector's day (issue 20), in a real browser on the shipped corpus plus documents of the test's own:
a Word inspection report is uploaded, then its action plan as an OpenDocument file, then the same plan
printed to PDF. The Recommendations tab shows each report recommendation with its plan's response, dated;
a repeat is confirmed twice (an indexed recommendation, and a draft pasted in); the Recurring tab and its
CSV show the thread; a page opened afterwards offers the new records; a document's date is corrected and
the document removed and restored from the Documents tab. Every wait ends when the page shows the state.
"""
from __future__ import annotations

import csv
import re

import pytest

import app_pages as ap

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not ap.CHROMIUM.exists():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

REPORT = "hartfield-pdu-inspection.docx"
PLAN = "hartfield-pdu_action-plan.odt"
PLAN_AGAIN = "hartfield-pdu_action-plan.pdf"  # the same plan, printed


@pytest.fixture(scope="module")
def app(corpus_index, embedder, analyzer, tmp_path_factory):
    running = ap.launch(corpus_index, tmp_path_factory.mktemp("inspector-app"), embedder=embedder, analyzer=analyzer)
    yield running
    running.close()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    from layout_printers import print_plan, print_report
    from layouts import HARTFIELD, HARTFIELD_PLAN

    folder = tmp_path_factory.mktemp("hartfield")
    (folder / REPORT).write_bytes(print_report(HARTFIELD)[0])
    (folder / PLAN).write_bytes(print_plan(HARTFIELD_PLAN, "odt")[0])
    (folder / PLAN_AGAIN).write_bytes(print_plan(HARTFIELD_PLAN, "pdf")[0])
    return folder


def shot(page, name: str) -> None:
    from pathlib import Path

    out = Path(__file__).parent / "artifacts" / "inspector-day"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)


def pick(page, control: str, typed: str, option: str) -> None:
    """Type into a dropdown and choose the option whose label matches `option` (a regular expression)."""
    box = page.locator(f"#{control} input")
    box.click()
    box.fill(typed)
    page.get_by_role("option", name=re.compile(option)).first.click()


def test_the_inspectors_day(app, browser, files):
    page = ap.open_page(browser, app.url)

    # the report, then its plan: the plan's rows are joined to the report's recommendations
    notice = ap.upload(page, [files / REPORT])
    assert "Added to the index" in notice and "4 recommendations" in notice, notice
    notice = ap.upload(page, [files / PLAN])
    assert "4 recommendations, 4 linked to" in notice and "Hartfield" in notice, notice
    # the same plan in another format: recognised, kept as another file of it, nothing added twice
    notice = ap.upload(page, [files / PLAN_AGAIN])
    assert "is the same document as" in notice and "no new passages or recommendations" in notice, notice
    table = page.inner_text("#docs-table")
    assert table.count("Action plan: An inspection of probation services in Hartfield PDU") == 1, table
    assert "OpenDocument" in table and "PDF" in table
    assert "cover" in table  # where the title and date were read from
    shot(page, "documents")

    # each report recommendation with its plan's response, dated
    ap.tab(page, "Recommendations")
    page.fill("#recs-text textarea, #recs-text input", "known adults")
    page.click("#recs-button")
    page.wait_for_function("() => document.querySelector('#recs-count').innerText.startsWith('2 recommendations')")
    page.locator("#recs-table details.record summary", has_text="1.1").first.click()
    ap.wait_text(page, "#recs-table", "From the action plan of 6 August 2025")
    body = page.inner_text("#recs-table")
    assert "Assessment workshops for all practitioners." in body and "Agreed" in body, body
    shot(page, "records")

    # a repeat confirmed: the report's 1.2 (SPOs' time) and the 2020 plan's row 8 (the SPO role and workload)
    pick(page, "similar-record", "2025 #1.2", r"^2025 #1\.2 \(report\)")
    page.click("#similar-button")
    ap.wait_text(page, "#similar-message", "most like 2025 #1.2")
    pick(page, "similar-match", "2020 #8", r"2020 #8:")
    page.click("#similar-confirm")
    ap.wait_text(page, "#similar-message", "Saved: 2025 #1.2 and 2020 #8 are one recommendation made again")

    # a draft pasted in, confirmed against an indexed match: kept until the draft is indexed
    pick(page, "similar-record", "", r"^any$")
    page.fill("#similar-draft textarea", "Make sure that senior probation officers in Hartfield have protected "
                                         "time to supervise newly qualified officers.")
    page.click("#similar-button")
    ap.wait_text(page, "#similar-message", "most like the draft")
    pick(page, "similar-match", "2025 #1.2", r"2025 #1\.2:")
    page.click("#similar-confirm")
    ap.wait_text(page, "#similar-message", "Saved: the draft and 2025 #1.2 are one recommendation made again")
    shot(page, "similar")

    # the thread in the Recurring tab and its CSV
    ap.tab(page, "Recurring")
    page.fill("#recurring-topic textarea", "senior probation officers time to oversee newly qualified officers")
    page.click("#recurring-button")
    ap.wait_text(page, "#recurring-table", "2025 #1.2")
    threads = page.inner_text("#recurring-table")
    line = next(x for x in threads.splitlines() if "2025 #1.2" in x)
    assert "2020 #8" in line, threads
    with page.expect_download() as got:
        page.click("#recurring-download")
    with open(got.value.path(), newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ours = {r["thread_id"] for r in rows if "Hartfield" in r["title"] and r["printed_number"] == "1.2"}
    assert len(ours) == 1, rows
    thread = [r for r in rows if r["thread_id"] in ours]
    assert any(r["year"] == "2020" and r["number"] == "8" for r in thread), thread
    shot(page, "recurring")
    page.context.close()

    # a page opened afterwards offers the new records and the new document type
    page = ap.open_page(browser, app.url)
    ap.tab(page, "Recommendations")
    box = page.locator("#similar-record input")
    box.click()
    box.fill("2025 #2.2")
    assert page.get_by_role("option", name=re.compile(r"^2025 #2\.2 \(report\)")).count() >= 1
    page.keyboard.press("Escape")
    box = page.locator("#recs-type input")
    box.click()
    assert page.get_by_role("option", name="Inspection report").count() == 1
    page.keyboard.press("Escape")
    page.context.close()


def test_a_document_put_right_removed_and_restored(app, browser, files):
    page = ap.open_page(browser, app.url)
    ap.tab(page, "Documents")
    page.wait_for_selector("#docs-table table")
    if "Hartfield" not in page.inner_text("#docs-table"):  # run alone: the report is added here
        ap.upload(page, [files / REPORT])
    page.click("#docs-edit button, #docs-edit .label-wrap")
    pick(page, "docs-edit-document", "Hartfield PDU (hartfield-pdu-inspection", r"hartfield-pdu-inspection\.docx")
    page.wait_for_function("() => document.querySelector('#docs-edit-date input, #docs-edit-date textarea')"
                           ".value === '2025-06-18'")
    date = page.locator("#docs-edit-date input, #docs-edit-date textarea").first
    date.fill("2025-07")
    page.click("#docs-edit-save")
    ap.wait_text(page, "#docs-edit-message", "Corrected hartfield-pdu-inspection.docx: date 2025-07")
    ap.wait_text(page, "#docs-table", "corrected")
    assert "July 2025" in page.inner_text("#docs-table")
    shot(page, "corrected")

    page.once("dialog", lambda d: d.accept())
    page.click("#docs-edit-remove")
    ap.wait_text(page, "#docs-edit-message", "Removed hartfield-pdu-inspection.docx")
    ap.settled(page)
    listed = page.inner_text("#docs-table")
    assert not re.search(r"(^|\n)An inspection of probation services in Hartfield PDU\t", listed), listed
    pick(page, "docs-removed", "hartfield", r"hartfield-pdu-inspection\.docx")
    page.click("#docs-restore")
    ap.wait_text(page, "#docs-edit-message", "Restored")
    ap.wait_text(page, "#docs-table", "Just added")
    assert "July 2025" in page.inner_text("#docs-table")  # the correction held
    page.context.close()
    from ui.audit import AuditLog

    done = [(e.action, e.what.get("outcome")) for e in AuditLog.for_index(app.root / "index").entries()]
    assert {("correct", "done"), ("remove", "done"), ("restore", "done")} <= set(done), done

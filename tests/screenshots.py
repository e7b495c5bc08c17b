"""Screenshots of every tab of the app, as a person sees them (`make screenshots`).

    python tests/screenshots.py [--out docs/screenshots] [--index var/index]

Indexes the shipped corpus (or copies --index), starts the app on a loopback port, adds the Riverford
inspection report (PDF) and its action plan (Word) through the Documents tab, then asks, searches,
opens a citation where it stands, lists and opens records, finds recurring threads and reads the audit
log, saving each view at 1400 x 1000 (and the Ask and Recommendations tabs on a tablet, 820 x 1180).
The pictures go to docs/screenshots/ and the README's app section shows them.
Every step waits for what the page shows, never for a fixed time.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import app_pages as ap  # noqa: E402


def shoot(page, out: Path, name: str) -> None:
    path = out / f"{name}.png"
    page.screenshot(path=str(path), animations="disabled")
    print(f"  {path}")


def tour(browser, url: str, files: list[Path], out: Path) -> None:
    page = ap.open_page(browser, url)
    ap.upload(page, files)
    shoot(page, out, "documents")
    ap.ask(page, ap.PDF_QUESTION)
    ap.open_citation(page)
    page.wait_for_selector("#ask-original .pdf-page img")
    shoot(page, out, "ask")
    ap.ask(page, "What is the annual budget of the Youth Justice Board?")
    shoot(page, out, "ask-not-in-documents")
    ap.search(page, "SPO workload")
    page.locator("#search-results .hit button.open-original").first.click()
    page.wait_for_selector("#search-original section.original")
    shoot(page, out, "search")
    ap.tab(page, "Recommendations")
    page.wait_for_selector("#recs-table .record-line")
    page.locator("#recs-table details.record").first.locator("summary").click()
    shoot(page, out, "recommendations")
    page.locator("#recs-type input").click()
    page.get_by_role("option", name="Inspection report").click()
    page.click("#recs-button")
    ap.wait_text(page, "#recs-count", "5 recommendations")
    page.locator("#recs-table details.record").nth(1).locator("summary").click()
    shoot(page, out, "recommendations-report")
    ap.tab(page, "Recurring")
    page.fill("#recurring-topic textarea", "workload measurement tool")
    page.click("#recurring-button")
    ap.wait_text(page, "#recurring-count", "recurring thread")
    page.wait_for_selector("#recurring-plot img, #recurring-plot svg")
    shoot(page, out, "recurring")
    ap.tab(page, "Audit")
    ap.wait_text(page, "#audit-table", ap.REPORT_NAME)
    shoot(page, out, "audit")
    page.context.close()
    narrow = ap.open_page(browser, url, ap.TABLET)
    ap.ask(narrow, ap.DOCX_QUESTION)
    shoot(narrow, out, "ask-tablet")
    narrow.click("#ask-answer li.source button.open-original")  # on a tablet the page goes to the highlight
    narrow.wait_for_selector("#ask-original mark.cited")
    ap.settled(narrow)
    shoot(narrow, out, "ask-tablet-in-the-document")
    ap.tab(narrow, "Recommendations")
    narrow.wait_for_selector("#recs-table .record-line")
    shoot(narrow, out, "recommendations-tablet")
    narrow.context.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(HERE.parent / "docs" / "screenshots"))
    parser.add_argument("--index", help="an index to copy (default: index corpus/ afresh)")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="inspection-screens-") as tmp:
        root = Path(tmp)
        index = Path(args.index) if args.index else root / "corpus-index"
        if not args.index:
            from indexer.build import build_index

            build_index([HERE.parent / "corpus"], index)
        files = ap.write_uploads(root / "to-upload")
        (root / "app").mkdir()
        app = ap.launch(index, root / "app")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(ap.CHROMIUM), args=ap.CHROMIUM_ARGS, headless=True)
                try:
                    tour(browser, app.url, files, out)
                finally:
                    browser.close()
        finally:
            app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What the app's browser tests and `make screenshots` share: the report and plan to upload (a PDF
inspection report and its Word action plan, made in code by tests/documents.py), a launched app on a
copy of an index, and the waits that end when the page shows a state (never after a fixed time).
"""
from __future__ import annotations

import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 180_000  # a ceiling, not a wait: every wait ends as soon as the page shows the state
WIDE = {"width": 1400, "height": 1000}
TABLET = {"width": 820, "height": 1180}
REPORT_NAME = "riverford-pdu-inspection.pdf"
PLAN_NAME = "riverford-pdu-action-plan.docx"
# answered from the PDF report (page 3) and from the Word plan, on the shipped corpus plus the two
PDF_QUESTION = "How many vacant probation officer posts did Riverford PDU have?"
PDF_SENTENCE = "The PDU had 14 vacant probation officer posts at the time of the inspection."
DOCX_QUESTION = "What target was set for vetting?"
DOCX_SENTENCE = "HMPPS will set a twelve-week target for vetting and report against it quarterly."
TABS = ("Ask", "Search", "Recommendations", "Recurring", "Documents", "Audit")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_uploads(folder: Path) -> list[Path]:
    """The Riverford inspection report as a PDF and its action plan as a Word file, written to `folder`."""
    from documents import RIVERFORD_PLAN, RIVERFORD_REPORT, plan_docx, report_pdf

    folder.mkdir(parents=True, exist_ok=True)
    report, plan = folder / REPORT_NAME, folder / PLAN_NAME
    report.write_bytes(report_pdf(RIVERFORD_REPORT))
    plan.write_bytes(plan_docx(RIVERFORD_PLAN))
    return [report, plan]


@dataclass
class RunningApp:
    url: str
    root: Path
    demo: object

    def close(self) -> None:
        self.demo.close()  # type: ignore[attr-defined]


def launch(index: Path, root: Path, **build) -> RunningApp:
    """The app on a copy of `index` (its uploads in root/uploads), on a free loopback port."""
    from ui.app import build_app, launch_app

    copy = root / "index"
    shutil.copytree(index, copy)
    demo = build_app(copy, uploads_dir=root / "uploads", **build)
    port = free_port()
    launch_app(demo, port=port, prevent_thread_lock=True, quiet=True)
    return RunningApp(f"http://127.0.0.1:{port}/", root, demo)


def open_page(browser, url: str, viewport: dict = WIDE):
    """A new page on the app, waited for until its tabs and the records are loaded."""
    ctx = browser.new_context(viewport=viewport)
    page = ctx.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("#ask-question textarea")
    # no fades: a check or a picture taken as an output fades back in would see it half-transparent
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    wait_text(page, "#app-status", "documents")  # the index is loaded and the page's first events have run
    settled(page)
    return page


def settled(page) -> None:
    """Until no event is running in the page (Gradio marks its outputs pending and dims them meanwhile)."""
    page.wait_for_function("() => !document.querySelector('.pending, .translucent, .generating')",
                           timeout=TIMEOUT_MS)


def wait_text(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([sel, text]) => { const e = document.querySelector(sel); return e && e.innerText.includes(text); }",
        arg=[selector, text], timeout=TIMEOUT_MS)


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def upload(page, files: list[Path]) -> str:
    """Add `files` through the Documents tab; the notice's text once it says how it went."""
    tab(page, "Documents")
    page.wait_for_selector("#docs-table table")
    page.set_input_files("#docs-upload input[type=file]", [str(f) for f in files])
    for f in files:
        page.wait_for_selector(f"#docs-upload :text('{f.stem}')")  # the name is shown as stem and suffix
    page.click("#docs-index-button")
    page.wait_for_selector("#docs-message .notice-box")
    settled(page)
    return page.inner_text("#docs-message")


def ask(page, question: str) -> None:
    tab(page, "Ask")
    page.fill("#ask-question textarea", question)
    page.click("#ask-button")
    page.wait_for_function("q => { const e = document.querySelector('#ask-answer .reply');"
                           " return e && e.dataset.question === q; }", arg=question, timeout=TIMEOUT_MS)
    settled(page)


def open_citation(page, n: int = 1, prefix: str = "ask") -> None:
    """Click marker [n] of the answer and wait for its source to open where it stands."""
    page.click(f"#{prefix}-answer a.cite[data-n='{n}']")
    page.wait_for_selector(f"#{prefix}-original section.original")
    settled(page)


def search(page, query: str) -> None:
    tab(page, "Search")
    page.fill("#search-query textarea", query)
    page.click("#search-button")
    page.wait_for_function("q => { const e = document.querySelector('#search-results .hits');"
                           " return e && e.dataset.query === q; }", arg=query, timeout=TIMEOUT_MS)
    settled(page)

"""The app as a person uses it: headless Chromium (Debian's /usr/bin/chromium) driving the real app.

The app runs on a copy of the session's corpus index, so the upload test cannot disturb
other tests. Screenshots of each tab go to tests/artifacts/ (gitignored).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import free_port

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TIMEOUT_MS = 180_000  # a ceiling, not a wait: every wait ends as soon as the page shows the state (a busy
# 2-core CI machine once took over 60 s to show an uploaded file's name); nothing here asserts speed

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not CHROMIUM.exists():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")



@pytest.fixture(scope="module")
def app(corpus_index, embedder, analyzer, tmp_path_factory):
    from ui.app import build_app, launch_app

    root = tmp_path_factory.mktemp("browser-app")
    index = root / "index"
    shutil.copytree(corpus_index, index)
    demo = build_app(index, embedder=embedder, analyzer=analyzer)  # uploads: root/uploads
    port = free_port()
    launch_app(demo, port=port, prevent_thread_lock=True, quiet=True)
    yield {"url": f"http://127.0.0.1:{port}/", "root": root, "demo": demo}
    demo.close()


@pytest.fixture
def page(browser, app):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = ctx.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.goto(app["url"], wait_until="domcontentloaded")
    pg.wait_for_selector("#ask-question textarea")
    yield pg
    ctx.close()


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_text(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([sel, text]) => { const e = document.querySelector(sel); return e && e.innerText.includes(text); }",
        arg=[selector, text], timeout=TIMEOUT_MS)


def test_ask_shows_a_cited_answer_and_a_citation_opens_its_passage(page):
    page.fill("#ask-question textarea", "What are the four pillars of risk management?")
    page.click("#ask-button")
    page.wait_for_selector("#ask-answer .answer")
    answer = page.inner_text("#ask-answer")
    assert "Four Pillars" in answer and "[1]" in answer
    assert "recommendation 5" in answer and "2022" in answer
    # the sources are listed once under the answer; clicking the [1] marker in the answer opens source 1
    page.wait_for_selector("#ask-answer .sources #ask-source-1")
    page.click("#ask-answer .cite[data-n='1']")
    page.wait_for_selector("#ask-source-1[open] .passage mark")
    passage = page.inner_text("#ask-source-1")
    assert "Northamptonshire PDU" in passage and "recommendation 5" in passage and "27 June 2022" in passage
    marked = page.locator("#ask-source-1 .passage mark").all_inner_texts()
    assert {m.lower() for m in marked} >= {"four", "pillars", "risk"}
    shaded = "".join(page.locator("#ask-source-1 .quoted").all_inner_texts())
    assert "Particular focus will be on the Four Pillars" in shaded  # the answer's sentence is shaded
    shot(page, "ask")


def test_ask_says_what_the_documents_do_not_say_and_offers_the_closest_passages(page):
    page.fill("#ask-question textarea", "What is the annual budget of the Youth Justice Board?")
    page.click("#ask-button")
    page.wait_for_selector("#ask-answer .declined")
    text = page.inner_text("#ask-answer")
    assert "The documents mention" in text and "Not in the documents: Youth Justice Board" in text
    assert "[1]" not in text.split("Closest passages")[0]  # nothing quoted as if it answered
    page.locator("#ask-source-1 summary").click()  # the closest passages can be opened
    page.wait_for_selector("#ask-source-1[open] .passage")


def test_ask_with_a_year_filter(page):
    page.click("#ask-filters button, #ask-filters .label-wrap")
    page.fill("#ask-year-from input", "2022")
    page.fill("#ask-year-to input", "2022")
    page.fill("#ask-question textarea", "What are the four pillars of risk management?")
    page.click("#ask-button")
    page.wait_for_selector("#ask-answer .answer")
    page.wait_for_selector("#ask-answer .sources #ask-source-1")
    sources = page.inner_text("#ask-answer .sources")
    assert "2022" in sources and "2020-03-04" not in sources and "2025" not in sources


def test_search_with_filters(page):
    page.get_by_role("tab", name="Search").click()
    page.fill("#search-query textarea", "SPO workload")
    page.locator("#search-type input").click()
    page.get_by_role("option", name="Action plan").click()
    page.fill("#search-year-from input", "2022")
    page.fill("#search-year-to input", "2022")
    page.click("#search-button")
    page.wait_for_selector("#search-results .hit")
    heads = page.locator("#search-results .hit-head").all_text_contents()  # those folded away included
    assert heads and all("2022" in h and "Action plan" in h for h in heads)
    assert page.locator("#search-results mark").count() > 0
    shot(page, "search")
    page.fill("#search-year-from input", "2030")
    page.fill("#search-year-to input", "0")
    page.click("#search-button")
    wait_text(page, "#search-results", "No documents match the filters")


def test_recommendations_table_filters(page):
    page.get_by_role("tab", name="Recommendations").click()
    count = ("n => { const e = document.querySelector('#recs-count');"
             " const m = e && e.innerText.match(/(\\d+) recommendations/); return m && parseInt(m[1]) < n; }")
    page.wait_for_function(count, arg=10**6, timeout=TIMEOUT_MS)  # the table loads with the page
    total = int(page.inner_text("#recs-count").split()[0])
    page.locator("#recs-status input").click()
    page.get_by_role("option", name="Partly Agreed").click()
    page.click("#recs-button")
    page.wait_for_function(count, arg=total, timeout=TIMEOUT_MS)
    partly = int(page.inner_text("#recs-count").split()[0])
    assert 0 < partly < total
    assert "Partly Agreed" in page.inner_text("#recs-table")
    # the slide deck's recommendations, each with the response its action plan gave, on opening one
    page.locator("#recs-type input").click()
    page.get_by_role("option", name="Presentation").click()
    page.click("#recs-button")
    page.wait_for_function(count, arg=partly, timeout=TIMEOUT_MS)
    page.locator("#recs-table details.record summary").first.click()
    wait_text(page, "#recs-table", "From the action plan of 13 February 2025")
    assert page.inner_text("#recs-count").startswith("3 recommendations")  # Partly Agreed, from the deck
    shot(page, "recommendations")


def test_recurring_timeline(page):
    page.get_by_role("tab", name="Recurring").click()
    page.fill("#recurring-topic textarea", "SPO workload")
    page.click("#recurring-button")
    wait_text(page, "#recurring-count", "recurring thread")
    page.wait_for_selector("#recurring-plot img, #recurring-plot svg")
    assert "Senior Probation Officer" in page.inner_text("#recurring-table")
    shot(page, "recurring")


def test_check_a_recommendation_confirm_a_match_and_see_the_thread_change(page):
    page.get_by_role("tab", name="Recommendations").click()
    picker = page.locator("#similar-record input")
    picker.click()
    picker.fill("2022 #14")
    page.get_by_role("option", name=re.compile(r"^2022 #14 \(plan\)")).click()
    page.click("#similar-button")
    wait_text(page, "#similar-message", "most like 2022 #14")
    table = page.inner_text("#similar-table")
    assert "Review NPS workforce requirements" in table and "recruitment" in table  # the repeat, and why
    match = page.locator("#similar-match input")
    match.click()
    page.get_by_role("option", name=re.compile(r"2020 #4:")).click()
    page.click("#similar-confirm")
    wait_text(page, "#similar-message", "Saved: 2022 #14 and 2020 #4 are one recommendation made again")
    wait_text(page, "#similar-table", "confirmed repeat")
    shot(page, "similar")
    # the judgement is applied to the threads at once (the Recurring tab is refreshed with it)
    page.get_by_role("tab", name="Recurring").click()
    wait_text(page, "#recurring-table", "2020 #4 Agreed ✓; 2022 #14 Agreed ✓")
    page.wait_for_selector("#recurring-plot img, #recurring-plot svg")
    shot(page, "recurring-confirmed")


def test_upload_a_text_file_then_find_it(page, app, tmp_path):
    note = tmp_path / "coastal-rota-note.txt"
    note.write_text("Coastal offices staffing note.\n\nThe Holyhead zephyr rota pilot gave probation officers in "
                    "remote coastal offices a four-day week during winter storms, and staff said it reduced "
                    "travel stress.\n", encoding="utf-8")
    page.get_by_role("tab", name="Documents").click()
    wait_text(page, "#docs-table", "Action plan")
    page.set_input_files("#docs-upload input[type=file]", str(note))
    page.wait_for_selector("#docs-upload :text('coastal-rota-note')")  # shown as name and suffix
    page.click("#docs-index-button")
    wait_text(page, "#docs-message", "Added to the index")
    assert "coastal-rota-note.txt" in page.inner_text("#docs-message")
    wait_text(page, "#docs-table", "Coastal offices")  # titled by its first line, not by its file name (issue 20)
    shot(page, "documents")
    assert list((app["root"] / "uploads").glob("*.txt")), "the upload is kept in the uploads folder"
    page.get_by_role("tab", name="Search").click()
    page.fill("#search-query textarea", "zephyr rota for coastal offices")
    page.click("#search-button")
    page.wait_for_selector("#search-results .hit")
    first = page.inner_text("#search-results .hit >> nth=0")
    assert "zephyr" in first.lower()

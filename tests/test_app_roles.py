"""Sign-in and roles on the real app (issue 23): through its HTTP API and in a real browser.

The app runs on a copy of the corpus index with three users (an admin, an editor, a reader). Writing
events (upload, judge) are refused to a reader on the server, whatever the page shows; a request without
a session is refused when users exist; the audit log names who uploaded and judged. The sign-in clock is
frozen, so "too soon after a failure" is decided by state, not by how fast the machine is.
"""
from __future__ import annotations

import json
import re
import shutil
import uuid
from pathlib import Path

import httpx
import pytest

from conftest import free_port

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery staple"
TIMEOUT_MS = 180_000  # a ceiling, not a wait: every wait ends when the page shows the state
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def team_app(corpus_index, embedder, analyzer, tmp_path_factory):
    from argon2 import PasswordHasher

    from ui.app import build_app, launch_app
    from ui.auth import AccessSettings
    from ui.auth.signin import Authenticator, ThrottlePolicy
    from ui.auth.users import UserStore

    root = tmp_path_factory.mktemp("team-app")
    index = root / "index"
    shutil.copytree(corpus_index, index)
    store = UserStore(root / "users.json", hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    for name, role in (("ada", "admin"), ("ed", "editor"), ("rita", "reader")):
        store.add(name, role, PASSWORD)
    demo = build_app(index, embedder=embedder, analyzer=analyzer, warm=False,
                     access=AccessSettings(root / "users.json"))
    gate = demo.inspection_context.gate
    frozen = 1000.0  # a failure's delay never passes: the next attempt is always too soon
    gate.authenticator = Authenticator(gate.store, ThrottlePolicy(base_delay=5.0), clock=lambda: frozen)
    port = free_port()
    launch_app(demo, port=port, prevent_thread_lock=True, quiet=True)
    yield {"url": f"http://127.0.0.1:{port}/", "root": root, "index": index, "demo": demo}
    demo.close()


def _session(url: str, name: str) -> httpx.Client:
    c = httpx.Client(base_url=url, timeout=120, follow_redirects=False)
    r = c.post("signin", data={"username": name, "password": PASSWORD})
    assert r.status_code == 303, r.text
    return c


def _event(client: httpx.Client, demo, fn_name: str, data: list) -> str:
    """Run one event (public or private) through Gradio's queue, as any HTTP client can; its output text."""
    fn_index = next(i for i, f in enumerate(demo.fns.values()) if getattr(f.fn, "__name__", "") == fn_name)
    session = uuid.uuid4().hex
    r = client.post("gradio_api/queue/join", json={"data": data, "fn_index": fn_index, "session_hash": session,
                                                   "event_data": None, "trigger_id": None})
    if r.status_code != 200:
        return f"HTTP {r.status_code}"
    with client.stream("GET", f"gradio_api/queue/data?session_hash={session}") as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                msg = json.loads(line[5:])
                if msg.get("msg") == "process_completed":
                    return json.dumps(msg.get("output"))
    return ""


def _generation(index: Path) -> str:
    return (index / "CURRENT").read_text().strip()


def test_no_session_is_refused_when_users_exist(team_app):
    with httpx.Client(base_url=team_app["url"], timeout=60) as c:
        assert c.post("gradio_api/call/ask", json={"data": ["SPO workload"]}).status_code == 401
        assert c.post("gradio_api/queue/join", json={"data": [], "fn_index": 0, "session_hash": "x"}).status_code == 401
        page = c.get("", headers={"accept": "text/html"})
        assert page.status_code == 303 and "signin" in page.headers["location"]


def test_a_readers_upload_and_judge_are_refused_and_change_nothing(team_app, tmp_path):
    demo, index, root = team_app["demo"], team_app["index"], team_app["root"]
    before = _generation(index)
    judgements = index / "judgements.jsonl"
    judged_before = judgements.read_bytes() if judgements.exists() else b""
    note = tmp_path / "reader-note.txt"
    note.write_text("A reader's note about the Wexcombe quay rota.\n", encoding="utf-8")
    c = _session(team_app["url"], "rita")
    try:
        served = c.post("gradio_api/upload", files={"files": (note.name, note.read_bytes())}).json()[0]
        out = _event(c, demo, "on_upload", [[{"path": served, "orig_name": note.name,
                                               "meta": {"_type": "gradio.FileData"}}]])
        assert "rita is a reader and may not upload" in out, out
        out = _event(c, demo, "on_judge", [{"record": "2022-06#17"}, None, "match"])
        assert "rita is a reader and may not judge" in out, out
        doc = "2022-06-action-plan-essex-north-northamptonshire"
        out = _event(c, demo, "on_remove", [doc])  # the Documents tab's "Remove from the index"
        assert "rita is a reader and may not remove" in out, out
        out = _event(c, demo, "on_save", [doc, "", "strategy", "2001"])  # its "Save correction"
        assert "rita is a reader and may not upload" in out, out
        assert c.post("gradio_api/call/ask", json={"data": ["SPO workload"]}).status_code == 200  # reading is fine
    finally:
        c.close()
    assert _generation(index) == before and not list((root / "uploads").glob("*.txt"))
    assert not (index / "corrections.json").exists()
    assert (judgements.read_bytes() if judgements.exists() else b"") == judged_before


def test_a_spoofed_user_header_is_ignored(team_app):
    # the app runs in password mode with no trusted proxy: a header naming the admin changes nothing
    with httpx.Client(base_url=team_app["url"], timeout=60, headers={"X-Remote-User": "ada"}) as c:
        assert c.post("gradio_api/call/ask", json={"data": ["SPO workload"]}).status_code == 401


# --- in a browser ---------------------------------------------------------------------------------

def _signed_in(browser, url: str, name: str, password: str = PASSWORD):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url, wait_until="domcontentloaded")
    page.fill("#username", name)
    page.fill("#password", password)
    page.click("button[type=submit], input[type=submit]")
    return ctx, page


@pytest.mark.browser
def test_a_reader_signs_in_and_has_no_upload_or_judge_controls(browser, team_app):
    ctx, page = _signed_in(browser, team_app["url"], "rita")
    page.wait_for_selector("#ask-question textarea")
    page.get_by_role("tab", name="Recommendations").click()
    page.wait_for_selector("#similar-button")
    assert not page.locator("#similar-confirm").is_visible() and not page.locator("#similar-reject").is_visible()
    page.get_by_role("tab", name="Documents").click()
    page.wait_for_selector("#docs-table")
    assert page.locator("#docs-upload").count() == 0 or not page.locator("#docs-upload").is_visible()
    assert not page.locator("#docs-index-button").is_visible()
    assert not page.locator("#docs-edit").is_visible()  # no correcting or removing documents either
    assert page.get_by_role("tab", name="Audit").count() == 0 or not page.get_by_role("tab", name="Audit").is_visible()
    ctx.close()


@pytest.mark.browser
def test_an_editor_uploads_and_confirms_a_repeat_and_the_audit_log_names_them(browser, team_app, tmp_path):
    from ui.audit import AuditLog

    ctx, page = _signed_in(browser, team_app["url"], "ed")
    page.wait_for_selector("#ask-question textarea")
    note = tmp_path / "editor-note.txt"
    note.write_text("Harbour office note.\n\nThe Wexcombe quay rota gave officers a fixed late shift.\n",
                    encoding="utf-8")
    page.get_by_role("tab", name="Documents").click()
    page.set_input_files("#docs-upload input[type=file]", str(note))
    page.wait_for_selector("#docs-upload :text('editor-note')")  # shown as name and suffix
    page.click("#docs-index-button")
    page.wait_for_function("() => document.querySelector('#docs-message').innerText.includes('Added to the index')")
    page.get_by_role("tab", name="Recommendations").click()
    picker = page.locator("#similar-record input")
    picker.click()
    picker.fill("2022 #17")
    page.get_by_role("option", name=re.compile(r"^2022 #17 \(plan\)")).click()
    page.click("#similar-button")
    page.wait_for_function("() => document.querySelector('#similar-message').innerText.includes('most like 2022 #17')")
    match = page.locator("#similar-match input")
    match.click()
    page.get_by_role("option", name=re.compile(r"2020 #8:")).click()
    page.click("#similar-confirm")
    page.wait_for_function("() => document.querySelector('#similar-message').innerText.includes('Saved')")
    ctx.close()
    entries = AuditLog.for_index(team_app["index"]).entries()
    assert any(e.who == "ed" and e.action == "upload" and e.what.get("file") == "editor-note.txt"
               and e.generation_after != e.generation_before for e in entries), entries
    assert any(e.who == "ed" and e.action == "judge" and e.what.get("label") == "match" for e in entries), entries
    judged = [json.loads(x) for x in (team_app["index"] / "judgements.jsonl").read_text().splitlines() if x.strip()]
    assert judged[-1]["by"] == "ed"
    # an admin sees it in the app
    ctx, page = _signed_in(browser, team_app["url"], "ada")
    page.get_by_role("tab", name="Audit").click()
    page.wait_for_function("() => document.querySelector('#audit-table').innerText.includes('editor-note.txt')")
    ctx.close()


@pytest.mark.browser
def test_a_wrong_password_is_refused_and_a_repeat_too_soon_is_slowed(browser, team_app):
    ctx, page = _signed_in(browser, team_app["url"], "ed", "not the password")
    page.wait_for_selector("text=wrong user name or password")
    page.fill("#username", "ed")
    page.fill("#password", "still not it")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_selector("text=/wait|try again in/i")
    assert page.locator("#ask-question").count() == 0  # still not signed in
    ctx.close()

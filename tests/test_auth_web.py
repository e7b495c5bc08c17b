"""SignInGate on a real Gradio server (issue 23): the sign-in page, the session cookie, wrong passwords
slowed and refused with the reason, sessions ending, and the proxy header believed only from the proxy.
A small Blocks stands in for the app (the app's own wiring is tested with the app); clocks are injected."""
from __future__ import annotations

import gradio as gr  # at module level: the handlers' `gr.Request` annotations must resolve here
import httpx
import pytest

from conftest import free_port
from ui.auth import AccessSettings, SignInGate, require
from ui.auth.errors import NotAllowed
from ui.auth.proxies import parse_proxies
from ui.auth.sessions import SessionPolicy, SessionStore
from ui.auth.signin import Authenticator, ThrottlePolicy
from ui.auth.users import UserStore

pytestmark = pytest.mark.slow
PASSWORD = "correct horse battery staple"
HTML = {"accept": "text/html"}


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def _launch(gate: SignInGate):
    """A Blocks with a `whoami` and a guarded `upload` event, launched with the gate; (demo, url)."""
    def whoami(x, request: gr.Request):
        user = gate.identity(request.username)
        return f"{user.name}:{user.role}" if user else "nobody"

    def upload(x, request: gr.Request):
        try:
            require(gate.identity(request.username), "upload")
        except NotAllowed as e:
            raise gr.Error(str(e)) from None
        return "uploaded"

    with gr.Blocks() as demo:
        box, out = gr.Textbox(), gr.Textbox()
        gr.Button("who").click(whoami, box, out, api_name="whoami")
        gr.Button("up").click(upload, box, out, api_name="upload")
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, ssr_mode=False,
                auth_dependency=gate.user_of, app_kwargs={"middleware": [gate.middleware()]})
    return demo, f"http://127.0.0.1:{port}/"


def _call(url: str, api: str, cookies=None, headers=None):
    """Call an event through Gradio's HTTP API; (status of the call, the result text or error)."""
    with httpx.Client(base_url=url, cookies=cookies, headers=headers, timeout=60) as c:
        r = c.post(f"gradio_api/call/{api}", json={"data": ["x"]})
        if r.status_code != 200:
            return r.status_code, r.text
        stream = c.get(f"gradio_api/call/{api}/{r.json()['event_id']}").text
        return 200, stream


@pytest.fixture(scope="module")
def password_app(tmp_path_factory):
    from argon2 import PasswordHasher

    folder = tmp_path_factory.mktemp("signin")
    store = UserStore(folder / "users.json", hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    store.add("ed", "editor", PASSWORD)
    store.add("rita", "reader", PASSWORD)
    clock = Clock()
    access = AccessSettings(folder / "users.json")
    auth = Authenticator(store, ThrottlePolicy(base_delay=2.0, max_delay=8.0, user_limit=3), clock=clock)
    sessions = SessionStore(SessionPolicy(idle=600.0, absolute=3600.0), clock=clock)
    gate = SignInGate(access, auth, sessions)
    demo, url = _launch(gate)
    yield url, clock, gate
    demo.close()


def _sign_in(url, name, password):
    return httpx.post(url + "signin", data={"username": name, "password": password}, timeout=60)


def test_a_browser_without_a_session_is_sent_to_the_sign_in_page(password_app):
    url, *_ = password_app
    r = httpx.get(url, headers=HTML)
    assert r.status_code == 303 and r.headers["location"] == "./signin"
    page = httpx.get(url + "signin")
    assert page.status_code == 200 and 'name="password"' in page.text and 'type="password"' in page.text
    assert httpx.get(url + "config").status_code == 401  # the API is refused too, not only the page
    assert _call(url, "whoami")[0] == 401


def test_routes_gradio_leaves_open_are_closed_too(password_app):
    """Gradio guards most routes through `user_of`, not all: the middleware refuses the rest."""
    url, *_ = password_app
    for method, path in (("GET", "gradio_api/heartbeat/abc"), ("POST", "gradio_api/reset/"),
                         ("POST", "gradio_api/cancel"), ("GET", "theme.css")):
        r = httpx.request(method, url + path, json={})
        assert r.status_code == 401 and r.json() == {"detail": "Not authenticated"}, (path, r.status_code)
    jar = dict(_sign_in(url, "ed", PASSWORD).cookies)
    assert httpx.get(url + "theme.css", cookies=jar).status_code == 200


def test_a_websocket_without_a_session_is_refused(tmp_path):
    import asyncio

    from ui.auth.web import SignInPages

    store = UserStore(tmp_path / "users.json")
    store.add("ed", "editor", PASSWORD)
    reached, sent = [], []

    async def app(scope, receive, send):
        reached.append(scope["type"])

    async def send(message):
        sent.append(message)

    pages = SignInPages(app, SignInGate(AccessSettings(tmp_path / "users.json")))
    scope = {"type": "websocket", "path": "/ws", "headers": [], "client": ("10.9.9.9", 1)}
    asyncio.run(pages(scope, None, send))
    assert reached == [] and sent == [{"type": "websocket.close", "code": 1008}]
    asyncio.run(pages({"type": "lifespan"}, None, send))
    assert reached == ["lifespan"]


def test_signing_in_gives_a_session_cookie_that_names_the_user_to_handlers(password_app):
    url, *_ = password_app
    r = _sign_in(url, "Ed", PASSWORD)
    assert r.status_code == 303 and r.headers["location"] == "./"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # plain http here
    jar = dict(r.cookies)
    assert httpx.get(url, headers=HTML, cookies=jar).status_code == 200
    status, out = _call(url, "whoami", cookies=jar)
    assert status == 200 and "ed:editor" in out
    assert "uploaded" in _call(url, "upload", cookies=jar)[1]


def test_a_readers_upload_is_refused_on_the_server(password_app):
    url, *_ = password_app
    jar = dict(_sign_in(url, "rita", PASSWORD).cookies)
    status, out = _call(url, "upload", cookies=jar)
    assert "rita is a reader and may not upload (allowed for editors and admins)" in out
    assert "uploaded" not in out


def test_wrong_passwords_are_refused_then_slowed_then_locked_out_saying_so(password_app):
    url, clock, _ = password_app
    r = _sign_in(url, "ghost", "wrong guess 1")
    assert r.status_code == 401 and "wrong user name or password" in r.text and "set-cookie" not in r.headers
    r = _sign_in(url, "ghost", "wrong guess 2")  # at once: not even checked
    assert r.status_code == 429 and "failed sign-ins are slowed: wait 2 s" in r.text
    assert r.headers["retry-after"] == "2"
    for _ in range(2):
        clock.t += 8.0
        assert _sign_in(url, "ghost", "another guess").status_code == 401
    clock.t += 8.0
    r = _sign_in(url, "ghost", "another guess")
    assert r.status_code == 429 and "sign-in is locked for 15 min" in r.text


def test_a_session_ends_when_idle_and_on_signing_out(password_app):
    url, clock, _ = password_app
    jar = dict(_sign_in(url, "ed", PASSWORD).cookies)
    clock.t += 599.0
    assert _call(url, "whoami", cookies=jar)[0] == 200
    clock.t += 600.0
    assert _call(url, "whoami", cookies=jar)[0] == 401  # idle too long
    jar = dict(_sign_in(url, "ed", PASSWORD).cookies)
    out = httpx.get(url + "signout", cookies=jar)
    assert out.status_code == 303 and "Max-Age=0" in out.headers["set-cookie"]
    assert _call(url, "whoami", cookies=jar)[0] == 401


def test_a_new_password_or_removal_ends_existing_sessions(password_app):
    """`users passwd` and `users remove` run in another process: the app sees the file change."""
    url, clock, gate = password_app
    jar = dict(_sign_in(url, "rita", PASSWORD).cookies)
    assert _call(url, "whoami", cookies=jar)[0] == 200
    later = UserStore(gate.store.path, hasher=gate.store.hasher, now=lambda: "2999-01-01T00:00:00Z")
    later.set_password("rita", "a brand new passphrase")
    assert _call(url, "whoami", cookies=jar)[0] == 401
    jar = dict(_sign_in(url, "rita", "a brand new passphrase").cookies)
    later.remove("rita")
    assert _call(url, "whoami", cookies=jar)[0] == 401


def test_a_spoofed_user_header_means_nothing_in_password_mode(password_app):
    url, *_ = password_app
    assert _call(url, "whoami", headers={"X-Remote-User": "ed"})[0] == 401


@pytest.mark.parametrize("proxies,expected", [(["10.0.0.0/8"], None), (["127.0.0.0/8"], "ann:reader")])
def test_the_trusted_header_counts_only_from_a_listed_proxy(tmp_path, proxies, expected):
    """The test client connects from 127.0.0.1: a spoofer when only 10/8 is trusted, the proxy when 127/8 is."""
    access = AccessSettings(tmp_path / "users.json", "X-Remote-User", parse_proxies(proxies))
    gate = SignInGate(access)
    demo, url = _launch(gate)
    try:
        status, out = _call(url, "whoami", headers={"X-Remote-User": "ann"})
        if expected is None:
            assert status == 401
            assert httpx.get(url, headers={**HTML, "X-Remote-User": "ann"}).status_code == 401
        else:
            assert status == 200 and expected in out
            assert 'name="password"' not in httpx.get(url + "signin", headers={"X-Remote-User": "ann"}).text
    finally:
        demo.close()


def test_cookies_are_secure_when_the_browser_used_https_and_links_are_relative(tmp_path):
    from ui.auth.web import _Headers, _https, _to_signin

    gate = SignInGate(AccessSettings(tmp_path / "users.json", None, parse_proxies(["10.0.0.1"])))

    def scope(peer, *headers):
        return {"client": (peer, 1234), "scheme": "http", "headers": [(k.encode(), v.encode()) for k, v in headers]}

    proto = ("x-forwarded-proto", "https")
    ours, theirs = scope("10.0.0.1", proto), scope("10.0.0.2", proto)
    assert _https(ours, _Headers(ours), gate)  # our proxy says so
    assert not _https(theirs, _Headers(theirs), gate)  # anyone else: not believed
    assert _https({"scheme": "https", "client": ("1.2.3.4", 1)}, _Headers({}), gate)
    assert [_to_signin(p) for p in ("/", "/x", "/a/b/")] == ["./signin", "./signin", "../../signin"]
    doubled = _Headers(scope("10.0.0.1", ("x-remote-user", "ann"), ("X-Remote-User", "admin")))
    assert doubled["x-remote-user"] == "ann, admin"  # a repeated header never reads as one name

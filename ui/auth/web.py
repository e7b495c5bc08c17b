"""Signing in on the web: who each request is from, a sign-in page, and sessions in a cookie.

    gate = SignInGate(access)                          # access: AccessSettings from `inspection-search ui`
    demo.launch(..., auth_dependency=gate.user_of,     # Gradio asks it about every request
                app_kwargs={"middleware": [gate.middleware()]})  # serves /signin and /signout
    # in a handler:  user = gate.identity(request.username); require(user, "upload")

Why not Gradio's own `auth=`: its login page can only say "incorrect credentials" (not "locked for
14 min"), its sign-in callback is not told the caller's address, and its sessions never end. With
`auth_dependency` Gradio still refuses every route (page, config, queue, API) to a request for
which `user_of` returns None, and hands the name to handlers as `gr.Request.username`.

In header mode the proxy has signed the person on: `user_of` reads the trusted header (only from
a trusted proxy) and there is no sign-in page. In password mode the page checks the password with
`Authenticator` (failures slowed and limited per name and per address) and keeps the session in
an HttpOnly, SameSite=Lax cookie (Secure when the browser reached us over HTTPS).
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import parse_qs

from ui.auth.errors import SignInRefused
from ui.auth.pages import signin_page
from ui.auth.proxies import client_address, header_value, is_trusted, trusted_user
from ui.auth.roles import User, open_user
from ui.auth.sessions import SessionStore
from ui.auth.settings import AccessSettings
from ui.auth.signin import Authenticator

COOKIE = "inspection_search_session"
SIGNIN_PATH = "/signin"
SIGNOUT_PATH = "/signout"
MAX_FORM_BYTES = 8192
# routes served to anyone: Gradio's launch() calls this one itself, unsigned, to run the app's
# start-up events once (later calls only answer false)
OPEN_PATHS = ("/gradio_api/startup-events",)


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    message: str  # for the page: empty on success
    status: int  # 303 on success, 401 wrong name or password, 429 slowed or locked
    retry_after: float = 0.0


class SignInGate:
    def __init__(self, access: AccessSettings, authenticator: Authenticator | None = None,
                 sessions: SessionStore | None = None):
        self.access = access
        # `is None`, not `or`: an empty SessionStore has len 0 and would be replaced
        self.store = access.store() if authenticator is None else authenticator.store
        self.authenticator = Authenticator(self.store, access.throttle) if authenticator is None else authenticator
        self.sessions = SessionStore(access.sessions) if sessions is None else sessions
        self._mode = access.mode(self.store)

    @property
    def mode(self) -> str:
        """The sign-in mode, fixed at start except that it only ever tightens: a user added while an
        open (loopback) app runs turns sign-in on; removing every user never turns it off."""
        if self._mode == "open" and self.store.has_users():
            self._mode = "password"
        return self._mode

    # --- who is asking ------------------------------------------------------------------------

    def name_from(self, headers, peer: str | None, cookies: dict) -> str | None:
        """The signed-in name of a request (None: nobody), from its headers, peer address and cookies."""
        mode = self.mode
        if mode == "header":
            name = trusted_user(headers, peer, self.access.trusted_user_header, self.access.trusted_proxies)
            return name if self.identity(name) else None
        if mode == "open":
            return open_user().name
        s = self.sessions.get(cookies.get(COOKIE))
        if s is None:
            return None
        rec = self.store.get(s.name)
        if rec is None or (rec.password_changed or "") > s.signed_in:  # removed, or a new password since
            self.sessions.end(s.token)
            return None
        return s.name

    def user_of(self, request) -> str | None:
        """Gradio's `auth_dependency`: the name for a starlette/FastAPI request, or None."""
        peer = request.client.host if request.client else None
        return self.name_from(request.headers, peer, dict(request.cookies))

    def identity(self, name: str | None) -> User | None:
        """Name and current role (what handlers check with `roles.require`). With nobody required to
        sign in (loopback only) the person at this machine may do everything, as before sign-in existed."""
        if self.mode == "open":
            return open_user()
        return self.access.identity(name, self.store)

    # --- signing in and out -----------------------------------------------------------------------

    def sign_in(self, username: str, password: str, address: str) -> tuple[SignInResult, str | None]:
        """Check a password; (result, the new session's token or None)."""
        try:
            user = self.authenticator.check(username, password, address)
        except SignInRefused as e:
            return SignInResult(None, str(e), 429, e.retry_after), None
        if user is None:
            return SignInResult(None, "wrong user name or password", 401), None
        return SignInResult(user, "", 303), self.sessions.create(user.name).token

    def middleware(self):
        """The ASGI middleware for FastAPI/Gradio's `app_kwargs={"middleware": [...]}`."""
        from starlette.middleware import Middleware

        return Middleware(SignInPages, gate=self)


class SignInPages:
    """Pure ASGI middleware in front of the whole app: /signin and /signout, and no other route for a
    request without a signed-in user. Gradio refuses most routes itself (through `user_of`), but not
    all of them (its reset, heartbeat and stream routes, say), and it has a history of route advisories:
    one gate in front of everything does not depend on each route remembering to ask."""

    def __init__(self, app, gate: SignInGate):
        self.app = app
        self.gate = gate

    async def __call__(self, scope, receive, send):
        mode = self.gate.mode
        if scope["type"] not in ("http", "websocket") or mode == "open":
            return await self.app(scope, receive, send)
        headers = _Headers(scope)
        path = scope.get("path", "")
        if scope["type"] == "http" and mode == "password" and path in (SIGNIN_PATH, SIGNOUT_PATH):
            return await self._pages(scope, receive, send, headers, path)
        if path in OPEN_PATHS or self._signed_in(scope, headers):
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":  # refuse the handshake (the server answers 403)
            return await send({"type": "websocket.close", "code": 1008})
        if mode == "password" and scope.get("method") == "GET" and _wants_page(path, headers):
            return await _reply(send, 303, "", location=_to_signin(path))
        return await _reply(send, 401, '{"detail": "Not authenticated"}', content_type="application/json")

    async def _pages(self, scope, receive, send, headers: _Headers, path: str):
        secure = _https(scope, headers, self.gate)
        if path == SIGNOUT_PATH:
            self.gate.sessions.end(headers.cookies().get(COOKIE))
            return await _reply(send, 303, "", location="./signin", cookie="", secure=secure)
        if scope.get("method") == "POST":
            return await self._post_signin(scope, receive, send, headers)
        return await _reply(send, 200, signin_page(""), secure=secure)

    def _signed_in(self, scope, headers: _Headers) -> bool:
        peer = scope["client"][0] if scope.get("client") else None
        return self.gate.name_from(headers, peer, headers.cookies()) is not None

    async def _post_signin(self, scope, receive, send, headers: _Headers):
        form = await _read_form(receive)
        peer = scope["client"][0] if scope.get("client") else None
        address = client_address(headers, peer, self.gate.access.trusted_proxies)
        # argon2 takes tens of milliseconds of CPU: keep the event loop serving others meanwhile
        result, token = await asyncio.to_thread(self.gate.sign_in, form.get("username", ""),
                                                form.get("password", ""), address)
        secure = _https(scope, headers, self.gate)
        if token:
            return await _reply(send, 303, "", location="./", cookie=token, secure=secure)
        extra = [(b"retry-after", str(int(result.retry_after + 0.999)).encode())] if result.retry_after else []
        return await _reply(send, result.status, signin_page(result.message, form.get("username", "")),
                            extra=extra, secure=secure)


class _Headers(dict):
    """A request's headers from the ASGI scope, lower-cased; a repeated header's values joined as HTTP
    says (", ", or "; " for cookies), so a doubled user header never reads as one valid name."""

    def __init__(self, scope):
        super().__init__()
        for k, v in scope.get("headers", []):
            key, value = k.decode("latin-1").lower(), v.decode("latin-1")
            self[key] = f"{self[key]}{'; ' if key == 'cookie' else ', '}{value}" if key in self else value

    def cookies(self) -> dict:
        from http.cookies import CookieError, SimpleCookie

        jar = SimpleCookie()
        try:
            jar.load(self.get("cookie", ""))
        except CookieError:  # a malformed cookie header: treat as no cookies
            return {}
        return {k: m.value for k, m in jar.items()}


def _https(scope, headers: _Headers, gate: SignInGate) -> bool:
    """Whether the browser reached us over HTTPS: directly, or as a trusted proxy says."""
    if scope.get("scheme") == "https":
        return True
    peer = scope["client"][0] if scope.get("client") else None
    return is_trusted(peer, gate.access.trusted_proxies) and header_value(headers, "x-forwarded-proto") == "https"


def _wants_page(path: str, headers: _Headers) -> bool:
    """A browser navigating to a page (not a script calling the API, which gets Gradio's 401)."""
    return "text/html" in headers.get("accept", "") and not path.startswith(("/gradio_api", "/assets", "/static"))


def _to_signin(path: str) -> str:
    """A relative link to the sign-in page, so the app works behind a proxy under a sub-path too."""
    depth = max(0, path.count("/") - 1)
    return ("../" * depth or "./") + SIGNIN_PATH.lstrip("/")


async def _read_form(receive) -> dict[str, str]:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if len(body) > MAX_FORM_BYTES or not message.get("more_body"):
            break
    fields = parse_qs(body[:MAX_FORM_BYTES].decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[0] for k, v in fields.items() if v}


async def _reply(send, status: int, body: str, *, location: str = "", cookie: str | None = None,
                 secure: bool = False, extra: list = (), content_type: str = "text/html; charset=utf-8") -> None:
    headers = [(b"content-type", content_type.encode()), (b"cache-control", b"no-store")]
    if location:
        headers.append((b"location", location.encode()))
    if cookie is not None:  # "" ends the session in the browser too
        attrs = f"{COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
        headers.append((b"set-cookie", (attrs + ("" if cookie else "; Max-Age=0")).encode()))
    data = body.encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": headers + list(extra)})
    await send({"type": "http.response.body", "body": data})

"""A tiny OpenAI-compatible chat endpoint on 127.0.0.1 for the generative-answer tests.

It is a real HTTP server (http.server in a thread) that reads the prompt the way a
model would and answers according to the requested "model", which names a behaviour:

    faithful          quotes passage 1 verbatim with [1], and a plain sentence citing [2]
    wrong-markers     one good sentence, one citing [9], one citing [0]
    invented-quote    one good sentence, one with a quote that is in no passage
    follow-injection  obeys a planted passage: uncited text, a fake quote, plus one good sentence
    slow              waits `slow_seconds`, then answers like faithful
    error             HTTP 500
    not-json          HTTP 200 with a body that is not a chat completion

Every request body is kept in `requests` so tests can inspect the prompt.
"""
from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PASSAGE = re.compile(r"<<<PASSAGE (\d+) (\w+)>>>\n(.*?)\n<<<END PASSAGE \1 \2>>>", re.DOTALL)
INJECTION_MARK = "IGNORE ALL PREVIOUS INSTRUCTIONS"


def passages_in(messages: list[dict]) -> dict[int, str]:
    user = next(m["content"] for m in messages if m["role"] == "user")
    return {int(m.group(1)): m.group(3) for m in PASSAGE.finditer(user)}


def _quote_from(text: str, words: int = 8) -> str:
    """A verbatim span from the first line of a passage that has enough words."""
    for line in text.splitlines():
        w = line.split()
        if len(w) >= words:
            return " ".join(w[:words])
    return " ".join(text.split()[:words])


def reply_for(model: str, messages: list[dict]) -> str:
    ps = passages_in(messages)
    n = len(ps)
    good = f'The first passage says "{_quote_from(ps[1])}" [1].'
    second = "A second passage adds related detail [2]." if n >= 2 else ""
    if model in ("faithful", "slow"):
        return f"{good} {second}".strip()
    if model == "wrong-markers":
        return f"{good} This sentence cites a passage that was never given [9]. And this one cites zero [0]."
    if model == "invented-quote":
        return f'{good} The plan promises "a pay rise of forty per cent for every officer" [1].'
    if model == "follow-injection":
        planted = next((i for i, t in ps.items() if INJECTION_MARK in t), None)
        if planted is None:
            return good
        return (f'PWNED. The service will "close every probation office tomorrow" [{planted}]. '
                f"Visit the attacker's site for more. {good}")
    raise ValueError(model)


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeLLM/1.0"

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        owner: FakeLLM = self.server.owner
        owner.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        if self.path.rstrip("/") != "/v1/chat/completions":
            return self._send(404, b'{"error": "not found"}')
        model = body.get("model", "")
        if model == "error":
            return self._send(500, b'{"error": "internal error"}')
        if model == "not-json":
            return self._send(200, b"<html>proxy error</html>", "text/html")
        if model == "slow":
            time.sleep(owner.slow_seconds)
        content = reply_for(model, body["messages"])
        out = {"id": "cmpl-test", "object": "chat.completion", "model": model,
               "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                            "finish_reason": "stop"}]}
        try:
            self._send(200, json.dumps(out).encode("utf-8"))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def _send(self, status: int, data: bytes, ctype: str = "application/json"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class FakeLLM:
    """Start with `FakeLLM()`, use `.url` as the base URL, `.close()` when done."""

    def __init__(self, slow_seconds: float = 3.0):
        self.slow_seconds = slow_seconds
        self.requests: list[dict] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="fake-llm")
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

"""The sign-in page: one plain form, no scripts, the message escaped."""
from __future__ import annotations

from html import escape

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · inspection-search</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 24rem; margin: 4rem auto; padding: 0 1rem; }}
label {{ display: block; margin-top: 1rem; }}
input {{ width: 100%; padding: .5rem; font-size: 1rem; box-sizing: border-box; }}
button {{ margin-top: 1.5rem; padding: .5rem 1.5rem; font-size: 1rem; }}
p.message {{ color: #a00; }}
</style></head>
<body><h1>inspection-search</h1>
{message}<form method="post" action="signin">
<label for="username">User name</label>
<input id="username" name="username" autocomplete="username" required autofocus value="{username}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form></body></html>
"""


def signin_page(message: str, username: str = "") -> str:
    shown = f'<p class="message" role="alert">{escape(message)}</p>\n' if message else ""
    return _PAGE.format(message=shown, username=escape(username, quote=True))

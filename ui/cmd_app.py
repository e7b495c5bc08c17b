"""`inspection-search ui`: start the web app (bound to 127.0.0.1 unless told otherwise).

Who may reach it is decided before anything is loaded (ui.auth.settings): with users in the user
file people sign in; with --trusted-user-header a sign-on proxy names them; with neither, the
app serves only this machine, and binding another address is refused with one line.
"""
from __future__ import annotations

import sys


def register(sub) -> None:
    from ui.cli import add_index_option

    p = sub.add_parser("ui", help="start the web app (Ask, Search, Recommendations, Recurring, Documents)",
                       description="Serves the app on http://HOST:PORT. Uploaded files are stored in --uploads "
                                   "(default: an 'uploads' folder beside the index) and added to the index. "
                                   "With users (`inspection-search users add`) people sign in; without, the app "
                                   "serves only a loopback address. See docs/deployment.md.")
    add_index_option(p)
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1; any other needs users or the trusted header)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--uploads", metavar="DIR", default=None,
                   help="where uploaded files are kept (default: <index>/../uploads)")
    p.add_argument("--llm-url", default=None, help="OpenAI-compatible endpoint for written answers "
                                                   "(default: $INSPECTION_SEARCH_LLM_URL; none = offline)")
    p.add_argument("--llm-model", default=None, help="model name (default: $INSPECTION_SEARCH_LLM_MODEL)")
    p.add_argument("--users", metavar="FILE", default=None,
                   help="the user file (default: $INSPECTION_SEARCH_USERS, else <index>/users.json)")
    p.add_argument("--trusted-user-header", metavar="NAME", default=None,
                   help="take the signed-in user from this request header (e.g. X-Remote-User), set by a "
                        "sign-on proxy; believed only from --trusted-proxy addresses")
    p.add_argument("--trusted-proxy", metavar="ADDR", action="append", default=[],
                   help="address or CIDR block of a proxy whose user and X-Forwarded-For headers are believed "
                        "(repeatable; required with --trusted-user-header)")
    p.set_defaults(func=run)


def access_from(args):
    """AccessSettings for these options, checked against the host (UnsafeBind: one line, exit 2)."""
    from ui.auth.settings import access_settings, bind_warning, check_bind

    access = access_settings(args.users, args.index, args.trusted_user_header, args.trusted_proxy)
    mode = check_bind(args.host, access)
    for line in (bind_warning(args.host, mode), access.store().permission_warning(), _audit_warning(args.index)):
        if line:
            print(line, file=sys.stderr)
    return access, mode


def _audit_warning(index_dir) -> str | None:
    from ui.audit import AuditLog

    return AuditLog.for_index(index_dir).warning()


def run(args) -> int:
    if not 0 < args.port < 65536:
        from ui.cli import CliError

        raise CliError(f"--port must be between 1 and 65535, not {args.port}")
    access, mode = access_from(args)  # before loading anything: a refusal must not start a server
    from search.answers.generate import generator_from
    from ui.app import build_app, launch_app

    generator = generator_from(args.llm_url, args.llm_model)
    demo = build_app(args.index, uploads_dir=args.uploads, generator=generator, access=access)
    launch_app(demo, host=args.host, port=args.port)
    return 0

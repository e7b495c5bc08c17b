"""`inspection-search ui`: start the web app (bound to 127.0.0.1 unless told otherwise)."""
from __future__ import annotations

import sys


def register(sub) -> None:
    from ui.cli import add_index_option

    p = sub.add_parser("ui", help="start the web app (Ask, Search, Recommendations, Recurring, Documents)",
                       description="Serves the app on http://HOST:PORT. Uploaded files are stored in --uploads "
                                   "(default: an 'uploads' folder beside the index) and added to the index.")
    add_index_option(p)
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1; put a proxy with sign-on in front for others)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--uploads", metavar="DIR", default=None,
                   help="where uploaded files are kept (default: <index>/../uploads)")
    p.add_argument("--llm-url", default=None, help="OpenAI-compatible endpoint for written answers "
                                                   "(default: $INSPECTION_SEARCH_LLM_URL; none = offline)")
    p.add_argument("--llm-model", default=None, help="model name (default: $INSPECTION_SEARCH_LLM_MODEL)")
    p.set_defaults(func=run)


def run(args) -> int:
    from search.answers.generate import generator_from
    from ui.app import build_app, launch_app

    if not 0 < args.port < 65536:
        from ui.cli import CliError

        raise CliError(f"--port must be between 1 and 65535, not {args.port}")
    generator = generator_from(args.llm_url, args.llm_model)
    demo = build_app(args.index, uploads_dir=args.uploads, generator=generator)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {args.host}: anyone who can reach it can search and upload; "
              "see docs/safety.md", file=sys.stderr)
    launch_app(demo, host=args.host, port=args.port)
    return 0

"""`inspection-search search "QUERY"`: ranked, cited passages."""
from __future__ import annotations

import json


def register(sub) -> None:
    from ui.cli import add_filter_options, add_fusion_option, add_index_option

    p = sub.add_parser("search", help="search the index (hybrid, bm25 or dense)")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=10, help="number of passages (default 10)")
    p.add_argument("--mode", choices=("hybrid", "bm25", "dense"), default="hybrid")
    add_filter_options(p)
    p.add_argument("--json", action="store_true", help="print hits as JSON (schema in README)")
    add_fusion_option(p)
    add_index_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from search.retrieval.searcher import Searcher
    from ui.cli import filters_from, settings_from
    from ui.render import hit_text

    searcher = Searcher(args.index, settings=settings_from(args))
    hits = searcher.search(args.query, k=args.k, mode=args.mode, filters=filters_from(args))
    if args.json:
        print(json.dumps({"query": args.query, "mode": args.mode, "k": args.k, "fusion": searcher.settings.fusion,
                          "generation": searcher.generation, "hits": [h.to_json() for h in hits]},
                         indent=1, ensure_ascii=False))
        return 0
    if not hits:
        print("No passages found." + (" (No documents match the filters.)" if filters_from(args).active() else ""))
        return 0
    for h in hits:
        print(hit_text(h))
    return 0

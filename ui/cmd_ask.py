"""`inspection-search ask "QUESTION"`: a short answer with numbered, checked citations."""
from __future__ import annotations

import json
import sys
import textwrap


def register(sub) -> None:
    from ui.cli import add_filter_options, add_index_option

    p = sub.add_parser("ask", help="answer a question with cited sentences from the documents",
                       description="Offline by default (extractive). With --llm-url or "
                                   "$INSPECTION_SEARCH_LLM_URL an OpenAI-compatible chat endpoint writes the "
                                   "answer, and every sentence is checked against the passages it cites.")
    p.add_argument("question")
    p.add_argument("-k", type=int, default=8, help="passages retrieved (default 8)")
    add_filter_options(p)
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.add_argument("--llm-url", default=None, help="base URL of an OpenAI-compatible endpoint, e.g. "
                                                   "http://127.0.0.1:8080/v1 (default: $INSPECTION_SEARCH_LLM_URL)")
    p.add_argument("--llm-model", default=None, help="model name (default: $INSPECTION_SEARCH_LLM_MODEL)")
    p.add_argument("--offline", action="store_true", help="ignore any configured endpoint")
    add_index_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from search.answers.answer import answer
    from search.answers.generate import generator_from
    from search.retrieval.searcher import Searcher
    from ui.cli import filters_from
    from ui.render import answer_text

    generator = None if args.offline else generator_from(args.llm_url, args.llm_model)
    searcher = Searcher(args.index)
    result = answer(searcher, args.question, k=args.k, filters=filters_from(args), generator=generator)
    if args.json:
        print(json.dumps(dict(result.to_json(), generation=searcher.generation), indent=1, ensure_ascii=False))
        return 0
    if result.notice:
        print(f"note: {result.notice}", file=sys.stderr)
    for line in answer_text(result).split("\n"):
        print(textwrap.fill(line, 100, subsequent_indent="    ") if line else "")
    return 0

"""What a query must be, for every half of search/ (retrieval, answers, records): one rule."""
from __future__ import annotations

from indexer.errors import BadInput

MAX_QUERY_CHARS = 2000


class QueryError(BadInput):
    """A query that cannot be run, with the reason in words a person can act on."""


def validate_query(query: str) -> str:
    if query is None or not query.strip():
        raise QueryError("Type a question or some words to search for.")
    q = query.strip()
    if not any(c.isalnum() for c in q):  # "???" or emoji only: nothing for BM25 or the model to match
        raise QueryError("Type a question or some words to search for (the query has no letters or digits).")
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(f"The query is {len(q):,} characters; the limit is {MAX_QUERY_CHARS:,}. "
                         "Shorten it to the question you want answered.")
    return q

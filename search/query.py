"""What a query must be, and how a question is read apart from its subject, for every half of search/
(retrieval, answers, records): one rule each."""
from __future__ import annotations

import re

from indexer.errors import BadInput

# Words of the question itself, not of its subject.
QUESTION_WORDS = frozenset("""
what which who whom whose when where why how many much does did do is are was were be been being has have had
will would should could can may might must shall the a an of for in on at to from by with about into onto over
any some there their they them it its this that these those me my our we us you your tell give list describe
explain please current currently actually really still yet ever also and or but if than then so such
get gets getting got
""".split())

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


def is_question(text: str) -> bool:
    """Worded as a question ("What drives ...?", "how many staff"), not a phrase naming a topic ("staff wellbeing")."""
    words = re.findall(r"[\w'’-]+", text)
    return bool(re.search(r"\?\s*$", text) or (words and words[0].lower() in QUESTION_WORDS))


def question_texts(question: str) -> tuple[str, ...]:
    """What a question is compared with passages and sentences as: the question, and for a question worded as one
    ("What drives ...?") also its content words alone ("drives frontline officers quit"); the two vectors are
    summed, because the model matches an answer's words better without the question's own ("what", "is there
    any") but loses what kind of answer is asked without them (docs/answers.md has the measurements). A phrase
    ("staff wellbeing") is compared as it is."""
    words = re.findall(r"[\w'’-]+", question)
    content = " ".join(w for w in words if w.lower() not in QUESTION_WORDS)
    return (question, content) if is_question(question) and content and content != " ".join(words) else (question,)

"""Which recommendation records a topic is about ("SPO workload"), for ranking recurrence threads.

A record counts as relevant only past a gate, so that an unrelated topic ("prison catering
contracts") returns no thread rather than the least bad ones: its cosine to the topic is at
least TOPIC_MIN_DENSE and it holds at least TOPIC_MIN_LEXICAL of the topic's idf mass, or its
cosine alone reaches TOPIC_STRONG_DENSE (search/thresholds.py). Relevant records are ranked by
reciprocal rank fusion of a BM25 list and a cosine list over the records: ranks, because BM25
over fifty short texts and cosines are on scales that mean nothing to each other.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.extract.termweights import idf
from indexer.text.analyzer import MAX_QUERY_TOKENS
from search.query import validate_query
from search.records.record_space import RecordSpace
from search.records.view import RecordsView
from search.retrieval.fusion import RRF_K, rrf
from search.retrieval.lexical import ReferenceBM25
from search.thresholds import TOPIC_MIN_DENSE, TOPIC_MIN_LEXICAL, TOPIC_STRONG_DENSE

# Words that describe the recurrence question itself ("Was X recommended again across the years?"),
# not its subject: left out of the topic so they neither dilute nor add evidence.
_META_WORDS = re.compile(
    r"\b(?:recommend\w*|repeat\w*|recur\w*|again|agreed?|years?|across|inspectors?|inspections?|"
    r"raised?|still|keep|kept|asking|asked|previous(?:ly)?|earlier|later|over time|times|threads?|"
    r"which|what|was|were|has|have|been|did|do|does)\b", re.IGNORECASE)


def topic_core(topic: str) -> str:
    """The subject of a topic or recurrence question: "Was staff training recommended again?" -> "staff training"."""
    core = _META_WORDS.sub(" ", topic)
    return " ".join(re.sub(r"[?!.,;:]+", " ", core).split())


@dataclass(frozen=True)
class TopicScore:
    """Why a record is (or is not) relevant to a topic."""

    fused: float  # RRF over the BM25 and cosine lists of records: at most 2/61
    dense: float  # cosine of topic and record embeddings
    lexical_share: float  # share of the topic's idf mass present in the record's terms
    relevant: bool


def _bm25(space: RecordSpace) -> ReferenceBM25:
    return space.memo("bm25", lambda: ReferenceBM25([sorted(t) for t in space.terms]))


def topic_scores(view: RecordsView, topic: str) -> list[TopicScore]:
    """One `TopicScore` per record of the view's space (same order)."""
    topic = topic_core(validate_query(topic)) or topic
    space = view.space()
    n = len(space.records)
    if n == 0:
        return []
    q_terms = view.analyzer.query_tokens(topic, MAX_QUERY_TOKENS)
    bm25 = _bm25(space).top(q_terms, n)
    cos = space.text_vectors @ view.embed_query(topic)  # abbreviations spelled out, as for the records
    dense_rank = sorted(range(n), key=lambda i: (-float(cos[i]), i))
    fused = dict(rrf([[i for i, _ in bm25], dense_rank], k=RRF_K))
    q_idf = {t: space.idf.get(t, idf(0, n)) for t in q_terms}
    mass = sum(q_idf.values()) or 1.0
    out = []
    for i in range(n):
        share = sum(w for t, w in q_idf.items() if t in space.terms[i]) / mass
        c = float(cos[i])
        ok = c >= TOPIC_STRONG_DENSE or (c >= TOPIC_MIN_DENSE and share >= TOPIC_MIN_LEXICAL)
        out.append(TopicScore(float(fused.get(i, 0.0)), c, share, ok))
    return out

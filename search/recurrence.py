"""Recurrence threads: recommendations that ask for substantially the same thing, across years.

    find_threads(searcher)                       # every recurring thread, oldest first
    find_threads(searcher, "SPO workload")       # threads relevant to a topic, most relevant first

Method (docs/recommendations.md has the measurements behind the numbers):

1. Each recommendation with text becomes a point. Its *dense* side is the real
   model's embedding of the recommendation text, with the field's abbreviations
   spelled out by `Analyzer.spell_out`, the same rule as for passages and queries
   ("SPO" -> "SPO (senior probation officer)"; the model does not know them). Its *lexical* side is the set of its
   analyzer terms (stemmed, glossary-expanded), weighted by BM25 idf over the
   records, so "ensure" and "probation" count for little and "workload" for much.
2. The similarity of two records is
       sim = DENSE_WEIGHT * cosine(embeddings) + (1 - DENSE_WEIGHT) * idf-weighted cosine(term sets)
   both in [0, 1] here (MiniLM cosines of these texts are all positive).
3. Average-linkage agglomerative clustering: the two clusters with the highest
   mean pairwise `sim` merge while that mean is >= `threshold`. Average linkage,
   unlike connected components, cannot chain A~B~C into one thread when A and C
   have nothing in common.
4. A merge is refused when it would put in one thread two records of the same
   document addressed to the same body (same addressee heading and scope): a plan
   numbers two recommendations to one body separately because they are different
   asks. Two records of one document addressed to *different* bodies may share a
   thread: the 2022 plan makes the same recommendation once per PDU, and that is
   one ask repeated, not two. One row is one record, so no row appears twice.

A thread *recurs* when its records come from at least `min_years` different
years. An instance is flagged "agreed-then-repeated" when an earlier document in
the thread Agreed the recommendation and this later one raises it again.

With a topic, records are ranked by hybrid retrieval over the records only
(BM25 over their analyzer terms + cosine of their embeddings, fused with
`search.fusion.rrf`); a record counts as relevant only past a calibrated gate
(`TOPIC_*` below); a thread's relevance is the fused RRF score of its best
relevant record, and threads with no relevant record are dropped, so an
unrelated topic returns no thread rather than a weak one.
"""
from __future__ import annotations

import hashlib
import re
import threading
import weakref
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable, Optional, Sequence

import numpy as np

from indexer.model import no_vectors
from indexer.records import Recommendation
from indexer.termweights import idf, idf_weights
from search.fusion import RRF_K, rrf
from search.lexical import ReferenceBM25
from search.recommendations import citation, record_json, sort_key, write_csv
from indexer.errors import BadInput

# Pair similarity = DENSE_WEIGHT * dense cosine + (1 - DENSE_WEIGHT) * lexical cosine.
DENSE_WEIGHT = 0.8
# Average-linkage merge threshold on that similarity; chosen on the shipped corpus (see docs).
DEFAULT_THRESHOLD = 0.37
# A record is relevant to a topic when its dense cosine to the topic is at least
# TOPIC_MIN_DENSE and the record holds at least TOPIC_MIN_LEXICAL of the topic's
# idf mass, or when the cosine alone reaches TOPIC_STRONG_DENSE.
TOPIC_MIN_DENSE = 0.35
TOPIC_MIN_LEXICAL = 0.5
TOPIC_STRONG_DENSE = 0.6
AGREED_THEN_REPEATED = "agreed-then-repeated"
LABEL_CHARS = 90


@dataclass(frozen=True)
class Thread:
    """Recommendations that ask for substantially the same thing, in date order.

    `flags[i]` holds the flags of `instances[i]` (e.g. ("agreed-then-repeated",)).
    `relevance` is None without a topic; with one it is the RRF score (sum of
    1/(60+rank) over the BM25 and dense lists of records) of the thread's best
    relevant record: at most 2/61, comparable only within one topic.
    `cohesion` is the lowest pairwise similarity inside the thread (1.0 for one record).
    """

    thread_id: str
    label: str
    instances: tuple[Recommendation, ...]
    years: tuple[int, ...]
    recurs: bool
    agreed_then_repeated: bool
    relevance: Optional[float]
    flags: tuple[tuple[str, ...], ...]
    titles: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    cohesion: float = 1.0

    def to_json(self) -> dict:
        """The documented --json schema of one thread."""
        return {
            "thread_id": self.thread_id, "label": self.label, "years": list(self.years),
            "recurs": self.recurs, "agreed_then_repeated": self.agreed_then_repeated,
            "relevance": self.relevance, "terms": list(self.terms), "cohesion": round(self.cohesion, 4),
            "instances": [dict(_instance_json(r), title=t, citation=c, flags=list(f))
                          for r, t, c, f in zip(self.instances, self.titles, self.citations, self.flags)],
        }


def _instance_json(rec: Recommendation) -> dict:
    d = record_json(rec)
    for k in ("title", "doc_type", "citation"):
        d.pop(k, None)
    return d


# --- the record space: embeddings, terms, similarities (cached per searcher generation) ---------

@dataclass
class RecordSpace:
    records: list[Recommendation]  # the records with text, in date order
    vectors: np.ndarray  # [n, dim], normalised
    terms: list[frozenset[str]]
    idf: dict[str, float]
    lexical: ReferenceBM25
    dense_sim: np.ndarray  # [n, n] cosine
    lexical_sim: np.ndarray  # [n, n] idf-weighted cosine of term sets
    cannot_link: np.ndarray  # [n, n] bool
    surface: dict[str, str]  # stem -> the commonest word that produced it
    _clusters: dict[float, list[list[int]]] = field(default_factory=dict)

    @property
    def similarity(self) -> np.ndarray:
        return DENSE_WEIGHT * self.dense_sim + (1 - DENSE_WEIGHT) * self.lexical_sim

    def pair_similarity(self, a: Recommendation, b: Recommendation) -> float:
        i, j = self.row_of(a), self.row_of(b)
        return float(self.similarity[i, j])

    def row_of(self, rec: Recommendation) -> int:
        for i, r in enumerate(self.records):
            if r.rec_id == rec.rec_id:
                return i
        raise KeyError(rec.rec_id)


_SPACES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_SPACES_LOCK = threading.Lock()


def record_space(searcher) -> RecordSpace:
    """The record space of the searcher's generation, built once (embedding ~50 short texts)."""
    with _SPACES_LOCK:
        cached = _SPACES.get(searcher)
        if cached and cached[0] == searcher.generation:
            return cached[1]
        space = _build_space(searcher)
        _SPACES[searcher] = (searcher.generation, space)
        return space


# The imperative that opens a recommendation says how the inspectorate phrased the ask, not what it
# asks for: "Review the role of the SPO ..." and "Consider how SPO workloads ..." ask about the same thing.
_ASK_VERBS = ("ensure|review|consider|conduct|identify|implement|improve|develop|support|strengthen|increase|"
              "issue|have|hold|prioritise|prioritize|expedite|provide|evaluate|establish|introduce|monitor|"
              "assess|undertake|continue|make|deliver|create|build|set|agree|publish|reduce|address|enable|"
              "promote|produce|define|clarify|use|work")
_OPENING = re.compile(r"^(?:(?:in conjunction with|following|together with|with)\b[^,]{0,60},\s*)?"
                      r"(?:work (?:with|alongside) .{1,60}? to\s+)?"
                      rf"(?:(?:{_ASK_VERBS})\b\s*)?(?:that|how|whether|if)?\s*", re.IGNORECASE)


def ask_text(text: str, analyzer) -> str:
    """What is embedded for a record: abbreviations spelled out (the analyzer's one rule for the
    model), the imperative opening dropped."""
    spelled = analyzer.spell_out(text)
    core = _OPENING.sub("", spelled, count=1).strip()
    return core or spelled


def _centred_cosine(vectors: np.ndarray) -> np.ndarray:
    """Cosine after subtracting the mean record embedding.

    Every recommendation here is about probation staff and services, so raw MiniLM
    cosines between any two sit around 0.4-0.8; the shared direction says nothing
    about whether two ask for the same thing. Removing it (as idf discounts common
    terms) leaves what distinguishes each record.
    """
    if len(vectors) < 2:
        return np.ones((len(vectors), len(vectors)))
    v = vectors.astype(np.float64) - vectors.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    v /= norms
    return np.clip(v @ v.T, -1.0, 1.0)


def _lexical_cosine(terms: Sequence[frozenset[str]], idf: dict[str, float]) -> np.ndarray:
    vocab = {t: i for i, t in enumerate(sorted(idf))}
    m = np.zeros((len(terms), len(vocab)), dtype=np.float64)
    for r, ts in enumerate(terms):
        for t in ts:
            m[r, vocab[t]] = idf[t]
    norms = np.linalg.norm(m, axis=1)
    norms[norms == 0] = 1.0
    m /= norms[:, None]
    return m @ m.T


def _build_space(searcher) -> RecordSpace:
    analyzer = searcher.analyzer
    # a report's recommendation and the plan row answering it are one recommendation: the row (which has
    # the status) stands for both, so the pair can never be taken for a recurrence
    records = sorted((r for r in searcher.data.recommendations
                      if r.text.strip() and not (r.kind == "report" and r.linked)), key=sort_key)
    token_lists = [analyzer.tokens(r.text) for r in records]
    terms = [frozenset(t) for t in token_lists]
    idf = idf_weights(terms)
    texts = [ask_text(r.text, analyzer) for r in records]
    vectors = searcher.embedder.encode(texts) if records else no_vectors()
    dense = _centred_cosine(vectors)
    lex = _lexical_cosine(terms, idf) if records else np.zeros((0, 0))
    n = len(records)
    body = [(r.doc_id, (r.scope or "").strip().lower()) for r in records]
    rows = [r.chunk_id or r.rec_id for r in records]
    cannot = np.zeros((n, n), dtype=bool)
    for i in range(n):
        for j in range(n):
            if i != j and (body[i] == body[j] or rows[i] == rows[j]):
                cannot[i, j] = True
    surface_counts: dict[str, Counter] = {}
    for r in records:
        for w in analyzer.words(r.text):
            stems = analyzer.tokens(w)
            if len(stems) == 1:
                surface_counts.setdefault(stems[0], Counter())[w] += 1
    surface = {s: c.most_common(1)[0][0] for s, c in surface_counts.items()}
    return RecordSpace(records, vectors, terms, idf, ReferenceBM25(token_lists), dense, lex, cannot, surface)


# --- clustering -------------------------------------------------------------------------------

def cluster(sim: np.ndarray, cannot_link: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage agglomerative clustering with cannot-link constraints.

    Merges the pair of clusters with the highest mean pairwise similarity while it
    is >= threshold and no pair across them is cannot-linked. Ties break on the
    lowest row numbers, so the result is deterministic. Returns clusters of rows,
    each sorted, ordered by their first row.
    """
    n = sim.shape[0]
    clusters: dict[int, list[int]] = {i: [i] for i in range(n)}
    # running sums of similarity between clusters, so each merge costs O(n)
    total = sim.astype(np.float64).copy()
    blocked = cannot_link.copy()
    alive = np.ones(n, dtype=bool)
    size = np.ones(n, dtype=np.int64)
    while True:
        avg = total / np.outer(size, size)
        cand = alive[:, None] & alive[None, :] & ~blocked
        np.fill_diagonal(cand, False)
        avg = np.where(cand, avg, -np.inf)
        best = float(avg.max()) if n else -np.inf
        if not best >= threshold:
            break
        flat = np.flatnonzero(avg == best)
        a, b = divmod(int(flat[0]), n)
        a, b = min(a, b), max(a, b)
        clusters[a] += clusters.pop(b)
        total[a, :] += total[b, :]
        total[:, a] += total[:, b]
        blocked[a, :] |= blocked[b, :]
        blocked[:, a] |= blocked[:, b]
        size[a] += size[b]
        alive[b] = False
    return sorted((sorted(c) for c in clusters.values()), key=lambda c: c[0])


def _clusters(space: RecordSpace, threshold: float) -> list[list[int]]:
    key = round(float(threshold), 6)
    if key not in space._clusters:
        space._clusters[key] = cluster(space.similarity, space.cannot_link, threshold)
    return space._clusters[key]


# --- topic relevance --------------------------------------------------------------------------

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

    fused: float  # RRF over the BM25 and dense lists of records
    dense: float  # cosine of topic and record embeddings
    lexical_share: float  # share of the topic's idf mass present in the record's terms
    relevant: bool


def topic_scores(searcher, topic: str, space: Optional[RecordSpace] = None) -> list[TopicScore]:
    """One `TopicScore` per record of the space (same order)."""
    from search.searcher import validate_query

    from indexer.analyzer import MAX_QUERY_TOKENS

    topic = topic_core(validate_query(topic)) or topic
    space = space or record_space(searcher)
    n = len(space.records)
    if n == 0:
        return []
    q_terms = searcher.analyzer.query_tokens(topic, MAX_QUERY_TOKENS)
    bm25 = space.lexical.top(q_terms, n)
    cos = space.vectors @ searcher.embed_query(topic)  # embed_query spells out abbreviations
    dense_rank = sorted(range(n), key=lambda i: (-float(cos[i]), i))
    fused = dict(rrf([[i for i, _ in bm25], dense_rank], k=RRF_K))
    # idf of a topic term no record holds: as rare as a term can be
    unseen = idf(0, n)
    q_idf = {t: space.idf.get(t, unseen) for t in q_terms}
    mass = sum(q_idf.values()) or 1.0
    out = []
    for i in range(n):
        share = sum(w for t, w in q_idf.items() if t in space.terms[i]) / mass
        c = float(cos[i])
        ok = c >= TOPIC_STRONG_DENSE or (c >= TOPIC_MIN_DENSE and share >= TOPIC_MIN_LEXICAL)
        out.append(TopicScore(float(fused.get(i, 0.0)), c, share, ok))
    return out


# --- threads ----------------------------------------------------------------------------------

def _label(recs: Sequence[Recommendation]) -> str:
    text = min((r.text for r in recs), key=lambda t: (len(t), t))
    text = text.rstrip(".")
    if len(text) <= LABEL_CHARS:
        return text
    return text[:LABEL_CHARS].rsplit(" ", 1)[0] + " …"


def _shared_terms(space: RecordSpace, rows: Sequence[int], k: int = 4) -> tuple[str, ...]:
    """The rarest terms most of the thread shares, as words (the analyzer's stems mapped back)."""
    if len(rows) < 2:
        counts = Counter(space.terms[rows[0]])
    else:
        counts = Counter(t for i in rows for t in space.terms[i])
        counts = Counter({t: c for t, c in counts.items() if c >= 2})
    ranked = sorted(counts, key=lambda t: (-counts[t] * space.idf.get(t, 0.0), t))
    words: list[str] = []
    for t in ranked:
        w = space.surface.get(t)
        if w and w not in words:
            words.append(w)
        if len(words) == k:
            break
    return tuple(words)


def _flags(recs: Sequence[Recommendation]) -> tuple[tuple[str, ...], ...]:
    out = []
    for i, r in enumerate(recs):
        f = []
        if any(e.status == "Agreed" and e.doc_id != r.doc_id and sort_key(e)[0] < sort_key(r)[0]
               for e in recs[:i]):
            f.append(AGREED_THEN_REPEATED)
        out.append(tuple(f))
    return tuple(out)


def _thread(searcher, space: RecordSpace, rows: Sequence[int], min_years: int,
            relevance: Optional[float]) -> Thread:
    recs = sorted((space.records[i] for i in rows), key=sort_key)
    years = tuple(sorted({r.year for r in recs if r.year is not None}))
    flags = _flags(recs)
    docs = [searcher.document(r.doc_id) for r in recs]
    tid = "t-" + hashlib.sha1("|".join(sorted(r.rec_id for r in recs)).encode()).hexdigest()[:10]
    sim = space.similarity
    cohesion = min((float(sim[i, j]) for i in rows for j in rows if i < j), default=1.0)
    return Thread(
        thread_id=tid, label=_label(recs), instances=tuple(recs), years=years,
        recurs=len(years) >= min_years, agreed_then_repeated=any(AGREED_THEN_REPEATED in f for f in flags),
        relevance=relevance, flags=flags,
        titles=tuple(d.title if d else r.doc_id for d, r in zip(docs, recs)),
        citations=tuple(citation(r, d) for r, d in zip(recs, docs)),
        terms=_shared_terms(space, rows), cohesion=cohesion,
    )


def validate_settings(min_years: int, threshold: float) -> None:
    if not isinstance(min_years, int) or isinstance(min_years, bool) or min_years < 1:
        raise BadInput(f"min-years must be a whole number of at least 1, not {min_years!r}")
    if not isinstance(threshold, (int, float)) or not 0.0 < float(threshold) <= 1.0:
        raise BadInput(f"threshold must be a similarity in (0, 1], not {threshold!r} "
                         f"(default {DEFAULT_THRESHOLD}; higher = stricter threads)")


def find_threads(searcher, topic: Optional[str] = None, *, min_years: int = 2,
                 threshold: float = DEFAULT_THRESHOLD, only_recurring: bool = True) -> list[Thread]:
    """Group the recommendations into threads; see the module docstring for the method.

    Without a topic: every thread (only the recurring ones unless only_recurring=False, which
    returns the whole partition, single records included), ordered by first date.
    With a topic: only threads holding a record relevant to it, most relevant first; an empty
    list when nothing in the recommendations is about the topic. The topic may be a question:
    words about recurrence itself ("recommended", "again", "years", ...) are set aside, and a
    question that has nothing else ("Which recommendations were repeated?") lists every thread.
    """
    validate_settings(min_years, threshold)
    if topic is not None:
        from search.searcher import validate_query

        # a question with no subject ("Which recommendations were agreed and then repeated?") asks for all
        if not searcher.analyzer.query_tokens(topic_core(validate_query(topic))):
            topic = None
    space = record_space(searcher)
    groups = _clusters(space, threshold)
    scores = topic_scores(searcher, topic, space) if topic is not None else None
    threads = []
    for rows in groups:
        relevance = None
        if scores is not None:
            relevant = [scores[i].fused for i in rows if scores[i].relevant]
            if not relevant:
                continue
            relevance = max(relevant)
        t = _thread(searcher, space, rows, min_years, relevance)
        if only_recurring and not t.recurs:
            continue
        threads.append(t)
    if scores is not None:
        threads.sort(key=lambda t: (-(t.relevance or 0.0), -len(t.years), sort_key(t.instances[0])))
    else:
        threads.sort(key=lambda t: sort_key(t.instances[0]))
    return threads


THREAD_CSV_COLUMNS = ("thread_id", "label", "years", "recurs", "agreed_then_repeated", "relevance",
                      "year", "date", "title", "number", "printed_number", "status", "owners",
                      "target_dates", "scope", "flags", "text", "citation", "rec_id")


def threads_csv(threads: Iterable[Thread], path_or_file: str | Path | IO[str]) -> None:
    """One row per instance (threads in the given order, instances in date order)."""
    def rows():
        for t in threads:
            for r, title, cite, f in zip(t.instances, t.titles, t.citations, t.flags):
                yield [t.thread_id, t.label, "; ".join(map(str, t.years)), t.recurs, t.agreed_then_repeated,
                       "" if t.relevance is None else f"{t.relevance:.6f}", r.year or "", r.date or "", title,
                       "" if r.number is None else r.number, r.printed_number or "", r.status or "",
                       "; ".join(r.owners), "; ".join(r.target_dates), r.scope or "", "; ".join(f), r.text,
                       cite, r.rec_id]

    write_csv(path_or_file, list(THREAD_CSV_COLUMNS), rows())

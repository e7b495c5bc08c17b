"""Recurrence threads: recommendations that ask for substantially the same thing, across years.

    find_threads(view)                           # every recurring thread, oldest first
    find_threads(view, "SPO workload")           # threads relevant to a topic, most relevant first

Threads are the precise view ("list the recurring recommendations"); `search.records.similar` is
the recall-first one ("has this been recommended before?"). Both use one similarity
(search/record_space.py). Here the records are grouped by average linkage
(search/linkage.py) at THREAD_THRESHOLD (search/thresholds.py):

- a pair an inspector confirmed (search/judgements.py) is always in one thread, and a pair
  they rejected never is;
- two records of one document never share a thread, unless they are scoped to different
  units: a plan numbers two recommendations separately because they are different asks,
  but the 2022 plan makes the same recommendation once per PDU ("(for Essex North PDU)",
  "(for Northamptonshire PDU)"), one ask repeated, not two;
- a report's recommendation and the plan row answering it are one recommendation: the row
  stands for both, so they are never a recurrence of each other.

A thread *recurs* when its records were made in at least `min_years` different years; a plan row
counts in the year of the report it answers (`year_made`), so one plan's rows for two units are
never a recurrence of each other, nor a report's recommendation of the plan row answering it. A thread holding
a pair an inspector confirmed is listed whatever its years. An
instance is flagged "agreed-then-repeated" when an earlier document in the thread Agreed
the recommendation and this later one raises it again. With a topic, threads are ranked by
their most relevant record (search/topic.py), and a topic nothing is about returns none.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Optional, Sequence

import numpy as np

from indexer.errors import BadInput
from indexer.extract.metadata import year_of
from indexer.records import Recommendation
from search.export import write_csv
from search.query import validate_query
from search.records.catalogue import citation, record_json
from search.records.judgements import JudgementStore, draft_key, judged_rows, record_key
from search.records.linkage import cluster
from search.records.record_space import THREADS, RecordSpace, SimilarityWeights
from search.records.topic import topic_core, topic_scores
from search.records.view import RecordsView
from search.thresholds import THREAD_MUTUAL_NEIGHBOURS, THREAD_THRESHOLD

DEFAULT_THRESHOLD = THREAD_THRESHOLD
AGREED_THEN_REPEATED = "agreed-then-repeated"
CONFIRMED = "confirmed"  # flag on an instance joined to its thread by an inspector's judgement
LABEL_CHARS = 90


@dataclass(frozen=True)
class Thread:
    """Recommendations that ask for substantially the same thing, in date order.

    `flags[i]` holds the flags of `instances[i]` ("agreed-then-repeated", "confirmed").
    `relevance` is None without a topic; with one it is the RRF score of the thread's best
    relevant record (at most 2/61, comparable only within one topic).
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
    made: tuple[Optional[int], ...] = ()  # the year each instance was made (`year_made`)

    def to_json(self) -> dict:
        """The documented --json schema of one thread."""
        return {
            "thread_id": self.thread_id, "label": self.label, "years": list(self.years),
            "recurs": self.recurs, "agreed_then_repeated": self.agreed_then_repeated,
            "relevance": self.relevance, "terms": list(self.terms), "cohesion": round(self.cohesion, 4),
            "instances": [dict(_instance_json(r), title=t, citation=c, flags=list(f), year_made=y)
                          for r, t, c, f, y in zip(self.instances, self.titles, self.citations, self.flags,
                                                   self.made or (None,) * len(self.instances))],
        }


def _instance_json(rec: Recommendation) -> dict:
    d = record_json(rec)
    for k in ("title", "doc_type", "citation"):
        d.pop(k, None)
    return d


def cannot_link(space: RecordSpace, rows: Sequence[int]) -> np.ndarray:
    """Pairs of `rows` that may never share a thread: two records of one document, unless they are scoped
    to different units (one ask made once per PDU; a unit whose heading was lost in extraction counts
    as another unit)."""
    recs = [space.records[i] for i in rows]
    scope = [(r.scope or "").strip().lower() for r in recs]
    n = len(rows)
    out = np.zeros((n, n), dtype=bool)
    for a in range(n):
        for b in range(n):
            if a != b and recs[a].doc_id == recs[b].doc_id and scope[a] == scope[b]:
                out[a, b] = True
    return out


def not_mutual_neighbours(space: RecordSpace, rows: Sequence[int], sim: np.ndarray,
                          k: int = THREAD_MUTUAL_NEIGHBOURS) -> np.ndarray:
    """Pairs of records of different documents that are not each among the other's `k` most similar
    records of other documents: such a pair is never joined (a precision guard, as record linkage uses
    mutual nearest neighbours), so a low threshold cannot pull in a record that merely resembles many."""
    docs = [space.records[i].doc_id for i in rows]
    n = len(rows)
    near = []
    for a in range(n):
        others = [b for b in np.argsort(-sim[a], kind="stable") if b != a and docs[b] != docs[a]]
        near.append(set(int(b) for b in others[:k]))
    out = np.zeros((n, n), dtype=bool)
    for a in range(n):
        for b in range(n):
            if docs[a] != docs[b] and not (b in near[a] and a in near[b]):
                out[a, b] = True
    return out


def judgement_aliases(space: RecordSpace) -> dict[str, int]:
    """A report's recommendation is judged in the row of the plan row answering it (positions in
    `space.thread_rows`), under its content key and, for a judged draft it became, its words' key."""
    pos = {space.records[i].rec_id: n for n, i in enumerate(space.thread_rows)}
    out = {}
    for r in space.records:
        if r.kind == "report" and r.linked and r.linked in pos:
            out[record_key(r)] = out[draft_key(r.text)] = pos[r.linked]
    return out


def year_made(rec: Recommendation, view: RecordsView) -> Optional[int]:
    """The year a recommendation was made: a plan row answers a report's recommendation, made in the report's
    year (the two are one recommendation): the year of the report recommendation it is linked to, else of the
    report its plan says it answers ("Report Published: ..."); any other record, its own document's year."""
    if rec.kind == "plan_row":
        origin = view.record(rec.linked or "")
        if origin is not None and origin.year is not None:
            return origin.year
        doc = view.document(rec.doc_id)
        if doc is not None and year_of(doc.report_date) is not None:
            return year_of(doc.report_date)
    return rec.year


def thread_clusters(space: RecordSpace, threshold: float = THREAD_THRESHOLD,
                    store: Optional[JudgementStore] = None,
                    weights: SimilarityWeights = THREADS) -> list[list[int]]:
    """The threads as lists of rows of the space (rows of `space.thread_rows` only)."""
    rows = space.thread_rows
    key = ("clusters", round(float(threshold), 6), weights, store.version() if store else None)
    return space.memo(key, lambda: _clusters(space, rows, threshold, store, weights))


def _clusters(space: RecordSpace, rows: list[int], threshold: float, store: Optional[JudgementStore],
              weights: SimilarityWeights) -> list[list[int]]:
    sim = space.similarity(weights)[np.ix_(rows, rows)]
    blocked = cannot_link(space, rows) | not_mutual_neighbours(space, rows, sim)
    must, cannot, _ = judged_rows(store, [space.records[i] for i in rows], judgement_aliases(space))
    for a, b in must:  # an inspector's confirmation overrides the automatic guards (not their rejections)
        blocked[a, b] = blocked[b, a] = False
    for a, b in cannot:
        blocked[a, b] = blocked[b, a] = True
    return [[rows[i] for i in c] for c in cluster(sim, blocked, threshold, must)]


# --- threads ----------------------------------------------------------------------------------

def _label(recs: Sequence[Recommendation]) -> str:
    text = min((r.text for r in recs), key=lambda t: (len(t), t)).rstrip(".")
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
    return tuple(dict.fromkeys(space.surface.get(t, t) for t in ranked))[:k]


def _flags(recs: Sequence[Recommendation], confirmed: set[str]) -> tuple[tuple[str, ...], ...]:
    out = []
    for i, r in enumerate(recs):
        f = []
        if any(e.status == "Agreed" and e.doc_id != r.doc_id and e.date_order()[0] < r.date_order()[0]
               for e in recs[:i]):
            f.append(AGREED_THEN_REPEATED)
        if r.rec_id in confirmed:
            f.append(CONFIRMED)
        out.append(tuple(f))
    return tuple(out)


def _thread(view: RecordsView, space: RecordSpace, rows: Sequence[int], min_years: int, relevance: Optional[float],
            confirmed: set[str], weights: SimilarityWeights) -> Thread:
    recs = sorted((space.records[i] for i in rows), key=Recommendation.date_order)
    years = tuple(sorted({y for y in (year_made(r, view) for r in recs) if y is not None}))
    flags = _flags(recs, confirmed)
    docs = [view.document(r.doc_id) for r in recs]
    tid = "t-" + hashlib.sha1("|".join(sorted(r.rec_id for r in recs)).encode()).hexdigest()[:10]
    sim = space.similarity(weights)
    cohesion = min((float(sim[i, j]) for i in rows for j in rows if i < j), default=1.0)
    return Thread(
        thread_id=tid, label=_label(recs), instances=tuple(recs), years=years,
        recurs=len(years) >= min_years, agreed_then_repeated=any(AGREED_THEN_REPEATED in f for f in flags),
        relevance=relevance, flags=flags,
        titles=tuple(d.title if d else r.doc_id for d, r in zip(docs, recs)),
        citations=tuple(citation(r, d) for r, d in zip(recs, docs)),
        terms=_shared_terms(space, rows), cohesion=cohesion, made=tuple(year_made(r, view) for r in recs),
    )


def validate_settings(min_years: int, threshold: float) -> None:
    if not isinstance(min_years, int) or isinstance(min_years, bool) or min_years < 1:
        raise BadInput(f"min-years must be a whole number of at least 1, not {min_years!r}")
    if not isinstance(threshold, (int, float)) or not -1.0 < float(threshold) <= 1.0:
        raise BadInput(f"threshold must be a similarity in (-1, 1], not {threshold!r} "
                       f"(default {DEFAULT_THRESHOLD}; higher = stricter threads)")


def find_threads(view: RecordsView, topic: Optional[str] = None, *, min_years: int = 2,
                 threshold: float = DEFAULT_THRESHOLD, only_recurring: bool = True,
                 store: Optional[JudgementStore] = None) -> list[Thread]:
    """Group the recommendations into threads; see the module docstring for the method.

    Without a topic: every thread (only the recurring ones, and those holding a confirmed pair, unless
    only_recurring=False, which returns the whole partition, single records included), ordered by first date.
    With a topic: only threads holding a record relevant to it, most relevant first; an empty
    list when nothing in the recommendations is about the topic. The topic may be a question:
    words about recurrence itself ("recommended", "again", "years", ...) are set aside, and a
    question that has nothing else ("Which recommendations were repeated?") lists every thread.
    `store` holds the inspectors' judgements (by default the ones beside the view's index).
    """
    validate_settings(min_years, threshold)
    if topic is not None:
        # a question with no subject ("Which recommendations were agreed and then repeated?") asks for all
        if not view.analyzer.query_tokens(topic_core(validate_query(topic))):
            topic = None
    space = view.space()
    store = store if store is not None else JudgementStore(view.index_dir)
    weights = THREADS
    groups = thread_clusters(space, threshold, store, weights)
    rows = space.thread_rows
    must, _, _ = judged_rows(store, [space.records[i] for i in rows], judgement_aliases(space))
    confirmed = {space.records[rows[i]].rec_id for p in must for i in p}
    scores = topic_scores(view, topic) if topic is not None else None
    threads = []
    for group in groups:
        relevance = None
        if scores is not None:
            relevant = [scores[i].fused for i in group if scores[i].relevant]
            if not relevant:
                continue
            relevance = max(relevant)
        t = _thread(view, space, group, min_years, relevance, confirmed, weights)
        if only_recurring and not t.recurs and not any(CONFIRMED in f for f in t.flags):
            continue  # a pair an inspector confirmed is always shown, whatever the years
        threads.append(t)
    if scores is not None:
        threads.sort(key=lambda t: (-(t.relevance or 0.0), -len(t.years), t.instances[0].date_order()))
    else:
        threads.sort(key=lambda t: t.instances[0].date_order())
    return threads


THREAD_CSV_COLUMNS = ("thread_id", "label", "years", "recurs", "agreed_then_repeated", "relevance",
                      "year", "date", "title", "number", "printed_number", "status", "owners",
                      "target_dates", "scope", "flags", "text", "citation", "rec_id", "year_made")


def threads_csv(threads: Iterable[Thread], path_or_file: str | Path | IO[str]) -> None:
    """One row per instance (threads in the given order, instances in date order)."""
    def rows():
        for t in threads:
            for i, (r, title, cite, f) in enumerate(zip(t.instances, t.titles, t.citations, t.flags)):
                yield [t.thread_id, t.label, t.years, t.recurs, t.agreed_then_repeated,
                       "" if t.relevance is None else f"{t.relevance:.6f}", r.year, r.date, title, r.number,
                       r.printed_number, r.status, r.owners, r.target_dates, r.scope, f, r.text, cite, r.rec_id,
                       t.made[i] if i < len(t.made) else r.year]

    write_csv(path_or_file, list(THREAD_CSV_COLUMNS), rows())

"""Has this been recommended before? The earlier recommendations most like a draft or a record.

    similar(view, text="Review how SPO workloads are measured")     # a draft being written
    similar(view, record=rec)                                      # an existing record (view: RecordsView)

Recall first: every record is scored with the parts of similarity threads use
(search/record_space.py), weighted for ranking (SIMILAR, which also weighs the
responses), and the best k are returned, each with why it matched (the
rarer words they share, and the parts of the similarity), its status, response and target
date, and the other half of the recommendation (a plan row's origin, a report's answer).
For a record, only earlier records are candidates (dated before it, in another document),
never its own other half. A pair an inspector confirmed as a repeat comes first; a pair
they rejected is left out (`include_rejected` shows it, marked). A draft judged against a match
(`JudgementStore.judge_draft`) shows that judgement when the same words are pasted again.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from indexer.errors import BadInput
from indexer.records import Recommendation
from search.query import validate_query
from search.records.judgements import JudgementStore, draft_key, pair_key, record_key
from search.records.record_space import SIMILAR, RecordSpace, SimilarityWeights, draft_parts
from search.records.view import RecordsView

DEFAULT_K = 10


@dataclass(frozen=True)
class Match:
    record: Recommendation
    similarity: float  # the weighted sum of the parts (search.thresholds SIMILAR_*), roughly -1..1
    subject_dense: float  # centred cosine of what the two ask for (bodies named left out)
    text_dense: float  # centred cosine of the whole texts
    lexical: float  # idf-weighted cosine of their subject terms
    response_dense: float  # centred cosine of their responses (the text cosine where one has none)
    shared: tuple[str, ...]  # the rarest words they share
    judgement: Optional[str] = None  # "match" (confirmed repeat), "no_match" (rejected), None
    linked: Optional[Recommendation] = None  # the record's other half (origin or response)

    def to_json(self) -> dict:
        from search.records.catalogue import record_json

        return {"rec_id": self.record.rec_id, "similarity": round(self.similarity, 4),
                "parts": {"subject_dense": round(self.subject_dense, 4), "text_dense": round(self.text_dense, 4),
                          "lexical": round(self.lexical, 4), "response_dense": round(self.response_dense, 4)},
                "shared_words": list(self.shared), "judgement": self.judgement,
                "record": record_json(self.record),
                "linked": None if self.linked is None else record_json(self.linked)}


def resolve_record(view: RecordsView, ref: str) -> Recommendation:
    """A record from what a person types: its rec_id, or 'DOC#N' where DOC is the start of a document id
    (or a year) and N its number as printed (or 'rN', a report's N-th recommendation)."""
    recs = view.records
    exact = view.record(ref)
    if exact is not None:
        return exact
    doc, sep, n = ref.rpartition("#")
    if not sep or not doc or not n:
        raise BadInput(f"no record {ref!r}: give its id, or DOC#N (e.g. 2022-06#17, or 2025-01#r3)")
    found = [r for r in recs if r.doc_id.startswith(doc) and
             ((n.isdigit() and r.number == int(n)) or (n[:1] == "r" and n[1:].isdigit() and r.kind == "report"
                                                         and r.ordinal == int(n[1:])))]
    if not found:
        raise BadInput(f"no record {ref!r}: no document id starts with {doc!r} with a recommendation {n}")
    if len({r.rec_id for r in found}) > 1:
        raise BadInput(f"{ref!r} names {len(found)} records: " + ", ".join(r.rec_id for r in found[:5]))
    return found[0]


def halves_keys(rec: Recommendation, space: RecordSpace) -> tuple[str, ...]:
    """The judgement keys of a record and of its other half (a judgement on either counts)."""
    other_row = space.row(rec.linked) if rec.linked else None
    other = space.records[other_row] if other_row is not None else None
    return tuple(record_key(r) for r in (rec, other) if r is not None)


def similar(view: RecordsView, text: Optional[str] = None, record: Optional[Recommendation] = None, *,
            k: int = DEFAULT_K, store: Optional[JudgementStore] = None, include_rejected: bool = False,
            weights: SimilarityWeights = SIMILAR) -> list[Match]:
    if (text is None) == (record is None):
        raise BadInput("give the text of a draft recommendation, or a record, not both")
    if not isinstance(k, int) or k < 1:
        raise BadInput(f"k must be a positive whole number, not {k!r}")
    space = view.space()
    if store is None:
        store = JudgementStore(view.index_dir)
    candidates = space.thread_rows
    if record is not None:
        row = space.row(record.rec_id)
        if row is None:
            raise BadInput(f"record {record.rec_id} has no text to compare")
        sim = space.similarity(weights)[row]
        parts = [space.dense_subject[row], space.dense_text[row], space.lexical[row], space.dense_response[row]]
        q_terms = space.terms[row]
        before = record.date_order()[:1]
        candidates = [i for i in candidates if i != row and space.records[i].rec_id != record.linked
                      and space.records[i].doc_id != record.doc_id and space.records[i].date_order()[:1] < before]
        q_keys = halves_keys(record, space)
    else:
        assert text is not None  # exactly one of text and record is given (checked above)
        subject_d, text_d, lexical, q_terms = draft_parts(space, validate_query(text), view.analyzer, view.embedder)
        # a draft has no response: its text cosine stands in, as for any record without
        parts = [subject_d, text_d, lexical, text_d]
        sim = sum(w * p for w, p in zip(weights.key(), parts))
        q_keys = (draft_key(text),)  # a draft judged against a match (JudgementStore.judge_draft)
    latest = store.latest() if q_keys else {}
    out = []
    for i in candidates:
        rec = space.records[i]
        label = next((latest[p].label for a in q_keys for b in halves_keys(rec, space)
                      if (p := pair_key(a, b)) in latest), None)
        if label == "no_match" and not include_rejected:
            continue
        subject_p, text_p, lexical_p, response_p = (float(p[i]) for p in parts)
        out.append(Match(record=rec, similarity=float(sim[i]), subject_dense=subject_p, text_dense=text_p,
                         lexical=lexical_p, response_dense=response_p,
                         shared=space.shared_words(q_terms, space.terms[i]), judgement=label,
                         linked=view.record(rec.linked or "")))
    out.sort(key=lambda m: (m.judgement != "match", -m.similarity, m.record.date_order()))
    return out[:k]


SIMILAR_CSV_COLUMNS = ("rank", "similarity", "shared_words", "judgement", "year", "date", "document", "number",
                       "status", "text", "response", "owners", "target_dates", "origin_or_response", "citation",
                       "rec_id", "subject_dense", "text_dense", "lexical", "response_dense")


def similar_csv(view: RecordsView, matches: list[Match], path_or_file) -> None:
    """One row per match, best first (the judgement column shows an inspector's confirm or reject)."""
    from search.export import write_csv
    from search.records.catalogue import citation, link_note

    def rows():
        for n, m in enumerate(matches, start=1):
            r, doc = m.record, view.document(m.record.doc_id)
            yield [n, f"{m.similarity:.4f}", m.shared, m.judgement, r.year, r.date, doc.title if doc else r.doc_id,
                   r.number, r.status or (m.linked.status if m.linked else None), r.text, r.response, r.owners,
                   r.target_dates, link_note(r, view.by_id, view.documents), citation(r, doc), r.rec_id,
                   f"{m.subject_dense:.4f}", f"{m.text_dense:.4f}", f"{m.lexical:.4f}", f"{m.response_dense:.4f}"]

    write_csv(path_or_file, list(SIMILAR_CSV_COLUMNS), rows())

"""Link each recommendation a report states to the action-plan row that answers it.

An action plan names the inspection it responds to ("A Response to the HMI Probation
Inspection: ...") and when that report was published ("Report Published: 16 January
2025"); its rows restate the report's recommendations, often in the same words. So:

1. Documents: a plan answers a report when the plan's report date agrees with the
   report's date (same day, or same month when the report gives only a month) or
   their titles share most of their words; a stated date that disagrees by more than
   two months rules the pair out. Each report is answered by at most one plan.
2. Recommendations: within a matched pair, each report recommendation and plan row
   are scored
       score = text similarity + NUMBER_BONUS (same number as printed, or the same
               position when the report does not number them) + ADDRESSEE_BONUS
   where text similarity is the idf-weighted cosine of their analyzer terms. Pairs
   are taken greedily, best first, each record at most once (one recommendation,
   one answer), and only when the text similarity alone reaches MIN_TEXT: a number
   never links two records by itself.

Linked records point at each other (`Recommendation.linked`), so a report's
recommendation shows the plan's status, owner and target date, and a plan row
shows its origin. The links are recomputed over all records at every index write.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional, Sequence

from indexer.extract.termweights import idf_weights, weighted_cosine
from indexer.records import Document, Recommendation

MIN_TEXT = 0.3  # idf-weighted term cosine a linked pair must reach on its text alone
NUMBER_BONUS = 0.1
ADDRESSEE_BONUS = 0.1
MIN_TITLE_SHARE = 0.6  # share of the shorter title's words found in the other title
_TITLE_NOISE = re.compile(r"\b(?:action plan|slide deck|a response to|response to|the hmi probation inspection)\b",
                          re.IGNORECASE)


def _date_agreement(plan: Document, report: Document) -> Optional[float]:
    """1.0 same day, 0.8 same month (or one side gives only the month), 0.0 unknown; None: they disagree."""
    a, b = plan.report_date, report.date
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if a[:7] == b[:7]:
        return 0.8
    try:
        ya, ma = int(a[:4]), int(a[5:7]) if len(a) >= 7 else 1
        yb, mb = int(b[:4]), int(b[5:7]) if len(b) >= 7 else 1
    except ValueError:
        return 0.0
    return 0.3 if abs((ya * 12 + ma) - (yb * 12 + mb)) <= 2 else None


def _title_share(a: str, b: str, analyzer) -> float:
    ta = set(analyzer.tokens(_TITLE_NOISE.sub(" ", a or "")))
    tb = set(analyzer.tokens(_TITLE_NOISE.sub(" ", b or "")))
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / min(len(ta), len(tb))


def document_pairs(documents: Sequence[Document], records: Sequence[Recommendation], analyzer
                   ) -> list[tuple[str, str]]:
    """(report doc_id, plan doc_id) pairs: which plan answers which report, best evidence first."""
    has_report = {r.doc_id for r in records if r.kind == "report"}
    has_rows = {r.doc_id for r in records if r.kind == "plan_row"}
    docs = {d.doc_id: d for d in documents}
    scored = []
    for rid in has_report:
        for pid in has_rows:
            if rid == pid or rid not in docs or pid not in docs:
                continue
            date = _date_agreement(docs[pid], docs[rid])
            if date is None:
                continue
            title = _title_share(docs[pid].title, docs[rid].title, analyzer)
            if date >= 0.8 and title >= 0.3 or title >= MIN_TITLE_SHARE:
                scored.append((date + title, rid, pid))
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_r, used_p, out = set(), set(), []
    for _, rid, pid in scored:
        if rid not in used_r and pid not in used_p:
            used_r.add(rid)
            used_p.add(pid)
            out.append((rid, pid))
    return out


def _addressee_terms(rec: Recommendation, analyzer) -> set[str]:
    text = re.sub(r"\bshould\b.*$", "", rec.addressee or "", flags=re.IGNORECASE)
    return set(analyzer.tokens(text))


def link_records(documents: Sequence[Document], records: Sequence[Recommendation], analyzer
                 ) -> list[Recommendation]:
    """The records with `linked` and `link_score` set (and cleared where no link holds now)."""
    records = [replace(r, linked=None, link_score=None) if r.linked else r for r in records]
    terms = [set(analyzer.tokens(r.text)) for r in records]
    idf = idf_weights(terms)
    by_doc: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        by_doc.setdefault(r.doc_id, []).append(i)
    out = list(records)
    for rid, pid in document_pairs(documents, records, analyzer):
        reps = [i for i in by_doc[rid] if records[i].kind == "report" and records[i].text]
        rows = [i for i in by_doc[pid] if records[i].kind == "plan_row"]
        pairs = []
        for i in reps:
            a = records[i]
            a_addr = _addressee_terms(a, analyzer)
            for j in rows:
                b = records[j]
                sim = weighted_cosine(terms[i], terms[j], idf)
                if sim < MIN_TEXT:
                    continue
                position = a.number if a.number is not None else a.ordinal
                same_no = position is not None and position == b.number
                same_addr = bool(a_addr) and bool(a_addr & _addressee_terms(b, analyzer))
                pairs.append((sim + NUMBER_BONUS * same_no + ADDRESSEE_BONUS * same_addr, i, j))
        pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
        used: set[int] = set()
        for score, i, j in pairs:
            if i in used or j in used:
                continue
            used.update((i, j))
            s = round(score, 4)
            out[i] = replace(out[i], linked=records[j].rec_id, link_score=s)
            out[j] = replace(out[j], linked=records[i].rec_id, link_score=s)
    return out

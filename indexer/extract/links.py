"""Link each recommendation a report states to the action-plan row that answers it.

An action plan names the inspection it responds to ("A Response to the HMI Probation
Inspection: ...") and when that report was published ("Report Published: 16 January
2025"); its rows restate the report's recommendations, often in the same words. So:

1. Documents: a plan answers a report when the plan's report date agrees with the
   report's date (same day, or same month when the report gives only a month) or
   their titles share most of their words; a stated date that disagrees by more than
   two months rules the pair out. Each report is answered by at most one plan; a plan
   may answer several reports (one plan for two PDUs answering each PDU's report).
2. Recommendations: within the reports a plan answers, each report recommendation and
   plan row are compared field by field, as record linkage does (splink, dedupe):
       score = text similarity + NUMBER_BONUS (the same number as printed, or the same
               position when the report does not number them) + ADDRESSEE_BONUS (the same
               body) + UNIT_BONUS (the same unit)
   where text similarity is the idf-weighted cosine of their analyzer terms. The unit is
   the PDU a record is for (indexer/extract/addressee.py): a plan row's scope "(for
   Wrenfold PDU)" or PDU heading; a report recommendation's PDU heading, else the one PDU
   its report is about (a region or a national body addresses several PDUs: no unit). Two
   known units that differ rule the pair out; an unknown unit is no evidence either way.
   Pairs are taken best first, each record at most once (one recommendation, one answer),
   and only when the text similarity alone reaches MIN_TEXT: a number never links two
   records by itself. When a record's best two open candidates score within TIE of each
   other, the tie is not broken: that record is left unlinked (the candidates stay open to
   others), and the build reports it in a warning naming all three.

Linked records point at each other (`Recommendation.linked`), so a report's
recommendation shows the plan's status, owner and target date, and a plan row
shows its origin. The links are recomputed over all records at every index write.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional, Sequence

from indexer.extract.addressee import addressee_name, same_unit, unit_key, unit_name, unit_of
from indexer.extract.termweights import idf_weights, weighted_cosine
from indexer.records import Document, Recommendation

MIN_TEXT = 0.3  # idf-weighted term cosine a linked pair must reach on its text alone
NUMBER_BONUS = 0.1
ADDRESSEE_BONUS = 0.1
UNIT_BONUS = 0.1
TIE = 0.005  # two candidates scoring within this of each other are a tie, reported and left unlinked
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
    used_r, out = set(), []
    for _, rid, pid in scored:
        if rid not in used_r:
            used_r.add(rid)
            out.append((rid, pid))
    return out


def _addressee_terms(rec: Recommendation, analyzer) -> set[str]:
    return set(analyzer.tokens(addressee_name(rec.addressee)))


@dataclass(frozen=True)
class LinkResult:
    records: list[Recommendation]
    warnings: list[str]  # ties left unlinked


def _printed(rec: Recommendation) -> Optional[str]:
    p = (rec.printed_number or "").strip().strip("()").rstrip(".):").lower()
    return p or None


def _same_number(a: Recommendation, b: Recommendation) -> bool:
    if _printed(a) and _printed(b):
        return _printed(a) == _printed(b)
    position = a.number if a.number is not None else a.ordinal
    return position is not None and position == b.number


def report_units(records: Sequence[Recommendation], documents: Sequence[Document]) -> dict[str, Optional[str]]:
    """The one PDU each report is about: the one its addressee headings name, else the one its title names
    (None for a report about several PDUs, or none)."""
    titles = {d.doc_id: d.title for d in documents}
    heads: dict[str, set[str]] = {}
    for r in records:
        if r.kind == "report":
            heads.setdefault(r.doc_id, set())
            u = unit_of(r.addressee, None)
            if u:
                heads[r.doc_id].add(u)
    out = {}
    for doc_id, units in heads.items():
        keys = {unit_key(u): u for u in units}
        out[doc_id] = (next(iter(keys.values())) if len(keys) == 1
                       else None if keys else unit_name(titles.get(doc_id), True))
    return out


def link_records(documents: Sequence[Document], records: Sequence[Recommendation], analyzer) -> LinkResult:
    """The records with `linked` and `link_score` set (and cleared where no link holds now), and the
    ties that were left unlinked."""
    records = [replace(r, linked=None, link_score=None) if r.linked else r for r in records]
    terms = [set(analyzer.tokens(r.text)) for r in records]
    idf = idf_weights(terms)
    by_doc: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        by_doc.setdefault(r.doc_id, []).append(i)
    units = report_units(records, documents)
    answered: dict[str, list[str]] = {}
    for rid, pid in document_pairs(documents, records, analyzer):
        answered.setdefault(pid, []).append(rid)
    out, warnings = list(records), []
    for pid, rids in sorted(answered.items()):
        reps = [i for rid in rids for i in by_doc[rid] if records[i].kind == "report" and records[i].text]
        rows = [i for i in by_doc[pid] if records[i].kind == "plan_row"]
        pairs = _candidates(records, reps, rows, terms, idf, units, analyzer)
        warnings += _assign(records, pairs, out)
    return LinkResult(out, warnings)


def _candidates(records, reps, rows, terms, idf, units, analyzer) -> list[tuple[float, int, int]]:
    """(score, report record, plan row) for every pair that may be linked."""
    pairs = []
    for i in reps:
        a = records[i]
        a_addr = _addressee_terms(a, analyzer)
        a_unit = unit_of(a.addressee, None) or units.get(a.doc_id)
        for j in rows:
            b = records[j]
            sim = weighted_cosine(terms[i], terms[j], idf)
            same = same_unit(a_unit, unit_of(b.addressee, b.scope))
            if sim < MIN_TEXT or same is False:
                continue
            same_addr = bool(a_addr) and bool(a_addr & _addressee_terms(b, analyzer))
            pairs.append((sim + NUMBER_BONUS * _same_number(a, b) + ADDRESSEE_BONUS * same_addr
                          + UNIT_BONUS * bool(same), i, j))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    return pairs


def _assign(records, pairs: list[tuple[float, int, int]], out: list[Recommendation]) -> list[str]:
    """Link the pairs best first, one to one; a record whose best two open candidates tie is not linked."""
    used: set[int] = set()
    warnings = []
    for score, i, j in pairs:
        if i in used or j in used:
            continue
        rivals = [(s, a, b) for s, a, b in pairs if (a == i) != (b == j) and a not in used and b not in used
                  and s >= score - TIE]
        if rivals:  # the record both candidates share is left unlinked; the candidates stay open
            _, a, b = rivals[0]
            shared, one, other = (i, j, b) if a == i else (j, i, a)
            warnings.append(f"link ambiguous, left unlinked: {records[shared].rec_id} matches {records[one].rec_id} "
                            f"and {records[other].rec_id} equally well (their words, number, addressee and unit); "
                            "a unit or number in the source, or a manifest row, would tell them apart")
            used.add(shared)
            continue
        used.update((i, j))
        s = round(score, 4)
        out[i] = replace(out[i], linked=records[j].rec_id, link_score=s)
        out[j] = replace(out[j], linked=records[i].rec_id, link_score=s)
    return warnings

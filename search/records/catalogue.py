"""Recommendation records: list, filter, cite and export them.

The records themselves are extracted at index time (`indexer.extract.actionplan` ->
`indexer.extract.to_records`) and stored with the index; this module only reads
them from a `RecordsView` (search/records/view.py):

    list_recommendations(view, status="Agreed", year_from=2020, text="SPO workload")
    recommendations_csv(records, "recs.csv")

Records come back in date order (document date, then document, then number).
"""
from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING, Iterable, Mapping, Optional

from indexer.errors import BadInput
from indexer.extract import status as vocabulary
from indexer.extract.metadata import DOC_TYPES
from indexer.records import Document, Recommendation
from search.citation import cite
from search.export import write_csv

if TYPE_CHECKING:
    from search.records.view import RecordsView

UNKNOWN_STATUS = vocabulary.UNKNOWN  # --status value for records whose status was lost in extraction

CSV_COLUMNS = ("rec_id", "doc_id", "kind", "year", "date", "number", "printed_number", "status", "effective_status",
               "status_printed", "status_note",
               "addressee", "scope", "text", "response", "owners", "target_dates", "pages", "chunk_id", "repaired",
               "incomplete", "notes", "linked", "link_score")


def normalise_status_filter(status: Optional[str]) -> Optional[str]:
    """'partly agreed' -> 'Partly Agreed'; a term of the Accepted vocabulary maps onto the same scale
    ('Partly accepted' -> 'Partly Agreed', indexer/extract/status.py); 'unknown' for a lost status;
    BadInput naming the choices."""
    try:
        return vocabulary.status_filter(status)
    except ValueError as e:
        raise BadInput(str(e)) from None


def _matches_text(rec: Recommendation, needle: str, analyzer) -> bool:
    """A substring of the text, or every analyzer term of `needle` among the text's terms.

    The analyzer route lets "SPO workload" find "the Senior Probation Officer ... the workload".
    """
    if needle.lower() in rec.text.lower():
        return True
    wanted = set(analyzer.query_tokens(needle))
    return bool(wanted) and wanted <= set(analyzer.tokens(rec.text))


def effective_status(rec: Recommendation, records: Mapping[str, Recommendation]) -> Optional[str]:
    """A plan row's own status; for a report's recommendation, the status of the plan row answering it."""
    if rec.kind == "report":
        other = records.get(rec.linked or "")
        return other.status if other is not None else None
    return rec.status


def long_date(date: Optional[str]) -> Optional[str]:
    """'2022-06-27' -> '27 June 2022', '2025-01' -> 'January 2025'."""
    import calendar

    if not date:
        return None
    parts = date.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {calendar.month_name[int(parts[1])]} {parts[0]}"
        if len(parts) == 2:
            return f"{calendar.month_name[int(parts[1])]} {parts[0]}"
    except (ValueError, IndexError):
        return date
    return date


def link_note(rec: Recommendation, records: Mapping[str, Recommendation], docs: Mapping[str, Document]) -> str:
    """What the other half of the recommendation says, in one line:
    a report's recommendation -> "Agreed, per the action plan of 27 June 2022";
    a plan row -> "answers recommendation 3 of <report title> (March 2024)"."""
    other = records.get(rec.linked or "")
    if rec.kind == "report":
        if other is None:
            return "no action plan answering it is indexed"
        plan = docs.get(other.doc_id)
        when = long_date(plan.date if plan else other.date)
        no = f"row {other.number}" if other.number is not None else "a row"
        return f"{other.status or 'status not stated'}, per the action plan of {when or 'unknown date'} ({no})"
    if other is None:
        return ""
    report = docs.get(other.doc_id)
    no = f"recommendation {other.number}" if other.number is not None else f"the recommendation ({other.ordinal})"
    title = report.title if report else other.doc_id
    when = long_date(report.date if report else other.date)
    return f"answers {no} of {title}" + (f" ({when})" if when else "")


def list_recommendations(view: RecordsView, *, status: Optional[str] = None, year_from: Optional[int] = None,
                         year_to: Optional[int] = None, addressee: Optional[str] = None,
                         text: Optional[str] = None, doc_type: Optional[str] = None) -> list[Recommendation]:
    """Every stored recommendation that passes all the given filters, in date order.

    status: Agreed | Partly Agreed | Not Agreed (any case) or "unknown" (status lost in extraction);
    a report's recommendation is judged by the status of the plan row that answers it.
    doc_type: the type of the document the record comes from (action_plan, inspection_report, ...).
    year_from / year_to: inclusive; a record without a year never passes a year filter.
    addressee: case-insensitive substring of the addressee heading or the scope
    ("Northamptonshire" finds rows addressed to that PDU and rows scoped "for Northamptonshire PDU").
    text: substring of the recommendation text, or all its analyzer terms present (see `_matches_text`).
    """
    want_status = normalise_status_filter(status)
    if year_from is not None and year_to is not None and year_from > year_to:
        raise BadInput(f"year-from ({year_from}) is after year-to ({year_to})")
    if doc_type is not None and doc_type not in DOC_TYPES:
        raise BadInput(f"doc-type must be one of {', '.join(DOC_TYPES)}, not {doc_type!r}")
    needle_addr = addressee.strip().lower() if addressee and addressee.strip() else None
    needle_text = text.strip() if text and text.strip() else None
    out = []
    for r in view.records:
        st = effective_status(r, view.by_id)
        if want_status == UNKNOWN_STATUS and st is not None:
            continue
        if want_status not in (None, UNKNOWN_STATUS) and st != want_status:
            continue
        if doc_type is not None and getattr(view.document(r.doc_id), "doc_type", None) != doc_type:
            continue
        if year_from is not None and (r.year is None or r.year < year_from):
            continue
        if year_to is not None and (r.year is None or r.year > year_to):
            continue
        if needle_addr and needle_addr not in f"{r.addressee or ''} | {r.scope or ''}".lower():
            continue
        if needle_text and not _matches_text(r, needle_text, view.analyzer):
            continue
        out.append(r)
    return sorted(out, key=Recommendation.date_order)


def citation(rec: Recommendation, document: Optional[Document]) -> str:
    """'Title, 2020-03-04, p. 3, recommendation 15 (printed as 5)': the same rule as `Hit.citation`."""
    return cite(document.title if document else rec.doc_id, rec.date or (document.date if document else None),
                rec.pages, rec.number, printed=rec.printed_number if rec.repaired else None)


def record_json(rec: Recommendation, document: Optional[Document] = None,
                records: Optional[Mapping[str, Recommendation]] = None,
                docs: Optional[dict[str, Document]] = None) -> dict:
    """The documented --json schema of one record: every stored field, plus title and citation, and,
    given the other records, the linked half ("linked_record") and the effective status."""
    d = rec.to_dict()
    d["title"] = document.title if document else None
    d["doc_type"] = document.doc_type if document else None
    d["citation"] = citation(rec, document)
    if records is not None:
        d["effective_status"] = effective_status(rec, records)
        other = records.get(rec.linked or "")
        d["linked_record"] = None if other is None else {
            "rec_id": other.rec_id, "doc_id": other.doc_id, "kind": other.kind, "number": other.number,
            "status": other.status, "owners": list(other.owners), "target_dates": list(other.target_dates),
            "text": other.text, "date": other.date,
            "title": docs[other.doc_id].title if docs and other.doc_id in docs else None}
        d["link_note"] = link_note(rec, records, docs or {})
    return d


def _csv_row(rec: Recommendation, records: Mapping[str, Recommendation]) -> list:
    d = rec.to_dict()
    d["effective_status"] = effective_status(rec, records)
    return [d.get(col) for col in CSV_COLUMNS]


def recommendations_csv(records: Iterable[Recommendation], path_or_file: str | Path | IO[str],
                        all_records: Optional[Mapping[str, Recommendation]] = None) -> None:
    """One row per record, columns `CSV_COLUMNS`; list fields joined with '; '. `all_records` (rec_id ->
    record) gives a report's recommendation the status of its plan row in `effective_status`."""
    records = list(records)
    known = all_records if all_records is not None else {r.rec_id: r for r in records}
    write_csv(path_or_file, list(CSV_COLUMNS), (_csv_row(r, known) for r in records))



"""What the Recommendations and Documents tabs list, as typed lines: each record with the response its
action plan gave, counts by status; each document with what it holds, the newest first.

    page = records_page(searcher, RecordFilters(status="Agreed"), work_dir)
    lines = document_lines(searcher, just_added={"doc-id"})

A report's recommendation has no status of its own: it shows its plan row's status, response,
owner and target, and says which plan gave them. Nothing here knows Gradio or HTML.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from indexer.readers.formats import by_suffix
from indexer.records import Recommendation

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from search.retrieval.searcher import Searcher

MAX_LINES = 300  # records listed on the page at most; the CSV has them all


@dataclass(frozen=True)
class RecordFilters:
    status: Optional[str] = None
    year_from: Optional[int] = None
    year_to: Optional[int] = None
    addressee: Optional[str] = None
    text: Optional[str] = None
    doc_type: Optional[str] = None


@dataclass(frozen=True)
class RecordLine:
    rec_id: str
    kind: str  # report | plan_row
    year: Optional[int]
    number: str  # "5", "item 3" for an unnumbered one, "" when unknown
    addressee: str
    scope: str
    text: str
    status: Optional[str]  # its own, or for a report's recommendation its plan row's
    targets: tuple[str, ...]
    owners: tuple[str, ...]
    response: str
    response_from: str  # where the response comes from, for a report's recommendation
    answers: str  # for a plan row: the report recommendation it answers
    source: str  # the document, date, pages and number: "Action plan: ..., 4 March 2020, p. 5, recommendation 3"
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordsPage:
    lines: list[RecordLine]
    total: int
    counts: dict  # status (None: unknown) -> count, over all `total` records
    csv: Optional[str] = None


def number_label(r: Recommendation) -> str:
    """'15'; 'item 3' for the third of a report's unnumbered recommendations; '' when unknown."""
    if r.shown_number() is not None:
        return str(r.shown_number())
    return f"item {r.ordinal}" if r.ordinal else ""


def record_name(r: Recommendation) -> str:
    """'2022 #14', '2025 item 1': how a record is named in pickers and messages."""
    no = number_label(r)
    return f"{r.year or 'undated'} " + (f"#{no}" if r.shown_number() is not None else no or "(no number)")


def _source(r: Recommendation, doc) -> str:
    from search.citation import pages_label
    from ui.views.common import display_title, human_date

    bits = [display_title(doc.title) if doc else "", human_date(r.date or (doc.date if doc else None)),
            pages_label(r.pages) or ""]
    if r.number is not None:
        bits.append(f"recommendation {r.shown_number()}" + (f" (printed as {r.printed_number})" if r.repaired else ""))
    return ", ".join(b for b in bits if b)


def record_line(r: Recommendation, records, docs) -> RecordLine:
    from search.records.catalogue import link_note, long_date
    from ui.render import short_addressee

    other = records.get(r.linked or "")
    doc = docs.get(r.doc_id)
    if r.kind == "report":
        plan = docs.get(other.doc_id) if other else None
        when = long_date(plan.date if plan else other.date) if other else None
        row = f", row {other.shown_number()}" if other and other.shown_number() is not None else ""
        response_from = (f"From the action plan of {when or 'unknown date'}{row}" if other
                         else "No action plan answering it is indexed")
        answered = other or r
        return RecordLine(r.rec_id, r.kind, r.year, number_label(r), short_addressee(r), r.scope or "", r.text,
                          other.status if other else None, answered.target_dates if other else (),
                          answered.owners if other else (), other.response if other else "", response_from, "",
                          _source(r, doc), r.notes)
    return RecordLine(r.rec_id, r.kind, r.year, number_label(r), short_addressee(r), r.scope or "", r.text, r.status,
                      r.target_dates, r.owners, r.response, "", link_note(r, records, docs), _source(r, doc), r.notes)


def records_page(searcher: Searcher, filters: RecordFilters, work_dir: Path) -> RecordsPage:
    """The records passing `filters`, in date order, their counts by status and their CSV export."""
    from search.records.catalogue import effective_status, list_recommendations, recommendations_csv
    from search.records.view import records_view

    view = records_view(searcher)
    recs = list_recommendations(view, status=filters.status, year_from=filters.year_from, year_to=filters.year_to,
                                addressee=filters.addressee, text=filters.text, doc_type=filters.doc_type)
    records = view.by_id
    counts = Counter(effective_status(r, records) for r in recs)
    path = Path(work_dir) / "recommendations.csv"
    recommendations_csv(recs, path, records)
    lines = [record_line(r, records, searcher.docs) for r in recs[:MAX_LINES]]
    return RecordsPage(lines, len(recs), dict(counts), str(path))


@dataclass(frozen=True)
class DocumentLine:
    doc_id: str
    title: str
    doc_type: str
    date: Optional[str]  # ISO, for sorting; shown as words
    publisher: str
    format: str  # "PDF", "Word document", ...
    passages: int
    records: int
    linked: int  # of its records, those joined to their other half (a plan row to its report, and back)
    just_added: bool = False
    inferred_from: Optional[str] = None  # where its title, type and date were read from
    extra: dict = field(default_factory=dict)


def inferred_from(document) -> Optional[str]:
    """Where the document's title, type and date were read from, in words ("title, date: cover · type:
    file name"); None for an index built before each field's source was recorded."""
    prov = getattr(document, "provenance", None) or {}
    by_source: dict[str, list[str]] = {}
    for key, label in (("title", "title"), ("doc_type", "type"), ("date", "date")):
        if prov.get(key):
            source = prov[key].split(":")[0].strip()  # "text: Action Plan Submitted" -> "text"
            by_source.setdefault(SOURCE_WORDS.get(source, source), []).append(label)
    return " · ".join(f"{', '.join(labels)}: {source}" for source, labels in by_source.items()) or None


SOURCE_WORDS = {"correction": "corrected", "manifest": "manifest.csv", "properties": "document properties",
                "text": "its text"}


def document_lines(searcher: Searcher, just_added: frozenset[str] = frozenset()) -> list[DocumentLine]:
    """Every indexed document, the ones just added first, then the newest first (undated last)."""
    manifest = searcher.data.manifest
    recs: Counter = Counter()
    linked: Counter = Counter()
    for r in searcher.data.recommendations:
        recs[r.doc_id] += 1
        linked[r.doc_id] += 1 if r.linked else 0
    def format_of(path: str) -> str:
        fmt = by_suffix(Path(path).suffix)
        return fmt.display[0].upper() + fmt.display[1:] if fmt else "File"

    also: dict[str, list[str]] = {}  # another file of a document (the same text in another format) is listed with it
    for d in searcher.docs.values():
        if d.same_as:
            also.setdefault(d.same_as, []).append(format_of(d.path))
    lines = []
    for d in searcher.docs.values():
        if d.same_as:
            continue
        lines.append(DocumentLine(d.doc_id, d.title, d.doc_type, d.date, d.publisher or "",
                                  " and ".join([format_of(d.path), *also.get(d.doc_id, [])]),
                                  manifest.chunks_of(d.doc_id) if manifest else 0, recs[d.doc_id], linked[d.doc_id],
                                  d.doc_id in just_added, inferred_from(d)))
    lines.sort(key=lambda x: (x.title.lower()))
    lines.sort(key=lambda x: x.date or "", reverse=True)
    lines.sort(key=lambda x: (not x.just_added, x.date is None))
    return lines


def record_choices(records) -> list[tuple[str, str]]:
    """(label, rec_id) for the app's pick-a-record control, in the given (date) order."""
    import textwrap

    return [(f"{record_name(r)} ({'report' if r.kind == 'report' else 'plan'}): {textwrap.shorten(r.text, 80)}",
             r.rec_id) for r in records if r.text.strip()]


def match_choices(matches) -> list[tuple[str, str]]:
    """(label, rec_id) for the app's pick-a-match control."""
    import textwrap

    return [(f"{n}. {record_name(m.record)}: {textwrap.shorten(m.record.text, 70)}", m.record.rec_id)
            for n, m in enumerate(matches, start=1)]

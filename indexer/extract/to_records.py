"""Parsed action-plan rows and a report's stated recommendations -> `Recommendation` records."""
from __future__ import annotations

import bisect

from indexer.extract.actionplan import Row
from indexer.extract.addressee import heading_scope
from indexer.extract.report_recs import StatedRecommendation
from indexer.records import Chunk, Document, Recommendation


def records_from_rows(doc: Document, rows: list[Row], chunks_by_id: dict[str, Chunk],
                      row_chunk_ids: list[str]) -> list[Recommendation]:
    out: list[Recommendation] = []
    for row, cid in zip(rows, row_chunk_ids):
        chunk = chunks_by_id.get(cid)
        out.append(Recommendation(
            rec_id=f"{doc.doc_id}#{row.number if row.number is not None else cid}",
            doc_id=doc.doc_id,
            number=row.number,
            text=row.text,
            addressee=row.addressee,
            scope=row.scope or heading_scope(row.addressee),
            status=row.status,
            status_printed=row.status_printed,
            status_note=row.status_note,
            response=row.response,
            owners=tuple(row.owners),
            target_dates=tuple(row.targets),
            section=row.section,
            year=doc.year,
            date=doc.date,
            pages=chunk.pages if chunk else (),
            chunk_id=cid,
            start=row.start,
            end=row.end,
            printed_number=row.printed_number,
            repaired=row.repaired,
            incomplete=row.incomplete,
            notes=tuple(row.notes),
            kind="plan_row",
            ordinal=len(out) + 1,
        ))
    return out


def records_from_stated(doc: Document, stated: list[StatedRecommendation], chunks: list[Chunk]
                        ) -> list[Recommendation]:
    """A report's recommendations as records: no status of their own (the plan that answers them
    has it), cited through the passage that holds each one."""
    spans = sorted((c.start, c.end, c.chunk_id) for c in chunks)
    starts = [s for s, _, _ in spans]
    out = []
    for r in stated:
        k = bisect.bisect_right(starts, r.start) - 1
        chunk_id = spans[k][2] if 0 <= k < len(spans) and spans[k][0] <= r.start < spans[k][1] else None
        out.append(Recommendation(
            rec_id=f"{doc.doc_id}#r{r.ordinal}",
            doc_id=doc.doc_id,
            number=r.number,
            text=r.text,
            addressee=r.addressee,
            scope=heading_scope(r.addressee),
            status=None,
            year=doc.year,
            date=doc.date,
            pages=r.pages,
            chunk_id=chunk_id,
            start=r.start,
            end=r.end,
            printed_number=r.printed_number,
            notes=tuple(f"also stated under {where}" for where in r.also),
            kind="report",
            ordinal=r.ordinal,
        ))
    return out

"""Parsed action-plan rows -> `Recommendation` records, stored with the index."""
from __future__ import annotations

from indexer.actionplan import Row
from indexer.records import Chunk, Document, Recommendation


def records_from_rows(doc: Document, rows: list[Row], chunks_by_id: dict[str, Chunk],
                      row_chunk_ids: list[str]) -> list[Recommendation]:
    out = []
    for row, cid in zip(rows, row_chunk_ids):
        chunk = chunks_by_id.get(cid)
        out.append(Recommendation(
            rec_id=f"{doc.doc_id}#{row.number if row.number is not None else cid}",
            doc_id=doc.doc_id,
            number=row.number,
            text=row.text,
            addressee=row.addressee,
            scope=row.scope,
            status=row.status,
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
        ))
    return out

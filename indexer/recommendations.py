"""Parsed action-plan rows -> `Recommendation` records, stored with the index."""
from __future__ import annotations

import re

from indexer.actionplan import Row
from indexer.records import Chunk, Document, Recommendation

# a PDU-level heading ("Northamptonshire PDU should:") scopes its rows as "(for Northamptonshire PDU)" would
_PDU_HEADING = re.compile(r"^(?:The\s+)?(.+?\bPDUs?)\s+should:?$", re.IGNORECASE)


def _heading_scope(addressee: str | None) -> str | None:
    m = _PDU_HEADING.match((addressee or "").strip())
    return f"for {m.group(1)}" if m else None


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
            scope=row.scope or _heading_scope(row.addressee),
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

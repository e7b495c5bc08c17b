"""Action-plan tables -> one record per recommendation row, from cells, whatever the format.

An action plan answers each recommendation in a table (Rec No, Recommendation,
Agreed/Partly Agreed/Not Agreed, Response, Responsible Owner, Target Date). The
parser reads the document's blocks (`indexer.records.Block`): table rows as cells,
and the paragraphs between them. Every reader feeds it: PDF tables (pdfplumber),
Word and OpenDocument tables, HTML tables and the tab-separated lines of text
extractions. Columns are found from the header row by what it says ("Responsible
Owner", "Target Date"), falling back to the template's order.

Tables with real cells (`ExtractedText.exact_tables`) are damaged only by page
breaks: a row cut by one continues in a row whose number cell is empty, and is
joined back; a header repeated on the new page is skipped. Text extractions are
damaged in more ways, which this module repairs rather than hides:

- a row broken across a page break continues on lines whose first cell is empty
  (or missing, so the cells shift left): merged back into the row;
- addressee headings ("HM Prison and Probation Service should:") sit on their own
  row, sometimes behind a section name ("Staff HM Prison ... should:");
- a row can carry the wrong number (the 2020 plan has a 5 between 14 and 16):
  repaired from the sequence and marked `repaired`;
- a row's start can be lost altogether, leaving only its tail after a page break:
  kept as an `incomplete` record, its number taken from the gap in the sequence,
  its lost text left empty (never invented);
- a plan may state its own totals ("Agreed 5 ... Total 8"): returned so the
  caller can check the extraction against them.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from indexer.clean import clean_inline
from indexer.extract.plan_cells import (  # noqa: F401
    STATUSES,
    Columns,
    add_owners,
    add_targets,
    is_date_like,
    is_owner_like,
    normalise_status,
    pieces,
)
from indexer.records import Block, ExtractedText

_ADDRESSEE_START = re.compile(r"\b(?:The |HM |His Majesty|Her Majesty|Ministry of)")
_SCOPE = re.compile(r"\(\s*(for [^)]+?)\s*\)\s*$", re.IGNORECASE)
_SEPARATOR_LINE = re.compile(r"^[\s|:-]*-{2,}[\s|:-]*$")


@dataclass
class Row:
    """A recommendation row as parsed, before it becomes a `Recommendation` record."""

    printed_number: Optional[str]
    number: Optional[int]
    addressee: Optional[str]
    section: Optional[str]
    rec_parts: list[str] = field(default_factory=list)
    status: Optional[str] = None
    response_parts: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0
    repaired: bool = False
    incomplete: bool = False
    notes: list[str] = field(default_factory=list)
    after_gap: bool = False  # internal: the segment began after a page-break gap

    @property
    def text(self) -> str:
        t = _join_fragments(self.rec_parts)
        return _SCOPE.sub("", t).strip()

    @property
    def scope(self) -> Optional[str]:
        m = _SCOPE.search(_join_fragments(self.rec_parts))
        return m.group(1) if m else None

    @property
    def response(self) -> str:
        return _join_fragments(self.response_parts, sep="\n")


@dataclass
class ParsedPlan:
    rows: list[Row]
    table_start: int  # offsets of the table region in the source text
    table_end: int
    totals: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _join_fragments(parts: list[str], sep: str = " ") -> str:
    """Join cell fragments; a fragment that continues a broken sentence joins with a space."""
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if not out:
            out = p
        elif not re.search(r"[.!?:;]$", out) and (p[0].islower() or p[0] in "(,"):
            out += " " + p
        else:
            out += sep + p
    return out


def _row_cells(b: Block) -> list[str]:
    return [c or "" for c in b.cells]


def _table_columns(blocks: list[Block]) -> int:
    counts = Counter(
        len(b.cells) for b in blocks
        if b.kind == "table_row" and b.cells and _NUMBER_CELL.fullmatch(clean_inline(b.cells[0] or ""))
    )
    if sum(counts.values()) < 2:
        return 0
    return counts.most_common(1)[0][0]


def _is_header_row(cells: list[str]) -> bool:
    if any(re.search(r"\bRec(?:ommendation)? No\b", c) for c in cells[:2]):
        return True
    return Columns.from_header(cells) is not None and not any(normalise_status(clean_inline(c)) for c in cells)


def _split_addressee(text: str) -> tuple[Optional[str], str]:
    """'Staff HM Prison and Probation Service should:' -> ('Staff', 'HM Prison ... should:')."""
    text = text.strip()
    m = _ADDRESSEE_START.search(text)
    if m and m.start() > 0:
        return text[: m.start()].strip() or None, text[m.start():].strip()
    return None, text


def parse_action_plan(doc: ExtractedText) -> Optional[ParsedPlan]:
    """Parse the recommendation table of an action plan; None when there is none."""
    blocks = list(doc.blocks)
    exact = doc.exact_tables
    ncols = _table_columns(blocks)
    if ncols < 5 and not exact:
        return None
    header_cols: Optional[Columns] = None
    first = None
    for i, b in enumerate(blocks):
        if b.kind != "table_row":
            continue
        cells = _row_cells(b)
        if _is_header_row(cells) and header_cols is None:
            cols = Columns.from_header(cells)
            if cols is not None and (not ncols or len(cells) == ncols):
                header_cols, ncols = cols, ncols or len(cells)
                first = i
                break
        if ncols and len(cells) == ncols and first is None:
            first = i
            break
    if first is None or ncols < (3 if header_cols else 5):
        return None
    cols = header_cols or Columns.positional(ncols)
    rows: list[Row] = []
    addressee: Optional[str] = None
    section: Optional[str] = None
    totals: dict[str, int] = {}
    table_end = blocks[first].start
    current: Optional[Row] = None
    segments: list[Row] = []  # every row and every post-gap tail, in order

    def new_segment(after_gap: bool, b: Block) -> Row:
        seg = Row(None, None, addressee, section, start=b.start, end=b.end, after_gap=after_gap)
        segments.append(seg)
        return seg

    for b in blocks[first:]:
        raw = doc.text[b.start:b.end]
        gap = b.gap_before
        is_row = b.kind == "table_row"
        if _SEPARATOR_LINE.match(raw.replace("\t", " ")):
            continue
        cells_raw = _row_cells(b) if is_row else [raw]
        cells = [clean_inline(c) for c in cells_raw]
        nonempty = [(i, c) for i, c in enumerate(cells) if c]
        # the plan's own totals: "Agreed <tab> 5", "Total <tab> 8"
        if is_row and len(nonempty) == 2 and re.fullmatch(r"\d+", nonempty[1][1]) and (
                normalise_status(nonempty[0][1]) or nonempty[0][1].lower() == "total"):
            totals[normalise_status(nonempty[0][1]) or "Total"] = int(nonempty[1][1])
            continue
        if len(cells) <= 2 and cells[0].lower() == "recommendations":
            continue
        if is_row and (b.header or _is_header_row(cells_raw)):
            continue  # the column header row (repeated on a new page)
        if not is_row or len(nonempty) == 1 and "should:" in nonempty[0][1]:
            only = nonempty[0][1] if nonempty else ""
            if "should:" in only:
                sec, addressee = _split_addressee(only)
                section = sec or section
                current = None
                table_end = b.end
                continue
            if not is_row:
                if totals:
                    break
                if exact:
                    continue  # between real table rows, free text is never part of a row
                # free text inside the table region: a heading if short, else response text
                if len(only.split()) <= 8 and current is None:
                    section = only
                    continue
        if nonempty and all(re.fullmatch(r"\d{1,2}", c) for _, c in nonempty) and cells[0] == "":
            continue  # page-number debris such as "\t1\t1"
        table_end = b.end
        number = _row_number(cells, cols, exact)
        if number is not None:
            printed, n, text_cell = number
            current = Row(printed, n, addressee, section, start=b.start, end=b.end)
            segments.append(current)
            rows.append(current)
            _fill_aligned(current, cells_raw, cells, cols, text_cell)
            continue
        # a section heading alone in the recommendation column, or spanning the table
        spanning = exact and len(nonempty) == 1 and all(c is None for c in b.cells[nonempty[0][0] + 1:])
        if (len(nonempty) == 1 and (nonempty[0][0] == cols.recommendation and len(cells) == ncols or spanning)
                and nonempty[0][1][:1].isupper() and len(nonempty[0][1].split()) <= 6
                and not normalise_status(nonempty[0][1])):
            section = nonempty[0][1]
            current = None
            continue
        if exact and current is None:
            continue  # a row before the first recommendation that is not one (e.g. a note spanning the table)
        # a continuation line
        starts_response_only = (len(cells) == ncols and not _get(cells, cols.number) and not _get(cells, cols.recommendation))
        if current is None or (gap and starts_response_only and not exact):
            seg = new_segment(gap, b)
            current = seg
        current.end = b.end
        if len(cells) == ncols or exact:
            _fill_aligned(current, cells_raw, cells, cols, None)
        else:
            _fill_shifted(current, cells_raw, cells)

    plan_rows = _resolve(segments, rows)
    warnings: list[str] = []
    if totals:
        counted = Counter(r.status for r in plan_rows if r.status)
        for status in STATUSES:
            if status in totals and totals[status] != counted.get(status, 0):
                warnings.append(f"states {totals[status]} {status}, extracted {counted.get(status, 0)}")
        if "Total" in totals and totals["Total"] != len(plan_rows):
            warnings.append(f"states {totals['Total']} recommendations in total, extracted {len(plan_rows)}")
    return ParsedPlan(plan_rows, blocks[first].start, table_end, totals, warnings)


_NUMBER_CELL = re.compile(r"(?:R|Rec(?:ommendation)?\.?\s*)?(\d{1,3})[.)]?", re.IGNORECASE)
_LEADING_NUMBER = re.compile(r"^(?:Recommendation\s+)?(\d{1,3})[.):]\s+(?=\S)", re.IGNORECASE)


def _get(cells: list[str], i: Optional[int]) -> str:
    return cells[i] if i is not None and 0 <= i < len(cells) else ""


def _row_number(cells: list[str], cols: Columns, exact: bool = False) -> Optional[tuple[str, int, Optional[str]]]:
    """(printed number, number, recommendation text without its number) when the row starts a recommendation.

    A text extraction's row needs its recommendation text too (a lone number there is page debris);
    a real table's numbered row is a row even when its recommendation cell is empty."""
    rec = _get(cells, cols.recommendation)
    if not rec and not (exact and cols.number is not None):
        return None
    if cols.number is not None:
        m = _NUMBER_CELL.fullmatch(_get(cells, cols.number))
        return (m.group(0), int(m.group(1)), None) if m else None
    m = _LEADING_NUMBER.match(rec)  # no number column: "1. Ensure that ..." in the recommendation cell
    return (m.group(1), int(m.group(1)), rec[m.end():]) if m else None


def _fill_aligned(row: Row, cells_raw: list[str], cells: list[str], cols: Columns,
                  text_cell: Optional[str] = None) -> None:
    rec = text_cell if text_cell is not None else _get(cells, cols.recommendation)
    if rec:
        row.rec_parts.append(rec)
    status_cell = _get(cells_raw, cols.status)
    st = normalise_status(clean_inline(status_cell.split("\n")[0])) if status_cell else None
    if st and not row.status:
        row.status = st
    response = _get(cells_raw, cols.response)
    if response:
        row.response_parts += [p for p in (clean_inline(x) for x in response.split("\n")) if p]
    add_owners(row.owners, pieces(_get(cells_raw, cols.owner)))
    add_targets(row.targets, pieces(_get(cells_raw, cols.target)))


def _fill_shifted(row: Row, cells_raw: list[str], cells: list[str]) -> None:
    """A continuation line that lost cells: place each cell by what it looks like."""
    first = True
    for raw, c in zip(cells_raw, cells):
        if not c:
            continue
        rec_unfinished = row.rec_parts and not re.search(r"[.!?]$", row.rec_parts[-1])
        if first and rec_unfinished and (c[0].islower() or c[0] == "("):
            row.rec_parts.append(c)
        elif normalise_status(c):
            row.status = row.status or normalise_status(c)
        elif is_date_like(c):
            add_targets(row.targets, pieces(raw))
        elif is_owner_like(c):
            add_owners(row.owners, pieces(raw))
        else:
            row.response_parts.append(c)
        first = False


def _resolve(segments: list[Row], rows: list[Row]) -> list[Row]:
    """Merge tails into their rows, repair numbering, and keep lost rows as incomplete."""
    numbers = [r.number for r in rows]
    # repair a number that breaks an otherwise clean sequence (prev+1 expected, next == prev+2)
    for i, r in enumerate(rows):
        prev = rows[i - 1].number if i > 0 else None
        nxt = numbers[i + 1] if i + 1 < len(rows) else None
        if prev is not None and r.number != prev + 1 and (nxt is None or nxt == prev + 2):
            r.notes.append(f"printed as {r.printed_number}; repaired to {prev + 1} from the sequence")
            r.number = prev + 1
            r.repaired = True
    out: list[Row] = []
    last: Optional[Row] = None
    for idx, seg in enumerate(segments):
        if seg.number is not None:
            out.append(seg)
            last = seg
            continue
        # a tail: does the numbering leave room for a lost row here?
        nxt = next((s.number for s in segments[idx + 1:] if s.number is not None), None)
        expected = (last.number + 1) if last else (nxt - 1 if nxt else None)
        lost_row = (expected is not None and nxt is not None and expected < nxt and (last is None or seg.after_gap))
        if lost_row and not any(r.number == expected for r in out):
            seg.number = expected
            seg.incomplete = True
            seg.notes.append("the start of this row was lost in extraction: number taken from the sequence; "
                             "recommendation text and status are missing")
            out.append(seg)
            last = seg
        elif last is not None:
            _merge(last, seg)
    for r in out:
        if not r.incomplete and (not r.text or not r.status):
            r.incomplete = True
            r.notes.append("recommendation text or status missing in the source")
    return out


def _merge(into: Row, tail: Row) -> None:
    into.rec_parts += tail.rec_parts
    into.status = into.status or tail.status
    into.response_parts += tail.response_parts
    for o in tail.owners:
        add_owners(into.owners, [o])
    into.targets += tail.targets
    into.end = max(into.end, tail.end)

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
- a plan may state its own totals ("Agreed 5 ... Total 8"): returned, and checked
  against the rows (a mismatch is a warning the index build reports).

Status cells are read by indexer/extract/status.py (either vocabulary; the status and a note
in one cell). Numbers may be printed "3", "R3", "1.1" or "a": a record's `number` is the
printed integer, or for "1.1" and lettered numbering its position among the plan's rows.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from indexer.clean import clean_inline
from indexer.extract.addressee import split_section
from indexer.extract.plan_cells import Columns, add_owners, add_targets, is_date_like, is_owner_like, pieces
from indexer.extract.status import exact_status, exact_term, parse_status_cell
from indexer.records import Block, ExtractedText

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
    status: Optional[str] = None  # on the three-way scale (indexer.extract.status.SCALE)
    status_term: Optional[str] = None  # in the plan's own vocabulary ("Partly accepted")
    status_printed: Optional[str] = None  # as printed ("Partly Accepted")
    status_note: Optional[str] = None  # what the status cell says after the status
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

    def set_status(self, cell: str) -> None:
        """The status (and any note after it) from a status cell's text, unless the row has one."""
        if self.status:
            return
        parsed = parse_status_cell(cell)
        if parsed is not None:
            self.status, self.status_term, self.status_printed = parsed.status, parsed.term, parsed.printed
            self.status_note = parsed.note


@dataclass
class ParsedPlan:
    rows: list[Row]
    table_start: int  # offsets of the table region in the source text
    table_end: int
    totals: dict[str, int] = field(default_factory=dict)  # term as the plan states it (or "Total") -> number
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
    return Columns.from_header(cells) is not None and not any(exact_status(clean_inline(c)) for c in cells)


def _find_header(blocks: list[Block], ncols: int) -> tuple[Optional[int], Optional[Columns], int]:
    """(index of the first table row of the plan, the columns its header names or None, column count).
    A header row naming the columns is looked for first, anywhere (a table of the plan's categories,
    "Term | Definition", may come before it); without one, the first row of the plan's width."""
    rows = [(i, _row_cells(b)) for i, b in enumerate(blocks) if b.kind == "table_row"]
    for i, cells in rows:
        if _is_header_row(cells):
            cols = Columns.from_header(cells)
            if cols is not None and (not ncols or len(cells) == ncols):
                return i, cols, ncols or len(cells)
    return next(((i, None, ncols) for i, cells in rows if ncols and len(cells) == ncols), (None, None, ncols))


def parse_action_plan(doc: ExtractedText) -> Optional[ParsedPlan]:
    """Parse the recommendation table of an action plan; None when there is none."""
    blocks = list(doc.blocks)
    ncols = _table_columns(blocks)
    if ncols < 5 and not doc.exact_tables:
        return None
    first, header_cols, ncols = _find_header(blocks, ncols)
    if first is None or ncols < (3 if header_cols else 5):
        return None
    walk = _Walk(doc, header_cols or Columns.positional(ncols), ncols, blocks[first].start)
    for b in blocks[first:]:
        if walk.feed(b):
            break
    plan_rows = _resolve(walk.segments, _numbered(walk.rows))
    return ParsedPlan(plan_rows, blocks[first].start, walk.table_end, walk.totals,
                      check_totals(plan_rows, walk.totals))


def check_totals(rows: list[Row], totals: dict[str, int]) -> list[str]:
    """Where the rows disagree with the totals the plan states (by term of its own vocabulary)."""
    warnings: list[str] = []
    counted = Counter(r.status_term for r in rows if r.status_term)
    for term, stated in totals.items():
        if term != "Total" and stated != counted.get(term, 0):
            warnings.append(f"states {stated} {term}, extracted {counted.get(term, 0)}")
    if "Total" in totals and totals["Total"] != len(rows):
        warnings.append(f"states {totals['Total']} recommendations in total, extracted {len(rows)}")
    return warnings


class _Walk:
    """The plan's blocks, one at a time: rows, their continuations, addressees, sections and totals."""

    def __init__(self, doc: ExtractedText, cols: Columns, ncols: int, table_start: int):
        self.doc, self.cols, self.ncols, self.exact = doc, cols, ncols, doc.exact_tables
        self.rows: list[Row] = []
        self.segments: list[Row] = []  # every row and every post-gap tail, in order
        self.addressee: Optional[str] = None
        self.section: Optional[str] = None
        self.totals: dict[str, int] = {}
        self.table_end = table_start
        self.current: Optional[Row] = None

    def feed(self, b: Block) -> bool:
        """Take one block; True when the plan's table has ended."""
        raw = self.doc.text[b.start:b.end]
        if _SEPARATOR_LINE.match(raw.replace("\t", " ")):
            return False
        is_row = b.kind == "table_row"
        cells_raw = _row_cells(b) if is_row else [raw]
        cells = [clean_inline(c) for c in cells_raw]
        nonempty = [(i, c) for i, c in enumerate(cells) if c]
        if is_row and self._total(nonempty):
            return False
        if len(cells) <= 2 and cells[0].lower() == "recommendations":
            return False
        if is_row and (b.header or _is_header_row(cells_raw)):
            # the column header, repeated on a new page: where a PDF page's grid differs (pdfplumber found
            # other ruling lines there), its header says where the columns are on this page
            cols = Columns.from_header(cells_raw)
            if cols is not None and self.exact:
                self.cols, self.ncols = cols, len(cells_raw)
            return False
        only = nonempty[0][1] if len(nonempty) == 1 else ("" if not nonempty else None)
        if not is_row or (only and "should:" in only):
            handled = self._between_rows(only or "", is_row, b)
            if handled is not None:
                return handled
        if nonempty and all(re.fullmatch(r"\d{1,2}", c) for _, c in nonempty) and cells[0] == "":
            return False  # page-number debris such as "\t1\t1"
        self._row(b, cells_raw, cells, nonempty)
        return False

    def _total(self, nonempty: list[tuple[int, str]]) -> bool:
        """A row of the plan's own totals: "Agreed <tab> 5", "Total <tab> 8"."""
        if len(nonempty) != 2 or not re.fullmatch(r"\d+", nonempty[1][1]):
            return False
        label = nonempty[0][1]
        term = exact_term(label) or ("Total" if label.lower() in ("total", "totals") else None)
        if term is None:
            return False
        self.totals[term] = self.totals.get(term, 0) + int(nonempty[1][1])
        return True

    def _between_rows(self, only: str, is_row: bool, b: Block) -> Optional[bool]:
        """An addressee heading, or free text between rows. None: not handled here (a row)."""
        if "should:" in only:
            sec, self.addressee = split_section(only)
            self.section = sec or self.section
            self.current = None
            self.table_end = b.end
            return False
        if is_row:
            return None
        if self.totals:
            return True
        if self.exact:
            return False  # between real table rows, free text is never part of a row
        # free text inside the table region of a text extraction: a heading if short, else response text
        if len(only.split()) <= 8 and self.current is None:
            self.section = only
            return False
        return None

    def _row(self, b: Block, cells_raw: list[str], cells: list[str], nonempty: list[tuple[int, str]]) -> None:
        cols, ncols = self.cols, self.ncols
        self.table_end = b.end
        number = _row_number(cells, cols, self.exact)
        if number is not None:
            printed, n, text_cell = number
            self.current = Row(printed, n, self.addressee, self.section, start=b.start, end=b.end)
            self.segments.append(self.current)
            self.rows.append(self.current)
            _fill_aligned(self.current, cells_raw, cells, cols, text_cell)
            return
        # a section heading alone in the recommendation column, or spanning the table
        spanning = self.exact and len(nonempty) == 1 and all(c is None for c in b.cells[nonempty[0][0] + 1:])
        if (len(nonempty) == 1 and (nonempty[0][0] == cols.recommendation and len(cells) == ncols or spanning)
                and nonempty[0][1][:1].isupper() and len(nonempty[0][1].split()) <= 6
                and not exact_status(nonempty[0][1])):
            self.section = nonempty[0][1]
            self.current = None
            return
        if self.exact and (self.current is None or len(cells) != ncols):
            self.current = None  # a row before the first recommendation that is not one (e.g. a note spanning
            return  # the table), or a row of another table (a summary after the plan: "Response | Number")
        # a continuation line
        response_only = len(cells) == ncols and not _get(cells, cols.number) and not _get(cells, cols.recommendation)
        if self.current is None or (b.gap_before and response_only and not self.exact):
            self.current = Row(None, None, self.addressee, self.section, start=b.start, end=b.end,
                               after_gap=b.gap_before)
            self.segments.append(self.current)
        self.current.end = b.end
        if len(cells) == ncols or self.exact:
            _fill_aligned(self.current, cells_raw, cells, cols, None)
        else:
            _fill_shifted(self.current, cells_raw, cells)


# a number as printed in a number cell: "3", "3.", "R3", "Rec 3", "1.1", "a", "(b)", "c)"
_NUMBER_CELL = re.compile(r"(?:R|Rec(?:ommendation)?\.?\s*)?(?:(\d{1,3})|\d{1,2}(?:\.\d{1,2})+|\(?[a-zA-Z]\)?)[.)]?",
                          re.IGNORECASE)
_LEADING_NUMBER = re.compile(r"^(?:Recommendation\s+)?(\d{1,3})[.):]\s+(?=\S)", re.IGNORECASE)


def _get(cells: list[str], i: Optional[int]) -> str:
    return cells[i] if i is not None and 0 <= i < len(cells) else ""


def _row_number(cells: list[str], cols: Columns, exact: bool = False
                ) -> Optional[tuple[str, Optional[int], Optional[str]]]:
    """(printed number, number, recommendation text without its number) when the row starts a recommendation;
    the number is None for "1.1" and lettered numbering (`_numbered` gives those their position).

    A text extraction's row needs its recommendation text too (a lone number there is page debris);
    a real table's numbered row is a row even when its recommendation cell is empty."""
    rec = _get(cells, cols.recommendation)
    if not rec and not (exact and cols.number is not None):
        return None
    if cols.number is not None:
        cell = _get(cells, cols.number)
        m = _NUMBER_CELL.fullmatch(cell)
        if not m or (m.group(1) is None and not exact):
            return None  # letters and "1.1" only from real tables: in text extractions they are debris
        printed = cell.strip("()").rstrip(".)") if m.group(1) is None else m.group(0)
        return printed, int(m.group(1)) if m.group(1) else None, None
    m = _LEADING_NUMBER.match(rec)  # no number column: "1. Ensure that ..." in the recommendation cell
    return (m.group(1), int(m.group(1)), rec[m.end():]) if m else None


def _numbered(rows: list[Row]) -> list[Row]:
    """Rows numbered "1.1" or "a" take their position among the rows as their number."""
    if rows and all(r.number is None for r in rows):
        for i, r in enumerate(rows, start=1):
            r.number = i
    return rows


def _fill_aligned(row: Row, cells_raw: list[str], cells: list[str], cols: Columns,
                  text_cell: Optional[str] = None) -> None:
    rec = text_cell if text_cell is not None else _get(cells, cols.recommendation)
    if rec:
        row.rec_parts.append(rec)
    status_cell = _get(cells_raw, cols.status)
    if status_cell:
        row.set_status(" ".join(clean_inline(p) for p in status_cell.split("\n")))
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
        elif exact_status(c):
            row.set_status(c)
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
        # `last` always has a number (a numbered row, or a tail given one below)
        expected = (last.number + 1) if last and last.number is not None else (nxt - 1 if nxt else None)
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
    if not into.status and tail.status:
        into.status, into.status_term, into.status_printed = tail.status, tail.status_term, tail.status_printed
        into.status_note = tail.status_note
    into.response_parts += tail.response_parts
    for o in tail.owners:
        add_owners(into.owners, [o])
    into.targets += tail.targets
    into.end = max(into.end, tail.end)

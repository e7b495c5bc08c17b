"""Action-plan tables -> one record per recommendation row.

An action plan answers each recommendation in a six-column table (Rec No,
Recommendation, Agreed/Partly Agreed/Not Agreed, Response, Responsible Owner,
Target Date). Text extractions deliver it as tab-separated lines, and they
damage it in ways this module repairs rather than hides:

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

STATUSES = ("Agreed", "Partly Agreed", "Not Agreed")
COL_NO, COL_REC, COL_STATUS, COL_RESPONSE, COL_OWNER, COL_TARGET = range(6)

_STATUS_RE = re.compile(r"^(partly agreed|not agreed|agreed)\.?$", re.IGNORECASE)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DATE_LIKE = re.compile(
    rf"^(?:(?:commencing|by|from|end of|until|and)\s+)?(?:{_MONTH}\s+\d{{4}}|\d{{4}}\s*[–-]\s*\d{{2,4}}|q[1-4]\s+\d{{4}}"
    rf"|completed?|ongoing|complete and ongoing|completed and ongoing|\d{{4}})\b",
    re.IGNORECASE,
)
_ROLE_WORDS = re.compile(
    r"\b(director|head|manager|lead|officer|chair|group|team|board|programme|directorate|region|"
    r"pdu|partner|function|services?|owner|cos)\b", re.IGNORECASE)
_ADDRESSEE_START = re.compile(r"\b(?:The |HM |His Majesty|Her Majesty|Ministry of)")
_SCOPE = re.compile(r"\(\s*(for [^)]+?)\s*\)\s*$", re.IGNORECASE)
_SEPARATOR_LINE = re.compile(r"^[\s|:-]*-{2,}[\s|:-]*$")
_PIECE_SPLIT = re.compile(r"</p>\s*<p[^>]*>|<br\s*/?>|</li>\s*<li[^>]*>", re.IGNORECASE)


@dataclass
class _Line:
    no: int
    start: int
    end: int
    raw: str


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


def normalise_status(cell: str) -> Optional[str]:
    m = _STATUS_RE.match(cell.strip())
    if not m:
        return None
    s = m.group(1).lower()
    return {"agreed": "Agreed", "partly agreed": "Partly Agreed", "not agreed": "Not Agreed"}[s]


def _pieces(raw_cell: str) -> list[str]:
    """Split a cell on paragraph/list boundaries into cleaned pieces."""
    return [c for c in (clean_inline(p) for p in _PIECE_SPLIT.split(raw_cell)) if c]


def _is_date_like(text: str) -> bool:
    return len(text.split()) <= 10 and bool(_DATE_LIKE.match(text.strip()))


def _is_owner_like(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 16 and not text.rstrip().endswith(".") and bool(_ROLE_WORDS.search(text))


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for i, raw in enumerate(text.split("\n")):
        out.append(_Line(i, pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def _table_columns(lines: list[_Line]) -> int:
    counts = Counter(
        len(ln.raw.split("\t")) for ln in lines
        if "\t" in ln.raw and re.fullmatch(r"\d{1,3}", clean_inline(ln.raw.split("\t")[0]))
    )
    if sum(counts.values()) < 2:
        return 0
    return counts.most_common(1)[0][0]


def _split_addressee(text: str) -> tuple[Optional[str], str]:
    """'Staff HM Prison and Probation Service should:' -> ('Staff', 'HM Prison ... should:')."""
    text = text.strip()
    m = _ADDRESSEE_START.search(text)
    if m and m.start() > 0:
        return text[: m.start()].strip() or None, text[m.start():].strip()
    return None, text


def parse_action_plan(text: str) -> Optional[ParsedPlan]:
    """Parse the recommendation table of an action plan; None when there is none."""
    lines = _lines(text)
    ncols = _table_columns(lines)
    if ncols < 5:
        return None
    first = next((i for i, ln in enumerate(lines) if len(ln.raw.split("\t")) == ncols), None)
    if first is None:
        return None
    rows: list[Row] = []
    pending_orphans: list[Row] = []  # tails whose own row start was lost (before any row)
    addressee: Optional[str] = None
    section: Optional[str] = None
    blank_run = 0
    totals: dict[str, int] = {}
    table_end = lines[first].start
    current: Optional[Row] = None
    segments: list[Row] = []  # every row and every post-gap tail, in order

    def new_segment(after_gap: bool, ln: _Line) -> Row:
        seg = Row(None, None, addressee, section, start=ln.start, end=ln.end, after_gap=after_gap)
        segments.append(seg)
        return seg

    for ln in lines[first:]:
        raw = ln.raw
        if not raw.strip():
            blank_run += 1
            continue
        gap = blank_run >= 2
        blank_run = 0
        if _SEPARATOR_LINE.match(raw.replace("\t", " ")):
            continue
        cells_raw = raw.split("\t")
        cells = [clean_inline(c) for c in cells_raw]
        nonempty = [(i, c) for i, c in enumerate(cells) if c]
        # the plan's own totals: "Agreed <tab> 5", "Total <tab> 8"
        if len(cells) == 2 and re.fullmatch(r"\d+", cells[1]) and (
                normalise_status(cells[0]) or cells[0].lower() == "total"):
            totals[normalise_status(cells[0]) or "Total"] = int(cells[1])
            continue
        if len(cells) <= 2 and cells[0].lower() == "recommendations":
            continue
        if any(re.search(r"\bRec(?:ommendation)? No\b", c) for c in cells[:2]):
            continue  # the column header row
        if "\t" not in raw or len(nonempty) == 1 and "should:" in nonempty[0][1]:
            only = nonempty[0][1] if nonempty else ""
            if "should:" in only:
                sec, addressee = _split_addressee(only)
                section = sec or section
                current = None
                table_end = ln.end
                continue
            if "\t" not in raw:
                if totals:
                    break
                # free text inside the table region: a heading if short, else response text
                if len(only.split()) <= 8 and current is None:
                    section = only
                    continue
        if nonempty and all(re.fullmatch(r"\d{1,2}", c) for _, c in nonempty) and cells[0] == "":
            continue  # page-number debris such as "\t1\t1"
        table_end = ln.end
        if re.fullmatch(r"\d{1,3}", cells[0]) and len(cells) >= 2 and cells[1]:
            current = Row(cells[0], int(cells[0]), addressee, section, start=ln.start, end=ln.end)
            segments.append(current)
            rows.append(current)
            _fill_aligned(current, cells_raw, cells, ncols)
            continue
        # a section heading alone in the recommendation column
        if (len(nonempty) == 1 and nonempty[0][0] == COL_REC and len(cells) == ncols
                and nonempty[0][1][:1].isupper() and len(nonempty[0][1].split()) <= 6
                and not normalise_status(nonempty[0][1])):
            section = nonempty[0][1]
            current = None
            continue
        # a continuation line
        starts_response_only = len(cells) == ncols and not cells[COL_NO] and not cells[COL_REC]
        if current is None or (gap and starts_response_only):
            seg = new_segment(gap, ln)
            if current is None and not rows:
                pending_orphans.append(seg)
            current = seg
        current.end = ln.end
        if len(cells) == ncols:
            _fill_aligned(current, cells_raw, cells, ncols, continuation=True)
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
    return ParsedPlan(plan_rows, lines[first].start, table_end, totals, warnings)


def _fill_aligned(row: Row, cells_raw: list[str], cells: list[str], ncols: int, continuation: bool = False) -> None:
    # right-align when the table has more than six columns of which the first are spare
    off = ncols - 6 if ncols > 6 else 0
    get = lambda i: cells[i + off] if i + off < len(cells) else ""  # noqa: E731
    raw = lambda i: cells_raw[i + off] if i + off < len(cells_raw) else ""  # noqa: E731
    if get(COL_REC):
        row.rec_parts.append(get(COL_REC))
    st = normalise_status(get(COL_STATUS)) if get(COL_STATUS) else None
    if st and not row.status:
        row.status = st
    if get(COL_RESPONSE):
        row.response_parts.append(get(COL_RESPONSE))
    _add_owner(row, _pieces(raw(COL_OWNER)))
    _add_targets(row, _pieces(raw(COL_TARGET)))


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
        elif _is_date_like(c):
            _add_targets(row, _pieces(raw))
        elif _is_owner_like(c):
            _add_owner(row, _pieces(raw))
        else:
            row.response_parts.append(c)
        first = False


def _add_owner(row: Row, pieces: list[str]) -> None:
    for p in pieces:
        prev = row.owners[-1] if row.owners else ""
        if prev and (re.search(r"(,|\b(?:and|of|for|the)|&|/|-)$", prev) or p[:1].islower() or p[:1] == "("):
            row.owners[-1] = f"{prev} {p}".strip()
        elif p not in row.owners:
            row.owners.append(p)


def _add_targets(row: Row, pieces: list[str]) -> None:
    for p in pieces:
        # "March 2020 June 2020" in one cell is two dates
        parts = re.findall(rf"(?i)\b{_MONTH}\s+\d{{4}}\b", p)
        if len(parts) > 1 and len(" ".join(parts)) >= len(p) - 2:
            row.targets.extend(parts)
        else:
            row.targets.append(p)


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
        _add_owner(into, [o])
    into.targets += tail.targets
    into.end = max(into.end, tail.end)

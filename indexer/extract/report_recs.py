"""Recommendations as an inspection report states them: number as printed, text, addressee, place.

HM Inspectorate of Probation ends a report's summary with its recommendations:

    Recommendations
    As a result of our inspection findings, we have made ... recommendations ...
    The Essex North PDU should:
    1. improve the quality of work to assess, manage and review risk of harm ...
    2. ...
    HM Prison and Probation Service should:
    3. ...

The section is found by its heading ("Recommendations", "Our recommendations",
"Eight recommendations", "4. Recommendations", "Annex 1: Recommendations"); inside it,
a line ending in "should:" names who the following items are for (even when Word
numbers it), and each numbered or bulleted item is one recommendation: a list item of
a structured format (its marker as printed), or in plain text and PDF a line opening
with "1." / "(1)" / "1.1" / "a)" / "•", continued by the lines after it until the next
item, addressee or heading. The list ends at the next heading of the same or a higher
level (headings come from the layout: font size and weight in PDFs, tags and styles
elsewhere), or where its numbering stops (indexer/extract/numbering.py: "2. Recruitment
and vetting" after item 9 is a chapter, not item 10). A heading is never an item.
Furniture (running headers, page numbers, contents lines: indexer/readers/layout.py)
is left out. A recommendation stated twice (in the summary and again in an annex) is
one recommendation, citing the pages of both places.

Publications in other shapes: a table whose header row names the bodies (the 2025
slide deck's "MoJ | HMPPS") and whose cells list the recommendations as bullets
gives one recommendation per bullet, addressed to its column's header.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional

from indexer.clean import clean_inline
from indexer.extract.addressee import addressee_heading, addressee_name
from indexer.extract.numbering import MarkerKey, follows, integer, marker_key
from indexer.records import Block, ExtractedText

_NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                 "sixteen|seventeen|eighteen|nineteen|twenty")
SECTION_HEADING = re.compile(
    rf"^(?:#+\s*)?(?:\*\*)?(?:(?:annex|appendix)\s+[\dA-Za-z]{{1,3}}\s*[:.–-]?\s*)?(?:\d+(?:\.\d+)*\.?\s+)?"
    rf"(?:(?:our|key|main|the|summary of)\s+)?"
    rf"(?:(?:{_NUMBER_WORDS}|\d+)\s+)?recommendations?(?:\s+(?:for improvement|made|to\s+\w+))?\s*:?(?:\*\*)?$",
    re.IGNORECASE)
ITEM_START = re.compile(r"^\s*(?:(?P<num>\(?(?P<n>\d{1,2})[.)])|(?P<n2>\d{1,2})\s(?=[a-z])"
                        r"|(?P<multi>\d{1,2}\.\d{1,2})\.?|(?P<letter>\(?[a-z]\))|(?P<bullet>[•·▪◦\-–*]))\s+")
_BULLET_SPLIT = re.compile(r"\s*[•·▪◦]\s*")
MAX_SECTION_BLOCKS = 400  # a recommendations section is a page or two, not the whole report
MAX_ITEMS = 60


@dataclass(frozen=True)
class StatedRecommendation:
    """One recommendation as a report states it (no status: that is the action plan's answer)."""

    ordinal: int  # 1-based position in the document
    printed_number: Optional[str]  # "3." as printed; None for a bullet
    number: Optional[int]  # the printed integer; for "1.1" and lettered numbering, the ordinal
    text: str
    addressee: Optional[str]  # the heading it sits under: "Essex North PDU should:", or a column header "MoJ"
    start: int  # offsets in the document text
    end: int
    pages: tuple[int, ...] = ()
    also: tuple[str, ...] = ()  # the other places it is stated ("Annex 1: Recommendations, p. 5")


def _text(doc: ExtractedText, b: Block) -> str:
    return doc.text[b.start:b.end]


def _is_heading_like(text: str) -> bool:
    """A short title-like line (plain text and PDF have no heading markup)."""
    t = text.strip()
    words = t.split()
    return (0 < len(words) <= 8 and t[:1].isupper() and not re.search(r"[.,;:!?]$", t)
            and not ITEM_START.match(t))


def read_report_recommendations(doc: ExtractedText) -> list[StatedRecommendation]:
    """The recommendations of the document's recommendations section(s), in order; one record for a
    recommendation stated in two places, citing the pages of both."""
    blocks = list(doc.blocks)
    found: list[tuple[StatedRecommendation, str, int]] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        heading = clean_inline(_text(doc, b))
        if b.kind != "table_row" and not b.furniture and SECTION_HEADING.match(heading):
            items, end = _Section(doc, blocks, i).read()
            if items:
                found += [(r, heading, i) for r in items]
                i = end
                continue
        i += 1
    return _once(found)


def _once(found: list[tuple[StatedRecommendation, str, int]]) -> list[StatedRecommendation]:
    """Each recommendation once, numbered by its place in the document: the same words for the same
    addressee stated again in another section (a summary and an annex) add their pages and place to
    the first statement. (Within one section, the same words twice are two recommendations: one ask
    made of two units.)"""
    out: list[StatedRecommendation] = []
    first: dict[tuple[str, str], tuple[int, int]] = {}
    for r, heading, section in found:
        key = (" ".join(re.findall(r"[a-z0-9]+", r.text.lower())), addressee_name(r.addressee).lower())
        if key in first and first[key][1] != section:
            k = first[key][0]
            where = heading + (f", p. {'-'.join(str(p) for p in sorted({r.pages[0], r.pages[-1]}))}" if r.pages else "")
            out[k] = replace(out[k], pages=tuple(sorted(set(out[k].pages) | set(r.pages))), also=out[k].also + (where,))
            continue
        if len(out) >= MAX_ITEMS:
            continue
        first.setdefault(key, (len(out), section))
        n = len(out) + 1
        numbered_otherwise = marker_key(r.printed_number) is not None and integer(r.printed_number) is None
        out.append(replace(r, ordinal=n, number=n if numbered_otherwise else r.number))  # "1.1", "c)": the ordinal
    return out


@dataclass
class _Item:
    printed: Optional[str]
    number: Optional[int]
    parts: list[str]
    addressee: Optional[str]
    start: int
    end: int
    pages: tuple[int, ...]
    depth: Optional[int] = None  # list depth of a structured item
    last_line: str = ""  # the last line of plain text added (to tell a wrapped line from a new paragraph)

    def add(self, text: str, b: Block) -> None:
        self.parts.append(text)
        self.last_line = text
        self.end, self.pages = b.end, self.pages + b.pages


def _continues(item: "_Item", text: str, full: int, before_item: bool) -> bool:
    """In plain text and PDF, whether `text` is the next line of a wrapped item: the item has not
    ended a sentence, and the line starts in lower case, or follows a full-width line, or is short
    but followed by another item ("...whose first language is not" / "English" / "4. review ...").
    A short capitalised line followed by prose is a heading ("Background"), not a continuation."""
    if _ends_sentence(item.last_line):
        return False
    if text[:1].islower() or text[:1] in "(\"'“‘,–-":
        return True
    if _is_heading_like(text):
        return before_item
    return len(item.last_line) >= 0.75 * full


class _Section:
    """The items of the section whose heading is blocks[head]; read() gives them and where it ends."""

    def __init__(self, doc: ExtractedText, blocks: list[Block], head: int):
        self.doc, self.blocks, self.head = doc, blocks, head
        heading = blocks[head]
        self.level = heading.level if heading.kind == "heading" else None
        self.items: list[_Item] = []
        self.addressee: Optional[str] = None
        self.current: Optional[_Item] = None
        self.last_key: Optional[MarkerKey] = None  # the numbering of the last numbered item
        self.new_group = False  # an addressee line since the last item
        self.limit = min(len(blocks), head + 1 + MAX_SECTION_BLOCKS)
        # the length of a full line of this part of the document (plain text and PDF wrap at it)
        self.full = max((b.end - b.start for b in blocks[head:self.limit] if b.kind == "paragraph"), default=0)

    def read(self) -> tuple[list[StatedRecommendation], int]:
        j = self.head + 1
        while j < self.limit:
            b = self.blocks[j]
            text = clean_inline(_text(self.doc, b))
            if b.furniture or not text:
                j += 1
                continue
            step = self.block(b, text, j)
            if step is None:
                break
            j = step
        out = []
        for it in self.items:
            body = _join(it.parts)
            if len(body.split()) >= 3:
                out.append(StatedRecommendation(0, it.printed, it.number, body, it.addressee, it.start, it.end,
                                                tuple(sorted(set(it.pages)))))
        return out, j

    def block(self, b: Block, text: str, j: int) -> Optional[int]:
        """Take blocks[j]; the index of the next block to read, or None when the section ends at j."""
        if b.kind == "heading" and (self.level is None or b.level is None or b.level <= self.level):
            return None  # the next heading of the same or a higher level
        if b.kind == "table_row":
            self.current = None
            rows = _table_items(self.doc, self.blocks, j)
            if rows is not None:
                self.items += rows[0]
                return rows[1]
            return None if self.items else j + 1
        who = addressee_heading(text)
        if who is not None:
            self.addressee, self.current, self.new_group = who, None, True
            return j + 1
        if b.kind == "heading":
            self.current = None  # a lower heading inside the section: never an item
            return j + 1
        if b.kind == "list_item":
            return self.list_item(b, text, j)
        m = ITEM_START.match(text)
        if m:
            printed = next((m.group(g) for g in ("num", "n2", "multi", "letter") if m.group(g)), None)
            return self.start_item(printed, text[m.end():], b, None, text, j)
        return self.prose(b, text, j)

    def start_item(self, printed: Optional[str], body: str, b: Block, depth: Optional[int], text: str,
                   j: int) -> Optional[int]:
        key = marker_key(printed)
        if key is not None:
            if self.items and not follows(self.last_key, key, self.new_group):
                return None  # the numbering stopped: a chapter ("2. Recruitment ...") or another list
            self.last_key = key
        self.new_group = False
        self.current = _Item(printed.strip() if printed else None, integer(printed), [body], self.addressee,
                             b.start, b.end, b.pages, depth, text)
        self.items.append(self.current)
        return j + 1

    def list_item(self, b: Block, text: str, j: int) -> Optional[int]:
        current = self.current
        if b.marker or current is None:
            if current is not None and current.depth is not None and b.level and b.level > current.depth:
                current.add(_strip_marker(text, b.marker), b)  # a sub-point belongs to its item
                return j + 1
            return self.start_item(b.marker, _strip_marker(text, b.marker), b, b.level or 1, text, j)
        current.add(text, b)
        return j + 1

    def prose(self, b: Block, text: str, j: int) -> Optional[int]:
        """A paragraph that does not start an item: a wrapped line of one, a subheading, or prose."""
        plain = self.doc.format in ("text", "pdf") and b.kind == "paragraph"
        before_item = _item_follows(self.doc, self.blocks, j + 1)
        if plain and self.current is not None and _continues(self.current, text, self.full, before_item):
            self.current.add(text, b)
            return j + 1
        if self.level is None and _is_heading_like(text) and not before_item:
            return None if self.items else j + 1  # a subheading after the list ends it; before it, skip it
        self.current = None  # prose between or after the items
        return None if self.items and len(text.split()) > 40 else j + 1


def _item_follows(doc: ExtractedText, blocks: list[Block], j: int) -> bool:
    """Whether the next block (not page furniture) starts an item or names an addressee."""
    while j < len(blocks) and blocks[j].furniture:
        j += 1
    if j >= len(blocks):
        return False
    b = blocks[j]
    text = clean_inline(_text(doc, b))
    return b.kind == "list_item" or bool(ITEM_START.match(text)) or addressee_heading(text) is not None


def _strip_marker(text: str, marker: Optional[str]) -> str:
    if marker and text.startswith(marker):
        return text[len(marker):].strip()
    m = ITEM_START.match(text)
    return text[m.end():] if m else text


def _ends_sentence(text: str) -> bool:
    """The text ends a sentence or a list item ("...; and" ends an item too)."""
    t = text.strip()
    return bool(re.search(r"[.;!?:][)\"”’]?$", t)) or t.endswith(("; and", "; or"))


def _join(parts: list[str]) -> str:
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out.endswith("-") and p[:1].islower() and not out.endswith(" -"):
            out = out + p  # a word hyphenated at a line break ("face-to-" / "face")
        else:
            out = f"{out} {p}" if out else p
    return out.strip()


def _cell_items(cell: str) -> list[str]:
    """Bulleted items of a table cell: '• a • b' in text extractions, one per line from real tables."""
    cell = cell or ""
    lines = [ln for ln in cell.split("\n") if ln.strip()]
    if len(lines) <= 1:
        flat = clean_inline(re.sub(r"<li[^>]*>", " • ", cell))
        parts = [p for p in _BULLET_SPLIT.split(flat) if p.strip()]
        return [" ".join(p.split()) for p in parts]
    return [re.sub(r"^\s*[•·▪◦\-–*]\s*", "", clean_inline(ln)) for ln in lines]


def _table_items(doc: ExtractedText, blocks: list[Block], first: int):
    """A table of recommendations: numbered rows under addressee rows ("No. | Recommendation", with
    "HM Prison and Probation Service should:" across the table), or one column per body (header cells
    name the bodies, body cells list the items).

    Returns (items, index after the table), or None when the table is of neither shape."""
    rows = []
    j = first
    while j < len(blocks) and blocks[j].kind == "table_row" and blocks[j].table == blocks[first].table:
        rows.append(blocks[j])
        j += 1
    rows = [r for r in rows if not re.fullmatch(r"[\s|:-]*", doc.text[r.start:r.end].replace("\t", ""))]
    numbered = _numbered_rows(rows)
    if numbered:
        return numbered, j
    if len(rows) < 2:
        return None
    header = [clean_inline(c or "") for c in rows[0].cells]
    if not all(0 < len(h.split()) <= 6 for h in header if h) or sum(1 for h in header if h) < 1:
        return None
    items = []
    for r in rows[1:]:
        for col, cell in enumerate(r.cells):
            entries = _cell_items(cell or "")
            if len(entries) < 1 or col >= len(header) or not header[col]:
                continue
            for e in entries:
                if len(e.split()) >= 4:
                    items.append(_Item(None, None, [e], header[col], r.start, r.end, r.pages))
    if not items:
        return None
    return items, j


def _numbered_rows(rows: list[Block]) -> list[_Item]:
    """Items of a table whose rows are recommendations (after a number, or alone) under addressee rows
    ("HM Prison and Probation Service should:" across the table); [] for a table of another shape."""
    items: list[_Item] = []
    addressee: Optional[str] = None
    last: Optional[MarkerKey] = None
    for r in rows:
        cells = [clean_inline(c or "") for c in r.cells]
        filled = [c for c in cells if c]
        if len(filled) == 1 and addressee_heading(filled[0]):
            addressee = addressee_heading(filled[0])
            continue
        key = marker_key(cells[0]) if cells and len(cells[0]) <= 6 else None
        text = next((c for c in cells[1 if key else 0:] if len(c.split()) >= 3), None)
        if r.header or text is None or (key is None and (addressee is None or len(filled) != 1)):
            continue
        if key is not None:
            if items and not follows(last, key, True):
                break
            last = key
        printed = cells[0] if key else None
        items.append(_Item(printed, integer(printed), [text], addressee, r.start, r.end, r.pages))
    return items

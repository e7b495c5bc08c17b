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
"Eight recommendations", "4. Recommendations"); inside it, a line ending in
"should:" names who the following items are for, and each numbered or bulleted item
is one recommendation: a list item of a structured format (its marker as printed),
or in plain text and PDF a line opening with "1." / "(1)" / "•", continued by the
lines after it until the next item, addressee or heading. Lines repeated at the top
or bottom of most pages of a PDF (running headers, page numbers) are left out.

Publications in other shapes: a table whose header row names the bodies (the 2025
slide deck's "MoJ | HMPPS") and whose cells list the recommendations as bullets
gives one recommendation per bullet, addressed to its column's header.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Optional

from indexer.clean import clean_inline
from indexer.records import Block, ExtractedText

_NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                 "sixteen|seventeen|eighteen|nineteen|twenty")
SECTION_HEADING = re.compile(
    rf"^(?:#+\s*)?(?:\*\*)?(?:\d+(?:\.\d+)*\.?\s+)?(?:(?:our|key|main|the|summary of)\s+)?"
    rf"(?:(?:{_NUMBER_WORDS}|\d+)\s+)?recommendations?(?:\s+(?:for improvement|made|to\s+\w+))?\s*:?(?:\*\*)?$",
    re.IGNORECASE)
ADDRESSEE = re.compile(r"^(?:[-•*]\s*)?(.{2,160}?)\s+(?:should|must|needs? to|is recommended to)\s*:\s*$",
                       re.IGNORECASE)
ITEM_START = re.compile(r"^\s*(?:(?P<num>\(?(?P<n>\d{1,2})[.)]|(?P<n2>\d{1,2})\s(?=[a-z]))|(?P<bullet>[•·▪◦\-–*]))\s+")
_BULLET_SPLIT = re.compile(r"\s*[•·▪◦]\s*")
MAX_SECTION_BLOCKS = 400  # a recommendations section is a page or two, not the whole report
MAX_ITEMS = 60


@dataclass(frozen=True)
class StatedRecommendation:
    """One recommendation as a report states it (no status: that is the action plan's answer)."""

    ordinal: int  # 1-based position in the document
    printed_number: Optional[str]  # "3." as printed; None for a bullet
    number: Optional[int]
    text: str
    addressee: Optional[str]  # the heading it sits under: "Essex North PDU should:", or a column header "MoJ"
    start: int  # offsets in the document text
    end: int
    pages: tuple[int, ...] = ()


def _text(doc: ExtractedText, b: Block) -> str:
    return doc.text[b.start:b.end]


def furniture(doc: ExtractedText) -> set[int]:
    """Indexes of blocks that are page furniture: lines at the top or bottom of a page that repeat on
    many pages (running headers and footers, digits masked so page numbers count as one), and
    lines that are only a page number."""
    if len(doc.page_starts) < 3:
        return {i for i, b in enumerate(doc.blocks) if re.fullmatch(r"\s*(?:page\s+)?\d{1,4}(?:\s+of\s+\d+)?\s*",
                                                                    _text(doc, b), re.IGNORECASE)}
    by_page: dict[int, list[int]] = {}
    for i, b in enumerate(doc.blocks):
        if b.pages and b.kind != "table_row":
            by_page.setdefault(b.pages[0], []).append(i)
    def key(i: int) -> str:
        return re.sub(r"\d+", "#", " ".join(_text(doc, doc.blocks[i]).lower().split()))
    edge_keys: Counter = Counter()
    for idx in by_page.values():
        edges = set(idx[:2] + idx[-2:])
        edge_keys.update({key(i) for i in edges})
    need = max(3, int(0.4 * len(by_page)))
    repeated = {k for k, c in edge_keys.items() if c >= need}
    out = set()
    for idx in by_page.values():
        for i in set(idx[:2] + idx[-2:]):
            k = key(i)
            if k in repeated or re.fullmatch(r"(?:page\s+)?#(?:\s+of\s+#)?", k):
                out.add(i)
    return out


def _is_heading_like(text: str) -> bool:
    """A short title-like line (plain text and PDF have no heading markup)."""
    t = text.strip()
    words = t.split()
    return (0 < len(words) <= 8 and t[:1].isupper() and not re.search(r"[.,;:!?]$", t)
            and not ITEM_START.match(t))


def read_report_recommendations(doc: ExtractedText) -> list[StatedRecommendation]:
    """The recommendations of the document's recommendations section(s), in order."""
    blocks = list(doc.blocks)
    skip = furniture(doc) if doc.format == "pdf" else set()
    found: list[StatedRecommendation] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind != "table_row" and i not in skip and SECTION_HEADING.match(clean_inline(_text(doc, b))):
            items, end = _section(doc, blocks, i, skip)
            if items:
                found += items
                i = end
                continue
        i += 1
    out, seen = [], set()
    for r in found:  # the same list twice (a summary and a chapter) is one list
        key = " ".join(r.text.lower().split())
        if key in seen:
            continue
        seen.add(key)
        out.append(StatedRecommendation(len(out) + 1, r.printed_number, r.number, r.text, r.addressee, r.start,
                                        r.end, r.pages))
        if len(out) >= MAX_ITEMS:
            break
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


def _section(doc: ExtractedText, blocks: list[Block], head: int, skip: set[int]):
    """Items of the section whose heading is blocks[head]; and the index where it ends."""
    heading = blocks[head]
    level = heading.level if heading.kind == "heading" else None
    items: list[_Item] = []
    addressee: Optional[str] = None
    current: Optional[_Item] = None
    j = head + 1
    limit = min(len(blocks), head + 1 + MAX_SECTION_BLOCKS)
    # the length of a full line of this part of the document (plain text and PDF wrap at it)
    full = max((b.end - b.start for b in blocks[head:limit] if b.kind == "paragraph"), default=0)
    while j < limit:
        b = blocks[j]
        j += 1
        if j - 1 in skip:
            continue
        text = clean_inline(_text(doc, b))
        if not text:
            continue
        if b.kind == "heading":
            if level is None or b.level is None or b.level <= level:
                j -= 1
                break
        if b.kind == "table_row":
            current = None
            rows = _table_items(doc, blocks, j - 1)
            if rows is not None:
                new, j = rows
                items += new
                continue
            if items:
                j -= 1
                break
            continue
        m = ADDRESSEE.match(text)
        if m and len(text.split()) <= 25:
            addressee = text
            current = None
            continue
        if b.kind == "list_item" and (b.marker or current is None):
            if current is not None and current.depth is not None and b.level and b.level > current.depth:
                current.add(_strip_marker(text, b.marker), b)  # a sub-point belongs to its item
                continue
            printed = b.marker
            n = re.match(r"\(?(\d{1,3})", printed or "")
            current = _Item(printed, int(n.group(1)) if n else None, [_strip_marker(text, printed)], addressee,
                            b.start, b.end, b.pages, b.level or 1, text)
            items.append(current)
            continue
        if b.kind == "list_item" and current is not None:
            current.add(text, b)
            continue
        m = ITEM_START.match(text)
        if m:
            printed = (m.group("num") or m.group("n2") or m.group("bullet")).strip()
            n = m.group("n") or m.group("n2")
            current = _Item(printed if n else None, int(n) if n else None, [text[m.end():]], addressee,
                            b.start, b.end, b.pages, None, text)
            items.append(current)
            continue
        plain = doc.format in ("text", "pdf") and b.kind == "paragraph"
        before_item = _item_follows(doc, blocks, j, skip)
        if plain and current is not None and _continues(current, text, full, before_item):
            current.add(text, b)
            continue
        if level is None and _is_heading_like(text) and not before_item:
            if items:
                j -= 1
                break
            continue  # a subheading before the list
        current = None  # prose between or after the items
        if items and len(text.split()) > 40:
            break
    out = []
    for it in items:
        body = _join(it.parts)
        if len(body.split()) < 3:
            continue
        out.append(StatedRecommendation(0, it.printed, it.number, body, it.addressee, it.start, it.end,
                                        tuple(sorted(set(it.pages)))))
    return out, j


def _item_follows(doc: ExtractedText, blocks: list[Block], j: int, skip: set[int]) -> bool:
    """Whether the next block (not page furniture) starts an item or names an addressee."""
    while j < len(blocks) and j in skip:
        j += 1
    if j >= len(blocks):
        return False
    b = blocks[j]
    text = clean_inline(_text(doc, b))
    return b.kind == "list_item" or bool(ITEM_START.match(text)) or bool(ADDRESSEE.match(text))


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
    """A table of recommendations by body: header cells name the bodies, body cells list the items.

    Returns (items, index after the table), or None when the table is not of that shape."""
    rows = []
    j = first
    while j < len(blocks) and blocks[j].kind == "table_row" and blocks[j].table == blocks[first].table:
        rows.append(blocks[j])
        j += 1
    rows = [r for r in rows if not re.fullmatch(r"[\s|:-]*", doc.text[r.start:r.end].replace("\t", ""))]
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

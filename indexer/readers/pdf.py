"""PDF: text page by page with pypdf; ruled tables with pdfplumber, row by row and cell by cell.

pypdf reads text fast (a few ms a page) but flattens a table into lines in which
the cells of one row interleave. pdfplumber finds tables from their ruling lines and
gives each row's cells, at about twenty times pypdf's cost a page. So pypdf reads
every page, and pdfplumber is asked only about pages whose content stream draws
enough rectangles and lines to hold a table (docs/formats.md has the measurements
that chose pdfplumber over pypdf's layout mode for tables).

A page with tables is rendered from pdfplumber: lines outside the tables as they
stand, each table row as one line of tab-separated cells. A row whose cells were
wrapped over several lines keeps a line break only where a cell's text broke before
the cell was full (a new paragraph: another owner, another target date), so wrapped
sentences read as one. A table header repeated at the top of a continuation page
is dropped; a row continued over a page break stays as its two parts (the part on
the new page has an empty first cell), which the row parser joins.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from indexer.clean import normalise_unicode, strip_controls
from indexer.readers.base import PAGE_SEPARATOR, UnreadableFile, one_line
from indexer.readers.text import line_blocks
from indexer.records import Block, ExtractedText

# pdfplumber's table finding, recorded in the index manifest so a change shows as a different reader.
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3,
                  "join_tolerance": 3, "intersection_tolerance": 3}
# A page is looked at for tables when its content stream draws at least this many rectangles and lines.
MIN_RULING_OPS = 8
_RULING_OP = re.compile(rb"(?<=\s)(?:re|l)(?=\s)")
LINE_TOLERANCE = 3.0  # points: words whose tops differ by less sit on one line
READER_SETTINGS = {"text": "pypdf.extract_text", "tables": "pdfplumber", "table_settings": TABLE_SETTINGS,
                   "min_ruling_ops": MIN_RULING_OPS, "version": 1}


def read_pdf_bytes(data: bytes, path: str | Path, max_pages: int = 2000, max_chars: int = 20_000_000) -> ExtractedText:
    """Extract a PDF page by page, keeping where each page starts and the rows of its ruled tables."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise UnreadableFile(path, "encrypted PDF (a password is needed to read it)")
        n = len(reader.pages)
    except UnreadableFile:
        raise
    except Exception as e:  # pypdf raises many kinds for damaged files
        raise UnreadableFile(path, f"corrupt or unreadable PDF ({type(e).__name__}: {str(e)[:120]})") from None
    if n == 0:
        raise UnreadableFile(path, "PDF has no pages")
    if n > max_pages:
        raise UnreadableFile(path, f"PDF has {n} pages, more than the limit of {max_pages}")
    pages: list[str] = []
    ruled: list[int] = []
    total = 0
    for i, page in enumerate(reader.pages):
        try:
            t = page.extract_text() or ""
        except Exception as e:
            raise UnreadableFile(path, f"corrupt PDF: page {i + 1} cannot be read ({type(e).__name__})") from None
        pages.append(strip_controls(normalise_unicode(t)).replace("\f", "\n"))
        total += len(pages[-1]) + len(PAGE_SEPARATOR)
        if total > max_chars:
            raise UnreadableFile(path, f"PDF text exceeds the limit of {max_chars:,} characters")
        if _draws_rules(page):
            ruled.append(i)
    tables = _table_pages(data, ruled) if ruled else {}
    return _assemble(pages, tables, path)


def _draws_rules(page) -> bool:
    try:
        contents = page.get_contents()
        raw = contents.get_data() if contents is not None else b""
    except Exception:
        return False
    return len(_RULING_OP.findall(raw)) >= MIN_RULING_OPS


@dataclass(frozen=True)
class _Item:
    top: float
    text: str
    cells: Optional[tuple[Optional[str], ...]] = None  # a table row
    table: int = 0


def _table_pages(data: bytes, page_numbers: list[int]) -> dict[int, list[_Item]]:
    """For each page (0-based) where pdfplumber finds a table: its lines and rows in reading order."""
    import pdfplumber

    out: dict[int, list[_Item]] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for i in page_numbers:
            page = pdf.pages[i]
            items = _page_items(page)
            if items is not None:
                out[i] = items
            page.close()
    return out


def _closing_lines(page) -> list[float]:
    """Tops and bottoms of the vertical rules: a table cut by a page break may lack its closing
    horizontal rule, and pdfplumber only forms cells that are closed on all four sides."""
    ys: set[float] = set()
    for e in page.edges:
        if e.get("orientation") == "v" and e["bottom"] - e["top"] >= 8:
            ys.add(round(e["top"], 1))
            ys.add(round(e["bottom"], 1))
    if not ys:
        return []
    return [min(ys), max(ys)]


def _page_items(page) -> Optional[list[_Item]]:
    settings = dict(TABLE_SETTINGS, explicit_horizontal_lines=_closing_lines(page))
    found = [t for t in page.find_tables(settings) if t.rows and max(len(r.cells) for r in t.rows) >= 2]
    if not found:
        return None
    words = page.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False, use_text_flow=False)
    boxes = [t.bbox for t in found]

    def inside(w, box) -> bool:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]

    outside = [w for w in words if not any(inside(w, b) for b in boxes)]
    items = [_Item(line[0]["top"], " ".join(w["text"] for w in line)) for line in _lines(outside)]
    for ti, t in enumerate(found):
        for row in t.rows:
            cells: list[Optional[str]] = []
            for bbox in row.cells:
                if bbox is None:
                    cells.append(None)
                    continue
                cells.append(_cell_text([w for w in words if inside(w, bbox)], bbox))
            if any(cells):
                items.append(_Item(row.bbox[1], "\t".join((c or "").replace("\n", " ") for c in cells),
                                   tuple(cells), ti))
    items.sort(key=lambda it: it.top)
    return items


def _lines(words: list[dict]) -> list[list[dict]]:
    """Words grouped into lines (top within LINE_TOLERANCE), lines top to bottom, words left to right."""
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) <= LINE_TOLERANCE:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _cell_text(words: list[dict], bbox) -> str:
    """A cell's text, its wrapped lines joined with spaces and its paragraphs with newlines.

    A line broke because the cell was full when the next line's first word would not have
    fitted after it; otherwise the break was the author's (a new paragraph). A vertical gap
    of more than a line and a half is a paragraph break too.
    """
    lines = _lines(words)
    if not lines:
        return ""
    left_pad = max(0.0, min(w["x0"] for w in words) - bbox[0])
    right_edge = bbox[2] - max(left_pad, 1.0)
    out = " ".join(w["text"] for w in lines[0])
    for prev, line in zip(lines, lines[1:]):
        height = max(1.0, prev[0]["bottom"] - prev[0]["top"])
        first = line[0]
        space = 0.25 * height
        # a margin of one more space: when in doubt, a wrapped line (a sentence reads on) rather than a break
        fits = prev[-1]["x1"] + 2 * space + (first["x1"] - first["x0"]) <= right_edge
        gap = first["top"] - prev[0]["bottom"]
        text = " ".join(w["text"] for w in line)
        out += ("\n" if fits or gap > 1.5 * height else " ") + text
    return one_line_per_paragraph(out)


def one_line_per_paragraph(text: str) -> str:
    return "\n".join(p for p in (one_line(x) for x in text.split("\n")) if p)


def _assemble(pages: list[str], tables: dict[int, list[_Item]], path) -> ExtractedText:
    """The document text (pages joined by PAGE_SEPARATOR) and its blocks."""
    parts: list[str] = []
    blocks: list[Block] = []
    starts: list[int] = []
    offset = 0
    table_base = 0  # tables are numbered across the document
    header: Optional[tuple[str, ...]] = None  # the first row of the document's first table
    for i, page_text in enumerate(pages):
        starts.append(offset)
        page_no = i + 1
        if i in tables:
            text, page_blocks, header, n_tables = _render_table_page(tables[i], page_no, offset, table_base, header)
            table_base += n_tables
        else:
            text = page_text
            page_blocks = [Block(b.kind, b.start + offset, b.end + offset, (page_no,), cells=b.cells)
                           for b in line_blocks(text)]
        if page_blocks and i > 0:
            b = page_blocks[0]
            page_blocks[0] = Block(b.kind, b.start, b.end, b.pages, b.level, b.marker, b.cells, b.table, b.header,
                                   True)
        parts.append(text)
        blocks += page_blocks
        offset += len(text) + len(PAGE_SEPARATOR)
    text = PAGE_SEPARATOR.join(parts)
    if not text.strip():
        raise UnreadableFile(path, "no extractable text (scanned or image-only PDF; OCR it first)")
    return ExtractedText(text=text, page_starts=tuple(starts), blocks=tuple(blocks), format="pdf",
                         exact_tables=bool(tables))


def _norm_row(cells) -> tuple[str, ...]:
    return tuple(" ".join((c or "").split()).lower() for c in cells)


def _render_table_page(items: list[_Item], page_no: int, offset: int, table_base: int,
                       header: Optional[tuple[str, ...]]):
    """One page's text and blocks. `header` is the first row of the document's first table: a row
    equal to it later on is the header repeated on a continuation page, and is left out."""
    lines: list[str] = []
    blocks: list[Block] = []
    pos = 0
    prev_kind = None
    tables: set[int] = set()
    for it in items:
        is_header = False
        if it.cells is not None:
            tables.add(it.table)
            norm = _norm_row(it.cells)
            if header is None:
                header, is_header = norm, True
            elif norm == header:
                continue
        kind = "row" if it.cells is not None else "line"
        sep = "" if not lines else ("\n" if kind == prev_kind else "\n\n")
        pos += len(sep)
        start = pos
        lines.append(sep + it.text)
        pos += len(it.text)
        if it.cells is not None:
            blocks.append(Block("table_row", offset + start, offset + pos, (page_no,), cells=it.cells,
                                table=table_base + it.table, header=is_header))
        else:
            blocks.append(Block("paragraph", offset + start, offset + pos, (page_no,)))
        prev_kind = kind
    return "".join(lines), blocks, header, len(tables)

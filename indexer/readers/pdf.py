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

Headings come from how lines are printed (indexer/readers/pdf_style.py: font size and weight,
from the same pypdf pass); running headers, footers, page numbers and contents lines are
labelled as furniture (indexer/readers/layout.py) before headings are looked for, so a
running header is never a heading. The document information dictionary (title, author,
creation date) is kept as the document's properties.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from indexer.clean import normalise_unicode, strip_controls
from indexer.readers.base import PAGE_SEPARATOR, UnreadableFile, one_line
from indexer.readers.layout import furniture_indexes
from indexer.readers.pdf_style import BOLD_FONT, LineStyle, heading_levels, line_style, page_text
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
                   "min_ruling_ops": MIN_RULING_OPS, "headings": "font size and weight", "version": 2}


def read_pdf_bytes(data: bytes, path: str | Path, max_pages: int = 2000, max_chars: int = 20_000_000) -> ExtractedText:
    """Extract a PDF page by page, keeping where each page starts, its headings and the rows of its ruled tables."""
    reader = _open(data, path, max_pages)
    pages: list[str] = []
    styles: list[list[Optional[LineStyle]]] = []
    ruled: list[int] = []
    total = 0
    for i, page in enumerate(reader.pages):
        try:
            t, st = page_text(page)
        except Exception as e:
            raise UnreadableFile(path, f"corrupt PDF: page {i + 1} cannot be read ({type(e).__name__})") from None
        pages.append(strip_controls(normalise_unicode(t)).replace("\f", "\n"))
        styles.append(st if pages[-1].count("\n") + 1 == len(st) else [None] * (pages[-1].count("\n") + 1))
        total += len(pages[-1]) + len(PAGE_SEPARATOR)
        if total > max_chars:
            raise UnreadableFile(path, f"PDF text exceeds the limit of {max_chars:,} characters")
        if _draws_rules(page):
            ruled.append(i)
    tables = _table_pages(data, ruled) if ruled else {}
    properties = _properties(reader)
    return replace(_assemble(pages, styles, tables, path), properties=properties, title=properties.get("title"))


def _open(data: bytes, path: str | Path, max_pages: int):
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            ok: int  # a PasswordType (an IntEnum), or 0 when decrypting fails
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
    return reader


def _properties(reader) -> dict[str, str]:
    """Title, author, subject and creation date from the document information dictionary (and XMP's
    dc:date when it has one), as text; a creation date as YYYY-MM-DD."""
    out: dict[str, str] = {}
    try:
        info = reader.metadata or {}
        for key, name in (("/Title", "title"), ("/Author", "author"), ("/Subject", "subject")):
            v = one_line(str(info.get(key) or ""))
            if v:
                out[name] = v
        created = re.match(r"D?:?((?:19|20)\d{2})(\d{2})?(\d{2})?", str(info.get("/CreationDate") or ""))
        if created:
            out["created"] = "-".join(g for g in created.groups() if g)
        xmp = reader.xmp_metadata
        dates = list(getattr(xmp, "dc_date", None) or []) if xmp is not None else []
        if dates:
            out["date"] = str(dates[0])[:10]
    except Exception:  # a damaged information dictionary costs the properties, never the document
        return out
    return out


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
    style: Optional[LineStyle] = None  # a line's (not a row's)


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
    words = page.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False, use_text_flow=False,
                               extra_attrs=["size", "fontname"])
    boxes = [t.bbox for t in found]

    def inside(w, box) -> bool:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]

    outside = [w for w in words if not any(inside(w, b) for b in boxes)]
    items = [_Item(line[0]["top"], " ".join(w["text"] for w in line), style=_words_style(line))
             for line in _lines(outside)]
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


def _words_style(words: list[dict]) -> Optional[LineStyle]:
    """A line's style from pdfplumber's words (their size and font name)."""
    return line_style((len(w["text"]), float(w.get("size") or 0), bool(BOLD_FONT.search(str(w.get("fontname") or ""))))
                      for w in words)


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


def _assemble(pages: list[str], styles: list[list[Optional[LineStyle]]], tables: dict[int, list[_Item]],
              path) -> ExtractedText:
    """The document text (pages joined by PAGE_SEPARATOR) and its blocks, headings and furniture found."""
    parts: list[str] = []
    blocks: list[Block] = []
    block_styles: list[Optional[LineStyle]] = []
    starts: list[int] = []
    offset = 0
    table_base = 0  # tables are numbered across the document
    header: Optional[tuple[str, ...]] = None  # the first row of the document's first table
    for i, page in enumerate(pages):
        starts.append(offset)
        if i in tables:
            text, page_blocks, page_styles, header, n = _render_table_page(tables[i], i + 1, offset, table_base,
                                                                         header)
            table_base += n
        else:
            text = page
            page_blocks, page_styles = _line_blocks(page, styles[i], i + 1, offset)
        if page_blocks and i > 0:
            page_blocks[0] = replace(page_blocks[0], gap_before=True)
        parts.append(text)
        blocks += page_blocks
        block_styles += page_styles
        offset += len(text) + len(PAGE_SEPARATOR)
    text = PAGE_SEPARATOR.join(parts)
    if not text.strip():
        raise UnreadableFile(path, "no extractable text (scanned or image-only PDF; OCR it first)")
    return ExtractedText(text=text, page_starts=tuple(starts), format="pdf", exact_tables=bool(tables),
                         blocks=tuple(_headings(text, blocks, block_styles, len(pages))))


def _line_blocks(text: str, styles: list[Optional[LineStyle]], page_no: int, offset: int
                 ) -> tuple[list[Block], list[Optional[LineStyle]]]:
    """A page without tables: one block per line, and each block's style."""
    blocks: list[Block] = []
    out_styles: list[Optional[LineStyle]] = []
    line, at = 0, 0
    for b in line_blocks(text):  # in order: count the line breaks since the block before
        line, at = line + text.count("\n", at, b.start), b.start
        blocks.append(Block(b.kind, b.start + offset, b.end + offset, (page_no,), cells=b.cells))
        out_styles.append(styles[line] if line < len(styles) and b.kind != "table_row" else None)
    return blocks, out_styles


def _headings(text: str, blocks: list[Block], styles: list[Optional[LineStyle]], n_pages: int) -> list[Block]:
    """Blocks with furniture labelled and the lines printed as headings made headings (pdf_style); the
    lines of one heading (the same level, run on) become one block."""
    furniture = furniture_indexes(text, blocks, n_pages)
    lines = [(text[b.start:b.end], None if i in furniture or b.kind != "paragraph" else styles[i])
             for i, b in enumerate(blocks)]
    levels = heading_levels(lines)
    out: list[Block] = []
    for i, b in enumerate(blocks):
        if i in furniture:
            out.append(replace(b, layer="furniture"))
            continue
        if i not in levels:
            out.append(b)
            continue
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == "heading" and prev.level == levels[i] and i - 1 in levels
                and prev.pages == b.pages and not re.search(r"[.!?:]$", text[prev.start:prev.end].strip())):
            out[-1] = replace(prev, end=b.end)
        else:
            out.append(replace(b, kind="heading", level=levels[i]))
    return out


def _norm_row(cells) -> tuple[str, ...]:
    return tuple(" ".join((c or "").split()).lower() for c in cells)


def _render_table_page(items: list[_Item], page_no: int, offset: int, table_base: int,
                       header: Optional[tuple[str, ...]]):
    """One page's text and blocks. `header` is the first row of the document's first table: a row
    equal to it later on is the header repeated on a continuation page, and is left out."""
    lines: list[str] = []
    blocks: list[Block] = []
    styles: list[Optional[LineStyle]] = []
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
        styles.append(it.style if it.cells is None else None)
        prev_kind = kind
    return "".join(lines), blocks, styles, header, len(tables)

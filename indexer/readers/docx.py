"""Word .docx with python-docx: headings, paragraphs, numbered lists as printed, tables cell by cell.

Word keeps a list's numbers in numbering.xml, not in the paragraph text, so a
"Recommendation 3" typed as the third item of a numbered list has no 3 in its text.
The numbers are rebuilt as Word prints them: a counter per list and level, started
at the level's start value (or the list's override), lower levels restarting when a
higher one moves on, the number formatted (decimal, letters, roman) and placed in
the level's text ("%1.", "(%2)", "Recommendation %1:"). A paragraph numbered through
its style ("List Number") counts like one numbered directly.

Tables keep their grid: a cell spanning columns (gridSpan) gives its text to the
first slot and None to the others; a cell continuing a vertical merge is None. A
row marked to repeat as a header on each page (tblHeader) is a header row. Word
has no pages of its own (they depend on the printer), so pages are unknown. Paragraphs in
Word's table-of-contents styles ("TOC 1", ...) are contents lines, never headings. The core
properties (title, author, subject, created) are kept as the document's properties.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Optional

from indexer.readers.base import TextBuilder, UnreadableFile, format_number, one_line
from indexer.records import ExtractedText

# Uncompressed size above which a part of the archive is refused before it is parsed (zip bombs).
MAX_PART_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 600 * 1024 * 1024
_FORMATS = {"decimal": "decimal", "decimalZero": "decimal", "lowerLetter": "lower-alpha",
            "upperLetter": "upper-alpha", "lowerRoman": "lower-roman", "upperRoman": "upper-roman"}


def check_archive(data: bytes, path: str | Path) -> None:
    """Refuse an archive whose entries would inflate past the limits (a zip bomb), before parsing it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as e:
        raise UnreadableFile(path, f"damaged zip archive ({type(e).__name__}); the file may be truncated") from None
    total = sum(i.file_size for i in infos)
    big = max((i.file_size for i in infos), default=0)
    if big > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
        raise UnreadableFile(path, f"archive inflates to {total / 2**20:,.0f} MB, more than the limit of "
                                   f"{MAX_TOTAL_BYTES / 2**20:,.0f} MB (zip bomb?)")
    for i in infos:
        if i.compress_size and i.file_size / i.compress_size > 1000 and i.file_size > 10 * 2**20:
            raise UnreadableFile(path, f"archive member {i.filename} inflates {i.file_size // i.compress_size:,}-fold "
                                       "(zip bomb?)")


class _Numbering:
    """Word's list numbering: numId -> abstract levels, counters kept per numId as Word does."""

    def __init__(self, document):
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[str, dict[int, dict]] = {}  # abstractNumId -> ilvl -> {start, fmt, text}
        self.num_abstract: dict[str, str] = {}
        self.overrides: dict[str, dict[int, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        for an in root.findall(qn("w:abstractNum")):
            aid = an.get(qn("w:abstractNumId"))
            lv = {}
            for lvl in an.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                start = lvl.find(qn("w:start"))
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                lv[ilvl] = {"start": int(start.get(qn("w:val"))) if start is not None else 1,
                            "fmt": fmt.get(qn("w:val")) if fmt is not None else "decimal",
                            "text": text.get(qn("w:val")) if text is not None else f"%{ilvl + 1}."}
            self.levels[aid] = lv
        for num in root.findall(qn("w:num")):
            nid = num.get(qn("w:numId"))
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.num_abstract[nid] = ref.get(qn("w:val"))
            for ov in num.findall(qn("w:lvlOverride")):
                so = ov.find(qn("w:startOverride"))
                if so is not None:
                    self.overrides.setdefault(nid, {})[int(ov.get(qn("w:ilvl"), "0"))] = int(so.get(qn("w:val")))

    def marker(self, num_id: str, ilvl: int) -> Optional[str]:
        """The printed marker of the next item of list `num_id` at level `ilvl` (advancing its counter)."""
        levels = self.levels.get(self.num_abstract.get(num_id, ""), {})
        if num_id == "0" or ilvl not in levels:
            return None
        lvl = levels[ilvl]
        counters = self.counters.setdefault(num_id, {})
        start = self.overrides.get(num_id, {}).get(ilvl, lvl["start"])
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if lvl["fmt"] == "bullet":
            return "•"
        if lvl["fmt"] == "none":
            return None
        text = lvl["text"]
        for k in range(9):
            if f"%{k + 1}" in text:
                sub = levels.get(k, {"start": 1, "fmt": "decimal"})
                n = counters.get(k, self.overrides.get(num_id, {}).get(k, sub["start"]))
                text = text.replace(f"%{k + 1}", format_number(n, _FORMATS.get(sub["fmt"], "decimal")))
        return text.strip() or None


def _num_pr(paragraph, qn):
    """(numId, ilvl) of a paragraph numbered directly or through its style (and the styles it is based on)."""
    ppr = paragraph._p.pPr
    num = ppr.find(qn("w:numPr")) if ppr is not None else None
    style = paragraph.style
    while num is None and style is not None:
        sppr = style.element.pPr
        num = sppr.find(qn("w:numPr")) if sppr is not None else None
        style = style.base_style
    if num is None:
        return None
    nid = num.find(qn("w:numId"))
    ilvl = num.find(qn("w:ilvl"))
    if nid is None:
        return None
    return nid.get(qn("w:val")), int(ilvl.get(qn("w:val"))) if ilvl is not None else 0


def _heading_level(paragraph, qn) -> Optional[int]:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name == "Title":
        return 1
    if name.startswith("Heading"):
        digits = "".join(c for c in name if c.isdigit())
        return int(digits) if digits else 1
    ppr = paragraph._p.pPr
    lvl = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    if lvl is not None and lvl.get(qn("w:val")) not in (None, "9"):
        return int(lvl.get(qn("w:val"))) + 1
    return None


def read_docx_bytes(data: bytes, path: str | Path) -> ExtractedText:
    check_archive(data, path)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises several kinds for broken packages
        raise UnreadableFile(path, f"damaged Word document ({type(e).__name__}: {str(e)[:100]})") from None
    out = TextBuilder("docx")
    out.properties = _core_properties(document)
    out.title = out.properties.get("title")
    _Body(document, out).read()
    result = out.build()
    if not result.text.strip():
        raise UnreadableFile(path, "no text in this Word document")
    return result


def _core_properties(document) -> dict[str, str]:
    """Title, author, subject and creation date (YYYY-MM-DD) from the core properties."""
    try:
        cp = document.core_properties
        out = {"title": one_line(cp.title or ""), "author": one_line(cp.author or ""),
               "subject": one_line(cp.subject or "")}
        if cp.created is not None:
            out["created"] = cp.created.date().isoformat()
    except Exception:  # a damaged core properties part costs the properties, never the document
        return {}
    return {k: v for k, v in out.items() if v}


class _Body:
    """The body's paragraphs and tables, in order, into the builder."""

    def __init__(self, document, out: TextBuilder):
        from docx.oxml.ns import qn

        self.document, self.out, self.qn = document, out, qn
        self.numbering = _Numbering(document)
        self.tables = 0

    def read(self) -> None:
        from docx.text.paragraph import Paragraph

        for el in _body_items(self.document.element.body, self.qn):
            if el.tag == self.qn("w:tbl"):
                self.table(el)
            else:
                self.paragraph(Paragraph(el, self.document))

    def paragraph_text(self, p) -> tuple[Optional[str], str]:
        num = _num_pr(p, self.qn)
        marker = self.numbering.marker(*num) if num else None
        return marker, p.text

    def paragraph(self, p) -> None:
        marker, text = self.paragraph_text(p)
        level = _heading_level(p, self.qn)
        style = (p.style.name if p.style is not None else "") or ""
        layer = "contents" if style.lower().startswith("toc") else "body"  # Word's table of contents
        for line in (text or "").split("\n"):  # a manual line break starts a new line of its own
            if level is not None and layer == "body":
                self.out.add("heading", line, level=level)
            elif marker:
                num = _num_pr(p, self.qn)
                self.out.add("list_item", line, level=(num[1] + 1) if num else 1, marker=marker, layer=layer)
                marker = None  # the rest of the item's lines are its continuation
            else:
                self.out.add("paragraph", line, layer=layer)

    def cell_text(self, tc, parent) -> str:
        from docx.text.paragraph import Paragraph

        qn = self.qn
        lines = []
        for el in tc.iterchildren():
            if el.tag == qn("w:p"):
                marker, text = self.paragraph_text(Paragraph(el, parent))
                text = one_line(text)
                if text:
                    lines.append(f"{marker} {text}" if marker else text)
            elif el.tag == qn("w:tbl"):  # a table inside a cell: its text, row by row
                for tr in el.iter(qn("w:tr")):
                    row = " ".join(one_line("".join(t.text or "" for t in c.iter(qn("w:t"))))
                                   for c in tr.iter(qn("w:tc")))
                    if row.strip():
                        lines.append(row)
        return "\n".join(lines)

    def table(self, tbl_el) -> None:
        from docx.table import Table

        qn = self.qn
        table = Table(tbl_el, self.document)
        for tr in tbl_el.findall(qn("w:tr")):
            trpr = tr.find(qn("w:trPr"))
            header = trpr is not None and trpr.find(qn("w:tblHeader")) is not None
            cells: list[Optional[str]] = []
            for tc in tr.findall(qn("w:tc")):
                tcpr = tc.find(qn("w:tcPr"))
                span, vmerge = 1, None
                if tcpr is not None:
                    gs = tcpr.find(qn("w:gridSpan"))
                    span = int(gs.get(qn("w:val"), "1")) if gs is not None else 1
                    vm = tcpr.find(qn("w:vMerge"))
                    vmerge = (vm.get(qn("w:val")) or "continue") if vm is not None else None
                cells.append(None if vmerge == "continue" else self.cell_text(tc, table))
                cells.extend([None] * (span - 1))
            self.out.add_row(cells, self.tables, header=header)
        self.tables += 1


def _body_items(body, qn):
    """Paragraphs and tables of the body in order, looking inside content controls (w:sdt)."""
    stack = list(reversed(list(body.iterchildren())))
    while stack:
        el = stack.pop()
        if el.tag in (qn("w:p"), qn("w:tbl")):
            yield el
        elif el.tag == qn("w:sdt"):
            content = el.find(qn("w:sdtContent"))
            if content is not None:
                stack.extend(reversed(list(content.iterchildren())))

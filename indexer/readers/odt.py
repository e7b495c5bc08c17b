"""OpenDocument text (.odt): content.xml read with defusedxml, the same blocks as Word.

An .odt is a zip of XML parts; the body is in content.xml and the list styles that
say how items are numbered are in content.xml's automatic styles or in styles.xml.
defusedxml refuses entity tricks (billion laughs, external entities) that a hostile
file could use against a plain XML parser.

- text:h is a heading (text:outline-level), text:p a paragraph;
- text:list / text:list-item: items numbered as the list style prints them
  (style:num-format 1, a, A, i, I with its prefix and suffix), starting at the
  style's text:start-value, restarted by an item's text:start-value, and continued
  from the previous list when text:continue-numbering is set;
- table:table: rows (table:table-header-rows mark the header), cells spanning
  columns give None to the slots they cover, table:covered-table-cell is None,
  repeated rows and cells are expanded (capped);
- a table of contents (text:table-of-content, or paragraphs in a "Contents" style) gives contents
  lines, never headings; meta.xml's title, initial creator, subject and creation date are the
  document's properties.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from indexer.readers.base import TextBuilder, UnreadableFile, format_number, one_line
from indexer.readers.docx import check_archive
from indexer.records import ExtractedText

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}
MAX_REPEAT = 64  # number-columns-repeated / number-rows-repeated beyond this are empty filler
_FORMATS = {"1": "decimal", "a": "lower-alpha", "A": "upper-alpha", "i": "lower-roman", "I": "upper-roman"}


def _q(tag: str) -> str:
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _parse(zf: zipfile.ZipFile, name: str, path):
    from defusedxml import ElementTree as ET

    try:
        return ET.fromstring(zf.read(name))
    except KeyError:
        return None
    except Exception as e:  # ParseError, DefusedXmlException, zlib errors
        raise UnreadableFile(path, f"damaged OpenDocument file ({name}: {type(e).__name__}: {str(e)[:80]})") from None


def _list_styles(*roots) -> dict[str, dict[int, dict]]:
    """list style name -> level (1-based) -> {fmt, prefix, suffix, start, bullet}."""
    styles: dict[str, dict[int, dict]] = {}
    for root in roots:
        if root is None:
            continue
        for ls in root.iter(_q("text:list-style")):
            name = ls.get(_q("style:name"))
            levels = {}
            for child in ls:
                lvl = int(child.get(_q("text:level"), "1"))
                if child.tag == _q("text:list-level-style-number"):
                    levels[lvl] = {"fmt": _FORMATS.get(child.get(_q("style:num-format"), "1"), None),
                                   "prefix": child.get(_q("style:num-prefix"), ""),
                                   "suffix": child.get(_q("style:num-suffix"), ""),
                                   "start": int(child.get(_q("text:start-value"), "1"))}
                elif child.tag == _q("text:list-level-style-bullet"):
                    levels[lvl] = {"bullet": child.get(_q("text:bullet-char"), "•")}
            styles[name] = levels
    return styles


def _inline_text(el) -> str:
    """The text of a paragraph: spans, links, spaces (text:s), tabs and line breaks; notes left out."""
    out: list[str] = []
    stack = [(el, False)]
    # iterative walk: (element, done-with-children) so deep nesting cannot exhaust the stack
    while stack:
        node, done = stack.pop()
        if done:
            if node.tail and node is not el:
                out.append(node.tail)
            continue
        tag = node.tag
        if tag in (_q("text:note"), _q("office:annotation")):
            if node.tail:
                out.append(node.tail)
            continue
        if tag == _q("text:s"):
            out.append(" " * min(int(node.get(_q("text:c"), "1")), 100))
        elif tag == _q("text:tab"):
            out.append("\t")
        elif tag == _q("text:line-break"):
            out.append("\n")
        elif node.text:
            out.append(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node)))
    return "".join(out)


def read_odt_bytes(data: bytes, path: str | Path) -> ExtractedText:
    check_archive(data, path)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as e:
        raise UnreadableFile(path, f"damaged zip archive ({type(e).__name__})") from None
    with zf:
        content = _parse(zf, "content.xml", path)
        styles_root = _parse(zf, "styles.xml", path)
        meta = _parse(zf, "meta.xml", path)
    if content is None:
        raise UnreadableFile(path, "OpenDocument file without content.xml")
    out = TextBuilder("odt")
    out.properties = _meta_properties(meta)
    out.title = out.properties.get("title")
    body = content.find(f"{_q('office:body')}/{_q('office:text')}")
    if body is None:
        raise UnreadableFile(path, "OpenDocument file that is not a text document (no office:text)")
    _Content(out, _list_styles(content, styles_root)).walk(body)
    result = out.build()
    if not result.text.strip():
        raise UnreadableFile(path, "no text in this OpenDocument file")
    return result


def _meta_properties(meta) -> dict[str, str]:
    """Title, author, subject and creation date (YYYY-MM-DD) from meta.xml."""
    if meta is None:
        return {}
    out = {}
    for name, tag in (("title", "dc:title"), ("author", "meta:initial-creator"), ("subject", "dc:subject"),
                      ("created", "meta:creation-date")):
        el = meta.find(f".//{_q(tag)}")
        value = one_line(el.text or "") if el is not None and el.text else ""
        if value:
            out[name] = value[:10] if name == "created" else value
    return out


class _Content:
    """content.xml's body into the builder: paragraphs, headings, numbered lists and tables."""

    def __init__(self, out: TextBuilder, list_styles: dict[str, dict[int, dict]]):
        self.out, self.list_styles = out, list_styles
        self.counters: dict[str, list[int]] = {}  # list style -> counter per level (continued lists resume)
        self.tables = 0

    def walk(self, container, list_style: Optional[str] = None, depth: int = 0, in_cell: Optional[list] = None):
        # an explicit work list instead of recursion over arbitrarily deep lists and sections
        work: list[tuple[Element, Optional[str], int, Optional[str]]] = [
            (child, list_style, depth, None) for child in reversed(list(container))]
        while work:
            node, style, d, marker = work.pop()
            tag = node.tag
            if tag in (_q("text:p"), _q("text:h")):
                self.paragraph(node, d, marker, in_cell)
            elif tag == _q("text:list"):
                work.extend(reversed(self.list_items(node, style, d)))
            elif tag in (_q("text:list-item"), _q("text:list-header")):
                mk = _next_marker(self.list_styles.get(style or "", {}), self.counters.setdefault(style or "", []),
                                  d, node.get(_q("text:start-value"))) if tag == _q("text:list-item") else None
                children = list(node)
                for i, child in reversed(list(enumerate(children))):
                    work.append((child, style, d, mk if i == 0 else None))
            elif tag == _q("table:table"):
                if in_cell is not None:
                    in_cell.append(one_line(" ".join(node.itertext())))
                    continue
                self.table(node, self.tables)
                self.tables += 1
            elif tag in (_q("text:section"), _q("text:soft-page-break"), _q("text:table-of-content"),
                         _q("text:index-body")) or tag.endswith("}div"):
                work.extend((child, style, d, None) for child in reversed(list(node)))

    def paragraph(self, node, depth: int, marker: Optional[str], in_cell: Optional[list]) -> None:
        text = _inline_text(node)
        if in_cell is not None:
            for line in text.split("\n"):
                if one_line(line):
                    in_cell.append(f"{marker} {one_line(line)}" if marker else one_line(line))
                    marker = None
            return
        style = (node.get(_q("text:style-name")) or "").lower()
        layer = "contents" if style.startswith(("contents", "toc")) else "body"  # a table of contents
        for line in text.split("\n"):
            if node.tag == _q("text:h") and layer == "body":
                self.out.add("heading", line, level=int(node.get(_q("text:outline-level"), "1")))
            elif depth:
                self.out.add("list_item", line, level=depth, marker=marker, layer=layer)
            else:
                self.out.add("paragraph", line, layer=layer)
            marker = None

    def list_items(self, node, style: Optional[str], depth: int) -> list[tuple]:
        name = node.get(_q("text:style-name")) or style
        continues = node.get(_q("text:continue-numbering")) == "true" or node.get(_q("text:continue-list"))
        if not continues and depth == 0:
            self.counters.pop(name or "", None)
        return [(child, name, depth + 1, None) for child in node
                if child.tag in (_q("text:list-item"), _q("text:list-header"))]

    def table(self, tbl, number: int) -> None:
        rows: list[tuple[Element, bool]] = []
        for child in tbl:
            if child.tag == _q("table:table-header-rows"):
                rows += [(r, True) for r in child.iter(_q("table:table-row"))]
            elif child.tag == _q("table:table-row"):
                rows.append((child, False))
            elif child.tag == _q("table:table-rows"):
                rows += [(r, False) for r in child.iter(_q("table:table-row"))]
        for row, header in rows:
            cells = self.row_cells(row)
            times = min(int(row.get(_q("table:number-rows-repeated"), "1")), MAX_REPEAT)
            for _ in range(times if any(cells) else 1):
                self.out.add_row(cells, number, header=header)

    def row_cells(self, row) -> list[Optional[str]]:
        cells: list[Optional[str]] = []
        for cell in row:
            repeat = min(int(cell.get(_q("table:number-columns-repeated"), "1")), MAX_REPEAT)
            if cell.tag == _q("table:covered-table-cell"):
                cells.extend([None] * repeat)
                continue
            if cell.tag != _q("table:table-cell"):
                continue
            parts: list[str] = []
            self.walk(cell, None, 0, parts)
            span = int(cell.get(_q("table:number-columns-spanned"), "1"))
            for _ in range(repeat):
                cells.append("\n".join(parts))
                cells.extend([None] * (span - 1))
        while cells and cells[-1] in ("", None) and len(cells) > 1:
            cells.pop()  # spreadsheets-style trailing filler cells
        return cells


def _next_marker(levels: dict[int, dict], counter: list[int], depth: int, restart: Optional[str]) -> Optional[str]:
    """Advance the list's counter at `depth` (1-based) and return the printed marker."""
    lvl = levels.get(depth, {})
    while len(counter) < depth:
        counter.append(levels.get(len(counter) + 1, {}).get("start", 1) - 1)
    del counter[depth:]
    counter[depth - 1] = int(restart) if restart and restart.isdigit() else counter[depth - 1] + 1
    if "bullet" in lvl:
        return lvl["bullet"] or "•"
    if not lvl.get("fmt"):
        return None if not lvl else "•"
    return f"{lvl['prefix']}{format_number(counter[depth - 1], lvl['fmt'])}{lvl['suffix']}".strip() or None

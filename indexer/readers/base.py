"""What every reader shares: the refusal, the format decision, and the builder of structured text.

A reader turns a file's bytes into one `ExtractedText`: the document's text, where
each page starts in it, and its blocks (headings, paragraphs, list items, table rows),
each pointing at its span of the text. Formats with real structure (DOCX, ODT, HTML,
tables in PDFs) render their blocks into text with `TextBuilder`, so the chunker and
the citations see one kind of text whatever the source.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Optional, Sequence

from indexer.clean import normalise_unicode, strip_controls
from indexer.errors import UserError
from indexer.readers.formats import FORMATS, SUPPORTED_NAMES, by_suffix
from indexer.records import Block, ExtractedText

# A PDF page break in the extracted text; chunk offsets span it like any other char.
PAGE_SEPARATOR = "\n\n"
# Fewer printable characters than this means the bytes are not text.
_MIN_PRINTABLE = 0.95
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                         re.IGNORECASE | re.DOTALL)
_NOT_CONTAINER = {"pdf": "no %PDF header", "zip": "not a zip archive"}  # why a name's promise fails


class UnreadableFile(UserError):
    """The file cannot be indexed; `reason` says why in one line."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


def sniff_kind(data: bytes) -> str:
    """The kind of a file from its bytes, not its name: 'pdf', 'zip', 'text' or 'binary'."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf")
    if data[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        return "zip"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 with BOM
    if b"\x00" in data[:8192]:
        return "binary"
    sample = head[:4096]
    if not sample:
        return "text"
    decoded = sample.decode("utf-8", errors="ignore")
    printable = sum(1 for c in decoded if c.isprintable() or c in "\t\n\r\f")
    return "text" if printable >= _MIN_PRINTABLE * max(len(decoded), 1) else "binary"


def zip_format(data: bytes, path: str | Path) -> str:
    """The format of a zip archive, by the member that marks it (indexer.readers.formats); refuses any other."""
    zips = [f for f in FORMATS if f.container == "zip"]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            for f in zips:
                member, _, value = (f.zip_member or "").partition("=")
                if member in names and (not value or zf.read(member).strip() == value.encode()):
                    return f.name
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, ValueError, OSError) as e:
        raise UnreadableFile(path, f"damaged zip archive ({type(e).__name__}: {str(e)[:100]}); "
                                   f"{' or '.join(f.a_display for f in zips)} may be truncated") from None
    raise UnreadableFile(path, "a zip archive that is not " + " or ".join(
        f"{f.a_display} ({f.suffixes[0]})" for f in zips))


def detect_format(data: bytes, path: str | Path) -> str:
    """The format to read (an entry of indexer.readers.formats), decided by content first.

    The name only tells apart kinds of text (HTML from plain text) and names a mismatch:
    a file called .docx that is not a zip archive is refused, not read as something else.
    """
    if not data:
        raise UnreadableFile(path, "empty file (0 bytes)")
    suffix = Path(str(path)).suffix.lower()
    kind = sniff_kind(data)
    if kind == "pdf":
        return next(f.name for f in FORMATS if f.container == "pdf")
    if kind == "zip":
        return zip_format(data, path)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableFile(path, "an old binary Office file (.doc); save it as .docx or PDF")
    if kind == "binary":
        raise UnreadableFile(path, f"not a supported document (binary content); use {SUPPORTED_NAMES}")
    named = by_suffix(suffix)
    if named is not None and named.container != "text":
        raise UnreadableFile(path, f"named {suffix} but is not {named.a_display} ({_NOT_CONTAINER[named.container]})")
    if (named is not None and named.name == "html") or _HTML_START.match(data[:4096].lstrip(b"\xef\xbb\xbf")):
        return "html"
    if named is None:
        raise UnreadableFile(path, f"unsupported file type '{suffix or '(none)'}' (use {SUPPORTED_NAMES})")
    return named.name


def one_line(text: str) -> str:
    """Inline text as one clean line: NFC, no control characters, whitespace collapsed."""
    return " ".join(strip_controls(normalise_unicode(text)).split())


class TextBuilder:
    """Renders blocks into a document text and records where each one is.

    Paragraphs, headings and list items are separated by a blank line (the chunker's
    cue for a heading standing alone); consecutive rows of one table by a line break,
    their cells joined by tabs; pages (for formats that have them) by PAGE_SEPARATOR.
    """

    def __init__(self, fmt: str, exact_tables: bool = True):
        self.format = fmt
        self.exact_tables = exact_tables
        self._parts: list[str] = []
        self._len = 0
        self.blocks: list[Block] = []
        self.page_starts: list[int] = []
        self._page: Optional[int] = None
        self._gap = False
        self.title: Optional[str] = None
        self.properties: dict[str, str] = {}

    @property
    def page(self) -> Optional[int]:
        return self._page

    def _emit(self, s: str) -> None:
        self._parts.append(s)
        self._len += len(s)

    def add(self, kind: str, text: str, *, level: Optional[int] = None, marker: Optional[str] = None,
            cells: Sequence[Optional[str]] = (), table: Optional[int] = None, header: bool = False,
            pages: Optional[tuple[int, ...]] = None, layer: str = "body") -> Optional[Block]:
        if kind == "table_row":
            text = text.replace("\n", " ")  # its cells are clean already; the tabs between them stay
        else:
            text = one_line(text)
            if not text:
                return None
        if kind == "list_item" and marker:
            text = f"{marker} {text}".strip()
        prev = self.blocks[-1] if self.blocks else None
        if prev is not None and self._len and not (self._parts and self._parts[-1] == PAGE_SEPARATOR):
            same_table = kind == "table_row" and prev.kind == "table_row" and prev.table == table
            self._emit("\n" if same_table else "\n\n")
        start = self._len
        self._emit(text)
        if pages is None:
            pages = (self._page,) if self._page else ()
        block = Block(kind, start, self._len, pages, level, marker, tuple(cells), table, header, self._gap, layer)
        self._gap = False
        self.blocks.append(block)
        return block

    def add_row(self, cells: Sequence[Optional[str]], table: int, header: bool = False,
                pages: Optional[tuple[int, ...]] = None) -> Optional[Block]:
        cells = [None if c is None else "\n".join(one_line(p) for p in c.split("\n") if one_line(p)) for c in cells]
        if not any(cells):
            return None
        line = "\t".join((c or "").replace("\n", " ") for c in cells)
        return self.add("table_row", line, cells=cells, table=table, header=header, pages=pages)

    def build(self) -> ExtractedText:
        properties = {k: v for k, v in self.properties.items() if v}
        if self.title and "title" not in properties:
            properties["title"] = self.title
        return ExtractedText("".join(self._parts), tuple(self.page_starts), tuple(self.blocks), self.format,
                             self.exact_tables, self.title, properties)


def roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                       (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def letters(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa (the way Word and browsers letter lists)."""
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(ord("a") + r) + s
    return s


def format_number(n: int, style: str) -> str:
    """A list counter as printed: style is decimal | lower-alpha | upper-alpha | lower-roman | upper-roman."""
    if style == "lower-alpha":
        return letters(n)
    if style == "upper-alpha":
        return letters(n).upper()
    if style == "lower-roman":
        return roman(n)
    if style == "upper-roman":
        return roman(n).upper()
    return str(n)

"""Read a file into text: PDF page by page with pypdf, plain text and markdown.

A file that cannot be read raises `UnreadableFile` with the reason in words a
person can act on; the indexer reports it and goes on with the other files.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from indexer.clean import normalise_unicode, strip_controls
from indexer.records import ExtractedText

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES
# Fewer printable characters than this means the bytes are not text.
_MIN_PRINTABLE = 0.95
# A multi-byte UTF-8 sequence (rare in cp1252 text: it would read as mojibake such as "Ã©").
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# A PDF page break in the extracted text; chunk offsets span it like any other char.
PAGE_SEPARATOR = "\n\n"


class UnreadableFile(Exception):
    """The file cannot be indexed; `reason` says why in one line."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


def sniff_kind(data: bytes) -> str:
    """Decide the kind of a file from its bytes, not its name: 'pdf', 'text' or 'binary'."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf")
    if data[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 with BOM
    if b"\x00" in data[:8192]:
        return "binary"
    sample = head[:4096]
    if not sample:
        return "text"
    try:
        decoded = sample.decode("utf-8", errors="ignore")
    except Exception:  # pragma: no cover - decode with ignore cannot fail
        return "binary"
    printable = sum(1 for c in decoded if c.isprintable() or c in "\t\n\r\f")
    return "text" if printable >= _MIN_PRINTABLE * max(len(decoded), 1) else "binary"


def decode_text(data: bytes, path: str | Path, fallback: str = "cp1252") -> str:
    """Decode strictly: a BOM, else UTF-8, else the declared fallback; never garble silently."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise UnreadableFile(path, f"invalid UTF-16 text ({e.reason})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _UTF8_SEQUENCE.search(data):  # valid UTF-8 beside invalid bytes: decoding either way garbles part
        raise UnreadableFile(path, "mixed text encodings (part UTF-8, part not); save it as UTF-8")
    try:
        return data.decode(fallback)
    except UnicodeDecodeError:
        raise UnreadableFile(path, f"unsupported text encoding (not UTF-8 or {fallback})") from None


def read_text_bytes(data: bytes, path: str | Path) -> ExtractedText:
    text = strip_controls(normalise_unicode(decode_text(data, path)))
    if not text.strip():
        raise UnreadableFile(path, "empty file (no text)")
    return ExtractedText(text=text)


def read_pdf_bytes(data: bytes, path: str | Path, max_pages: int = 2000, max_chars: int = 20_000_000) -> ExtractedText:
    """Extract a PDF page by page, keeping where each page starts."""
    import io

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
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for i, page in enumerate(reader.pages):
        try:
            t = page.extract_text() or ""
        except Exception as e:
            raise UnreadableFile(path, f"corrupt PDF: page {i + 1} cannot be read ({type(e).__name__})") from None
        t = strip_controls(normalise_unicode(t)).replace("\f", "\n")
        starts.append(offset)
        parts.append(t)
        offset += len(t) + len(PAGE_SEPARATOR)
        if offset > max_chars:
            raise UnreadableFile(path, f"PDF text exceeds the limit of {max_chars:,} characters")
    text = PAGE_SEPARATOR.join(parts)
    if not text.strip():
        raise UnreadableFile(path, "no extractable text (scanned or image-only PDF; OCR it first)")
    return ExtractedText(text=text, page_starts=tuple(starts))


def read_bytes(data: bytes, path: str | Path) -> ExtractedText:
    """Read a file's bytes; the kind is decided by content, the name only refines text kinds."""
    if not data:
        raise UnreadableFile(path, "empty file (0 bytes)")
    kind = sniff_kind(data)
    if kind == "pdf":
        return read_pdf_bytes(data, path)
    if kind == "binary":
        raise UnreadableFile(path, "not a text or PDF file (binary content)")
    suffix = Path(str(path)).suffix.lower()
    if suffix in PDF_SUFFIXES:
        raise UnreadableFile(path, "named .pdf but is not a PDF (no %PDF header)")
    if suffix not in TEXT_SUFFIXES:
        raise UnreadableFile(path, f"unsupported file type '{suffix or '(none)'}' (use .pdf, .txt or .md)")
    return read_text_bytes(data, path)


def read_file(path: str | Path) -> ExtractedText:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise UnreadableFile(path, f"cannot open file ({e.strerror or e})") from None
    return read_bytes(data, path)

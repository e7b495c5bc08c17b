"""Plain text and markdown, decoded strictly; blocks are its lines.

A line holding tabs is a table row (the cells are the tab-separated parts, kept raw:
extractions of action plans carry HTML fragments inside cells); a markdown table line
("| a | b |") is a table row too. Two or more blank lines before a line are a gap, where
a page break usually was.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Iterable

from indexer.clean import normalise_unicode, strip_controls
from indexer.readers.base import UnreadableFile
from indexer.records import Block, ExtractedText

# A multi-byte UTF-8 sequence (rare in cp1252 text: it would read as mojibake such as "Ã©").
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_PIPE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")


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


def line_blocks(text: str, pages_for=None, page_breaks: Iterable[int] = ()) -> list[Block]:
    """One block per non-blank line of `text`: a table row when it has tabs or is a markdown table line.

    `pages_for(start, end)` gives a line's pages (PDF text); `page_breaks` holds offsets where
    a page starts, so the first line after one is marked as following a gap.
    """
    blocks: list[Block] = []
    pos = 0
    blank = 0
    pending_break = False
    breaks = sorted(page_breaks)
    nb = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        while nb < len(breaks) and breaks[nb] <= end:
            pending_break = True
            nb += 1
        if not raw.strip():
            blank += 1
            continue
        pages = pages_for(start, end) if pages_for else ()
        gap = blank >= 2 or pending_break
        blank, pending_break = 0, False
        if "\t" in raw:
            blocks.append(Block("table_row", start, end, pages, cells=tuple(raw.split("\t")), gap_before=gap))
            continue
        m = _PIPE_ROW.match(raw)
        if m:
            cells = tuple(c.strip() for c in m.group(1).split("|"))
            blocks.append(Block("table_row", start, end, pages, cells=cells, gap_before=gap))
            continue
        blocks.append(Block("paragraph", start, end, pages, gap_before=gap))
    return blocks


def read_text_bytes(data: bytes, path: str | Path) -> ExtractedText:
    text = strip_controls(normalise_unicode(decode_text(data, path)))
    if not text.strip():
        raise UnreadableFile(path, "empty file (no text)")
    return ExtractedText(text=text, blocks=tuple(line_blocks(text)), format="text")

"""Readers: one per format, one interface.

    read_bytes(data, path) -> ExtractedText      # text, page starts, blocks; or UnreadableFile

The format is decided by the bytes (`detect_format`): a PDF is a PDF whatever its
name, a zip is a Word or OpenDocument file by what it holds; the name only tells
HTML from plain text. Every reader returns the same structured document
(`indexer.records.ExtractedText`), so the chunker, the action-plan row parser and
the report-recommendation reader never ask where a block came from.

These functions parse in the calling process; the indexer calls them through
`indexer.readers.isolated.read_document`, which runs every format but plain text in a
child process with time, memory and size limits.
"""
from __future__ import annotations

from pathlib import Path

from indexer.readers.base import PAGE_SEPARATOR, UnreadableFile, detect_format, sniff_kind
from indexer.readers.formats import SUPPORTED_NAMES, SUPPORTED_SUFFIXES, by_name
from indexer.readers.layout import mark_layout
from indexer.readers.text import decode_text, read_text_bytes
from indexer.records import ExtractedText

__all__ = ["PAGE_SEPARATOR", "SUPPORTED_NAMES", "SUPPORTED_SUFFIXES", "UnreadableFile", "decode_text",
           "detect_format", "read_bytes", "read_file", "read_format", "read_text_bytes", "sniff_kind",
           "reader_settings"]


def read_format(fmt: str, data: bytes, path: str | Path, max_pages: int = 2000,
                max_chars: int = 20_000_000) -> ExtractedText:
    """Read `data` as format `fmt` (one of detect_format's answers) with that format's reader; page furniture
    and contents lines labelled (indexer/readers/layout.py)."""
    entry = by_name(fmt)
    limits = {"max_pages": max_pages, "max_chars": max_chars}
    result = entry.read_function()(data, path, **{k: limits[k] for k in entry.limits})
    if len(result.text) > max_chars:
        raise UnreadableFile(path, f"document text exceeds the limit of {max_chars:,} characters")
    return mark_layout(result)


def read_bytes(data: bytes, path: str | Path) -> ExtractedText:
    """Read a file's bytes in this process (no limits beyond the readers' own)."""
    return read_format(detect_format(data, path), data, path)


def read_file(path: str | Path) -> ExtractedText:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise UnreadableFile(path, f"cannot open file ({e.strerror or e})") from None
    return read_bytes(data, path)


def reader_settings() -> dict:
    """What the readers do, recorded in the index manifest: a change re-reads the documents."""
    from indexer.readers.pdf import READER_SETTINGS

    return {"pdf": READER_SETTINGS, "formats": sorted(SUPPORTED_SUFFIXES), "layout": "furniture, contents",
            "version": 2}

"""Every document format the project reads, in one table.

    FORMATS            # the entries, in the order people are told about them
    by_name("pdf")     # one entry
    by_suffix(".htm")  # the entry a file name points at, or None

An entry says how the format is recognised (its container, and for a zip what member makes it
this format), which function reads it, whether it is read in a child process with limits,
what a person calls it, and what a stored upload of it is named. Recognising a file
(`indexer.readers.base.detect_format`), reading it (`indexer.readers.read_format` and the
child process of `indexer.readers.isolated`), storing an upload (`indexer.uploads`), finding
files to index (`indexer.build.intake`), the CLI's help and the app's upload control all read
this table: a new format is one entry here and one reader module (tests/test_formats.py checks
that every entry has a reader and every reader an entry).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from indexer.records import ExtractedText


@dataclass(frozen=True)
class Format:
    name: str  # what detect_format answers: "pdf"
    display: str  # what a person calls it: "PDF"
    suffixes: tuple[str, ...]  # file names it goes by; the first is what a stored upload is named
    reader: str  # "module:function", the function taking (data, path, **limits) -> ExtractedText
    container: str  # what its bytes look like: "pdf" (a %PDF header), "zip", or "text"
    zip_member: Optional[str] = None  # a zip holding this member is this format ("mimetype=..." checks the value)
    isolated: bool = True  # parsed in a child process under time, memory and size limits
    paged: bool = False  # has pages, so citations name them
    limits: tuple[str, ...] = ()  # keyword limits its reader takes (max_pages, max_chars)
    shown: tuple[str, ...] = ()  # the suffixes named in help texts (default: the first)

    @property
    def a_display(self) -> str:
        return ("an " if self.display[0].lower() in "aeiou" else "a ") + self.display

    def read_function(self) -> Callable[..., ExtractedText]:
        module, _, func = self.reader.partition(":")
        return getattr(importlib.import_module(module), func)

    def stored_suffix(self, display_name: str) -> str:
        """What an upload of this format is stored as: its own name's suffix if it is one of ours."""
        suffix = Path(display_name).suffix.lower()
        return suffix if suffix in self.suffixes else self.suffixes[0]


FORMATS: tuple[Format, ...] = (
    Format("pdf", "PDF", (".pdf",), "indexer.readers.pdf:read_pdf_bytes", "pdf", paged=True,
           limits=("max_pages", "max_chars")),
    Format("docx", "Word document", (".docx",), "indexer.readers.docx:read_docx_bytes", "zip",
           zip_member="word/document.xml"),
    Format("odt", "OpenDocument file", (".odt",), "indexer.readers.odt:read_odt_bytes", "zip",
           zip_member="mimetype=application/vnd.oasis.opendocument.text"),
    Format("html", "web page", (".html", ".htm", ".xhtml"), "indexer.readers.html:read_html_bytes", "text"),
    Format("text", "text file", (".txt", ".md", ".markdown"), "indexer.readers.text:read_text_bytes", "text",
           isolated=False, shown=(".txt", ".md")),
)
_BY_NAME = {f.name: f for f in FORMATS}
_BY_SUFFIX = {s: f for f in FORMATS for s in f.suffixes}
SUPPORTED_SUFFIXES = frozenset(_BY_SUFFIX)
_SHOWN = [s for f in FORMATS for s in (f.shown or f.suffixes[:1])]
SUPPORTED_NAMES = ", ".join(_SHOWN[:-1]) + " or " + _SHOWN[-1]  # ".pdf, .docx, .odt, .html, .txt or .md"
# for help texts and the app: "PDF (.pdf), Word document (.docx), ..., text file (.txt, .md)"
DESCRIBED = ", ".join(f"{f.display} ({', '.join(f.shown or f.suffixes[:1])})" for f in FORMATS)


def by_name(name: str) -> Format:
    return _BY_NAME[name]


def by_suffix(suffix: str) -> Optional[Format]:
    return _BY_SUFFIX.get(suffix.lower())

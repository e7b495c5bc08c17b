"""A cited passage where it stands in its source: the PDF page, rendered, with the cited sentence
highlighted; for a web page, Word, OpenDocument or text file, the section with it marked.

    view = open_original(searcher, chunk_id, span=(120, 260))   # span: the cited sentence in the passage

People trust what they can see on the page. The file is read again from where it was indexed and
only when its bytes are still the ones indexed (its SHA-256); otherwise, or when it is gone, the
view says so and the passage as indexed stands in for it. Reading goes through the indexer's
isolated reader (time and memory limits), and the last few documents read are kept.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from indexer.records import Chunk, Document, ExtractedText
from ui.originals.pdf_page import Box, find_on_pages, render_page
from ui.originals.section import Section, section_of

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from search.retrieval.searcher import Searcher

__all__ = ["Box", "PageView", "SectionView", "Unavailable", "OriginalView", "open_original"]


@dataclass(frozen=True)
class Source:
    """What every view names: the document and the passage's place in it."""

    document: Document
    chunk: Chunk
    cited: str  # the text to find: the cited sentence, or the whole passage


@dataclass(frozen=True)
class PageView:
    source: Source
    page: int  # 1-based
    pages: int  # in the document
    png: bytes
    width: int
    height: int
    boxes: tuple[Box, ...]
    highlighted: str  # the words under the boxes


@dataclass(frozen=True)
class SectionView:
    source: Source
    section: Section


@dataclass(frozen=True)
class Unavailable:
    source: Optional[Source]
    reason: str  # a sentence for the person: why the original cannot be shown


OriginalView = Union[PageView, SectionView, Unavailable]

_CACHE: "OrderedDict[tuple[str, str], ExtractedText]" = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHE_SIZE = 6  # documents kept read (a person opens the sources of one answer in turn)


def open_original(searcher: Searcher, chunk_id: str, span: Optional[tuple[int, int]] = None) -> OriginalView:
    """The original of passage `chunk_id` of the searcher's index, `span` (offsets in the passage's text)
    the part to highlight; the whole passage without one."""
    chunk = searcher.chunk(chunk_id) if chunk_id else None
    document = searcher.document(chunk.doc_id) if chunk else None
    if chunk is None or document is None:
        return Unavailable(None, "That passage is no longer in the index; search or ask again.")
    if span and 0 <= span[0] < span[1] <= len(chunk.text):
        cited = chunk.text[span[0]:span[1]]
    else:
        cited = chunk.text
    source = Source(document, chunk, cited)
    data = _read(document)
    if isinstance(data, str):
        return Unavailable(source, data)
    if data[:5] == b"%PDF-":
        return _pdf_view(source, data)
    return _section_view(source, data)


def _read(document: Document) -> bytes | str:
    """The file's bytes, or why they cannot be used."""
    path = Path(document.path)
    try:
        data = path.read_bytes()
    except OSError:
        return "The original file is not on the server any more; this is the passage as it was indexed."
    if hashlib.sha256(data).hexdigest() != document.sha256:
        return ("The file has changed since it was indexed, so the passage cannot be placed in it; "
                "this is the passage as it was indexed.")
    return data


def _pdf_view(source: Source, data: bytes) -> OriginalView:
    pages = source.chunk.pages or (1,)
    try:
        match = find_on_pages(data, pages, source.cited)
        png, width, height, n_pages = render_page(data, match.page)
    except Exception:  # a PDF that was readable when indexed but that PDFium refuses: say so, keep the passage
        from ui.errors import log_internal_error

        log_internal_error("original")
        return Unavailable(source, "The page could not be drawn; this is the passage as it was indexed.")
    return PageView(source, match.page, n_pages, png, width, height, match.boxes, match.words)


def _section_view(source: Source, data: bytes) -> OriginalView:
    from indexer.readers import UnreadableFile

    try:
        doc = _extracted(source.document, data)
    except UnreadableFile as e:
        return Unavailable(source, f"The file could not be read again ({e.reason}); this is the passage as "
                                   "it was indexed.")
    c = source.chunk
    whole = source.cited == c.text
    return SectionView(source, section_of(doc, c.start, c.end, None if whole else source.cited))


def _extracted(document: Document, data: bytes) -> ExtractedText:
    from indexer.readers.isolated import read_document

    key = (document.path, document.sha256)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    doc = read_document(data, document.path)
    with _CACHE_LOCK:
        _CACHE[key] = doc
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return doc

"""Page furniture and contents lines, recognised whatever the format: labelled, never deleted.

    doc = mark_layout(doc)        # blocks that are furniture get layer "furniture" or "contents"

docling and unstructured label running headers, footers and page numbers as a layer of their own
(content_layer "furniture"; Header, Footer, PageNumber elements) rather than drop them: the text
keeps them, so offsets and pages still hold, and each consumer leaves them out of what it builds.
Here: passages and their embeddings (indexer.text.chunker), titles and dates
(indexer.extract.metadata), recommendations (indexer.extract.report_recs) and the text compared
for duplicate files (indexer.extract.fingerprint) never see a furniture block.

- **Running headers and footers** (paged formats): a line among the first or last two of a page
  whose text, digits masked, comes back at the edge of at least FURNITURE_SHARE of the pages (and
  of two pages at least), unless it starts in lower case (a sentence read on from the line before);
  a line that is only a page number ("7", "Page 7 of 11") at a page's edge. The PDF reader labels
  these on its lines before it looks for headings (indexer/readers/pdf.py), so a cover title that
  says what the running header says stays the title.
- **Contents** (every format): a line ending in a dot leader and a page number ("3. Workload ......
  8"), the "Contents" heading itself, and the lines after it that end in a page number; Word's TOC
  styles are marked by its reader.

Plain text has no pages here (its page breaks are only guessed from blank lines), so only its
contents lines are marked.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import replace
from typing import Optional, Sequence

from indexer.records import Block, ExtractedText

FURNITURE = "furniture"
CONTENTS = "contents"
FURNITURE_SHARE = 0.4  # of the pages: a line repeated at the edge of this many pages is a running header
EDGE_LINES = 2  # how many lines at the top and at the bottom of a page can be furniture
_PAGE_NUMBER = re.compile(r"(?:page\s+)?#(?:\s*(?:of|/)\s*#)?|-\s*#\s*-|#\s*\|.*|.*\|\s*#", re.IGNORECASE)
_LEADER = re.compile(r"^\S.{0,150}?\s*(?:\.{3,}|…{2,}|(?:\.\s){3,}|_{3,}|·{3,})\s*(?:\d{1,4}|[ivxlc]{1,6})\s*$",
                     re.IGNORECASE)
_CONTENTS_HEADING = re.compile(r"^\s*(?:table\s+of\s+)?contents\s*$", re.IGNORECASE)
_ENDS_IN_PAGE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?[^\d\s].{0,150}?\s\d{1,3}\s*$")


def _key(text: str) -> str:
    """A line with its digits masked and spacing and case ignored: "Page 3 of 11" -> "page # of #"."""
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def furniture_indexes(text: str, blocks: Sequence[Block], n_pages: int) -> set[int]:
    """Indexes of blocks that are running headers, footers or page numbers (see the module docstring)."""
    if n_pages < 2:
        return set()
    by_page: dict[int, list[int]] = {}
    for i, b in enumerate(blocks):
        if b.pages and b.kind != "table_row":
            by_page.setdefault(b.pages[0], []).append(i)
    edges = {p: set(idx[:EDGE_LINES] + idx[-EDGE_LINES:]) for p, idx in by_page.items()}
    keys = {i: _key(text[blocks[i].start:blocks[i].end]) for e in edges.values() for i in e}
    seen = Counter(k for e in edges.values() for k in {keys[i] for i in e})
    need = max(2, math.ceil(FURNITURE_SHARE * n_pages))
    # a running header or footer does not start in lower case (a body line read on from the line before does)
    return {i for e in edges.values() for i in e
            if keys[i] and (seen[keys[i]] >= need and not text[blocks[i].start:blocks[i].end].lstrip()[:1].islower()
                            or _PAGE_NUMBER.fullmatch(keys[i]))}


def contents_indexes(text: str, blocks: Sequence[Block], skip: Optional[set[int]] = None) -> set[int]:
    """Indexes of the blocks of a contents page (see the module docstring)."""
    out: set[int] = set()
    in_contents = False
    for i, b in enumerate(blocks):
        if i in (skip or ()) or b.kind == "table_row" and not in_contents:
            continue
        line = " ".join(text[b.start:b.end].replace("\t", " ").split())
        if b.layer == CONTENTS or _LEADER.match(line):
            out.add(i)
            in_contents = True
        elif _CONTENTS_HEADING.match(line):
            out.add(i)
            in_contents = True
        elif in_contents and _ENDS_IN_PAGE.match(line) and len(line.split()) <= 14:
            out.add(i)
        else:
            in_contents = False
    return out


def mark_layout(doc: ExtractedText) -> ExtractedText:
    """The document with its furniture and contents blocks labelled (idempotent)."""
    blocks = list(doc.blocks)
    # PDF: labelled by its reader, line by line, before headings joined lines; text: no pages
    paged = doc.format not in ("text", "pdf")
    furniture = furniture_indexes(doc.text, blocks, len(doc.page_starts)) if paged else set()
    contents = contents_indexes(doc.text, blocks, furniture)
    marks = {**{i: CONTENTS for i in contents}, **{i: FURNITURE for i in furniture}}
    if all(blocks[i].layer == layer for i, layer in marks.items()):
        return doc
    return replace(doc, blocks=tuple(replace(b, layer=marks[i]) if i in marks else b for i, b in enumerate(blocks)))


def body_text(doc: ExtractedText) -> str:
    """The document's text with its furniture blanked out (same length, line breaks kept), so offsets
    into it are offsets into the text."""
    spans = [(b.start, b.end) for b in doc.blocks if b.furniture]
    if not spans:
        return doc.text
    chars = list(doc.text)
    for s, e in spans:
        for k in range(s, e):
            if chars[k] != "\n":
                chars[k] = " "
    return "".join(chars)

"""A web page, Word, OpenDocument or text file as people see it: the section around a passage, its
headings, paragraphs, list items and table rows, with the cited text marked.

The reader's blocks say where each heading, paragraph, list item and table row stands in the
document's text; a chunk's offsets point into that same text, so the blocks the passage covers are
known exactly. The cited sentence is then found among the words shown (cleaned of markup), as for
a PDF page (ui.originals.align).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from indexer.clean import clean_inline
from indexer.records import Block, ExtractedText
from ui.originals.align import matched_words

CONTEXT_BLOCKS = 12  # blocks shown before and after the passage at most, up to the section's headings
_WORD = re.compile(r"\S+")
_MD_HEADING = re.compile(r"^\s*(#{1,6})\s+")


@dataclass(frozen=True)
class Piece:
    """One rendered text: a heading, paragraph or list item, or one cell of a table row."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()  # spans of `text` to mark (the cited words)


@dataclass(frozen=True)
class SectionBlock:
    kind: str  # heading | paragraph | list_item | table_row
    pieces: tuple[Piece, ...]  # one piece, or a table row's cells
    level: Optional[int] = None
    marker: Optional[str] = None
    table: Optional[int] = None
    in_passage: bool = False  # the block is part of the cited passage
    labels: tuple[str, ...] = ()  # a table row's column names (its table's header row), when the format has them


@dataclass(frozen=True)
class Section:
    blocks: tuple[SectionBlock, ...]
    cut_before: bool  # the section goes on above what is shown
    cut_after: bool
    found: bool  # the cited text was found and marked


def _is_heading(b: Block, raw: str) -> bool:
    return b.kind == "heading" or bool(_MD_HEADING.match(raw))


def _window(doc: ExtractedText, start: int, end: int) -> tuple[int, int, list[int]]:
    """(first, last) block indices to show and the blocks the passage covers."""
    blocks = doc.blocks
    covered = [i for i, b in enumerate(blocks) if b.start < end and b.end > start]
    if not covered:  # between blocks (a text without structure): the nearest one
        nearest = min(range(len(blocks)), key=lambda i: abs(blocks[i].start - start))
        covered = [nearest]
    first = covered[0]
    while first > 0 and covered[0] - first < CONTEXT_BLOCKS and not _is_heading(blocks[first], _raw(doc, first)):
        first -= 1
    last = covered[-1]
    while (last + 1 < len(blocks) and last - covered[-1] < CONTEXT_BLOCKS
           and not _is_heading(blocks[last + 1], _raw(doc, last + 1))):
        last += 1
    return first, last, covered


def _raw(doc: ExtractedText, i: int) -> str:
    b = doc.blocks[i]
    return doc.text[b.start:b.end]


def _pieces(doc: ExtractedText, b: Block) -> list[str]:
    raw = doc.text[b.start:b.end]
    if b.kind == "table_row":
        cells = [c if c is not None else "" for c in b.cells] if b.cells else raw.split("\t")
        return [clean_inline(c) for c in cells]
    return [clean_inline(_MD_HEADING.sub("", raw))]


def _labels(doc: ExtractedText, b: Block) -> tuple[str, ...]:
    """The header row's cells of the table `b` is a row of, when its format marks one and it fits the row."""
    if b.kind != "table_row" or b.table is None:
        return ()
    head = next((h for h in doc.blocks if h.kind == "table_row" and h.table == b.table and h.header), None)
    if head is None or len(head.cells) != len(b.cells):
        return ()
    return tuple(clean_inline(c or "") for c in head.cells)


def section_of(doc: ExtractedText, start: int, end: int, target: Optional[str]) -> Section:
    """The blocks around the passage [start, end) of `doc`, with `target` (the cited sentence) marked."""
    if not doc.blocks:
        return _plain(doc, start, end, target)
    first, last, covered = _window(doc, start, end)
    texts = [_pieces(doc, doc.blocks[i]) for i in range(first, last + 1)]
    # the cited words are looked for in the passage's own blocks first, then in all that is shown
    inside = [k for k, i in enumerate(range(first, last + 1)) if i in covered]
    marks, found = _mark(texts, target, inside) if target else ({}, False)
    shown = []
    for k, i in enumerate(range(first, last + 1)):
        b = doc.blocks[i]
        kind = "heading" if _is_heading(b, _raw(doc, i)) else b.kind
        pieces = tuple(Piece(t, tuple(marks.get((k, c), ()))) for c, t in enumerate(texts[k]))
        if not any(p.text for p in pieces):
            continue
        labels = _labels(doc, b)
        if b.header and labels:
            continue  # its cells label the rows shown
        shown.append(SectionBlock(kind, pieces, b.level, b.marker, b.table, i in covered, labels))
    return Section(tuple(shown), first > 0 and not _is_heading(doc.blocks[first], _raw(doc, first)),
                   last + 1 < len(doc.blocks) and not _is_heading(doc.blocks[last + 1], _raw(doc, last + 1)), found)


def _mark(texts: list[list[str]], target: str, inside: list[int]) -> tuple[dict, bool]:
    """Spans to mark per (block, piece): the words that spell out `target`."""
    for scope in (inside, range(len(texts))):
        words = [(k, c, m.start(), m.end(), m.group()) for k in scope for c, t in enumerate(texts[k])
                 for m in _WORD.finditer(t)]
        found, n = matched_words(target, [w[4] for w in words])
        if n:
            marks: dict[tuple[int, int], list[tuple[int, int]]] = {}
            for i in found:
                k, c, a, b, _ = words[i]
                spans = marks.setdefault((k, c), [])
                if spans and i - 1 in found and words[i - 1][:2] == (k, c):
                    spans[-1] = (spans[-1][0], b)  # a run of words is one mark, spaces included
                else:
                    spans.append((a, b))
            return marks, True
    return {}, False


def _plain(doc: ExtractedText, start: int, end: int, target: Optional[str]) -> Section:
    """A text without blocks: the passage with a little of what surrounds it, as paragraphs."""
    lo, hi = max(0, start - 600), min(len(doc.text), end + 600)
    paras = [p for p in doc.text[lo:hi].split("\n\n") if p.strip()]
    blocks = tuple(SectionBlock("paragraph", (Piece(clean_inline(p)),)) for p in paras)
    texts = [[b.pieces[0].text] for b in blocks]
    marks, found = _mark(texts, target, list(range(len(texts)))) if target else ({}, False)
    blocks = tuple(SectionBlock("paragraph", (Piece(t[0], tuple(marks.get((k, 0), ()))),), in_passage=True)
                   for k, t in enumerate(texts))
    return Section(blocks, lo > 0, hi < len(doc.text), found)

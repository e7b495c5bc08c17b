"""Headings in a PDF, from how its lines are printed: font size and weight.

    text, styles = page_text(page)      # pypdf's text of the page, and each line's LineStyle (or None)
    levels = heading_levels(lines)      # line index -> heading level, for the lines printed as headings

PDF has no heading markup: docling and unstructured both tell a title from body text by its
layout before they decide what a list item is, and a numbered line printed as a heading
("2. Recruitment and vetting" in 16 pt bold) is a heading, not a list item. pypdf reports, for
every piece of text it extracts, the font and the text matrices in force (`visitor_text`), so the
size and weight of each line come from the same pass that extracts the text: no second parser.
(pdfplumber's `page.chars` carry the same facts, at about ten times the cost a page; it is used
on the pages with ruled tables, where it runs anyway.)

A line is a heading when it is short (HEADING_MAX_WORDS) and either printed larger than the body
text (by HEADING_RATIO of the body size, the size most characters of the document are printed in)
or, at body size, wholly bold, alone (the line before it ends a sentence or is a heading) and not
numbered like a list item nor ending in ":" (an addressee line). Sizes rank the levels: the
largest heading size is level 1; bold body-size headings come after every larger size.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

HEADING_RATIO = 1.15  # a heading is printed at least this much larger than the body text
HEADING_MAX_WORDS = 20
BOLD_HEADING_MAX_WORDS = 12
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demibold|demi\b|,b\b", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(?:\(?\d{1,2}(?:\.\d{1,2})*[.)]|\(?[a-z][.)]|[•·▪◦\-–*])\s")


@dataclass(frozen=True)
class LineStyle:
    size: float  # points, the size most of the line's characters are printed in (rounded to 0.5)
    bold: bool  # most of the line's characters are in a bold font
    chars: int  # characters counted (not spaces)


def _scale(m: Sequence[float]) -> float:
    return math.hypot(m[2], m[3]) if len(m) >= 4 else 1.0


def page_text(page) -> tuple[str, list[Optional[LineStyle]]]:
    """The page's text as pypdf extracts it, and the style of each of its lines (split on "\\n"); a
    line's style is None when pypdf reported nothing for it (or the pieces do not add up to the text)."""
    pieces: list[tuple[str, float, bool]] = []

    def visit(text, cm, tm, font_dict, font_size):
        name = str(font_dict.get("/BaseFont", "")) if font_dict else ""
        size = float(font_size or 0) * _scale(tm or ()) * _scale(cm or ())
        pieces.append((text, size, bool(BOLD_FONT.search(name))))

    text = page.extract_text(visitor_text=visit) or ""
    if "".join(p[0] for p in pieces) != text:
        return text, [None] * len(text.split("\n"))
    styles: list[Optional[LineStyle]] = []
    line: list[tuple[int, float, bool]] = []
    for chunk, size, is_bold in pieces:
        for k, part in enumerate(chunk.split("\n")):
            if k:
                styles.append(line_style(line))
                line = []
            line.append((sum(1 for c in part if not c.isspace()), size, is_bold))
    styles.append(line_style(line))
    return text, styles


def line_style(pieces: Iterable[tuple[int, float, bool]]) -> Optional[LineStyle]:
    """A line's style from its pieces: (characters, size, bold) each."""
    sizes: Counter = Counter()
    bold = 0
    for n, size, is_bold in pieces:
        sizes[round(size * 2) / 2] += n
        bold += n if is_bold else 0
    chars = sum(sizes.values())
    return LineStyle(sizes.most_common(1)[0][0], bold >= 0.8 * chars, chars) if chars else None


def body_size(styles: Sequence[Optional[LineStyle]]) -> Optional[float]:
    """The size most characters are printed in."""
    counts: Counter = Counter()
    for s in styles:
        if s is not None:
            counts[s.size] += s.chars
    return counts.most_common(1)[0][0] if counts else None


def heading_levels(lines: Sequence[tuple[str, Optional[LineStyle]]]) -> dict[int, int]:
    """Line index -> heading level, over a document's lines in reading order (text, style); lines that
    cannot be headings (table rows, furniture) are given with style None."""
    body = body_size([s for _, s in lines])
    if body is None:
        return {}
    large: dict[int, float] = {}
    bold: set[int] = set()
    for i, (text, style) in enumerate(lines):
        words = text.split()
        if style is None or not words or not re.search(r"[A-Za-z]", text) or len(words) > HEADING_MAX_WORDS:
            continue
        if style.size >= body * HEADING_RATIO:
            large[i] = style.size
        elif style.bold and _bold_heading(text, lines[i - 1] if i else None, i - 1 in large or i - 1 in bold):
            bold.add(i)
    ranks = {size: n for n, size in enumerate(sorted(set(large.values()), reverse=True), start=1)}
    levels = {i: ranks[size] for i, size in large.items()}
    levels.update({i: len(ranks) + 1 for i in bold})
    return levels


def _bold_heading(text: str, before: Optional[tuple[str, Optional[LineStyle]]], before_is_heading: bool) -> bool:
    t = text.strip()
    if len(t.split()) > BOLD_HEADING_MAX_WORDS or re.search(r"[:;,]$", t) or _NUMBERED.match(t):
        return False
    if not (t[:1].isupper() or t[:1].isdigit()):
        return False
    if before is None or before_is_heading or before[1] is None:
        return True
    return bool(re.search(r"[.!?:;)\"”’]$", before[0].strip()))

"""How a passage or a record is cited: one rule for every edge.

    cite("Action plan: ...", "2020-03-04", (3, 4), number=15, printed="5")
    -> "Action plan: ..., 2020-03-04, pp. 3–4, recommendation 15 (printed as 5)"
"""
from __future__ import annotations

from typing import Optional, Sequence


def pages_label(pages: Sequence[int]) -> Optional[str]:
    """'p. 3' for one page, 'pp. 3–5' for a span; None without pages (Word, HTML, text)."""
    if not pages:
        return None
    return f"p. {pages[0]}" if len(pages) == 1 else f"pp. {pages[0]}–{pages[-1]}"


def cite(title: str, date: Optional[str], pages: Sequence[int], number: Optional[int] = None,
         section: Optional[str] = None, printed: Optional[str] = None) -> str:
    """Title, date, pages, then the recommendation number (with the number as printed when it was
    repaired) or, for other passages, the section heading in quotes."""
    bits = [title]
    if date:
        bits.append(date)
    label = pages_label(pages)
    if label:
        bits.append(label)
    if number is not None:
        bits.append(f"recommendation {number}" + (f" (printed as {printed})" if printed else ""))
    elif section:
        bits.append(f"“{section}”")
    return ", ".join(bits)

"""Where a cited text stands among a page's words: the words of the page that spell it out.

The passage shown to people is the reader's text, cleaned; the page's words come from the
PDF's own layout (pdfplumber). The two differ in hyphenation, spacing and punctuation, so they
are compared as sequences of lower-cased letters-and-digits tokens, and the page's run that
matches the most of the cited text is taken, with nearby shorter runs (a word split by a line
break interrupts a run).
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Sequence

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text or "")]


def matched_words(target: str, words: Sequence[str]) -> tuple[list[int], int]:
    """(indices of `words` that spell out `target`, how many of target's tokens were found).

    Runs of one token are kept only for a target of three tokens or fewer (a lone "the" elsewhere on
    the page is not the cited sentence); runs far from the longest one are dropped for the same reason.
    """
    want = tokens(target)
    page: list[str] = []
    owner: list[int] = []
    for i, w in enumerate(words):
        for t in tokens(w):
            page.append(t)
            owner.append(i)
    if not want or not page:
        return [], 0
    blocks = [b for b in SequenceMatcher(None, want, page, autojunk=False).get_matching_blocks() if b.size]
    shortest = 1 if len(want) <= 3 else 2
    blocks = [b for b in blocks if b.size >= shortest]
    if not blocks:
        return [], 0
    best = max(blocks, key=lambda b: b.size)
    reach = len(want) + 10  # a run belongs to the cited text when it sits within its length of the longest run
    kept = [b for b in blocks if best.b - reach <= b.b <= best.b + best.size + reach]
    found = sorted({owner[b.b + k] for b in kept for k in range(b.size)})
    return found, sum(b.size for b in kept)

"""One document, many files: a fingerprint of a document's words, and whether two are the same document.

    a = fingerprint(body_text(extracted_docx))
    b = fingerprint(body_text(extracted_pdf))
    same_document(a, b)          # True: the same plan, saved as Word and printed to PDF

The fingerprint is a bottom-k MinHash sketch (Broder 1997; Cohen & Kaplan 2007) of the text's
word shingles: the text lowercased to words (markup, punctuation, page furniture and layout
gone), every run of SHINGLE_WORDS words hashed (64-bit BLAKE2b), and the SKETCH smallest hashes
kept, with the number of distinct shingles and a hash of the whole word sequence. From two
sketches, the k smallest hashes of their union estimate the Jaccard similarity of the two shingle
sets (the share of them held by both), and with the set sizes, how much of the smaller one the
larger contains. Cost: one pass over the words per file, then a comparison of SKETCH numbers per
indexed document (a linear scan; an LSH index such as datasketch's MinHashLSH would make it
constant per file, worth it past some 100,000 documents).

Two files are the same document when their words are the same (the whole-sequence hashes agree),
or their shingles overlap by at least SAME_JACCARD, or the smaller one's shingles are at least
SAME_CONTAINMENT within the larger and the two are of similar size (SIZE_RATIO), and in either case
the units one names (PDUs, regions: indexer.extract.addressee) are among those the other names.
A Word plan and its PDF print differ where cells wrap, headers repeat and page numbers sit; a plan
for another PDU written from the same template can share nearly all its words, but not its units.
The thresholds are measured in docs/formats.md.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Optional

from indexer.clean import clean
from indexer.extract.addressee import unit_key, units_named

SHINGLE_WORDS = 4
SKETCH = 128
SAME_JACCARD = 0.75
SAME_CONTAINMENT = 0.9
SIZE_RATIO = 0.75
MIN_SHINGLES = 20  # below this, only identical words make two files one document


def _h(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big")


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", clean(text).lower())


def fingerprint(text: str) -> str:
    """"<whole-text hash>:<distinct shingles>:<units named, hashed>:<the SKETCH smallest shingle hashes, hex>",
    or "" for a text without words."""
    w = words(text)
    if not w:
        return ""
    n = SHINGLE_WORDS
    shingles = {_h(" ".join(w[i:i + n])) for i in range(max(1, len(w) - n + 1))}
    smallest = sorted(shingles)[:SKETCH]
    whole = hashlib.blake2b(" ".join(w).encode(), digest_size=8).hexdigest()
    units = ",".join(sorted({f"{_h(unit_key(u)) & 0xFFFFFFFF:08x}" for u in units_named(clean(text))}))
    return f"{whole}:{len(shingles)}:{units}:" + "".join(f"{x:016x}" for x in smallest)


@dataclass(frozen=True)
class Likeness:
    identical: bool
    jaccard: float  # estimated share of the two shingle sets held by both
    containment: float  # estimated share of the smaller set held by the larger
    size_ratio: float  # smaller set / larger set
    same_units: bool  # the units one names are among those the other names
    smaller: int  # distinct shingles of the smaller


def _parse(fp: str) -> tuple[str, int, set[str], set[int]]:
    whole, n, units, hexes = fp.split(":", 3)
    sketch = {int(hexes[i:i + 16], 16) for i in range(0, len(hexes), 16)}
    return whole, int(n), set(filter(None, units.split(","))), sketch


def likeness(a: str, b: str) -> Optional[Likeness]:
    """How alike two fingerprints are; None when either is empty."""
    if not a or not b:
        return None
    wa, na, ua, sa = _parse(a)
    wb, nb, ub, sb = _parse(b)
    k = min(SKETCH, len(sa | sb))
    union_smallest = sorted(sa | sb)[:k]
    both = sum(1 for x in union_smallest if x in sa and x in sb)
    j = both / k if k else 0.0
    common = j * (na + nb) / (1 + j)
    return Likeness(wa == wb, j, min(1.0, common / max(1, min(na, nb))), min(na, nb) / max(1, max(na, nb)),
                    ua <= ub or ub <= ua, min(na, nb))


def same_document(a: str, b: str) -> bool:
    """Whether two fingerprints are one document's (see the module docstring)."""
    like = likeness(a, b)
    if like is None:
        return False
    if like.identical:
        return True
    if like.smaller < MIN_SHINGLES or not like.same_units:
        return False
    return like.jaccard >= SAME_JACCARD or (like.containment >= SAME_CONTAINMENT and like.size_ratio >= SIZE_RATIO)

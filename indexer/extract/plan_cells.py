"""What the cells of an action-plan table say: which column holds what, owners, target dates.

    cols = Columns.from_header(header_cells) or Columns.positional(len(cells))
    add_owners(owners, pieces(owner_cell))      # owner roles, one per name, joined where a name was broken
    add_targets(targets, pieces(target_cell))   # "March 2020 June 2020" -> two dates

indexer/extract/actionplan.py turns the rows of a plan into records with these; what a status cell
says is indexer/extract/status.py's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from indexer.clean import clean_inline

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DATE_LIKE = re.compile(
    rf"^(?:(?:commencing|by|from|end of|until|and)\s+)?(?:{_MONTH}\s+\d{{4}}|\d{{4}}\s*[–-]\s*\d{{2,4}}"
    rf"|q[1-4]\s+\d{{4}}"
    rf"|completed?|ongoing|complete and ongoing|completed and ongoing|\d{{4}})\b",
    re.IGNORECASE,
)
_ROLE_WORDS = re.compile(
    r"\b(director|head|manager|lead|officer|chair|group|team|board|programme|directorate|region|"
    r"pdu|partner|function|services?|owner|cos)\b", re.IGNORECASE)
# a cell's paragraphs: HTML fragments in text extractions, line breaks from the readers of real tables
_PIECE_SPLIT = re.compile(r"</p>\s*<p[^>]*>|<br\s*/?>|</li>\s*<li[^>]*>|\n", re.IGNORECASE)


def pieces(raw_cell: str) -> list[str]:
    """Split a cell on paragraph/list boundaries into cleaned pieces."""
    return [c for c in (clean_inline(p) for p in _PIECE_SPLIT.split(raw_cell)) if c]


def is_date_like(text: str) -> bool:
    return len(text.split()) <= 10 and bool(_DATE_LIKE.match(text.strip()))


def is_owner_like(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 16 and not text.rstrip().endswith(".") and bool(_ROLE_WORDS.search(text))


# The role of a column, from what its header says; checked in this order.
_HEADER_ROLES = (
    ("number", re.compile(r"\brec(?:ommendation)?\.?\s*(?:no|number|ref)\b|^(?:\d\.\s*)?(?:no\.?|number|ref|#|rec\.?)$",
                          re.I)),
    ("status", re.compile(r"\bagreed\b|\baccepted\b|^status$", re.I)),
    ("owner", re.compile(r"\bowner|\bresponsib|\blead\b", re.I)),
    ("target", re.compile(r"\btarget\b|\bdate\b|\btimescale|\bdeadline|\bby when\b", re.I)),
    ("response", re.compile(r"\bresponse\b|\baction", re.I)),
    ("recommendation", re.compile(r"\brecommendation", re.I)),
)
_DEFAULT_ORDER = ("number", "recommendation", "status", "response", "owner", "target")


@dataclass(frozen=True)
class Columns:
    """Which cell holds which field of a row (None: the table has no such column)."""

    number: Optional[int] = 0
    recommendation: Optional[int] = 1
    status: Optional[int] = 2
    response: Optional[int] = 3
    owner: Optional[int] = 4
    target: Optional[int] = 5

    @classmethod
    def positional(cls, ncols: int) -> "Columns":
        # the number first; the other five right-aligned when the table has more than six columns
        off = ncols - 6 if ncols > 6 else 0
        return cls(0, *(i + off for i in range(1, 6)))

    @classmethod
    def from_header(cls, cells: list[str]) -> Optional["Columns"]:
        """The columns a header row names; None unless it names a recommendation and a status or response."""
        found: dict[str, int] = {}
        for i, c in enumerate(cells):
            c = clean_inline(c)
            if not c or len(c.split()) > 12:
                continue
            for role, rx in _HEADER_ROLES:
                if role not in found and rx.search(c):
                    found[role] = i
                    break
        if "recommendation" not in found or not ({"status", "response"} & set(found)):
            return None
        return cls(**{role: found.get(role) for role in _DEFAULT_ORDER})


# Where a new owner begins inside one piece of text: a role title after a word that does not join
# ("...Directorate) Deputy Director ...", a line break lost when a PDF cell was read).
_OWNER_START = re.compile(r"(?<![,&/]) (?<!\band )(?<!\bof )(?<!\bthe )(?<!\bfor )(?<!\bwith )(?<!\bby )"
                          r"(?<!\bDeputy )(?<!\bAssistant )(?<!\bSenior )(?<!\bActing )(?<!\bInterim )"
                          r"(?=(?:Deputy Director|Deputy Head of|Head of|Director of|Regional Probation Director|"
                          r"Chief Executive)\b)")


# A title that never stands alone as an owner: the next piece completes it ("Deputy Director" / "Workforce ...").
_INCOMPLETE_TITLE = re.compile(r"^(?:Deputy Director|Director|Head|Deputy Head|Assistant Director)$")


def add_owners(owners: list[str], pieces: list[str]) -> None:
    """Add the owners a cell's pieces name to `owners`, joining pieces that continue one name."""
    for p in [q for piece in pieces for q in _OWNER_START.split(piece)]:
        prev = owners[-1] if owners else ""
        joins = (re.search(r"(,|\b(?:and|of|for|the)|&|/|-)$", prev) or p[:1].islower() or p[:1] == "("
                 or _INCOMPLETE_TITLE.search(prev) or (len(p.split()) == 1 and not p.isupper()))
        if prev and joins:
            owners[-1] = f"{prev} {p}".strip()
        elif p not in owners:
            owners.append(p)


_TARGET_PART = re.compile(
    rf"(?i)\b(?:(?:end of|by|from|commencing)\s+)?(?:{_MONTH}\s+\d{{4}}(?:\s+and\s+annual\s+review)?"
    rf"|q[1-4]\s+\d{{4}}(?:/\d{{2}})?|\d{{4}}/\d{{2}}|completed?|ongoing)\b")


def date_parts(text: str) -> Optional[list[str]]:
    """'March 2020 June 2020' or 'September 2024 Ongoing' -> its dates, when they are all the text holds."""
    parts = _TARGET_PART.findall(text)
    return parts if len(parts) > 1 and len(" ".join(parts)) >= len(text) - 2 else None


def add_targets(targets: list[str], pieces: list[str]) -> None:
    """Add the target dates a cell's pieces give to `targets`; dates whose line breaks were lost, or
    broken inside a date ("October" / "2025"), are split again."""
    whole = date_parts(" ".join(pieces)) if len(pieces) > 1 else None
    if whole:
        targets.extend(whole)
        return
    for p in pieces:
        targets.extend(date_parts(p) or [p])

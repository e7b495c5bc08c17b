"""The one status vocabulary: how a plan's answer to a recommendation is printed, and what it means.

    parse_status_cell("Partly accepted The maximum span of control ...")
        # -> StatusCell(status="Partly Agreed", term="Partly accepted", printed="Partly accepted",
        #               note="The maximum span of control ...")
    exact_status("AGREED")          # -> "Agreed" (the whole text is a status phrase), else None
    status_filter("partly accepted")  # -> "Partly Agreed" (what --status and the app filter on)

Action plans answer in one of two vocabularies: Agreed / Partly Agreed / Not Agreed (HMPPS's
template), or Accepted / Partly accepted / Not accepted / Rejected. Every record keeps the phrase as
printed (`Recommendation.status_printed`) and its term in the plan's own vocabulary; filters, counts
and colours use one three-way scale, SCALE, onto which the second vocabulary maps:

    Accepted -> Agreed;  Partly accepted -> Partly Agreed;  Not accepted, Rejected -> Not Agreed

(a rejected recommendation is one the plan does not agree to carry out; the printed word is kept, so
"Rejected" can still be told from "Not accepted" in the record, the CSV and the JSON).

A status cell may hold the status and a note ("Agreed Formal governance routes to be considered ...",
or the two as separate paragraphs): the leading status phrase is the status, the rest is the note.
A header cell such as "Agreed/ Partly Agreed/ Not Agreed" is not a status (a phrase followed by "/").
The plan parser (indexer.extract.actionplan), the catalogue's status filter
(search.records.catalogue) and the app's choices all read this module.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

SCALE = ("Agreed", "Partly Agreed", "Not Agreed")  # what records are filtered and counted on
UNKNOWN = "unknown"  # a filter value: the status was lost in extraction
# printed phrase (lower case, single spaces) -> (term in the plan's vocabulary, value on SCALE)
_PHRASES = {
    "agreed": ("Agreed", "Agreed"),
    "partly agreed": ("Partly Agreed", "Partly Agreed"),
    "partially agreed": ("Partly Agreed", "Partly Agreed"),
    "agreed in part": ("Partly Agreed", "Partly Agreed"),
    "not agreed": ("Not Agreed", "Not Agreed"),
    "disagreed": ("Not Agreed", "Not Agreed"),
    "accepted": ("Accepted", "Agreed"),
    "partly accepted": ("Partly accepted", "Partly Agreed"),
    "partially accepted": ("Partly accepted", "Partly Agreed"),
    "accepted in part": ("Partly accepted", "Partly Agreed"),
    "not accepted": ("Not accepted", "Not Agreed"),
    "rejected": ("Rejected", "Not Agreed"),
}
TERMS = tuple(dict.fromkeys(term for term, _ in _PHRASES.values()))  # every term, both vocabularies
FILTER_CHOICES = (*SCALE, UNKNOWN)  # what a status filter offers (the app's dropdown, the CLI's help)


def _pattern(phrase: str) -> str:
    # words separated by any spacing or a hyphen: "Partly  agreed", "Partly-Agreed", "NOT AGREED"
    return r"[\s\-]*".join(re.escape(w) for w in phrase.split())


_ALTERNATION = "|".join(_pattern(p) for p in sorted(_PHRASES, key=len, reverse=True))
_EXACT = re.compile(rf"^\W*({_ALTERNATION})[\s.:;,!]*$", re.IGNORECASE)
# the phrase, then the end, or a separator and the note; never a phrase followed by "/" (a header cell)
_LEADING = re.compile(rf"^[\s•*\-–]*({_ALTERNATION})(?![\w/])(?!\s*/)[\s.:;,–—\-]*(?P<note>.*)$",
                      re.IGNORECASE | re.DOTALL)


def _key(phrase: str) -> str:
    return " ".join(re.findall(r"[a-z]+", phrase.lower()))


@dataclass(frozen=True)
class StatusCell:
    """What a status cell says: the value on SCALE, the term in the plan's vocabulary, the phrase as
    printed, and any note that follows it."""

    status: str
    term: str
    printed: str
    note: Optional[str] = None


def parse_status_cell(text: str) -> Optional[StatusCell]:
    """The leading status phrase of a cell (any vocabulary, case and spacing) and the note after it;
    None when the cell does not open with one. The note's paragraphs are joined by spaces."""
    m = _LEADING.match(text or "")
    if not m:
        return None
    term, status = _PHRASES[_key(m.group(1))]
    note = " ".join(m.group("note").split()) or None
    return StatusCell(status, term, " ".join(m.group(1).split()), note)


def exact_status(text: str) -> Optional[str]:
    """The value on SCALE when the whole text is one status phrase ("Partially agreed."), else None."""
    m = _EXACT.match(text or "")
    return _PHRASES[_key(m.group(1))][1] if m else None


def exact_term(text: str) -> Optional[str]:
    """The term in its own vocabulary when the whole text is one status phrase ("Partly Accepted" ->
    "Partly accepted"), else None."""
    m = _EXACT.match(text or "")
    return _PHRASES[_key(m.group(1))][0] if m else None


def scale_of(term: str) -> Optional[str]:
    """The value on SCALE of a term of either vocabulary."""
    return next((s for t, s in _PHRASES.values() if t == term), None)


def status_filter(text: Optional[str]) -> Optional[str]:
    """What a status filter asks for: a value on SCALE (a term of either vocabulary maps onto it), or
    UNKNOWN for records whose status was lost; None for no filter. ValueError naming the choices."""
    if text is None or not text.strip():
        return None
    s = " ".join(text.replace("_", " ").split()).lower()
    if s in (UNKNOWN, "none", "missing"):
        return UNKNOWN
    value = exact_status(s)
    if value is None:
        choices = ", ".join(f'"{x}"' for x in FILTER_CHOICES)
        raise ValueError(f"status must be one of {choices} (or a term of the Accepted vocabulary: "
                         f"{', '.join(TERMS[3:])}), not {text!r}")
    return value

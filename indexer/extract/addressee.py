"""Who a recommendation is addressed to, in one place: the heading, the body's name, the unit.

    addressee_heading("2. The Kestrel Downs PDU should:")   # -> "The Kestrel Downs PDU should:" (a heading)
    addressee_name("The Essex North PDU should:")           # -> "Essex North PDU"
    unit_of("HM Prison and Probation Service should:", "for Wrenfold PDU")   # -> "Wrenfold PDU"
    same_unit("Essex North PDU", "the Essex North probation delivery unit")  # -> True

Reports and plans group recommendations under a line naming who should act ("HM Prison and
Probation Service should:"); a plan row may add the unit it is for ("(for Northamptonshire PDU)").
The report reader (indexer.extract.report_recs), the plan parser (indexer.extract.actionplan), the
records (indexer.extract.to_records), the links (indexer.extract.links) and the record space
(search.records.record_space) all read these rules, so "should:" is trimmed one way everywhere.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

# a list marker that may open an addressee line ("1.", "2)", "(a)", "•"): Word numbers them too
_MARKER = r"(?:[-•*]\s*|\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-zA-Z])[.)]\s+)"
_ADDRESSEE = re.compile(rf"^{_MARKER}?(?P<who>.{{2,160}}?)\s+(?:should|must|needs? to|is recommended to)\s*:\s*$",
                        re.IGNORECASE)
_SHOULD = re.compile(r"\s+(?:should|must|needs? to|is recommended to)\b.*$", re.IGNORECASE | re.DOTALL)
_START = re.compile(r"\b(?:The |HM |His Majesty|Her Majesty|Ministry of)")
MAX_WORDS = 25  # an addressee line is a name and "should:", not a sentence
# a unit: capitalised words (with "of" between them) before "PDU" or "region"
_UNIT = re.compile(r"\b([A-Z][\w'’&-]*(?:\s+(?:of\s+)?[A-Z][\w'’&-]*){0,4})\s+"
                   r"((?i:PDU|probation delivery unit|region))\b")
_NOT_NAME = {"inspection", "report", "an", "a", "the", "action", "plan", "response", "thematic", "for", "each",
             "every", "all", "of", "hm", "his", "her", "majesty's"}
_GENERIC = {"the", "pdu", "pdus", "probation", "delivery", "unit", "units", "region", "for", "of", "and"}


def addressee_heading(text: str) -> Optional[str]:
    """The line as an addressee heading (any list marker before it dropped), or None when it is not one."""
    t = " ".join((text or "").split())
    m = _ADDRESSEE.match(t)
    if not m or len(t.split()) > MAX_WORDS:
        return None
    return t[m.start("who"):]


def addressee_name(heading: Optional[str]) -> str:
    """The body a heading names: "The Essex North PDU should:" -> "Essex North PDU"."""
    t = _SHOULD.sub("", " ".join((heading or "").split()))
    t = re.sub(rf"^{_MARKER}", "", t)
    return re.sub(r"^(?:for|the)\s+", "", t.strip(" :–-"), flags=re.IGNORECASE).strip()


def split_section(text: str) -> tuple[Optional[str], str]:
    """A section name run into an addressee line (text extractions): 'Staff HM Prison and Probation Service
    should:' -> ('Staff', 'HM Prison and Probation Service should:')."""
    text = text.strip()
    m = _START.search(text)
    if m and m.start() > 0:
        return text[: m.start()].strip() or None, text[m.start():].strip()
    return None, text


def heading_scope(heading: Optional[str]) -> Optional[str]:
    """A PDU-level heading scopes its rows as "(for Northamptonshire PDU)" would: "for Northamptonshire PDU"."""
    name = addressee_name(heading)
    return f"for {name}" if re.search(r"\bPDUs?$", name, re.IGNORECASE) else None


def units_named(text: Optional[str]) -> list[str]:
    """The PDUs and regions a text names, once each, in order ("Wrenfold PDU", "East of England region")."""
    found: dict[str, str] = {}
    for m in _UNIT.finditer(text or ""):
        words = m.group(1).split()
        while words and words[0].lower() in _NOT_NAME:
            words.pop(0)
        if words:
            name = " ".join(words + [m.group(2)])
            found.setdefault(unit_key(name), name)
    return list(found.values())


def unit_name(text: Optional[str], pdu_only: bool = False) -> Optional[str]:
    """The one PDU or region (or, with pdu_only, PDU) a text names ("for Wrenfold PDU" -> "Wrenfold PDU");
    None for none or several."""
    found = [u for u in units_named(text) if not pdu_only or not u.lower().endswith("region")]
    return found[0] if len(found) == 1 else None


def unit_of(addressee: Optional[str], scope: Optional[str]) -> Optional[str]:
    """The PDU a record is for: its scope's, else the PDU its addressee names; None when unknown (a region
    or a national body addresses several PDUs)."""
    return unit_name(scope, True) or unit_name(addressee_name(addressee), True) if (scope or addressee) else None


def unit_key(unit: Optional[str]) -> str:
    """A unit's name for comparison: its distinctive words ("the Essex North PDU" -> "essex north")."""
    return " ".join(w for w in re.findall(r"[a-z0-9]+", (unit or "").lower()) if w not in _GENERIC)


def same_unit(a: Optional[str], b: Optional[str]) -> Optional[bool]:
    """True or False when both units are known; None when either is not (no evidence either way)."""
    ka, kb = unit_key(a), unit_key(b)
    if not ka or not kb:
        return None
    return ka == kb


def names_of(headings: Iterable[Optional[str]]) -> set[str]:
    """The distinct body names of some headings and scopes (for taking names out of a text)."""
    return {n for n in (addressee_name(h) for h in headings) if n}

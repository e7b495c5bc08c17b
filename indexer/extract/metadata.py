"""Document metadata: inferred from the text where it says so, overridden by a manifest.

Unknown stays unknown: a year is only ever taken from a date the text or the
manifest states, never guessed from a file name or a nearby number.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from indexer.errors import BadInput

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("file", "title", "doc_type", "publisher", "date", "report_date", "source_url")
DOC_TYPES = ("inspection_report", "action_plan", "presentation", "strategy", "unknown")

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}
_DATE = re.compile(
    r"(?P<day>\d{1,2})\s*(?:st|nd|rd|th)?\s+(?P<month>[A-Za-z]+)\.?,?\s+(?P<year>(?:19|20)\d{2})"
)


def parse_date(text: str) -> Optional[str]:
    """'4 March 2020' / '27th June 2022' -> '2020-03-04'; None if there is no such date."""
    for m in _DATE.finditer(text):
        month = _MONTHS.get(m.group("month").lower())
        day = int(m.group("day"))
        if month and 1 <= day <= 31:
            return f"{m.group('year')}-{month:02d}-{day:02d}"
    return None


_MONTH_YEAR = re.compile(r"\b(?P<month>January|February|March|April|May|June|July|August|September|October|"
                         r"November|December)\s+(?P<year>(?:19|20)\d{2})\b", re.IGNORECASE)


def parse_month(text: str) -> Optional[str]:
    """'May 2022' -> '2022-05' (a report's cover often gives only the month)."""
    m = _MONTH_YEAR.search(text)
    return f"{m.group('year')}-{_MONTHS[m.group('month').lower()]:02d}" if m else None


def year_of(date: Optional[str]) -> Optional[int]:
    if date and re.match(r"^(19|20)\d{2}", date):
        return int(date[:4])
    return None


@dataclass(frozen=True)
class Inferred:
    title: Optional[str] = None
    doc_type: str = "unknown"
    publisher: Optional[str] = None
    date: Optional[str] = None
    report_date: Optional[str] = None


def _labelled_date(text: str, label: str) -> Optional[str]:
    m = re.search(label + r"\W{0,6}:?\W{0,6}([^\n]{0,60})", text, re.IGNORECASE)
    return parse_date(m.group(1)) if m else None


_NOT_TITLE = re.compile(r"^(?:(?:HM|His Majesty'?s|Her Majesty'?s)\s+(?:Inspectorate\s+of\s+Probation|Prison\s*(?:&|and)\s*"
                        r"Probation\s+Service)|HMI\s+Probation|Ministry of Justice|\W*\d{1,4}\W*|"
                        r"(?:\d{1,2}\s+)?[A-Za-z]+\s+\d{4})\.?$", re.IGNORECASE)


def infer(text: str, clean_head: str) -> Inferred:
    """Infer what the text itself states. `clean_head` is the cleaned start of the document."""
    head = clean_head[:6000]
    submitted = _labelled_date(head, r"Action Plan Submitted")
    published = _labelled_date(head, r"Report Published")
    lines = [ln.strip() for ln in head.splitlines() if ln.strip()]
    title = None
    doc_type = "unknown"
    publisher = None
    if submitted or re.search(r"^\s*ACTION PLAN\b", head, re.MULTILINE):
        doc_type = "action_plan"
        resp = None
        for i, ln in enumerate(lines):
            if ln.lower().startswith("a response to"):
                rest = re.sub(r"(?i)^a response to:?\s*", "", ln).strip()
                # "A Response to the HMI Probation Inspection:" names the report on the next line
                if (not rest or rest.endswith(":")) and i + 1 < len(lines):
                    rest = lines[i + 1]
                resp = rest
                break
        if resp:
            title = "Action plan: " + resp.rstrip(".").strip()
    elif re.search(r"\bworkforce strategy\b", head[:400], re.IGNORECASE):
        doc_type = "strategy"
    elif (re.search(r"HM Inspectorate\s+of\s+Probation|HMI\s+Probation|Chief Inspector of Probation", head[:3000])
          and re.search(r"\binspection\b", head[:1500], re.IGNORECASE)):
        doc_type = "inspection_report"
        published = (published or _labelled_date(head, r"(?:Date of publication|Publication date|Published)")
                     or parse_month(head[:1500]))
    if re.search(r"HM Prison\s*&\s*Probation Service|HM Prison and Probation Service", head[:300]):
        publisher = "HM Prison & Probation Service"
    elif re.search(r"HM Inspectorate\s+of Probation", head[:300]):
        publisher = "HM Inspectorate of Probation"
    if title is None and lines:
        # the first line that is not the publisher's name, a date or a page number
        title = next((ln for ln in lines if not _NOT_TITLE.match(ln)), lines[0])[:160]
    return Inferred(title=title, doc_type=doc_type, publisher=publisher,
                    date=submitted or (None if doc_type == "action_plan" else published),
                    report_date=published if doc_type == "action_plan" else None)


@dataclass
class Manifest:
    """Per-file metadata a person wrote; it overrides inference field by field."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)  # file name -> fields

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        if not path.exists():
            return cls()
        rows: dict[str, dict[str, str]] = {}
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = {"file"} - set(reader.fieldnames or [])
            if missing:
                raise BadInput(f"{path}: manifest needs a 'file' column (has {reader.fieldnames})")
            for i, row in enumerate(reader, start=2):
                name = (row.get("file") or "").strip()
                if not name:
                    continue
                dt = (row.get("doc_type") or "").strip()
                if dt and dt not in DOC_TYPES:
                    raise BadInput(f"{path}, line {i}: doc_type '{dt}' is not one of {', '.join(DOC_TYPES)}")
                for col in ("date", "report_date"):
                    v = (row.get(col) or "").strip()
                    if v and not re.fullmatch(r"(19|20)\d{2}(-\d{2}(-\d{2})?)?", v):
                        raise BadInput(f"{path}, line {i}: {col} '{v}' is not YYYY, YYYY-MM or YYYY-MM-DD")
                rows[name] = {k: (v or "").strip() for k, v in row.items() if k}
        return cls(rows)

    @classmethod
    def for_folder(cls, folder: Path) -> "Manifest":
        return cls.load(folder / MANIFEST_NAME)

    def get(self, file_name: str) -> dict[str, str]:
        return self.rows.get(file_name, {})


def merge(inferred: Inferred, row: dict[str, str]) -> dict[str, Optional[str]]:
    """Manifest values win where given; otherwise what the text said; otherwise unknown."""
    def pick(key: str, fallback):
        v = row.get(key)
        return v if v else fallback

    date = pick("date", inferred.date)
    return {
        "title": pick("title", inferred.title),
        "doc_type": pick("doc_type", inferred.doc_type) or "unknown",
        "publisher": pick("publisher", inferred.publisher),
        "date": date,
        "year": year_of(date),
        "report_date": pick("report_date", inferred.report_date),
        "source_url": pick("source_url", None),
    }

"""Document metadata: the manifest, dates, and how a document's fields are resolved.

What the document itself says is read by indexer/extract/describe.py (title, type and dates
from its text, cover, properties, and its file name as the weakest hint); a folder's
manifest.csv overrides that field by field, and a correction made with `inspection-search
documents set` (indexer/index/corrections.py) overrides both. Each Document records where
each field came from (`Document.provenance`). A year is only ever the year of a date.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from indexer.errors import BadInput

MANIFEST_NAME = "manifest.csv"
# "name": the file's own name when it is stored under another (an upload, kept under its content hash)
MANIFEST_COLUMNS = ("file", "title", "doc_type", "publisher", "date", "report_date", "source_url", "name")
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


@dataclass
class FolderManifest:
    """Per-file metadata a person wrote; it overrides inference field by field."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)  # file name -> fields

    @classmethod
    def load(cls, path: Path) -> "FolderManifest":
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
    def for_folder(cls, folder: Path) -> "FolderManifest":
        return cls.load(folder / MANIFEST_NAME)

    def get(self, file_name: str) -> dict[str, str]:
        return self.rows.get(file_name, {})


FIELDS = ("title", "doc_type", "publisher", "date", "report_date", "source_url")


def resolve(described: dict[str, Optional[str]], sources: dict[str, str], row: dict[str, str],
            correction: Optional[dict[str, str]] = None) -> tuple[dict[str, Any], dict[str, str]]:
    """A document's fields and where each came from: a correction (`inspection-search documents set`)
    wins, then the folder's manifest.csv, then what the document says (indexer.extract.describe);
    otherwise unknown. The year is only ever the date's."""
    fields: dict[str, Any] = {}
    provenance: dict[str, str] = {}
    for key in FIELDS:
        for value, source in (((correction or {}).get(key), "correction"), (row.get(key), "manifest"),
                              (described.get(key), sources.get(key, "text"))):
            if value:
                fields[key], provenance[key] = value, source
                break
        else:
            fields[key] = None
    fields["doc_type"] = fields["doc_type"] or "unknown"
    fields["year"] = year_of(fields["date"])
    return fields, provenance

"""What a document says it is: title, type, publisher and dates, and where each was read.

    d = describe(extracted, "2026-05_action-plan_vetting.docx")
    d.fields["date"], d.sources["date"]        # "2026-05-05", "text: Action Plan Submitted"

GROBID and the like treat the file name as the weakest signal; so here. Each field takes the
first source that gives it, strongest first (the source is recorded, and shown by
`inspection-search documents list`):

- **title**: a plan's "A Response to: <report>" line; the cover's title (the top-level heading of
  the first page, or of the first blocks, that is not a part of a document such as "Foreword",
  "Recommendations" or "1. Introduction"); the file's properties (PDF /Title, DOCX core title,
  HTML og:title or `<title>`), unless generic ("Word Document", a file name); the title part of
  the running header; the first line of the body; the file name.
- **doc_type**: the text ("Action Plan Submitted", "ACTION PLAN", "workforce strategy", HM
  Inspectorate of Probation and "inspection"; running headers and the file's title included);
  the file name ("action-plan", "inspection", "report", "thematic", "strategy", "slides"); later,
  the document's own structure (indexer/build/reader.py: a table of recommendations answered
  with statuses makes an action plan).
- **date**: a labelled date in the text ("Action Plan Submitted: 28 July 2026", "Published: 14
  April 2026", "Date of publication"); a date standing alone on the cover ("June 2026"); a
  publication date in the file's properties (HTML meta, XMP dc:date); the file name
  ("2026-05_..."); the file's creation date.
- **report_date**: a plan's "Report Published: ...".
- **publisher**: the opening lines naming HM Prison and Probation Service or HM Inspectorate of
  Probation.

Page furniture (indexer/readers/layout.py) is never a title or a date, but a running header
still says what kind of document this is. A date in a sentence ("fieldwork took place in March
2026") is not the document's date: only labelled dates and dates standing alone count.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from indexer.clean import clean, clean_inline
from indexer.extract.metadata import parse_date, parse_month
from indexer.readers.layout import body_text
from indexer.records import ExtractedText

COVER_BLOCKS = 20  # for formats without pages: the cover is this many blocks at most
_NOT_TITLE = re.compile(r"^(?:(?:HM|His Majesty'?s|Her Majesty'?s)\s+"
                        r"(?:Inspectorate\s+of\s+Probation|Prison\s*(?:&|and)\s*"
                        r"Probation\s+Service)|HMI\s+Probation|Ministry of Justice|OFFICIAL(?:[\s-]+SENSITIVE)?|"
                        r"\W*\d{1,4}\W*|(?:\d{1,2}\s+)?[A-Za-z]+\s+\d{4})\.?$", re.IGNORECASE)
# a heading that names a part of a document, not the document
_SECTION_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+.*|(?:executive\s+)?summary|foreword|introduction|contents|"
                              r"recommendations?|background|findings|conclusions?|glossary|acknowledgements|"
                              r"methodology|(?:annex|appendix)\b.*|about\s+(?:us|this\b.*))$", re.IGNORECASE)
_GENERIC_TITLE = re.compile(r"^(?:word document|document\d*|untitled.*|microsoft word\b.*|powerpoint presentation|"
                            r"slide \d+|title|.*\.(?:docx?|pdf|odt|html?|txt))$", re.IGNORECASE)
_SITE_SUFFIX = re.compile(r"\s+[-–|]\s+(?:HM Inspectorate of Probation|HMI Probation|GOV\.UK|"
                          r"Justice Inspectorates)\b.*$",
                          re.IGNORECASE)
_DATE_ALONE = re.compile(r"^(?:(?:date of publication|publication date|published(?: on)?|date)\s*:?\s*)?"
                         r"((?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:January|February|March|April|May|June|July|August|"
                         r"September|October|November|December)\s+(?:19|20)\d{2})\.?$", re.IGNORECASE)
_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:[-_.](0[1-9]|1[0-2])(?:[-_.](0[1-9]|[12]\d|3[01]))?)?(?!\d)")
_NAME_TYPES = (("action_plan", r"action[-_ ]?plan"), ("strategy", r"strategy"),
               ("presentation", r"presentation|slides?|deck"),
               ("inspection_report", r"inspection|report|thematic|review"))


@dataclass
class Described:
    """The fields a document gives (title, doc_type, publisher, date, report_date) and their sources."""

    fields: dict[str, Optional[str]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def offer(self, name: str, value: Optional[str], source: str) -> None:
        """Take `value` for `name` unless a stronger source already gave one."""
        if value and not self.fields.get(name):
            self.fields[name] = value
            self.sources[name] = source


def _labelled_date(text: str, label: str) -> Optional[str]:
    """The date after a label: "Report Published: 16 January 2025" (or only "July 2025")."""
    m = re.search(label + r"\W{0,6}:?\W{0,6}([^\n]{0,60})", text, re.IGNORECASE)
    return (parse_date(m.group(1)) or parse_month(m.group(1))) if m else None


def _cover(doc: ExtractedText) -> list[tuple[str, str, Optional[int]]]:
    """The cover's lines (kind, text, heading level), furniture left out: the first page, or the first blocks."""
    out: list[tuple[str, str, Optional[int]]] = []
    for b in doc.blocks:
        if doc.page_starts and b.pages and b.pages[0] > 1 or not doc.page_starts and len(out) >= COVER_BLOCKS:
            break
        if not b.furniture and b.kind != "table_row":
            out.append((b.kind, clean_inline(doc.text[b.start:b.end]), b.level))
    return out


def cover_title(doc: ExtractedText) -> Optional[str]:
    """The cover's top heading: the highest level among its headings, the first of them that is a title."""
    heads = [(level or 9, text) for kind, text, level in _cover(doc) if kind == "heading" and text]
    heads = [(lv, t) for lv, t in heads if not _NOT_TITLE.match(t) and not _DATE_ALONE.match(t)
             and not _SECTION_HEADING.match(t)]
    if not heads:
        return None
    top = min(lv for lv, _ in heads)
    title = next(t for lv, t in heads if lv == top)
    if title.endswith(":"):  # "An inspection of probation services in:" goes on: "Calderbrook PDU"
        lines = [t for _, t, _ in _cover(doc) if t]
        after = lines[lines.index(title) + 1:] if title in lines else []
        nxt = next((t for t in after if not _NOT_TITLE.match(t) and not _DATE_ALONE.match(t)), None)
        if nxt and len(nxt.split()) <= 12:
            title = f"{title} {nxt}"
    return title[:200]


def cover_date(doc: ExtractedText) -> Optional[str]:
    """A date standing alone on the cover ("June 2026", "Published: 14 April 2026")."""
    for _, text, _ in _cover(doc):
        m = _DATE_ALONE.match(text)
        if m:
            return parse_date(m.group(1)) or parse_month(m.group(1))
    return None


def property_title(doc: ExtractedText) -> Optional[str]:
    t = doc.properties.get("title") or doc.title or ""
    t = _SITE_SUFFIX.sub("", " ".join(t.split())).strip()
    return t if t and not _GENERIC_TITLE.match(t) and not _NOT_TITLE.match(t) else None


def header_title(doc: ExtractedText) -> Optional[str]:
    """The title part of a running header ("HM Inspectorate of Probation | A thematic inspection of ...")."""
    for b in doc.blocks:
        if b.layer == "furniture":
            parts = [p.strip() for p in re.split(r"\s[|–-]\s", clean_inline(doc.text[b.start:b.end]))]
            parts = [p for p in parts if len(p.split()) >= 3 and not _NOT_TITLE.match(p)
                     and not re.search(r"\bpage\b|\d+\s*$", p, re.IGNORECASE)]
            if parts:
                return max(parts, key=len)
    return None


def name_date(file_name: str) -> Optional[str]:
    """A date in a file name ("2026-05_action-plan.docx" -> "2026-05")."""
    m = _NAME_DATE.search(Path(file_name).stem)
    return "-".join(g for g in m.groups() if g) if m else None


def name_type(file_name: str) -> Optional[str]:
    stem = Path(file_name).stem.lower()
    return next((t for t, rx in _NAME_TYPES if re.search(rf"(?:^|[\W_])(?:{rx})(?:$|[\W_])", stem)), None)


def name_title(file_name: str) -> str:
    stem = re.sub(r"[_]+", " ", Path(file_name).stem)
    return " ".join(_NAME_DATE.sub(" ", stem).replace("-", " ").split()) or Path(file_name).name


def describe(doc: ExtractedText, file_name: str) -> Described:
    """What the document says it is, with the source of each field (see the module docstring)."""
    # running headers and the file's own title included: they say what kind of document it is
    raw_head = clean((doc.properties.get("title") or doc.title or "") + "\n" + doc.text[:8000])[:6000]
    head = clean(body_text(doc)[:8000])[:6000]
    d = Described()
    _from_text(d, raw_head, head)
    d.offer("title", cover_title(doc), "cover")
    d.offer("title", property_title(doc), "properties")
    d.offer("title", header_title(doc), "running header")
    first = next((ln.strip() for ln in head.splitlines() if ln.strip() and not _NOT_TITLE.match(ln.strip())), None)
    d.offer("title", first[:160] if first else None, "first line")
    d.offer("title", name_title(file_name), "file name")
    d.offer("doc_type", name_type(file_name), "file name")
    d.offer("date", cover_date(doc), "cover")
    d.offer("date", doc.properties.get("date"), "properties")
    d.offer("date", name_date(file_name), "file name")
    d.offer("date", doc.properties.get("created"), "properties: created")
    d.fields.setdefault("doc_type", "unknown")
    return d


def _from_text(d: Described, raw_head: str, head: str) -> None:
    """What the words of the opening pages say: a plan's labels, a report's, the publisher."""
    submitted = _labelled_date(head, r"Action Plan Submitted")
    published = _labelled_date(head, r"Report Published")
    if submitted or re.search(r"^\s*ACTION PLAN\b", head, re.MULTILINE):
        d.offer("doc_type", "action_plan", "text")
        d.offer("title", _response_title(head), "text: A Response to")
        d.offer("date", submitted, "text: Action Plan Submitted")
        d.offer("report_date", published, "text: Report Published")
    elif re.search(r"\bworkforce strategy\b", raw_head[:400], re.IGNORECASE):
        d.offer("doc_type", "strategy", "text")
    elif (re.search(r"HM Inspectorate\s+of\s+Probation|HMI\s+Probation|Chief Inspector of Probation", raw_head[:3000])
          and re.search(r"\binspection\b", raw_head[:1500], re.IGNORECASE)):
        d.offer("doc_type", "inspection_report", "text")
        d.offer("date", _labelled_date(head, r"(?:Date of publication|Publication date|Published)"), "text: Published")
    else:
        d.offer("date", published, "text: Report Published")
    if re.search(r"HM Prison\s*&\s*Probation Service|HM Prison and Probation Service", raw_head[:300]):
        d.offer("publisher", "HM Prison & Probation Service", "text")
    elif re.search(r"HM Inspectorate\s+of Probation", raw_head[:300]):
        d.offer("publisher", "HM Inspectorate of Probation", "text")


def _response_title(head: str) -> Optional[str]:
    """"A Response to the HMI Probation Inspection:" names the report on its line or the next."""
    lines = [ln.strip() for ln in head.splitlines() if ln.strip()]
    for i, ln in enumerate(lines):
        if ln.lower().startswith("a response to"):
            rest = re.sub(r"(?i)^a response to:?\s*", "", ln).strip()
            if (not rest or rest.endswith(":")) and i + 1 < len(lines):
                rest = lines[i + 1]
            return "Action plan: " + rest.rstrip(".").strip() if rest else None
    return None

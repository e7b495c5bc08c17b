"""The text of the extraction evaluation set: content.json read into the shapes below.

content.json holds every report and action plan as data (README.md, "content.json", describes it);
this module checks its shape and resolves its shorthands: a plan's vocabulary supplies its header,
categories and introduction unless the plan states its own, a plan row's `text_of_rec` takes the
text of that recommendation of the report the plan answers, and dates become (year, month, day).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

DATA = Path(__file__).resolve().parent / "content.json"


@dataclass
class Rec:
    """A recommendation as a report states it."""

    printed: str  # the marker as printed, without its punctuation: "3" for "3.", "1.1", "a" for "a)", "1" for "(1)"
    text: str  # verbatim
    link: str | None = None  # the printed number of the row answering it in the report's plan
    thread: str | None = None


@dataclass
class Group:
    heading: str  # as printed: "HM Prison and Probation Service should:"
    recs: list[Rec]


@dataclass
class Action:
    """One response line of a plan row: Word prints a row with several actions as merged cells
    (number, recommendation and status spanning the action lines)."""

    response: list[str]  # paragraphs
    owners: list[str]
    targets: list[str]


@dataclass
class Row:
    printed: str  # the Rec No cell as printed
    text: str  # the recommendation cell, verbatim (without the scope line)
    status: str  # the status cell's first paragraph, exactly as printed ("Partly agreed", "AGREED", ...)
    actions: list[Action]
    note: str | None = None  # a note printed in the status cell after the status
    scope: str | None = None  # a line printed under the recommendation: "(for Ashby Fields PDU)"
    thread: str | None = None

    @property
    def text_cell(self) -> list[str]:
        """The recommendation cell's paragraphs: the text, then the scope line if any."""
        return [self.text] + ([self.scope] if self.scope else [])

    @property
    def status_cell(self) -> list[str]:
        """The status cell's paragraphs: the status, then the note if any."""
        return [self.status] + ([self.note] if self.note else [])


class PlanGroup(NamedTuple):
    heading: str  # "HM Prison and Probation Service should:"
    rows: list[Row]


@dataclass
class Block:
    """One piece of a report in reading order: "cover" (lines; on a PDF the last is the date), "break" (a
    page break), "space" (mm), "h1" (a chapter heading, on a new page unless new_page is false), "h2",
    "p", "sign" (lines), "contents" (headings, printed with their pages), "list" ([marker, text] pairs:
    a numbered list that is not recommendations), "bullets" (texts), "table" ({"header", "rows"}: a
    ruled table), "recs" (the report's recommendations, printed here)."""

    kind: str
    value: Any = None
    new_page: bool = True


@dataclass
class Plan:
    key: str
    file: str  # under docs/
    formats: list[str]  # "pdf", "docx", "odt": one plan, several files (the first is the labelled one)
    layout: str
    title: str
    date: str  # as the plan states it ("Action Plan Submitted: ...")
    report_date: str  # "Report Published: ..."
    answers: str | None  # the key of the report it answers, when that report is in the set
    title_lines: list[str]
    intro: list[str]
    definitions: list[tuple[str, str]]
    table_title: str
    header: list[str]
    groups: list[PlanGroup]
    totals: list[tuple[str, int]] | None = None  # as stated at the end of the plan
    vocabulary: str = "agreed"  # "agreed" (Agreed / Partly Agreed / Not Agreed) or "accepted"
    properties: dict = field(default_factory=dict)  # document properties (title, author, created)


@dataclass
class Report:
    key: str
    file: str
    fmt: str  # pdf | docx | odt | html
    layout: str
    title: str
    date: str  # as the document states it
    blocks: list[Block]  # the document in reading order
    groups: list[Group]
    numbering: str = "decimal"  # decimal "3." | paren "(3)" | multilevel "1.1" | letter "a)" | table
    plan: str | None = None  # the key of the plan answering it, when in the set
    running_header: str | None = None
    footer: str = "Page {n} of {nb}"
    properties: dict = field(default_factory=dict)


@dataclass
class Content:
    reports: list[Report]
    plans: list[Plan]
    threads: dict[str, tuple[str, list[dict]]]  # label -> (what, members in the shipped corpus)


def _properties(raw: dict) -> dict:
    """Document properties; "created" ("YYYY-MM-DD", or null for none) as (year, month, day)."""
    out = dict(raw)
    if out.get("created"):
        out["created"] = tuple(int(part) for part in out["created"].split("-"))
    return out


def _block(raw: str | dict) -> Block:
    if isinstance(raw, str):  # "break", "recs"
        return Block(raw)
    kind, value = next(iter(raw.items()))
    options = {k: v for k, v in raw.items() if k != kind}
    if kind == "list":
        value = [tuple(item) for item in value]
    return Block(kind, value, **options)


def _report(raw: dict) -> Report:
    raw = dict(raw)
    groups = [Group(g["heading"], [Rec(**r) for r in g["recs"]]) for g in raw.pop("groups")]
    blocks = [_block(b) for b in raw.pop("blocks")]
    properties = _properties(raw.pop("properties"))
    return Report(**raw, groups=groups, blocks=blocks, properties=properties)


def _row(raw: dict, report: Report | None) -> Row:
    raw = dict(raw)
    if "text_of_rec" in raw:  # the text of that recommendation of the report the plan answers
        assert report is not None, f"row {raw['printed']}: text_of_rec in a plan that answers no report"
        texts = {r.printed: r.text for g in report.groups for r in g.recs}
        raw["text"] = texts[raw.pop("text_of_rec")]
    actions = [Action(**a) for a in raw.pop("actions")]
    return Row(**raw, actions=actions)


def _plan(raw: dict, vocabularies: dict, reports: dict[str, Report]) -> Plan:
    raw = dict(raw)
    vocabulary = vocabularies[raw.setdefault("vocabulary", "agreed")]
    report = reports.get(raw["answers"])
    groups = [PlanGroup(g["heading"], [_row(r, report) for r in g["rows"]]) for g in raw.pop("groups")]
    definitions = vocabulary["definitions"] | raw.pop("extra_definitions", {})
    totals = raw.pop("totals", None)
    properties = _properties(raw.pop("properties"))
    header = raw.pop("header", vocabulary["header"])
    return Plan(**raw, groups=groups, properties=properties, header=header, intro=[vocabulary["intro"]],
                definitions=list(definitions.items()), totals=list(totals.items()) if totals else None)


def load(path: Path = DATA) -> Content:
    data = json.loads(path.read_text(encoding="utf-8"))
    raw = {"report": [], "plan": []}  # documents in the file's order, which is the set's order
    for doc in data["documents"]:
        doc = dict(doc)
        raw[doc.pop("kind")].append(doc)
    reports = [_report(d) for d in raw["report"]]
    by_key = {r.key: r for r in reports}
    plans = [_plan(d, data["vocabularies"], by_key) for d in raw["plan"]]
    threads = {label: (t["what"], t["corpus"]) for label, t in data["threads"].items()}
    return Content(reports, plans, threads)

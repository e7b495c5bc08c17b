"""Records people can scan: one line per recommendation (year, number, addressee, whether it is a report's
recommendation or a plan's row and the start of its text, status as a badge, target), the rest on opening it: the
full text, the response (for a report's recommendation, its action plan's), owner, target and where it comes from.
Counts by status sit above.

The list is a <ul> of <details>: each line is a native disclosure (keyboard: Tab to it, Enter or Space
opens it), and says its column names to a screen reader, which the visual header row does not.
"""
from __future__ import annotations

from typing import Optional, Sequence

from ui.listings import MAX_LINES, RecordLine, RecordsPage
from ui.views.common import STATUS_CLASSES, esc, plural, sr_only, status_badge

STATUS_ORDER = ("Agreed", "Partly Agreed", "Not Agreed", None)
# the names the sector uses for the bodies recommendations are addressed to, for the one-line view (the full name
# is in the opened record)
SHORT_NAMES = {"hm prison and probation service": "HMPPS", "her majesty's prison and probation service": "HMPPS",
               "ministry of justice": "MoJ", "hm inspectorate of probation": "HMI Probation",
               "the probation service": "Probation Service", "national probation service": "NPS"}
HEADERS = ("Year", "No.", "Addressed to", "Recommendation", "Status", "Target")


def counts_html(counts: dict, total: int) -> str:
    """'50 recommendations: Agreed 30 · Partly Agreed 7 · ...', each count a badge in its status colour."""
    badges = "".join(f'<li><span class="badge status-{STATUS_CLASSES.get(s, "unknown")}">{esc(s or "Status unknown")}'
                     f' <strong>{counts[s]}</strong></span></li>' for s in STATUS_ORDER if counts.get(s))
    return (f'<div class="status-counts"><p class="count-total">{esc(plural(total, "recommendation"))}</p>'
            f'<ul class="badges" aria-label="By status">{badges}</ul></div>')


def records_html(page: RecordsPage, empty: str = "No recommendations match the filters.") -> str:
    if not page.lines:
        return f'<p class="notice">{esc(empty)}</p>'
    more = (f'<p class="notice">The first {MAX_LINES} are listed; narrow the filters or download the CSV for all '
            f"{page.total}.</p>" if page.total > len(page.lines) else "")
    return more + record_list_html(page.lines, "records")


def header_row(headers: Sequence[str] = HEADERS) -> str:
    cells = "".join(f'<span class="c c{i}">{esc(h)}</span>' for i, h in enumerate(headers))
    return f'<div class="record-header" aria-hidden="true">{cells}</div>'


def record_list_html(lines: Sequence[RecordLine], list_id: str, extra: Optional[Sequence[str]] = None) -> str:
    """The lines as a list of disclosures; `extra[i]` (HTML) is added to line i's opened part."""
    items = "".join(f"<li>{record_html(line, extra[i] if extra else '')}</li>" for i, line in enumerate(lines))
    return f'<div class="record-table">{header_row()}<ul class="record-list" id="{list_id}-list">{items}</ul></div>'


def short_name(addressee: str) -> str:
    """'HMPPS' for 'HM Prison and Probation Service'; 'Essex North PDU' as it is."""
    import re

    a = (addressee or "").strip().rstrip(":").strip()
    for name, short in SHORT_NAMES.items():
        a = re.sub(re.escape(name).replace(r"\ and\ ", r"\s+(?:and|&)\s+"), short, a, flags=re.I)
    return a


def first_line(text: str) -> str:
    return (text or "").strip().split("\n", 1)[0] or "[text not in the source]"


def record_html(r: RecordLine, extra: str = "") -> str:
    target = r.targets[0] + (f" (+{len(r.targets) - 1})" if len(r.targets) > 1 else "") if r.targets else ""
    summary = (f'<span class="c c0">{sr_only("Year ")}{esc(str(r.year or "—"))}</span>'
               f'<span class="c c1">{sr_only(", number ")}{esc(r.number or "—")}</span>'
               f'<span class="c c2">{sr_only(", addressed to ")}{esc(short_name(r.addressee) or "—")}</span>'
               f'<span class="c c3">{sr_only(": ")}{source_tag(r.kind)}{esc(first_line(r.text))}</span>'
               f'<span class="c c4">{sr_only(", status ")}{status_badge(r.status)}</span>'
               f'<span class="c c5">{sr_only(", target ") if target else ""}{esc(target)}</span>')
    return (f'<details class="record" data-rec="{esc(r.rec_id)}"><summary class="record-line">{summary}</summary>'
            f'<div class="record-body">{_body(r)}{extra}</div></details>')


def source_tag(kind: str) -> str:
    """Where a line comes from, before its text: a report's recommendation and its action plan's row have the
    same words, and would otherwise be two identical lines."""
    return f'<span class="from-tag">{"Report" if kind == "report" else "Plan"}</span>{sr_only(": ")}'


def _body(r: RecordLine) -> str:
    rows = [("Recommendation", esc(r.text or "[the text was not in the source]"))]
    if r.addressee or r.scope:
        rows.append(("Addressed to", esc(" ".join(x for x in (r.addressee, f"({r.scope})" if r.scope else "") if x))))
    if r.kind == "report":
        response = esc(r.response) if r.response else "<em>No response text.</em>"
        rows.append(("Response", f'<span class="response-from">{esc(r.response_from)}</span>'
                                 + (f" {status_badge(r.status)}" if r.status else "") + f"<br>{response}"))
    elif r.response:
        rows.append(("Response", esc(r.response)))
    if r.owners:
        rows.append(("Owner", esc("; ".join(r.owners))))
    if r.targets:
        rows.append(("Target", esc("; ".join(r.targets))))
    if r.answers:
        rows.append(("Answers", esc(r.answers[0].upper() + r.answers[1:])))
    rows.append(("Source", esc(r.source)))
    rows += [("Note", esc(n)) for n in r.notes]
    return '<dl class="record-fields">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"

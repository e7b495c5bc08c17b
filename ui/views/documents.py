"""The Documents tab: what is indexed, the just-added and newest first, and what an upload did, as a
notice that says at a glance whether it worked."""
from __future__ import annotations

from typing import Sequence

from ui.listings import DocumentLine
from ui.views.common import display_title, esc, human_date, notice_html, plural, type_name

COLUMNS = ("Title", "Type", "Date", "Publisher", "Format", "Passages", "Recommendations")


def documents_html(lines: Sequence[DocumentLine]) -> str:
    if not lines:
        return '<p class="notice">No documents are indexed yet.</p>'
    inferred = any(d.inferred_from for d in lines)  # the column appears once the index records where from
    heads = list(COLUMNS) + (["Read from"] if inferred else [])
    head = "".join(f'<th scope="col" class="col-{i}">{esc(h)}</th>' for i, h in enumerate(heads))
    rows = []
    for d in lines:
        new = ' <span class="badge badge-new">Just added</span>' if d.just_added else ""
        linked = f' <span class="linked">({d.linked} linked)</span>' if d.linked else ""
        cells = [f'<th scope="row">{esc(display_title(d.title))}{new}</th>', esc(type_name(d.doc_type)),
                 esc(human_date(d.date) or "undated"), esc(d.publisher or "—"), esc(d.format),
                 f'<span class="count">{d.passages}</span>', f'<span class="count">{d.records}</span>{linked}']
        if inferred:
            cells.append(esc(d.inferred_from or ""))
        tds = cells[0] + "".join(f"<td>{c}</td>" for c in cells[1:len(COLUMNS)]) + \
            "".join(f'<td class="read-from">{c}</td>' for c in cells[len(COLUMNS):])
        rows.append(f'<tr class="{"just-added" if d.just_added else ""}">{tds}</tr>')
    caption = f"{plural(len(lines), 'document')} indexed; the newest first"
    return (f'<table class="docs-table"><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def upload_html(outcomes: Sequence) -> str:
    """One notice for an upload of one or more files: success, partly, or failure, and a line per file."""
    if not outcomes:
        return ""
    ok = [o for o in outcomes if o.ok]
    failed = [o for o in outcomes if not o.ok]
    if not failed:
        kind, title = "success", ("Added to the index" if any(o.indexed for o in ok) else "Nothing new to add")
    elif ok:
        kind, title = "warning", f"{plural(len(ok), 'file')} added, {len(failed)} not"
    else:
        kind, title = "error", ("Not added" if len(failed) == 1 else f"None of the {len(failed)} files was added")
    return notice_html(kind, title, [outcome_line(o) for o in outcomes], live=True)


def outcome_line(o) -> str:
    name = f"<strong>{esc(o.name)}</strong>"
    if not o.ok:
        return f'<span class="outcome-failed">✕ {name}: {esc(o.message)}</span>'
    if not o.indexed:
        return f'<span class="outcome-same">= {name}: {esc(o.message)}</span>'
    bits = [plural(o.passages, "passage")]
    if o.records:
        bits.append(plural(o.records, "recommendation") + (f", {o.linked} linked to {o.linked_to}" if o.linked
                                                           else ""))
    what = f"{esc(display_title(o.title))}" + (f" ({esc(type_name(o.doc_type))}" + (
        f", {esc(human_date(o.date))}" if o.date else "") + ")" if o.doc_type else "")
    return f'<span class="outcome-ok">✓ {name} added as {what}: {esc(", ".join(bits))}</span>'

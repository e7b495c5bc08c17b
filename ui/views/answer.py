"""The Ask tab's reply: its state at a glance (answered, partly answered, not in the documents), the
answer with its source markers, and the sources once, each opening its passage and its original.

    reply_html(ans, analyzer)

Only the fields every Answer has are read (declined, partial, missing, present, notice, mode,
sentences, citations, passages), so how the answer is decided can change without this page.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from search.answers.sentences import highlight_spans
from search.citation import pages_label
from ui.render import CLOSEST, missing_parts, sentence_span, shown_sources
from ui.views.common import display_title, esc, human_date, marked_html, plural, type_name


CLOSEST_HEADING = "Closest passages: these do not answer the question"


def reply_state(ans) -> tuple[str, str, str]:
    """(kind, headline, detail): what a person needs to know before reading the reply."""
    missing = missing_parts(ans) if ans.missing else ""
    if ans.declined:  # nothing answered, whether or not what is missing could be named
        # a plain decline says why in its own words just below: the state does not say it twice
        return ("declined", "Not answered", missing) if missing else ("declined", "Not in the documents", "")
    if ans.missing:
        return "partial", "Partly answered", missing
    n = len(ans.citations)
    how = {"generative": f"Written from {plural(n, 'source')} and checked against them",
           "recurrence": f"From the recurring recommendations: {plural(n, 'source')}"}.get(
        ans.mode, f"Quoted from {plural(n, 'source')}")
    return "answered", "Answered from the documents", how


def reply_html(ans, analyzer) -> str:
    kind, headline, detail = reply_state(ans)
    icon = {"answered": "✓", "partial": "◐", "declined": "✕"}[kind]
    parts = [f'<div class="reply-state state-{kind}" role="status"><span class="state-icon" aria-hidden="true">'
             f'{icon}</span><span><strong>{esc(headline)}</strong><span class="state-detail">{esc(detail)}'
             "</span></span></div>"]
    if ans.notice:
        parts.append(f'<p class="notice">Note: {esc(ans.notice)}</p>')
    if ans.declined:
        parts.append(f'<div class="answer declined{" partial" if ans.partial else ""}"><p>{esc(ans.text)}</p></div>')
    else:
        paras = []
        for s in ans.sentences:
            marks = "".join(f'<a class="cite" href="#ask-source-{n}" data-n="{n}" aria-label="source {n}">[{n}]</a>'
                            for n in s.citations)
            paras.append(f"<p>{esc(s.text)} {marks}</p>")
        parts.append(f'<div class="answer" data-mode="{esc(ans.mode)}">{"".join(paras)}</div>')
    parts.append(sources_html(ans, analyzer))
    # the question on the reply lets a page (and a test) tell this reply from the previous one
    return f'<div class="reply" data-question="{esc(ans.question)}">{"".join(parts)}</div>'


def sources_html(ans, analyzer) -> str:
    sources = shown_sources(ans)
    if not sources:
        return ""
    if ans.declined:
        heading = CLOSEST_HEADING
        intro = (f"The {plural(min(len(sources), CLOSEST), 'passage')} nearest to the question, to read and judge "
                 "for yourself.")
    else:
        heading, intro = "Sources", "Open a source to read its passage, or see it where it stands in its document."
    items = "".join(source_item(n, h, ans.question, analyzer, None if ans.declined else sentence_span(ans, n))
                    for n, h in enumerate(sources, start=1))
    return (f'<section class="sources" aria-labelledby="ask-sources-heading"><h2 id="ask-sources-heading">'
            f'{esc(heading)}</h2><p class="hint">{esc(intro)}</p><ol class="source-list">{items}</ol></section>')


def source_label(hit) -> str:
    """'Action plan: Inspection of ..., 27 June 2022, p. 5, recommendation 5': the title, never the file's slug."""
    d, c = hit.document, hit.chunk
    bits = [display_title(d.title), human_date(d.date), pages_label(c.pages) or ""]
    bits.append(f"recommendation {c.rec_no}" if c.rec_no is not None else (f"“{c.section}”" if c.section else ""))
    return ", ".join(b for b in bits if b)


def open_button(hit, span: Optional[tuple[int, int]], n: Optional[int] = None) -> str:
    """The button that opens a passage where it stands (ui/app/original_panel.py answers its click)."""
    c = hit.chunk
    pdf = Path(hit.document.path).suffix.lower() == ".pdf"
    where = f"See it on page {c.pages[0]}" if pdf and c.pages else "See it in the document"
    start, end = span if span else ("", "")
    label = f"{where}: source {n}" if n is not None else f"{where}: {source_label(hit)}"
    return (f'<button type="button" class="open-original" data-chunk="{esc(c.chunk_id)}" data-start="{start}" '
            f'data-end="{end}" aria-label="{esc(label)}">{esc(where)}</button>')


def source_item(n: int, hit, question: str, analyzer, span: Optional[tuple[int, int]]) -> str:
    d, c = hit.document, hit.chunk
    meta = [type_name(d.doc_type), human_date(d.date), pages_label(c.pages) or "",
            f"recommendation {c.rec_no}" if c.rec_no is not None else "", f"section “{c.section}”" if c.section else ""]
    body = marked_html(c.text, highlight_spans(c.text, question, analyzer), span)
    return (f'<li class="source" data-n="{n}"><details id="ask-source-{n}"><summary><span class="num">[{n}]</span> '
            f"{esc(source_label(hit))}</summary>"
            f'<div class="passage-view"><p class="passage-meta">{" · ".join(esc(m) for m in meta if m)}</p>'
            f'<div class="passage">{body}</div></div></details>{open_button(hit, span, n)}</li>')

"""A source opened where it stands: the PDF page with the cited words highlighted over it, or the
section of a web page, Word, OpenDocument or text file with them marked."""
from __future__ import annotations

import base64

from search.citation import pages_label
from ui.originals import OriginalView, PageView, SectionView, Source, Unavailable
from ui.originals.section import SectionBlock
from ui.views.common import display_title, esc, human_date, notice_html, type_name

EMPTY = ('<div class="original-empty"><p>Open a source to see it where it stands in its document: the page of '
         "a PDF with the cited words highlighted, or the section of any other file with them marked.</p></div>")


def original_html(view: OriginalView, prefix: str = "ask") -> str:
    """The viewer's content; `prefix` keeps its ids apart from another tab's viewer. The section scrolls
    within itself, so it takes the keyboard focus (tabindex) to be scrolled with the arrow keys."""
    if isinstance(view, PageView):
        head, body = _page(view)
    elif isinstance(view, SectionView):
        head, body = _section(view)
    else:
        head, body = _unavailable(view)
    head = head.replace('id="original-heading"', f'id="{prefix}-original-heading"')
    return (f'<section class="original" aria-labelledby="{prefix}-original-heading">{head}'
            f'<div class="original-body" tabindex="0" role="region" aria-label="The source">{body}</div></section>')


def _head(source: Source, where: str) -> str:  # the heading and meta, above the part that scrolls
    d = source.document
    bits = [type_name(d.doc_type), human_date(d.date), where]
    meta = " · ".join(esc(b) for b in bits if b)
    return (f'<h2 id="original-heading">In the document: {esc(display_title(d.title))}</h2>'
            f'<p class="original-meta">{meta}</p>')


def _page(v: PageView) -> tuple[str, str]:  # (head, body), as every view below
    d = v.source.document
    boxes = "".join(f'<span class="hl" style="left:{b.left:.2%};top:{b.top:.2%};width:{b.width:.2%};'
                    f'height:{b.height:.2%}"></span>' for b in v.boxes)
    src = "data:image/png;base64," + base64.b64encode(v.png).decode("ascii")
    alt = f"Page {v.page} of {display_title(d.title)}" + (", with the cited words highlighted" if v.boxes else "")
    said = (f'<p class="original-quote"><span class="label">Highlighted on page {v.page}:</span> '
            f'<q>{esc(v.highlighted)}</q></p>' if v.boxes
            else '<p class="original-quote">The cited words could not be placed on this page; the page is the '
                 "one the passage comes from.</p>")
    return (_head(v.source, f"page {v.page} of {v.pages}") + said,
            f'<figure class="pdf-page" style="aspect-ratio:{v.width}/{v.height}">'
            f'<img src="{src}" alt="{esc(alt)}" width="{v.width}" height="{v.height}">{boxes}</figure>')


def _section(v: SectionView) -> tuple[str, str]:
    s, c = v.section, v.source.chunk
    where = pages_label(c.pages) or (f"section “{c.section}”" if c.section else "")
    head = _head(v.source, where or "")
    if not s.found and v.source.cited != c.text:
        head += '<p class="original-quote">The cited words could not be found again; the passage is shaded.</p>'
    out = ['<p class="cut">…</p>'] if s.cut_before else []
    for b in s.blocks:
        # a table row reads as a card in a half-width panel: its column names beside its cells when the format
        # names them (Word, OpenDocument, web page), else its cells one under the other
        out.append(_card(b) if b.kind == "table_row" else _block(b))
    if s.cut_after:
        out.append('<p class="cut">…</p>')
    return head, f'<div class="doc-section">{"".join(out)}</div>'


def _text(piece) -> str:
    return esc(piece.text) if not piece.marks else _marked(piece.text, piece.marks)


def _marked(text: str, marks) -> str:
    out, pos = [], 0
    for a, b in marks:
        out.append(esc(text[pos:a]) + f'<mark class="cited">{esc(text[a:b])}</mark>')
        pos = b
    return "".join(out) + esc(text[pos:])


def _block(b: SectionBlock) -> str:
    cls = ' class="in-passage"' if b.in_passage else ""
    text = _text(b.pieces[0])
    if b.kind == "heading":
        return f"<h3{cls}>{text}</h3>"
    if b.kind == "list_item":
        marker = f'<span class="marker">{esc(b.marker)}</span> ' if b.marker else ""
        return f'<p class="list-item{" in-passage" if b.in_passage else ""}">{marker}{text}</p>'
    return f"<p{cls}>{text}</p>"


def _card(b: SectionBlock) -> str:
    cls = "row-card in-passage" if b.in_passage else "row-card"
    filled = [(label, p) for label, p in zip(b.labels or [""] * len(b.pieces), b.pieces) if p.text]
    if not filled:
        return ""
    if len(filled) == 1 and b.pieces[0].text:  # a row across the table: "The Riverford PDU should:"
        return f'<p class="{cls} row-heading">{_text(filled[0][1])}</p>'
    if not b.labels:
        return f'<div class="{cls} row-stack">' + "".join(f"<p>{_text(p)}</p>" for _, p in filled) + "</div>"
    items = "".join(f"<dt>{esc(label or '—')}</dt><dd>{_text(p)}</dd>" for label, p in filled)
    return f'<dl class="{cls}">{items}</dl>'


def _unavailable(v: Unavailable) -> tuple[str, str]:
    if v.source is None:
        return '<h2 id="original-heading">In the document</h2>', notice_html("warning", v.reason)
    c = v.source.chunk
    return (_head(v.source, pages_label(c.pages) or "") + notice_html("info", v.reason),
            f'<div class="passage">{esc(c.text)}</div>')


def empty_html() -> str:
    return EMPTY

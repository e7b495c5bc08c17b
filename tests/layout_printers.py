"""Print the development documents of tests/layouts.py: PDF (fpdf2), Word (python-docx), OpenDocument
(odfpy) and saved web pages. Report PDFs and table PDFs also give the pages each record is printed on.

Reports: a cover, contents with dot leaders, a running header and a page number, headings by size
(22 / 16 / 13 pt bold against 11 pt body), addressee lines in bold. Plans: a landscape table drawn
the way Word prints one: the header row repeated on each page, addressee rows across the table, a
row's number, recommendation and status cells merged down over its action lines, and a row that
does not fit continued on the next page with those merged cells empty.
"""
from __future__ import annotations

import datetime
import html
import io
from typing import Optional

from layouts import Plan, Report, Row, plan_rows, report_recs

from documents import _borders, latin1

Pages = dict[int, list[int]]  # record ordinal -> pages


def _marker(report: Report, printed: str) -> str:
    return {"paren": f"({printed})", "letter": f"{printed})"}.get(report.numbering, f"{printed}.")


# a file made long before (or after) what it is about: its creation date is never the document's date
FILE_MADE = "2021-01-15"


def _date(iso: Optional[str]) -> datetime.datetime:
    return datetime.datetime.fromisoformat(iso or FILE_MADE).replace(tzinfo=datetime.timezone.utc)


# --- reports ---------------------------------------------------------------------------------

def report_pdf(report: Report) -> tuple[bytes, Pages]:
    from fpdf import FPDF

    footer = report.footer

    class ReportPDF(FPDF):
        def header(self):
            if self.page_no() > 1 and report.running_header:
                self.set_font("Helvetica", size=8)
                self.set_y(8)
                self.cell(0, 5, latin1(report.running_header))
                self.set_y(20)
                self.set_font("Helvetica", size=11)

        def footer(self):
            if self.page_no() > 1:
                self.set_y(-14)
                self.set_font("Helvetica", size=8)
                self.cell(0, 6, footer.format(n=self.page_no(), nb="{nb}"), align="C")
                self.set_font("Helvetica", size=11)

    pdf = ReportPDF(unit="mm", format="A4")
    pdf.creation_date = _date(report.created)
    pdf.set_auto_page_break(True, margin=22)
    pages: Pages = {}

    def write(text: str, size: float = 11, bold: bool = False, h: float = 6, after: float = 2) -> None:
        pdf.set_font("Helvetica", style="B" if bold else "", size=size)
        pdf.multi_cell(0, h, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(after)

    for kind, value in report.blocks:
        if kind == "cover":
            pdf.add_page()
            write(value[0], 12, after=30)
            write(value[1], 22, True, h=10, after=12)
            write(value[2], 14, after=4)
        elif kind == "contents":
            pdf.add_page()
            write("Contents", 16, True, h=8, after=4)
            pdf.set_font("Helvetica", size=11)
            for n, entry in enumerate(value, start=3):
                pdf.cell(150, 6, latin1(entry) + " " + "." * (60 - len(entry)))
                pdf.cell(0, 6, str(n), new_x="LMARGIN", new_y="NEXT")
        elif kind == "break":
            pdf.add_page()
        elif kind == "h1":
            if pdf.page_no() == 0:
                pdf.add_page()
            write(value, 16, True, h=8, after=3)
        elif kind == "h2":
            write(value, 13, True, h=7, after=2)
        elif kind == "p":
            write(value)
        elif kind == "list":
            for n, item in enumerate(value, start=1):
                write(f"{n}. {item}", after=1)
        elif kind == "table":
            pdf.set_font("Helvetica", size=10)
            for row in value:
                for cell in row:
                    pdf.cell(50, 7, latin1(cell), border=1)
                pdf.ln(7)
            pdf.ln(3)
        elif kind == "recs":
            n = 0
            for heading, recs in report.groups:
                write(heading, bold=True, after=1)
                for rec in recs:
                    n += 1
                    pdf.set_font("Helvetica", size=11)
                    first = pdf.page_no() + (pdf.get_y() + 6 > pdf.page_break_trigger)  # its first line's page
                    write(f"{_marker(report, rec.printed)} {rec.text}", after=2)
                    pages.setdefault(n, [])
                    pages[n] += [p for p in range(first, pdf.page_no() + 1) if p not in pages[n]]
    return bytes(pdf.output()), pages


def report_docx(report: Report) -> bytes:
    """Word: Heading 1 chapters, a table of contents in the TOC 1 style, and the recommendations in a
    multilevel list whose numbers ("1." for an addressee, "1.1" for a recommendation) are Word's."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()
    d.core_properties.title = report.title
    d.core_properties.created = _date(report.created)
    toc = d.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    num_id = _multilevel(d)
    for kind, value in report.blocks:
        if kind == "cover":
            d.add_paragraph(value[0])
            d.add_heading(value[1], level=0)
            d.add_paragraph(value[2])
        elif kind == "contents":
            d.add_paragraph("Contents", style=toc)
            for n, entry in enumerate(value, start=3):
                d.add_paragraph(f"{entry}\t{n}", style=toc)
        elif kind in ("h1", "h2"):
            d.add_heading(value, level=1 if kind == "h1" else 2)
        elif kind == "p":
            d.add_paragraph(value)
        elif kind == "table":
            t = d.add_table(rows=0, cols=len(value[0]))
            _borders(t)
            for row in value:
                for c, text in zip(t.add_row().cells, row):
                    c.text = text
        elif kind == "recs":
            for heading, recs in report.groups:
                _numbered(d.add_paragraph(heading), num_id, 0)
                for rec in recs:
                    _numbered(d.add_paragraph(rec.text), num_id, 1)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _multilevel(d) -> str:
    """A numbering definition "%1." / "%1.%2" added to the document's numbering part; its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = d.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/></w:lvl>' for i, text in enumerate(("%1.", "%1.%2")))
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def _numbered(paragraph, num_id: str, level: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def report_odt(report: Report) -> bytes:
    """OpenDocument: outline-level headings, and the recommendations lettered "a)" by their list style,
    the second list continuing the first."""
    from odf.opendocument import OpenDocumentText
    from odf.style import ListLevelProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, ListLevelStyleNumber, ListStyle, P

    d = OpenDocumentText()
    ls = ListStyle(name="Letters")
    lvl = ListLevelStyleNumber(level=1, numformat="a", numsuffix=")", startvalue=1)
    lvl.addElement(ListLevelProperties())
    ls.addElement(lvl)
    d.automaticstyles.addElement(ls)
    d.meta.addElement(__import__("odf.dc", fromlist=["Title"]).Title(text=report.title))
    for kind, value in report.blocks:
        if kind == "cover":
            for line in value:
                d.text.addElement(P(text=line))
        elif kind in ("h1", "h2"):
            d.text.addElement(H(outlinelevel=1 if kind == "h1" else 2, text=value))
        elif kind == "p":
            d.text.addElement(P(text=value))
        elif kind == "list":
            lst = List()
            for item in value:
                li = ListItem()
                li.addElement(P(text=item))
                lst.addElement(li)
            d.text.addElement(lst)
        elif kind == "recs":
            for i, (heading, recs) in enumerate(report.groups):
                d.text.addElement(P(text=heading))
                lst = List(stylename="Letters", continuenumbering="true") if i else List(stylename="Letters")
                for rec in recs:
                    li = ListItem()
                    li.addElement(P(text=rec.text))
                    lst.addElement(li)
                d.text.addElement(lst)
    del Table, TableCell, TableColumn, TableRow
    buf = io.BytesIO()
    d.write(buf)
    return buf.getvalue()


def report_html(report: Report) -> bytes:
    """A saved page: banner, navigation, breadcrumbs; the recommendations in a table with addressee rows."""
    e = html.escape
    parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
             f"<title>{e(report.title)} - HM Inspectorate of Probation</title>",
             f"<meta name='date' content='{report.meta_date}'>" if report.meta_date else "",
             "</head><body><div class='cookie-banner' role='region'><p>We use cookies.</p></div>",
             "<nav><ul><li><a href='/a'>Reports</a></li><li><a href='/b'>About</a></li><li><a href='/c'>Contact"
             "</a></li></ul></nav><main>"]
    for kind, value in report.blocks:
        if kind == "h1":
            parts.append(f"<h1>{e(value)}</h1>")
        elif kind == "h2":
            parts.append(f"<h2>{e(value)}</h2>")
        elif kind == "p":
            parts.append(f"<p>{e(value)}</p>")
        elif kind == "recs":
            parts.append("<table><thead><tr><th>No.</th><th>Recommendation</th></tr></thead><tbody>")
            for heading, recs in report.groups:
                parts.append(f"<tr><th colspan='2'>{e(heading)}</th></tr>")
                parts += [f"<tr><td>{r.printed}</td><td>{e(r.text)}</td></tr>" for r in recs]
            parts.append("</tbody></table>")
    parts.append("<aside class='related'><h2>Related</h2><ul><li><a href='/m'>Millbrook PDU inspection</a></li>"
                 "<li><a href='/n'>Annual report</a></li><li><a href='/o'>Guidance</a></li></ul></aside>")
    parts.append("</main><footer><p>Crown copyright</p></footer></body></html>")
    return "\n".join(p for p in parts if p).encode("utf-8")


# --- plans -----------------------------------------------------------------------------------

def _status_cell(row: Row) -> list[str]:
    return [f"{row.status} {row.note}"] if row.note else [row.status]


def plan_pdf(plan: Plan, widths=(16, 62, 32, 96, 40, 28)) -> tuple[bytes, Pages]:
    """The plan as a landscape table PDF with merged cells over action lines (see the module docstring)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.creation_date = _date(plan.created)
    pdf.set_auto_page_break(False)
    size, line_h, pad, x0, top, bottom = 8.0, 3.6, 1.4, 12.0, 12.0, 210 - 16.0
    pages: Pages = {}
    state = {"y": top, "page": 0}

    def wrap(text: str, w: float) -> list[str]:
        pdf.set_font("Helvetica", size=size)
        pdf.c_margin = 0
        out: list[str] = []
        for para in text.split("\n"):
            if para.strip():
                out += pdf.multi_cell(w - 2 * pad, line_h, latin1(para), dry_run=True, output="LINES")
        return out

    def new_page():
        pdf.add_page()
        state["page"] += 1
        pdf.set_font("Helvetica", size=7)
        pdf.text(x0, 210 - 7, f"OFFICIAL  {state['page']}")
        state["y"] = top
        draw([wrap(h, w) for h, w in zip(plan.header, widths)], list(widths), bold=True)

    def draw(cells: list[list[str]], ws: list[float], bold=False, rules=None) -> None:
        """One band of cells; rules[i] False leaves cell i open at the bottom (merged with the band below)."""
        y = state["y"]
        h = max(1, max(len(c) for c in cells)) * line_h + 2 * pad
        x = x0
        pdf.set_font("Helvetica", style="B" if bold else "", size=size)
        for i, (lines, w) in enumerate(zip(cells, ws)):
            for k, ln in enumerate(lines):
                pdf.text(x + pad, y + pad + (k + 0.8) * line_h, ln)
            pdf.line(x, y, x + w, y) if rules is None or rules[i] != "open-top" else None
            pdf.line(x, y, x, y + h)
            pdf.line(x + w, y, x + w, y + h)
            pdf.line(x, y + h, x + w, y + h)
            x += w
        state["y"] = y + h

    pdf.add_page()
    state["page"] = 1
    for ln in plan.title_lines:
        pdf.set_font("Helvetica", style="B", size=11)
        pdf.text(x0, state["y"] + 5, latin1(ln))
        state["y"] += 7
    state["y"] += 3
    for term, definition in [("Term", "Definition")] + plan.categories if plan.categories else []:
        draw([wrap(term, 40), wrap(definition, 160)], [40, 160], bold=term == "Term")  # right above the plan
    draw([wrap(h, w) for h, w in zip(plan.header, widths)], list(widths), bold=True)
    n = 0
    for heading, rows in plan.groups:
        if state["y"] + 3 * line_h > bottom:
            new_page()
        draw([wrap(heading, sum(widths))], [sum(widths)])
        for row in rows:
            n += 1
            _plan_row(plan, row, n, pages, state, widths, wrap, draw, new_page, bottom, line_h, pad, pdf)
    if plan.totals:
        state["y"] += 6
        if state["y"] + (len(plan.totals) + 1) * 9 > bottom:
            pdf.add_page()
            state["y"] = top
        pdf.set_font("Helvetica", style="B", size=size)
        pdf.text(x0, state["y"], "Summary of responses")
        state["y"] += 2
        draw([["Response"], ["Number"]], [40, 20], bold=True)
        for k, v in plan.totals.items():
            draw([[k], [str(v)]], [40, 20])
    return bytes(pdf.output()), pages


def _plan_row(plan, row: Row, n: int, pages: Pages, state, widths, wrap, draw, new_page, bottom, line_h, pad,
              pdf) -> None:
    """A row: the merged cells (number, recommendation, status) beside each action line, continued over pages."""
    text = row.text + (f" ({row.scope})" if row.scope else "")
    merged = [wrap(row.printed, widths[0]), wrap(text, widths[1]), wrap("\n".join(_status_cell(row)), widths[2])]
    first_page = state["page"]
    for k, action in enumerate(row.actions):
        acts = [wrap("\n".join(action.response), widths[3]), wrap("\n".join(action.owners), widths[4]),
                wrap("\n".join(action.targets), widths[5])]
        last = k == len(row.actions) - 1
        while True:
            room = int((bottom - state["y"] - 2 * pad) // line_h)
            need = max(len(c) for c in acts + (merged if last else [[]]))
            if room < 2:
                new_page()
                continue
            take = min(room, need)
            band = [m[:take] for m in merged] + [a[:take] for a in acts]
            merged = [m[take:] for m in merged]
            acts = [a[take:] for a in acts]
            draw(band, list(widths), rules=None if k == 0 else ["open-top"] * 3 + [None] * 3)
            if not any(acts) and (not last or not any(merged)):
                break
            new_page()
    pages[n] = list(range(first_page, state["page"] + 1))


def plan_docx(plan: Plan) -> bytes:
    """Word: addressee rows merged across (gridSpan), the merged cells of a row over its action lines (vMerge),
    the status and its note as two paragraphs of one cell, a repeated header row."""
    import docx
    from docx.oxml import OxmlElement

    d = docx.Document()
    d.core_properties.title = plan.title
    d.core_properties.created = _date(plan.created)
    for ln in plan.title_lines:
        d.add_paragraph(ln)
    if plan.categories:
        cat = d.add_table(rows=0, cols=2)
        _borders(cat)
        for term, definition in [("Term", "Definition"), *plan.categories]:
            c = cat.add_row().cells
            c[0].text, c[1].text = term, definition
        d.add_paragraph("The plan")
    t = d.add_table(rows=1, cols=6)
    _borders(t)
    for c, h in zip(t.rows[0].cells, plan.header):
        c.text = h
    t.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))

    def fill(cell, paras: list[str]) -> None:
        cell.text = paras[0] if paras else ""
        for p in paras[1:]:
            cell.add_paragraph(p)

    for heading, rows in plan.groups:
        r = t.add_row()
        r.cells[0].merge(r.cells[5]).text = heading
        for row in rows:
            first = None
            for k, action in enumerate(row.actions):
                cells = t.add_row().cells
                if k == 0:
                    first = cells
                    fill(cells[0], [row.printed])
                    fill(cells[1], [row.text + (f" ({row.scope})" if row.scope else "")])
                    fill(cells[2], [row.status] + ([row.note] if row.note else []))
                fill(cells[3], action.response)
                fill(cells[4], action.owners)
                fill(cells[5], action.targets)
                if k:
                    for i in range(3):
                        first[i].merge(cells[i])
    if plan.totals:
        d.add_paragraph("Summary of responses")
        t2 = d.add_table(rows=0, cols=2)
        _borders(t2)
        for k, v in {"Response": "Number", **plan.totals}.items():
            c = t2.add_row().cells
            c[0].text, c[1].text = k, str(v)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def plan_odt(plan: Plan) -> bytes:
    """OpenDocument: header rows, addressee rows spanning the table, merged cells over action lines."""
    from odf.opendocument import OpenDocumentText
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableHeaderRows, TableRow
    from odf.text import P

    d = OpenDocumentText()
    for ln in plan.title_lines:
        d.text.addElement(P(text=ln))
    t = Table(name="Plan")
    t.addElement(TableColumn(numbercolumnsrepeated=6))

    def cell(paras: list[str], rows: int = 1):
        c = TableCell(numberrowsspanned=rows) if rows > 1 else TableCell()
        for p in paras:
            c.addElement(P(text=p))
        return c

    hr = TableHeaderRows()
    head = TableRow()
    for h in plan.header:
        head.addElement(cell([h]))
    hr.addElement(head)
    t.addElement(hr)
    for heading, rows in plan.groups:
        tr = TableRow()
        span = TableCell(numbercolumnsspanned=6)
        span.addElement(P(text=heading))
        tr.addElement(span)
        for _ in range(5):
            tr.addElement(CoveredTableCell())
        t.addElement(tr)
        for row in rows:
            for k, action in enumerate(row.actions):
                tr = TableRow()
                if k == 0:
                    n = len(row.actions)
                    for paras in ([row.printed], [row.text + (f" ({row.scope})" if row.scope else "")],
                                  _status_cell(row)):
                        tr.addElement(cell(paras, n))
                else:
                    for _ in range(3):
                        tr.addElement(CoveredTableCell())
                for paras in (action.response, action.owners, action.targets):
                    tr.addElement(cell(paras))
                t.addElement(tr)
    d.text.addElement(t)
    buf = io.BytesIO()
    d.write(buf)
    return buf.getvalue()


PRINTERS = {"pdf": (report_pdf, plan_pdf), "docx": (report_docx, plan_docx), "odt": (report_odt, plan_odt),
            "html": (report_html, None)}


def print_report(report: Report) -> tuple[bytes, Pages]:
    fmt = report.file.rsplit(".", 1)[1]
    out = PRINTERS[fmt][0](report)
    return out if isinstance(out, tuple) else (out, {})


def print_plan(plan: Plan, fmt: str) -> tuple[bytes, Pages]:
    out = PRINTERS[fmt][1](plan)
    return out if isinstance(out, tuple) else (out, {})


__all__ = ["print_plan", "print_report", "plan_rows", "report_recs"]

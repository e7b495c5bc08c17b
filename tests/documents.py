"""Documents made in code for the format tests: action plans and an inspection report, as
PDF (fpdf2), Word (python-docx), OpenDocument (odfpy) and saved web pages (hand-written HTML).

The content is written for the tests (the fictional Riverford PDU) or taken from a shipped
plan's parsed rows; nothing binary is committed. The PDF table is drawn the way Word prints
one: ruled cells, the header row repeated on every page, rows that do not fit split over the
page break with the cell borders closed at the foot of the page, addressee rows spanning
the whole table.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Optional

HEADER = ("Rec No", "Recommendation", "Agreed/ Partly Agreed/ Not Agreed", "Response Action Taken/Planned",
          "Responsible Owner", "Target Date")


@dataclass
class PlanRow:
    number: int
    text: str
    status: str
    response: list[str]
    owners: list[str]
    targets: list[str]


@dataclass
class Plan:
    title_lines: list[str]
    groups: list[tuple[str, list[PlanRow]]]  # (addressee heading, its rows)
    totals: Optional[dict[str, int]] = None

    @property
    def rows(self) -> list[PlanRow]:
        return [r for _, rows in self.groups for r in rows]


@dataclass
class Report:
    title: str
    lines_before: list[str]  # cover and summary paragraphs
    groups: list[tuple[str, list[str]]]  # (addressee heading, its recommendations), numbered on through
    lines_after: list[str] = field(default_factory=list)


_LONG = ("The PDU will review the allocation of cases against the workload measurement tool every month, "
         "and the head of service will report progress to the regional leadership team. ")

RIVERFORD_PLAN = Plan(
    title_lines=["ACTION PLAN", "Action Plan Submitted: 30 April 2024",
                 "A Response to the HMI Probation Inspection:",
                 "An inspection of probation services in Riverford PDU",
                 "Report Published: 12 March 2024"],
    groups=[
        ("The Riverford PDU should:", [
            PlanRow(1, "Improve the quality of risk assessments so that they consider all available information "
                       "about domestic abuse and child safeguarding.", "Agreed",
                    ["The PDU will deliver risk assessment workshops for all practitioners by September 2024.",
                     "Senior probation officers will audit ten cases a month and share the findings."],
                    ["Head of Riverford PDU", "Senior Probation Officers, Riverford PDU"],
                    ["September 2024", "Ongoing"]),
            PlanRow(2, "Make sure that caseloads are allocated in line with the workload measurement tool.",
                    "Partly Agreed", [_LONG * 14, "Recruitment to the vacant posts is under way."],
                    ["Head of Riverford PDU"], ["June 2024", "December 2024"]),
            PlanRow(3, "Provide interpreters for people on probation whose first language is not English.",
                    "Not Agreed", ["Interpreting services are commissioned nationally and are not a PDU matter."],
                    ["Regional Probation Director"], ["Complete"]),
        ]),
        ("HM Prison and Probation Service should:", [
            PlanRow(4, "Review the vetting process so that new staff start within twelve weeks of their offer.",
                    "Agreed", ["HMPPS will set a twelve-week target for vetting and report against it quarterly."],
                    ["Deputy Director, HMPPS Vetting"], ["March 2025"]),
            PlanRow(5, "Ensure that case administrators receive training in the new case management system.",
                    "Agreed", ["A training package will be available to all case administrators."],
                    ["Head of Learning and Development", "Regional Business Manager"], ["January 2025"]),
        ]),
    ],
    totals={"Agreed": 3, "Partly Agreed": 1, "Not Agreed": 1, "Total": 5},
)

RIVERFORD_REPORT = Report(
    title="An inspection of probation services in: Riverford PDU",
    lines_before=["HM Inspectorate of Probation", "Published: 12 March 2024",
                  "Foreword",
                  "This inspection is part of our programme of inspections of probation delivery units. "
                  "We found committed staff working under pressure from high caseloads.",
                  "Recommendations",
                  "As a result of our inspection findings, we have made five recommendations that we believe, "
                  "if implemented, will have a positive impact on the quality of probation services."],
    groups=[
        ("The Riverford PDU should:", [
            "improve the quality of risk assessments so that they consider all available information about "
            "domestic abuse and child safeguarding",
            "make sure that caseloads are allocated in line with the workload measurement tool",
            "provide interpreters for people on probation whose first language is not English"]),
        ("HM Prison and Probation Service should:", [
            "review the vetting process so that new staff start within twelve weeks of their offer",
            "ensure that case administrators receive training in the new case management system"]),
    ],
    lines_after=["Background",
                 "Riverford PDU supervises around 2,400 people on probation from two offices.",
                 "Contextual facts",
                 "The PDU had 14 vacant probation officer posts at the time of the inspection."],
)


def latin1(text: str) -> str:
    """fpdf2's core fonts are latin-1: map the typographic characters the plans use."""
    table = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
             "\u2022": "-", "\u2026": "...", "\u00a0": " ", "\u2010": "-", "\u2011": "-"}
    return "".join(table.get(c, c) for c in text).encode("latin-1", "replace").decode("latin-1")


# --- PDF -----------------------------------------------------------------------------------

def plan_pdf(plan: Plan, *, widths=(14, 58, 26, 100, 44, 30), font_size=8.0, line_h=3.6, pad=1.4,
             close_split_rows: bool = True, page_height: Optional[float] = None) -> bytes:
    """The plan as a landscape A4 table PDF, printed the way Word prints a table."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(12, 12, 12)
    pdf.set_font("Helvetica", size=font_size)
    top, bottom = 12.0, (page_height or pdf.h) - 14.0
    x0 = 12.0
    page_no = [0]

    def footer():
        pdf.set_font("Helvetica", size=7)
        pdf.text(x0, pdf.h - 6, latin1(f"OFFICIAL - Page {page_no[0]}"))
        pdf.set_font("Helvetica", size=font_size)

    def new_page():
        pdf.add_page()
        page_no[0] += 1
        footer()
        return top

    def wrap(text: str, w: float) -> list[str]:
        pdf.c_margin = 0  # the cell's padding is `pad`, on both sides, as in Word
        lines: list[str] = []
        for para in text.split("\n"):
            if para.strip():
                lines += pdf.multi_cell(w - 2 * pad, line_h, latin1(para), dry_run=True, output="LINES")
        return lines

    def draw(cells: list[list[str]], ws: list[float], y: float, bold=False, close_bottom=True) -> float:
        h = max(len(c) for c in cells) * line_h + 2 * pad
        x = x0
        pdf.set_font("Helvetica", style="B" if bold else "", size=font_size)
        for lines, w in zip(cells, ws):
            for k, ln in enumerate(lines):
                pdf.text(x + pad, y + pad + (k + 0.8) * line_h, ln)
            pdf.line(x, y, x + w, y)  # top
            pdf.line(x, y, x, y + h)  # left
            pdf.line(x + w, y, x + w, y + h)  # right
            if close_bottom:
                pdf.line(x, y + h, x + w, y + h)
            x += w
        pdf.set_font("Helvetica", size=font_size)
        return y + h

    def header(y):
        return draw(header_lines, list(widths), y, bold=True)

    y = new_page()
    header_lines = [wrap(h, w) for h, w in zip(HEADER, widths)]
    for ln in plan.title_lines:
        pdf.set_font("Helvetica", style="B", size=11)
        pdf.text(x0, y + 5, latin1(ln))
        y += 7
    pdf.set_font("Helvetica", size=font_size)
    y = header(y + 3)
    for addressee, rows in plan.groups:
        span = [wrap(addressee, sum(widths))]
        need = len(span[0]) * line_h + 2 * pad
        if y + need > bottom:
            y = header(new_page())
        y = draw(span, [sum(widths)], y)
        for r in rows:
            cells = [wrap(str(r.number), widths[0]), wrap(r.text, widths[1]), wrap(r.status, widths[2]),
                     wrap("\n".join(r.response), widths[3]), wrap("\n".join(r.owners), widths[4]),
                     wrap("\n".join(r.targets), widths[5])]
            while any(cells):
                room = int((bottom - y - 2 * pad) // line_h)
                if room < 2:
                    y = header(new_page())
                    continue
                take = min(room, max(len(c) for c in cells))
                part = [c[:take] for c in cells]
                cells = [c[take:] for c in cells]
                more = any(cells)
                y = draw(part, list(widths), y, close_bottom=close_split_rows or not more)
                if more:
                    y = header(new_page())
    if plan.totals:
        rows = [(k, str(v)) for k, v in plan.totals.items()]
        need = (len(rows) + 1) * (line_h + 2 * pad)
        y = y + 6
        if y + need > bottom:
            y = new_page()
        pdf.set_font("Helvetica", style="B", size=font_size)
        pdf.text(x0, y, "Recommendations")
        y += 2
        for k, v in rows:
            y = draw([[k], [v]], [40, 20], y)
    return bytes(pdf.output())


def report_pdf(report: Report, *, running_header: str = "Inspection of probation services: Riverford PDU",
               filler_paragraphs: int = 11) -> bytes:
    """The report as a text PDF: cover lines, prose, the numbered recommendations wrapped over lines
    and crossing a page break, a running header and a page number on every page."""
    from fpdf import FPDF

    class ReportPDF(FPDF):
        def header(self):
            self.set_font("Helvetica", size=8)
            self.text(15, 10, latin1(running_header))
            self.set_y(18)
            self.set_font("Helvetica", size=11)

        def footer(self):
            self.set_font("Helvetica", size=8)
            self.text(100, 290, str(self.page_no()))
            self.set_font("Helvetica", size=11)

    pdf = ReportPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.multi_cell(0, 8, latin1(report.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    prose = "Inspectors looked at the quality of assessment, planning, delivery and review in a sample of cases. " * 6
    for ln in report.lines_before:
        if ln == "Recommendations":  # prose first, so that the list crosses a page break
            for _ in range(filler_paragraphs):
                pdf.multi_cell(0, 6, latin1(prose), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
        pdf.multi_cell(0, 6, latin1(ln), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    n = 0
    for addressee, items in report.groups:
        pdf.multi_cell(0, 6, latin1(addressee), new_x="LMARGIN", new_y="NEXT")
        for item in items:
            n += 1
            pdf.multi_cell(0, 6, latin1(f"{n}. {item}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for ln in report.lines_after:
        pdf.multi_cell(0, 6, latin1(ln), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())


# --- Word and OpenDocument ---------------------------------------------------------------------

def plan_docx(plan: Plan, *, split_row: Optional[int] = 2) -> bytes:
    """The plan as a Word table: header row repeated (tblHeader), addressee rows merged across the
    table, each cell's paragraphs kept. Row `split_row` is stored as two table rows, its second
    part with an empty number cell, as when a table is pasted from a PDF."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    d = docx.Document()
    section = d.sections[0]  # landscape A4, as plans are laid out
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(12)
    for ln in plan.title_lines:
        d.add_paragraph(ln)
    table = d.add_table(rows=1, cols=6)
    table.autofit = False
    table.style = "Table Grid"
    _borders(table)
    for cell, h in zip(table.rows[0].cells, HEADER):
        cell.text = h
    for col, w in zip(table.columns, (14, 58, 26, 100, 44, 30)):
        col.width = Mm(w)
        for c in col.cells:
            c.width = Mm(w)
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))

    def fill(cell, paras: list[str]):
        cell.text = paras[0] if paras else ""
        for p in paras[1:]:
            cell.add_paragraph(p)

    for addressee, rows in plan.groups:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[5])
        merged.text = addressee
        for r in rows:
            parts = [r.response]
            if r.number == split_row and len(r.response) > 1:
                parts = [r.response[:1], r.response[1:]]
            for k, resp in enumerate(parts):
                cells = table.add_row().cells
                for c, w in zip(cells, (14, 58, 26, 100, 44, 30)):
                    c.width = Mm(w)
                if k == 0:
                    fill(cells[0], [str(r.number)])
                    fill(cells[1], [r.text])
                    fill(cells[2], [r.status])
                    fill(cells[4], r.owners)
                    fill(cells[5], r.targets)
                fill(cells[3], resp)
    assert qn("w:tblHeader")
    if plan.totals:
        d.add_paragraph("Recommendations")
        t2 = d.add_table(rows=0, cols=2)
        _borders(t2)
        for k, v in plan.totals.items():
            c = t2.add_row().cells
            c[0].text, c[1].text = k, str(v)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _borders(table) -> None:
    """Single-line borders on every edge, written into the table itself (not only its style)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


def report_docx(report: Report) -> bytes:
    """The report as Word: a Heading 1 "Recommendations" and Word's automatic numbering (List Number),
    so the numbers are not in the text: the reader must rebuild them."""
    import docx

    d = docx.Document()
    d.core_properties.title = report.title
    d.add_heading(report.title, level=0)
    for ln in report.lines_before:
        if ln in ("Recommendations", "Foreword"):
            d.add_heading(ln, level=1)
        else:
            d.add_paragraph(ln)
    for addressee, items in report.groups:
        d.add_paragraph(addressee)
        for item in items:
            d.add_paragraph(item, style="List Number")
    for ln in report.lines_after:
        d.add_heading(ln, level=1) if ln in ("Background", "Contextual facts") else d.add_paragraph(ln)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def plan_odt(plan: Plan) -> bytes:
    """The plan as an OpenDocument table: header rows, addressee rows spanning six columns."""
    from odf.opendocument import OpenDocumentText
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableHeaderRows, TableRow
    from odf.text import P

    d = OpenDocumentText()
    for ln in plan.title_lines:
        d.text.addElement(P(text=ln))
    t = Table(name="Plan")
    t.addElement(TableColumn(numbercolumnsrepeated=6))
    hr = TableHeaderRows()
    row = TableRow()
    for h in HEADER:
        c = TableCell()
        c.addElement(P(text=h))
        row.addElement(c)
    hr.addElement(row)
    t.addElement(hr)

    def cell(paras: list[str]):
        c = TableCell()
        for p in paras:
            c.addElement(P(text=p))
        return c

    for addressee, rows in plan.groups:
        row = TableRow()
        c = TableCell(numbercolumnsspanned=6)
        c.addElement(P(text=addressee))
        row.addElement(c)
        for _ in range(5):
            row.addElement(CoveredTableCell())
        t.addElement(row)
        for r in rows:
            row = TableRow()
            for paras in ([str(r.number)], [r.text], [r.status], r.response, r.owners, r.targets):
                row.addElement(cell(paras))
            t.addElement(row)
    d.text.addElement(t)
    if plan.totals:
        t2 = Table(name="Totals")
        t2.addElement(TableColumn(numbercolumnsrepeated=2))
        for k, v in plan.totals.items():
            row = TableRow()
            row.addElement(cell([k]))
            row.addElement(cell([str(v)]))
            t2.addElement(row)
        d.text.addElement(P(text="Recommendations"))
        d.text.addElement(t2)
    buf = io.BytesIO()
    d.write(buf)
    return buf.getvalue()


def report_odt(report: Report) -> bytes:
    """The report as OpenDocument: numbered lists whose numbers come from the list style, the second
    list continuing the first's numbering."""
    from odf.opendocument import OpenDocumentText
    from odf.style import ListLevelProperties
    from odf.text import H, List, ListItem, ListLevelStyleNumber, ListStyle, P

    d = OpenDocumentText()
    ls = ListStyle(name="Numbers")
    lvl = ListLevelStyleNumber(level=1, numformat="1", numsuffix=".", startvalue=1)
    lvl.addElement(ListLevelProperties())
    ls.addElement(lvl)
    d.automaticstyles.addElement(ls)
    d.text.addElement(H(outlinelevel=1, text=report.title))
    for ln in report.lines_before:
        d.text.addElement(H(outlinelevel=2, text=ln) if ln in ("Recommendations", "Foreword") else P(text=ln))
    first = True
    for addressee, items in report.groups:
        d.text.addElement(P(text=addressee))
        lst = List(stylename="Numbers") if first else List(stylename="Numbers", continuenumbering="true")
        first = False
        for item in items:
            li = ListItem()
            li.addElement(P(text=item))
            lst.addElement(li)
        d.text.addElement(lst)
    for ln in report.lines_after:
        d.text.addElement(H(outlinelevel=2, text=ln) if ln in ("Background", "Contextual facts") else P(text=ln))
    buf = io.BytesIO()
    d.write(buf)
    return buf.getvalue()


# --- HTML ------------------------------------------------------------------------------------

def _esc(s: str) -> str:
    import html

    return html.escape(s)


def report_html(report: Report) -> bytes:
    """The report as a page saved from a browser: a cookie banner, a skip link, navigation, a
    breadcrumb, scripts, the article with its recommendations as ordered lists (the second
    restarting with start=), related links and a footer."""
    parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
             f"<title>{_esc(report.title)} - HM Inspectorate of Probation</title>",
             "<script>window.dataLayer = []; "
             "function track(){ return 'Recommendations should: 99. tracked'; }</script>",
             "<style>.cookie-banner{position:fixed}</style></head><body>",
             "<div class='govuk-cookie-banner' id='global-cookie-message' role='region'><p>We use cookies to "
             "collect information about how you use this website. Recommendations should: accept analytics "
             "cookies.</p><button>Accept analytics cookies</button></div>",
             "<a href='#main' class='skip-link'>Skip to main content</a>",
             "<header class='site-header'><a href='/'>HM Inspectorate of Probation</a>",
             "<nav><ul><li><a href='/a'>Inspections</a></li><li><a href='/b'>Our reports</a></li>"
             "<li><a href='/c'>About us</a></li><li><a href='/d'>Contact</a></li></ul></nav></header>",
             "<div class='breadcrumbs'><a href='/'>Home</a> &gt; <a href='/r'>Reports</a></div>",
             "<main id='main'><article>",
             f"<h1>{_esc(report.title)}</h1>"]
    for ln in report.lines_before:
        if ln in ("Recommendations", "Foreword"):
            parts.append(f"<h2>{_esc(ln)}</h2>")
        else:
            parts.append(f"<p>{_esc(ln)}</p>")
    n = 0
    for addressee, items in report.groups:
        parts.append(f"<p><strong>{_esc(addressee)}</strong></p>")
        parts.append(f"<ol start='{n + 1}'>" if n else "<ol>")
        for item in items:
            parts.append(f"<li><p>{_esc(item)}</p></li>")
            n += 1
        parts.append("</ol>")
    for ln in report.lines_after:
        parts.append(f"<h2>{_esc(ln)}</h2>" if ln in ("Background", "Contextual facts") else f"<p>{_esc(ln)}</p>")
    parts += ["</article>",
              "<aside class='related'><h2>Related content</h2><ul><li><a href='/x'>Another report</a></li>"
              "<li><a href='/y'>Annual report</a></li><li><a href='/z'>Effective practice</a></li></ul></aside>",
              "</main>",
              "<footer class='site-footer'><p>© Crown copyright. All recommendations should: be read in full.</p>"
              "<ul><li><a href='/p'>Privacy</a></li><li><a href='/c'>Cookies</a></li><li><a href='/a'>"
              "Accessibility</a></li></ul></footer>",
              "<script>track();</script></body></html>"]
    return "\n".join(parts).encode("utf-8")


def plan_html(plan: Plan) -> bytes:
    """The plan as an HTML table: a thead, addressee rows with colspan=6, paragraphs in cells."""
    rows = ["<table><thead><tr>" + "".join(f"<th>{_esc(h)}</th>" for h in HEADER) + "</tr></thead><tbody>"]
    for addressee, group in plan.groups:
        rows.append(f"<tr><td colspan='6'><strong>{_esc(addressee)}</strong></td></tr>")
        for r in group:
            cells = [[str(r.number)], [r.text], [r.status], r.response, r.owners, r.targets]
            rows.append("<tr>" + "".join("<td>" + "".join(f"<p>{_esc(p)}</p>" for p in c) + "</td>"
                                         for c in cells) + "</tr>")
    rows.append("</tbody></table>")
    head = "".join(f"<p>{_esc(ln)}</p>" for ln in plan.title_lines)
    return f"<!DOCTYPE html><html><body><main>{head}{''.join(rows)}</main></body></html>".encode("utf-8")


def plan_from_text_rows(rows, title_lines: list[str], totals: Optional[dict[str, int]] = None) -> Plan:
    """A Plan from parsed rows (indexer.extract.actionplan.Row) of a shipped text plan, to print it as a table."""
    groups: list[tuple[str, list[PlanRow]]] = []
    for r in rows:
        addressee = r.addressee or ""
        if not groups or groups[-1][0] != addressee:
            groups.append((addressee, []))
        text = r.text + (f" ({r.scope})" if r.scope else "")
        groups[-1][1].append(PlanRow(r.number, text, r.status or "", r.response.split("\n"), list(r.owners),
                                     list(r.targets)))
    return Plan(title_lines, groups, totals)

"""Write the extraction evaluation set: the documents in docs/ and their labels.

    /work/main/.venv/bin/python eval/extraction/make_documents.py            # write docs/ and the labels
    /work/main/.venv/bin/python eval/extraction/make_documents.py --check    # rebuild in memory, compare bytes

The text of every document is in content.py. This script prints it as PDF (fpdf2, core Helvetica),
Word (python-docx), OpenDocument (odfpy) and a saved web page (hand-written HTML), and writes
documents.jsonl, expected.jsonl and threads.jsonl from the same data (pages of PDF records are the
pages the printer put them on). Output is deterministic: PDF creation dates, Word core properties,
OpenDocument metadata and zip timestamps are fixed.

Nothing here imports the project (or tests/): the set must not depend on what it measures.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Optional

try:  # run as a script (python eval/extraction/make_documents.py) or imported as a module
    from . import content as C
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import content as C  # type: ignore

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"


# --- helpers ---------------------------------------------------------------------------------

def latin1(text: str) -> str:
    """The core PDF fonts are latin-1; content.py is written in ASCII (and the pound sign)."""
    text.encode("latin-1")  # fail loudly on anything else: labels must match the printed text
    return text


def when(ymd: tuple[int, int, int]) -> dt.datetime:
    return dt.datetime(*ymd, 9, 0, 0, tzinfo=dt.timezone.utc)


def dated(pdf, props: dict) -> None:
    """A fixed creation date in the PDF's information dictionary (see `pdf_bytes` for none at all)."""
    pdf.set_creation_date(when(props.get("created") or (2000, 1, 1)))


def pdf_bytes(pdf, props: dict) -> bytes:
    """The PDF; with "created": None its information dictionary keeps no creation date (the entry is
    blanked with spaces of the same length, so the cross-reference offsets stay right): the
    document's date is then only in its text."""
    data = bytes(pdf.output())
    if not props.get("created"):
        entry = re.compile(rb"/CreationDate \(D:[0-9]{14}Z\)")
        assert len(entry.findall(data)) == 1
        data = entry.sub(lambda m: b" " * len(m.group(0)), data)
    return data


def normalise_zip(data: bytes, ymd: tuple[int, int, int]) -> bytes:
    """Rewrite a zip (docx, odt) with fixed timestamps, keeping member order and compression."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(*ymd, 9, 0, 0))
            zi.compress_type = info.compress_type
            zi.create_system = 3
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def addressee(heading: str) -> str:
    """The addressee as the heading names it, without "should:"."""
    h = heading.strip()
    assert h.endswith(" should:"), h
    return h[: -len(" should:")]


STATUS = {"agreed": "Agreed", "partly agreed": "Partly Agreed", "not agreed": "Not Agreed",
          "accepted": "Accepted", "partly accepted": "Partly accepted", "not accepted": "Not accepted",
          "rejected": "Rejected"}


def norm_status(printed: str) -> str:
    return STATUS[" ".join(printed.lower().split())]


def marker(report: C.Report, printed: str) -> str:
    return {"decimal": f"{printed}.", "paren": f"({printed})", "letter": f"{printed})",
            "multilevel": printed, "table": printed}[report.numbering]


# --- PDF: reports ----------------------------------------------------------------------------------

BODY, LINE = 10.5, 5.4


def report_pdf(report: C.Report, contents_pages: Optional[dict[str, int]] = None):
    """A report as a text PDF: A4 portrait, running header and page footer on every page, chapter
    headings in a larger bold font. Returns (bytes, heading pages, record pages)."""
    from fpdf import FPDF

    class ReportPDF(FPDF):
        def header(self):
            self.set_font("Helvetica", size=8)
            self.text(20, 11, latin1(report.running_header))
            self.set_y(20)

        def footer(self):
            self.set_font("Helvetica", size=8)
            label = report.footer.replace("{n}", str(self.page_no()))
            self.set_xy(20, 284)
            self.cell(self.w - 40, 5, label, align="R" if "{nb}" in label else "C")

    pdf = ReportPDF(unit="mm", format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=22)
    p = report.properties
    pdf.set_title(p["title"])
    pdf.set_author(p["author"])
    pdf.set_creator("Microsoft Word")
    dated(pdf, p)
    pdf.add_page()
    width = pdf.w - 40
    headings: dict[str, int] = {}
    rec_pages: dict[int, list[int]] = {}

    def para(text: str, style: str = "", size: float = BODY, after: float = 2.2, indent: float = 0):
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.set_x(20 + indent)
        pdf.multi_cell(width - indent, LINE if size <= 11 else size * 0.5, latin1(text),
                       new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(after)

    def item(mark: str, text: str, indent: float = 10.0) -> list[int]:
        pdf.set_font("Helvetica", size=BODY)
        if pdf.will_page_break(LINE):
            pdf.add_page()
        first = pdf.page_no()
        pdf.set_x(20)
        pdf.cell(indent, LINE, latin1(mark))
        pdf.multi_cell(width - indent, LINE, latin1(text), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(1.6)
        return list(range(first, pdf.page_no() + 1))

    for block in report.blocks:
        kind = block[0]
        if kind == "cover":
            lines = block[1]
            pdf.set_y(34)
            para(lines[0], "B", 14, after=10)
            para(lines[1], "B", 22, after=8)
            for ln in lines[2:-1]:
                para(ln, "", 12, after=4)
            para(lines[-1], "B", 14, after=8)
        elif kind == "break":
            pdf.add_page()
        elif kind == "space":
            pdf.ln(block[1])
        elif kind == "h1":
            new_page = block[2] if len(block) > 2 else True
            if new_page:
                pdf.add_page()
            else:
                pdf.ln(4)
                if pdf.will_page_break(30):
                    pdf.add_page()
            headings[block[1]] = pdf.page_no()
            para(block[1], "B", 16, after=4)
        elif kind == "h2":
            if pdf.will_page_break(20):
                pdf.add_page()
            para(block[1], "B", 12, after=2)
        elif kind == "p":
            para(block[1])
        elif kind == "sign":
            para(block[1][0], "B", after=0.5)
            for ln in block[1][1:]:
                para(ln, after=0.5)
        elif kind == "contents":
            pdf.set_font("Helvetica", size=BODY)
            for entry in block[1]:
                page = str((contents_pages or {}).get(entry, 0))
                dots_w = width - pdf.get_string_width(entry + "  " + page) - 4
                dots = "." * int(dots_w / pdf.get_string_width("."))
                pdf.set_x(20)
                pdf.cell(width, 7, latin1(f"{entry} {dots} {page}"), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "list":
            for mark, text in block[1]:
                item(mark, text)
            pdf.ln(1)
        elif kind == "bullets":
            for text in block[1]:
                item("-", text, indent=6)
        elif kind == "table":
            header, rows = block[1], block[2]
            ws = [width * 0.4] + [width * 0.6 / (len(header) - 1)] * (len(header) - 1)
            pdf.set_font("Helvetica", style="B", size=9)
            for h, w in zip(header, ws):
                pdf.cell(w, 7, latin1(h), border=1)
            pdf.ln(7)
            pdf.set_font("Helvetica", size=9)
            for row in rows:
                for c, w in zip(row, ws):
                    pdf.cell(w, 6.5, latin1(c), border=1)
                pdf.ln(6.5)
            pdf.ln(3)
        elif kind == "recs":
            n = 0
            for group in report.groups:
                pdf.ln(1)
                if pdf.will_page_break(2 * LINE + 4):
                    pdf.add_page()
                para(group.heading, "B", after=1.6)
                for rec in group.recs:
                    n += 1
                    pages = item(marker(report, rec.printed), rec.text)
                    rec_pages.setdefault(n, [])
                    rec_pages[n] += [q for q in pages if q not in rec_pages[n]]
        else:
            raise ValueError(kind)
    return pdf_bytes(pdf, p), headings, rec_pages


def build_report_pdf(report: C.Report):
    _, headings, _ = report_pdf(report)
    data, headings2, rec_pages = report_pdf(report, headings)
    assert headings == headings2, "contents page numbers moved the headings"
    return data, rec_pages


# --- PDF: action plans as ruled tables --------------------------------------------------------------

WIDTHS = (14, 58, 28, 100, 43, 30)  # landscape A4 less 12 mm margins: 273 mm
FONT, LH, PAD = 8.0, 3.6, 1.4


def plan_pdf(plan: C.Plan):
    """The plan as a landscape table PDF, drawn the way Word prints one: ruled cells, the header row
    repeated on each page, addressee rows spanning the table, a row with several actions drawn with
    its number, recommendation and status cells merged across the action lines, a row that does not
    fit continued on the next page (cell borders closed at the foot of the page), the status cell
    holding the status and a note, and the totals by status at the end.
    Returns (bytes, {row ordinal: pages})."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(12, 12, 12)
    p = plan.properties
    pdf.set_title(p["title"])
    pdf.set_author(p["author"])
    pdf.set_creator("Microsoft Word")
    dated(pdf, p)
    x0, top, bottom = 12.0, 16.0, pdf.h - 14.0
    full = sum(WIDTHS)

    def furniture():
        pdf.set_font("Helvetica", size=7)
        pdf.text(x0, 9, "OFFICIAL")
        pdf.set_xy(x0, pdf.h - 10)
        pdf.cell(full, 4, f"Page {pdf.page_no()} of {{nb}}", align="R")

    def new_page() -> float:
        pdf.add_page()
        furniture()
        return top

    def wrap(paras: list[str], w: float, style: str = "") -> list[str]:
        pdf.set_font("Helvetica", style=style, size=FONT)
        pdf.c_margin = 0
        out: list[str] = []
        for para in paras:
            if para.strip():
                out += pdf.multi_cell(w - 2 * PAD, LH, latin1(para), dry_run=True, output="LINES")
        return out

    def text_lines(lines: list[str], x: float, y: float, style: str = ""):
        pdf.set_font("Helvetica", style=style, size=FONT)
        for k, ln in enumerate(lines):
            pdf.text(x + PAD, y + PAD + (k + 0.8) * LH, ln)

    def simple_row(cells: list[list[str]], ws, y: float, style: str = "") -> float:
        h = max(1, max(len(c) for c in cells)) * LH + 2 * PAD
        x = x0
        for lines, w in zip(cells, ws):
            text_lines(lines, x, y, style)
            pdf.rect(x, y, w, h)
            x += w
        return y + h

    def header_row(y: float) -> float:
        return simple_row([wrap([h], w, "B") for h, w in zip(plan.header, WIDTHS)], WIDTHS, y, "B")

    # first page: title lines, introduction, the categories, then the plan
    y = new_page()
    for k, ln in enumerate(plan.title_lines):
        pdf.set_font("Helvetica", style="B", size=12 if k == 0 else 10.5)
        pdf.text(x0, y + 4, latin1(ln))
        y += 6.5
    y += 2
    pdf.set_font("Helvetica", size=9)
    for para in plan.intro:
        pdf.set_xy(x0, y)
        pdf.multi_cell(full, 4.4, latin1(para), new_x="LMARGIN", new_y="NEXT", align="L")
        y = pdf.get_y() + 2
    dws = (40, full - 40)
    y = simple_row([wrap(["Term"], dws[0], "B"), wrap(["Definition"], dws[1], "B")], dws, y, "B")
    for term, definition in plan.definitions:
        y = simple_row([wrap([term], dws[0]), wrap([definition], dws[1])], dws, y)
    y += 6
    pdf.set_font("Helvetica", style="B", size=10)
    pdf.text(x0, y, latin1(plan.table_title))
    y = header_row(y + 3)

    pages: dict[int, list[int]] = {}
    ordinal = 0
    for heading, rows in plan.groups:
        span = wrap([heading], full, "B")
        if y + (len(span) + 4) * LH + 4 * PAD > bottom:
            y = header_row(new_page())
        y = simple_row([span], [full], y, "B")
        for r in rows:
            ordinal += 1
            left = [wrap([r.printed], WIDTHS[0]), wrap([r.text] + ([r.scope] if r.scope else []), WIDTHS[1]),
                    wrap([r.status] + ([r.note] if r.note else []), WIDTHS[2])]
            acts = [[wrap(a.response, WIDTHS[3]), wrap(a.owners, WIDTHS[4]), wrap(a.targets, WIDTHS[5])]
                    for a in r.actions]
            done = [0] * 3  # lines of each left cell drawn so far
            k, j = 0, 0  # next action, next line within it
            first_segment = True
            # a row starts on a new page unless its number, recommendation and status cells fit (so the
            # recommendation is never cut; the actions may run on over the page break)
            if y + max(3, max(len(c) for c in left)) * LH + 2 * PAD > bottom:
                y = header_row(new_page())
            while True:
                # the action blocks that fit on this page
                blocks: list[tuple[int, int, int]] = []  # (action, from line, to line)
                avail = bottom - y
                while k < len(acts):
                    n = max(len(c) for c in acts[k])
                    need = (n - j) * LH + 2 * PAD
                    if need <= avail:
                        blocks.append((k, j, n))
                        avail -= need
                        k, j = k + 1, 0
                        continue
                    fit = int((avail - 2 * PAD) / LH + 1e-6)
                    if fit >= 2:
                        blocks.append((k, j, j + fit))
                        j += fit
                    break
                heights = [(b - a) * LH + 2 * PAD for _, a, b in blocks]
                left_left = max(len(c) - d for c, d in zip(left, done))
                seg_h = sum(heights)
                finished = k >= len(acts)
                if left_left * LH + 2 * PAD > seg_h:  # the left cells are longer than the actions
                    extra = min(left_left * LH + 2 * PAD - seg_h, bottom - y - seg_h)
                    if heights:
                        heights[-1] += extra
                    else:
                        heights.append(extra)
                        blocks.append((-1, 0, 0))
                    seg_h += extra
                if seg_h <= 0:
                    y = header_row(new_page())
                    continue
                cap = int((seg_h - 2 * PAD) / LH + 1e-6)
                # draw the merged left cells
                x = x0
                for c in range(3):
                    lines = left[c][done[c]:done[c] + cap]
                    if c in (1, 2) and not first_segment and lines:
                        raise AssertionError(f"{plan.key} row {r.printed}: recommendation or status cut by a page")
                    text_lines(lines, x, y)
                    done[c] += len(lines)
                    pdf.line(x, y, x, y + seg_h)
                    x += WIDTHS[c]
                # draw the action blocks, ruled between them in the action columns only
                yy = y
                for (a, fr, to), h in zip(blocks, heights):
                    x = x0 + sum(WIDTHS[:3])
                    for c in range(3):
                        if a >= 0:
                            text_lines(acts[a][c][fr:to], x, yy)
                        pdf.line(x, yy, x, yy + h)
                        x += WIDTHS[3 + c]
                    pdf.line(x, yy, x, yy + h)
                    if yy > y:
                        pdf.line(x0 + sum(WIDTHS[:3]), yy, x0 + full, yy)
                    yy += h
                pdf.line(x0, y, x0 + full, y)
                pdf.line(x0, y + seg_h, x0 + full, y + seg_h)
                pages.setdefault(ordinal, [])
                if pdf.page_no() not in pages[ordinal]:
                    pages[ordinal].append(pdf.page_no())
                y += seg_h
                first_segment = False
                if k >= len(acts) and all(d >= len(c) for c, d in zip(left, done)):
                    break
                y = header_row(new_page())
    if plan.totals:
        tws = (50, 20)
        need = (len(plan.totals) + 1) * (LH + 2 * PAD) + 6
        y += 8
        if y + need > bottom:
            y = new_page()
        y = simple_row([["Recommendations"], [""]], tws, y, "B")
        for label, value in plan.totals:
            y = simple_row([[label], [str(value)]], tws, y, "B" if label == "Total" else "")
    return pdf_bytes(pdf, p), pages


# --- Word --------------------------------------------------------------------------------------------

def _core_properties(d, props: dict, doc_date: tuple[int, int, int]):
    cp = d.core_properties
    cp.title = props["title"]
    cp.author = props["author"]
    cp.last_modified_by = props["author"]
    cp.created = dt.datetime(*doc_date, 9, 0, 0)
    cp.modified = dt.datetime(*doc_date, 9, 0, 0)
    cp.last_printed = dt.datetime(*doc_date, 9, 0, 0)
    cp.revision = 1
    cp.subject = ""
    cp.keywords = ""
    cp.comments = ""
    cp.category = ""


def _borders(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _fill(cell, paras: list[str], bold: bool = False):
    """Write paragraphs into an empty cell (python-docx gives a new cell one empty paragraph)."""
    first = cell.paragraphs[0]
    assert len(cell.paragraphs) == 1 and not first.text, "cell already filled"
    for k, text in enumerate(paras):
        par = first if k == 0 else cell.add_paragraph()
        run = par.add_run(text)
        if bold:
            run.bold = True


def plan_docx(plan: C.Plan) -> bytes:
    """The plan as a Word table: landscape, header row repeated (tblHeader), addressee rows merged
    across the table (gridSpan), rows with several actions as several table rows whose number,
    recommendation and status cells are merged vertically (vMerge), status and note as two
    paragraphs of one cell, the totals in a second table."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.shared import Mm, Pt

    d = docx.Document()
    _core_properties(d, plan.properties, plan.properties["created"])
    s = d.sections[0]
    s.orientation = WD_ORIENT.LANDSCAPE
    s.page_width, s.page_height = Mm(297), Mm(210)
    s.left_margin = s.right_margin = Mm(12)
    s.footer.paragraphs[0].text = "OFFICIAL"
    s.header.paragraphs[0].text = "OFFICIAL"
    d.styles["Normal"].font.size = Pt(10)
    for k, ln in enumerate(plan.title_lines):
        par = d.add_paragraph()
        run = par.add_run(ln)
        if k == 0 or ln.startswith("A Response"):
            run.bold = True
    for para in plan.intro:
        d.add_paragraph(para)
    t = d.add_table(rows=1, cols=2)
    t.style = "Table Grid"
    _borders(t)
    _fill(t.rows[0].cells[0], ["Term"], True)
    _fill(t.rows[0].cells[1], ["Definition"], True)
    for term, definition in plan.definitions:
        c = t.add_row().cells
        _fill(c[0], [term])
        _fill(c[1], [definition])
    d.add_paragraph()
    d.add_paragraph().add_run(plan.table_title).bold = True

    table = d.add_table(rows=1, cols=6)
    table.autofit = False
    table.style = "Table Grid"
    _borders(table)
    for cell, h in zip(table.rows[0].cells, plan.header):
        _fill(cell, [h], True)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))

    def widths(cells):
        for c, w in zip(cells, WIDTHS):
            c.width = Mm(w)

    widths(table.rows[0].cells)
    for heading, rows in plan.groups:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[5])
        _fill(merged, [heading], True)
        for r in rows:
            first = len(table.rows)
            for a in r.actions:
                cells = table.add_row().cells
                widths(cells)
                _fill(cells[3], a.response)
                _fill(cells[4], a.owners)
                _fill(cells[5], a.targets)
            cells = table.rows[first].cells
            _fill(cells[0], [r.printed])
            _fill(cells[1], [r.text] + ([r.scope] if r.scope else []))
            _fill(cells[2], [r.status] + ([r.note] if r.note else []))
            last = len(table.rows) - 1
            if last > first:
                for c in range(3):
                    table.cell(first, c).merge(table.cell(last, c))
    if plan.totals:
        d.add_paragraph()
        t2 = d.add_table(rows=1, cols=2)
        t2.style = "Table Grid"
        _borders(t2)
        _fill(t2.rows[0].cells[0], ["Recommendations"], True)
        for label, value in plan.totals:
            c = t2.add_row().cells
            _fill(c[0], [label], label == "Total")
            _fill(c[1], [str(value)], label == "Total")
    buf = io.BytesIO()
    d.save(buf)
    return normalise_zip(buf.getvalue(), plan.properties["created"])


MULTILEVEL = """<w:abstractNum %s w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%%1."/>
    <w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr><w:rPr><w:b/></w:rPr></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%%1.%%2"/>
    <w:lvlJc w:val="left"/><w:pPr><w:ind w:left="792" w:hanging="432"/></w:pPr></w:lvl>
</w:abstractNum>"""


def report_docx(report: C.Report) -> bytes:
    """A report as Word: Title and Heading 1 styles, a ratings table, the recommendations as a
    multilevel list whose numbers Word prints from numbering.xml (level 1 "1." on each addressee
    line, level 2 "1.1" on each recommendation); the numbers are not in the text."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    d = docx.Document()
    _core_properties(d, report.properties, report.properties["created"])
    numbering = d.part.numbering_part.element
    abstract = parse_xml(MULTILEVEL % nsdecls("w"))
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num_id = numbering.add_num(90).numId

    def numbered(text: str, level: int, bold: bool = False):
        par = d.add_paragraph(style="List Paragraph")
        run = par.add_run(text)
        if bold:
            run.bold = True
        num_pr = par._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = num_id

    for block in report.blocks:
        kind = block[0]
        if kind == "cover":
            d.add_paragraph(block[1][0])
            d.add_paragraph(block[1][1], style="Title")
            for ln in block[1][2:]:
                d.add_paragraph(ln)
        elif kind == "h1":
            d.add_heading(block[1], level=1)
        elif kind == "h2":
            d.add_heading(block[1], level=2)
        elif kind == "p":
            d.add_paragraph(block[1])
        elif kind == "table":
            header, rows = block[1], block[2]
            t = d.add_table(rows=1, cols=len(header))
            t.style = "Table Grid"
            for cell, h in zip(t.rows[0].cells, header):
                _fill(cell, [h], True)
            for row in rows:
                for cell, v in zip(t.add_row().cells, row):
                    _fill(cell, [v])
        elif kind == "recs":
            for group in report.groups:
                numbered(group.heading, 0, bold=True)
                for rec in group.recs:
                    numbered(rec.text, 1)
        else:
            raise ValueError(kind)
    buf = io.BytesIO()
    d.save(buf)
    return normalise_zip(buf.getvalue(), report.properties["created"])


# --- OpenDocument ----------------------------------------------------------------------------------

def _odt_meta(d, props: dict):
    from odf import dc, meta

    stamp = "%04d-%02d-%02dT09:00:00" % props["created"]
    d.meta.addElement(dc.Title(text=props["title"]))
    d.meta.addElement(meta.InitialCreator(text=props["author"]))
    d.meta.addElement(dc.Creator(text=props["author"]))
    d.meta.addElement(meta.CreationDate(text=stamp))
    d.meta.addElement(dc.Date(text=stamp))


def plan_odt(plan: C.Plan) -> bytes:
    """The plan as an OpenDocument table: header rows, addressee rows spanning six columns, rows
    with several actions as several table rows with the first three cells spanning them
    (number-rows-spanned, covered cells below), status and note as two paragraphs."""
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableHeaderRows, TableRow
    from odf.text import P, Span

    d = OpenDocumentText()
    _odt_meta(d, plan.properties)
    bold = Style(name="Bold", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    d.automaticstyles.addElement(bold)

    def para(text: str, strong: bool = False):
        p = P()
        if strong:
            p.addElement(Span(stylename=bold, text=text))
        else:
            p.addText(text)
        return p

    def cell(paras: list[str], strong: bool = False, **kw):
        c = TableCell(valuetype="string", **kw)
        for t in paras:
            c.addElement(para(t, strong))
        return c

    for k, ln in enumerate(plan.title_lines):
        d.text.addElement(para(ln, k == 0))
    for t in plan.intro:
        d.text.addElement(para(t))
    defs = Table(name="Categories")
    defs.addElement(TableColumn(numbercolumnsrepeated=2))
    hr = TableHeaderRows()
    row = TableRow()
    row.addElement(cell(["Term"], True))
    row.addElement(cell(["Definition"], True))
    hr.addElement(row)
    defs.addElement(hr)
    for term, definition in plan.definitions:
        row = TableRow()
        row.addElement(cell([term]))
        row.addElement(cell([definition]))
        defs.addElement(row)
    d.text.addElement(defs)
    d.text.addElement(para(plan.table_title, True))

    t = Table(name="ActionPlan")
    t.addElement(TableColumn(numbercolumnsrepeated=6))
    hr = TableHeaderRows()
    row = TableRow()
    for h in plan.header:
        row.addElement(cell([h], True))
    hr.addElement(row)
    t.addElement(hr)
    for heading, rows in plan.groups:
        row = TableRow()
        row.addElement(cell([heading], True, numbercolumnsspanned=6))
        for _ in range(5):
            row.addElement(CoveredTableCell())
        t.addElement(row)
        for r in rows:
            n = len(r.actions)
            for k, a in enumerate(r.actions):
                row = TableRow()
                if k == 0:
                    span = {"numberrowsspanned": n} if n > 1 else {}
                    row.addElement(cell([r.printed], **span))
                    row.addElement(cell([r.text] + ([r.scope] if r.scope else []), **span))
                    row.addElement(cell([r.status] + ([r.note] if r.note else []), **span))
                else:
                    for _ in range(3):
                        row.addElement(CoveredTableCell())
                row.addElement(cell(a.response))
                row.addElement(cell(a.owners))
                row.addElement(cell(a.targets))
                t.addElement(row)
    d.text.addElement(t)
    if plan.totals:
        t2 = Table(name="Totals")
        t2.addElement(TableColumn(numbercolumnsrepeated=2))
        for label, value in [("Recommendations", "")] + list(plan.totals):
            row = TableRow()
            row.addElement(cell([label]))
            row.addElement(cell([str(value)] if value != "" else []))
            t2.addElement(row)
        d.text.addElement(t2)
    buf = io.BytesIO()
    d.write(buf)
    return normalise_zip(buf.getvalue(), plan.properties["created"])


def report_odt(report: C.Report) -> bytes:
    """A report as OpenDocument: headings by outline level, the recommendations as lists numbered
    a), b), ... from their list style (the second list continuing the first), a bulleted list in a
    chapter; the letters are not in the text."""
    from odf.opendocument import OpenDocumentText
    from odf.style import ListLevelProperties, Style, TextProperties
    from odf.text import H, List, ListItem, ListLevelStyleBullet, ListLevelStyleNumber, ListStyle, P, Span

    d = OpenDocumentText()
    _odt_meta(d, report.properties)
    letters = ListStyle(name="Letters")
    lvl = ListLevelStyleNumber(level=1, numformat="a", numsuffix=")", startvalue=1)
    lvl.addElement(ListLevelProperties(spacebefore="0.6cm", minlabelwidth="0.6cm"))
    letters.addElement(lvl)
    d.automaticstyles.addElement(letters)
    bullets = ListStyle(name="Bullets")
    blvl = ListLevelStyleBullet(level=1, bulletchar="\u2022")
    blvl.addElement(ListLevelProperties(spacebefore="0.6cm", minlabelwidth="0.6cm"))
    bullets.addElement(blvl)
    d.automaticstyles.addElement(bullets)
    bold = Style(name="Bold", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    d.automaticstyles.addElement(bold)
    big = Style(name="CoverTitle", family="paragraph")
    big.addElement(TextProperties(fontsize="24pt", fontweight="bold"))
    d.automaticstyles.addElement(big)

    for block in report.blocks:
        kind = block[0]
        if kind == "cover":
            d.text.addElement(P(text=block[1][0]))
            d.text.addElement(P(stylename=big, text=block[1][1]))
            for ln in block[1][2:]:
                d.text.addElement(P(text=ln))
        elif kind == "h1":
            d.text.addElement(H(outlinelevel=1, text=block[1]))
        elif kind == "h2":
            d.text.addElement(H(outlinelevel=2, text=block[1]))
        elif kind == "p":
            d.text.addElement(P(text=block[1]))
        elif kind == "bullets":
            lst = List(stylename=bullets)
            for text in block[1]:
                li = ListItem()
                li.addElement(P(text=text))
                lst.addElement(li)
            d.text.addElement(lst)
        elif kind == "recs":
            for k, group in enumerate(report.groups):
                p = P()
                p.addElement(Span(stylename=bold, text=group.heading))
                d.text.addElement(p)
                lst = List(stylename=letters) if k == 0 else List(stylename=letters, continuenumbering="true")
                for rec in group.recs:
                    li = ListItem()
                    li.addElement(P(text=rec.text))
                    lst.addElement(li)
                d.text.addElement(lst)
        else:
            raise ValueError(kind)
    buf = io.BytesIO()
    d.write(buf)
    return normalise_zip(buf.getvalue(), report.properties["created"])


# --- HTML -------------------------------------------------------------------------------------------

def report_html(report: C.Report) -> bytes:
    """A report as a page saved from a browser: cookie banner, skip link, navigation, breadcrumbs,
    scripts, the article with the recommendations in a table (a header row, addressee rows spanning
    both columns), related links and a footer. The date is in <meta name="date"> and <title> only."""
    e = html.escape
    p = report.properties
    out = ["<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\">",
           f"<title>{e(p['title'])}</title>",
           f"<meta name=\"date\" content=\"{p['date']}\">",
           "<meta name=\"description\" content=\"HM Inspectorate of Probation inspection report.\">",
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
           "<link rel=\"stylesheet\" href=\"./An inspection of probation services_files/main.css\">",
           "<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}"
           " gtag('js', new Date()); gtag('config', 'G-XXXXXXX');</script>",
           "</head>", "<body class=\"report-template\">",
           "<div class=\"cookie-banner\" id=\"cookie-banner\" role=\"region\" aria-label=\"Cookies on this site\">",
           "<p>We use some essential cookies to make this website work. We would also like to set analytics "
           "cookies to understand how you use the site, so that we can make improvements.</p>",
           "<button type=\"button\">Accept analytics cookies</button> <button type=\"button\">Reject analytics "
           "cookies</button> <a href=\"/cookies/\">View cookies</a></div>",
           "<a class=\"skip-link\" href=\"#main-content\">Skip to main content</a>",
           "<header class=\"site-header\"><a class=\"logo\" href=\"/\">HM Inspectorate of Probation</a>",
           "<nav class=\"main-nav\" aria-label=\"Main\"><ul>",
           "<li><a href=\"/about-our-work/\">About our work</a></li>",
           "<li><a href=\"/our-inspections/\">Our inspections</a></li>",
           "<li><a href=\"/our-research/\">Research</a></li>",
           "<li><a href=\"/news/\">News</a></li>",
           "<li><a href=\"/contact-us/\">Contact us</a></li>",
           "</ul></nav>",
           "<form class=\"search\" action=\"/\"><label for=\"s\">Search</label><input id=\"s\" name=\"s\">"
           "<button>Search</button></form></header>",
           "<div class=\"breadcrumbs\"><a href=\"/\">Home</a> &gt; <a href=\"/our-inspections/\">Our "
           "inspections</a> &gt; <a href=\"/our-inspections/adult-inspections/\">Adult inspections</a> &gt; "
           f"{e(report.title)}</div>",
           "<main id=\"main-content\">", "<article class=\"report\">",
           f"<h1>{e(report.title)}</h1>"]
    for block in report.blocks:
        kind = block[0]
        if kind == "h2":
            out.append(f"<h2>{e(block[1])}</h2>")
        elif kind == "p":
            out.append(f"<p>{e(block[1])}</p>")
        elif kind == "recs":
            out.append("<table class=\"recommendations\">")
            out.append("<thead><tr><th scope=\"col\">No.</th><th scope=\"col\">Recommendation</th></tr></thead>")
            out.append("<tbody>")
            for group in report.groups:
                out.append(f"<tr class=\"addressee\"><th colspan=\"2\" scope=\"colgroup\">{e(group.heading)}</th></tr>")
                for rec in group.recs:
                    out.append(f"<tr><td>{e(rec.printed)}</td><td>{e(rec.text)}</td></tr>")
            out.append("</tbody>")
            out.append("</table>")
        else:
            raise ValueError(kind)
    out += ["<p class=\"download\"><a href=\"/wp-content/uploads/ashby-fields-pdu-inspection.pdf\">Download the "
            "full report (PDF, 1.2 MB)</a></p>",
            "</article>",
            "<aside class=\"related\"><h2>Related reports</h2><ul>",
            "<li><a href=\"/inspections/wrenfold-pdu/\">An inspection of probation services in Wrenfold PDU</a></li>",
            "<li><a href=\"/inspections/annual-report-2025/\">Annual report 2025</a></li>",
            "<li><a href=\"/effective-practice/\">Effective practice guides</a></li>",
            "</ul></aside>",
            "</main>",
            "<footer class=\"site-footer\"><p>HM Inspectorate of Probation, 1st Floor Civil Justice Centre, "
            "Manchester.</p>",
            "<ul><li><a href=\"/accessibility/\">Accessibility</a></li><li><a href=\"/privacy/\">Privacy "
            "notice</a></li><li><a href=\"/cookies/\">Cookies</a></li></ul>",
            "<p>All content is available under the Open Government Licence v3.0, except where otherwise "
            "stated. &copy; Crown copyright</p></footer>",
            "<script src=\"./An inspection of probation services_files/site.js\"></script>",
            "</body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")


# --- the whole set ---------------------------------------------------------------------------------

def build() -> tuple[dict[str, bytes], list[dict], list[dict], list[dict]]:
    files: dict[str, bytes] = {}
    report_pages: dict[str, dict[int, list[int]]] = {}
    plan_pages: dict[str, dict[int, list[int]]] = {}

    for r in C.REPORTS:
        if r.fmt == "pdf":
            data, pages = build_report_pdf(r)
            report_pages[r.key] = pages
        elif r.fmt == "docx":
            data = report_docx(r)
        elif r.fmt == "odt":
            data = report_odt(r)
        elif r.fmt == "html":
            data = report_html(r)
        else:
            raise ValueError(r.fmt)
        files[r.file] = data
    for pl in C.PLANS:
        stem = pl.file.rsplit(".", 1)[0]
        for fmt in pl.formats:
            name = f"{stem}.{fmt}"
            if fmt == "pdf":
                data, pages = plan_pdf(pl)
                if name == pl.file:
                    plan_pages[pl.key] = pages
            elif fmt == "docx":
                data = plan_docx(pl)
            elif fmt == "odt":
                data = plan_odt(pl)
            else:
                raise ValueError(fmt)
            files[name] = data

    # the layout features the set promises (a change of text can move a page break: re-tune "space")
    assert any(len(v) > 1 for v in report_pages["spo-report"].values()), "no recommendation crosses a page"
    assert all(len(v) == 2 for v in report_pages["vet-report"].values()), "summary and annex on other pages"
    assert any(len(v) > 1 for v in plan_pages["spo-plan"].values()), "no plan row crosses a page"
    assert any(len(v) > 1 for v in plan_pages["ashby-wrenfold-plan"].values()), "no plan row crosses a page"

    reports = {r.key: r for r in C.REPORTS}
    plans = {p.key: p for p in C.PLANS}

    def row_ordinals(pl: C.Plan) -> dict[str, int]:
        out, n = {}, 0
        for _, rows in pl.groups:
            for row in rows:
                n += 1
                out[row.printed] = n
        return out

    def rec_ordinals(r: C.Report) -> dict[str, int]:
        out, n = {}, 0
        for g in r.groups:
            for rec in g.recs:
                n += 1
                out[rec.printed] = n
        return out

    def sections(r: C.Report) -> list[str]:
        """The heading each statement of the recommendations sits under (the last chapter heading)."""
        out, h1, h2 = [], None, None
        for b in r.blocks:
            if b[0] == "h1":
                h1, h2 = b[1], None
            elif b[0] == "h2":
                h2 = b[1]
            elif b[0] == "recs":
                out.append(h1 or h2)
        return out

    # report recommendation -> plan row, both ways
    answered_by: dict[tuple[str, int], tuple[str, int]] = {}
    answers: dict[tuple[str, int], tuple[str, int]] = {}
    for r in C.REPORTS:
        if not r.plan:
            continue
        pl = plans[r.plan]
        rows = row_ordinals(pl)
        recs = rec_ordinals(r)
        for g in r.groups:
            for rec in g.recs:
                if rec.link is None:
                    continue
                a, b = (r.key, recs[rec.printed]), (pl.key, rows[rec.link])
                assert b not in answers, f"plan row answered twice: {b}"
                answered_by[a], answers[b] = b, a

    file_of = {r.key: f"docs/{r.file}" for r in C.REPORTS} | {p.key: f"docs/{p.file}" for p in C.PLANS}
    expected: list[dict] = []
    thread_of: dict[tuple[str, int], Optional[str]] = {}
    for r in C.REPORTS:
        n = 0
        for g in r.groups:
            for rec in g.recs:
                n += 1
                link = answered_by.get((r.key, n))
                thread_of[(r.key, n)] = rec.thread
                expected.append({
                    "file": file_of[r.key], "kind": "report", "number": n, "printed_number": rec.printed,
                    "addressee": addressee(g.heading), "scope": None, "text": rec.text, "status": None,
                    "status_printed": None, "note": None, "date": r.date,
                    "pages": report_pages.get(r.key, {}).get(n, []), "sections": sections(r),
                    "link": {"file": file_of[link[0]], "number": link[1]} if link else None,
                    "thread": rec.thread})
    for pl in C.PLANS:
        n = 0
        counts: dict[str, int] = {}
        for heading, rows in pl.groups:
            for row in rows:
                n += 1
                link = answers.get((pl.key, n))
                status = norm_status(row.status)
                counts[status] = counts.get(status, 0) + 1
                if link is not None:
                    assert thread_of[link] == row.thread, f"{pl.key} row {row.printed}: thread is not its report's"
                expected.append({
                    "file": file_of[pl.key], "kind": "plan_row", "number": n, "printed_number": row.printed,
                    "addressee": addressee(heading), "scope": row.scope.strip("()") if row.scope else None,
                    "text": row.text, "status": status, "status_printed": row.status, "note": row.note,
                    "response": [para for a in row.actions for para in a.response],
                    "owners": [o for a in row.actions for o in a.owners],
                    "target_dates": [t for a in row.actions for t in a.targets],
                    "date": pl.date, "pages": plan_pages.get(pl.key, {}).get(n, []),
                    "link": {"file": file_of[link[0]], "number": link[1]} if link else None,
                    "thread": row.thread})
        if pl.totals:
            stated = {norm_status(k): v for k, v in pl.totals if k != "Total"}
            assert {k: v for k, v in stated.items() if v} == counts, f"{pl.key}: totals {stated} != rows {counts}"
            assert dict(pl.totals)["Total"] == n

    documents: list[dict] = []
    for r in C.REPORTS:
        documents.append({
            "file": file_of[r.key], "layout": r.layout, "format": r.fmt, "title": r.title,
            "doc_type": "inspection_report", "date": r.date, "same_as": None, "answers": None, "report_date": None,
            "answered_by": file_of[r.plan] if r.plan else None, "stated_totals": None,
            "records": sum(len(g.recs) for g in r.groups)})
    for pl in C.PLANS:
        stem = pl.file.rsplit(".", 1)[0]
        for k, fmt in enumerate(pl.formats):
            name = f"docs/{stem}.{fmt}"
            documents.append({
                "file": name, "layout": pl.layout, "format": fmt, "title": pl.title, "doc_type": "action_plan",
                "date": pl.date, "same_as": None if k == 0 else file_of[pl.key],
                "answers": file_of[pl.answers] if pl.answers else None, "report_date": pl.report_date,
                "answered_by": None,
                "stated_totals": {a: b for a, b in pl.totals} if pl.totals else None,
                "records": sum(len(rows) for _, rows in pl.groups) if k == 0 else 0})

    threads: list[dict] = []
    for label, (what, corpus) in C.THREADS.items():
        members = [{"corpus": f, "number": num} for f, num in corpus]
        members += [{"file": x["file"], "kind": x["kind"], "number": x["number"]}
                    for x in expected if x["thread"] == label]
        threads.append({"thread": label, "what": what, "members": members})
    used = {x["thread"] for x in expected if x["thread"]}
    assert used <= set(C.THREADS), used - set(C.THREADS)
    return files, documents, expected, threads


def jsonl(rows: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="build in memory and compare with what is on disk")
    args = ap.parse_args(argv)
    files, documents, expected, threads = build()
    outputs = {DOCS / name: data for name, data in files.items()}
    outputs[HERE / "documents.jsonl"] = jsonl(documents)
    outputs[HERE / "expected.jsonl"] = jsonl(expected)
    outputs[HERE / "threads.jsonl"] = jsonl(threads)
    if args.check:
        stale = [str(p.relative_to(HERE)) for p, data in outputs.items() if not p.is_file() or p.read_bytes() != data]
        extra = sorted(str(p.relative_to(HERE)) for p in DOCS.iterdir() if p not in outputs)
        for s in stale:
            print(f"differs: {s}")
        for s in extra:
            print(f"not made by this script: {s}")
        return 1 if stale or extra else 0
    DOCS.mkdir(exist_ok=True)
    for path, data in outputs.items():
        path.write_bytes(data)
    print(f"{len(files)} documents in {DOCS.relative_to(HERE.parent.parent)}, {len(expected)} expected records, "
          f"{len(threads)} threads")
    return 0


if __name__ == "__main__":
    sys.exit(main())

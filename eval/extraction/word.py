"""Reports and action plans written as Word documents (python-docx), with fixed core properties and zip
timestamps."""
from __future__ import annotations

import datetime as dt

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from .common import PLAN_WIDTHS, print_blocks, zipped
from .content import Block, Plan, Report, Row

# Word's multilevel numbering for a report's recommendations: "1." on each addressee line, "1.1" on each
# recommendation (the numbers are not in the text)
MULTILEVEL = """<w:abstractNum %s w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%%1."/>
    <w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr><w:rPr><w:b/></w:rPr></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%%1.%%2"/>
    <w:lvlJc w:val="left"/><w:pPr><w:ind w:left="792" w:hanging="432"/></w:pPr></w:lvl>
</w:abstractNum>"""


def _document(props: dict):
    """A new document with fixed core properties (dated 09:00 on the document's date)."""
    d = docx.Document()
    stamp = dt.datetime(*props["created"], 9, 0, 0)
    cp = d.core_properties
    cp.title = props["title"]
    cp.author = props["author"]
    cp.last_modified_by = props["author"]
    cp.created = stamp
    cp.modified = stamp
    cp.last_printed = stamp
    cp.revision = 1
    cp.subject = ""
    cp.keywords = ""
    cp.comments = ""
    cp.category = ""
    return d


def _ruled_table(d, cols: int, autofit: bool = True):
    """A one-row "Table Grid" table with single black borders all round and inside."""
    table = d.add_table(rows=1, cols=cols)
    if not autofit:
        table.autofit = False
    table.style = "Table Grid"
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    table._tbl.tblPr.append(borders)
    return table


def _fill(cell, paras: list[str], bold: bool = False):
    """Write paragraphs into an empty cell (python-docx gives a new cell one empty paragraph)."""
    first = cell.paragraphs[0]
    assert len(cell.paragraphs) == 1 and not first.text, "cell already filled"
    for k, text in enumerate(paras):
        par = first if k == 0 else cell.add_paragraph()
        run = par.add_run(text)
        if bold:
            run.bold = True


def _widths(cells) -> None:
    for c, w in zip(cells, PLAN_WIDTHS):
        c.width = Mm(w)


# --- action plans ----------------------------------------------------------------------------------------

def _plan_front(d, plan: Plan) -> None:
    """Landscape page, "OFFICIAL" header and footer, the title lines, introduction, the categories table
    (Term / Definition) and the plan's title."""
    s = d.sections[0]
    s.orientation = WD_ORIENT.LANDSCAPE
    s.page_width, s.page_height = Mm(297), Mm(210)
    s.left_margin = s.right_margin = Mm(12)
    s.footer.paragraphs[0].text = "OFFICIAL"
    s.header.paragraphs[0].text = "OFFICIAL"
    d.styles["Normal"].font.size = Pt(10)
    for k, ln in enumerate(plan.title_lines):
        run = d.add_paragraph().add_run(ln)
        if k == 0 or ln.startswith("A Response"):
            run.bold = True
    for para in plan.intro:
        d.add_paragraph(para)
    t = _ruled_table(d, 2)
    _fill(t.rows[0].cells[0], ["Term"], True)
    _fill(t.rows[0].cells[1], ["Definition"], True)
    for term, definition in plan.definitions:
        c = t.add_row().cells
        _fill(c[0], [term])
        _fill(c[1], [definition])
    d.add_paragraph()
    d.add_paragraph().add_run(plan.table_title).bold = True


def _plan_row(table, r: Row) -> None:
    """A plan row as one table row per action, the number, recommendation and status cells merged
    vertically (vMerge) across them."""
    first = len(table.rows)
    for a in r.actions:
        cells = table.add_row().cells
        _widths(cells)
        _fill(cells[3], a.response)
        _fill(cells[4], a.owners)
        _fill(cells[5], a.targets)
    cells = table.rows[first].cells
    _fill(cells[0], [r.printed])
    _fill(cells[1], r.text_cell)
    _fill(cells[2], r.status_cell)
    last = len(table.rows) - 1
    if last > first:
        for c in range(3):
            table.cell(first, c).merge(table.cell(last, c))


def plan_docx(plan: Plan) -> bytes:
    """The plan as a Word table: landscape, header row repeated (tblHeader), addressee rows merged
    across the table (gridSpan), rows with several actions as several table rows whose number,
    recommendation and status cells are merged vertically (vMerge), status and note as two
    paragraphs of one cell, the totals in a second table."""
    d = _document(plan.properties)
    _plan_front(d, plan)
    table = _ruled_table(d, 6, autofit=False)
    for cell, h in zip(table.rows[0].cells, plan.header):
        _fill(cell, [h], True)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    _widths(table.rows[0].cells)
    for heading, rows in plan.groups:
        row = table.add_row()
        _fill(row.cells[0].merge(row.cells[5]), [heading], True)
        for r in rows:
            _plan_row(table, r)
    if plan.totals:
        d.add_paragraph()
        t2 = _ruled_table(d, 2)
        _fill(t2.rows[0].cells[0], ["Recommendations"], True)
        for label, value in plan.totals:
            c = t2.add_row().cells
            _fill(c[0], [label], label == "Total")
            _fill(c[1], [str(value)], label == "Total")
    return zipped(d.save, plan.properties["created"])


# --- reports ---------------------------------------------------------------------------------------------

class _WordReport:
    """A report's blocks as Word paragraphs: Title and Heading styles, a table, the recommendations as a
    multilevel list."""

    def __init__(self, report: Report):
        self.report = report
        self.d = _document(report.properties)
        numbering = self.d.part.numbering_part.element
        abstract = parse_xml(MULTILEVEL % nsdecls("w"))
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        self.num_id = numbering.add_num(90).numId

    def numbered(self, text: str, level: int, bold: bool = False):
        par = self.d.add_paragraph(style="List Paragraph")
        run = par.add_run(text)
        if bold:
            run.bold = True
        num_pr = par._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = self.num_id

    def block_cover(self, block: Block):
        self.d.add_paragraph(block.value[0])
        self.d.add_paragraph(block.value[1], style="Title")
        for ln in block.value[2:]:
            self.d.add_paragraph(ln)

    def block_h1(self, block: Block):
        self.d.add_heading(block.value, level=1)

    def block_h2(self, block: Block):
        self.d.add_heading(block.value, level=2)

    def block_p(self, block: Block):
        self.d.add_paragraph(block.value)

    def block_table(self, block: Block):
        header, rows = block.value["header"], block.value["rows"]
        t = self.d.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        for cell, h in zip(t.rows[0].cells, header):
            _fill(cell, [h], True)
        for row in rows:
            for cell, v in zip(t.add_row().cells, row):
                _fill(cell, [v])

    def block_recs(self, block: Block):
        for group in self.report.groups:
            self.numbered(group.heading, 0, bold=True)
            for rec in group.recs:
                self.numbered(rec.text, 1)


def report_docx(report: Report) -> bytes:
    """A report as Word: Title and Heading 1 styles, a ratings table, the recommendations as a
    multilevel list whose numbers Word prints from numbering.xml (level 1 "1." on each addressee
    line, level 2 "1.1" on each recommendation); the numbers are not in the text."""
    w = _WordReport(report)
    print_blocks(w, report.blocks)
    return zipped(w.d.save, report.properties["created"])

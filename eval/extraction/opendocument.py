"""Reports and action plans written as OpenDocument text (odfpy), with fixed metadata and zip
timestamps."""
from __future__ import annotations

from odf import dc, meta
from odf.opendocument import OpenDocumentText
from odf.style import ListLevelProperties, Style, TextProperties
from odf.table import (
    CoveredTableCell,
    Table,
    TableCell,
    TableColumn,
    TableHeaderRows,
    TableRow,
)
from odf.text import (
    H,
    List,
    ListItem,
    ListLevelStyleBullet,
    ListLevelStyleNumber,
    ListStyle,
    P,
    Span,
)

from .common import print_blocks, zipped
from .content import Block, Plan, Report, Row


def _document(props: dict):
    """A new text document with fixed metadata (dated 09:00 on the document's date)."""
    d = OpenDocumentText()
    year, month, day = props["created"]
    stamp = f"{year:04d}-{month:02d}-{day:02d}T09:00:00"
    d.meta.addElement(dc.Title(text=props["title"]))
    d.meta.addElement(meta.InitialCreator(text=props["author"]))
    d.meta.addElement(dc.Creator(text=props["author"]))
    d.meta.addElement(meta.CreationDate(text=stamp))
    d.meta.addElement(dc.Date(text=stamp))
    return d


def _style(d, style):
    d.automaticstyles.addElement(style)
    return style


def _bold(d):
    """The automatic text style "Bold"."""
    bold = Style(name="Bold", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    return _style(d, bold)


def _list_style(d, name: str, level):
    """An automatic list style with one level (numbered or bulleted), indented 0.6 cm."""
    style = ListStyle(name=name)
    level.addElement(ListLevelProperties(spacebefore="0.6cm", minlabelwidth="0.6cm"))
    style.addElement(level)
    return _style(d, style)


# --- action plans ----------------------------------------------------------------------------------------

class _OdtPlan:
    """The plan as OpenDocument paragraphs and tables."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.d = _document(plan.properties)
        self.bold = _bold(self.d)

    def para(self, text: str, strong: bool = False):
        p = P()
        if strong:
            p.addElement(Span(stylename=self.bold, text=text))
        else:
            p.addText(text)
        return p

    def cell(self, paras: list[str], strong: bool = False, **kw):
        c = TableCell(valuetype="string", **kw)
        for t in paras:
            c.addElement(self.para(t, strong))
        return c

    def table(self, name: str, columns: int, header: list[str] | None = None):
        """A table of `columns` columns, with a header row of bold cells when given."""
        t = Table(name=name)
        t.addElement(TableColumn(numbercolumnsrepeated=columns))
        if header:
            hr = TableHeaderRows()
            row = TableRow()
            for h in header:
                row.addElement(self.cell([h], True))
            hr.addElement(row)
            t.addElement(hr)
        return t

    def front(self):
        """The title lines, introduction, the categories table (Term / Definition) and the plan's title."""
        text, plan = self.d.text, self.plan
        for k, ln in enumerate(plan.title_lines):
            text.addElement(self.para(ln, k == 0))
        for t in plan.intro:
            text.addElement(self.para(t))
        defs = self.table("Categories", 2, ["Term", "Definition"])
        for term, definition in plan.definitions:
            row = TableRow()
            row.addElement(self.cell([term]))
            row.addElement(self.cell([definition]))
            defs.addElement(row)
        text.addElement(defs)
        text.addElement(self.para(plan.table_title, True))

    def rows(self, r: Row) -> list:
        """A plan row as one table row per action, the first three cells spanning them
        (number-rows-spanned, covered cells below)."""
        out = []
        n = len(r.actions)
        for k, a in enumerate(r.actions):
            row = TableRow()
            if k == 0:
                span = {"numberrowsspanned": n} if n > 1 else {}
                row.addElement(self.cell([r.printed], **span))
                row.addElement(self.cell(r.text_cell, **span))
                row.addElement(self.cell(r.status_cell, **span))
            else:
                for _ in range(3):
                    row.addElement(CoveredTableCell())
            row.addElement(self.cell(a.response))
            row.addElement(self.cell(a.owners))
            row.addElement(self.cell(a.targets))
            out.append(row)
        return out

    def action_plan(self):
        t = self.table("ActionPlan", 6, self.plan.header)
        for heading, rows in self.plan.groups:
            row = TableRow()
            row.addElement(self.cell([heading], True, numbercolumnsspanned=6))
            for _ in range(5):
                row.addElement(CoveredTableCell())
            t.addElement(row)
            for r in rows:
                for row in self.rows(r):
                    t.addElement(row)
        self.d.text.addElement(t)

    def totals(self):
        t = self.table("Totals", 2)
        for label, value in [("Recommendations", "")] + list(self.plan.totals):
            row = TableRow()
            row.addElement(self.cell([label]))
            row.addElement(self.cell([str(value)] if value != "" else []))
            t.addElement(row)
        self.d.text.addElement(t)


def plan_odt(plan: Plan) -> bytes:
    """The plan as an OpenDocument table: header rows, addressee rows spanning six columns, rows
    with several actions as several table rows with the first three cells spanning them
    (number-rows-spanned, covered cells below), status and note as two paragraphs."""
    o = _OdtPlan(plan)
    o.front()
    o.action_plan()
    if plan.totals:
        o.totals()
    return zipped(o.d.write, plan.properties["created"])


# --- reports ---------------------------------------------------------------------------------------------

class _OdtReport:
    """A report's blocks as OpenDocument paragraphs, outline-level headings and lists."""

    def __init__(self, report: Report):
        self.report = report
        self.d = _document(report.properties)
        self.letters = _list_style(self.d, "Letters",
                                   ListLevelStyleNumber(level=1, numformat="a", numsuffix=")", startvalue=1))
        self.bullets = _list_style(self.d, "Bullets", ListLevelStyleBullet(level=1, bulletchar="\u2022"))
        self.bold = _bold(self.d)
        big = Style(name="CoverTitle", family="paragraph")
        big.addElement(TextProperties(fontsize="24pt", fontweight="bold"))
        self.big = _style(self.d, big)

    def add(self, element):
        self.d.text.addElement(element)

    def items(self, lst, texts: list[str]):
        """A list of one-paragraph items."""
        for text in texts:
            li = ListItem()
            li.addElement(P(text=text))
            lst.addElement(li)
        self.add(lst)

    def block_cover(self, block: Block):
        self.add(P(text=block.value[0]))
        self.add(P(stylename=self.big, text=block.value[1]))
        for ln in block.value[2:]:
            self.add(P(text=ln))

    def block_h1(self, block: Block):
        self.add(H(outlinelevel=1, text=block.value))

    def block_h2(self, block: Block):
        self.add(H(outlinelevel=2, text=block.value))

    def block_p(self, block: Block):
        self.add(P(text=block.value))

    def block_bullets(self, block: Block):
        self.items(List(stylename=self.bullets), block.value)

    def block_recs(self, block: Block):
        for k, group in enumerate(self.report.groups):
            p = P()
            p.addElement(Span(stylename=self.bold, text=group.heading))
            self.add(p)
            lst = List(stylename=self.letters) if k == 0 else List(stylename=self.letters, continuenumbering="true")
            self.items(lst, [rec.text for rec in group.recs])


def report_odt(report: Report) -> bytes:
    """A report as OpenDocument: headings by outline level, the recommendations as lists numbered
    a), b), ... from their list style (the second list continuing the first), a bulleted list in a
    chapter; the letters are not in the text."""
    o = _OdtReport(report)
    print_blocks(o, report.blocks)
    return zipped(o.d.write, report.properties["created"])

"""A report printed as a text PDF (fpdf2, core Helvetica): A4 portrait, running header and page footer on
every page, chapter headings in a larger bold font, a contents page with dot leaders."""
from __future__ import annotations

from fpdf import FPDF

from .common import describe_pdf, latin1, pdf_bytes, print_blocks
from .content import Block, Report

BODY, LINE = 10.5, 5.4
MARKERS = {"decimal": "{}.", "paren": "({})", "letter": "{})", "multilevel": "{}", "table": "{}"}


class _PagedReport(FPDF):
    """The page furniture: the report's running header and its footer ("Page {n} of {nb}" or "{n}")."""

    def __init__(self, report: Report):
        super().__init__(unit="mm", format="A4")
        self._report = report

    def header(self):
        self.set_font("Helvetica", size=8)
        self.text(20, 11, latin1(self._report.running_header))
        self.set_y(20)

    def footer(self):
        self.set_font("Helvetica", size=8)
        label = self._report.footer.replace("{n}", str(self.page_no()))
        self.set_xy(20, 284)
        self.cell(self.w - 40, 5, label, align="R" if "{nb}" in label else "C")


class _Printer:
    """Prints a report's blocks in order, noting the page of each chapter heading and the pages of each
    recommendation."""

    def __init__(self, report: Report, contents_pages: dict[str, int]):
        self.report = report
        self.contents_pages = contents_pages
        self.pdf = _PagedReport(report)
        self.pdf.set_margins(20, 20, 20)
        self.pdf.set_auto_page_break(True, margin=22)
        describe_pdf(self.pdf, report.properties)
        self.pdf.add_page()
        self.width = self.pdf.w - 40
        self.headings: dict[str, int] = {}
        self.rec_pages: dict[int, list[int]] = {}

    def print(self) -> bytes:
        print_blocks(self, self.report.blocks)
        return pdf_bytes(self.pdf, self.report.properties)

    def para(self, text: str, style: str = "", size: float = BODY, after: float = 2.2, indent: float = 0):
        self.pdf.set_font("Helvetica", style=style, size=size)
        self.pdf.set_x(20 + indent)
        self.pdf.multi_cell(self.width - indent, LINE if size <= 11 else size * 0.5, latin1(text),
                            new_x="LMARGIN", new_y="NEXT", align="L")
        self.pdf.ln(after)

    def item(self, mark: str, text: str, indent: float = 10.0) -> list[int]:
        """A marker and its text, hanging; returns the pages the item is printed on."""
        pdf = self.pdf
        pdf.set_font("Helvetica", size=BODY)
        if pdf.will_page_break(LINE):
            pdf.add_page()
        first = pdf.page_no()
        pdf.set_x(20)
        pdf.cell(indent, LINE, latin1(mark))
        pdf.multi_cell(self.width - indent, LINE, latin1(text), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(1.6)
        return list(range(first, pdf.page_no() + 1))

    def block_cover(self, block: Block):
        lines = block.value
        self.pdf.set_y(34)
        self.para(lines[0], "B", 14, after=10)
        self.para(lines[1], "B", 22, after=8)
        for ln in lines[2:-1]:
            self.para(ln, "", 12, after=4)
        self.para(lines[-1], "B", 14, after=8)

    def block_break(self, block: Block):
        self.pdf.add_page()

    def block_space(self, block: Block):
        self.pdf.ln(block.value)

    def block_h1(self, block: Block):
        if block.new_page:
            self.pdf.add_page()
        else:
            self.pdf.ln(4)
            if self.pdf.will_page_break(30):
                self.pdf.add_page()
        self.headings[block.value] = self.pdf.page_no()
        self.para(block.value, "B", 16, after=4)

    def block_h2(self, block: Block):
        if self.pdf.will_page_break(20):
            self.pdf.add_page()
        self.para(block.value, "B", 12, after=2)

    def block_p(self, block: Block):
        self.para(block.value)

    def block_sign(self, block: Block):
        self.para(block.value[0], "B", after=0.5)
        for ln in block.value[1:]:
            self.para(ln, after=0.5)

    def block_contents(self, block: Block):
        pdf = self.pdf
        pdf.set_font("Helvetica", size=BODY)
        for entry in block.value:
            page = str(self.contents_pages.get(entry, 0))
            dots_w = self.width - pdf.get_string_width(entry + "  " + page) - 4
            dots = "." * int(dots_w / pdf.get_string_width("."))
            pdf.set_x(20)
            pdf.cell(self.width, 7, latin1(f"{entry} {dots} {page}"), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def block_list(self, block: Block):
        for mark, text in block.value:
            self.item(mark, text)
        self.pdf.ln(1)

    def block_bullets(self, block: Block):
        for text in block.value:
            self.item("-", text, indent=6)

    def block_table(self, block: Block):
        pdf, header, rows = self.pdf, block.value["header"], block.value["rows"]
        ws = [self.width * 0.4] + [self.width * 0.6 / (len(header) - 1)] * (len(header) - 1)
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

    def block_recs(self, block: Block):
        n = 0
        for group in self.report.groups:
            self.pdf.ln(1)
            if self.pdf.will_page_break(2 * LINE + 4):
                self.pdf.add_page()
            self.para(group.heading, "B", after=1.6)
            for rec in group.recs:
                n += 1
                pages = self.item(MARKERS[self.report.numbering].format(rec.printed), rec.text)
                seen = self.rec_pages.setdefault(n, [])
                seen += [q for q in pages if q not in seen]


def report_pdf(report: Report) -> tuple[bytes, dict[int, list[int]]]:
    """The report's PDF and the pages of each recommendation ({ordinal: pages}). Printed twice: the
    contents page shows the pages the first printing put the headings on."""
    first = _Printer(report, {})
    first.print()
    second = _Printer(report, first.headings)
    data = second.print()
    assert first.headings == second.headings, "contents page numbers moved the headings"
    return data, second.rec_pages

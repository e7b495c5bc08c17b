"""An action plan printed as a landscape table PDF (fpdf2, core Helvetica), drawn the way Word prints one:
ruled cells, the header row repeated on each page, addressee rows spanning the table, a row with several
actions drawn with its number, recommendation and status cells merged across the action lines, a row
that does not fit continued on the next page (cell borders closed at the foot of the page), the status
cell holding the status and a note, and the totals by status at the end."""
from __future__ import annotations

from fpdf import FPDF

from .common import PLAN_WIDTHS as WIDTHS
from .common import describe_pdf, latin1, pdf_bytes
from .content import Plan, Row

FONT, LH, PAD = 8.0, 3.6, 1.4  # font size (pt), line height and cell padding (mm)

Segment = tuple[int, int, int]  # (action, from line, to line) of one action block drawn on a page


class _PlanPrinter:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.pdf = FPDF(orientation="L", unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(12, 12, 12)
        describe_pdf(self.pdf, plan.properties)
        self.x0, self.top, self.bottom = 12.0, 16.0, self.pdf.h - 14.0
        self.full = sum(WIDTHS)
        self.y = 0.0
        self.pages: dict[int, list[int]] = {}  # row ordinal -> pages

    # --- drawing primitives --------------------------------------------------------------------------

    def new_page(self) -> float:
        """A page with its furniture ("OFFICIAL", "Page n of m"); returns the top of the table area."""
        pdf = self.pdf
        pdf.add_page()
        pdf.set_font("Helvetica", size=7)
        pdf.text(self.x0, 9, "OFFICIAL")
        pdf.set_xy(self.x0, pdf.h - 10)
        pdf.cell(self.full, 4, f"Page {pdf.page_no()} of {{nb}}", align="R")
        return self.top

    def wrap(self, paras: list[str], w: float, style: str = "") -> list[str]:
        """The lines a cell of width w shows for these paragraphs."""
        self.pdf.set_font("Helvetica", style=style, size=FONT)
        self.pdf.c_margin = 0
        out: list[str] = []
        for para in paras:
            if para.strip():
                out += self.pdf.multi_cell(w - 2 * PAD, LH, latin1(para), dry_run=True, output="LINES")
        return out

    def text_lines(self, lines: list[str], x: float, y: float, style: str = ""):
        self.pdf.set_font("Helvetica", style=style, size=FONT)
        for k, ln in enumerate(lines):
            self.pdf.text(x + PAD, y + PAD + (k + 0.8) * LH, ln)

    def simple_row(self, cells: list[list[str]], ws, y: float, style: str = "") -> float:
        """A row of ruled cells as tall as its longest cell; returns the y below it."""
        h = max(1, max(len(c) for c in cells)) * LH + 2 * PAD
        x = self.x0
        for lines, w in zip(cells, ws):
            self.text_lines(lines, x, y, style)
            self.pdf.rect(x, y, w, h)
            x += w
        return y + h

    def header_row(self, y: float) -> float:
        return self.simple_row([self.wrap([h], w, "B") for h, w in zip(self.plan.header, WIDTHS)], WIDTHS, y, "B")

    # --- the parts of the plan -------------------------------------------------------------------------

    def front_matter(self):
        """First page: title lines, introduction, the categories (Term / Definition), the plan's title and
        header row."""
        plan, pdf, x0 = self.plan, self.pdf, self.x0
        y = self.new_page()
        for k, ln in enumerate(plan.title_lines):
            pdf.set_font("Helvetica", style="B", size=12 if k == 0 else 10.5)
            pdf.text(x0, y + 4, latin1(ln))
            y += 6.5
        y += 2
        pdf.set_font("Helvetica", size=9)
        for para in plan.intro:
            pdf.set_xy(x0, y)
            pdf.multi_cell(self.full, 4.4, latin1(para), new_x="LMARGIN", new_y="NEXT", align="L")
            y = pdf.get_y() + 2
        dws = (40, self.full - 40)
        y = self.simple_row([self.wrap(["Term"], dws[0], "B"), self.wrap(["Definition"], dws[1], "B")], dws, y, "B")
        for term, definition in plan.definitions:
            y = self.simple_row([self.wrap([term], dws[0]), self.wrap([definition], dws[1])], dws, y)
        y += 6
        pdf.set_font("Helvetica", style="B", size=10)
        pdf.text(x0, y, latin1(plan.table_title))
        self.y = self.header_row(y + 3)

    def addressee(self, heading: str):
        """An addressee row spanning the table, on a new page unless a few lines of a row fit under it."""
        span = self.wrap([heading], self.full, "B")
        if self.y + (len(span) + 4) * LH + 4 * PAD > self.bottom:
            self.y = self.header_row(self.new_page())
        self.y = self.simple_row([span], [self.full], self.y, "B")

    def row(self, r: Row, ordinal: int):
        """One plan row, in as many page segments as it needs. A row starts on a new page unless its
        number, recommendation and status cells fit (so the recommendation is never cut; the actions may
        run on over the page break)."""
        left = [self.wrap([r.printed], WIDTHS[0]), self.wrap(r.text_cell, WIDTHS[1]),
                self.wrap(r.status_cell, WIDTHS[2])]
        acts = [[self.wrap(a.response, WIDTHS[3]), self.wrap(a.owners, WIDTHS[4]), self.wrap(a.targets, WIDTHS[5])]
                for a in r.actions]
        done = [0] * 3  # lines of each left cell drawn so far
        k, j = 0, 0  # next action, next line within it
        first_segment = True
        if self.y + max(3, max(len(c) for c in left)) * LH + 2 * PAD > self.bottom:
            self.y = self.header_row(self.new_page())
        while True:
            blocks, k, j = self.fit_actions(acts, k, j)
            heights = [(b - a) * LH + 2 * PAD for _, a, b in blocks]
            seg_h = self.stretch(blocks, heights, max(len(c) - d for c, d in zip(left, done)))
            if seg_h <= 0:
                self.y = self.header_row(self.new_page())
                continue
            self.draw_left(left, done, seg_h, None if first_segment else r.printed)
            self.draw_actions(acts, blocks, heights, seg_h)
            pages = self.pages.setdefault(ordinal, [])
            if self.pdf.page_no() not in pages:
                pages.append(self.pdf.page_no())
            self.y += seg_h
            first_segment = False
            if k >= len(acts) and all(d >= len(c) for c, d in zip(left, done)):
                break
            self.y = self.header_row(self.new_page())

    def fit_actions(self, acts: list[list[list[str]]], k: int, j: int) -> tuple[list[Segment], int, int]:
        """The action blocks that fit on this page from action k, line j; returns them and where the next
        page starts. An action that does not fit is cut if at least two of its lines fit."""
        blocks: list[Segment] = []
        avail = self.bottom - self.y
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
        return blocks, k, j

    def stretch(self, blocks: list[Segment], heights: list[float], left_left: int) -> float:
        """The segment's height: the action blocks', stretched (to the foot of the page at most) when the
        left cells have more lines to show than the actions take."""
        seg_h = sum(heights)
        if left_left * LH + 2 * PAD > seg_h:
            extra = min(left_left * LH + 2 * PAD - seg_h, self.bottom - self.y - seg_h)
            if heights:
                heights[-1] += extra
            else:
                heights.append(extra)
                blocks.append((-1, 0, 0))
            seg_h += extra
        return seg_h

    def draw_left(self, left: list[list[str]], done: list[int], seg_h: float, continued: str | None):
        """The merged number, recommendation and status cells: as many of their lines as fit. On a row's
        continuation (`continued`: its number) only the number cell may still have lines to show."""
        cap = int((seg_h - 2 * PAD) / LH + 1e-6)
        x, y = self.x0, self.y
        for c in range(3):
            lines = left[c][done[c]:done[c] + cap]
            if c in (1, 2) and continued is not None and lines:
                raise AssertionError(f"{self.plan.key} row {continued}: recommendation or status cut by a page")
            self.text_lines(lines, x, y)
            done[c] += len(lines)
            self.pdf.line(x, y, x, y + seg_h)
            x += WIDTHS[c]

    def draw_actions(self, acts: list[list[list[str]]], blocks: list[Segment], heights: list[float],
                     seg_h: float):
        """The action blocks, ruled between them in the action columns only, and the segment's top and
        bottom rules."""
        pdf, x0, y = self.pdf, self.x0, self.y
        yy = y
        for (a, fr, to), h in zip(blocks, heights):
            x = x0 + sum(WIDTHS[:3])
            for c in range(3):
                if a >= 0:
                    self.text_lines(acts[a][c][fr:to], x, yy)
                pdf.line(x, yy, x, yy + h)
                x += WIDTHS[3 + c]
            pdf.line(x, yy, x, yy + h)
            if yy > y:
                pdf.line(x0 + sum(WIDTHS[:3]), yy, x0 + self.full, yy)
            yy += h
        pdf.line(x0, y, x0 + self.full, y)
        pdf.line(x0, y + seg_h, x0 + self.full, y + seg_h)

    def totals(self):
        """The totals by status, as the plan states them, in a small table after the plan."""
        tws = (50, 20)
        need = (len(self.plan.totals) + 1) * (LH + 2 * PAD) + 6
        y = self.y + 8
        if y + need > self.bottom:
            y = self.new_page()
        y = self.simple_row([["Recommendations"], [""]], tws, y, "B")
        for label, value in self.plan.totals:
            y = self.simple_row([[label], [str(value)]], tws, y, "B" if label == "Total" else "")
        self.y = y


def plan_pdf(plan: Plan) -> tuple[bytes, dict[int, list[int]]]:
    """The plan's PDF and the pages each row is printed on ({row ordinal: pages})."""
    printer = _PlanPrinter(plan)
    printer.front_matter()
    ordinal = 0
    for heading, rows in plan.groups:
        printer.addressee(heading)
        for r in rows:
            ordinal += 1
            printer.row(r, ordinal)
    if plan.totals:
        printer.totals()
    return pdf_bytes(printer.pdf, plan.properties), printer.pages

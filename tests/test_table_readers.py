"""Why pdfplumber reads the tables of PDFs: measured against pypdf's layout mode on the same PDFs.

Both readers feed the same row parser (indexer.extract.actionplan); only how cells are cut out of the
page differs. pypdf's layout mode keeps each text line's horizontal position, so a table can be
cut into columns where the header's labels start (the best a text-only reader can do);
pdfplumber takes the cells from the table's ruling lines. The test prints both scores and
asserts that the reader the project uses is exact and at least as good as the alternative:

    .venv/bin/python -m pytest tests/test_table_readers.py -s
"""
from __future__ import annotations

import pytest

import io
import re
import time

import documents as docs
from conftest import CORPUS

from indexer.extract.actionplan import parse_action_plan
from indexer.readers import read_bytes, read_file
from indexer.records import Block, ExtractedText


def _pypdf_layout_document(data: bytes) -> ExtractedText:
    """Table rows cut out of pypdf's layout-mode text at the columns the header row starts."""
    from pypdf import PdfReader

    lines: list[tuple[str, bool]] = []  # (line, first on a page)
    for page in PdfReader(io.BytesIO(data)).pages:
        for i, ln in enumerate(page.extract_text(extraction_mode="layout").split("\n")):
            lines.append((ln, i == 0))
    header = next(ln for ln, _ in lines if "Rec No" in ln and "Target" in ln)
    starts = [m.start() for m in re.finditer(r"(?:(?<=\s{2})|^\s?)\S", header)]
    text_parts, blocks, pos = [], [], 0
    for ln, new_page in lines:
        if not ln.strip():
            continue
        if "should:" in ln or len(ln.strip().split("  ")) == 1 and not ln.startswith(" " * (starts[1] - 1)):
            kind, cells = "paragraph", ()
        else:
            cells = []
            for a, b in zip(starts, starts[1:] + [len(ln) + 1]):
                cells.append(ln[a:b].strip() if a < len(ln) else "")
            kind, cells = "table_row", tuple(cells)
        out = ln if kind == "paragraph" else "\t".join(cells)
        blocks.append(Block(kind, pos, pos + len(out), cells=cells, gap_before=new_page,
                            header=kind == "table_row" and "Rec No" in ln))
        text_parts.append(out)
        pos += len(out) + 1
    return ExtractedText("\n".join(text_parts), (), tuple(blocks), "pdf", True)


def _score(plan, want) -> dict[str, float]:
    got = {r.number: r for r in plan.rows} if plan else {}
    n = len(want)

    def share(ok) -> float:
        return sum(1 for w in want if w.number in got and ok(got[w.number], w)) / n

    return {"rows": share(lambda g, w: True),
            "text": share(lambda g, w: g.text == w.text),
            "status": share(lambda g, w: g.status == w.status),
            "targets": share(lambda g, w: list(g.targets) == list(w.targets)),
            "owners": share(lambda g, w: " ".join(g.owners).split() == " ".join(w.owners).split())}


def _plans():
    out = [("Riverford (fixture)", docs.RIVERFORD_PLAN, docs.plan_pdf(docs.RIVERFORD_PLAN)),
           ("Riverford, split rows open", docs.RIVERFORD_PLAN,
            docs.plan_pdf(docs.RIVERFORD_PLAN, close_split_rows=False))]
    for name in ("2025-02_action-plan_recruitment-training-retention.txt",
                 "2020-03_action-plan_central-functions-nps.txt"):
        rows = parse_action_plan(read_file(CORPUS / name)).rows
        plan = docs.plan_from_text_rows(rows, ["ACTION PLAN"])
        out.append((name[:7] + " plan as a table", plan, docs.plan_pdf(plan)))
    return out


@pytest.mark.slow
def test_pdfplumber_cells_beat_pypdf_layout_columns():
    print()
    for name, plan, data in _plans():
        want = [docs.PlanRow(r.number, r.text, r.status, r.response, r.owners, r.targets) for r in plan.rows]
        t = time.perf_counter()
        ours = _score(parse_action_plan(read_bytes(data, "plan.pdf")), want)
        t_ours = time.perf_counter() - t
        t = time.perf_counter()
        layout = _score(parse_action_plan(_pypdf_layout_document(data)), want)
        t_layout = time.perf_counter() - t
        print(f"{name:30} pdfplumber {ours} {t_ours:.2f}s | pypdf layout {layout} {t_layout:.2f}s")
        assert ours["rows"] == ours["text"] == ours["status"] == 1.0, (name, ours)
        for k in ours:
            assert ours[k] >= layout[k], (name, k, ours, layout)

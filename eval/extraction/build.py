"""The whole set in memory: every document printed in each of its formats, the layout features the set
promises checked, and the label files written from the same data."""
from __future__ import annotations

import json

from . import content as C
from .labels import Labels, Pages
from .opendocument import plan_odt, report_odt
from .pdf_plan import plan_pdf
from .pdf_report import report_pdf
from .web_page import report_html
from .word import plan_docx, report_docx

# format -> printer; a PDF printer also returns the pages of each record
REPORT_PRINTERS = {"pdf": report_pdf, "docx": report_docx, "odt": report_odt, "html": report_html}
PLAN_PRINTERS = {"pdf": plan_pdf, "docx": plan_docx, "odt": plan_odt}


def _printed(printer, doc, fmt: str, pages: Pages, labelled: bool) -> bytes:
    """The document's bytes; the pages of its records go into `pages` when it is the labelled file."""
    out = printer[fmt](doc)
    if fmt != "pdf":
        return out
    data, record_pages = out
    if labelled:
        pages[doc.key] = record_pages
    return data


def render(content: C.Content) -> tuple[dict[str, bytes], Pages, Pages]:
    """{file name under docs/: bytes}, and the pages of the PDF reports' and plans' records."""
    files: dict[str, bytes] = {}
    report_pages: Pages = {}
    plan_pages: Pages = {}
    for r in content.reports:
        if r.fmt not in REPORT_PRINTERS:
            raise ValueError(r.fmt)
        files[r.file] = _printed(REPORT_PRINTERS, r, r.fmt, report_pages, True)
    for pl in content.plans:
        stem = pl.file.rsplit(".", 1)[0]
        for fmt in pl.formats:
            if fmt not in PLAN_PRINTERS:
                raise ValueError(fmt)
            name = f"{stem}.{fmt}"
            files[name] = _printed(PLAN_PRINTERS, pl, fmt, plan_pages, name == pl.file)
    return files, report_pages, plan_pages


def check_layout(report_pages: Pages, plan_pages: Pages) -> None:
    """The layout features the set promises (a change of text can move a page break: re-tune "space")."""
    assert any(len(v) > 1 for v in report_pages["spo-report"].values()), "no recommendation crosses a page"
    assert all(len(v) == 2 for v in report_pages["vet-report"].values()), "summary and annex on other pages"
    assert any(len(v) > 1 for v in plan_pages["spo-plan"].values()), "no plan row crosses a page"
    assert any(len(v) > 1 for v in plan_pages["ashby-wrenfold-plan"].values()), "no plan row crosses a page"


def jsonl(rows: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


def build_set() -> dict[str, bytes]:
    """Every output, by its path under eval/extraction/: docs/<file> and the three label files."""
    content = C.load()
    files, report_pages, plan_pages = render(content)
    check_layout(report_pages, plan_pages)
    labels = Labels(content, report_pages, plan_pages)
    expected = labels.expected()
    outputs = {f"docs/{name}": data for name, data in files.items()}
    outputs["documents.jsonl"] = jsonl(labels.documents())
    outputs["expected.jsonl"] = jsonl(expected)
    outputs["threads.jsonl"] = jsonl(labels.threads(expected))
    return outputs

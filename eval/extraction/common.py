"""What the printers share: the walk over a report's blocks, latin-1 text and fixed document properties
for the PDFs, fixed timestamps for the zip files (docx, odt), and the plan table's column widths."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable

PLAN_WIDTHS = (14, 58, 28, 100, 43, 30)  # mm: the plan table's columns (landscape A4 less 12 mm margins: 273 mm)


def print_blocks(printer, blocks: list) -> None:
    """Call printer.block_<kind>(block) for each block of a report; a kind the format does not print is
    an error."""
    for block in blocks:
        draw = getattr(printer, f"block_{block.kind}", None)
        if draw is None:
            raise ValueError(f"{type(printer).__name__} cannot print a {block.kind!r} block")
        draw(block)


def latin1(text: str) -> str:
    """The core PDF fonts are latin-1; content.json is written in ASCII (and the pound sign)."""
    text.encode("latin-1")  # fail loudly on anything else: labels must match the printed text
    return text


def when(ymd: tuple[int, int, int]) -> dt.datetime:
    return dt.datetime(*ymd, 9, 0, 0, tzinfo=dt.UTC)


def describe_pdf(pdf, props: dict) -> None:
    """Title, author, creator and a fixed creation date in the PDF's information dictionary (see
    `pdf_bytes` for no date at all)."""
    pdf.set_title(props["title"])
    pdf.set_author(props["author"])
    pdf.set_creator("Microsoft Word")
    pdf.set_creation_date(when(props.get("created") or (2000, 1, 1)))


def pdf_bytes(pdf, props: dict) -> bytes:
    """The PDF; with "created": null its information dictionary keeps no creation date (the entry is
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


def zipped(save: Callable[[io.BytesIO], object], ymd: tuple[int, int, int]) -> bytes:
    """A document saved by `save` (python-docx's save, odfpy's write) with fixed zip timestamps."""
    buf = io.BytesIO()
    save(buf)
    return normalise_zip(buf.getvalue(), ymd)

"""PDFs made in code for the safety tests: good, encrypted, damaged, image-only and hostile ones.

Nothing binary is committed: each helper returns the bytes of a fresh PDF.
`raw_pdf` writes the objects and the xref table by hand, so a test can build
what no well-behaved library would (one huge content stream shared by forty
pages, a Flate bomb, a font whose ToUnicode map yields control characters).
"""
from __future__ import annotations

import io
import zlib


def text_pdf(pages: list[str]) -> bytes:
    """A normal PDF with one page per string (fpdf2, core Helvetica, latin-1 text)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def encrypted_pdf(pages: list[str], user_password: str, owner_password: str = "owner",
                  algorithm: str = "AES-256") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(pages))))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf() -> bytes:
    """A 'scanned' page: one picture and no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(img).rectangle((20, 20, 380, 180), outline="black", width=4)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(img, x=10, y=10, w=150)
    return bytes(pdf.output())


def raw_pdf(streams: list[bytes], page_streams: list[int], *, flate: bool = False,
            font: bytes = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            extra: list[bytes] = ()) -> bytes:
    """A hand-written PDF: `streams` are content streams, page i draws streams[page_streams[i]].

    Several pages may share one stream (the CPU bomb). `extra` objects follow the
    font and may be referenced from it (a ToUnicode map). Object numbers:
    1 catalog, 2 pages, 3 font, 4.. extra, then streams, then pages.
    """
    objs: list[bytes] = []
    n_extra = len(extra)
    first_stream = 4 + n_extra
    first_page = first_stream + len(streams)
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(len(page_streams)))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(page_streams))
    objs.append(font)
    objs.extend(extra)
    for s in streams:
        body = zlib.compress(s, 1) if flate else s  # level 1: fast to make, still ~1000:1 on padding
        filt = b" /Filter /FlateDecode" if flate else b""
        objs.append(b"<< /Length %d%s >>\nstream\n" % (len(body), filt) + body + b"\nendstream")
    for si in page_streams:
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                    b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (first_stream + si))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def text_op(text: str) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td (" + text.encode("latin-1") + b") Tj ET\n"


def flate_bomb(inflated_mb: int = 120) -> bytes:
    """About 120 kB that inflate to `inflated_mb` MB of content stream (pypdf's own cap is 75 MB)."""
    return raw_pdf([text_op("bomb") + b" " * (inflated_mb << 20)], [0], flate=True)


def cpu_bomb(pages: int = 40, stream_mb: int = 8) -> bytes:
    """Forty pages sharing one `stream_mb` MB content stream: tens of kB on disk, minutes to extract."""
    op = text_op("a" * 200)
    stream = op * ((stream_mb << 20) // len(op))
    return raw_pdf([stream], [0] * pages, flate=True)


def control_char_pdf() -> bytes:
    """A page whose font maps codes to NUL, ESC and a lone surrogate (U+D800) via ToUnicode."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CMapName /Hostile def 1 begincodespacerange <00> <FF> endcodespacerange\n"
            b"5 beginbfchar\n<41> <0041>\n<42> <0000>\n<43> <001B>\n<44> <D800>\n<45> <0045>\nendbfchar\n"
            b"endcmap CMapName currentdict /CMap defineresource pop end end\n")
    tounicode = b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 4 0 R >>"
    words = b"(AAAA BD EEEE C[31mred AAAA D EEEE) Tj "
    body = b"BT /F1 12 Tf 72 720 Td " + words * 4 + b"ET\n"
    return raw_pdf([body], [0], font=font, extra=[tounicode])


def truncated(data: bytes, fraction: float) -> bytes:
    return data[: int(len(data) * fraction)]

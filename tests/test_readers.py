"""Readers: real PDFs made by the test, text cleaning, and refusals with reasons."""
from __future__ import annotations

import pytest

from indexer.clean import clean_inline, clean_with_map
from indexer.readers import UnreadableFile, read_bytes, read_file


def make_pdf(path, pages: list[str]) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))


def test_pdf_pages_are_kept(tmp_path):
    p = tmp_path / "three.pdf"
    make_pdf(p, ["Alpha page about recruitment.", "Beta page about SPO workload.", "Gamma page about estates."])
    ex = read_file(p)
    assert len(ex.page_starts) == 3
    for n, word in enumerate(["Alpha", "Beta", "Gamma"], start=1):
        at = ex.text.index(word)
        assert ex.pages_for(at, at + len(word)) == (n,)
    a, g = ex.text.index("Alpha"), ex.text.index("Gamma")
    assert ex.pages_for(a, g + 5) == (1, 2, 3)


def test_clean_keeps_offsets_into_the_source():
    raw = "**Report Published:** 17<sup>th</sup> May 2022 &amp; <p>Agreed</p>"
    text, offs = clean_with_map(raw)
    assert text == "Report Published: 17th May 2022 & Agreed"
    i = text.index("May")
    assert raw[offs[i]:offs[i] + 3] == "May"


@pytest.mark.parametrize("raw,want", [
    ("  lead and  inner\u00a0 \u00a0runs  ", "lead and inner runs"),
    ("cell \t next \nline  \n\n  para", "cell\tnext\nline\n\npara"),
    ("<li>one</li><li>two</li>", " • one • two "[1:-1]),
    ("a&#x41;b **c** __d__ &nbsp; e", "aAb c d e"),
    ("", ""),
])
def test_clean_collapses_spaces_and_maps_every_character_back(raw, want):
    text, offs = clean_with_map(raw)
    assert text == want and len(offs) == len(text)
    assert offs == sorted(offs)  # offsets run forward through the source
    for ch, at in zip(text, offs):  # a kept character points at itself; a made one at its tag or entity
        assert raw[at] == ch or raw[at] in "<&" or (ch == " " and raw[at] in " \u00a0")


def test_clean_inline_turns_lists_into_bullets():
    cell = '<ul style="list-style-type: none"> <li>first point</li> <li>second point</li> </ul>'
    assert clean_inline(cell) == "first point • second point"


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"   \n\n  ", "empty file"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" + bytes(range(256)), "binary"),
    ("fake.pdf", b"just some words, not a pdf", "not a PDF"),
    ("table.xlsx", b"plain words in a spreadsheet-named file", "unsupported file type"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "PDF"),
])
def test_unreadable_files_say_why(name, data, reason):
    with pytest.raises(UnreadableFile) as e:
        read_bytes(data, name)
    assert reason.lower() in e.value.reason.lower()
    assert e.value.path == name


def test_encrypted_pdf_is_refused(tmp_path):
    from pypdf import PdfReader, PdfWriter

    p = tmp_path / "plain.pdf"
    make_pdf(p, ["Secret text"])
    w = PdfWriter(clone_from=PdfReader(p))
    w.encrypt("pw", algorithm="AES-256")
    enc = tmp_path / "enc.pdf"
    with enc.open("wb") as f:
        w.write(f)
    with pytest.raises(UnreadableFile, match="encrypted"):
        read_file(enc)


def test_image_only_pdf_is_refused(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50, style="F")  # a drawing, no text
    p = tmp_path / "scan.pdf"
    pdf.output(str(p))
    with pytest.raises(UnreadableFile, match="no extractable text"):
        read_file(p)


def test_cp1252_text_is_decoded_not_garbled():
    ex = read_bytes("café – £5".encode("cp1252"), "legacy.txt")
    assert ex.text == "café – £5"

"""Bad files are refused whole with one clear line, and the index does not change
(rows 1-8, 11, 12, 14, 15 and 32 of the test plan).

PDFs are parsed in a child process (indexer/safe_read.py); every PDF here is made
in code by tests/pdfs.py. Each refusal is checked through the real indexer on a
real (small) index: the file is listed as skipped with its reason, nothing is
indexed, and the generation and chunk count stay as they were.
"""
from __future__ import annotations

import json
import random
import re
import shutil
import threading
import time
from pathlib import Path

import documents as docs
import pdfs
import pytest

from indexer.build import build_index
from indexer.index.store import IndexStore
from indexer.readers import UnreadableFile
from indexer.readers.isolated import ReadLimits, read_document
from indexer.uploads import ingest_upload, sanitise_display_name, store_upload

GOOD_TEXT = ("Senior probation officers carried excessive workloads. Inspectors recommended that the "
             "region review SPO caseloads and restore monthly supervision for every practitioner.")
PDF_PAGES = ["Inspection of probation services: page one on workload and supervision of staff.",
             "Page two: recruitment of trainee probation officers through the PQiP programme.",
             "Page three: approved premises need investment and repair."]
# Control characters other than tab, newline and form feed (a kept page break), surrogates and
# bidi controls must never reach a chunk.
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def small_index(tmp_path_factory, embedder, analyzer) -> Path:
    root = tmp_path_factory.mktemp("ingest")
    (root / "docs").mkdir()
    (root / "docs" / "workload.txt").write_text(GOOD_TEXT, encoding="utf-8")
    idx = root / "idx"
    build_index([root / "docs"], idx, embedder=embedder, analyzer=analyzer)
    return idx


@pytest.fixture
def index_copy(small_index, tmp_path) -> Path:
    idx = tmp_path / "idx"
    shutil.copytree(small_index, idx)
    return idx


def _state(idx: Path) -> tuple:
    data = IndexStore(idx).read()  # verifies every checksum
    return IndexStore(idx).current(), len(data.documents), len(data.chunks)


def _refused_by_indexer(idx: Path, folder: Path, name: str, data: bytes, embedder, analyzer) -> str:
    """Add one file in "add" mode; assert it was refused and nothing changed; return the reason."""
    folder.mkdir(exist_ok=True)
    f = folder / name
    f.write_bytes(data)
    before = _state(idx)
    report = build_index([f], idx, mode="add", embedder=embedder, analyzer=analyzer)
    assert report.indexed == [] and len(report.skipped) == 1, report
    path, reason = report.skipped[0]
    assert path == str(f)
    assert "\n" not in reason and "Traceback" not in reason and len(reason) < 200
    assert _state(idx) == before
    return reason


# One table of bad inputs: (file name, bytes, what the one-line reason must say).
BAD_INPUTS = [
    ("empty.pdf", lambda: b"", r"empty file"),
    ("empty.txt", lambda: b"", r"empty file"),
    ("half.pdf", lambda: pdfs.truncated(pdfs.text_pdf(PDF_PAGES), 0.5), r"corrupt or unreadable PDF"),
    ("locked.pdf", lambda: pdfs.encrypted_pdf(PDF_PAGES, user_password="secret"), r"encrypted PDF.*password"),
    ("scan.pdf", pdfs.image_only_pdf, r"no extractable text \(scanned or image-only"),
    ("bomb.pdf", pdfs.flate_bomb, r"PDF too large.*decompression bomb"),
    ("notes.pdf", lambda: b"Just some notes, saved with the wrong name.\n", r"named \.pdf but is not a PDF"),
    ("page.pdf", lambda: b"<!DOCTYPE html><html><body>Not a PDF</body></html>", r"named \.pdf but is not a PDF"),
    ("image.pdf", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), r"not a supported document \(binary"),
    ("random.pdf", lambda: bytes(range(256)) * 40, r"not a supported document \(binary"),
    ("photo.txt", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), r"not a supported document"),
    ("archive.txt", lambda: b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(200)), r"damaged zip archive"),
    ("program.txt", lambda: b"\x7fELF\x02\x01\x01\x00" + bytes(120), r"not a supported document"),
    ("nul.txt", lambda: b"looks like text\x00but has a NUL byte", r"not a supported document"),
    # Word, OpenDocument and web pages
    ("half.docx", lambda: pdfs.truncated(docs.plan_docx(docs.RIVERFORD_PLAN), 0.5), r"damaged zip archive"),
    ("half.odt", lambda: pdfs.truncated(docs.plan_odt(docs.RIVERFORD_PLAN), 0.5), r"damaged zip archive"),
    ("bomb.docx", lambda: _zip_bomb(docs.plan_docx(docs.RIVERFORD_PLAN)), r"inflates .*zip bomb"),
    ("notes.docx", lambda: b"Plain text saved with a Word name.\n", r"named \.docx but is not a Word document"),
    ("notes.odt", lambda: b"<html><body>a page</body></html>", r"named \.odt but is not an OpenDocument"),
    ("other.odt", lambda: _zip({"data.csv": b"a,b\n1,2\n"}), r"zip archive that is not a Word"),
    ("old.docx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), r"old binary Office file"),
    ("broken.docx", lambda: _zip({"word/document.xml": b"<w:document><unclosed"}), r"damaged Word document"),
    ("image.html", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), r"not a supported document"),
    ("nested.html", lambda: b"<html><body>" + b"<div>" * 2_000_000 + b"x" + b"</div>" * 10 + b"</body></html>",
     r"nested more than 255 levels"),
    ("empty.html", lambda: b"<html><head><script>var a = 1;</script></head><body><nav><a href='/'>Home</a></nav>"
                           b"</body></html>", r"no article text"),
    ("latin.txt", lambda: b"caf\xe9 \x81\x8d\x8f\x90\x9d", r"unsupported text encoding"),
    ("mixed.txt", lambda: "café ".encode() + "£5".encode("cp1252"), r"mixed text encodings"),
]


def _zip(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _zip_bomb(docx_bytes: bytes) -> bytes:
    """A real Word document with one more member: 300 MB of zeros, deflated to about 300 kB."""
    import io
    import zipfile

    buf = io.BytesIO(docx_bytes)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("word/media/image1.bin", "w", force_zip64=True) as f:
            block = bytes(1 << 20)
            for _ in range(300):
                f.write(block)
    return buf.getvalue()


@pytest.mark.parametrize("name,make,reason", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_refused_whole_with_its_reason(index_copy, tmp_path, embedder, analyzer, name, make, reason):
    got = _refused_by_indexer(index_copy, tmp_path / "in", name, make(), embedder, analyzer)
    assert re.search(reason, got), got


@pytest.mark.parametrize("name,data", [
    ("notes.pdf", b"Just some notes.\n"), ("page.pdf", b"<html>x</html>"),
    ("image.pdf", b"\x89PNG\r\n\x1a\n" + bytes(32)), ("random.pdf", bytes(range(256)) * 40)])
def test_not_a_pdf_is_refused_before_any_pdf_parser_runs(monkeypatch, name, data):
    import indexer.readers.isolated
    import indexer.readers.pdf

    def never(*a, **k):
        raise AssertionError("a PDF parser was started for a file that is not a PDF")

    monkeypatch.setattr(indexer.readers.isolated, "read_isolated", never)
    monkeypatch.setattr(indexer.readers.pdf, "read_pdf_bytes", never)
    with pytest.raises(UnreadableFile):
        read_document(data, name)


@pytest.mark.parametrize("cut", [0.1, 0.3, 0.7, 0.9])
def test_truncated_pdf_is_refused_or_read_correctly(cut):
    data = pdfs.truncated(pdfs.text_pdf(PDF_PAGES), cut)
    try:
        got = read_document(data, "cut.pdf")
    except UnreadableFile as e:
        assert "PDF" in e.reason
        return
    pages = [got.text[s:e].strip() for s, e in zip(got.page_starts, list(got.page_starts[1:]) + [len(got.text)])]
    assert all(p in PDF_PAGES for p in pages if p)  # a partial parse never invents or mixes text


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_pdf_encrypted_with_an_empty_user_password_is_indexed(index_copy, tmp_path, embedder, analyzer, algorithm):
    f = tmp_path / "open.pdf"
    f.write_bytes(pdfs.encrypted_pdf(PDF_PAGES, user_password="", algorithm=algorithm))
    report = build_index([f], index_copy, mode="add", embedder=embedder, analyzer=analyzer)
    assert report.indexed == [str(f)] and report.chunks_embedded > 0, report.skipped
    data = IndexStore(index_copy).read()
    assert any("PQiP programme" in c.text for c in data.chunks)


def test_memory_limit_applies_to_the_pdf_child():
    # 70 MB inflated is under pypdf's own 75 MB cap, so only the child's RLIMIT_AS stops it;
    # without the limit this PDF reads fine (its one word is "bomb").
    data = pdfs.flate_bomb(70)
    with pytest.raises(UnreadableFile, match="memory limit of 143 MB"):
        read_document(data, "big.pdf", ReadLimits(memory_bytes=150_000_000))


def test_cpu_bomb_is_stopped_at_the_time_limit_while_searches_go_on(searcher):
    data = pdfs.cpu_bomb()  # 40 pages x one 8 MB stream: ~80 kB on disk, many minutes to extract
    outcome: dict = {}

    def parse():
        t = time.perf_counter()
        try:
            read_document(data, "bomb.pdf", ReadLimits(timeout_s=3))
        except UnreadableFile as e:
            outcome["reason"] = e.reason
        outcome["seconds"] = time.perf_counter() - t

    searcher.search("warm up the model", k=1)
    worker = threading.Thread(target=parse)
    worker.start()
    hits = searcher.search("SPO workload", k=3)  # the parser runs in another process: no GIL held here
    searched_while_parsing = worker.is_alive()
    worker.join(timeout=60)
    assert hits and searched_while_parsing
    assert outcome["reason"] == "PDF too complex: reading it took longer than the limit of 3 s"
    print(f"\nCPU bomb refused after {outcome['seconds']:.1f} s (limit 3 s)")


def test_pdf_timeout_is_configurable(monkeypatch):
    monkeypatch.setenv("INSPECTION_SEARCH_PDF_TIMEOUT", "7.5")
    assert ReadLimits.from_env().timeout_s == 7.5
    monkeypatch.setenv("INSPECTION_SEARCH_PDF_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="number of seconds"):
        ReadLimits.from_env()


@pytest.mark.parametrize("data,expected", [
    ("café – £5".encode("cp1252"), "café – £5"),
    ("naïve façade".encode("latin-1"), "naïve façade"),
    (b"\xef\xbb\xbf" + "café – £5".encode("utf-8"), "café – £5"),
    ("\ufeffcafé – £5 ✓".encode("utf-16-le"), "café – £5 ✓"),
    ("\ufeffcafé – £5 ✓".encode("utf-16-be"), "café – £5 ✓"),
    ("Ysgrifennydd Gwladol — Pwyllgor ŵ ŷ".encode("utf-8"), "Ysgrifennydd Gwladol — Pwyllgor ŵ ŷ"),
], ids=["cp1252", "latin-1", "utf-8-bom", "utf-16-le", "utf-16-be", "utf-8"])
def test_text_encodings_round_trip(data, expected):
    assert read_document(data, "note.txt").text.strip() == expected


def test_random_bytes_never_crash_and_never_yield_control_characters():
    rng = random.Random(7)
    refused = accepted = 0
    for i in range(400):
        n = rng.choice([1, 7, 64, 500, 3000])
        alphabet = rng.choice([range(256), range(32, 127), list(range(32, 127)) + [0x80, 0xe9, 0x1b, 0x00, 0x0c]])
        data = bytes(rng.choice(alphabet) for _ in range(n))
        try:
            text = read_document(data, f"fuzz{i}.txt").text
        except UnreadableFile as e:
            assert e.reason and "\n" not in e.reason
            refused += 1
            continue
        accepted += 1
        assert not _BAD_CHARS.search(text)
        json.dumps(text, ensure_ascii=False).encode("utf-8")
    assert refused and accepted
    print(f"\nrandom byte strings: 400 tried, {refused} refused with a reason, {accepted} read cleanly, 0 crashes")


def test_control_characters_and_lone_surrogates_are_cleaned_before_storage(index_copy, tmp_path, embedder, analyzer):
    raw = pdfs.control_char_pdf()
    import io

    from pypdf import PdfReader

    extracted = PdfReader(io.BytesIO(raw)).pages[0].extract_text()
    assert {"\x00", "\x1b", "\ud800"} <= set(extracted)  # the fixture really is hostile
    f = tmp_path / "hostile.pdf"
    f.write_bytes(raw)
    report = build_index([f], index_copy, mode="add", embedder=embedder, analyzer=analyzer)
    assert report.indexed == [str(f)], report.skipped
    data = IndexStore(index_copy).read()
    mine = [c for c in data.chunks if c.doc_id == data.documents[-1].doc_id or "EEEE" in c.text]
    assert mine and any("[31mred" in c.text for c in mine)
    for c in data.chunks:
        assert not _BAD_CHARS.search(c.text)
        json.dumps(c.to_dict(), ensure_ascii=False).encode("utf-8")
    on_disk = (index_copy / IndexStore(index_copy).current() / "chunks.jsonl").read_text(encoding="utf-8")
    assert "\\u0000" not in on_disk and "\\u001b" not in on_disk and "\\ud800" not in on_disk


HOSTILE_NAMES = [
    "../../etc/passwd.pdf", "/abs/x.pdf", "..\\..\\windows\\system32\\x.txt", "a\x00b.pdf",
    "x" * 300 + ".pdf", "invoice\u202efdp.exe.txt", "CON.txt", "report.pdf. . .", "   ", "",
    "=HYPERLINK(\"http://evil\").txt", "line\nbreak\r.txt", "zero\u200bwidth\u2066.txt", "../",
]


def test_hostile_names_never_become_paths(tmp_path):
    from tests.pdfs import text_pdf

    uploads = tmp_path / "uploads"
    text = b"A plain note about probation supervision.\n"
    stored, refused = [], []
    for i, name in enumerate(HOSTILE_NAMES):
        pdf = Path(sanitise_display_name(name)).suffix.lower() == ".pdf"  # content that keeps the name's promise
        try:
            stored.append(store_upload(text_pdf([f"A note, copy {i}."]) if pdf else text + b"copy %d\n" % i,
                                       name, uploads))
        except UnreadableFile as e:
            refused.append(e.reason)
    # a name left with no document suffix is refused as `index` refuses such a file; nothing else is
    assert len(refused) == 3 and all(r.startswith("unsupported file type") for r in refused), refused
    for s in stored:
        assert s.path.resolve().parent == uploads.resolve()
        assert re.fullmatch(r"[0-9a-f]{16}\.(txt|pdf|md)", s.path.name)
        shown = s.display_name
        assert shown and len(shown) <= 120
        assert not re.search(r"[/\\\x00-\x1f\x7f\u200b\u202a-\u202e\u2066-\u2069]", shown), repr(shown)
        assert not shown.startswith(("=", "+", "-", "@", ".")) and not shown.endswith((".", " "))
    everything = [p for p in tmp_path.rglob("*")]
    assert all(p.resolve().is_relative_to(uploads.resolve()) for p in everything)
    rows = (uploads / "manifest.csv").read_text(encoding="utf-8")
    assert "passwd" in rows and "/" not in rows.replace("source_url", "") and "\x00" not in rows
    assert sanitise_display_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert sanitise_display_name("x" * 300 + ".pdf").endswith("….pdf")
    assert sanitise_display_name("invoice\u202efdp.exe.txt") == "invoicefdp.exe.txt"
    assert sanitise_display_name("") == "untitled upload"


def test_upload_is_indexed_under_its_clean_name_and_a_refused_one_leaves_nothing(index_copy, tmp_path,
                                                                                  embedder, analyzer):
    uploads = tmp_path / "uploads"
    r = ingest_upload(pdfs.text_pdf(PDF_PAGES), "../../evil/\u202eInspection report.pdf", uploads, index_copy,
                      embedder=embedder, analyzer=analyzer)
    assert r.indexed and r.chunks > 0
    data = IndexStore(index_copy).read()
    doc = next(d for d in data.documents if d.sha256 == r.stored.sha256)
    # the clean name is the file's name; the title is what the document says (its first line here), the name
    # only a hint (issue 20: uploads were titled by their file names)
    assert doc.name == "Inspection report.pdf" and Path(doc.path).parent == uploads
    assert doc.title.startswith("Inspection of probation services") and doc.provenance["title"] == "first line"
    before = _state(index_copy)
    with pytest.raises(UnreadableFile, match="no extractable text"):
        ingest_upload(pdfs.image_only_pdf(), "scan.pdf", uploads, index_copy, embedder=embedder, analyzer=analyzer)
    assert _state(index_copy) == before
    assert sorted(p.name for p in uploads.iterdir() if not p.name.startswith(".")) == [r.stored.path.name,
                                                                                      "manifest.csv"]
    assert "scan" not in (uploads / "manifest.csv").read_text(encoding="utf-8")


def test_duplicate_uploads_are_no_ops_and_new_bytes_are_a_new_document(index_copy, tmp_path, embedder, analyzer):
    uploads = tmp_path / "uploads"
    first = b"The action plan agreed to reduce SPO caseloads by March 2024.\n"
    r1 = ingest_upload(first, "plan.txt", uploads, index_copy, embedder=embedder, analyzer=analyzer)
    assert r1.indexed
    after_first = _state(index_copy)
    for name in ("plan.txt", "copy of plan.txt"):  # the same bytes, under the same and another name
        again = ingest_upload(first, name, uploads, index_copy, embedder=embedder, analyzer=analyzer)
        assert not again.indexed and "already indexed" in again.message and "nothing changed" in again.message
        assert _state(index_copy) == after_first
    # bytes already in the index from another folder are recognised too
    same_as_corpus = ingest_upload(GOOD_TEXT.encode(), "workload again.txt", uploads, index_copy,
                                   embedder=embedder, analyzer=analyzer)
    assert not same_as_corpus.indexed and "workload.txt" in same_as_corpus.message
    assert not same_as_corpus.stored.path.exists()  # not kept twice
    # the same name with new bytes is a new document; the old one stays
    r2 = ingest_upload(first + b"Update: achieved.\n", "plan.txt", uploads, index_copy,
                       embedder=embedder, analyzer=analyzer)
    assert r2.indexed and r2.stored.path != r1.stored.path
    gen, docs, chunks = _state(index_copy)
    assert gen != after_first[0] and docs == after_first[1] + 1 and chunks > after_first[2]

"""The format registry is the one place a format is stated: every entry has a reader, every reader module
an entry, and each route in (index, upload, the app's control) takes its formats from it. No model needed."""
from __future__ import annotations

import inspect
import pkgutil
from pathlib import Path

import pytest

import indexer.readers as readers_pkg
from indexer.readers import UnreadableFile, detect_format, read_bytes
from indexer.readers.formats import FORMATS, SUPPORTED_NAMES, SUPPORTED_SUFFIXES, by_name, by_suffix
from indexer.uploads import store_upload

# modules of indexer/readers that are not a format's reader
NOT_READERS = {"base", "formats", "isolated", "layout", "pdf_style"}


def test_every_entry_has_a_reader_and_every_reader_an_entry():
    modules = {m.name for m in pkgutil.iter_modules(readers_pkg.__path__)} - NOT_READERS
    named = {f.reader.partition(":")[0].rsplit(".", 1)[1] for f in FORMATS}
    assert modules == named, f"reader modules without an entry: {modules - named}; entries without: {named - modules}"
    for f in FORMATS:
        fn = f.read_function()
        params = inspect.signature(fn).parameters
        assert list(params)[:2] == ["data", "path"] and set(f.limits) <= set(params), (f.name, list(params))


def test_suffixes_belong_to_one_format_and_the_lists_are_derived():
    seen = [s for f in FORMATS for s in f.suffixes]
    assert len(seen) == len(set(seen)) and SUPPORTED_SUFFIXES == set(seen)
    for f in FORMATS:
        assert by_name(f.name) is f and all(by_suffix(s.upper()) is f for s in f.suffixes)
        assert all(s in SUPPORTED_NAMES for s in (f.shown or f.suffixes[:1]))


@pytest.mark.parametrize("name,data,fmt", [
    ("a.txt", b"Plain words.\n", "text"), ("a.md", b"# Heading\n\nWords.\n", "text"),
    ("a.html", b"<p>Words</p>", "html"), ("a.txt", b"<!doctype html><html><p>Words</p></html>", "html"),
])
def test_text_kinds_are_told_apart_by_name_and_content(name, data, fmt):
    assert detect_format(data, name) == fmt
    assert read_bytes(data, name).format == fmt


@pytest.mark.parametrize("name", ["report.pdf", "plan.docx", "plan.odt"])
def test_a_name_promising_another_format_is_refused_by_index_and_upload_alike(tmp_path, name):
    """One rule for every route in: text named .pdf is refused by the reader `index` uses and by an upload."""
    data = b"Just plain text, not what the name says.\n"
    with pytest.raises(UnreadableFile, match=f"named {Path(name).suffix} but is not") as by_index:
        detect_format(data, tmp_path / name)
    with pytest.raises(UnreadableFile) as by_upload:
        store_upload(data, name, tmp_path / "uploads")
    assert by_upload.value.reason == by_index.value.reason
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").glob("*.*"))


def test_an_upload_is_stored_under_its_formats_suffix(tmp_path):
    from tests.pdfs import text_pdf

    cases = {"notes.md": b"# Notes\n\nSome words.\n", "page.htm": b"<p>Words</p>", "x.txt": b"Words.\n",
             "report.pdf": text_pdf(["A page of words."])}
    for name, data in cases.items():
        stored = store_upload(data, name, tmp_path / "uploads")
        fmt = by_name(detect_format(data, name))
        assert stored.path.suffix == fmt.stored_suffix(name) == Path(name).suffix

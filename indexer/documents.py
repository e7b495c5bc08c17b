"""The indexed documents, for people: what is known about each and where it came from, and how to
correct it or take a document out.

    list_documents("var/index")                                   # one DocumentInfo per document
    correct_document("var/index", "2026-06-spo", date="2026-06", doc_type="action_plan")
    remove_document("var/index", "2026-06-spo")                   # a new generation without it
    restore_document("var/index", "2026-06-spo")                  # indexed again from its file

`inspection-search documents list|set|remove|restore` and the app's Documents tab call these.
A correction is kept in INDEX_DIR/corrections.json (indexer/index/corrections.py) and applied at
every build after what the document says and its folder's manifest, so it survives re-indexing;
setting one re-reads the document's file into a new generation at once (its passages come from
the vector cache). Removing a document records the removal there too, so a later `index` of its
folder leaves the file out (saying so) until it is restored.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from indexer.errors import BadInput
from indexer.index.corrections import Correction, CorrectionStore
from indexer.index.store import IndexStore
from indexer.records import BuildReport, Document


@dataclass(frozen=True)
class DocumentInfo:
    """One indexed document as the Documents tab and `documents list` show it."""

    doc: Document
    chunks: int  # passages
    records: int  # recommendation records
    files: tuple[str, ...]  # the names of its files: its own, then any other file of it (another format)
    correction: Optional[Correction]  # what a person corrected, if anything

    def to_json(self) -> dict:
        d = self.doc
        return {"doc_id": d.doc_id, "title": d.title, "doc_type": d.doc_type, "date": d.date,
                "report_date": d.report_date, "publisher": d.publisher, "path": d.path, "name": d.file_name,
                "files": list(self.files), "chunks": self.chunks, "records": self.records,
                "provenance": dict(d.provenance), "corrected": dict(self.correction.fields) if self.correction else {}}


def list_documents(index_dir: str | Path) -> list[DocumentInfo]:
    """Every document of the live generation (other files of a document listed with it), dated first."""
    data = IndexStore(index_dir).read()
    counts = data.manifest.documents if data.manifest else {}
    recs: dict[str, int] = {}
    for r in data.recommendations:
        recs[r.doc_id] = recs.get(r.doc_id, 0) + 1
    corrections = CorrectionStore(index_dir).all()
    others: dict[str, list[str]] = {}
    for d in data.documents:
        if d.same_as:
            others.setdefault(d.same_as, []).append(d.file_name)
    out = [DocumentInfo(d, int(counts.get(d.doc_id, {}).get("chunks", 0)), recs.get(d.doc_id, 0),
                        (d.file_name, *others.get(d.doc_id, [])), corrections.get(d.sha256))
           for d in data.documents if not d.same_as]
    return sorted(out, key=lambda i: (i.doc.date is None, i.doc.date or "", i.doc.title))


def find_document(index_dir: str | Path, ref: str) -> Document:
    """A document by its id, the start of its id, or its file's name (as shown, or as stored)."""
    docs = IndexStore(index_dir).read().documents
    exact = [d for d in docs if ref in (d.doc_id, d.path, d.file_name, Path(d.path).name)]
    found = exact or [d for d in docs if d.doc_id.startswith(ref)]
    if not found:
        raise BadInput(f"no indexed document {ref!r}: give its id or file name (`inspection-search documents list`)")
    if len(found) > 1:
        raise BadInput(f"{ref!r} names {len(found)} documents: " + ", ".join(d.doc_id for d in found[:5]))
    doc = found[0]
    canonical = next((d for d in docs if d.doc_id == doc.same_as), None) if doc.same_as else None
    return canonical or doc


def _build(paths: list[str], index_dir: str | Path, embedder=None, analyzer=None) -> BuildReport:
    from indexer.build import build_index
    from indexer.index.model_of import build_embedder

    return build_index(paths, index_dir, mode="add", embedder=embedder or build_embedder(index_dir),
                       analyzer=analyzer)


def correct_document(index_dir: str | Path, ref: str, *, title: Optional[str] = None, doc_type: Optional[str] = None,
                     date: Optional[str] = None, report_date: Optional[str] = None, by: str = "",
                     embedder=None, analyzer=None) -> tuple[Correction, BuildReport]:
    """Correct a document's title, type or dates ("" drops a correction) and rebuild it into a new generation."""
    doc = find_document(index_dir, ref)
    fields = {"title": title, "doc_type": doc_type, "date": date, "report_date": report_date}
    correction = CorrectionStore(index_dir).correct(doc, fields, by=by)
    if not Path(doc.path).is_file():
        raise BadInput(f"correction saved, but {doc.path} is gone: it applies when that file is indexed again")
    return correction, _build([doc.path], index_dir, embedder, analyzer)


def remove_document(index_dir: str | Path, ref: str, *, by: str = "", embedder=None, analyzer=None) -> BuildReport:
    """Take a document (and any other file of it) out of the index, in a new generation; later builds
    leave its files out until it is restored."""
    doc = find_document(index_dir, ref)
    store = CorrectionStore(index_dir)
    for d in IndexStore(index_dir).read().documents:
        if d.doc_id == doc.doc_id or d.same_as == doc.doc_id:
            store.remove(d, by=by, part_of=doc.doc_id if d.same_as else "")
    return _build([], index_dir, embedder, analyzer)


def restore_document(index_dir: str | Path, ref: str, *, embedder=None, analyzer=None) -> BuildReport:
    """Undo `remove_document`: index the document's file again (by its id or file name when removed)."""
    store = CorrectionStore(index_dir)
    removed = [c for c in store.removed().values() if ref in (c.doc_id, c.path, Path(c.path).name, c.part_of)]
    if not removed:
        raise BadInput(f"no removed document {ref!r} (removed: "
                       + (", ".join(c.doc_id for c in store.removed().values()) or "none") + ")")
    paths = []
    for c in removed:
        store.restore(Document(c.doc_id, c.path, c.sha256, ""))
        if Path(c.path).is_file():
            paths.append(c.path)
    return _build(paths, index_dir, embedder, analyzer)

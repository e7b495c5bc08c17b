"""Putting the index's documents right from the app: correct what was read from a document (title, type,
date), take a document out, or bring a removed one back. Each as the signed-in person (an editor's or
admin's: refused for anyone else, whatever the page showed), audited, then searches switched to the
new index once.

    change = correct(handlers, "2026-06-spo", {"date": "2026-06", "doc_type": "action_plan"}, user)
    change = remove(handlers, "2026-06-spo", user)
    change = restore(handlers, "2026-06-spo", user)
    change.ok, change.message, change.doc_id

The work is `indexer.documents` (the same as `inspection-search documents set|remove|restore`); the
correction is kept beside the index, so it survives re-indexing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from indexer.errors import UserError

FIELDS = ("title", "doc_type", "date")  # what the app's form can correct (the CLI also takes report_date)


@dataclass(frozen=True)
class DocumentChange:
    ok: bool
    message: str  # one line for the person
    doc_id: Optional[str] = None  # the document changed (to mark it in the table)


def correct(handlers, ref: str, fields: dict[str, Optional[str]], user) -> DocumentChange:
    """Set the fields given (a value the same as the document's is left alone; "" drops a correction)."""
    from indexer.documents import correct_document, find_document

    def work(who: str, what: dict) -> DocumentChange:
        doc = find_document(handlers.settings.index_dir, ref)
        changed = {k: (v or "").strip() for k, v in fields.items()
                   if k in FIELDS and v is not None and (v or "").strip() != (getattr(doc, k) or "")}
        if not changed:
            return DocumentChange(False, "Nothing to change: the fields are as the document has them.")
        what.update(doc=doc.doc_id, fields=", ".join(f"{k}={v or '(as read)'}" for k, v in changed.items()))
        correct_document(handlers.settings.index_dir, doc.doc_id, by=who, embedder=handlers.holder.embedder,
                         analyzer=handlers.holder.analyzer, **changed)
        said = "; ".join(f"{_label(k)} {v or 'as read from the document'}" for k, v in changed.items())
        return DocumentChange(True, f"Corrected {doc.file_name}: {said}. The correction is kept when the "
                                    "document is indexed again.", doc.doc_id)

    return _as(handlers, user, "upload", "correct", work)


def remove(handlers, ref: str, user) -> DocumentChange:
    """Take a document (and any other file of it) out of the index; its records and passages go with it."""
    from indexer.documents import find_document, remove_document

    def work(who: str, what: dict) -> DocumentChange:
        doc = find_document(handlers.settings.index_dir, ref)
        what.update(doc=doc.doc_id, file=doc.file_name)
        remove_document(handlers.settings.index_dir, doc.doc_id, by=who, embedder=handlers.holder.embedder,
                        analyzer=handlers.holder.analyzer)
        return DocumentChange(True, f"Removed {doc.file_name} from the index. Its file is kept; restore it "
                                    "below to index it again.", doc.doc_id)

    return _as(handlers, user, "remove", "remove", work)


def restore(handlers, ref: str, user) -> DocumentChange:
    """Index a removed document's file again."""
    from indexer.documents import restore_document

    def work(who: str, what: dict) -> DocumentChange:
        from indexer.index.corrections import CorrectionStore

        gone = [c for c in CorrectionStore(handlers.settings.index_dir).removed().values() if c.doc_id == ref]
        name = (gone[0].name or gone[0].path) if gone else ref
        what.update(doc=ref, file=name)
        report = restore_document(handlers.settings.index_dir, ref, embedder=handlers.holder.embedder,
                                  analyzer=handlers.holder.analyzer)
        if not report.indexed:
            return DocumentChange(False, f"{name}: its file is gone, so it cannot be indexed again (add it anew).")
        return DocumentChange(True, f"Restored {name}: indexed again from its file.", ref)

    return _as(handlers, user, "remove", "restore", work)


def removed_choices(index_dir) -> list[tuple[str, str]]:
    """(label, doc id) of the documents removed from the index, for the Restore control."""
    from pathlib import Path

    from indexer.index.corrections import CorrectionStore

    try:
        removed = CorrectionStore(index_dir).removed().values()
    except UserError:
        return []
    return [(f"{c.name or Path(c.path).name} (removed by {c.by or 'someone'})", c.doc_id)
            for c in removed if not c.part_of]


def _label(field: str) -> str:
    return {"doc_type": "type", "title": "title", "date": "date"}[field]


def _as(handlers, user, permission: str, action: str, work) -> DocumentChange:
    from ui.audit import AuditLog
    from ui.auth import require
    from ui.uploading import error_text

    try:
        who = require(user, permission).name
    except UserError as e:
        return DocumentChange(False, f"Refused: {e}")
    settings = handlers.settings
    try:
        with handlers._upload_lock:  # one writer at a time, uploads included
            with AuditLog.for_index(settings.index_dir).recording(who, action, {}, settings.index_dir) as what:
                change = work(who, what)
                if not change.ok:
                    what["outcome"] = change.message
            if change.ok:
                handlers.holder.reload()
        return change
    except Exception:
        return DocumentChange(False, error_text(action))

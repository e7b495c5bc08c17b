"""People's corrections to what was inferred about a document, kept beside the index.

    store = CorrectionStore("var/index")
    store.correct(doc, {"date": "2026-06", "doc_type": "action_plan"}, by="A. Inspector")
    store.remove(doc)                      # leave the document out of the index, and out of later builds
    store.lookup(sha256, path)             # the correction of a file, if any

INDEX_DIR/corrections.json holds one entry per document, keyed by the SHA-256 of its file's bytes
(the path is kept too, and matches when the bytes have changed since), outside the index's
generations: `index --rebuild` and adding documents leave it alone, and every build applies it
after inference and the manifest (indexer/extract/metadata.py `resolve`), so a correction
survives re-indexing. A removed document's file is skipped by later builds, saying how to bring
it back (`inspection-search documents restore`). The file is rewritten atomically (temporary
file, fsync, rename, fsync of the folder) under a lock, as the judgements are.
"""
from __future__ import annotations

import json
import os
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

from indexer import fsio
from indexer.errors import BadInput
from indexer.extract.metadata import DOC_TYPES
from indexer.records import Document

CORRECTIONS_FILE = "corrections.json"
CORRECTABLE = ("title", "doc_type", "date", "report_date", "publisher")
_DATE = re.compile(r"(?:19|20)\d{2}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")


@dataclass(frozen=True)
class Correction:
    sha256: str
    doc_id: str  # the document's id when it was corrected (for people reading the file)
    path: str
    fields: dict[str, str] = field(default_factory=dict)  # field -> value, overriding what was inferred
    removed: bool = False
    at: str = ""
    by: str = ""
    part_of: str = ""  # for another file of a document: that document's id (removed and restored with it)
    name: str = ""  # the file's name as people know it (an upload is stored under another)


def check_fields(fields: dict[str, Optional[str]]) -> dict[str, str]:
    """Validated corrections; an empty value ("") drops the correction of that field. BadInput names the fix."""
    out: dict[str, str] = {}
    for key, value in fields.items():
        if value is None:
            continue
        if key not in CORRECTABLE:
            raise BadInput(f"{key!r} cannot be corrected (only {', '.join(CORRECTABLE)})")
        v = " ".join(str(value).split())
        if key == "doc_type" and v and v not in DOC_TYPES:
            raise BadInput(f"type must be one of {', '.join(DOC_TYPES)}, not {v!r}")
        if key in ("date", "report_date") and v and not _DATE.fullmatch(v):
            raise BadInput(f"{key.replace('_', ' ')} must be YYYY, YYYY-MM or YYYY-MM-DD, not {v!r}")
        if key == "title" and len(v) > 300:
            raise BadInput("a title is at most 300 characters")
        out[key] = v
    return out


class CorrectionStore:
    def __init__(self, index_dir: str | Path):
        self.dir = Path(index_dir)
        self.path = self.dir / CORRECTIONS_FILE

    def _lock(self):
        from filelock import FileLock

        fsio.mkdir(self.dir)
        return FileLock(str(self.path) + ".lock", timeout=30)

    def all(self) -> dict[str, Correction]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (ValueError, OSError) as e:
            raise BadInput(f"{self.path}: not a corrections file ({e}); move it away to start afresh") from None
        return {sha: Correction(**{k: v for k, v in entry.items() if k in Correction.__dataclass_fields__})
                for sha, entry in (data.get("documents") or {}).items()}

    def lookup(self, sha256: str, path: str, corrections: Optional[dict[str, Correction]] = None
               ) -> Optional[Correction]:
        """The correction of these bytes, else of a file at this path (edited since it was corrected)."""
        every = self.all() if corrections is None else corrections
        found = every.get(sha256)
        if found is None:
            found = next((c for c in every.values() if c.path == path and not c.removed), None)
        return found

    def _write(self, corrections: dict[str, Correction]) -> None:
        body = json.dumps({"version": 1, "documents": {k: asdict(v) for k, v in sorted(corrections.items())}},
                          indent=1, ensure_ascii=False).encode("utf-8")
        tmp = self.dir / f".{CORRECTIONS_FILE}.tmp-{os.getpid()}-{threading.get_ident()}"
        try:
            fsio.write_bytes(tmp, body + b"\n")
            fsio.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fsio.fsync_dir(self.dir)

    def _update(self, doc: Document, change) -> Correction:
        with self._lock():
            every = self.all()
            old = every.get(doc.sha256) or Correction(doc.sha256, doc.doc_id, doc.path)
            new = change(old)
            new = Correction(new.sha256, doc.doc_id, doc.path, new.fields, new.removed,
                             time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), new.by, new.part_of, doc.file_name)
            if new.fields or new.removed:
                every[doc.sha256] = new
            else:
                every.pop(doc.sha256, None)
            self._write(every)
            return new

    def correct(self, doc: Document, fields: dict[str, Optional[str]], by: str = "") -> Correction:
        """Set (or, with "", drop) corrections of the document's fields."""
        checked = check_fields(fields)
        if not checked:
            raise BadInput("nothing to correct: give --title, --type, --date or --report-date")

        def change(old: Correction) -> Correction:
            merged = {k: v for k, v in {**old.fields, **checked}.items() if v}
            return Correction(old.sha256, old.doc_id, old.path, merged, old.removed, by=by or old.by)

        return self._update(doc, change)

    def remove(self, doc: Document, by: str = "", part_of: str = "") -> Correction:
        return self._update(doc, lambda old: Correction(old.sha256, old.doc_id, old.path, old.fields, True, by=by,
                                                        part_of=part_of))

    def restore(self, doc: Document) -> Correction:
        return self._update(doc, lambda old: Correction(old.sha256, old.doc_id, old.path, old.fields, False,
                                                        by=old.by))

    def removed(self) -> dict[str, Correction]:
        return {sha: c for sha, c in self.all().items() if c.removed}


def applied(doc: Document) -> dict[str, str]:
    """The corrected fields a document was built with (its provenance says "correction")."""
    return {k: str(getattr(doc, k)) for k, src in doc.provenance.items() if src == "correction" and getattr(doc, k)}

"""Uploaded files: stored under content-hash names, shown under sanitised names, indexed or refused whole.

    UPLOADS/
      3f2a9c0d1e4b5a6c.pdf   the bytes as uploaded, named by the first 16 hex digits of their SHA-256
      manifest.csv           file,name,...: the sanitised display name, the file name the document is known by
                             (a hint for its title, type and date: indexer/extract/describe.py)
      .uploads.lock          serialises changes to this folder

The uploaded name never becomes a path: a name such as `../../etc/passwd.pdf`,
one with NUL or bidi-override characters, or one 300 characters long only
ever reaches the manifest's name column, after `sanitise_display_name`.
The same bytes uploaded again (under any name) change nothing and say so; other
bytes holding the same document (the plan already indexed, now as a Word file)
are kept as another file of it, and the message says so.

`ingest_upload` is the one call an app needs: store, index in "add" mode,
and on refusal remove the stored file again, so nothing is half-indexed.
"""
from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from indexer import fsio
from indexer.extract.metadata import MANIFEST_COLUMNS, MANIFEST_NAME
from indexer.readers import UnreadableFile, detect_format
from indexer.readers.formats import SUPPORTED_SUFFIXES, by_name
from indexer.readers.isolated import ReadLimits, check_size

UPLOADS_ENV = "INSPECTION_SEARCH_UPLOADS"
HASH_CHARS = 16  # 64 bits of SHA-256: collisions are not a practical concern at this scale
MAX_DISPLAY_CHARS = 120
LOCK_NAME = ".uploads.lock"
_DOC_SUFFIX = re.compile("(" + "|".join(re.escape(s) for s in sorted(SUPPORTED_SUFFIXES)) + ")$", re.IGNORECASE)
# Unicode categories that never belong in a displayed name: controls, format characters
# (bidi overrides such as U+202E, zero-width joiners), surrogates, private use, unassigned.
_DROP_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_LINE_BREAKS = {"Zl", "Zp"}


@dataclass(frozen=True)
class StoredUpload:
    path: Path  # where the bytes live, inside the uploads folder
    sha256: str
    display_name: str  # sanitised; safe to show and to write to the manifest
    duplicate: bool  # the same bytes were already there
    message: str


@dataclass(frozen=True)
class UploadResult:
    stored: StoredUpload
    indexed: bool  # False when the upload was a duplicate: nothing changed
    generation: Optional[str]
    chunks: int  # chunks of this document in the index
    message: str  # one line for the person who uploaded it
    same_as: Optional[str] = None  # the title of the indexed document this file is another file of


def resolve_uploads_dir(index_dir: str | Path, given: str | Path | None = None) -> Path:
    """Where uploaded files are kept, decided once for the app and `index`: the folder given, else
    $INSPECTION_SEARCH_UPLOADS, else an "uploads" folder beside the index (var/index -> var/uploads)."""
    if given:
        return Path(given)
    env = os.environ.get(UPLOADS_ENV)
    return Path(env) if env else Path(index_dir).resolve().parent / "uploads"


def sanitise_display_name(name: str, limit: int = MAX_DISPLAY_CHARS) -> str:
    """A name safe to display and store as text: its last path part, no control or bidi characters,
    no leading spreadsheet-formula characters, no trailing dots or spaces, at most `limit` characters."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = "".join(" " if c in "\t\n\r" or unicodedata.category(c) in _LINE_BREAKS else c for c in text)
    text = "".join(c for c in text if unicodedata.category(c) not in _DROP_CATEGORIES)
    parts = [p for p in re.split(r"[/\\]", text) if p.strip(" .")]
    text = parts[-1] if parts else ""
    text = re.sub(r"\s+", " ", text).strip(" .")
    text = text.lstrip("=+-@ ")  # a title opened in a spreadsheet must not start a formula
    if len(text) > limit:
        m = _DOC_SUFFIX.search(text)
        suffix = m.group(0) if m else ""
        text = text[: limit - len(suffix) - 1].rstrip(" .") + "…" + suffix
    return text or "untitled upload"


def _lock(folder: Path):
    from filelock import FileLock

    return FileLock(str(folder / LOCK_NAME), timeout=60)


def _read_rows(folder: Path) -> list[dict[str, str]]:
    path = folder / MANIFEST_NAME
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as f:
        return [dict(r) for r in csv.DictReader(f)]


def _write_rows(folder: Path, rows: list[dict[str, str]]) -> None:
    """Replace manifest.csv atomically: write a temporary file, fsync, rename, fsync the folder."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(MANIFEST_COLUMNS), extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: r.get(k, "") for k in MANIFEST_COLUMNS})
    tmp = folder / f".{MANIFEST_NAME}.tmp-{os.getpid()}"
    fsio.write_bytes(tmp, buf.getvalue().encode("utf-8"))
    fsio.replace(tmp, folder / MANIFEST_NAME)
    fsio.fsync_dir(folder)


def store_upload(data: bytes, display_name: str, folder: str | Path,
                 limits: ReadLimits = ReadLimits()) -> StoredUpload:
    """Keep `data` in `folder` as <sha256 prefix>.<kind>, recording its sanitised name in manifest.csv.

    Refuses (UnreadableFile) what can be refused without parsing: empty, too large, binary, a name
    that promises another format than the content holds.
    """
    folder = Path(folder)
    shown = sanitise_display_name(display_name)
    check_size(data, shown, limits)
    # the same rule as `index` (the content decides; a name promising another format is refused), and the
    # stored name's suffix is the format's, so a renamed file cannot pass as another
    fmt = by_name(detect_format(data, shown))
    sha = fsio.sha256_bytes(data)
    target = folder / f"{sha[:HASH_CHARS]}{fmt.stored_suffix(shown)}"
    fsio.mkdir(folder)
    with _lock(folder):
        rows = _read_rows(folder)
        row = next((r for r in rows if r.get("file") == target.name), None)
        if target.exists() and fsio.sha256_file(target) == sha:
            known = (row.get("name") or row.get("title")) if row else shown
            if row is None:
                rows.append({"file": target.name, "name": shown})
                _write_rows(folder, rows)
            return StoredUpload(target, sha, shown, True, f"already uploaded as “{known}”")
        tmp = folder / f".{target.name}.tmp-{os.getpid()}"
        fsio.write_bytes(tmp, data)
        fsio.replace(tmp, target)
        fsio.fsync_dir(folder)
        rows = [r for r in rows if r.get("file") != target.name] + [{"file": target.name, "name": shown}]
        _write_rows(folder, rows)
    return StoredUpload(target, sha, shown, False, f"stored “{shown}” as {target.name}")


def remove_upload(path: str | Path) -> None:
    """Take a stored upload (and its manifest row) away again, e.g. after the indexer refused it."""
    path = Path(path)
    folder = path.parent
    with _lock(folder):
        rows = _read_rows(folder)
        if any(r.get("file") == path.name for r in rows):
            _write_rows(folder, [r for r in rows if r.get("file") != path.name])
        if path.exists():
            os.unlink(path)
            fsio.fsync_dir(folder)


def _indexed_as(index_dir: Path, sha: str) -> Optional[str]:
    """The path of an indexed document with these bytes, if the live generation has one."""
    from indexer.errors import IndexCorrupt
    from indexer.index.store import IndexStore

    store = IndexStore(index_dir)
    gen = store.current()
    if not gen:
        return None
    try:
        docs = store.read_manifest(gen).documents
    except IndexCorrupt:
        return None
    return next((d.get("path") for d in docs.values() if d.get("sha256") == sha), None)


def ingest_upload(data: bytes, display_name: str, uploads_dir: str | Path, index_dir: str | Path, *,
                  embedder=None, analyzer=None, lock_timeout: float = 30.0, progress=None) -> UploadResult:
    """Store one upload and add it to the index, or refuse it whole with UnreadableFile (name, reason).

    The same bytes already in the index are a no-op that says so. "Indexed" is
    only returned after the new index generation has been committed durably.
    """
    from indexer.build import build_index

    stored = store_upload(data, display_name, uploads_dir)
    existing = _indexed_as(Path(index_dir), stored.sha256)
    if existing is not None:
        name = stored.message.split("as ", 1)[1] if stored.duplicate else Path(existing).name
        if not stored.duplicate and Path(existing) != stored.path:
            remove_upload(stored.path)  # the bytes are indexed from elsewhere: keep one copy
        return UploadResult(stored, False, None, 0, f"“{stored.display_name}” is already indexed (same content "
                                                    f"as {name}); nothing changed")
    try:
        report = build_index([stored.path], index_dir, mode="add", embedder=embedder, analyzer=analyzer,
                             lock_timeout=lock_timeout, progress=progress)
    except BaseException:
        if not stored.duplicate:
            remove_upload(stored.path)
        raise
    refused = [reason for p, reason in report.skipped if Path(p).name == stored.path.name]
    if refused or str(stored.path) not in report.indexed:
        remove_upload(stored.path)
        raise UnreadableFile(stored.display_name, refused[0] if refused else "nothing to index in this file")
    same = next((title for p, _, title in report.same_document if p == str(stored.path)), None)
    if same is not None:
        return UploadResult(stored, True, report.generation, 0,
                            f"“{stored.display_name}” is the same document as “{same}”, already indexed: kept as "
                            "another file of it (no new passages or recommendations)", same_as=same)
    return UploadResult(stored, True, report.generation, report.chunks_embedded,
                        f"indexed “{stored.display_name}” ({report.chunks_embedded} passages); "
                        f"the index now holds {report.total_documents} documents")

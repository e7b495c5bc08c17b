"""Files to documents: which files to index, and each one read, chunked and its recommendations found.

    files, refused = discover(["corpus"])
    reader = Reader(old_by_path, old_ids, same_chunking, settings)
    for item in prefetch(reader.read(f) for f in files):   # a file read ahead, in a background thread
        ...                                                 # Skip | Document (unchanged) | NewDocument

Formats are parsed in child processes with limits (indexer/safe_read.py), so reading the
next file overlaps embedding this one (indexer/embed_pipeline.py).
"""
from __future__ import annotations

import queue
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from indexer.text.chunker import ChunkerSettings, chunk_document
from indexer.clean import clean
from indexer.errors import BadInput
from indexer.fsio import sha256_bytes
from indexer.extract.metadata import Manifest, infer, merge
from indexer.readers import SUPPORTED_NAMES, SUPPORTED_SUFFIXES, UnreadableFile
from indexer.records import Chunk, Document, Recommendation
from indexer.extract.to_records import records_from_rows, records_from_stated
from indexer.extract.report_recs import read_report_recommendations
from indexer.readers.isolated import read_document

# Files in a corpus folder that describe it rather than belong to it.
_NOT_DOCUMENTS = re.compile(r"^(readme|licen[cs]e|notice|copying)(\..*)?$", re.IGNORECASE)

def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to index under the given files/folders, and those refused by name."""
    found: list[Path] = []
    refused: list[tuple[str, str]] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or any(part.startswith(".") for part in f.relative_to(p).parts):
                    continue
                if _NOT_DOCUMENTS.match(f.name) or f.suffix.lower() in {".csv", ".tsv"}:
                    continue
                if f.suffix.lower() in SUPPORTED_SUFFIXES:
                    found.append(f)
                else:
                    refused.append((str(f), f"unsupported file type '{f.suffix or '(none)'}' (use {SUPPORTED_NAMES})"))
        elif p.is_file():
            found.append(p)
        else:
            refused.append((str(p), "no such file or folder"))
    return found, refused


def doc_id_for(path: Path, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "document"
    doc_id, n = base, 2
    while doc_id in taken:
        doc_id, n = f"{base}-{n}", n + 1
    return doc_id


def _manifest_row(path: Path, manifests: dict[Path, Manifest]) -> dict[str, str]:
    folder = path.parent
    if folder not in manifests:
        manifests[folder] = Manifest.for_folder(folder)
    return manifests[folder].get(path.name)


@dataclass(frozen=True)
class Skip:
    """A file not indexed, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class NewDocument:
    """A new or changed file, read: its document, chunks, recommendation records and any warnings."""

    doc: Document
    chunks: list[Chunk]
    recs: list[Recommendation]
    warnings: list[str]


class Reader:
    """Turns each file into a Skip, an unchanged Document, or a NewDocument.
    Called in order from one thread, so document ids are given out deterministically."""

    def __init__(self, old_by_path: dict[str, Document], old_ids: set[str], same_chunking: bool,
                 settings: ChunkerSettings):
        self.old_by_path, self.old_ids, self.same_chunking, self.settings = old_by_path, old_ids, same_chunking, settings
        self.manifests: dict[Path, Manifest] = {}
        self.taken: set[str] = set()
        self.seen: dict[str, str] = {}
        self.seconds = 0.0

    def read(self, f: Path):
        t = time.perf_counter()
        try:
            return self._read(f)
        finally:
            self.seconds += time.perf_counter() - t

    def _read(self, f: Path):
        try:
            data = f.read_bytes()
        except OSError as e:
            return Skip(str(f), f"cannot open file ({e.strerror or e})")
        sha = sha256_bytes(data)
        if sha in self.seen:
            return Skip(str(f), f"same content as {self.seen[sha]} (already indexed)")
        self.seen[sha] = str(f)
        prev = self.old_by_path.get(str(f))
        if prev and prev.sha256 == sha and self.same_chunking:
            self.taken.add(prev.doc_id)
            return prev
        try:
            row = _manifest_row(f, self.manifests)
            extracted = read_document(data, f)  # parsed in a child process with limits (all but text)
        except UnreadableFile as e:
            return Skip(e.path, e.reason)
        except BadInput as e:  # a bad manifest row names its file and line
            return Skip(str(f), str(e))
        doc_id = prev.doc_id if prev else doc_id_for(f, self.taken | self.old_ids)
        self.taken.add(doc_id)
        meta = merge(infer(extracted.text, clean(extracted.text[:8000])), row)
        doc = Document(doc_id=doc_id, path=str(f), sha256=sha, n_pages=len(extracted.page_starts) or None,
                       n_chars=len(extracted.text), **meta)
        chunked = chunk_document(doc_id, extracted, doc.doc_type, self.settings)
        if not chunked.chunks:
            return Skip(str(f), "no text to index after cleaning")
        warnings = [f"{f}: plan {w}" for w in (chunked.plan.warnings if chunked.plan else [])]
        recs = records_from_rows(doc, chunked.rows, {c.chunk_id: c for c in chunked.chunks}, chunked.row_chunk_ids)
        if chunked.plan is None:  # a report (or slide deck) states recommendations; a plan answers them
            recs += records_from_stated(doc, read_report_recommendations(extracted), chunked.chunks)
        return NewDocument(doc, chunked.chunks, recs, warnings)


# Files read ahead of the embedding, so the reader never stands idle while a window is embedded (measured:
# docs/performance.md, "Building").
READ_AHEAD = 8


def prefetch(items: Iterator, depth: int = READ_AHEAD) -> Iterator:
    """`items`, produced by a background thread up to `depth` ahead: the next file is read (in its child
    process) while this one is embedded. An exception in the producer is raised here, in order."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def produce():
        try:
            for x in items:
                while not stop.is_set():
                    try:
                        q.put((x, None), timeout=0.2)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
        except BaseException as e:  # handed to the consumer, raised there
            q.put((None, e))
            return
        q.put((done, None))

    t = threading.Thread(target=produce, name="index-reader", daemon=True)
    t.start()
    try:
        while True:
            x, err = q.get()
            if err is not None:
                raise err
            if x is done:
                return
            yield x
    finally:
        stop.set()
        t.join(timeout=60)

"""Files to documents: which files to index, what reading one gives, and reading ahead.

    files, refused = discover(["corpus"])
    reader = Reader(context)                                # indexer/build/reader.py
    for item in prefetch(reader.read(f) for f in files):   # a file read ahead, in a background thread
        ...                                                 # Skip | Document (unchanged) | NewDocument

Formats are parsed in child processes with limits (indexer/readers/isolated.py), so reading the
next file overlaps embedding this one (indexer/build/pipeline.py).
"""
from __future__ import annotations

import queue
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from indexer.readers import SUPPORTED_NAMES, SUPPORTED_SUFFIXES
from indexer.records import Chunk, Document, Recommendation

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


@dataclass(frozen=True)
class Skip:
    """A file not indexed, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class NewDocument:
    """A new or changed file, read: its document, chunks, recommendation records and any warnings.
    A file that is another file of an indexed document has `doc.same_as` set, and no chunks or records."""

    doc: Document
    chunks: list[Chunk]
    recs: list[Recommendation]
    warnings: list[str]


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

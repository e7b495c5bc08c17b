"""Read the files and embed what is new, side by side.

    read = read_and_embed(files, previous, settings, analyzer, embedding)

Files are read (each in a child process with limits, indexer/readers/isolated.py) by a
background thread up to READ_AHEAD files ahead, while this thread embeds the passages read
so far, window by window (indexer/build/embed.py): reading the next file overlaps embedding
this one. An unchanged file is carried over as it was; nothing of it is embedded again.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from indexer.build.embed import WindowedEmbedding
from indexer.build.intake import READ_AHEAD, NewDocument, Reader, Skip, prefetch
from indexer.build.previous import Previous
from indexer.records import Document
from indexer.text.analyzer import Analyzer
from indexer.text.chunker import ChunkerSettings
from indexer.text.compose import embedded_texts


@dataclass
class Read:
    """What reading the files and embedding the new ones gave."""

    unchanged: list[Document] = field(default_factory=list)  # carried over from the previous generation
    new: list[NewDocument] = field(default_factory=list)  # new or changed files, read, chunked, with records
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    warnings: list[str] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    owners: list[tuple[int, int]] = field(default_factory=list)  # (new document, chunk) of each vector
    embedded: int = 0  # windows the model computed
    cached: int = 0  # ... and found in the vector cache instead
    parse_s: float = 0.0  # reading and embedding overlap: together more than `seconds`
    embed_s: float = 0.0
    seconds: float = 0.0


def read_and_embed(files: list[Path], previous: Previous, settings: ChunkerSettings, analyzer: Analyzer,
                   embedding: WindowedEmbedding) -> Read:
    t0 = time.perf_counter()
    read = Read()
    reader = Reader(previous.by_path(), previous.ids(), previous.same_chunking, settings)
    try:
        for item in prefetch((reader.read(f) for f in files), READ_AHEAD):
            if isinstance(item, Skip):
                read.skipped.append((item.path, item.reason))
                embedding.file_done(0)
            elif isinstance(item, Document):
                read.unchanged.append(item)
                embedding.file_done(0)
            else:
                read.warnings += item.warnings
                read.new.append(item)
                n = len(read.new) - 1  # queries are spelled out as the passages are (indexer/text/compose.py)
                embedding.add([(n, j, text) for j, c in enumerate(item.chunks)
                               for text in embedded_texts(c, settings, analyzer)], item.doc.n_pages or 0)
        embedding.finish()
    finally:
        embedding.close()
    read.vectors, read.owners = embedding.vectors(), embedding.owners
    read.embedded, read.cached = embedding.embedded, embedding.cached
    read.parse_s, read.embed_s, read.seconds = reader.seconds, embedding.seconds, time.perf_counter() - t0
    return read

"""A JSON-lines file read as a sequence, one line at a time, on demand.

Why: a 1M-chunk index holds ~1 GB of chunk text and ~1 GB of BM25 terms; parsed
into Python objects they alone would exceed the 3 GB serving budget. The
searcher needs a handful of chunks per query, and the BM25 postings are stored
precomputed, so these files are kept on disk and a row is parsed when asked for.
Line offsets are found once (a vectorised scan for newlines).
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence

import numpy as np


class LazyJsonl(Sequence):
    def __init__(self, path: Path | str, parse: Optional[Callable[[Any], Any]] = None):
        self.path = Path(path)
        self._parse = parse or (lambda x: x)
        self._offsets: Optional[np.ndarray] = None
        self._fd: Optional[int] = None
        self._lock = threading.Lock()

    def _index(self) -> np.ndarray:
        """Line offsets, read once (and the file opened for reading lines by offset)."""
        with self._lock:
            if self._offsets is None:
                starts = [np.zeros(1, dtype=np.int64)]
                pos = 0
                with self.path.open("rb") as f:
                    while block := f.read(1 << 24):
                        nl = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == 10).astype(np.int64)
                        starts.append(nl + pos + 1)
                        pos += len(block)
                offsets = np.concatenate(starts)
                if offsets[-1] != pos:  # a last line without its newline
                    offsets = np.append(offsets, pos)
                self._offsets = offsets
                self._fd = os.open(self.path, os.O_RDONLY)
            return self._offsets

    def __len__(self) -> int:
        return len(self._index()) - 1

    def __getitem__(self, i):
        offsets = self._index()
        n = len(offsets) - 1
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(n))]
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        lo, hi = int(offsets[i]), int(offsets[i + 1])
        return self._parse(json.loads(os.pread(self._descriptor(), hi - lo, lo)))

    def raw(self, i: int) -> str:
        """Line i as stored (JSON text, no newline), without parsing it."""
        offsets = self._index()
        lo, hi = int(offsets[i]), int(offsets[i + 1])
        return os.pread(self._descriptor(), hi - lo, lo).decode("utf-8").rstrip("\n")

    def _descriptor(self) -> int:
        if self._fd is None:  # _index opens it
            self._index()
        assert self._fd is not None
        return self._fd

    def __iter__(self) -> Iterator:
        with self.path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield self._parse(json.loads(line))

    def __del__(self):
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass

"""Embedding the passages of a build in windows: cached, in a fixed order, with progress.

    embedding = WindowedEmbedding(embedder, cache, files=len(files), show=True, say=progress)
    embedding.add([(item, chunk, text), ...], pages)   # as each file is read
    embedding.finish(); embedding.vectors(), embedding.owners

Passages are embedded in windows of EMBED_WINDOW, in the order they were read: the same
files give the same windows, so a restarted build computes exactly the vectors an
uninterrupted one would and finds the windows it finished in the vector cache
(indexer/embedding/vector_cache.py). Progress: files done, pages/s, passages/s, the time left.
"""
from __future__ import annotations

import os
import threading
import time
from typing import Callable, Optional

import numpy as np

from indexer.embedding.embedder import Embedder
from indexer.fsio import crash_point
from indexer.embedding.model import no_vectors
from indexer.embedding.vector_cache import VectorCache, embed_with_cache

Progress = Callable[[float, str], None]
EMBED_WINDOW = 512  # passages per embedding call: long enough to sort by length, short enough to cache often
WINDOW_ENV = "INSPECTION_SEARCH_EMBED_WINDOW"  # tests make it small to have many windows


def _load_quietly(embedder: Embedder) -> None:
    try:
        getattr(embedder, "load", lambda: None)()
    except Exception:  # noqa: BLE001 - the first encode loads again and raises this with its message
        pass


class WindowedEmbedding:
    """The passages of a build, embedded window by window (module docstring)."""

    def __init__(self, embedder: Embedder, cache: Optional[VectorCache], files: int, show: bool, say: Progress):
        self.embedder, self.cache, self.say = embedder, cache, say
        # load the model while the first files are read (an embedder that cannot load ahead loads on first use)
        self.loading = threading.Thread(target=_load_quietly, args=(embedder,), name="model-load", daemon=True)
        self.loading.start()
        self.window = int(os.environ.get(WINDOW_ENV) or EMBED_WINDOW)
        self.pending: list[tuple[int, int, str]] = []
        self.owners: list[tuple[int, int]] = []  # (item, chunk) of each vector, in order
        self.parts: list[np.ndarray] = []
        self.embedded = self.cached = self.windows = 0
        self.seconds = 0.0  # in the embedder (and the cache)
        self.files, self.files_done, self.pages = files, 0, 0
        self.waiting: list[tuple[int, int]] = []  # (passages still to embed before this file is done, pages)
        self.t0 = time.perf_counter()
        self.bar = None
        if show:
            from tqdm import tqdm

            self.bar = tqdm(total=files, desc="indexing", unit="file")

    def add(self, texts: list[tuple[int, int, str]], pages: int) -> None:
        self.pending += texts
        self.waiting.append((len(self.owners) + len(self.pending), pages))
        while len(self.pending) >= self.window:
            self._embed(self.pending[:self.window])
            self.pending = self.pending[self.window:]

    def finish(self) -> None:
        if self.pending:
            self._embed(self.pending)
            self.pending = []

    def file_done(self, pages: int) -> None:
        self.waiting.append((len(self.owners) + len(self.pending), pages))
        self._report()

    def _embed(self, batch: list[tuple[int, int, str]]) -> None:
        t = time.perf_counter()
        self.loading.join()  # a failed load fails again, with its message, in encode
        vecs, embedded = embed_with_cache([text for _, _, text in batch], self.embedder.encode, self.cache)
        self.seconds += time.perf_counter() - t
        self.parts.append(vecs)
        self.owners += [(i, j) for i, j, _ in batch]
        self.embedded += embedded
        self.cached += len(batch) - embedded
        self.windows += 1
        crash_point(f"after_window_{self.windows}")  # the resume test stops a build here
        self._report()

    def _report(self) -> None:
        while self.waiting and self.waiting[0][0] <= len(self.owners):
            self.files_done += 1
            self.pages += self.waiting.pop(0)[1]
            if self.bar:
                self.bar.update(1)
        elapsed = max(time.perf_counter() - self.t0, 1e-9)
        rate = len(self.owners) / elapsed
        left = (self.files - self.files_done) * elapsed / self.files_done if self.files_done else None
        note = ((f"{self.pages / elapsed:.1f} pages/s, " if self.pages else "") + f"{rate:.1f} passages/s"
                + (f", {self.cached} from the cache" if self.cached else ""))
        if self.bar:
            self.bar.set_postfix_str(note, refresh=False)
        eta = f", about {_duration(left)} left" if left is not None and self.files_done < self.files else ""
        self.say(0.05 + 0.85 * self.files_done / max(self.files, 1),
                 f"{self.files_done}/{self.files} files, {len(self.owners)} passages embedded ({note}){eta}")

    def vectors(self) -> np.ndarray:
        return np.concatenate(self.parts) if self.parts else no_vectors()

    def close(self) -> None:
        if self.bar:
            self.bar.close()


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"

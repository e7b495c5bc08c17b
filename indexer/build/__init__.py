"""Build or update the index: the write path as named stages, sequenced here.

    discover (intake) -> open the previous generation (previous) -> read, extract records, chunk,
    compose texts and embed (pipeline, with intake, text/compose, embed) -> carry over (previous)
    -> assemble and describe (assemble) -> commit (index/store)

Incremental by content hash: an unchanged file keeps its chunks and vectors (nothing is
embedded again), a changed or new file is re-read and re-embedded, and a file that is gone
from the indexed folders leaves the index ("sync"; "add" keeps every other document).
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Iterable, Optional

from indexer.build.assemble import assemble, describe
from indexer.build.embed import WindowedEmbedding
from indexer.build.intake import discover
from indexer.build.pipeline import Read, read_and_embed
from indexer.build.previous import Previous, carry_over, open_previous
from indexer.embedding.embedder import Embedder, default_embedder
from indexer.embedding.model import CANARY_TEXT
from indexer.embedding.vector_cache import CACHE_FILE, VectorCache
from indexer.index.corrections import CorrectionStore
from indexer.index.store import IndexData, IndexStore
from indexer.readers import reader_settings
from indexer.records import BuildReport
from indexer.text.analyzer import Analyzer
from indexer.text.chunker import ChunkerSettings

Progress = Callable[[float, str], None]


def build_index(
    paths: Iterable[str | Path],
    index_dir: str | Path,
    *,
    embedder: Optional[Embedder] = None,
    analyzer: Optional[Analyzer] = None,
    settings: ChunkerSettings = ChunkerSettings(),
    mode: str = "sync",
    rebuild: bool = False,
    progress: Optional[Progress] = None,
    show_progress: bool = False,
    lock_timeout: float = 30.0,
    no_cache: bool = False,
) -> BuildReport:
    """Index `paths` into `index_dir`.

    mode="sync": the index holds exactly the documents under `paths` afterwards.
    mode="add":  the documents under `paths` are added or replaced; others stay.
    Vectors are looked up in, and added to, the vector cache beside the index
    (indexer/embedding/vector_cache.py) unless `no_cache`.
    """
    if mode not in ("sync", "add"):
        raise ValueError(f"mode must be 'sync' or 'add', not {mode!r}")
    t_start = time.perf_counter()
    embedder = embedder or default_embedder()
    analyzer = analyzer or Analyzer.default()
    store, report, say = IndexStore(index_dir), BuildReport(), progress or (lambda f, m: None)
    model = embedder.identity()
    # what decides a document's chunks: a change in any of it re-reads every document
    chunking = dict(settings.to_dict(), spell_out_glossary_sha256=analyzer.glossary.sha256, readers=reader_settings())
    with store.lock(timeout=lock_timeout):
        store.clean_temporaries()  # what a crashed writer left behind, even if nothing changes now
        previous = open_previous(store, model, chunking, analyzer, rebuild)
        files, refused = discover(paths)
        cache = None if no_cache else VectorCache(Path(index_dir) / CACHE_FILE, model, int(model["dim"]))
        try:
            read = read_and_embed(files, previous, settings, analyzer,
                                  WindowedEmbedding(embedder, cache, len(files), show_progress, say), mode,
                                  Path(index_dir))
        finally:
            if cache is not None:
                cache.trim()
                cache.close()
        kept, report.removed = carry_over(previous, read.unchanged, [n.doc for n in read.new], mode,
                                          set(CorrectionStore(index_dir).removed()))
        t_write = time.perf_counter()
        data = assemble(previous, kept, read, analyzer)
        manifest = describe(previous, data, kept, read, model, _canary(previous, read, kept, embedder), analyzer,
                            chunking)
        if previous.data is not None and not read.new and not report.removed and previous.same_analyzer:
            report.generation = previous.data.generation  # nothing changed: no new generation
        else:
            say(0.9, "writing the index")
            report.generation = store.write(data, manifest)
        _fill(report, previous, refused, read, data)
        report.timings = {"parse_s": read.parse_s, "embed_s": read.embed_s, "read_and_embed_s": read.seconds,
                          "write_s": time.perf_counter() - t_write, "total_s": time.perf_counter() - t_start}
        say(1.0, "done")
    return report


def _canary(previous: Previous, read: Read, kept: list, embedder: Embedder) -> list[float]:
    """The canary's vector: carried over when nothing new was embedded, else computed (exact float32 values)."""
    carried = previous.data if previous.data is not None and not read.new and kept else None
    canary = carried.manifest.canary if carried is not None and carried.manifest else None
    return canary or [float(x) for x in embedder.encode([CANARY_TEXT])[0]]


def _fill(report: BuildReport, previous: Previous, refused: list[tuple[str, str]], read: Read, data: IndexData) -> None:
    report.warnings += (previous.data.warnings if previous.data else []) + read.warnings + data.warnings
    titles = {d.doc_id: d.title for d in data.documents}
    report.same_document = [(n.doc.path, n.doc.same_as, titles.get(n.doc.same_as, n.doc.same_as))
                            for n in read.new if n.doc.same_as]
    report.skipped += refused + read.skipped
    report.indexed = [n.doc.path for n in read.new]
    report.unchanged = [d.path for d in read.unchanged]
    report.chunks_embedded = sum(len(n.chunks) for n in read.new)
    report.passages_embedded, report.passages_cached = read.embedded, read.cached
    report.total_documents, report.total_chunks = len(data.documents), len(data.chunks)

"""Build or update the index: discover files, read, chunk, embed what changed, commit.

Incremental by content hash: an unchanged file keeps its chunks and vectors
(nothing is embedded again), a changed or new file is re-read and re-embedded,
and a file that is gone from the indexed folders leaves the index.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Iterable, Optional

import numpy as np

from indexer.text.analyzer import Analyzer
from indexer.text.chunker import ChunkerSettings, embedding_windows
from indexer.build.embed import WindowedEmbedding, index_text, window_header
from indexer.embedding.embedder import Embedder, default_embedder
from indexer.errors import IndexNotFound
from indexer.embedding.golden import machine
from indexer.build.intake import READ_AHEAD, Reader, Skip, discover, prefetch
from indexer.extract.links import link_records
from indexer.index.manifest import IndexManifest
from indexer.embedding.model import CANARY_TEXT, no_vectors
from indexer.readers import reader_settings
from indexer.records import BuildReport, Chunk, Document, Recommendation
from indexer.index.store import IndexData, IndexStore, RawJson
from indexer.embedding.vector_cache import CACHE_FILE, VectorCache

Progress = Callable[[float, str], None]


def _chunk_rows_by_doc(old: IndexData) -> dict[str, list[int]]:
    """Chunk rows of each document in the previous generation.

    Chunks are stored grouped by document, in the order of documents.jsonl, with each
    document's count in the manifest: the rows follow without reading chunks.jsonl (which,
    for a large index, would parse every chunk). Falls back to reading it if counts disagree.
    """
    counts = old.manifest.documents
    rows: dict[str, list[int]] = {}
    at = 0
    for d in old.documents:
        n = counts.get(d.doc_id, {}).get("chunks")
        if n is None:
            break
        rows[d.doc_id] = list(range(at, at + n))
        at += n
    else:
        if at == len(old.chunks):
            return rows
    rows = {}
    for i, c in enumerate(old.chunks):
        rows.setdefault(c.doc_id, []).append(i)
    return rows


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
    (indexer/vector_cache.py) unless `no_cache`.
    """
    if mode not in ("sync", "add"):
        raise ValueError(f"mode must be 'sync' or 'add', not {mode!r}")
    t_start = time.perf_counter()
    embedder = embedder or default_embedder()
    analyzer = analyzer or Analyzer.default()
    store = IndexStore(index_dir)
    report = BuildReport()
    model = embedder.identity()
    say = progress or (lambda f, m: None)

    with store.lock(timeout=lock_timeout):
        store.clean_temporaries()  # what a crashed writer left behind, even if nothing changes now
        old: Optional[IndexData] = None
        if not rebuild and store.exists():
            try:
                old = store.read(model=model)
                report.warnings += old.warnings
            except IndexNotFound:
                old = None
        # what decides a document's chunks: a change in any of it re-reads every document
        chunking = dict(settings.to_dict(), spell_out_glossary_sha256=analyzer.glossary.sha256,
                        readers=reader_settings())
        same_chunking = bool(old) and old.manifest.chunker == chunking
        same_analyzer = bool(old) and old.manifest.analyzer == analyzer.settings.to_dict()

        files, refused = discover(paths)
        report.skipped += refused
        old_docs = {d.doc_id: d for d in old.documents} if old else {}
        old_by_path = {d.path: d for d in old.documents} if old else {}
        by_doc_chunks = _chunk_rows_by_doc(old) if old else {}

        # read (in child processes, up to READ_AHEAD files ahead) while embedding what was read, window by window
        t_parse = time.perf_counter()
        keep_docs: list[Document] = []  # unchanged, carried over
        new_items: list[tuple[Document, list[Chunk], list[Recommendation]]] = []
        reader = Reader(old_by_path, set(old_docs), same_chunking, settings)
        cache = None if no_cache else VectorCache(Path(index_dir) / CACHE_FILE, model, int(model["dim"]))
        embedding = WindowedEmbedding(embedder, cache, len(files), show_progress, say)
        try:
            for item in prefetch((reader.read(f) for f in files), READ_AHEAD):
                if isinstance(item, Skip):
                    report.skipped.append((item.path, item.reason))
                    embedding.file_done(0)
                elif isinstance(item, Document):
                    keep_docs.append(item)
                    report.unchanged.append(item.path)
                    embedding.file_done(0)
                else:
                    doc, chunks, recs = item.doc, item.chunks, item.recs
                    report.warnings += item.warnings
                    report.indexed.append(doc.path)
                    new_items.append((doc, chunks, recs))
                    texts = [(len(new_items) - 1, j, analyzer.spell_out(w))  # queries are spelled out the same way
                             for j, c in enumerate(chunks)
                             for w in embedding_windows(index_text(c), settings, header=window_header(c))]
                    embedding.add(texts, doc.n_pages or 0)
            embedding.finish()
        finally:
            embedding.close()
            if cache is not None:
                cache.trim()
                cache.close()
        new_vecs, owners = embedding.vectors(), embedding.owners
        report.chunks_embedded = sum(len(c) for _, c, _ in new_items)
        report.passages_embedded, report.passages_cached = embedding.embedded, embedding.cached
        parse_s, embed_s = reader.seconds, embedding.seconds  # overlapped: together more than the wall time
        pipeline_s = time.perf_counter() - t_parse

        # documents carried over from the old index (all of them in "add" mode)
        if old and mode == "add":
            replaced = {d.doc_id for d, _, _ in new_items} | {d.doc_id for d in keep_docs}
            replaced_paths = {d.path for d, _, _ in new_items}
            for d in old.documents:
                if d.doc_id not in replaced and d.path not in replaced_paths:
                    keep_docs.append(d)
        if old:
            kept_ids = {d.doc_id for d in keep_docs} | {d.doc_id for d, _, _ in new_items}
            report.removed = sorted(d.path for d in old.documents if d.doc_id not in kept_ids
                                    and d.path not in {x.path for x, _, _ in new_items})

        # assemble the generation
        t_write = time.perf_counter()
        out = IndexData()
        vec_parts: list[np.ndarray] = []
        vc_parts: list[np.ndarray] = []
        keep_ids = {d.doc_id for d in keep_docs}
        if old:
            old_recs = {}
            for r in old.recommendations:
                old_recs.setdefault(r.doc_id, []).append(r)
            # old chunk row -> new chunk row (-1: dropped); vectors follow their chunks in one pass
            new_row = np.full(len(old.chunks), -1, dtype=np.int64)
            raw = getattr(old.chunks, "raw", None)  # a large index is read lazily: carry its lines over as stored
            for d in sorted(keep_docs, key=lambda d: d.doc_id):
                out.documents.append(d)
                for ci in by_doc_chunks.get(d.doc_id, []):
                    new_row[ci] = len(out.chunks)
                    if raw is not None and same_analyzer:
                        out.chunks.append(RawJson(raw(ci)))
                        out.tokens.append(old.tokens[ci])
                    else:
                        c = old.chunks[ci]
                        out.chunks.append(c)
                        out.tokens.append(old.tokens[ci] if same_analyzer else analyzer.tokens(index_text(c)))
                out.recommendations += old_recs.get(d.doc_id, [])
            old_vc = np.asarray(old.vector_chunks, dtype=np.int64)
            keep_vec = np.flatnonzero(new_row[old_vc] >= 0) if len(old_vc) else np.zeros(0, dtype=np.int64)
            if keep_vec.size:
                # one gather, put in the new chunk order (documents may be listed in another order now)
                keep_vec = keep_vec[np.argsort(new_row[old_vc[keep_vec]], kind="stable")]
                vec_parts.append(np.asarray(old.vectors[keep_vec], dtype=np.float32))
                vc_parts.append(new_row[old_vc[keep_vec]].astype(np.int32))
        by_item: dict[tuple[int, int], list[int]] = {}
        for vi, key in enumerate(owners):
            by_item.setdefault(key, []).append(vi)
        for i, (doc, chunks, recs) in enumerate(new_items):
            out.documents.append(doc)
            for j, c in enumerate(chunks):
                row = len(out.chunks)
                out.chunks.append(c)
                out.tokens.append(analyzer.tokens(index_text(c)))
                rows = by_item.get((i, j), [])
                vec_parts.append(new_vecs[rows])
                vc_parts.append(np.full(len(rows), row, dtype=np.int32))
            out.recommendations += recs
        # report recommendation <-> the plan row answering it, over every document now indexed
        out.recommendations = link_records(out.documents, out.recommendations, analyzer)
        out.vectors = np.concatenate(vec_parts) if vec_parts else no_vectors()
        out.vector_chunks = np.concatenate(vc_parts) if vc_parts else np.zeros((0,), dtype=np.int32)
        canary = old.manifest.canary if old and not new_items and keep_ids else None
        if canary is None:
            canary = [float(x) for x in embedder.encode([CANARY_TEXT])[0]]  # exact float32 values
        per_doc = {d.doc_id: len(by_doc_chunks.get(d.doc_id, [])) for d in keep_docs}
        per_doc.update({doc.doc_id: len(chunks) for doc, chunks, _ in new_items})
        manifest = IndexManifest(
            model=dict(model, canary=canary),
            analyzer=analyzer.settings.to_dict(),
            chunker=chunking,
            documents={d.doc_id: {"path": d.path, "sha256": d.sha256, "chunks": per_doc.get(d.doc_id, 0)}
                       for d in out.documents},
            counts={"documents": len(out.documents), "chunks": len(out.chunks),
                    "vectors": int(out.vectors.shape[0]), "recommendations": len(out.recommendations)},
            machine=old.manifest.machine if old and not new_items and keep_ids else machine(),
        )
        unchanged_index = old is not None and not new_items and not report.removed and same_analyzer
        if unchanged_index:
            report.generation = old.generation
        else:
            say(0.9, "writing the index")
            report.generation = store.write(out, manifest)
        write_s = time.perf_counter() - t_write
        report.total_documents = len(out.documents)
        report.total_chunks = len(out.chunks)
        report.timings = {"parse_s": parse_s, "embed_s": embed_s, "read_and_embed_s": pipeline_s, "write_s": write_s,
                          "total_s": time.perf_counter() - t_start}
        say(1.0, "done")
    return report



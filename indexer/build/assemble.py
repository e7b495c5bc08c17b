"""The new generation in memory, and its manifest.

    data = assemble(previous, kept, read, analyzer)
    manifest = describe(previous, data, kept, read, model, canary, analyzer, chunking)

Kept documents come first, in doc_id order, with their chunks, tokens, vectors and records
carried over as stored (a large index is read lazily: its chunk lines are copied, not parsed);
new documents follow in reading order. Vectors are kept in chunk order. Report recommendations
are linked to the plan rows answering them over every document now indexed.
"""
from __future__ import annotations

import numpy as np

from indexer.build.pipeline import Read
from indexer.build.previous import Previous
from indexer.embedding.golden import machine
from indexer.embedding.model import no_vectors
from indexer.extract.links import link_records
from indexer.index.manifest import IndexManifest
from indexer.index.store import IndexData, RawJson
from indexer.records import Document, Recommendation
from indexer.text.analyzer import Analyzer
from indexer.text.compose import lexical_text


def assemble(previous: Previous, kept: list[Document], read: Read, analyzer: Analyzer) -> IndexData:
    out = IndexData()
    vec_parts: list[np.ndarray] = []
    vc_parts: list[np.ndarray] = []
    if previous.data is not None:
        _carry(previous.data, previous, kept, analyzer, out, vec_parts, vc_parts)
    by_item: dict[tuple[int, int], list[int]] = {}
    for vi, key in enumerate(read.owners):
        by_item.setdefault(key, []).append(vi)
    for i, item in enumerate(read.new):
        out.documents.append(item.doc)
        for j, c in enumerate(item.chunks):
            row = len(out.chunks)
            out.chunks.append(c)
            out.tokens.append(analyzer.tokens(lexical_text(c, item.doc.title)))
            rows = by_item.get((i, j), [])
            vec_parts.append(read.vectors[rows])
            vc_parts.append(np.full(len(rows), row, dtype=np.int32))
        out.recommendations += item.recs
    linked = link_records(out.documents, out.recommendations, analyzer)
    out.recommendations, out.warnings = linked.records, linked.warnings
    out.vectors = np.concatenate(vec_parts) if vec_parts else no_vectors()
    out.vector_chunks = np.concatenate(vc_parts) if vc_parts else np.zeros((0,), dtype=np.int32)
    return out


def _carry(old: IndexData, previous: Previous, kept: list[Document], analyzer: Analyzer, out: IndexData,
           vec_parts: list[np.ndarray], vc_parts: list[np.ndarray]) -> None:
    """The kept documents' chunks, tokens, records and vectors (of `old`, the previous generation's data),
    into `out` and the vector parts."""
    old_recs: dict[str, list[Recommendation]] = {}
    for r in old.recommendations:
        old_recs.setdefault(r.doc_id, []).append(r)
    # old chunk row -> new chunk row (-1: dropped); vectors follow their chunks in one pass
    new_row = np.full(len(old.chunks), -1, dtype=np.int64)
    raw = getattr(old.chunks, "raw", None)  # a large index is read lazily: carry its lines over as stored
    for d in sorted(kept, key=lambda d: d.doc_id):
        out.documents.append(d)
        for ci in previous.chunk_rows.get(d.doc_id, []):
            new_row[ci] = len(out.chunks)
            if raw is not None and previous.same_analyzer:
                out.chunks.append(RawJson(raw(ci)))
                out.tokens.append(old.tokens[ci])
            else:
                c = old.chunks[ci]
                out.chunks.append(c)
                tokens = old.tokens[ci] if previous.same_analyzer else analyzer.tokens(lexical_text(c, d.title))
                out.tokens.append(tokens)
        out.recommendations += old_recs.get(d.doc_id, [])
    old_vc = np.asarray(old.vector_chunks, dtype=np.int64)
    keep_vec = np.flatnonzero(new_row[old_vc] >= 0) if len(old_vc) else np.zeros(0, dtype=np.int64)
    if keep_vec.size:
        # one gather, put in the new chunk order (documents may be listed in another order now)
        keep_vec = keep_vec[np.argsort(new_row[old_vc[keep_vec]], kind="stable")]
        vec_parts.append(np.asarray(old.vectors[keep_vec], dtype=np.float32))
        vc_parts.append(new_row[old_vc[keep_vec]].astype(np.int32))


def describe(previous: Previous, data: IndexData, kept: list[Document], read: Read, model: dict, canary: list,
             analyzer: Analyzer, chunking: dict) -> IndexManifest:
    """The manifest of the new generation (the store adds its files' checksums when it writes it)."""
    per_doc = {d.doc_id: len(previous.chunk_rows.get(d.doc_id, [])) for d in kept}
    per_doc.update({item.doc.doc_id: len(item.chunks) for item in read.new})
    same_as_before = previous.data if previous.data is not None and not read.new and kept else None
    old_manifest = same_as_before.manifest if same_as_before is not None else None
    return IndexManifest(
        model=dict(model, canary=canary),
        analyzer=analyzer.settings.to_dict(),
        chunker=chunking,
        documents={d.doc_id: {"path": d.path, "sha256": d.sha256, "chunks": per_doc.get(d.doc_id, 0)}
                   for d in data.documents},
        counts={"documents": len(data.documents), "chunks": len(data.chunks),
                "vectors": int(data.vectors.shape[0]), "recommendations": len(data.recommendations)},
        machine=old_manifest.machine if old_manifest else machine(),
    )

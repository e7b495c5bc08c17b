"""Build or update the index: discover files, read, chunk, embed what changed, commit.

Incremental by content hash: an unchanged file keeps its chunks and vectors
(nothing is embedded again), a changed or new file is re-read and re-embedded,
and a file that is gone from the indexed folders leaves the index.
"""
from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Callable, Iterable, Optional

import numpy as np

from indexer.analyzer import Analyzer
from indexer.chunker import ChunkerSettings, chunk_document, embedding_windows
from indexer.clean import clean
from indexer.embedder import Embedder, default_embedder
from indexer.fsio import sha256_bytes
from indexer.model import CANARY_TEXT, no_vectors
from indexer.metadata import Manifest, infer, merge
from indexer.links import link_records
from indexer.readers import SUPPORTED_NAMES, SUPPORTED_SUFFIXES, UnreadableFile, reader_settings
from indexer.records import BuildReport, Chunk, Document, Recommendation
from indexer.recommendations import records_from_rows, records_from_stated
from indexer.report_recs import read_report_recommendations
from indexer.safe_read import read_document
from indexer.manifest import IndexManifest
from indexer.errors import IndexNotFound
from indexer.store import IndexData, IndexStore, RawJson
from indexer.errors import BadInput

# Files in a corpus folder that describe it rather than belong to it.
_NOT_DOCUMENTS = re.compile(r"^(readme|licen[cs]e|notice|copying)(\..*)?$", re.IGNORECASE)
Progress = Callable[[float, str], None]


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


def _index_text(chunk: Chunk) -> str:
    """What BM25 and the embedder see: the section heading gives a passage its context."""
    if chunk.section and chunk.kind == "text" and not chunk.text.startswith(chunk.section):
        return f"{chunk.section}\n{chunk.text}"
    return chunk.text


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


def _window_header(chunk: Chunk) -> str:
    """Context repeated in every embedding window of a long passage, so a window taken from the
    middle of a long response still says which recommendation (or section) it belongs to."""
    if chunk.kind == "recommendation":
        lines = chunk.text.split("\n")
        head = next((ln for ln in lines if ln.startswith("Recommendation")), lines[0])
        return head[:300]
    return chunk.section or ""


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
) -> BuildReport:
    """Index `paths` into `index_dir`.

    mode="sync": the index holds exactly the documents under `paths` afterwards.
    mode="add":  the documents under `paths` are added or replaced; others stay.
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

        t_parse = time.perf_counter()
        manifests: dict[Path, Manifest] = {}
        taken: set[str] = set()
        keep_docs: list[Document] = []  # unchanged, carried over
        new_items: list[tuple[Document, list[Chunk], list[Recommendation]]] = []
        seen_hashes: dict[str, str] = {}
        iterator = files
        if show_progress:
            from tqdm import tqdm

            iterator = tqdm(files, desc="reading", unit="file")
        for n, f in enumerate(iterator):
            say(0.05 + 0.35 * n / max(len(files), 1), f"reading {f.name}")
            try:
                data = f.read_bytes()
            except OSError as e:
                report.skipped.append((str(f), f"cannot open file ({e.strerror or e})"))
                continue
            sha = sha256_bytes(data)
            if sha in seen_hashes:
                report.skipped.append((str(f), f"same content as {seen_hashes[sha]} (already indexed)"))
                continue
            seen_hashes[sha] = str(f)
            prev = old_by_path.get(str(f))
            if prev and prev.sha256 == sha and same_chunking:
                keep_docs.append(prev)
                taken.add(prev.doc_id)
                report.unchanged.append(str(f))
                continue
            try:
                row = _manifest_row(f, manifests)
                extracted = read_document(data, f)  # parsed in a child process with limits (all but text)
            except UnreadableFile as e:
                report.skipped.append((e.path, e.reason))
                continue
            except BadInput as e:  # a bad manifest row names its file and line
                report.skipped.append((str(f), str(e)))
                continue
            doc_id = prev.doc_id if prev else doc_id_for(f, taken | set(old_docs))
            taken.add(doc_id)
            meta = merge(infer(extracted.text, clean(extracted.text[:8000])), row)
            doc = Document(doc_id=doc_id, path=str(f), sha256=sha, n_pages=len(extracted.page_starts) or None,
                           n_chars=len(extracted.text), **meta)
            chunked = chunk_document(doc_id, extracted, doc.doc_type, settings)
            if not chunked.chunks:
                report.skipped.append((str(f), "no text to index after cleaning"))
                continue
            if chunked.plan and chunked.plan.warnings:
                report.warnings += [f"{f}: plan {w}" for w in chunked.plan.warnings]
            recs = records_from_rows(doc, chunked.rows, {c.chunk_id: c for c in chunked.chunks}, chunked.row_chunk_ids)
            if chunked.plan is None:  # a report (or slide deck) states recommendations; a plan answers them
                recs += records_from_stated(doc, read_report_recommendations(extracted), chunked.chunks)
            new_items.append((doc, chunked.chunks, recs))
            report.indexed.append(str(f))
        parse_s = time.perf_counter() - t_parse

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

        # embed the new chunks (window by window), reuse the old vectors
        t_embed = time.perf_counter()
        windows: list[str] = []
        owners: list[tuple[int, int]] = []  # (item index, chunk index within item)
        for i, (doc, chunks, _) in enumerate(new_items):
            for j, c in enumerate(chunks):
                for w in embedding_windows(_index_text(c), settings, header=_window_header(c)):
                    # the model does not know the field's abbreviations; queries are spelled out the same way
                    windows.append(analyzer.spell_out(w))
                    owners.append((i, j))
        say(0.45, f"embedding {len(windows)} passages")
        new_vecs = _encode(embedder, windows, show_progress, say)
        report.chunks_embedded = sum(len(c) for _, c, _ in new_items)
        embed_s = time.perf_counter() - t_embed

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
                        out.tokens.append(old.tokens[ci] if same_analyzer else analyzer.tokens(_index_text(c)))
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
                out.tokens.append(analyzer.tokens(_index_text(c)))
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
            canary = [round(float(x), 6) for x in embedder.encode([CANARY_TEXT])[0]]
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
        report.timings = {"parse_s": parse_s, "embed_s": embed_s, "write_s": write_s,
                          "total_s": time.perf_counter() - t_start}
        say(1.0, "done")
    return report


def _encode(embedder: Embedder, texts: list[str], show_progress: bool, say: Progress) -> np.ndarray:
    if not texts:
        return no_vectors()
    batch = 64
    parts = []
    bar = None
    if show_progress:
        from tqdm import tqdm

        bar = tqdm(total=len(texts), desc="embedding", unit="passage")
    for i in range(0, len(texts), batch):
        parts.append(embedder.encode(texts[i:i + batch]))
        if bar:
            bar.update(len(texts[i:i + batch]))
        say(0.45 + 0.45 * min(i + batch, len(texts)) / len(texts), f"embedding {min(i + batch, len(texts))}/{len(texts)}")
    if bar:
        bar.close()
    return np.concatenate(parts)

"""The generation a build starts from, and which of its documents the new one keeps.

    previous = open_previous(store, model, chunking, analyzer, rebuild=False)
    kept, removed = carry_over(previous, read, mode)

A document whose file is unchanged keeps its chunks and vectors (nothing is embedded again);
in "sync" mode a document whose file is gone from the indexed folders leaves the index, in
"add" mode every document not replaced stays.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from indexer.errors import IndexNotFound
from indexer.index.manifest import IndexManifest
from indexer.index.store import IndexData, IndexStore
from indexer.records import Document
from indexer.text.analyzer import Analyzer


@dataclass(frozen=True)
class Previous:
    """The live generation (None for a new index or a rebuild) and what still holds of it."""

    data: Optional[IndexData] = None
    same_chunking: bool = False  # its documents were chunked as this build would chunk them
    same_analyzer: bool = False  # its tokens are what this build's analyzer would make
    chunk_rows: dict[str, list[int]] = field(default_factory=dict)  # doc_id -> its chunks' rows

    @property
    def manifest(self) -> Optional[IndexManifest]:
        return self.data.manifest if self.data else None

    @property
    def documents(self) -> list[Document]:
        return self.data.documents if self.data else []

    def by_path(self) -> dict[str, Document]:
        return {d.path: d for d in self.documents}

    def ids(self) -> set[str]:
        return {d.doc_id for d in self.documents}


def open_previous(store: IndexStore, model: dict, chunking: dict, analyzer: Analyzer,
                  rebuild: bool = False) -> Previous:
    """The live generation, checked against this build's model (an index of another model is refused)."""
    if rebuild or not store.exists():
        return Previous()
    try:
        old = store.read(model=model)
    except IndexNotFound:
        return Previous()
    m = old.manifest  # a generation read from disk always has one
    same_chunking = m is not None and m.chunker == chunking
    return Previous(old, same_chunking, m is not None and m.analyzer == analyzer.settings.to_dict(),
                    chunk_rows_by_doc(old))


def chunk_rows_by_doc(old: IndexData) -> dict[str, list[int]]:
    """Chunk rows of each document in a generation.

    Chunks are stored grouped by document, in the order of documents.jsonl, with each
    document's count in the manifest: the rows follow without reading chunks.jsonl (which,
    for a large index, would parse every chunk). Falls back to reading it if counts disagree.
    """
    counts = old.manifest.documents if old.manifest else {}
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


def carry_over(previous: Previous, unchanged: list[Document], new_docs: list[Document],
               mode: str, removed: Optional[set[str]] = None) -> tuple[list[Document], list[str]]:
    """The previous documents the new generation keeps (the unchanged ones, and in "add" mode every one
    not replaced, except those removed by `documents remove`: `removed` holds their files' SHA-256), and
    the paths of those it drops. Another file of a document that is gone goes too."""
    kept = list(unchanged)
    if previous.data and mode == "add":
        replaced = {d.doc_id for d in new_docs} | {d.doc_id for d in kept}
        replaced_paths = {d.path for d in new_docs}
        kept += [d for d in previous.documents if d.doc_id not in replaced and d.path not in replaced_paths
                 and d.sha256 not in (removed or set())]
    ids = {d.doc_id for d in kept} | {d.doc_id for d in new_docs}
    kept = [d for d in kept if d.same_as is None or d.same_as in ids]
    ids = {d.doc_id for d in kept} | {d.doc_id for d in new_docs}
    new_paths = {d.path for d in new_docs}
    dropped = sorted(d.path for d in previous.documents if d.doc_id not in ids and d.path not in new_paths)
    return kept, dropped

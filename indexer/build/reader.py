"""One file to what the index keeps of it: a Skip, the unchanged Document, or a NewDocument.

    reader = Reader(ReadContext.of(previous, files, mode, settings, index_dir))
    item = reader.read(path)

Reading a file: its bytes are hashed (the same bytes twice are one file; a file removed with
`inspection-search documents remove` is skipped, saying how to bring it back); an unchanged file
whose corrections are the ones it was built with is the previous Document as it was; otherwise
the file is parsed (in a child process with limits), described (indexer/extract/describe.py),
its manifest row and any correction applied (indexer/extract/metadata.py `resolve`), and
compared with every document staying in the index: a file whose words are (nearly) those of one
of them is another file of that document (indexer/extract/fingerprint.py), kept with no passages
and no records. Otherwise it is chunked and its recommendations extracted; a document with a
table of recommendations and statuses is an action plan whatever its words or its name say
(unless a person said otherwise in the manifest or a correction).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional, Union

from indexer.errors import BadInput
from indexer.extract.describe import describe
from indexer.extract.fingerprint import fingerprint, same_document
from indexer.extract.metadata import FolderManifest, resolve
from indexer.extract.report_recs import read_report_recommendations
from indexer.extract.to_records import records_from_rows, records_from_stated
from indexer.build.intake import NewDocument, Skip, doc_id_for
from indexer.fsio import sha256_bytes
from indexer.index.corrections import Correction, CorrectionStore, applied
from indexer.readers import UnreadableFile
from indexer.readers.isolated import read_document
from indexer.readers.layout import body_text
from indexer.records import Document, ExtractedText
from indexer.text.chunker import ChunkedDocument, ChunkerSettings, chunk_document

Item = Union[Skip, Document, NewDocument]
_WEAK_TYPE = (None, "file name", "text")  # a recommendations table outweighs these


@dataclass
class ReadContext:
    """What reading needs to know of the previous generation and of people's corrections."""

    old_by_path: dict[str, Document] = field(default_factory=dict)
    old_ids: set[str] = field(default_factory=set)
    same_chunking: bool = False
    settings: ChunkerSettings = ChunkerSettings()
    staying: dict[str, Document] = field(default_factory=dict)  # previous documents the new index keeps, by id
    corrections: dict[str, Correction] = field(default_factory=dict)  # by the file's SHA-256
    store: Optional[CorrectionStore] = None

    @classmethod
    def of(cls, previous_docs: list[Document], files: list[Path], mode: str, same_chunking: bool,
           settings: ChunkerSettings, index_dir: Optional[Path]) -> "ReadContext":
        store = CorrectionStore(index_dir) if index_dir is not None else None
        corrections = store.all() if store is not None else {}
        paths = {str(f) for f in files}
        removed = {sha for sha, c in corrections.items() if c.removed}
        staying = {d.doc_id: d for d in previous_docs if (mode == "add" or d.path in paths) and d.sha256 not in removed}
        return cls({d.path: d for d in previous_docs}, {d.doc_id for d in previous_docs}, same_chunking, settings,
                   staying, corrections, store)


class Reader:
    """Turns each file into a Skip, an unchanged Document, or a NewDocument.
    Called in order from one thread, so document ids are given out deterministically."""

    def __init__(self, context: ReadContext):
        self.ctx = context
        self.manifests: dict[Path, FolderManifest] = {}
        self.taken: set[str] = set()
        self.seen: dict[str, str] = {}
        # documents a new file may be another file of: those staying, then each new one as it is read
        self.known: dict[str, Document] = {i: d for i, d in context.staying.items() if not d.same_as and d.fingerprint}
        self.seconds = 0.0

    def read(self, f: Path) -> Item:
        t = time.perf_counter()
        try:
            return self._read(f)
        finally:
            self.seconds += time.perf_counter() - t

    def _read(self, f: Path) -> Item:
        try:
            data = f.read_bytes()
        except OSError as e:
            return Skip(str(f), f"cannot open file ({e.strerror or e})")
        sha = sha256_bytes(data)
        correction = self._correction(sha, str(f))
        if correction is not None and correction.removed:
            by = f", by {correction.by}" if correction.by else ""
            return Skip(str(f), f"removed from the index ({correction.at[:10]}{by}); "
                                f"`inspection-search documents restore {correction.doc_id}` brings it back")
        if sha in self.seen:
            return Skip(str(f), f"same content as {self.seen[sha]} (already indexed)")
        self.seen[sha] = str(f)
        prev = self.ctx.old_by_path.get(str(f))
        if prev is not None and self._unchanged(prev, sha, correction):
            self.taken.add(prev.doc_id)
            return prev
        try:
            row = self._manifest_row(f)
            extracted = read_document(data, f)  # parsed in a child process with limits (all but text)
        except UnreadableFile as e:
            return Skip(e.path, e.reason)
        except BadInput as e:  # a bad manifest row names its file and line
            return Skip(str(f), str(e))
        doc_id = prev.doc_id if prev else doc_id_for(f, self.taken | self.ctx.old_ids)
        self.taken.add(doc_id)
        self.known.pop(doc_id, None)  # a changed file is compared with the others, not with its old self
        doc = self._document(f, sha, doc_id, extracted, row, correction)
        twin = next((d for d in self.known.values() if same_document(doc.fingerprint, d.fingerprint)), None)
        if twin is not None:
            return NewDocument(replace(doc, same_as=twin.doc_id), [], [], [])
        return self._content(f, doc, extracted)

    def _correction(self, sha: str, path: str) -> Optional[Correction]:
        return self.ctx.store.lookup(sha, path, self.ctx.corrections) if self.ctx.store is not None else None

    def _unchanged(self, prev: Document, sha: str, correction: Optional[Correction]) -> bool:
        """The previous document stands as it was: same bytes, same chunking, the same corrections, and
        (for another file of a document) that document staying in the index."""
        return (prev.sha256 == sha and self.ctx.same_chunking
                and applied(prev) == (correction.fields if correction else {})
                and (prev.same_as is None or prev.same_as in self.ctx.staying))

    def _manifest_row(self, path: Path) -> dict[str, str]:
        folder = path.parent
        if folder not in self.manifests:
            self.manifests[folder] = FolderManifest.for_folder(folder)
        return self.manifests[folder].get(path.name)

    def _document(self, f: Path, sha: str, doc_id: str, extracted: ExtractedText, row: dict[str, str],
                  correction: Optional[Correction]) -> Document:
        name = row.get("name") or f.name
        described = describe(extracted, name)
        corrected = correction.fields if correction else None
        fields, provenance = resolve(described.fields, described.sources, row, corrected)
        return Document(doc_id=doc_id, path=str(f), sha256=sha, n_pages=len(extracted.page_starts) or None,
                        n_chars=len(extracted.text), name=name if name != f.name else None, provenance=provenance,
                        fingerprint=fingerprint(body_text(extracted)), **fields)

    def _content(self, f: Path, doc: Document, extracted: ExtractedText) -> Item:
        chunked = chunk_document(doc.doc_id, extracted, self.ctx.settings)
        if not chunked.chunks:
            return Skip(str(f), "no text to index after cleaning")
        doc = _typed_by_structure(doc, chunked)
        warnings = [f"{f}: plan {w}" for w in (chunked.plan.warnings if chunked.plan else [])]
        recs = records_from_rows(doc, chunked.rows, {c.chunk_id: c for c in chunked.chunks}, chunked.row_chunk_ids)
        if chunked.plan is None:  # a report (or slide deck) states recommendations; a plan answers them
            recs += records_from_stated(doc, read_report_recommendations(extracted), chunked.chunks)
        self.known[doc.doc_id] = doc
        return NewDocument(doc, chunked.chunks, recs, warnings)


def _typed_by_structure(doc: Document, chunked: ChunkedDocument) -> Document:
    """A document whose table of recommendations answers them with statuses is an action plan."""
    if chunked.plan is None or doc.doc_type == "action_plan" or doc.provenance.get("doc_type") not in _WEAK_TYPE:
        return doc
    if not any(r.status for r in chunked.plan.rows):
        return doc
    return replace(doc, doc_type="action_plan", provenance={**doc.provenance, "doc_type": "recommendation table"})

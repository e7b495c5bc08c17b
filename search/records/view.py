"""What the records half needs from an index, typed: its records and documents, the analyzer and the
embedder, and where the inspectors' judgements are kept. It never searches passages.

    view = records_view(searcher)        # one per searcher and generation
    view.record("2022-06-action-plan-...#17"); view.document(doc_id)
    view.space()                         # the record space (search/records/record_space.py), built once

The view owns the caches of its generation (the record space, and through it the similarities
and thread groupings); a new generation is a new view.
"""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Optional

import numpy as np

from indexer.embedding.embedder import Embedder
from indexer.records import Document, Recommendation
from indexer.text.analyzer import Analyzer

if TYPE_CHECKING:
    from search.records.record_space import RecordSpace
    from search.retrieval.searcher import Searcher


@dataclass(frozen=True)
class RecordsView:
    records: tuple[Recommendation, ...]
    documents: Mapping[str, Document]
    analyzer: Analyzer
    embedder: Embedder
    index_dir: Path  # where judgements.jsonl lives
    generation: Optional[str] = None
    _by_id: dict[str, Recommendation] = field(default_factory=dict, compare=False, repr=False)
    _space: list = field(default_factory=list, compare=False, repr=False)  # [RecordSpace] once built
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({r.rec_id: r for r in self.records})

    def record(self, rec_id: str) -> Optional[Recommendation]:
        """The one record lookup: by id."""
        return self._by_id.get(rec_id)

    @property
    def by_id(self) -> Mapping[str, Recommendation]:
        return self._by_id

    def document(self, doc_id: str) -> Optional[Document]:
        return self.documents.get(doc_id)

    def embed_query(self, text: str) -> np.ndarray:
        """A topic or draft embedded as a query is (abbreviations spelled out)."""
        return self.embedder.encode([self.analyzer.spell_out(text)])[0]

    def space(self) -> "RecordSpace":
        """The record space of these records, built on first use (it embeds ~100 short texts)."""
        with self._lock:
            if not self._space:
                from search.records.record_space import build_space

                self._space.append(build_space(self.records, self.analyzer, self.embedder))
            return self._space[0]


_VIEWS: "weakref.WeakKeyDictionary[Searcher, RecordsView]" = weakref.WeakKeyDictionary()
_VIEWS_LOCK = threading.Lock()


def records_view(searcher: "Searcher") -> RecordsView:
    """The records of the searcher's generation, one view per searcher (so its space is built once)."""
    with _VIEWS_LOCK:
        view = _VIEWS.get(searcher)
        if view is None or view.generation != searcher.generation:
            data = searcher.data
            view = RecordsView(tuple(data.recommendations), searcher.docs, searcher.analyzer, searcher.embedder,
                               Path(searcher.index_dir), searcher.generation)
            _VIEWS[searcher] = view
        return view

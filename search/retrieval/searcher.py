"""Hybrid search over a built index: BM25 + dense, fused (search/retrieval/fusion.py), filtered, cited.

    Searcher(index_dir).search("SPO workload", k=10, mode="hybrid", filters=Filters(year_from=2020))

Filters apply before the cut to k (each list is computed over the allowed
passages only); a filter that matches nothing returns nothing. Each hit carries
its citation (title, type, date, pages, recommendation number) and the ranks
that explain the fusion.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional

import numpy as np

from indexer.embedding.embedder import Embedder
from indexer.index.model_of import embedder_for_index
from indexer.embedding.model import CANARY_MIN_COSINE, CANARY_TEXT
from indexer.errors import IncompatibleIndex
from indexer.index.store import IndexData, IndexStore, resolve_index_dir
from indexer.records import Chunk, Document
from indexer.text.analyzer import MAX_QUERY_TOKENS, Analyzer
from search.citation import cite
from search.query import MAX_QUERY_CHARS, QueryError, question_texts, validate_query  # noqa: F401  (re-exported)
from search.retrieval.dense import DenseIndex
from search.retrieval.fastbm25 import FastBM25
from search.retrieval.fusion import (CONVEX_ALPHA, RRF_K, check_fusion, fuse, fusion_from_env, lexical_share,
                                     query_alpha)

MODES = ("hybrid", "bm25", "dense")
CANDIDATES = 100  # depth of each list before fusion


@dataclass(frozen=True)
class Filters:
    doc_type: Optional[str] = None
    year_from: Optional[int] = None
    year_to: Optional[int] = None
    publisher: Optional[str] = None  # case-insensitive substring

    def active(self) -> bool:
        return any(v is not None and v != "" for v in asdict(self).values())

    def allows(self, doc: Document) -> bool:
        if self.doc_type and doc.doc_type != self.doc_type:
            return False
        if self.year_from is not None and (doc.year is None or doc.year < self.year_from):
            return False
        if self.year_to is not None and (doc.year is None or doc.year > self.year_to):
            return False
        if self.publisher and (not doc.publisher or self.publisher.lower() not in doc.publisher.lower()):
            return False
        return True


@dataclass(frozen=True)
class Hit:
    """One ranked passage and its citation.

    `score` depends on the mode: hybrid = RRF score (sum of w/(60+rank)), or with
    convex fusion a * cosine + (1 - a) * BM25 / its upper bound (in [0, 1]; a = 0.5 for a question
    in the documents' words, more for one they lack words of: fusion.query_alpha); bm25 =
    BM25Okapi score; dense = cosine similarity. Never compare across modes.
    """

    rank: int
    score: float
    chunk: Chunk
    document: Document
    bm25_rank: Optional[int] = None
    dense_rank: Optional[int] = None
    bm25_score: Optional[float] = None
    dense_score: Optional[float] = None

    def citation(self) -> str:
        d, c = self.document, self.chunk
        return cite(d.title, d.date, c.pages, c.rec_no, c.section)

    def to_json(self) -> dict:
        """The documented --json schema of one hit."""
        d, c = self.document, self.chunk
        return {
            "rank": self.rank, "score": self.score, "chunk_id": c.chunk_id, "doc_id": d.doc_id,
            "title": d.title, "doc_type": d.doc_type, "date": d.date, "year": d.year,
            "publisher": d.publisher, "path": d.path, "pages": list(c.pages), "rec_no": c.rec_no,
            "section": c.section, "start": c.start, "end": c.end, "text": c.text,
            "citation": self.citation(),
            "ranks": {"bm25": self.bm25_rank, "dense": self.dense_rank},
            "scores": {"bm25": self.bm25_score, "dense": self.dense_score},
        }


@dataclass
class SearchSettings:
    # "convex" (the default) or "rrf", see search.retrieval.fusion; $INSPECTION_SEARCH_FUSION sets it everywhere
    fusion: str = field(default_factory=fusion_from_env)
    rrf_k: int = RRF_K
    weights: tuple[float, float] = (1.0, 1.0)  # (bm25, dense), for RRF
    alpha: float = CONVEX_ALPHA  # weight of the dense cosine, for convex fusion
    candidates: int = CANDIDATES

    def __post_init__(self) -> None:
        check_fusion(self.fusion)


_POOL: list[ThreadPoolExecutor] = []
_POOL_LOCK = threading.Lock()


def _bm25_pool() -> ThreadPoolExecutor:
    """The process's threads for BM25 beside a hybrid search's embedding (its own thread embeds the query and
    searches the vectors meanwhile): one pool for every Searcher, so a searcher replaced after an upload leaves
    no threads behind. Started on first use; each thread keeps its BM25 scratch buffers."""
    with _POOL_LOCK:
        if not _POOL:
            _POOL.append(ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="bm25"))
        return _POOL[0]


class Searcher:
    """Reads one index generation; safe to share between threads (searches only read)."""

    def __init__(self, index_dir: str | Path | None = None, *, embedder: Optional[Embedder] = None,
                 analyzer: Optional[Analyzer] = None, data: Optional[IndexData] = None,
                 settings: Optional[SearchSettings] = None, verify: bool = True, lexical_cls=None):
        self.index_dir = resolve_index_dir(index_dir)
        # queries use the model variant the index was built with (int8 or fp32), whatever the settings say
        self.embedder = embedder or embedder_for_index(self.index_dir)
        self.analyzer = analyzer or Analyzer.default()
        self.settings = settings or SearchSettings()
        if data is None:
            data = IndexStore(self.index_dir).read(model=self.embedder.identity(), verify=verify)
        self.data = data
        self.warnings = list(data.warnings)
        self.docs = {d.doc_id: d for d in data.documents}
        self.chunks = data.chunks
        # one pass over the chunks (a large index parses them from disk): each id's row, each row's document
        doc_index = {d: i for i, d in enumerate(self.docs)}
        self._chunk_row: dict[str, int] = {}
        self._row_doc = np.empty(len(self.chunks), dtype=np.int32)  # index into self.docs; len(docs) = unknown
        for i, c in enumerate(self.chunks):
            self._chunk_row[c.chunk_id] = i
            self._row_doc[i] = doc_index.get(c.doc_id, len(doc_index))
        # the stored postings when the generation has them; lexical_cls (e.g. ReferenceBM25) re-reads the tokens
        if lexical_cls is None and data.postings is not None:
            self.lexical = FastBM25.from_arrays(data.postings)
        else:
            self.lexical = (lexical_cls or FastBM25)(data.tokens)
        self.dense = DenseIndex(data.vectors, data.vector_chunks, data.ivf)
        self._canary_checked = False
        self._lock = threading.Lock()

    @property
    def generation(self) -> Optional[str]:
        return self.data.generation

    def __len__(self) -> int:
        return len(self.chunks)

    def chunk(self, chunk_id: str) -> Optional[Chunk]:
        i = self._chunk_row.get(chunk_id)
        return self.chunks[i] if i is not None else None

    def document(self, doc_id: str) -> Optional[Document]:
        return self.docs.get(doc_id)

    def allows_any(self, filters: Filters) -> bool:
        """Whether any indexed document passes the filters."""
        return any(filters.allows(d) for d in self.docs.values())

    def _mask(self, filters: Optional[Filters]) -> Optional[np.ndarray]:
        if filters is None or not filters.active():
            return None
        allowed = np.fromiter((filters.allows(doc) for doc in self.docs.values()), dtype=bool, count=len(self.docs))
        return np.append(allowed, False).take(self._row_doc)  # a row whose document is unknown is never allowed

    def embed_query(self, query: str, worded_otherwise: bool = False) -> np.ndarray:
        """The query's vector. The model does not know the field's abbreviations: "SPO" is embedded as "SPO
        (senior probation officer)". A question `worded_otherwise` than the documents (some of its words are
        in no passage) is embedded as the question and its content words together (search.query.question_texts):
        its words no longer meet the documents', and the model finds other words for the same thing better
        without the question's own (eval/queries.jsonl, paraphrases: dense nDCG@10 0.647 -> 0.715; 0.696 since "get"
        became a question word, docs/eval.md)."""
        texts = question_texts(query) if worded_otherwise else (query,)
        vecs = self.embedder.encode([self.analyzer.spell_out(t) for t in texts])
        if not self._canary_checked:
            self._check_canary()
        if len(vecs) == 1:
            return vecs[0]
        vec = vecs.sum(axis=0)
        return (vec / (np.linalg.norm(vec) or 1.0)).astype(vecs.dtype)

    def _check_canary(self) -> None:
        canary = self.data.manifest.canary if self.data.manifest else None
        with self._lock:
            if self._canary_checked:
                return
            if canary:
                now = self.embedder.encode([CANARY_TEXT])[0]
                cos = float(np.dot(now, np.asarray(canary, dtype=np.float32)))
                if cos < CANARY_MIN_COSINE:
                    raise IncompatibleIndex(
                        f"{self.index_dir}: the embedding model gives different vectors than the one that built "
                        f"this index (canary cosine {cos:.4f}); rebuild it: inspection-search index --rebuild")
            self._canary_checked = True

    def holding(self, text: str, k: int = 20) -> list[Hit]:
        """The passages BM25 ranks first for `text` alone, unfiltered: where a name of a question is looked for
        beyond the passages retrieved for the question (search.answers.sentences.in_no_passage)."""
        terms = self.analyzer.query_tokens(text, MAX_QUERY_TOKENS)
        if not terms or not self.chunks:
            return []
        return [Hit(rank, float(score), self.chunks[row], self.docs[self.chunks[row].doc_id])
                for rank, (row, score) in enumerate(self.lexical.top(terms, k, None), start=1)]

    def search(self, query: str, k: int = 10, mode: str = "hybrid", filters: Optional[Filters] = None,
               fusion: Optional[str] = None) -> list[Hit]:
        """Best `k` passages. `fusion` overrides the settings' fusion for this call ("convex" or "rrf")."""
        fusion = check_fusion(fusion or self.settings.fusion)
        if mode not in MODES:
            raise QueryError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if not isinstance(k, int) or k < 1:
            raise QueryError(f"k must be a positive whole number, not {k!r}")
        q = validate_query(query)
        if not self.chunks:
            raise QueryError("No documents are indexed yet; add some first: inspection-search index <folder>")
        mask = self._mask(filters)
        if mask is not None and not mask.any():
            return []
        depth = max(k, self.settings.candidates)
        bm25, dense = [], []
        terms = self.analyzer.query_tokens(q, MAX_QUERY_TOKENS)
        ub = self.lexical.upper_bound(terms)
        share = lexical_share(self.lexical.idf, terms, ub)  # below 1: some of its words are in no passage
        otherwise = share < 1.0 - 1e-9
        if mode == "hybrid":
            # the two lists at once: numpy, ONNX Runtime and FAISS release the GIL, so on two cores a hybrid
            # search takes about as long as its slower list (docs/performance.md, "1M-chunk latency")
            job = _bm25_pool().submit(self.lexical.top, terms, depth, mask)
            try:
                dense = self.dense.top(self.embed_query(q, otherwise), depth, mask)
            except BaseException:
                job.cancel()
                raise
            bm25 = job.result()
        elif mode == "bm25":
            bm25 = self.lexical.top(terms, depth, mask)
        else:
            dense = self.dense.top(self.embed_query(q, otherwise), depth, mask)
        b_rank = {row: (r, s) for r, (row, s) in enumerate(bm25, start=1)}
        d_rank = {row: (r, s) for r, (row, s) in enumerate(dense, start=1)}
        ranked: list[tuple[Any, float]]  # (row, score); the fusion keeps the ids it was given
        if mode == "bm25":
            ranked = [(row, s) for row, s in bm25]
        elif mode == "dense":
            ranked = [(row, s) for row, s in dense]
        else:
            alpha = query_alpha(self.settings.alpha, share)
            ranked = fuse(fusion, bm25, dense, ub, alpha=alpha, rrf_k=self.settings.rrf_k,
                          weights=self.settings.weights)
        hits = []
        for rank, (row, score) in enumerate(ranked[:k], start=1):
            c = self.chunks[row]
            br, dr = b_rank.get(row), d_rank.get(row)
            hits.append(Hit(rank, float(score), c, self.docs[c.doc_id],
                            br[0] if br else None, dr[0] if dr else None,
                            br[1] if br else None, dr[1] if dr else None))
        return hits

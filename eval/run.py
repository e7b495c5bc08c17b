"""Score a searcher on labelled queries: retrieval per mode, and `ask` and recurrence.

    from eval.metrics import load_queries
    from eval.run import evaluate
    result = evaluate(Searcher("var/index"), load_queries("eval/queries.jsonl"), k=10, extras=True)
    result.modes["hybrid"].overall.ndcg
    result.answers.held_out.declined          # ask, cross-validated on eval/ask.jsonl (eval.ask)

Nothing here knows the shipped corpus: the labels are quotes, matched in the text of
whatever passages the index returns (see `eval.metrics`).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Sequence

from eval.metrics import LabelledQuery, QueryScore, normalise, quote_hits, score_queries
from indexer.errors import BadInput
from search.records.view import records_view
from search.retrieval.searcher import QueryError, Searcher

if TYPE_CHECKING:
    from eval.ask import CrossValidation
    from eval.prereg import PreregReport
    from eval.repeats import RepeatsReport

DEFAULT_MODES = ("bm25", "dense", "hybrid")
DEFAULT_QUERIES = Path(__file__).resolve().parent / "queries.jsonl"
TOP_SHOWN = 3  # citations listed for a query that missed quotes


@dataclass(frozen=True)
class Summary:
    """Means over the labelled queries of one group (None when the group has none)."""

    ndcg: Optional[float]
    recall: Optional[float]
    mrr: Optional[float]
    success: Optional[float]
    queries: int

    @classmethod
    def of(cls, scores: Sequence[QueryScore]) -> "Summary":
        n = len(scores)
        if not n:
            return cls(None, None, None, None, 0)
        return cls(sum(s.ndcg for s in scores) / n, sum(s.recall for s in scores) / n,
                   sum(s.rr for s in scores) / n, sum(s.success for s in scores) / n, n)


@dataclass(frozen=True)
class Retrieved:
    """One passage a mode returned for a query."""

    rank: int
    chunk_id: str
    score: float  # the mode's own scale (RRF, BM25, cosine): only its order means anything here
    citation: str
    text: str


@dataclass(frozen=True)
class QueryResult:
    query: LabelledQuery
    score: QueryScore
    retrieved: tuple[Retrieved, ...]

    def missed(self) -> list[int]:
        hit = {c.quote for c in self.score.credits}
        return [i for i in range(len(self.query.relevant)) if i not in hit]


@dataclass(frozen=True)
class ModeResult:
    mode: str
    overall: Summary
    by_kind: dict[str, Summary]
    queries: tuple[QueryResult, ...]


@dataclass(frozen=True)
class RecurrenceScores:
    """Share of each recurrence query's gold quotes found in the records of the threads returned."""

    status: str  # "ok" | "skipped"
    note: str = ""
    recall: Optional[float] = None
    per_query: dict[str, float] = field(default_factory=dict)
    threads: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class EvalResult:
    k: int
    queries: tuple[LabelledQuery, ...]
    kinds: tuple[str, ...]  # kinds with labelled queries, in file order
    modes: dict[str, ModeResult]
    generation: Optional[str] = None
    passages: int = 0
    answers: Optional["CrossValidation"] = None  # eval.ask: ask's held-out figures on its own labelled set
    recurrence: Optional[RecurrenceScores] = None
    repeats: Optional["RepeatsReport"] = None  # eval.repeats: similar and threads, held out on eval/rec_pairs.jsonl
    prereg: tuple["PreregReport", ...] = ()  # eval.prereg: ask as shipped on each pre-registered set

    @property
    def labelled(self) -> int:
        return sum(1 for q in self.queries if q.answerable)

    def to_json(self) -> dict[str, Any]:
        """Every figure in one object (the schema `inspection-search eval --json` prints)."""
        modes = {}
        for name, m in self.modes.items():
            modes[name] = {
                "overall": asdict(m.overall),
                "by_kind": {kind: asdict(s) for kind, s in m.by_kind.items()},
                "queries": [_query_json(r) for r in m.queries],
            }
        out: dict[str, Any] = {
            "k": self.k, "generation": self.generation, "passages": self.passages,
            "queries": len(self.queries), "labelled": self.labelled,
            "no_answer": len(self.queries) - self.labelled, "kinds": list(self.kinds), "modes": modes,
        }
        if self.answers is not None:
            out["answers"] = self.answers.to_json()
        if self.recurrence is not None:
            out["recurrence"] = asdict(self.recurrence)
        if self.repeats is not None:
            out["repeats"] = self.repeats.to_json()
        if self.prereg:
            out["prereg"] = [p.to_json() for p in self.prereg]
        return out


def _query_json(r: QueryResult) -> dict[str, Any]:
    q, s = r.query, r.score
    return {
        "id": q.qid, "kind": q.kind, "ndcg": s.ndcg, "recall": s.recall, "rr": s.rr, "success": s.success,
        "hits": [{"quote_id": q.quote_id(c.quote), "grade": q.relevant[c.quote].grade, "rank": c.rank,
                  "chunk_id": r.retrieved[c.rank - 1].chunk_id} for c in s.credits],
        "missed": [q.quote_id(i) for i in r.missed()],
        "top": [x.citation for x in r.retrieved[:TOP_SHOWN]],
    }


# --- retrieval -------------------------------------------------------------------

def retrieve(searcher: Searcher, query: LabelledQuery, k: int, mode: str) -> tuple[Retrieved, ...]:
    try:
        hits = searcher.search(query.query, k=k, mode=mode)
    except QueryError as e:  # say which labelled query caused it
        raise BadInput(f"query {query.qid}: {e}") from None
    return tuple(Retrieved(h.rank, h.chunk.chunk_id, float(h.score), h.citation(), h.chunk.text) for h in hits)


def evaluate(searcher: Searcher, queries: Sequence[LabelledQuery], k: int = 10, modes: Sequence[str] = DEFAULT_MODES,
             extras: bool = False, ask_items: Optional[Sequence] = None,
             pairs: Optional[Sequence] = None, prereg: Sequence[tuple[Sequence, dict]] = ()) -> EvalResult:
    """Run every labelled query in every mode and score them; `extras` adds the recurrence scores,
    with `ask_items` (eval.ask.load_ask_set) ask's cross-validated figures, with `pairs`
    (eval.repeats.load_pairs) the held-out figures of `similar` and the threads, and with `prereg`
    (each set's items and _meta) ask as shipped on the pre-registered sets (eval.prereg)."""
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise BadInput(f"k must be a positive whole number, not {k!r}")
    modes = tuple(dict.fromkeys(modes))
    bad = [m for m in modes if m not in DEFAULT_MODES]
    if not modes or bad:
        raise BadInput(f"modes must be some of {', '.join(DEFAULT_MODES)}, not {', '.join(bad) or 'none'}")
    if not queries:
        raise BadInput("no labelled queries to score")
    labelled = [q for q in queries if q.answerable]
    kinds = tuple(dict.fromkeys(q.kind for q in labelled))
    results: dict[str, ModeResult] = {}
    for mode in modes:
        got = {q.qid: retrieve(searcher, q, k, mode) for q in labelled}
        scores = score_queries(labelled, {qid: [r.text for r in rs] for qid, rs in got.items()}, k)
        per = tuple(QueryResult(q, s, got[q.qid]) for q, s in zip(labelled, scores))
        by_kind = {kind: Summary.of([s for s in scores if s.kind == kind]) for kind in kinds}
        results[mode] = ModeResult(mode, Summary.of(scores), by_kind, per)
    answers = recurrence = repeats = None
    registered: tuple = ()
    if extras:
        if ask_items:
            from eval.ask import cross_validate, run_ask

            answers = cross_validate(run_ask(searcher, ask_items))
        recurrence = evaluate_recurrence(searcher, queries)
        if pairs:
            from eval.repeats import evaluate_repeats

            repeats = evaluate_repeats(searcher, pairs)
        if prereg:
            from eval.prereg import score_preregistered

            registered = tuple(score_preregistered(searcher, items, meta) for items, meta in prereg)
    return EvalResult(k, tuple(queries), kinds, results, getattr(searcher, "generation", None),
                      len(getattr(searcher, "chunks", ()) or ()), answers, recurrence, repeats, registered)


# --- recurrence --------------------------------------------------------------------

def _hits_any(texts: Sequence[str], query: LabelledQuery) -> list[bool]:
    """For each gold quote: is it hit by one of the texts?"""
    norms = [normalise(t) for t in texts if t]
    return [any(quote_hits(p, g.norm) for p in norms) for g in query.relevant]


RECURRENCE_KIND = "recurrence"


def evaluate_recurrence(searcher: Searcher, queries: Sequence[LabelledQuery], min_years: int = 2) -> RecurrenceScores:
    from search.records.recurrence import find_threads

    todo = [q for q in queries if q.kind == RECURRENCE_KIND and q.answerable]
    if not todo:
        return RecurrenceScores("skipped", f"no labelled queries of kind {RECURRENCE_KIND!r}")
    per: dict[str, float] = {}
    threads: dict[str, int] = {}
    for q in todo:
        found = list(find_threads(records_view(searcher), q.query, min_years=min_years))
        texts = [t for th in found for rec in th.instances for t in (rec.text, rec.response)]
        hit = _hits_any([t for t in texts if isinstance(t, str)], q)
        per[q.qid] = sum(hit) / len(hit)
        threads[q.qid] = len(found)
    return RecurrenceScores("ok", "", sum(per.values()) / len(per), per, threads)


# --- the regression baseline -----------------------------------------------------

def baseline_json(result: EvalResult, command: str, date: str) -> dict[str, Any]:
    """What eval/baseline.json records: the means per mode and per kind, with how they were made."""
    def r(s: Summary) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(s).items()}

    return {
        "date": date, "command": command,
        "note": "tests/test_eval.py fails if hybrid nDCG@k drops more than 0.02 below modes.hybrid.ndcg; "
                "tests/test_recurrence.py checks repeats_held_out within a labelled pair's worth; "
                "re-record after an intended change to chunking, analysis, the model or fusion",
        "k": result.k, "generation": result.generation, "passages": result.passages, "labelled": result.labelled,
        "modes": {m: r(v.overall) for m, v in result.modes.items()},
        "by_kind": {m: {kind: r(s) for kind, s in v.by_kind.items()} for m, v in result.modes.items()},
        **({"ask_held_out": {k: round(v, 4) for k, v in asdict(result.answers.held_out).items()}}
           if result.answers is not None else {}),
        **({"repeats_held_out": {k: round(getattr(result.repeats, k), 4) for k in REPEAT_FIGURES}}
           if result.repeats is not None else {}),
    }


# the held-out repeat figures eval/baseline.json records (tests check them within a tolerance)
REPEAT_FIGURES = ("similar_recall_at_5", "similar_mrr", "thread_precision", "thread_recall")


# --- TREC files ------------------------------------------------------------------

def write_trec(result: EvalResult, out_dir: str | Path) -> list[Path]:
    """TREC files for other tools (trec_eval, ranx):

    quotes.qrels          qid 0 quote_id grade            (the labels, one line a quote)
    MODE.run              qid Q0 chunk_id rank score tag  (passage level, as the mode ranked them)
    MODE.quotes.run       qid Q0 quote_id rank score tag  (the quote slots nDCG and recall are computed on,
                                                          an empty slot named qid.noneN; scored against
                                                          quotes.qrels they reproduce nDCG and recall)
    """
    from eval.metrics import quote_ranking

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    qrels = out / "quotes.qrels"
    qrels.write_text("".join(f"{q.qid} 0 {q.quote_id(i)} {g.grade}\n"
                             for q in result.queries for i, g in enumerate(q.relevant)), encoding="utf-8")
    written.append(qrels)
    for mode, m in result.modes.items():
        tag = f"inspection-search-{mode}"
        lines, qlines = [], []
        for r in m.queries:
            lines += [f"{r.query.qid} Q0 {x.chunk_id} {x.rank} {x.score:.6f} {tag}\n" for x in r.retrieved]
            slots = quote_ranking(r.query, r.score.credits, len(r.retrieved), result.k)
            qlines += [f"{r.query.qid} Q0 {s or f'{r.query.qid}.none{j}'} {j} {len(slots) - j + 1} {tag}\n"
                       for j, s in enumerate(slots, 1)]
        for name, body in ((f"{mode}.run", lines), (f"{mode}.quotes.run", qlines)):
            (out / name).write_text("".join(body), encoding="utf-8")
            written.append(out / name)
    return written

"""Labelled queries, quote matching and retrieval metrics (computed with ranx).

A labelled query names verbatim evidence spans ("quotes") rather than passage ids,
so the same labels score any index, however it was chunked:

    {"id": "q01", "query": "...", "kind": "fact",
     "relevant": [{"quote": "...", "grade": 2}, {"quote": "...", "grade": 1}]}

grade 2 = the quote answers the query, 1 = partial evidence; `relevant: []` means
the corpus cannot answer it (excluded from retrieval means, used for the
no-answer score of `ask`).

Matching. Both texts are normalised (HTML entities decoded, tags dropped,
lowercased, only runs of [a-z0-9] kept, joined by single spaces). A passage hits
a quote when it contains the whole normalised quote as a run of whole words, or,
for a quote of n >= 8 words, some run of ceil(n/2) consecutive quote words (a
quote split across two chunks still counts if one side holds half of it).

Crediting. Walking the top-k passages best first, each quote is credited once, to
the first passage that hits it.

Metrics, per query with labels (then means):
  nDCG@k     exponential gain 2^grade - 1, log2 discount (Burges et al., ICML 2005;
             ranx "ndcg_burges"). The ranked list is one of quote slots: each passage
             contributes the quotes credited to it (higher grade first, then file
             order), or one empty slot if it is credited with none, so a passage
             holding two quotes fills two slots and nDCG never exceeds 1. Only the
             first k slots count; the ideal is the quotes' grades sorted desc, top k.
  Recall@k   quotes credited / quotes.
  MRR@k      1 / rank of the first passage hitting a grade-2 quote (0 if none).
  Success@k  1 if any of the top-k passages hits a grade-2 quote.
"""
from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence
from indexer.errors import BadInput, MissingFile

MIN_WORDS_FOR_PARTIAL = 8  # shorter quotes must be found whole
GRADES = (1, 2)
ANSWER_GRADE = 2  # the grade that MRR and Success count

# an HTML tag ("<sup>", "</p>", "<a href=...>"), not a markdown autolink ("<https://...>") nor a comparison ("PSO
# <1 year ... >5 years"), whose words a quote may hold
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_WORD = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> str:
    """html.unescape, drop HTML tags, lowercase, keep runs of [a-z0-9] joined by single spaces."""
    return " ".join(_WORD.findall(_TAG.sub(" ", html.unescape(text or "")).lower()))


def quote_hits(passage_norm: str, quote_norm: str) -> bool:
    """Does a normalised passage hit a normalised quote (whole, or a half-length run)?"""
    if not quote_norm:
        return False
    hay = f" {passage_norm} "
    if f" {quote_norm} " in hay:
        return True
    words = quote_norm.split(" ")
    n = len(words)
    if n < MIN_WORDS_FOR_PARTIAL:
        return False
    m = math.ceil(n / 2)
    return any(f" {' '.join(words[i:i + m])} " in hay for i in range(n - m + 1))


# --- labelled queries ------------------------------------------------------------

@dataclass(frozen=True)
class Gold:
    quote: str
    grade: int

    @property
    def norm(self) -> str:
        return normalise(self.quote)


@dataclass(frozen=True)
class LabelledQuery:
    qid: str
    query: str
    kind: str
    relevant: tuple[Gold, ...]

    @property
    def answerable(self) -> bool:
        return bool(self.relevant)

    def quote_id(self, i: int) -> str:
        """A stable id for the i-th (0-based) quote, as written to TREC files: q01.1, q01.2, ..."""
        return f"{self.qid}.{i + 1}"


def parse_query(obj: object, where: str) -> LabelledQuery:
    """One labelled query from its JSON object; ValueError naming the place and the fix."""
    if not isinstance(obj, dict):
        raise BadInput(f"{where}: expected a JSON object, got {type(obj).__name__}")
    for key in ("id", "query", "relevant"):
        if key not in obj:
            raise BadInput(f"{where}: missing {key!r} (each line needs id, query, kind, relevant)")
    qid, query = str(obj["id"]).strip(), obj["query"]
    if not qid:
        raise BadInput(f"{where}: empty id")
    if not isinstance(query, str) or not query.strip():
        raise BadInput(f"{where} ({qid}): query must be non-empty text")
    rel = obj["relevant"]
    if not isinstance(rel, list):
        raise BadInput(f"{where} ({qid}): relevant must be a list ([] when the corpus cannot answer)")
    golds = []
    for j, r in enumerate(rel, start=1):
        if not isinstance(r, dict) or "quote" not in r or "grade" not in r:
            raise BadInput(f"{where} ({qid}): relevant[{j}] must be {{\"quote\": ..., \"grade\": 1 or 2}}")
        quote, grade = r["quote"], r["grade"]
        if isinstance(grade, bool) or grade not in GRADES:
            raise BadInput(f"{where} ({qid}): relevant[{j}] grade is {grade!r}; use 2 (answers) or 1 (partial)")
        if not isinstance(quote, str) or not normalise(quote):
            raise BadInput(f"{where} ({qid}): relevant[{j}] quote has no letters or digits to match")
        golds.append(Gold(quote, int(grade)))
    return LabelledQuery(qid, query.strip(), str(obj.get("kind") or "unlabelled"), tuple(golds))


def load_queries(path: str | Path) -> list[LabelledQuery]:
    """Read a JSON Lines file of labelled queries (blank lines ignored; ids must be unique)."""
    p = Path(path)
    if not p.is_file():
        raise MissingFile(f"no labelled queries at {p} (JSON Lines: id, query, kind, relevant)")
    out: list[LabelledQuery] = []
    seen: set[str] = set()
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise BadInput(f"{p}:{n}: not valid JSON ({e.msg})") from None
        q = parse_query(obj, f"{p}:{n}")
        if q.qid in seen:
            raise BadInput(f"{p}:{n}: id {q.qid!r} used twice")
        seen.add(q.qid)
        out.append(q)
    if not out:
        raise BadInput(f"{p}: no labelled queries in the file")
    return out


# --- crediting and scoring -------------------------------------------------------

@dataclass(frozen=True)
class Credit:
    quote: int  # index into LabelledQuery.relevant
    rank: int  # 1-based rank of the first passage that hit it


def credit(query: LabelledQuery, passages: Sequence[str], k: int) -> tuple[Credit, ...]:
    """Credit each quote once, to the first of the top-k passages that hits it; in passage order."""
    norms = [g.norm for g in query.relevant]
    found: dict[int, int] = {}
    for rank, text in enumerate(passages[:k], start=1):
        p = normalise(text)
        for i, qn in enumerate(norms):
            if i not in found and quote_hits(p, qn):
                found[i] = rank
    return tuple(sorted((Credit(i, r) for i, r in found.items()),
                        key=lambda c: (c.rank, -query.relevant[c.quote].grade, c.quote)))


def quote_ranking(query: LabelledQuery, credits: Sequence[Credit], n_passages: int, k: int) -> list[str]:
    """The list of quote slots nDCG is computed over (see the module docstring); '' = empty slot."""
    by_rank: dict[int, list[Credit]] = {}
    for c in credits:
        by_rank.setdefault(c.rank, []).append(c)
    slots: list[str] = []
    for rank in range(1, min(n_passages, k) + 1):
        if rank in by_rank:
            slots.extend(query.quote_id(c.quote) for c in by_rank[rank])
        else:
            slots.append("")
    return slots


@dataclass(frozen=True)
class QueryScore:
    qid: str
    kind: str
    ndcg: float
    recall: float
    rr: float
    success: float
    credits: tuple[Credit, ...]
    n_quotes: int


def score_queries(queries: Sequence[LabelledQuery], passages: dict[str, Sequence[str]], k: int) -> list[QueryScore]:
    """Score the labelled (answerable) queries given each one's ranked passage texts.

    `passages[qid]` is best first; a missing qid counts as nothing retrieved.
    Queries without labels are skipped. The numbers come from ranx on two
    derived judgement sets: quote slots (nDCG, recall) and passages (MRR, Success).
    """
    if k < 1:
        raise BadInput(f"k must be a positive whole number, not {k!r}")
    labelled = [q for q in queries if q.answerable]
    if not labelled:
        return []
    from ranx import Qrels, Run, evaluate

    credits = {q.qid: credit(q, passages.get(q.qid, ()), k) for q in labelled}
    q_qrels, q_run, p_qrels, p_run = {}, {}, {}, {}
    for q in labelled:
        cs = credits[q.qid]
        n_pass = min(len(passages.get(q.qid, ())), k)
        q_qrels[q.qid] = {q.quote_id(i): g.grade for i, g in enumerate(q.relevant)}
        slots = quote_ranking(q, cs, n_pass, k)
        # strictly decreasing scores: ranx orders by score, so no ties may reorder the slots
        q_run[q.qid] = {(s or f"_empty{j}"): float(len(slots) - j) for j, s in enumerate(slots)}
        answer_ranks = {c.rank for c in cs if q.relevant[c.quote].grade >= ANSWER_GRADE}
        # passage-level judgements: a passage is relevant when it hits a grade-2 quote. A sentinel
        # that is never retrieved keeps every query in the qrels without changing RR or success.
        p_qrels[q.qid] = {f"_p{r}": 1 for r in answer_ranks} or {"_none": 1}
        p_run[q.qid] = {f"_p{r}": float(n_pass - r + 1) for r in range(1, n_pass + 1)}
        # ranx cannot build a run from empty lists; one unjudged entry changes no figure
        q_run[q.qid] = q_run[q.qid] or {"_nothing": 0.0}
        p_run[q.qid] = p_run[q.qid] or {"_nothing": 0.0}
    depth = max([k] + [len(v) for v in q_run.values()])  # recall counts quotes in slots past k too
    nd, rc, mrr, hr = f"ndcg_burges@{k}", f"recall@{depth}", f"mrr@{k}", f"hit_rate@{k}"
    quote_run, passage_run = Run.from_dict(q_run), Run.from_dict(p_run)
    # ranx keeps each query's score in run.scores[metric][qid]; read them by id, not by position
    evaluate(Qrels.from_dict(q_qrels), quote_run, [nd, rc], make_comparable=True)
    evaluate(Qrels.from_dict(p_qrels), passage_run, [mrr, hr], make_comparable=True)
    qs, ps = quote_run.scores, passage_run.scores
    return [QueryScore(q.qid, q.kind, float(qs[nd][q.qid]), float(qs[rc][q.qid]), float(ps[mrr][q.qid]),
                       float(ps[hr][q.qid]), credits[q.qid], len(q.relevant)) for q in labelled]

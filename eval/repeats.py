"""Score "has this been recommended before?" (similar) and the recurrence threads against labelled
pairs of recommendations, with their weights and threshold chosen by cross-validation.

    report = evaluate_repeats(searcher, load_pairs("eval/rec_pairs.jsonl"))
    report.similar_recall_at_5, report.similar_mrr, report.thread_precision, report.thread_recall

The labels (eval/rec_pairs.jsonl) were written by reading every record: for each record,
the earlier records that ask for the same thing (grade 2) or the same subject with an
overlapping ask (grade 1), pairs inside one document, and which report recommendation and
plan row are the same recommendation (origin and response: never a repeat). A record is
named by its document's file name and its number (a plan row) or position (a report's
recommendation), so the labels fit any index of those documents.

Everything is held out, leave one record out:
- similar: for each record with grade-2 earlier records, the similarity weights (subject
  cosine, text cosine, lexical cosine, a grid over the simplex) are chosen on the other
  records' queries (best recall@5, then MRR), and the record's earlier records are ranked
  with them; reported: recall@5 and MRR of the grade-2 earlier records;
- threads: with the weights chosen without the record, the threshold is chosen on the
  labelled pairs not involving it (the most grade-2 pairs found with precision >= 0.9) and
  the threads are built; the pairs the record is the later half of are scored. Pooled
  over the records: pair precision (a predicted pair labelled grade 1 or 2) and recall of
  the grade-2 pairs.
"""
from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence

import numpy as np

from indexer.errors import BadInput, MissingFile

if TYPE_CHECKING:
    from search.records.record_space import RecordSpace
    from search.records.view import RecordsView
    from search.retrieval.searcher import Searcher

DEFAULT_PAIRS = Path(__file__).resolve().parent / "rec_pairs.jsonl"
WEIGHT_STEP = 0.2
THRESHOLDS = tuple(round(0.15 + 0.01 * i, 2) for i in range(41))  # 0.15 .. 0.55
MIN_PRECISION = 0.9
# A fit stands on a plateau, not a knife-edge, when the values around it score within these margins of the
# best (eval.repeats.plateau): the threads find as many grade-2 pairs as the best (of 10) with precision
# >= MIN_PRECISION; similar ranks within 0.05 of the best recall@5 and MRR.
PAIRS_MARGIN = 0
SIMILAR_MARGIN = 0.05


@dataclass(frozen=True)
class LabelledRecord:
    key: str
    file: str
    position: int
    earlier: tuple[tuple[str, int], ...]  # (key, grade)
    same_document: tuple[tuple[str, int], ...]
    same_recommendation: Optional[str]


def load_pairs(path: str | Path = DEFAULT_PAIRS) -> list[LabelledRecord]:
    p = Path(path)
    if not p.exists():
        raise MissingFile(f"no labelled recommendation pairs at {p}")
    out = []
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            out.append(LabelledRecord(d["record"], d["file"], int(d["position"]),
                                      tuple((e["record"], int(e["grade"])) for e in d.get("earlier", ())),
                                      tuple((e["record"], int(e["grade"])) for e in d.get("same_document", ())),
                                      d.get("same_recommendation")))
        except (ValueError, KeyError, TypeError) as e:
            raise BadInput(f"{p}:{n}: not a labelled record ({e})") from None
    return out


def map_records(space: RecordSpace, view: RecordsView, labelled: Sequence[LabelledRecord]) -> dict[str, int]:
    """Label key -> row of the record space (labels whose record is not in the index are left out)."""
    files = {Path(d.path).name: d.doc_id for d in view.documents.values()}
    out = {}
    for lr in labelled:
        doc = files.get(lr.file)
        for i, r in enumerate(space.records):
            if r.doc_id == doc and ((r.kind == "plan_row" and r.number == lr.position)
                                    or (r.kind == "report" and r.ordinal == lr.position)):
                out[lr.key] = i
                break
    return out


def weight_grid(step: float = WEIGHT_STEP, response: bool = False):
    """Every weighting on the simplex at `step`; the response part only if `response`."""
    from search.records.record_space import SimilarityWeights

    n = int(round(1 / step))
    for a in range(n + 1):
        for b in range(n + 1 - a):
            for d in range(n + 1 - a - b if response else 1):
                yield SimilarityWeights(round(a * step, 2), round(b * step, 2), round((n - a - b - d) * step, 2),
                                        round(d * step, 2))


@dataclass
class RepeatsReport:
    similar_queries: int = 0
    similar_recall_at_5: float = 0.0  # held out
    similar_mrr: float = 0.0  # held out
    similar_ranks: dict[str, list[int]] = field(default_factory=dict)  # key -> held-out ranks of its grade-2 pairs
    thread_pairs_predicted: int = 0
    thread_precision: float = 0.0  # held out: predicted pairs labelled grade 1 or 2
    thread_precision_grade2: float = 0.0  # held out: predicted pairs labelled grade 2
    thread_recall: float = 0.0  # held out: grade-2 pairs found in one thread
    grade2_pairs: int = 0
    fit: dict = field(default_factory=dict)  # weights and threshold chosen on everything (what it would ship)
    shipped: dict = field(default_factory=dict)  # the shipped weights and threshold against the best (`plateau`)

    def to_json(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


class _Data:
    """The labels joined to the record space: queries for similar, pairs for threads."""

    def __init__(self, space: RecordSpace, view: RecordsView, labelled: Sequence[LabelledRecord]):
        self.space = space
        self.rows = map_records(space, view, labelled)
        recs = space.records
        thread = set(space.thread_rows)
        by_id = {r.rec_id: i for i, r in enumerate(recs)}

        def thread_row(i: int) -> int:  # a linked report recommendation counts as its plan row
            r = recs[i]
            return by_id.get(r.linked, i) if i not in thread and r.linked else i

        self.queries: dict[int, set[int]] = {}  # row -> its grade-2 earlier rows
        self.pairs: dict[frozenset, int] = {}  # thread-row pairs -> grade
        self.later: dict[frozenset, int] = {}  # pair -> the row whose fold scores it
        for lr in labelled:
            if lr.key not in self.rows:
                continue
            q = self.rows[lr.key]
            g2 = {self.rows[k] for k, g in lr.earlier if g == 2 and k in self.rows}
            if g2:
                self.queries[q] = g2
            for k, g in lr.earlier + lr.same_document:
                if k not in self.rows:
                    continue
                a, b = thread_row(q), thread_row(self.rows[k])
                if a != b:
                    p = frozenset((a, b))
                    self.pairs[p] = max(self.pairs.get(p, 0), g)
                    self.later[p] = max(a, b)

    def candidates(self, q: int) -> list[int]:
        rec = self.space.records[q]
        return [i for i in self.space.thread_rows if i != q and self.space.records[i].rec_id != rec.linked
                and self.space.records[i].doc_id != rec.doc_id
                and self.space.records[i].date_order()[:1] < rec.date_order()[:1]]

    def ranks(self, q: int, weights) -> list[int]:
        sim = self.space.similarity(weights)[q]
        order = sorted(self.candidates(q), key=lambda i: (-float(sim[i]), i))
        pos = {i: n for n, i in enumerate(order, start=1)}
        return sorted(pos[i] for i in self.queries[q] if i in pos)

    def similar_score(self, qs: Sequence[int], weights) -> tuple[float, float]:
        r5, rr = [], []
        for q in qs:
            ranks = self.ranks(q, weights)
            r5.append(sum(1 for r in ranks if r <= 5) / len(self.queries[q]))
            rr.append(1.0 / ranks[0] if ranks else 0.0)
        return (float(np.mean(r5)), float(np.mean(rr))) if qs else (0.0, 0.0)

    def predicted(self, weights, threshold: float) -> set[frozenset]:
        from search.records.recurrence import thread_clusters

        groups = thread_clusters(self.space, threshold, None, weights)
        return {frozenset(p) for g in groups for p in itertools.combinations(g, 2)}

    def pair_counts(self, predicted: set[frozenset], keep) -> tuple[int, int, int, int, int]:
        """(predicted, labelled 1-2, labelled 2, grade-2 pairs, grade-2 found) over pairs where keep(pair)."""
        pred = [p for p in predicted if keep(p)]
        ok = sum(1 for p in pred if self.pairs.get(p, 0) >= 1)
        ok2 = sum(1 for p in pred if self.pairs.get(p, 0) == 2)
        g2 = [p for p, g in self.pairs.items() if g == 2 and keep(p)]
        return len(pred), ok, ok2, len(g2), sum(1 for p in g2 if p in predicted)


def _middle(best: list):
    return best[len(best) // 2]


def thread_score(data: _Data, weights, keep) -> int:
    """Grade-2 pairs found with precision >= MIN_PRECISION at the best threshold, on the pairs kept."""
    best = -1
    for t in THRESHOLDS:
        n, ok, _, _, found = data.pair_counts(data.predicted(weights, t), keep)
        if (ok / n if n else 1.0) >= MIN_PRECISION:
            best = max(best, found)
    return best


def choose_weights(data: _Data, queries: Sequence[int], keep=lambda p: True, grid: Sequence = (),
                   view: str = "similar"):
    """The weights for one view. similar (recall first): rank the grade-2 earlier records of `queries`
    best (recall@5, then MRR), then find the most grade-2 pairs in threads (on the pairs kept).
    threads (precision first): find the most grade-2 pairs with precision >= MIN_PRECISION, then
    rank best."""
    def score(w):
        r5, mrr = data.similar_score(queries, w)
        found = thread_score(data, w, keep)
        return (r5, mrr, found) if view == "similar" else (found, r5, mrr)

    scored = [(score(w), w) for w in (grid or list(weight_grid()))]
    top = max(s for s, _ in scored)
    best = [w for s, w in scored if s == top]
    mean = np.mean([w.key() for w in best], axis=0)
    return min(best, key=lambda w: (float(np.abs(np.array(w.key()) - mean).sum()), w.key()))


def choose_threshold(data: _Data, weights, keep) -> float:
    """The middle of the plateau: of the longest run of thresholds finding within PAIRS_MARGIN of the most
    grade-2 pairs with precision >= MIN_PRECISION (on the pairs kept), the midpoint, as far as the grid can tell
    from the thresholds where pairs are lost or precision collapses. Without any precise threshold, the most
    precise."""
    scored = []
    for t in THRESHOLDS:
        n, ok, _, g2, found = data.pair_counts(data.predicted(weights, t), keep)
        precision = ok / n if n else 1.0
        scored.append((found if precision >= MIN_PRECISION else -1, precision, t))
    top = max(s[0] for s in scored)
    if top < 0:
        return max(scored, key=lambda s: s[1])[2]
    runs, run = [], []
    for found, _, t in scored:
        if found >= top - PAIRS_MARGIN:
            run.append((found, t))
        elif run:
            runs.append(run)
            run = []
    runs.append(run)
    best = max((r for r in runs if any(f == top for f, _ in r)), key=len)
    return round((best[0][1] + best[-1][1]) / 2, 3)


RESPONSE_VIEWS = ("similar",)


def plateau(data: _Data, similar_grid: Sequence, thread_grid: Sequence) -> dict:
    """The shipped weights and threshold (search/thresholds.py) scored on every record against the best of the
    grid, and the thresholds around the shipped one (on the grid) that keep the threads within PAIRS_MARGIN of
    the best: how far the threshold can move before pairs are lost or precision collapses."""
    from search.records.record_space import SIMILAR, THREADS
    from search.thresholds import THREAD_THRESHOLD

    queries = list(data.queries)
    r5, mrr = data.similar_score(queries, SIMILAR)
    best = max(data.similar_score(queries, w) for w in similar_grid)
    best_found = max(thread_score(data, w, lambda p: True) for w in thread_grid)

    def good(t: float) -> bool:
        n, ok, _, _, found = data.pair_counts(data.predicted(THREADS, t), lambda p: True)
        return (ok / n if n else 1.0) >= MIN_PRECISION and found >= best_found - PAIRS_MARGIN

    below = [t for t in THRESHOLDS if t < THREAD_THRESHOLD][::-1]
    above = [t for t in THRESHOLDS if t > THREAD_THRESHOLD]
    room = None
    if good(THREAD_THRESHOLD):
        lo = next((prev for prev, t in zip([THREAD_THRESHOLD] + below, below) if not good(t)), below[-1])
        hi = next((prev for prev, t in zip([THREAD_THRESHOLD] + above, above) if not good(t)), above[-1])
        room = [lo, hi]
    n, ok, _, _, found = data.pair_counts(data.predicted(THREADS, THREAD_THRESHOLD), lambda p: True)
    return {"similar": {"recall_at_5": r5, "mrr": mrr, "best_recall_at_5": best[0], "best_mrr": best[1]},
            "threads": {"threshold": THREAD_THRESHOLD, "found": found, "precision": ok / n if n else 1.0,
                        "best_found": best_found, "plateau": room}}


def evaluate_repeats(searcher: Searcher, labelled: Sequence[LabelledRecord],
                     response_views: Sequence[str] = RESPONSE_VIEWS) -> RepeatsReport:
    """Held-out figures (module docstring). The views in `response_views` may weigh the response cosine
    too: measured, it helps `similar` rank and costs the threads precision (docs/recommendations.md)."""
    from search.records.view import records_view

    grid = list(weight_grid(response="similar" in response_views))
    thread_grid = list(weight_grid(response="threads" in response_views))
    view = records_view(searcher)
    data = _Data(view.space(), view, labelled)
    report = RepeatsReport(similar_queries=len(data.queries), grade2_pairs=sum(1 for g in data.pairs.values()
                                                                              if g == 2))
    # similar: leave one query record out
    r5, rr = [], []
    for q in sorted(data.queries):
        others = [x for x in data.queries if x != q]
        w = choose_weights(data, others, lambda p, q=q: q not in p, grid)
        ranks = data.ranks(q, w)
        key = next(k for k, v in data.rows.items() if v == q)
        report.similar_ranks[key] = ranks
        r5.append(sum(1 for r in ranks if r <= 5) / len(data.queries[q]))
        rr.append(1.0 / ranks[0] if ranks else 0.0)
    report.similar_recall_at_5, report.similar_mrr = float(np.mean(r5)), float(np.mean(rr))
    # threads: leave one record out (each labelled pair is scored in the fold of its later record)
    n = ok = ok2 = g2 = found = 0
    for r in data.space.thread_rows:  # every record is a fold: unlabelled predicted pairs count too
        train = lambda p, r=r: r not in p  # noqa: E731
        w = choose_weights(data, [x for x in data.queries if x != r], train, thread_grid, view="threads")
        t = choose_threshold(data, w, train)
        counts = data.pair_counts(data.predicted(w, t), lambda p, r=r: data.later.get(p, max(p)) == r)
        n, ok, ok2, g2, found = (a + b for a, b in zip((n, ok, ok2, g2, found), counts))
    report.thread_pairs_predicted = n
    report.thread_precision = ok / n if n else 1.0
    report.thread_precision_grade2 = ok2 / n if n else 1.0
    report.thread_recall = found / g2 if g2 else 1.0
    names = ("subject_dense", "text_dense", "lexical", "response_dense")
    w = choose_weights(data, list(data.queries), grid=grid)
    tw = choose_weights(data, list(data.queries), grid=thread_grid, view="threads")
    report.fit = {"similar_weights": dict(zip(names, w.key())), "thread_weights": dict(zip(names, tw.key())),
                  "threshold": choose_threshold(data, tw, lambda p: True)}
    report.shipped = plateau(data, grid, thread_grid)
    return report


def main(argv: Optional[Sequence[str]] = None) -> int:
    """`python -m eval.repeats [--index DIR] [--pairs FILE] [--response-views VIEWS]`: the held-out figures
    as JSON; VIEWS (comma-separated, of similar and threads; default similar) may use the response cosine."""
    import argparse

    from search.retrieval.searcher import Searcher

    p = argparse.ArgumentParser(prog="python -m eval.repeats", description=main.__doc__)
    p.add_argument("--index", default=None)
    p.add_argument("--pairs", default=str(DEFAULT_PAIRS))
    p.add_argument("--response-views", default=",".join(RESPONSE_VIEWS))
    args = p.parse_args(argv)
    views = [v for v in args.response_views.split(",") if v]
    report = evaluate_repeats(Searcher(args.index), load_pairs(args.pairs), response_views=views)
    print(json.dumps(report.to_json(), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

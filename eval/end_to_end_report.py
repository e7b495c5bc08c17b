"""How the extraction set's scores are printed (eval/end_to_end.py), by `inspection-search eval` and by
`python -m eval.end_to_end [DIR]`."""
from __future__ import annotations

from typing import Optional

# what issue 20 asks of the labelled set ("Done when")
TARGETS = {"records": 0.98, "fields": 0.98, "links": 0.95, "ndcg_gap": 0.05}


def _f(x: Optional[float]) -> str:
    return "    —" if x is None else f"{x:.3f}"


def extraction_lines(result) -> list[str]:
    """The per-layout table, the documents, the threads and the questions, and the targets met or not."""
    head = ("layout", "exp", "made", "P", "R", "number", "addressee", "text", "status", "date", "links")
    rows = [[name, str(t.expected), str(t.made), _f(t.precision), _f(t.recall), _f(t.accuracy("number")),
             _f(t.accuracy("addressee")), _f(t.accuracy("text")), _f(t.accuracy("status")), _f(t.accuracy("date")),
             _f(t.link_accuracy)] for name, t in [*result.layouts.items(), ("all", result.overall)]]
    widths = [max(len(r[c]) for r in [list(head)] + rows) for c in range(len(head))]

    def line(r: list[str]) -> str:
        return "  ".join(v.ljust(w) if c == 0 else v.rjust(w) for c, (v, w) in enumerate(zip(r, widths)))

    out = [f"extraction set {result.set_dir} (indexed with the shipped corpus in a fresh index):", line(list(head))]
    out += [line(r) for r in rows]
    o = result.overall
    out.append(f"  status in the plan's own vocabulary (Accepted / Partly accepted / ...): {_f(o.accuracy('term'))}; "
               f"pages of PDF records: {_f(o.accuracy('pages'))}")
    docs = result.documents
    out.append(f"documents: type {sum(d.right['doc_type'] for d in docs)}/{len(docs)}, date "
               f"{sum(d.right['date'] for d in docs)}/{len(docs)}, the same document in another file "
               f"{sum(d.right['same_as'] for d in docs)}/{len(docs)}")
    out += [f"  {d.file}: " + ", ".join(f"{k} {v[1]!r} (expected {v[0]!r})" for k, v in
                                         (("type", d.doc_type), ("date", d.date), ("same as", d.same_as))
                                         if v[0] != v[1]) for d in docs if not all(d.right.values())]
    th = result.threads
    out.append(f"threads: {th.whole} of {th.threads} whole, member recall {th.member_recall:.3f}, pair precision "
               f"{_f(th.pair_precision)} ({th.pairs_predicted} pairs)"
               + (f"; members never found: {', '.join(th.missing)}" if th.missing else ""))
    out += [f"  confirmed {a} ~ {b}: {'in one thread' if ok else 'NOT in one thread'}" for a, b, ok in th.confirmed]
    st, co = result.retrieval["set"], result.retrieval["corpus"]
    kinds = "; ".join(f"{k} {_f(v)} ({st['queries_by_kind'][k]}) / {_f(co['by_kind'].get(k))}"
                      for k, v in st["by_kind"].items())
    out.append(f"questions (hybrid nDCG@10): the set's {_f(st['ndcg'])} ({st['queries']}); the corpus's questions of "
               f"the same kinds {_f(co['ndcg'])} ({co['queries']}), {_f(co['ndcg_same_mix'])} in the set's mix of "
               f"kinds; by kind (set / corpus): {kinds}")
    out += _targets(result)
    out += [f"  warning: {w}" for w in result.warnings]
    return out


def _targets(result) -> list[str]:
    o = result.overall
    fields = [o.accuracy(f) for f in ("status", "date", "addressee")]
    gap = (result.retrieval["corpus"]["ndcg_same_mix"] or 0) - (result.retrieval["set"]["ndcg"] or 0)
    checks = [("records precision and recall >= 0.98",
               min(o.precision or 0, o.recall or 0) >= TARGETS["records"]),
              ("status, date, addressee >= 0.98", all((x or 0) >= TARGETS["fields"] for x in fields)),
              ("links >= 0.95", (o.link_accuracy or 0) >= TARGETS["links"]),
              ("every confirmed pair in a thread", all(ok for _, _, ok in result.threads.confirmed)),
              ("questions within 0.05 nDCG@10 of the corpus's (same mix of kinds)", gap <= TARGETS["ndcg_gap"])]
    return ["targets (issue 20): " + "; ".join(f"{name}: {'met' if ok else 'NOT met'}" for name, ok in checks)]

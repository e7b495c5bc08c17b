"""`inspection-search eval`: score every retrieval mode side by side on labelled queries."""
from __future__ import annotations

import json


def register(sub) -> None:
    from ui.cli import add_fusion_option, add_index_option

    p = sub.add_parser("eval", help="score bm25, dense and hybrid retrieval on labelled queries")
    p.add_argument("--queries", metavar="FILE", default=None,
                   help="labelled queries, JSON Lines (default: eval/queries.jsonl)")
    p.add_argument("--k", "-k", type=int, default=10, help="cut-off for every metric (default 10)")
    p.add_argument("--modes", default="bm25,dense,hybrid", help="comma-separated modes (default bm25,dense,hybrid)")
    p.add_argument("--json", action="store_true", help="print every figure as one JSON object")
    p.add_argument("--run-out", metavar="DIR", default=None,
                   help="write TREC run files (one per mode) and a qrels of the quotes into DIR")
    p.add_argument("--details", action="store_true",
                   help="list each query's missed quotes and the top citations returned instead")
    p.add_argument("--record-baseline", metavar="FILE", default=None,
                   help="also write the means per mode and kind to FILE (e.g. eval/baseline.json)")
    p.add_argument("--ask", metavar="FILE", default=None,
                   help="ask's labelled set, JSON Lines (default: eval/ask.jsonl); scored with its decision "
                        "thresholds chosen by cross-validation, figures held out")
    p.add_argument("--pairs", metavar="FILE", default=None,
                   help="labelled recommendation pairs, JSON Lines (default: eval/rec_pairs.jsonl); `similar` "
                        "and the threads scored with weights and threshold chosen by cross-validation")
    p.add_argument("--prereg", metavar="FILE", action="append", default=None,
                   help="ask's pre-registered set, JSON Lines; may be given more than once (default: "
                        "eval/ask_prereg6.jsonl, the one that counts, then eval/ask_prereg5.jsonl to "
                        "eval/ask_prereg.jsonl, development sets since each was reported); scored as ask ships, "
                        "nothing chosen on it")
    p.add_argument("--extraction", metavar="DIR", default=None,
                   help="a labelled set of documents (default: eval/extraction): indexed with the shipped corpus in a "
                        "fresh index and scored end to end, per layout (records, fields, links, threads, questions)")
    p.add_argument("--no-extraction", action="store_true", help="skip the extraction set")
    p.add_argument("--no-extras", action="store_true",
                   help="skip the ask (cross-validated and pre-registered), recurrence, repeat and extraction scores")
    add_fusion_option(p)
    add_index_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from eval.ask import DEFAULT_ASK_SET, PREREGISTERED_SETS, ask_set_meta, load_ask_set
    from eval.metrics import load_queries
    from eval.repeats import DEFAULT_PAIRS, load_pairs
    from eval.run import DEFAULT_QUERIES, evaluate, write_trec
    from search.retrieval.searcher import Searcher
    from ui.cli import settings_from

    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    queries = load_queries(args.queries or DEFAULT_QUERIES)
    if args.k < 1:
        from ui.cli import CliError

        raise CliError(f"--k must be a positive whole number, not {args.k}")
    searcher = Searcher(args.index, settings=settings_from(args))
    ask_items = None if args.no_extras else load_ask_set(args.ask or DEFAULT_ASK_SET)
    pairs = None if args.no_extras else load_pairs(args.pairs or DEFAULT_PAIRS)
    sets = [(f, f) for f in args.prereg] if args.prereg else [(f, f"eval/{f.name}") for f in PREREGISTERED_SETS]
    prereg = [] if args.no_extras else [(load_ask_set(f), dict(ask_set_meta(f), file=str(shown))) for f, shown in sets]
    result = evaluate(searcher, queries, k=args.k, modes=modes, extras=not args.no_extras, ask_items=ask_items,
                      pairs=pairs, prereg=prereg)
    written = write_trec(result, args.run_out) if args.run_out else []
    if args.record_baseline:
        record_baseline(result, args.record_baseline)
    extraction = None
    if not args.no_extras and not args.no_extraction:
        from eval.end_to_end import DEFAULT_SET, score_set

        extraction = score_set(args.extraction or DEFAULT_SET, embedder=searcher.embedder, analyzer=searcher.analyzer,
                               k=args.k)
    if args.json:
        out = result.to_json()
        out["queries_file"] = str(args.queries or DEFAULT_QUERIES)
        out["run_files"] = [str(p) for p in written]
        out["extraction"] = extraction.to_json() if extraction is not None else None
        print(json.dumps(out, indent=1, ensure_ascii=False))
        return 0
    print(report(result, str(args.queries or "eval/queries.jsonl"), details=args.details))
    if extraction is not None:
        from eval.end_to_end_report import extraction_lines

        print("\n" + "\n".join(extraction_lines(extraction)))
    if written:
        print(f"\nwrote {len(written)} TREC files to {args.run_out}: " + ", ".join(p.name for p in written))
    return 0


def record_baseline(result, path: str) -> None:
    import datetime
    import shlex
    import sys
    from pathlib import Path

    from eval.run import baseline_json

    command = "inspection-search " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    data = baseline_json(result, command, datetime.date.today().isoformat())
    Path(path).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def _f(x) -> str:
    return "   —" if x is None else f"{x:.3f}"


def table(result) -> list[str]:
    k = result.k
    head = ["", "mode", f"nDCG@{k}", f"Recall@{k}", f"MRR@{k}", f"Success@{k}"]
    rows = []
    groups = [("overall", {m: r.overall for m, r in result.modes.items()})]
    groups += [(kind, {m: r.by_kind[kind] for m, r in result.modes.items()}) for kind in result.kinds]
    for name, per_mode in groups:
        n = next(iter(per_mode.values())).queries
        for i, (mode, s) in enumerate(per_mode.items()):
            rows.append([f"{name} ({n})" if i == 0 else "", mode, _f(s.ndcg), _f(s.recall), _f(s.mrr), _f(s.success)])
    widths = [max(len(r[c]) for r in [head] + rows) for c in range(len(head))]

    def line(r):
        return "  ".join(v.ljust(w) if c < 2 else v.rjust(w) for c, (v, w) in enumerate(zip(r, widths))).rstrip()

    return [line(head)] + [line(r) for r in rows]


def report(result, source: str, details: bool = False) -> str:
    n, lab = len(result.queries), result.labelled
    out = [f"{n} queries from {source} ({lab} labelled, {n - lab} that the corpus cannot answer); "
           f"index {result.generation or '?'} with {result.passages} passages; k={result.k}", ""]
    out += table(result)
    if result.answers is not None:
        out += ["", *ask_lines(result.answers)]
    for p in result.prereg:
        out += ["", *prereg_lines(p)]
    r = result.recurrence
    if r is not None:
        if r.status != "ok":
            out.append(f"recurrence: skipped ({r.note})")
        else:
            out.append(f"recurrence: recall of gold recommendations in the threads found {_f(r.recall)} "
                       f"over {len(r.per_query)} queries")
    if result.repeats is not None:
        out += ["", *repeat_lines(result.repeats)]
    if details:
        out += ["", *detail_lines(result)]
    return "\n".join(out)


def ask_lines(cv) -> list[str]:
    """ask's figures, all held out (each document's questions scored with cuts chosen without them)."""
    from search.thresholds import ANSWER_MIN_COSINE, ANSWER_MIN_COVERAGE

    h = cv.held_out
    out = [f"ask ({h.answerable} answerable, {h.unanswerable} unanswerable questions; decision cuts chosen by "
           "leave-one-document-out cross-validation; every figure held out):",
           f"  (a) answerable, answered with a gold sentence quoted:        {h.gold_answered:.3f}",
           f"  (b) answerable, answered with a gold sentence in a citation: {h.gold_cited:.3f}",
           f"  (c) unanswerable, declined (or partly answered):             {h.declined:.3f}",
           f"  (d) unanswerable, with a reply naming what is missing:       {h.partial_named:.3f}",
           "  per kind (a / c): " + "; ".join(
               f"{kind} {v['gold_answered']:.2f}" if v["answerable"] else f"{kind} {v['declined']:.2f}"
               for kind, v in cv.by_kind.items()),
           f"  (e) answerable, answered only in part (what failing safe costs): {h.answered_in_part:.3f}",
           f"  cuts chosen on every question: coverage >= {cv.fit_cuts[0]}, cosine >= {cv.fit_cuts[1]}"
           + _room(cv.plateau) + f"; shipped (search/thresholds.py): coverage >= {ANSWER_MIN_COVERAGE}, "
           f"cosine >= {ANSWER_MIN_COSINE}"]
    return out


def _room(plateau: dict) -> str:
    if not plateau:
        return ""
    (c0, c1), (m0, m1) = plateau["coverage"], plateau["cosine"]
    return (f"; as good within one question, the other held: coverage {c0:.2f}-{c1:.2f}, "
            f"cosine {m0:.3f}-{m1:.3f}")


def prereg_lines(p) -> list[str]:
    """ask as shipped on the pre-registered set: scored once, nothing chosen on it."""
    status = f"; {p.status}" if p.status else ""
    return [f"pre-registered ({p.source}, registered in {p.registered_in}; ask as shipped, nothing chosen on it"
            f"{status}):",
            f"  answerable, answered with a gold sentence quoted:                  {p.gold_answered:.3f} "
            f"({round(p.gold_answered * p.answerable)}/{p.answerable}); answered only in part {p.answered_in_part:.3f}",
            f"  unanswerable, declined or answered in part naming what is missing: {p.safe:.3f} "
            f"({round(p.safe * p.unanswerable)}/{p.unanswerable}); reply names what is missing {p.named:.3f}",
            "  per kind: " + "; ".join(f"{k} {v:.2f}" for k, v in p.by_kind.items())]


def repeat_lines(r) -> list[str]:
    """`similar` and the threads on the labelled pairs, held out (leave one record out)."""
    def weights(w: dict) -> str:
        return " / ".join(f"{v}" for v in w.values())

    return [f"repeats ({r.similar_queries} records with grade-2 earlier records, {r.grade2_pairs} grade-2 pairs; "
            "weights and threshold chosen by leave-one-record-out cross-validation; every figure held out):",
            f"  similar: recall@5 {r.similar_recall_at_5:.3f}, MRR {r.similar_mrr:.3f}",
            f"  threads: pair precision {r.thread_precision:.3f} ({r.thread_pairs_predicted} pairs), "
            f"grade-2 pair recall {r.thread_recall:.3f}",
            "  chosen on every record (subject / text / lexical / response): "
            f"similar {weights(r.fit['similar_weights'])}, threads {weights(r.fit['thread_weights'])}, "
            f"thread threshold {r.fit['threshold']}", *_shipped_lines(r.shipped)]


def _shipped_lines(sh: dict) -> list[str]:
    """The shipped values (search/thresholds.py) against the best on the grid, on every record."""
    if not sh:
        return []
    s, t = sh["similar"], sh["threads"]
    room = f"{t['plateau'][0]:.3g}-{t['plateau'][1]:.3g}" if t["plateau"] else "none: on a knife-edge"
    return [f"  shipped: similar recall@5 {s['recall_at_5']:.3f}, MRR {s['mrr']:.3f} (best on the grid "
            f"{s['best_recall_at_5']:.3f} / {s['best_mrr']:.3f}); thread threshold {t['threshold']:.3g} finds "
            f"{t['found']} of the best {t['best_found']} grade-2 pairs; thresholds as good on the grid: {room}"]


def detail_lines(result) -> list[str]:
    out = []
    for mode, m in result.modes.items():
        missed = [q for q in m.queries if q.missed()]
        out.append(f"== {mode}: {len(missed)} of {len(m.queries)} labelled queries missed quotes in the top {result.k}")
        for r in missed:
            q = r.query
            got = ", ".join(f"{q.quote_id(c.quote)}@{c.rank}" for c in r.score.credits) or "nothing"
            out.append(f"{q.qid} [{q.kind}] nDCG {r.score.ndcg:.3f}: {q.query}")
            out.append(f"   hit: {got}")
            for i in r.missed():
                g = q.relevant[i]
                quote = g.quote if len(g.quote) <= 110 else g.quote[:107] + "..."
                out.append(f"   missed {q.quote_id(i)} (grade {g.grade}): “{quote}”")
            for x in r.retrieved[:3]:
                out.append(f"     got [{x.rank}] {x.citation}")
        out.append("")
    return out

"""`inspection-search recommendations` and `inspection-search recurring`: records and recurrence threads."""
from __future__ import annotations

import json
import sys
import textwrap


def register(sub) -> None:
    from ui.cli import add_index_option

    from indexer.metadata import DOC_TYPES

    p = sub.add_parser("recommendations", help="list and export recommendation records",
                       description="List the recommendations: action-plan rows with status, owners and target "
                                   "dates, and the recommendations inspection reports state, with the status of "
                                   "the plan row that answers each. Filters combine (all must hold).")
    p.add_argument("--status", default=None, help='Agreed, "Partly Agreed", "Not Agreed" or unknown (a report\'s '
                                                  'recommendation: the status its action plan gives it)')
    p.add_argument("--doc-type", default=None, choices=[t for t in DOC_TYPES if t != "unknown"],
                   help="only records from documents of this type")
    p.add_argument("--year-from", type=int, default=None)
    p.add_argument("--year-to", type=int, default=None)
    p.add_argument("--addressee", default=None, help="addressee or scope contains this text (e.g. Northamptonshire)")
    p.add_argument("--text", default=None, help="recommendation text contains this, or all its terms (SPO = senior "
                                                "probation officer)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the records as JSON")
    out.add_argument("--csv", metavar="FILE", default=None, help="write the records to a CSV file ('-' = stdout)")
    add_index_option(p)
    p.set_defaults(func=run_recommendations)

    from search.recurrence import DEFAULT_THRESHOLD

    q = sub.add_parser("recurring", help="threads of recommendations repeated across years",
                       description="Group recommendations that ask for substantially the same thing into "
                                   "threads (see docs/recommendations.md), optionally ranked by a topic.")
    q.add_argument("topic", nargs="?", default=None, help="rank threads by relevance to this topic")
    q.add_argument("--min-years", type=int, default=2, help="a thread recurs when it spans this many years (default 2)")
    q.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                   help=f"similarity needed to join a thread, in (0, 1] (default {DEFAULT_THRESHOLD}; higher = stricter)")
    q.add_argument("--all", dest="include_single", action="store_true",
                   help="also show threads that do not recur (single records included)")
    out = q.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the threads as JSON")
    out.add_argument("--csv", metavar="FILE", default=None, help="write one row per instance to a CSV file ('-' = stdout)")
    add_index_option(q)
    q.set_defaults(func=run_recurring)


def _searcher(args):
    from search.searcher import Searcher

    return Searcher(args.index)


def run_recommendations(args) -> int:
    from search.recommendations import (by_id, citation, link_note, list_recommendations, record_json,
                                        recommendations_csv)

    searcher = _searcher(args)
    recs = list_recommendations(searcher, status=args.status, year_from=args.year_from, year_to=args.year_to,
                                addressee=args.addressee, text=args.text, doc_type=args.doc_type)
    records = by_id(searcher)
    if args.csv:
        return _export(lambda items, dest: recommendations_csv(items, dest, records), recs, args.csv,
                       "recommendations")
    if args.json:
        print(json.dumps({"generation": searcher.generation, "count": len(recs),
                          "recommendations": [record_json(r, searcher.document(r.doc_id), records, searcher.docs)
                                              for r in recs]},
                         indent=1, ensure_ascii=False))
        return 0
    if not recs:
        print("No recommendations match." if searcher.data.recommendations
              else "The index holds no recommendation records (no action plans or reports with recommendations).")
        return 0
    for r in recs:
        print(format_record(r, citation(r, searcher.document(r.doc_id)), link_note(r, records, searcher.docs)))
    print(f"{len(recs)} recommendation{'s' if len(recs) != 1 else ''}.")
    return 0


def _export(write_csv, items, dest: str, what: str) -> int:
    """Write a CSV to a file, or to stdout for "-", and say where it went."""
    write_csv(items, sys.stdout if dest == "-" else dest)
    if dest != "-":
        print(f"wrote {len(items)} {what} to {dest}", file=sys.stderr)
    return 0


def _wrap(text: str, indent: str = "    ", width: int = 100) -> str:
    return textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent)


def record_number(r) -> str:
    """'15', or '•3' for the third of a report's unnumbered recommendations, or '?'."""
    if r.number is not None:
        return str(r.number)
    return f"•{r.ordinal}" if r.kind == "report" and r.ordinal else "?"


def format_record(r, cite: str, note: str = "") -> str:
    no = record_number(r)
    if r.kind == "report":
        head = f"{r.year or '????'} #{no:<3} {'(report)':<14} {cite}"
    else:
        head = f"{r.year or '????'} #{no:<3} {r.status or 'status not stated':<14} {cite}"
    lines = [head]
    lines.append(_wrap(r.text or "[recommendation text not in the source]"))
    meta = []
    if r.addressee or r.scope:
        meta.append("to: " + " ".join(x for x in (r.addressee, f"({r.scope})" if r.scope else None) if x))
    if r.owners:
        meta.append("owner: " + "; ".join(r.owners))
    if r.target_dates:
        meta.append("target: " + "; ".join(r.target_dates))
    if note:
        meta.append(("response: " if r.kind == "report" else "origin: ") + note)
    for m in meta:
        lines.append(_wrap(m, indent="      "))
    for n in r.notes:
        lines.append(_wrap("note: " + n, indent="      "))
    return "\n".join(lines) + "\n"


def run_recurring(args) -> int:
    from search.recurrence import find_threads, threads_csv

    searcher = _searcher(args)
    threads = find_threads(searcher, args.topic, min_years=args.min_years, threshold=args.threshold,
                           only_recurring=not args.include_single)
    if args.csv:
        return _export(threads_csv, threads, args.csv, "threads")
    if args.json:
        print(json.dumps({"topic": args.topic, "min_years": args.min_years, "threshold": args.threshold,
                          "generation": searcher.generation, "threads": [t.to_json() for t in threads]},
                         indent=1, ensure_ascii=False))
        return 0
    if not threads:
        if args.topic:
            print(f"No recurring recommendations about “{args.topic}”." if not args.include_single
                  else f"No recommendations about “{args.topic}”.")
        else:
            print(f"No recommendation recurs across {args.min_years} or more years at threshold {args.threshold}.")
        return 0
    for i, t in enumerate(threads, start=1):
        print(format_thread(i, t))
    print(f"{len(threads)} thread{'s' if len(threads) != 1 else ''} (threshold {args.threshold}, "
          f"min years {args.min_years}).")
    return 0


def format_thread(i: int, t) -> str:
    span = "–".join(str(y) for y in (t.years[0], t.years[-1])) if len(t.years) > 1 else (str(t.years[0]) if t.years else "?")
    bits = [f"{len(t.instances)} recommendation{'s' if len(t.instances) != 1 else ''}", span]
    if t.agreed_then_repeated:
        bits.append("AGREED THEN REPEATED")
    if t.relevance is not None:
        bits.append(f"relevance {t.relevance:.4f}")
    lines = [f"[{i}] {t.label}", f"    {' · '.join(bits)} · terms: {', '.join(t.terms)}"]
    for r, title, cite, flags in zip(t.instances, t.titles, t.citations, t.flags):
        mark = "  <- agreed earlier, raised again" if "agreed-then-repeated" in flags else ""
        no = "?" if r.number is None else str(r.number)
        lines.append(f"    {r.year or '????'}  #{no:<3} {r.status or 'status not stated'}{mark}")
        lines.append(_wrap(r.text, indent="          ", width=100))
        meta = []
        if r.scope:
            meta.append(r.scope)
        if r.owners:
            meta.append("owner: " + "; ".join(r.owners))
        if r.target_dates:
            meta.append("target: " + "; ".join(r.target_dates))
        if meta:
            lines.append(_wrap(" · ".join(meta), indent="          ", width=100))
        lines.append(_wrap(cite, indent="          ", width=100))
    return "\n".join(lines) + "\n"

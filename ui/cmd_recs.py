"""`inspection-search recommendations` and `inspection-search recurring`: records and recurrence threads."""
from __future__ import annotations

import json
import sys


def register(sub) -> None:
    from indexer.extract.metadata import DOC_TYPES
    from ui.cli import add_index_option, add_output_options

    p = sub.add_parser("recommendations", help="list and export recommendation records",
                       description="List the recommendations: action-plan rows with status, owners and target "
                                   "dates, and the recommendations inspection reports state, with the status of "
                                   "the plan row that answers each. Filters combine (all must hold).")
    p.add_argument("--status", default=None, help='Agreed, "Partly Agreed", "Not Agreed" (or the Accepted vocabulary: '
                                                  'Accepted, "Partly accepted", "Not accepted", Rejected, mapped onto '
                                                  'them) or unknown (a report\'s recommendation: the status its '
                                                  'action plan gives it)')
    p.add_argument("--doc-type", default=None, choices=[t for t in DOC_TYPES if t != "unknown"],
                   help="only records from documents of this type")
    p.add_argument("--year-from", type=int, default=None)
    p.add_argument("--year-to", type=int, default=None)
    p.add_argument("--addressee", default=None, help="addressee or scope contains this text (e.g. Northamptonshire)")
    p.add_argument("--text", default=None, help="recommendation text contains this, or all its terms (SPO = senior "
                                                "probation officer)")
    add_output_options(p, "records")
    add_index_option(p)
    p.set_defaults(func=run_recommendations)

    from search.records.recurrence import DEFAULT_THRESHOLD

    q = sub.add_parser("recurring", help="threads of recommendations repeated across years",
                       description="Group recommendations that ask for substantially the same thing into "
                                   "threads (see docs/recommendations.md), optionally ranked by a topic.")
    q.add_argument("topic", nargs="?", default=None, help="rank threads by relevance to this topic")
    q.add_argument("--min-years", type=int, default=2, help="a thread recurs when it spans this many years (default 2)")
    q.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                   help=f"similarity needed to join a thread, in (0, 1] (default {DEFAULT_THRESHOLD}; "
                        "higher = stricter)")
    q.add_argument("--all", dest="include_single", action="store_true",
                   help="also show threads that do not recur (single records included)")
    add_output_options(q, "threads", csv_rows="one row per instance")
    add_index_option(q)
    q.set_defaults(func=run_recurring)


def _records(args):
    """The records of the index the command names (search/records/view.py)."""
    from search.records.view import records_view
    from search.retrieval.searcher import Searcher

    return records_view(Searcher(args.index))


def run_recommendations(args) -> int:
    from search.records.catalogue import citation, link_note, list_recommendations, recommendations_csv, record_json
    from ui.render import record_text

    view = _records(args)
    recs = list_recommendations(view, status=args.status, year_from=args.year_from, year_to=args.year_to,
                                addressee=args.addressee, text=args.text, doc_type=args.doc_type)
    records = view.by_id
    if args.csv:
        return _export(lambda items, dest: recommendations_csv(items, dest, records), recs, args.csv,
                       "recommendations")
    if args.json:
        print(json.dumps({"generation": view.generation, "count": len(recs),
                          "recommendations": [record_json(r, view.document(r.doc_id), records, view.documents)
                                              for r in recs]},
                         indent=1, ensure_ascii=False))
        return 0
    if not recs:
        print("No recommendations match." if view.records
              else "The index holds no recommendation records (no action plans or reports with recommendations).")
        return 0
    for r in recs:
        print(record_text(r, citation(r, view.document(r.doc_id)), link_note(r, records, view.documents)))
    print(f"{len(recs)} recommendation{'s' if len(recs) != 1 else ''}.")
    return 0


def _export(write_csv, items, dest: str, what: str) -> int:
    """Write a CSV to a file, or to stdout for "-", and say where it went."""
    write_csv(items, sys.stdout if dest == "-" else dest)
    if dest != "-":
        print(f"wrote {len(items)} {what} to {dest}", file=sys.stderr)
    return 0


def run_recurring(args) -> int:
    from search.records.recurrence import find_threads, threads_csv
    from ui.render import thread_text

    view = _records(args)
    threads = find_threads(view, args.topic, min_years=args.min_years, threshold=args.threshold,
                           only_recurring=not args.include_single)
    if args.csv:
        return _export(threads_csv, threads, args.csv, "threads")
    if args.json:
        print(json.dumps({"topic": args.topic, "min_years": args.min_years, "threshold": args.threshold,
                          "generation": view.generation, "threads": [t.to_json() for t in threads]},
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
        print(thread_text(i, t))
    print(f"{len(threads)} thread{'s' if len(threads) != 1 else ''} (threshold {args.threshold}, "
          f"min years {args.min_years}).")
    return 0

"""`inspection-search similar`, `judge` and `judgements`: has this been recommended before?"""
from __future__ import annotations

import json
import sys


def register(sub) -> None:
    from search.records.similar import DEFAULT_K
    from ui.cli import add_index_option, add_output_options

    p = sub.add_parser("similar", help="the earlier recommendations most like a draft or a record",
                       description="Has this been recommended before? Rank the recommendations most like the text "
                                   "of a draft (or, with --record, the ones made before an existing record), each "
                                   "with its status, response, target date and the words they share. Recall first: "
                                   "read the top five. Confirm or reject a match with `inspection-search judge`.")
    p.add_argument("text", nargs="?", default=None, help="the draft recommendation's text")
    p.add_argument("--record", metavar="DOC#N", default=None,
                   help="an indexed record instead of a draft: its id, or DOC#N where DOC starts its document id "
                        "(e.g. 2022-06#14; #rN for a report's N-th recommendation)")
    p.add_argument("-k", type=int, default=DEFAULT_K, help=f"how many to show (default {DEFAULT_K})")
    p.add_argument("--include-rejected", action="store_true", help="also show matches judged not a repeat")
    add_output_options(p, "matches")
    add_index_option(p)
    p.set_defaults(func=run_similar)

    j = sub.add_parser("judge", help="confirm or reject that two records are the same recommendation made again",
                       description="Record an inspector's judgement of two records: 'match' (a repeat: always one "
                                   "thread) or 'no_match' (not a repeat: never one thread). Kept in "
                                   "INDEX_DIR/judgements.jsonl, keyed by the records' text, so it survives "
                                   "re-indexing and adding documents.")
    j.add_argument("a", metavar="RECORD", help="a record: its id or DOC#N (as for `similar --record`)")
    j.add_argument("b", metavar="RECORD")
    j.add_argument("label", choices=("match", "no_match", "confirm", "reject"),
                   help="match/confirm = a repeat; no_match/reject = not a repeat")
    j.add_argument("--by", default="", help="who judged, kept with the judgement (default: cli:<your login>); "
                                            "the audit log records who ran the command either way")
    add_index_option(j)
    j.set_defaults(func=run_judge)

    e = sub.add_parser("judgements", help="list, export or import inspectors' judgements",
                       description="List the latest judgement of each pair, or move them between indexes as CSV "
                                   "(columns a, b, label, at, by, a_text, b_text, a_ref, b_ref; a and b are the "
                                   "records' content keys).")
    g = e.add_mutually_exclusive_group()
    g.add_argument("--export", metavar="FILE", default=None, help="write the judgements to a CSV file ('-' = stdout)")
    g.add_argument("--import", dest="import_", metavar="FILE", default=None, help="add the judgements of a CSV file")
    add_index_option(e)
    e.set_defaults(func=run_judgements)


def _records(args):
    """The records of the index the command names (search/records/view.py)."""
    from search.records.view import records_view
    from search.retrieval.searcher import Searcher

    return records_view(Searcher(args.index))


def run_similar(args) -> int:
    from search.records.catalogue import citation
    from search.records.similar import resolve_record, similar, similar_csv
    from ui.cli import CliError
    from ui.render import similar_text

    if (args.text is None) == (args.record is None):
        raise CliError("give the draft's text, or --record DOC#N, not both")
    view = _records(args)
    record = resolve_record(view, args.record) if args.record else None
    matches = similar(view, args.text, record, k=args.k, include_rejected=args.include_rejected)
    if args.csv:
        similar_csv(view, matches, sys.stdout if args.csv == "-" else args.csv)
        if args.csv != "-":
            print(f"wrote {len(matches)} matches to {args.csv}", file=sys.stderr)
        return 0
    if args.json:
        print(json.dumps({"query": {"text": args.text, "record": record.rec_id if record else None},
                          "generation": view.generation, "matches": [m.to_json() for m in matches]},
                         indent=1, ensure_ascii=False))
        return 0
    if record is not None:
        print(f"Earlier recommendations most like {record.year} #{record.number or record.ordinal}: {record.text}\n")
    if not matches:
        print("No earlier recommendations to compare with.")
        return 0
    for n, m in enumerate(matches, start=1):
        print(similar_text(n, m, citation(m.record, view.document(m.record.doc_id))))
    return 0


def run_judge(args) -> int:
    from search.records.judgements import JudgementStore
    from search.records.similar import resolve_record
    from ui.audit import AuditLog
    from ui.cmd_users import cli_actor

    view = _records(args)
    a, b = resolve_record(view, args.a), resolve_record(view, args.b)
    by = args.by.strip() or cli_actor()
    what = {"a": a.rec_id, "b": b.rec_id, "label": args.label, "by": by}
    with AuditLog.for_index(view.index_dir).recording(cli_actor(), "judge", what, view.index_dir) as what:
        j = JudgementStore(view.index_dir).judge(a, b, args.label, by=by)
        what.update(label=j.label, a_key=j.a, b_key=j.b)
    shown = "a repeat (one thread)" if j.label == "match" else "not a repeat (never one thread)"
    print(f"judged {a.rec_id} and {b.rec_id}: {shown}")
    return 0


def run_judgements(args) -> int:
    from indexer.index.store import resolve_index_dir
    from search.records.judgements import JudgementStore

    store = JudgementStore(resolve_index_dir(args.index))
    if args.export:
        n = store.export_csv(sys.stdout if args.export == "-" else args.export)
        if args.export != "-":
            print(f"wrote {n} judgements to {args.export}", file=sys.stderr)
        return 0
    if args.import_:
        from ui.audit import AuditLog
        from ui.cmd_users import cli_actor

        log = AuditLog.for_index(store.dir)
        with log.recording(cli_actor(), "judgements_import", {"file": str(args.import_)}, store.dir) as what:
            n = store.import_csv(args.import_)
            what["judgements"] = n
        print(f"added {n} judgements from {args.import_} to {store.path}")
        return 0
    latest = list(store.latest().values())
    for j in latest:
        print(f"{j.label:<8} {j.a_ref or j.a}  ~  {j.b_ref or j.b}  ({j.at}{', ' + j.by if j.by else ''})")
    print(f"{len(latest)} judgements in {store.path}")
    return 0

"""`inspection-search documents`: what is indexed, where each field came from, and corrections."""
from __future__ import annotations

import json


def register(sub) -> None:
    from indexer.extract.metadata import DOC_TYPES
    from ui.cli import add_index_option

    p = sub.add_parser("documents", help="list the indexed documents; correct or remove one",
                       description="What is indexed: each document's title, type and dates, and where each was read "
                                   "(the document's text, cover or properties, its file name, the folder's "
                                   "manifest.csv, or a correction). Corrections and removals are kept beside the "
                                   "index (corrections.json) and survive re-indexing.")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    ls = actions.add_parser("list", help="the documents, with the source of each field")
    ls.add_argument("--json", action="store_true", help="print them as JSON")
    add_index_option(ls)
    ls.set_defaults(func=run_list)
    st = actions.add_parser("set", help="correct a document's title, type or dates (\"\" drops a correction)")
    st.add_argument("doc", metavar="DOC", help="the document's id (or its start) or file name")
    st.add_argument("--title", default=None)
    st.add_argument("--type", dest="doc_type", default=None, choices=[*DOC_TYPES, ""])
    st.add_argument("--date", default=None, help="YYYY, YYYY-MM or YYYY-MM-DD")
    st.add_argument("--report-date", default=None, help="for an action plan: when the report it answers was published")
    st.add_argument("--by", default="", help="who corrected it (kept with the correction)")
    add_index_option(st)
    st.set_defaults(func=run_set)
    rm = actions.add_parser("remove", help="take a document out of the index (and keep it out)")
    rm.add_argument("doc", metavar="DOC")
    rm.add_argument("--by", default="")
    add_index_option(rm)
    rm.set_defaults(func=run_remove)
    rs = actions.add_parser("restore", help="index a removed document again")
    rs.add_argument("doc", metavar="DOC", help="its id or file name when it was removed")
    add_index_option(rs)
    rs.set_defaults(func=run_restore)


def _index(args):
    from indexer.index.store import resolve_index_dir

    return resolve_index_dir(args.index)


def run_list(args) -> int:
    from indexer.documents import list_documents

    infos = list_documents(_index(args))
    if args.json:
        print(json.dumps({"documents": [i.to_json() for i in infos]}, indent=1, ensure_ascii=False))
        return 0
    for i in infos:
        d, src = i.doc, i.doc.provenance
        print(f"{d.doc_id}\n    {d.title}  [{src.get('title', '?')}]\n"
              f"    type {d.doc_type} [{src.get('doc_type', '-')}], date {d.date or 'unknown'} [{src.get('date', '-')}]"
              + (f", answers a report of {d.report_date} [{src.get('report_date', '-')}]" if d.report_date else "")
              + f"\n    {i.chunks} passages, {i.records} recommendations; file{'s' if len(i.files) > 1 else ''}: "
              + ", ".join(i.files))
    print(f"{len(infos)} documents.")
    return 0


def _audited(args, action: str, what: dict):
    """The change in the audit log, as an upload or a judgement from the app is (ui/audit.py)."""
    from ui.audit import AuditLog
    from ui.cmd_users import cli_actor

    return AuditLog.for_index(_index(args)).recording(cli_actor(), action, what, _index(args))


def run_set(args) -> int:
    from indexer.documents import correct_document

    fields = {"title": args.title, "doc_type": args.doc_type, "date": args.date, "report_date": args.report_date}
    with _audited(args, "correct", {"doc": args.doc, **{k: v for k, v in fields.items() if v is not None}}):
        correction, report = correct_document(_index(args), args.doc, by=args.by, **fields)
    fields = ", ".join(f"{k} {v}" for k, v in correction.fields.items()) or "no corrections left"
    print(f"{correction.doc_id}: {fields} (kept in corrections.json; index {report.generation})")
    return 0


def run_remove(args) -> int:
    from indexer.documents import remove_document

    with _audited(args, "remove", {"doc": args.doc}):
        report = remove_document(_index(args), args.doc, by=args.by)
    print(f"removed {', '.join(report.removed) or 'nothing'} (index {report.generation}); "
          f"`inspection-search documents restore {args.doc}` brings it back")
    return 0


def run_restore(args) -> int:
    from indexer.documents import restore_document

    with _audited(args, "restore", {"doc": args.doc}):
        report = restore_document(_index(args), args.doc)
    print(f"restored {', '.join(report.indexed) or 'nothing (its file is gone)'} (index {report.generation})")
    return 0

"""`inspection-search audit`: list or export the audit log (who uploaded, removed, judged, changed users)."""
from __future__ import annotations

import sys
from datetime import UTC, date, datetime


def register(sub) -> None:
    from ui.audit import ACTIONS
    from ui.cli import add_index_option, add_output_options

    p = sub.add_parser("audit", help="list or export the audit log",
                       description="Every upload, removal, judgement and user change, with who made it, when "
                                   "(UTC), what, and the index generation before and after. The log is "
                                   "$INSPECTION_SEARCH_AUDIT, else audit.jsonl in the index folder.")
    add_output_options(p, "entries")
    p.add_argument("--since", metavar="DATE", default=None,
                   help="only entries on or after this UTC date or time (2025-03-01, 2025-03-01T09:00)")
    p.add_argument("--who", metavar="NAME", default=None, help="only entries by this user (e.g. ann, cli:root)")
    p.add_argument("--action", choices=ACTIONS, default=None, help="only entries of this kind")
    add_index_option(p)
    p.set_defaults(func=run)


def parse_since(value: str | None) -> str | None:
    """An ISO date or date-time, normalised for comparing with the log's times; BadInput otherwise."""
    from ui.cli import CliError

    if not value:
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        when = datetime.fromisoformat(value.rstrip("Z"))
        if when.tzinfo is not None:  # the log is in UTC, without an offset
            when = when.astimezone(UTC).replace(tzinfo=None)
        return when.isoformat(timespec="milliseconds")
    except ValueError:
        raise CliError(f"--since {value!r} is not a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM)") from None


def run(args) -> int:
    from ui.audit import AuditLog, export_csv, export_json, select

    log = AuditLog.for_index(args.index)
    warning = log.warning()
    if warning:
        print(warning, file=sys.stderr)
    entries = select(log.entries(), parse_since(args.since), args.who, args.action)
    if args.csv:
        n = export_csv(entries, sys.stdout if args.csv == "-" else args.csv)
        if args.csv != "-":
            print(f"wrote {n} entries to {args.csv}", file=sys.stderr)
        return 0
    if args.json:
        export_json(entries, sys.stdout)
        return 0
    for e in entries:
        what = ", ".join(f"{k}={v}" for k, v in e.what.items())
        gens = f"  [{e.generation_before or '-'} -> {e.generation_after or '-'}]" if (
            e.generation_before or e.generation_after) else ""
        print(f"{e.time}  {e.who}  {e.action}  {what}{gens}")
    print(f"{len(entries)} entries in {log.path}", file=sys.stderr)
    return 0

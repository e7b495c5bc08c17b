"""The `inspection-search` command line: a thin edge over indexer/ and search/.

Each subcommand lives in its own module exposing `register(subparsers)`; heavy
imports happen inside each command's `run`, so one command never slows the others.
Errors the person can fix (`indexer.errors.UserError`) become one line on stderr and
exit code 2; anything else is logged with its traceback (`ui.errors`) and exits 1.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from indexer.errors import BadInput, UserError

# subcommand modules, in the order `--help` lists them
COMMAND_MODULES = (
    "ui.cmd_index",       # index
    "ui.cmd_documents",   # documents list|set|remove|restore
    "ui.cmd_search",      # search
    "ui.cmd_ask",         # ask
    "ui.cmd_recs",        # recommendations, recurring
    "ui.cmd_similar",     # similar, judge, judgements
    "ui.cmd_eval",        # eval
    "ui.cmd_app",         # ui
    "ui.cmd_users",       # users add, list, set-role, remove, passwd
    "ui.cmd_audit",       # audit
    "ui.cmd_bench",       # bench
)


class CliError(BadInput):
    """A command-line option that cannot be used; printed as one line."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inspection-search",
        description="Search, answer and track recommendations across probation inspection documents.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def add_index_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", metavar="DIR", default=None,
                   help="index directory (default: $INSPECTION_SEARCH_INDEX, else var/index)")


def add_output_options(p: argparse.ArgumentParser, what: str, csv_rows: str = "") -> None:
    """--json or --csv FILE (not both): how a command that lists `what` prints them."""
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help=f"print the {what} as JSON")
    out.add_argument("--csv", metavar="FILE", default=None,
                     help=f"write {csv_rows or 'the ' + what} to a CSV file ('-' = stdout)")


def add_filter_options(p: argparse.ArgumentParser) -> None:
    """--type, --year-from, --year-to, --publisher: which documents a search (or an answer) may use."""
    from indexer.extract.metadata import DOC_TYPES

    p.add_argument("--type", dest="doc_type", default=None, choices=[t for t in DOC_TYPES if t != "unknown"],
                   help="only documents of this type")
    p.add_argument("--year-from", type=int, default=None, help="only documents dated this year or later")
    p.add_argument("--year-to", type=int, default=None, help="only documents dated this year or earlier")
    p.add_argument("--publisher", default=None, help="only documents whose publisher contains this text")


def filters_from(args):
    from search.retrieval.searcher import Filters

    return Filters(doc_type=args.doc_type, year_from=args.year_from, year_to=args.year_to,
                   publisher=args.publisher)


def add_fusion_option(p: argparse.ArgumentParser) -> None:
    from search.retrieval.fusion import FUSIONS

    p.add_argument("--fusion", choices=FUSIONS, default=None,
                   help="how hybrid fuses BM25 and dense: convex (score combination, default) or rrf "
                        "(reciprocal rank fusion, k=60); default from $INSPECTION_SEARCH_FUSION")


def settings_from(args):
    """Search settings from the command line (None: the defaults)."""
    from search.retrieval.searcher import SearchSettings

    return SearchSettings(fusion=args.fusion) if getattr(args, "fusion", None) else None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as e:  # the person can fix it: one line, no traceback
        print(f"inspection-search {args.command}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head`: not an error
        sys.stderr.close()
        return 0
    except Exception:  # a defect: the traceback goes to the log, not to the person
        from ui.errors import internal_error_message

        print(f"inspection-search {args.command}: {internal_error_message(args.command)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

"""The `inspection-search` command line: a thin edge over indexer/ and search/.

Each subcommand lives in its own module exposing `register(subparsers)`; the
module is imported only when present, so a command's heavy imports never slow
the others. Domain errors become one clear line on stderr and exit code 2.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys

# subcommand modules, in the order `--help` lists them
COMMAND_MODULES = (
    "ui.cmd_index",       # index
    "ui.cmd_search",      # search
    "ui.cmd_ask",         # ask
    "ui.cmd_recs",        # recommendations, recurring
    "ui.cmd_eval",        # eval
    "ui.cmd_app",         # ui
    "ui.cmd_bench",       # bench
)


class CliError(Exception):
    """An error to print as one line, without a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inspection-search",
        description="Search, answer and track recommendations across probation inspection documents.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name) is None:
            continue
        importlib.import_module(name).register(sub)
    return parser


def add_index_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", metavar="DIR", default=None,
                   help="index directory (default: $INSPECTION_SEARCH_INDEX, else var/index)")


def add_fusion_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--fusion", choices=("convex", "rrf"), default=None,
                   help="how hybrid fuses BM25 and dense: convex (score combination, default) or rrf "
                        "(reciprocal rank fusion, k=60); default from $INSPECTION_SEARCH_FUSION")


def settings_from(args):
    """Search settings from the command line (None: the defaults)."""
    from search.searcher import SearchSettings

    return SearchSettings(fusion=args.fusion) if getattr(args, "fusion", None) else None


def main(argv: list[str] | None = None) -> int:
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    from indexer.store import IndexError_
    from search.searcher import QueryError

    try:
        return int(args.func(args) or 0)
    except (CliError, IndexError_, QueryError, ValueError, FileNotFoundError) as e:
        print(f"inspection-search {args.command}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

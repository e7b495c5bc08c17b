"""`inspection-search bench`: the performance benchmark (eval/bench.py), ours against the naive stack."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("bench", help="measure build, query latency, memory and cold start against the naive stack")
    p.add_argument("--sizes", default="10k,100k", help="comma-separated index sizes (default 10k,100k; 1m by hand)")
    p.add_argument("--json", action="store_true", help="print the JSON result instead of the table")
    p.add_argument("--out", metavar="FILE", default=None, help="also write the JSON result to FILE")
    p.add_argument("--work", metavar="DIR", default=None, help="scratch directory (default: a temporary one)")
    p.set_defaults(func=run)


def run(args) -> int:
    from eval.bench import main

    argv = ["--sizes", args.sizes] + (["--json"] if args.json else []) + (["--out", args.out] if args.out else [])
    return main(argv + (["--work", args.work] if args.work else []))

"""`inspection-search index [PATH ...]`: build or update the index."""
from __future__ import annotations

import json
import sys
from pathlib import Path


def register(sub) -> None:
    from indexer.embedding.model import DEFAULT_VARIANT, VARIANTS
    from ui.cli import add_index_option

    p = sub.add_parser("index", help="build or update the index from folders or files",
                       description="Index documents (PDF, Word, OpenDocument, web pages, TXT, MD). Unchanged files "
                                   "are not re-embedded; files gone from the given folders leave the index (unless "
                                   "--add). Vectors are kept in a cache beside the index (vector-cache.sqlite): a "
                                   "build that was stopped restarts where it stopped, and --rebuild re-embeds "
                                   "nothing the cache holds.")
    p.add_argument("paths", nargs="*", default=["corpus"], help="files or folders (default: corpus)")
    add_index_option(p)
    p.add_argument("--add", action="store_true", help="add/replace these documents, keep all others")
    p.add_argument("--rebuild", action="store_true", help="ignore the existing index and build from scratch")
    p.add_argument("--no-cache", action="store_true", help="embed every passage, neither using nor filling "
                                                          "the vector cache")
    p.add_argument("--model-variant", choices=VARIANTS, default=None,
                   help="the embedding model: fp32 (the same vectors on every CPU), or int8 (weights quantised: "
                        "builds about 1.4x faster, cosine ~0.99 to fp32, but its vectors depend on the CPU, so an "
                        "int8 index is only searched on a CPU that computes it alike); "
                        "default $INSPECTION_SEARCH_MODEL_VARIANT, else the existing index's, else "
                        f"{DEFAULT_VARIANT}. Changing an index's variant needs --rebuild; searches always use "
                        "the index's own variant")
    p.add_argument("--uploads", metavar="DIR", default=None,
                   help="the app's uploads folder, indexed with the paths so uploaded documents stay in the index "
                        "(default: $INSPECTION_SEARCH_UPLOADS, else an 'uploads' folder beside the index)")
    p.add_argument("--json", action="store_true", help="print the run's report as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    from indexer.build import build_index
    from indexer.index.model_of import build_embedder
    from indexer.index.store import resolve_index_dir
    from indexer.uploads import resolve_uploads_dir

    index_dir = resolve_index_dir(args.index)
    embedder = build_embedder(index_dir, args.model_variant, rebuild=args.rebuild)
    paths = with_uploads(args.paths, resolve_uploads_dir(index_dir, args.uploads))
    report = build_index(paths, index_dir, mode="add" if args.add else "sync", rebuild=args.rebuild,
                         embedder=embedder, show_progress=not args.json, no_cache=args.no_cache)
    if args.json:
        print(json.dumps(report.__dict__, indent=1, default=str))
        return 0
    for path, reason in report.skipped:
        print(f"skipped {path}: {reason}", file=sys.stderr)
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    for path, _, title in report.same_document:
        print(f"{path}: the same document as “{title}”, kept as another file of it (no new passages or records)")
    print(f"index {index_dir} ({report.generation}, model {embedder.identity()['variant']}): "
          f"{report.total_documents} documents, "
          f"{report.total_chunks} chunks; this run: {len(report.indexed)} indexed, "
          f"{len(report.unchanged)} unchanged, {len(report.removed)} removed, {len(report.skipped)} skipped, "
          f"{report.chunks_embedded} chunks embedded in {report.timings.get('total_s', 0):.1f}s"
          + (f" ({report.passages_cached} of {report.passages_cached + report.passages_embedded} passages "
             "from the vector cache)" if report.passages_cached else ""))
    return 0


def with_uploads(paths: list[str], uploads: Path) -> list[str]:
    """The paths and the uploads folder (when it exists and no path already holds it): a sync keeps what
    people uploaded in the app, which lives outside the corpus folder."""
    resolved = [Path(p).resolve() for p in paths]
    up = uploads.resolve()
    if not up.is_dir() or any(up == r or up.is_relative_to(r) for r in resolved):
        return list(paths)
    return [*paths, str(uploads)]

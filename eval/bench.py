"""The performance benchmark: ours against the naive stack, on one machine, in one run.

    python -m eval.bench --sizes 10k,100k,1m --out bench.json
    inspection-search bench --sizes 10k,100k --json

Measures: index build on the shipped corpus (chunks/s: parsing, embedding,
writing); warm query latency p50/p95 per mode with the query embedding
included; dense recall@10 of the approximate index against exact search; cold
start of `inspection-search search` (process start to first printed result);
peak RSS while serving and index size on disk; the cost of adding one document;
and the naive stack on the same chunks and queries: rank-bm25 BM25Okapi over
whitespace tokens + FAISS IndexFlatIP + RRF, sentence-transformers for the
query (what LangChain's EnsembleRetriever does).

Sizes above the shipped corpus are synthetic: real chunks varied word by word
(20% of words and BM25 terms replaced by others from the corpus vocabulary) and
embeddings made from the real ones plus Gaussian noise (cosine ~0.86 to their
source). Serving and the naive stack run in a subprocess per size so that sizes
do not pollute each other's memory figures. This is a benchmark, not a test:
it asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
QUERIES = REPO / "eval" / "queries.jsonl"
NOISE = 0.6  # norm of the noise added to a real embedding to make a synthetic one
VARY = 0.2  # fraction of words replaced in a synthetic chunk
NAIVE_QUERIES = 20  # rank-bm25 takes ~0.4 s a query at 100k: a subset keeps the run short
NAIVE_BM25_MAX = 200_000  # rank-bm25 above this needs many GB of Python dicts: not run
ADD_DOC = CORPUS / "2020-03_action-plan_central-functions-nps.txt"


def parse_size(s: str) -> int:
    s = s.strip().lower()
    mult = 1_000_000 if s.endswith("m") else 1_000 if s.endswith("k") else 1
    return int(float(s.rstrip("mk")) * mult)


def queries() -> list[str]:
    with QUERIES.open(encoding="utf-8") as f:
        return [json.loads(line)["query"] for line in f if line.strip()]


def pct(xs: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(xs) * 1000.0, p)) if xs else float("nan")


def peak_rss() -> int:
    """This process's peak resident set (VmHWM). Not ru_maxrss: Linux carries that over from the parent
    across fork+exec, so a server started by a big benchmark process would report the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --- build on the shipped corpus ----------------------------------------------
def bench_build(work: Path) -> dict:
    from indexer.build import build_index
    from indexer.embedding.onnx_embedder import export_onnx
    from indexer.text.chunker import ChunkerSettings, embedding_windows

    t = time.perf_counter()
    export_onnx()  # once per machine (cached); reported apart
    export_s = time.perf_counter() - t
    idx = work / "corpus-index"
    rep = build_index([CORPUS], idx)
    n = rep.total_chunks
    tm = rep.timings
    ours = {"chunks": n, "parse_s": tm["parse_s"], "embed_s": tm["embed_s"], "write_s": tm["write_s"],
            "total_s": tm["total_s"], "chunks_per_s": n / tm["total_s"], "onnx_export_s_once": export_s}
    # the naive stack on the same chunks: sentence-transformers, rank-bm25 and a flat FAISS index
    from indexer.text.compose import lexical_text
    from search.retrieval.searcher import Searcher

    s = Searcher(idx)
    settings = ChunkerSettings()
    windows = [w for c in s.chunks for w in embedding_windows(lexical_text(c), settings, header="")]
    vecs, load_s, embed_s = naive_embed(windows)
    t = time.perf_counter()
    naive_indexes([c.text for c in s.chunks], vecs)
    index_s = time.perf_counter() - t
    naive_total = tm["parse_s"] + load_s + embed_s + index_s
    naive = {"chunks": n, "parse_s": tm["parse_s"], "model_load_s": load_s, "embed_s": embed_s, "write_s": index_s,
             "total_s": naive_total, "chunks_per_s": n / naive_total}
    return {"ours": ours, "naive": naive, "index": str(idx)}


def naive_embed(windows: list[str]) -> tuple[np.ndarray, float, float]:
    """The naive stack's embedding: sentence-transformers (torch) in batches of 64; (vectors, load s, embed s)."""
    from indexer.embedding.embedder import SentenceTransformerEmbedder

    st = SentenceTransformerEmbedder()
    t = time.perf_counter()
    st.encode(["warm up"])
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    vecs = np.concatenate([st.encode(windows[i:i + 64]) for i in range(0, len(windows), 64)])
    return vecs, load_s, time.perf_counter() - t


def naive_indexes(texts: list[str], vectors: np.ndarray):
    import faiss
    from rank_bm25 import BM25Okapi

    bm25 = BM25Okapi([t.split() for t in texts]) if len(texts) <= NAIVE_BM25_MAX else None
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return bm25, flat


# --- synthetic indexes ----------------------------------------------------------
def _vary(seq: list, vocab: np.ndarray, rng) -> list:
    """A copy of `seq` with a VARY share of its items replaced by random items of `vocab`."""
    out = list(seq)
    if out:
        k = max(1, int(len(out) * VARY))
        for pos, w in zip(rng.integers(0, len(out), k).tolist(), rng.integers(0, len(vocab), k).tolist()):
            out[pos] = vocab[w]
    return out


def _noisy(base_vecs: np.ndarray, base: np.ndarray, rng) -> np.ndarray:
    """The vectors of the chunks `base` was drawn from, each plus Gaussian noise, unit length again."""
    n, dim = len(base), base_vecs.shape[1]
    vecs = np.empty((n, dim), dtype=np.float32)
    for i in range(0, n, 100_000):
        b = base[i:i + 100_000]
        x = base_vecs[b] + rng.normal(0, NOISE / np.sqrt(dim), (len(b), dim)).astype(np.float32)
        vecs[i:i + len(b)] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return vecs


def synthesize(source: Path, n: int, target: Path, seed: int = 0) -> dict:
    """Write an index of n chunks made from the source index's chunks (see the module docstring)."""
    from indexer.index.store import IndexData, IndexStore
    from indexer.records import Chunk, Document

    src = IndexStore(source).read(verify=False)
    rng = np.random.default_rng(seed)
    real = list(src.chunks)
    first_vec = {}
    for vi, ci in enumerate(np.asarray(src.vector_chunks).tolist()):
        first_vec.setdefault(ci, vi)
    base_vecs = np.asarray(src.vectors, dtype=np.float32)[[first_vec[i] for i in range(len(real))]]
    words = [c.text.split() for c in real]
    tokens = [list(t) for t in src.tokens]
    vocab_w = np.array(sorted({w for ws in words for w in ws}), dtype=object)
    vocab_t = np.array(sorted({t for ts in tokens for t in ts}), dtype=object)
    per_doc = 50
    docs_src = src.documents
    base = rng.integers(0, len(real), n)
    out = IndexData()
    for d in range((n + per_doc - 1) // per_doc):
        sd = docs_src[d % len(docs_src)]
        out.documents.append(Document.from_dict(dict(sd.to_dict(), doc_id=f"syn-{d:06d}", path=f"synthetic/{d:06d}.txt",
                                                     sha256=f"{d:064x}")))
    t = time.perf_counter()
    for i, b in enumerate(base.tolist()):
        ws = _vary(words[b], vocab_w, rng)
        ts = _vary(tokens[b], vocab_t, rng)
        c = real[b]
        text = " ".join(ws)
        out.chunks.append(Chunk(chunk_id=f"{i:016x}", doc_id=f"syn-{i // per_doc:06d}", text=text, start=0,
                                end=len(text), pages=c.pages, section=c.section, rec_no=c.rec_no, kind=c.kind))
        out.tokens.append(ts)
    out.vectors = _noisy(base_vecs, base, rng)
    out.vector_chunks = np.arange(n, dtype=np.int32)
    synth_s = time.perf_counter() - t
    from dataclasses import replace

    manifest = replace(src.manifest,
                       documents={d.doc_id: {"path": d.path, "sha256": d.sha256, "chunks": per_doc}
                                  for d in out.documents},
                       counts={"documents": len(out.documents), "chunks": n, "vectors": n, "recommendations": 0},
                       extra=dict(src.manifest.extra,
                                  synthetic={"from": str(source), "vary": VARY, "noise": NOISE, "seed": seed}))
    t = time.perf_counter()
    with IndexStore(target).lock():
        IndexStore(target).write(out, manifest)
    return {"synthesize_s": synth_s, "write_s": time.perf_counter() - t}


# --- serving (run in a subprocess per size) ----------------------------------------
def serve(index: Path, rounds: int = 2) -> dict:
    """Load the index, time warm queries per mode, then measure recall against exact search."""
    from search.retrieval.searcher import Searcher

    t = time.perf_counter()
    s = Searcher(index)
    load_s = time.perf_counter() - t
    qs = queries()
    for q in qs[:5]:
        s.search(q, mode="hybrid")  # warm: model session, caches
    lat: dict[str, list[float]] = {"bm25": [], "dense": [], "hybrid": []}
    for _ in range(rounds):
        for mode in lat:
            for q in qs:
                t = time.perf_counter()
                s.search(q, k=10, mode=mode)
                lat[mode].append(time.perf_counter() - t)
    rss = peak_rss()
    out = {"load_s": load_s, "peak_rss_bytes": rss, "dense_kind": s.dense.kind, "nlist": s.dense.nlist,
           "nprobe": s.dense.nprobe,
           "latency_ms": {m: {"p50": pct(v, 50), "p95": pct(v, 95), "n": len(v)} for m, v in lat.items()}}
    if s.dense.kind == "ivf":  # recall@10 of the IVF index against exact search over the same vectors
        import faiss

        qv = s.embedder.encode(qs)
        _, approx = s.dense.index.search(qv, 10)
        flat = faiss.IndexFlatIP(s.dense.dim)
        vecs = s.data.vectors
        for i in range(0, len(vecs), 100_000):
            flat.add(np.ascontiguousarray(vecs[i:i + 100_000], dtype=np.float32))
        _, exact = flat.search(qv, 10)
        out["recall_at_10"] = float(np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact)]))
        by_probe = {}
        for probe in sorted({max(1, s.dense.nprobe // 2), s.dense.nprobe, min(s.dense.nlist, 2 * s.dense.nprobe)}):
            s.dense.index.nprobe = probe
            t = time.perf_counter()
            _, a2 = s.dense.index.search(qv, 10)
            by_probe[probe] = {"recall_at_10": float(np.mean([len(set(a) & set(e)) / 10 for a, e in zip(a2, exact)])),
                               "ms_per_query": (time.perf_counter() - t) / len(qs) * 1000}
        out["recall_by_nprobe"] = by_probe
    else:
        out["recall_at_10"] = 1.0  # exact search
    return out


def serve_naive(index: Path) -> dict:
    """The naive stack over the same chunks, vectors and queries."""
    from indexer.embedding.embedder import SentenceTransformerEmbedder
    from indexer.index.store import IndexStore
    from search.retrieval.fusion import rrf

    t = time.perf_counter()
    data = IndexStore(index).read(verify=False)
    texts = [c.text for c in data.chunks] if len(data.chunks) <= NAIVE_BM25_MAX else []
    bm25, flat = naive_indexes(texts, np.asarray(data.vectors, dtype=np.float32)) if texts else (None, None)
    if flat is None:
        import faiss

        flat = faiss.IndexFlatIP(data.vectors.shape[1])
        for i in range(0, len(data.vectors), 100_000):
            flat.add(np.ascontiguousarray(data.vectors[i:i + 100_000], dtype=np.float32))
    st = SentenceTransformerEmbedder()
    st.encode(["warm up"])
    load_s = time.perf_counter() - t
    qs = queries()[:NAIVE_QUERIES]

    def bm25_top(q):
        sc = bm25.get_scores(q.lower().split())
        return np.argsort(-sc)[:100].tolist()

    def dense_top(q):
        _, ids = flat.search(st.encode([q]), 100)
        return ids[0].tolist()

    lat: dict[str, list[float]] = {"bm25": [], "dense": [], "hybrid": []}
    for q in qs:
        if bm25 is not None:
            t = time.perf_counter()
            bm25_top(q)
            lat["bm25"].append(time.perf_counter() - t)
        t = time.perf_counter()
        dense_top(q)
        lat["dense"].append(time.perf_counter() - t)
        if bm25 is not None:
            t = time.perf_counter()
            rrf([bm25_top(q), dense_top(q)])[:10]
            lat["hybrid"].append(time.perf_counter() - t)
    rss = peak_rss()
    return {"load_s": load_s, "peak_rss_bytes": rss, "bm25_run": bm25 is not None,
            "latency_ms": {m: {"p50": pct(v, 50), "p95": pct(v, 95), "n": len(v)} for m, v in lat.items()}}


def _subprocess(fn: str, index: Path, timeout: int = 1800) -> dict:
    from indexer.embedding.model import offline_env

    env = offline_env()
    r = subprocess.run([sys.executable, "-m", "eval.bench", f"--{fn}", str(index)], capture_output=True, text=True,
                       cwd=str(REPO), env=env, timeout=timeout)
    if r.returncode != 0:
        return {"error": r.stderr.strip().splitlines()[-1] if r.stderr.strip() else f"exit {r.returncode}"}
    return json.loads(r.stdout.strip().splitlines()[-1])


def bench_add(index: Path) -> dict:
    """Add one ~20-page document (an action plan from the corpus, under a new name) to the index."""
    from indexer.build import build_index

    with tempfile.TemporaryDirectory() as d:
        doc = Path(d) / "added-action-plan.txt"
        shutil.copy(ADD_DOC, doc)
        t = time.perf_counter()
        rep = build_index([doc], index, mode="add")
        total = time.perf_counter() - t
    return {"total_s": total, "embed_s": rep.timings["embed_s"], "without_embedding_s": total - rep.timings["embed_s"],
            "chunks_added": rep.chunks_embedded}


def cold_start(index: Path, runs: int = 3) -> dict:
    """Process start to the first printed line of `inspection-search search`, median of runs."""
    exe = Path(sys.executable).with_name("inspection-search")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "ui.cli"]
    times = []
    from indexer.embedding.model import offline_env

    env = offline_env()
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.Popen(cmd + ["search", "SPO workload", "--index", str(index), "-k", "3"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=str(REPO))
        p.stdout.readline()
        times.append(time.perf_counter() - t)
        p.communicate()
    return {"median_s": statistics.median(times), "runs_s": times}


# --- the whole run -------------------------------------------------------------
def run(sizes: list[int], work: Path, add_max: int = 200_000, say=print) -> dict:
    import platform

    result: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                "load_avg_at_start": os.getloadavg()},
                    "synthetic": {"vary": VARY, "noise": NOISE,
                                  "note": "sizes above the corpus: real chunks varied word by word, "
                                          "embeddings = real ones + Gaussian noise"},
                    "sizes": {}}
    say("build on the shipped corpus ...")
    result["build"] = bench_build(work)
    corpus_idx = Path(result["build"].pop("index"))
    say("cold start ...")
    result["cold_start"] = cold_start(corpus_idx)
    for n in sizes:
        say(f"size {n:,}: synthesizing ...")
        idx = work / f"idx-{n}"
        row: dict = {"make": synthesize(corpus_idx, n, idx)}
        row["disk_bytes"] = dir_bytes(idx)
        say(f"size {n:,}: serving (ours) ...")
        row["ours"] = _subprocess("serve", idx)
        say(f"size {n:,}: serving (naive) ...")
        row["naive"] = _subprocess("serve-naive", idx)
        if n <= add_max:
            say(f"size {n:,}: adding one document ...")
            row["add_one_document"] = bench_add(idx)
        result["sizes"][str(n)] = row
        shutil.rmtree(idx, ignore_errors=True)
    return result


def table(r: dict) -> str:
    lines = []
    b = r["build"]
    lines.append(f"machine: {r['machine']['cpus']} cpus, "
                 f"load average at start {r['machine']['load_avg_at_start'][0]:.1f}")
    lines.append(f"build, shipped corpus ({b['ours']['chunks']} chunks): ours {b['ours']['chunks_per_s']:.2f} chunks/s "
                 f"(parse {b['ours']['parse_s']:.1f} s, embed {b['ours']['embed_s']:.1f} s, "
                 f"write {b['ours']['write_s']:.2f} s); "
                 f"naive {b['naive']['chunks_per_s']:.2f} chunks/s (embed {b['naive']['embed_s']:.1f} s); "
                 f"ratio {b['ours']['chunks_per_s'] / b['naive']['chunks_per_s']:.2f}x")
    lines.append(f"cold start (inspection-search search, to first line): {r['cold_start']['median_s']:.2f} s median")
    lines.append("")
    lines.append("| size | mode | ours p50 ms | ours p95 ms | naive p50 ms | naive/ours | recall@10 | RSS ours MB "
                 "| disk MB | add 1 doc s (w/o embed) |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    for n, row in r["sizes"].items():
        o, nv = row["ours"], row["naive"]
        for mode in ("bm25", "dense", "hybrid"):
            if "error" in o:
                lines.append(f"| {int(n):,} | {mode} | error: {o['error']} |")
                break
            op50 = o["latency_ms"][mode]["p50"]
            np50 = nv.get("latency_ms", {}).get(mode, {}).get("p50", float("nan"))
            add = row.get("add_one_document")
            lines.append(
                f"| {int(n):,} | {mode} | {op50:.1f} | {o['latency_ms'][mode]['p95']:.1f} | "
                f"{'—' if np50 != np50 else f'{np50:.1f}'} | {'—' if np50 != np50 else f'{np50 / op50:.1f}x'} | "
                f"{o.get('recall_at_10', float('nan')):.3f} ({o['dense_kind']}) | {o['peak_rss_bytes'] / 2**20:.0f} | "
                f"{row['disk_bytes'] / 2**20:.0f} | "
                f"{_add_cell(add)} |")
    return "\n".join(lines)


def _add_cell(add) -> str:
    return "—" if not add else f"{add['total_s']:.1f} ({add['without_embedding_s']:.1f})"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10k,100k", help="comma-separated index sizes, e.g. 10k,100k,1m")
    p.add_argument("--json", action="store_true", help="print the JSON result instead of the table")
    p.add_argument("--out", default=None, help="also write the JSON result to this file")
    p.add_argument("--work", default=None, help="scratch directory (default: a temporary one)")
    p.add_argument("--add-max", type=int, default=200_000, help="measure adding a document up to this size")
    p.add_argument("--serve", default=None, help=argparse.SUPPRESS)
    p.add_argument("--serve-naive", default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    from indexer.embedding.model import offline

    offline()
    if args.serve:
        print(json.dumps(serve(Path(args.serve))))
        return 0
    if args.serve_naive:
        print(json.dumps(serve_naive(Path(args.serve_naive))))
        return 0
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    if any(n < 1 for n in sizes):
        raise ValueError(f"sizes must be positive, got {args.sizes!r}")
    def say(m: str) -> None:
        print(m, file=sys.stderr, flush=True)
    if args.work:
        work = Path(args.work)
        work.mkdir(parents=True, exist_ok=True)
        result = run(sizes, work, args.add_max, say)
    else:
        with tempfile.TemporaryDirectory(prefix="inspection-bench-") as d:
            result = run(sizes, Path(d), args.add_max, say)
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

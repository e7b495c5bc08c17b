"""Build throughput: ours against today's code and the naive stack, on one machine, in one run.

    python -m eval.bench_build --archive 30x40 --out build.json

Three builds of each collection, each in a fresh process and a fresh index directory
(so nothing is cached and each loads its model), timed from process start to exit:
- ours: this code, default settings (fp32), and "ours int8": this code with the int8 variant;
- today's: the code at BASELINE_REF (when issue 18 was filed), from a git worktree;
- naive: our parsing and chunks, then sentence-transformers in batches of 64, rank-bm25
  and a flat FAISS index (what a first version would do).
Collections: the shipped corpus, and an archive of generated report-like PDFs
(N documents of P pages of sentences from the corpus, headings and numbered
recommendations), with a linear estimate for 10,000 documents of 50 pages.
Then resume: our build of the archive is killed (SIGKILL) once half its passages are in
the vector cache, restarted, and its index compared file by file with the uninterrupted one.
This is a benchmark, not a test: it asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
BASELINE_REF = "8bbb354"  # main when issue 18 was filed ("today's code": int8 in batches of 4)
ESTIMATE_DOCS, ESTIMATE_PAGES = 10_000, 50

BUILD = """
import json, sys, time
t0 = float(sys.argv[3])
from indexer.build import build_index
r = build_index([sys.argv[1]], sys.argv[2])
print(json.dumps({"report": {k: v for k, v in r.__dict__.items() if k in (
    "chunks_embedded", "passages_embedded", "passages_cached", "total_chunks", "total_documents", "timings")},
    "wall_s": time.time() - t0}))
"""

NAIVE = """
import json, sys, time
t0 = float(sys.argv[3])
from indexer.text.chunker import ChunkerSettings, embedding_windows
from indexer.text.compose import lexical_text
from eval.bench import naive_embed, naive_indexes
from indexer.build.intake import NewDocument, Reader, discover
# our reading and chunking (the naive stack has to read the files too), one file after another
t = time.perf_counter()
files, _ = discover([sys.argv[1]])
reader = Reader({}, set(), False, ChunkerSettings())
chunks = [c for item in map(reader.read, files) if isinstance(item, NewDocument) for c in item.chunks]
windows = [w for c in chunks for w in embedding_windows(lexical_text(c), ChunkerSettings(), header="")]
parse_s = time.perf_counter() - t
vecs, load_s, embed_s = naive_embed(windows)
t = time.perf_counter()
naive_indexes([c.text for c in chunks], vecs)
index_s = time.perf_counter() - t
print(json.dumps({"parse_s": parse_s, "model_load_s": load_s, "embed_s": embed_s, "index_s": index_s,
                  "passages": len(windows), "chunks": len(chunks), "wall_s": time.time() - t0}))
"""


def _env(extra: dict | None = None) -> dict:
    from indexer.embedding.model import offline_env

    return offline_env({**os.environ, **(extra or {})})


def run_build(code_dir: Path, source: Path, index: Path, script: str = BUILD, timeout: int = 7200,
              env: dict | None = None) -> dict:
    """One build in a fresh process whose code is `code_dir`; the JSON line it prints, plus errors."""
    t0 = time.time()
    r = subprocess.run([sys.executable, "-c", script, str(source), str(index), repr(t0)], cwd=str(code_dir),
                       env=_env({"PYTHONPATH": str(code_dir), **(env or {})}), capture_output=True, text=True,
                       timeout=timeout)
    if r.returncode != 0:
        return {"error": (r.stderr.strip().splitlines() or [f"exit {r.returncode}"])[-1]}
    return json.loads(r.stdout.strip().splitlines()[-1])


def baseline_checkout(work: Path, ref: str = BASELINE_REF) -> Path | None:
    """Today's code in a detached git worktree (None without git history, e.g. a shallow copy)."""
    target = work / "baseline-code"
    r = subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(target), ref],
                       capture_output=True, text=True)
    return target if r.returncode == 0 else None


def remove_checkout(path: Path | None) -> None:
    if path is not None:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(path)], capture_output=True)


# --- the archive -----------------------------------------------------------------------------------

def _sentences() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))
    text = re.sub(r"<[^>]+>", " ", text)
    out = [" ".join(s.split()) for s in re.split(r"(?<=[.!?])\s+", text)]
    return [s for s in out if 40 <= len(s) <= 400]


def _latin1(s: str) -> str:
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace("–", "-").replace("—", "-")
    return s.encode("latin-1", "replace").decode("latin-1")


def make_archive(folder: Path, docs: int, pages: int, seed: int = 14) -> dict:
    """`docs` report-like PDFs of `pages` pages: headings, paragraphs of corpus sentences, a numbered
    recommendations section. Deterministic for a seed."""
    from fpdf import FPDF

    rng = random.Random(seed)
    sentences = [_latin1(s) for s in _sentences()]
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    for d in range(docs):
        pdf = FPDF()
        pdf.set_auto_page_break(True, margin=15)
        title = f"Inspection of probation services: area {d + 1}"
        for p in range(pages):
            pdf.add_page()
            pdf.set_font("Helvetica", "B", 13)
            heading = title if p == 0 else ("Recommendations" if p == pages - 1 else f"{p}. Findings, part {p}")
            pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", size=10)
            if p == pages - 1:
                for n in range(1, 9):
                    pdf.multi_cell(0, 5, f"{n}. {rng.choice(sentences)}", new_x="LMARGIN", new_y="NEXT")
                continue
            for _ in range(5):  # about a page of text
                pdf.multi_cell(0, 5, " ".join(rng.choice(sentences) for _ in range(3)), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
        (folder / f"{2010 + d % 15}-{d % 12 + 1:02d}_report_area-{d + 1:03d}.pdf").write_bytes(bytes(pdf.output()))
    return {"documents": docs, "pages": docs * pages, "make_s": time.perf_counter() - t,
            "bytes": sum(f.stat().st_size for f in folder.iterdir())}


# --- one collection ---------------------------------------------------------------------------------

def _rates(r: dict, pages: int | None) -> dict:
    if "error" in r:
        return r
    rep = r.get("report", {})
    # today's code does not count passages (its report has no such field): compare it by wall time
    passages = rep.get("passages_embedded", 0) + rep.get("passages_cached", 0) or r.get("passages")
    out = dict(r, passages=passages, passages_per_s=(passages / r["wall_s"]) if passages else None)
    if pages:
        out["pages_per_s"] = pages / r["wall_s"]
    return out


def bench_collection(name: str, source: Path, work: Path, baseline: Path | None, pages: int | None,
                     say=print) -> dict:
    row: dict = {"source": str(source), "pages": pages}
    say(f"{name}: ours ...")
    row["ours"] = _rates(run_build(REPO, source, work / f"{name}-ours"), pages)
    say(f"{name}: ours, int8 ...")
    row["ours_int8"] = _rates(run_build(REPO, source, work / f"{name}-ours-int8",
                                        env={"INSPECTION_SEARCH_MODEL_VARIANT": "int8"}), pages)
    if baseline is not None:
        say(f"{name}: today's code ({BASELINE_REF}) ...")
        row["today"] = _rates(run_build(baseline, source, work / f"{name}-today"), pages)
    say(f"{name}: naive ...")
    row["naive"] = _rates(run_build(REPO, source, work / f"{name}-naive", NAIVE), pages)
    if "error" not in row["ours"]:
        # passages of today's and the naive build are the same chunks' windows: compare by wall time
        for other in ("ours_int8", "today", "naive"):
            o = row.get(other)
            if o and "error" not in o:
                row[f"ours_vs_{other}"] = o["wall_s"] / row["ours"]["wall_s"]
    return row


def resume_at_half(source: Path, work: Path, reference: Path, expected: int, say=print) -> dict:
    """Kill our build once half of `expected` passages are cached, restart it, compare with `reference`."""
    from indexer.embedding.vector_cache import CACHE_FILE
    from indexer.index.store import DATA_FILES, IndexStore

    idx = work / "resume"
    cache = idx / CACHE_FILE
    t0 = time.time()
    p = subprocess.Popen([sys.executable, "-c", BUILD, str(source), str(idx), repr(t0)], cwd=str(REPO), env=_env(),
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    cached = 0
    while p.poll() is None:
        cached = _cache_rows(cache)
        if cached >= expected / 2:
            p.send_signal(signal.SIGKILL)
            break
        time.sleep(0.5)  # a benchmark polling for state, not a test
    p.wait()
    killed_at = time.time() - t0
    say(f"resume: killed after {killed_at:.0f} s with {cached} passages cached; restarting ...")
    again = run_build(REPO, source, idx)

    def files(i: Path) -> dict:
        store = IndexStore(i)
        m = store.verify(store.current())
        return {n: m.files[n]["sha256"] for n in DATA_FILES}

    same = files(idx) == files(reference) if "error" not in again else None
    return {"killed_after_s": killed_at, "cached_when_killed": cached, "killed": p.returncode == -signal.SIGKILL,
            "restart": again, "same_index_as_uninterrupted": same}


def _cache_rows(path: Path) -> int:
    import sqlite3

    if not path.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            return int(db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def run(archive: tuple[int, int], work: Path, say=print) -> dict:
    import platform

    result: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                "load_avg_at_start": os.getloadavg()}, "baseline_ref": BASELINE_REF}
    baseline = baseline_checkout(work)
    if baseline is None:
        result["baseline_note"] = f"no git history for {BASELINE_REF}: today's code not measured"
    try:
        result["corpus"] = bench_collection("corpus", CORPUS, work, baseline, None, say)
        docs, pages = archive
        say(f"archive: writing {docs} PDFs of {pages} pages ...")
        folder = work / "archive"
        result["archive"] = {"made": make_archive(folder, docs, pages)}
        result["archive"].update(bench_collection("archive", folder, work, baseline, docs * pages, say))
    finally:
        remove_checkout(baseline)
    ours = result["archive"]["ours"]
    if "error" not in ours:
        total_pages = ESTIMATE_DOCS * ESTIMATE_PAGES
        result["estimate"] = {"documents": ESTIMATE_DOCS, "pages": total_pages,
                              "passages": ours["passages"] / (docs * pages) * total_pages,
                              "hours_ours": total_pages / ours["pages_per_s"] / 3600}
        for other in ("today", "naive"):
            o = result["archive"].get(other)
            if o and "error" not in o:
                result["estimate"][f"hours_{other}"] = total_pages / o["pages_per_s"] / 3600
        say("resume after a kill at 50% ...")
        expected = ours["report"]["passages_embedded"]
        result["resume"] = resume_at_half(folder, work, work / "archive-ours", expected, say)
    result["machine"]["load_avg_at_end"] = os.getloadavg()
    return result


def table(r: dict) -> str:
    lines = [f"machine: {r['machine']['cpus']} cpus, load average {r['machine']['load_avg_at_start'][0]:.1f} at "
             f"start, {r['machine']['load_avg_at_end'][0]:.1f} at end; today's code = {r['baseline_ref']}",
             "", "| collection | build | wall s | passages/s | pages/s | ours is |", "|---|---|---|---|---|---|"]
    for name in ("corpus", "archive"):
        row = r.get(name, {})
        for who in ("ours", "ours_int8", "today", "naive"):
            b = row.get(who)
            if not b:
                continue
            if "error" in b:
                lines.append(f"| {name} | {who} | error: {b['error']} | | | |")
                continue
            ratio = row.get(f"ours_vs_{who}")
            pps, pgs = b.get("passages_per_s"), b.get("pages_per_s")
            lines.append(f"| {name} | {who} | {b['wall_s']:.1f} | {f'{pps:.1f}' if pps else '—'} | "
                         f"{f'{pgs:.2f}' if pgs else '—'} | {f'{ratio:.2f}x as fast' if ratio else ''} |")
    e = r.get("estimate")
    if e:
        lines.append("")
        lines.append(f"estimate for {e['documents']:,} documents of {ESTIMATE_PAGES} pages (~{e['passages']:,.0f} "
                     f"passages): ours {e['hours_ours']:.1f} h" + "".join(
                         f", {k[6:]} {v:.1f} h" for k, v in e.items() if k.startswith("hours_") and k != "hours_ours"))
    res = r.get("resume")
    if res:
        rr = res["restart"]
        rep = rr.get("report", {})
        lines.append(f"resume: killed at {res['killed_after_s']:.0f} s with {res['cached_when_killed']} passages "
                     f"cached; the restart took {rr.get('wall_s', float('nan')):.1f} s, embedded "
                     f"{rep.get('passages_embedded')} and took {rep.get('passages_cached')} from the cache; same "
                     f"index as the uninterrupted build: {res['same_index_as_uninterrupted']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.bench_build", description=__doc__.split("\n")[0])
    p.add_argument("--archive", default="30x40", help="DOCSxPAGES of the generated archive (default 30x40)")
    p.add_argument("--out", default=None, help="also write the JSON result to this file")
    p.add_argument("--work", default=None, help="scratch directory, empty or new (default: a temporary one)")
    p.add_argument("--json", action="store_true", help="print the JSON result instead of the table")
    args = p.parse_args(argv)
    docs, pages = (int(x) for x in args.archive.lower().split("x"))
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="bench-build-"))
    if args.work and work.exists() and any(work.iterdir()):
        # an index left there would make every build an update that embeds nothing
        p.error(f"--work {work}: not empty; give an empty or new directory")
    def say(m: str) -> None:
        print(m, file=sys.stderr, flush=True)
    try:
        result = run((docs, pages), work, say)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1) if args.json else table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

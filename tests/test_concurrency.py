"""Many readers and one writer (rows 22 and 31 of the test plan).

- 50 threads querying one shared Searcher get exactly the sequential answers
  (same passages, same order): the model's lock holds, nothing is shared unsafely.
- A write that builds the next generation meanwhile changes nothing for them:
  they keep reading their snapshot; a new Searcher sees the new generation.
- A second writer process waits for the lock, or gets IndexBusy.
"""
from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import CORPUS, QUERIES, REPO

from indexer.build import build_index
from indexer.index.store import IndexBusy, IndexStore
from search.retrieval.searcher import Searcher

N_THREADS = 50


def _queries(n: int = N_THREADS) -> list[str]:
    rows = [json.loads(line) for line in QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["query"] for r in rows][:n]


def _ids(hits) -> list[str]:
    return [h.chunk.chunk_id for h in hits]


def _percentile(values: list[float], p: float) -> float:
    xs = sorted(values)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def _hammer(searcher: Searcher, queries: list[str], rounds: int) -> tuple[dict[int, list[list[str]]], list[float]]:
    """Every thread runs `rounds` queries, starting together; returns ids per query and latencies."""
    barrier = threading.Barrier(len(queries))
    results: dict[int, list[list[str]]] = {i: [] for i in range(len(queries))}
    latencies: list[float] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        barrier.wait()
        for r in range(rounds):
            j = (i + r * 7) % len(queries)
            t = time.perf_counter()
            ids = _ids(searcher.search(queries[j], k=10))
            dt = time.perf_counter() - t
            with lock:
                results[j].append(ids)
                latencies.append(dt)

    with ThreadPoolExecutor(max_workers=len(queries)) as pool:
        for f in [pool.submit(worker, i) for i in range(len(queries))]:
            f.result(timeout=600)  # re-raises any error ("Already borrowed", ...) from a thread
    return results, latencies


def test_fifty_threads_get_the_sequential_answers(searcher):
    queries = _queries()
    assert len(queries) == N_THREADS
    baseline = [_ids(searcher.search(q, k=10)) for q in queries]
    results, latencies = _hammer(searcher, queries, rounds=1)
    assert sum(len(v) for v in results.values()) == N_THREADS
    for j, runs in results.items():
        for ids in runs:
            assert ids == baseline[j], f"query {j} answered differently under concurrency"
    print(f"\nin-process: {len(latencies)} concurrent queries from {N_THREADS} threads, 0 errors, "
          f"0 mismatches; latency p50 {statistics.median(latencies) * 1000:.0f} ms, "
          f"p95 {_percentile(latencies, 95) * 1000:.0f} ms")


def test_searches_keep_their_snapshot_while_a_write_builds_the_next(corpus_index, embedder, analyzer, tmp_path):
    idx = tmp_path / "idx"
    shutil.copytree(corpus_index, idx)
    old = Searcher(idx, embedder=embedder, analyzer=analyzer)
    queries = _queries(10)
    baseline = [_ids(old.search(q, k=10)) for q in queries]
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "kestrel.txt").write_text(
        "Kestrel review: the kestrel team found probation staff supervision in Kestrel region lapsed. "
        "Recommendation: restore kestrel supervision sessions monthly.", encoding="utf-8")
    report: dict = {}

    def write():
        report["r"] = build_index([CORPUS, extra], idx, embedder=embedder, analyzer=analyzer)

    writer = threading.Thread(target=write)
    writer.start()
    results, _ = _hammer(old, queries, rounds=2)
    writer.join(timeout=600)
    assert report["r"].indexed == [str(extra / "kestrel.txt")]
    for j, runs in results.items():
        assert all(ids == baseline[j] for ids in runs)
    assert old.generation != IndexStore(idx).current()  # the old snapshot was live all along
    new = Searcher(idx, embedder=embedder, analyzer=analyzer)
    assert new.generation == report["r"].generation
    assert "kestrel" in new.search("kestrel supervision", k=1)[0].chunk.text.lower()
    assert all("kestrel" not in h.chunk.text.lower() for h in old.search("kestrel supervision", k=10))


HOLD_LOCK = """
import sys
from indexer.index.store import IndexStore
with IndexStore(sys.argv[1]).lock(timeout=5):
    print("locked", flush=True)
    sys.stdin.readline()
"""


def test_a_second_writer_waits_or_gets_index_busy(tmp_path, embedder, analyzer):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Senior probation officers carried excessive workloads.", encoding="utf-8")
    idx = tmp_path / "idx"
    build_index([docs], idx, embedder=embedder, analyzer=analyzer)
    (docs / "b.txt").write_text("Trainee probation officers are recruited through PQiP.", encoding="utf-8")
    other = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(idx)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert other.stdout.readline().strip() == "locked"
        with pytest.raises(IndexBusy, match="index busy"):
            build_index([docs], idx, embedder=embedder, analyzer=analyzer, lock_timeout=0.5)
        assert IndexStore(idx).generations() == ["gen-000001"]
        # with patience the second writer waits until the first lets go, then commits once
        threading.Timer(1.0, lambda: (other.stdin.write("done\n"), other.stdin.flush())).start()
        report = build_index([docs], idx, embedder=embedder, analyzer=analyzer, lock_timeout=60)
    finally:
        other.stdin.close() if not other.stdin.closed else None
        other.wait(timeout=30)
    assert report.generation == "gen-000002" and IndexStore(idx).generations() == ["gen-000001", "gen-000002"]
    assert report.total_documents == 2


def test_fifty_queries_through_the_app_with_an_upload_during_them(corpus_index, embedder, analyzer, tmp_path):
    """End to end: 50 concurrent /search calls via gradio_client while an upload commits a new generation.
    Every answer is exactly the sequential answer of the generation it was served from."""
    from gradio_client import Client

    from indexer.uploads import ingest_upload
    from ui.app import build_app, launch_app

    idx = tmp_path / "idx"
    shutil.copytree(corpus_index, idx)
    queries = _queries()
    old = Searcher(idx, embedder=embedder, analyzer=analyzer)
    expected = {old.generation: [_ids(old.search(q, k=10)) for q in queries]}
    demo = build_app(idx, uploads_dir=tmp_path / "uploads", embedder=embedder, analyzer=analyzer, warm=False)
    holder = demo.inspection_holder
    launch_app(demo, port=None, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(demo.local_url, verbose=False, download_files=False)
        client.predict(queries[0], "hybrid", "any", 0, 0, "any", 10, api_name="/search")  # warm the path
        uploaded: dict = {}

        def upload():
            uploaded["r"] = ingest_upload(
                b"Kestrel review: supervision of probation staff in the Kestrel region had lapsed; "
                b"the recommendation is to restore monthly supervision sessions.\n",
                "kestrel review.txt", tmp_path / "uploads", idx, embedder=embedder, analyzer=analyzer)
            holder.reload()

        started = {}
        jobs = []
        for j, q in enumerate(queries):
            started[j] = time.perf_counter()
            jobs.append(client.submit(q, "hybrid", "any", 0, 0, "any", 10, api_name="/search"))
        writer = threading.Thread(target=upload)
        latencies, served = [], {}
        for j, job in enumerate(jobs):
            _, payload = job.result(timeout=600)
            if j == 2:  # the first answers are back: commit the upload while the rest are served
                writer.start()
            latencies.append(time.perf_counter() - started[j])
            assert "error" not in payload, payload
            served[j] = (payload["generation"], [h["chunk_id"] for h in payload["hits"]])
        writer.join(timeout=600)
    finally:
        demo.close()
    assert uploaded["r"].indexed
    new = holder.get()
    assert new.generation == uploaded["r"].generation != old.generation
    expected[new.generation] = [_ids(new.search(q, k=10)) for q in queries]
    for j, (gen, ids) in served.items():
        assert gen in expected and ids == expected[gen][j], f"query {j} was not answered whole from {gen}"
    by_gen = {g: sum(1 for gen, _ in served.values() if gen == g) for g in expected}
    print(f"\napp: {len(jobs)} concurrent /search calls with one upload during them, 0 errors, 0 mismatches "
          f"(served from old generation {by_gen[old.generation]}x, new {by_gen[new.generation]}x); "
          f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {_percentile(latencies, 95) * 1000:.0f} ms")

"""The index survives faults: every Nth I/O failing, crashes at each commit step, SIGKILL at random,
damaged files, a deleted folder, another model or format (rows 16, 18-21 of the test plan).

After each fault the store opens, verifies, and holds exactly the old document
set or exactly the new one, never a mix. The fault loops run hundreds of
commits, so they use a deterministic stand-in embedder with its own identity;
the corruption and model tests use the real model.

Run as a script, this file is the parent of the writer processes the crash
tests kill (see `_writer_main`).
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # when run as the writer script
    sys.path.insert(0, str(REPO))

from indexer import fsio  # noqa: E402
from indexer.index.store import DATA_FILES, IncompatibleIndex, IndexCorrupt, IndexNotFound, IndexStore  # noqa: E402


class StandInEmbedder:
    """Deterministic and fast: words hashed into a normalised 384-d vector. Its own identity, so an
    index it builds can never be mistaken for one built with the real model."""

    DIM = 384

    def identity(self) -> dict:
        return {"name": "test/stand-in-hash-embedder", "package": "tests", "weights_sha256": "stand-in",
                "dim": self.DIM, "max_seq_length": 256, "normalize": True}

    def encode(self, texts) -> np.ndarray:
        out = np.zeros((len(texts), self.DIM), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"\w+", t.lower()):
                h = int.from_bytes(hashlib.blake2b(w.encode(), digest_size=8).digest(), "little")
                out[i, h % self.DIM] += 1.0 if (h >> 32) & 1 else -1.0
            n = np.linalg.norm(out[i])
            out[i] = out[i] / n if n else out[i]
            if not n:
                out[i, 0] = 1.0
        return out


DOC_A = """Senior probation officer workloads

Inspectors found that senior probation officers (SPOs) carried excessive workloads and had too
little time for management oversight of cases. Staff supervision was irregular in most teams.
"""
DOC_A2 = DOC_A + """
Update: the region has since appointed additional SPOs and supervision is now monthly.
"""
DOC_B = """Recruitment and retention

The workforce strategy sets out plans to recruit trainee probation officers through the PQiP
programme and to improve retention by reviewing pay and career pathways.
"""
DOC_C = """Estates

Approved premises need investment; several buildings were found to be in poor repair and unsafe.
"""


def write_docs(folder: Path, docs: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        if old.name not in docs:
            old.unlink()
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def signature(index_dir: Path, model: dict) -> tuple:
    """What the live generation holds: documents, chunks, terms and vectors, compared whole."""
    data = IndexStore(index_dir).read(model=model)
    return (tuple(sorted((d.doc_id, d.sha256) for d in data.documents)),
            tuple(c.chunk_id for c in data.chunks),
            json.dumps([list(t) for t in data.tokens]),
            hashlib.sha256(data.vectors.tobytes()).hexdigest())


def temporaries(index_dir: Path) -> list[str]:
    return [p.name for p in index_dir.iterdir() if p.name.startswith(".tmp-gen-")] if index_dir.exists() else []


# --- the writer process ------------------------------------------------------

def _writer_main() -> int:
    """A warmed-up parent that forks one writer per command, so each crash costs milliseconds.

    Commands on stdin, one a line; answers on stdout:
      crash STEP INDEX DOCS   fork a writer that commits DOCS with the crash env var set to STEP;
                              answer "exit <code>" when it has died
      loop INDEX A B          fork a writer that alternates commits of A and B (bounded);
                              answer "pid <pid>" at once, then "exit <code>" when it has died
    """
    import tempfile

    from indexer.build import build_index

    emb = StandInEmbedder()
    warm = Path(tempfile.mkdtemp(prefix="warm-"))  # load the analyzer, tokenizer and splitter once
    build_index([write_docs(warm / "docs", {"a.txt": DOC_A})], warm / "idx", embedder=emb)
    shutil.rmtree(warm)
    print("ready", flush=True)
    for line in sys.stdin:
        cmd, *args = line.split()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                if cmd == "crash":
                    os.environ[fsio.CRASH_ENV] = args[0]
                    build_index([args[2]], args[1], embedder=emb)
                elif cmd == "loop":
                    for i in range(200):
                        build_index([args[2] if i % 2 == 0 else args[1]], args[0], embedder=emb)
            except BaseException:
                code = 1
            os._exit(code)
        if cmd == "loop":
            print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        print(f"exit {code}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_writer_main())


# --- tests --------------------------------------------------------------------
import pytest  # noqa: E402

from indexer.build import build_index  # noqa: E402

FSIO_CALLS = ("write_bytes", "fsync", "fsync_dir", "mkdir", "rename", "replace", "remove_tree")


@pytest.fixture(scope="module")
def standin():
    return StandInEmbedder()


@pytest.fixture(scope="module")
def fault_setup(tmp_path_factory, standin, analyzer):
    """An index of {A, C} (three generations, so the commit under test also prunes), the docs folder changed to
    {A2, B}, and the signatures of the old and the new index."""
    root = tmp_path_factory.mktemp("faults")
    docs = write_docs(root / "docs", {"a.txt": DOC_A, "c.txt": DOC_C})
    base = root / "base"
    build_index([docs], base, embedder=standin, analyzer=analyzer)
    for visit in ("A second visit found repairs under way.", "A third visit found the repairs done."):
        write_docs(docs, {"a.txt": DOC_A, "c.txt": DOC_C + f"\n{visit}\n"})
        build_index([docs], base, embedder=standin, analyzer=analyzer)
    assert len(IndexStore(base).generations()) == 3  # the next commit prunes one
    old = signature(base, standin.identity())
    write_docs(docs, {"a.txt": DOC_A2, "b.txt": DOC_B})
    clean = root / "clean"
    shutil.copytree(base, clean)
    build_index([docs], clean, embedder=standin, analyzer=analyzer)
    new = signature(clean, standin.identity())
    assert old != new
    return {"root": root, "docs": docs, "base": base, "old": old, "new": new}


def _count_fsio_calls(monkeypatch, fail_at: int | None) -> list[str]:
    calls: list[str] = []

    def wrap(name, real):
        def f(*a, **k):
            calls.append(name)
            if fail_at is not None and len(calls) - 1 == fail_at:
                raise OSError(errno.ENOSPC, f"injected: no space left on device (call {fail_at}: {name})")
            return real(*a, **k)
        return f

    for name in FSIO_CALLS:
        monkeypatch.setattr(fsio, name, wrap(name, getattr(fsio, name)))
    return calls


@pytest.mark.slow
def test_failing_the_nth_io_call_leaves_the_old_or_the_new_index(fault_setup, standin, analyzer, monkeypatch):
    """SQLite's ioerr.test, here: for every N, the Nth fsio call of a commit raises ENOSPC."""
    s = fault_setup
    model = standin.identity()
    probe = s["root"] / "probe"
    shutil.copytree(s["base"], probe)
    with monkeypatch.context() as m:
        calls = _count_fsio_calls(m, None)
        build_index([s["docs"]], probe, embedder=standin, analyzer=analyzer)
    total = len(calls)
    assert total >= 15 and {"write_bytes", "fsync", "fsync_dir", "rename", "replace"} <= set(calls)

    commit = max(i for i, c in enumerate(calls) if c == "replace")
    outcomes = {"old": 0, "new": 0}
    for n in range(total):
        idx = s["root"] / f"n{n:03d}"
        shutil.copytree(s["base"], idx)
        with monkeypatch.context() as m:
            _count_fsio_calls(m, n)
            try:
                build_index([s["docs"]], idx, embedder=standin, analyzer=analyzer)
                failed = False
            except OSError as e:
                assert e.errno == errno.ENOSPC
                failed = True
        assert failed, f"the fault at call {n} of {total} was swallowed"
        got = signature(idx, model)  # opens, verifies every checksum, loads
        assert got in (s["old"], s["new"]), f"fault at call {n} ({calls[n]}) left a mixed index"
        # the commit point is the rename of CURRENT: a fault up to and at it keeps the old index
        assert got == (s["new"] if n > commit else s["old"]), f"fault at call {n} ({calls[n]})"
        outcomes["old" if got == s["old"] else "new"] += 1
        assert IndexStore(idx).read(model=model).warnings == []
        # the next write cleans up whatever the failed one left and commits the new set
        build_index([s["docs"]], idx, embedder=standin, analyzer=analyzer)
        assert temporaries(idx) == [] and signature(idx, model) == s["new"]
        shutil.rmtree(idx)
    assert outcomes["new"] >= 3  # the directory fsync after the rename, pruning
    print(f"\nNth-I/O faults: {total} injected, {outcomes['old']} left the old index, "
          f"{outcomes['new']} the new one, 0 mixed")


@pytest.fixture(scope="module")
def writers():
    """The forking writer parent (one per module); yields a function sending one command."""
    env = dict(os.environ, PYTHONPATH=str(REPO), HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    env.pop(fsio.CRASH_ENV, None)
    p = subprocess.Popen([sys.executable, str(Path(__file__))], env=env, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True, bufsize=1)
    assert p.stdout.readline().strip() == "ready"

    def send(*words) -> None:
        p.stdin.write(" ".join(map(str, words)) + "\n")
        p.stdin.flush()

    def answer() -> list[str]:
        return p.stdout.readline().split()

    yield send, answer
    p.stdin.close()
    p.wait(timeout=30)


CRASH_STEPS = [f"after_{name}" for name in DATA_FILES] + ["after_manifest", "after_rename_gen", "after_current"]


def test_a_crash_at_each_commit_step_leaves_the_old_or_the_new_index(fault_setup, standin, analyzer, writers):
    s = fault_setup
    send, answer = writers
    model = standin.identity()
    for step in CRASH_STEPS:
        idx = s["root"] / f"crash-{step}"
        shutil.copytree(s["base"], idx)
        send("crash", step, idx, s["docs"])
        assert answer() == ["exit", "137"], f"the writer did not die at {step}"
        expected = s["new"] if step == "after_current" else s["old"]
        assert signature(idx, model) == expected, step
        assert IndexStore(idx).read(model=model).warnings == []
    # a crash before the rename leaves a temporary generation; the next writer removes it
    idx = s["root"] / "crash-after_manifest"
    assert temporaries(idx)
    build_index([s["docs"]], idx, embedder=standin, analyzer=analyzer)
    assert temporaries(idx) == [] and signature(idx, model) == s["new"]
    print(f"\ncrash points survived: {len(CRASH_STEPS)} ({', '.join(CRASH_STEPS)})")


@pytest.mark.slow
def test_sigkill_at_random_times_during_writes(standin, analyzer, writers, tmp_path):
    send, answer = writers
    model = standin.identity()
    a = write_docs(tmp_path / "a", {"a.txt": DOC_A, "c.txt": DOC_C})
    b = write_docs(tmp_path / "b", {"a.txt": DOC_A2, "b.txt": DOC_B, "c.txt": DOC_C})
    idx = tmp_path / "idx"
    build_index([a], idx, embedder=standin, analyzer=analyzer)
    sig_a = signature(idx, model)
    probe = tmp_path / "probe"
    shutil.copytree(idx, probe)
    build_index([b], probe, embedder=standin, analyzer=analyzer)
    sig_b = signature(probe, model)
    rng = random.Random(20240611)
    kills = 12
    held = {"a": 0, "b": 0}
    for i in range(kills):
        send("loop", idx, a, b)
        word, pid = answer()
        time.sleep(rng.uniform(0.0, 0.6))
        os.kill(int(pid), signal.SIGKILL)
        assert answer() == ["exit", str(-signal.SIGKILL)], "the writer finished before it was killed"
        got = signature(idx, model)
        assert got in (sig_a, sig_b), f"kill {i} left a mixed index"
        assert IndexStore(idx).read(model=model).warnings == []
        held["a" if got == sig_a else "b"] += 1
    build_index([a], idx, embedder=standin, analyzer=analyzer)
    assert temporaries(idx) == [] and signature(idx, model) == sig_a
    print(f"\nSIGKILLs during writes survived: {kills} (left set A {held['a']}x, set B {held['b']}x)")


# --- damaged files, fallback, model and format checks (real model) -------------

QUERIES = ["SPO workload and management oversight", "recruitment of trainee probation officers",
           "approved premises repairs"]


@pytest.fixture(scope="module")
def two_generations(tmp_path_factory, embedder, analyzer):
    """A real-model index with gen 1 = {A, C} and gen 2 = {A, B, C}, and gen 1's search results."""
    from search.retrieval.searcher import Searcher

    root = tmp_path_factory.mktemp("corrupt")
    docs = write_docs(root / "docs", {"a.txt": DOC_A, "c.txt": DOC_C})
    idx = root / "idx"
    build_index([docs], idx, embedder=embedder, analyzer=analyzer)
    s1 = Searcher(idx, embedder=embedder, analyzer=analyzer)
    gen1 = s1.generation
    results1 = {q: [h.chunk.chunk_id for h in s1.search(q, k=5)] for q in QUERIES}
    write_docs(docs, {"a.txt": DOC_A, "b.txt": DOC_B, "c.txt": DOC_C})
    build_index([docs], idx, embedder=embedder, analyzer=analyzer)
    gen2 = IndexStore(idx).current()
    assert gen2 != gen1
    return {"root": root, "idx": idx, "gen1": gen1, "gen2": gen2, "results1": results1}


def _flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-5] ^= 0x01  # inside the vector data: numpy and FAISS would load it without complaint
    path.write_bytes(bytes(data))


DAMAGE = {
    "flipped byte in vectors.npy": lambda g: _flip_byte(g / "vectors.npy"),
    "truncated vectors.npy": lambda g: (g / "vectors.npy").write_bytes((g / "vectors.npy").read_bytes()[:200]),
    "truncated manifest.json": lambda g: (g / "manifest.json").write_bytes((g / "manifest.json").read_bytes()[:40]),
    "missing chunks.jsonl": lambda g: (g / "chunks.jsonl").unlink(),
    "CURRENT names a missing generation": lambda g: shutil.rmtree(g),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_generation_falls_back_to_the_previous_verified_one(two_generations, embedder, analyzer,
                                                                   tmp_path, damage):
    from search.retrieval.searcher import Searcher

    t = two_generations
    idx = tmp_path / "idx"
    shutil.copytree(t["idx"], idx)
    DAMAGE[damage](idx / t["gen2"])
    s = Searcher(idx, embedder=embedder, analyzer=analyzer)
    assert s.generation == t["gen1"]
    assert any(f"fell back to generation {t['gen1']}" in w for w in s.warnings), s.warnings
    assert any(t["gen2"] in w for w in s.warnings[:-1]), s.warnings  # the alert names what was skipped
    assert {q: [h.chunk.chunk_id for h in s.search(q, k=5)] for q in QUERIES} == t["results1"]


def test_no_generation_verifies_is_a_clear_error(two_generations, embedder, tmp_path):
    t = two_generations
    idx = tmp_path / "idx"
    shutil.copytree(t["idx"], idx)
    for gen in (t["gen1"], t["gen2"]):
        _flip_byte(idx / gen / "vectors.npy")
    with pytest.raises(IndexCorrupt, match=r"no generation verifies.*rebuild it: inspection-search index --rebuild"):
        IndexStore(idx).read(model=embedder.identity())


def _edit_manifest(gen_dir: Path, **changes) -> None:
    m = json.loads((gen_dir / "manifest.json").read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key.startswith("model_"):
            m["model"][key[len("model_"):]] = value
        else:
            m[key] = value
    (gen_dir / "manifest.json").write_text(json.dumps(m), encoding="utf-8")


@pytest.mark.parametrize("change", [
    {"model_name": "sentence-transformers/all-mpnet-base-v2"},
    {"model_weights_sha256": "0" * 64},  # same name, other revision
    {"model_dim": 768},
    {"model_normalize": False},
    {"model_max_seq_length": 512},  # the upstream revision that moved 256 -> 512
])
def test_index_from_another_model_is_refused_without_fallback(two_generations, embedder, analyzer, tmp_path,
                                                              change):
    from search.retrieval.searcher import Searcher

    t = two_generations
    idx = tmp_path / "idx"
    shutil.copytree(t["idx"], idx)
    _edit_manifest(idx / t["gen2"], **change)  # gen 1 is intact and compatible, yet must not be used
    with pytest.raises(IncompatibleIndex, match="rebuild it"):
        Searcher(idx, embedder=embedder, analyzer=analyzer)


def test_failing_canary_is_refused(two_generations, embedder, analyzer, tmp_path):
    from indexer.embedding.model import CANARY_TEXT
    from search.retrieval.searcher import Searcher

    t = two_generations
    idx = tmp_path / "idx"
    shutil.copytree(t["idx"], idx)
    # vectors from a model that drifted a little: cosine about 0.98 with what the running model gives
    v = embedder.encode([CANARY_TEXT])[0]
    noise = np.random.default_rng(0).normal(size=v.shape).astype(np.float32)
    drifted = v + 0.2 * noise / np.linalg.norm(noise)
    drifted /= np.linalg.norm(drifted)
    assert 0.95 < float(v @ drifted) < 0.999
    _edit_manifest(idx / t["gen2"], model_canary=[float(x) for x in drifted])
    s = Searcher(idx, embedder=embedder, analyzer=analyzer)
    with pytest.raises(IncompatibleIndex, match="canary"):
        s.search("SPO workload")
    assert s.generation == t["gen2"]  # refused, not quietly answered from an older generation


@pytest.mark.parametrize("delta,hint", [(1, "upgrade inspection-search"), (-1, "rebuild it")])
def test_format_version_one_off_gets_a_clear_message(two_generations, embedder, tmp_path, delta, hint):
    from indexer.index.store import FORMAT_VERSION

    t = two_generations
    idx = tmp_path / "idx"
    shutil.copytree(t["idx"], idx)
    _edit_manifest(idx / t["gen2"], format_version=FORMAT_VERSION + delta)
    with pytest.raises(IncompatibleIndex, match=rf"format version {FORMAT_VERSION + delta}.*{hint}"):
        IndexStore(idx).read(model=embedder.identity())


def test_index_folder_deleted_at_start_and_while_running(two_generations, embedder, analyzer, tmp_path):
    from search.retrieval.searcher import Searcher

    t = two_generations
    idx = tmp_path / "idx"
    shutil.copytree(t["idx"], idx)
    s = Searcher(idx, embedder=embedder, analyzer=analyzer)
    before = [h.chunk.chunk_id for h in s.search(QUERIES[0], k=5)]
    shutil.rmtree(idx)
    # while running: the in-memory snapshot keeps answering
    assert [h.chunk.chunk_id for h in s.search(QUERIES[0], k=5)] == before
    # at start-up: one clear line saying what to do
    with pytest.raises(IndexNotFound, match="no index here yet; build one"):
        Searcher(idx, embedder=embedder, analyzer=analyzer)
    # the next write recreates the folder from the documents
    report = build_index([t["root"] / "docs"], idx, embedder=embedder, analyzer=analyzer)
    assert report.total_documents == 3 and IndexStore(idx).current() == "gen-000001"
    assert [h.chunk.chunk_id for h in Searcher(idx, embedder=embedder, analyzer=analyzer).search(QUERIES[0], k=5)]

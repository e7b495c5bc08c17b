"""Resumable builds: the vector cache beside the index (indexer/vector_cache.py) and the windowed,
windowed, pipelined embedding of indexer/embed_pipeline.py."""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import threading

import numpy as np
import pytest
from conftest import CORPUS, REPO

from indexer import fsio
from indexer.build import build_index
from indexer.build.embed import WINDOW_ENV
from indexer.embedding.vector_cache import CACHE_FILE, VectorCache, text_key
from indexer.index.store import DATA_FILES, IndexStore

WINDOW = 8  # passages per embedding window here: the two plans below make 7 windows
PLANS = ("2022-06_action-plan_essex-north-northamptonshire.txt",
         "2025-02_action-plan_recruitment-training-retention.txt")


@pytest.fixture
def plans(tmp_path):
    """Two of the shipped documents (a test embeds them several times: the whole corpus would be slow)."""
    folder = tmp_path / "plans"
    folder.mkdir()
    for name in PLANS:
        shutil.copy(CORPUS / name, folder / name)
    return folder


def _generation_files(idx):
    """Every data file of the live generation, by name: (bytes, sha256) from its verified manifest."""
    store = IndexStore(idx)
    m = store.verify(store.current())
    return {name: (m.files[name]["bytes"], m.files[name]["sha256"]) for name in DATA_FILES}


@pytest.fixture
def small_windows(monkeypatch):
    monkeypatch.setenv(WINDOW_ENV, str(WINDOW))


BUILD = """
import sys
from indexer.build import build_index
build_index([sys.argv[1]], sys.argv[2])
"""


def test_a_build_killed_half_way_resumes_to_the_same_index_embedding_only_what_was_missing(
        tmp_path, plans, embedder, analyzer, small_windows):
    from indexer.embedding.model import offline_env

    corpus = plans
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    # the build dies abruptly (os._exit, no clean-up) right after its 4th window of 7 is committed
    env = offline_env({**__import__("os").environ, fsio.CRASH_ENV: "after_window_4", WINDOW_ENV: str(WINDOW)})
    r = subprocess.run([sys.executable, "-c", BUILD, str(corpus), str(killed)], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 137, r.stderr[-2000:]
    assert not IndexStore(killed).exists(), "nothing was committed to the index"
    saved = VectorCache(killed / CACHE_FILE, embedder.identity(), 384).count()  # distinct texts of 6 windows

    resumed = build_index([corpus], killed, embedder=embedder, analyzer=analyzer)
    uninterrupted = build_index([corpus], whole, embedder=embedder, analyzer=analyzer)
    distinct = uninterrupted.passages_embedded  # a text met twice is embedded once
    assert 0.4 < saved / distinct < 0.7, (saved, distinct)  # killed about half way
    assert resumed.passages_embedded == distinct - saved  # only what was missing
    total = uninterrupted.passages_embedded + uninterrupted.passages_cached
    assert resumed.passages_cached >= 4 * WINDOW and resumed.passages_embedded + resumed.passages_cached == total
    assert _generation_files(killed) == _generation_files(whole)  # file by file, byte for byte


def test_rebuild_re_embeds_nothing_the_cache_holds_and_no_cache_embeds_everything(tmp_path, plans, embedder,
                                                                                  analyzer):
    idx = tmp_path / "idx"
    first = build_index([plans], idx, embedder=embedder, analyzer=analyzer)
    total = first.passages_embedded + first.passages_cached
    again = build_index([plans], idx, embedder=embedder, analyzer=analyzer, rebuild=True)
    assert again.passages_embedded == 0 and again.passages_cached == total
    assert again.generation == "gen-000002"
    gen1, gen2 = (np.load(idx / g / "vectors.npy") for g in ("gen-000001", "gen-000002"))
    assert np.array_equal(gen1, gen2)
    plain = build_index([plans], tmp_path / "plain", embedder=embedder, analyzer=analyzer, no_cache=True)
    assert plain.passages_embedded == total and not (tmp_path / "plain" / CACHE_FILE).exists()


def test_a_glossary_change_re_embeds_only_the_passages_whose_text_changed(tmp_path, plans, embedder):
    from indexer.text.analyzer import Analyzer
    from indexer.text.chunker import ChunkerSettings
    from indexer.text.compose import windows as passage_windows
    from search.retrieval.searcher import Searcher

    glossary = tmp_path / "glossary.tsv"
    glossary.write_text((REPO / "corpus" / "glossary.tsv").read_text(encoding="utf-8"), encoding="utf-8")
    before = Analyzer.default(glossary)
    idx = tmp_path / "idx"
    build_index([plans], idx, embedder=embedder, analyzer=before)
    with glossary.open("a", encoding="utf-8") as f:
        f.write("CBF\tcompetency framework for staff\n")  # one passage of the 2022 plan says "CBF"
    after = Analyzer.default(glossary)
    s = Searcher(idx, embedder=embedder, analyzer=before)
    windows = [w for c in s.chunks for w in passage_windows(c, ChunkerSettings(), s.docs[c.doc_id].title)]
    new_texts = {after.spell_out(w) for w in windows} - {before.spell_out(w) for w in windows}
    assert 0 < len(new_texts) <= 3
    report = build_index([plans], idx, embedder=embedder, analyzer=after)
    assert report.passages_embedded == len(new_texts)
    assert report.passages_cached + report.passages_embedded == len(windows)


def test_a_damaged_cache_row_is_treated_as_missing(tmp_path, embedder):
    cache = VectorCache(tmp_path / CACHE_FILE, embedder.identity(), 384)
    texts = ["Senior probation officers' workloads", "Unpaid work placements"]
    vecs = embedder.encode(texts)
    cache.put([text_key(t) for t in texts], vecs)
    cache.close()
    db = sqlite3.connect(str(tmp_path / CACHE_FILE))
    blob = bytearray(db.execute("SELECT vec FROM vectors WHERE key = ?", (text_key(texts[0]),)).fetchone()[0])
    blob[10] ^= 0xFF
    db.execute("UPDATE vectors SET vec = ? WHERE key = ?", (bytes(blob), text_key(texts[0])))
    db.commit()
    db.close()
    with VectorCache(tmp_path / CACHE_FILE, embedder.identity(), 384) as cache:
        got = cache.get([text_key(t) for t in texts])
        assert set(got) == {text_key(texts[1])} and np.array_equal(got[text_key(texts[1])], vecs[1])
        assert cache.count() == 1  # the damaged row is gone


def test_the_cache_is_bounded_keeping_the_most_recently_used(tmp_path):
    identity = {"name": "m", "dim": 4}
    per_row = 4 * 4 + 96
    with VectorCache(tmp_path / CACHE_FILE, identity, 4, max_bytes=per_row * 10) as cache:
        keys = [text_key(str(i)) for i in range(25)]
        for i in range(0, 25, 5):
            cache.put(keys[i:i + 5], np.full((5, 4), i, dtype=np.float32))
        cache.get(keys[:5])  # used again: the most recent now
        assert cache.trim() == 15 and cache.count() == 10
        assert set(cache.get(keys)) == set(keys[:5]) | set(keys[20:])


def test_another_models_vectors_are_never_returned(tmp_path):
    with VectorCache(tmp_path / CACHE_FILE, {"name": "a", "dim": 4}, 4) as a:
        a.put([text_key("x")], np.ones((1, 4), dtype=np.float32))
    with VectorCache(tmp_path / CACHE_FILE, {"name": "b", "dim": 4}, 4) as b:
        assert b.get([text_key("x")]) == {}


def test_readers_see_only_committed_windows_while_a_writer_adds(tmp_path):
    identity = {"name": "m", "dim": 8}
    writer = VectorCache(tmp_path / CACHE_FILE, identity, 8)
    writer.put([text_key("seed")], np.zeros((1, 8), dtype=np.float32))
    errors, sizes = [], []
    done = threading.Event()

    def read():
        with VectorCache(tmp_path / CACHE_FILE, identity, 8) as reader:
            while not done.is_set():
                try:
                    n = reader.count()
                    sizes.append(n)
                    assert n % 50 == 1  # whole windows only
                except Exception as e:  # noqa: BLE001
                    errors.append(e)
                    return

    threads = [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    for w in range(20):
        keys = [text_key(f"{w}-{i}") for i in range(50)]
        writer.put(keys, np.random.default_rng(w).random((50, 8), dtype=np.float32))
    done.set()
    for t in threads:
        t.join(timeout=120)
    writer.close()
    assert not errors and sizes and max(sizes) <= 1001


@pytest.mark.slow
def test_index_json_reports_what_came_from_the_cache(tmp_path, plans, capsys, small_windows):
    from ui.cli import main

    idx = tmp_path / "idx"
    assert main(["index", str(plans), "--index", str(idx), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["index", str(plans), "--index", str(idx), "--rebuild", "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    total = first["passages_embedded"] + first["passages_cached"]
    assert second["passages_cached"] == total and second["passages_embedded"] == 0
    assert {"parse_s", "embed_s", "read_and_embed_s", "write_s", "total_s"} <= set(second["timings"])

"""One text, one vector: a vector depends on its text and the model variant alone (not on the texts embedded
beside it, their lengths, or which lane ran it), and int8 is a model of its own. Real model, real files."""
from __future__ import annotations

import random

import numpy as np
import pytest

from indexer.build import build_index
from indexer.embedding.embedder import default_embedder
from indexer.index.model_of import build_embedder, embedder_for_index, index_variant
from indexer.embedding.model import VARIANT_ENV
from indexer.embedding.onnx_embedder import OnnxEmbedder, onnx_path, token_ids
from indexer.errors import IncompatibleIndex
from indexer.index.store import IndexStore
from search.retrieval.searcher import Searcher
from tests.test_index import DOCS, write_folder

pytestmark = pytest.mark.model  # the real model, loaded directly

# int8 vectors against fp32 on the shipped corpus's passages, measured here: mean 0.993, min 0.987
# (docs/performance.md); a floor below that, far above what a broken quantisation gives (one scale per
# matrix: mean 0.95, min 0.93)
INT8_MEAN_COSINE_FLOOR = 0.99
INT8_MIN_COSINE_FLOOR = 0.98


@pytest.fixture(scope="module")
def fp32():
    return default_embedder("fp32")


@pytest.fixture(scope="module")
def int8():
    return default_embedder("int8")


@pytest.fixture(scope="module")
def int8_index(tmp_path_factory, int8):
    index_dir = tmp_path_factory.mktemp("int8") / "index"
    report = build_index([write_folder(tmp_path_factory.mktemp("docs"))], index_dir, embedder=int8)
    assert report.total_documents == len(DOCS)
    return index_dir


def _texts(searcher) -> list[str]:
    """Passages of the corpus (cut to keep the test fast) and short texts: many lengths, and ties."""
    texts = [c.text[:400] for c in list(searcher.chunks)[:40]]
    return texts + [f"Recommendation {i}: review SPO workloads." for i in range(6)] + ["x", "SPO", "PQiP recruitment"]


def _mixed_batches(n: int, seed: int) -> list[list[int]]:
    """The rows 0..n-1 shuffled and cut into batches of 1 to 7: long texts beside short ones."""
    rows, rnd, out = list(range(n)), random.Random(seed), []
    rnd.shuffle(rows)
    while rows:
        k = rnd.randint(1, 7)
        out.append(rows[:k])
        rows = rows[k:]
    return out


@pytest.mark.parametrize("variant", ["fp32", "int8"])
def test_a_text_gets_the_same_bytes_alone_in_any_batch_and_in_any_lane(searcher, variant):
    """Tolerance: none. The same float32 bytes whatever the batch, its lengths, the lane or the process."""
    texts = _texts(searcher)
    lengths = [len(s) for s in token_ids(texts)]
    assert max(lengths) > 4 * min(lengths) and len(set(lengths)) < len(lengths)  # mixed lengths, and ties
    alone = np.stack([default_embedder(variant).encode([t])[0] for t in texts])
    for seed, lanes in ((1, 1), (2, 2), (3, 4)):
        emb = OnnxEmbedder(variant=variant, lanes=lanes)  # new sessions, as in a resumed build's new process
        batched = np.empty_like(alone)
        for rows in _mixed_batches(len(texts), seed):
            batched[rows] = emb.encode([texts[i] for i in rows])
        differ = [i for i in range(len(texts)) if batched[i].tobytes() != alone[i].tobytes()]
        assert not differ, (variant, lanes, [texts[i][:40] for i in differ], float(np.abs(batched - alone).max()))
    assert default_embedder(variant).encode(texts).tobytes() == alone.tobytes()  # one call of all of them


def test_a_query_gets_the_vector_of_the_identical_passage(searcher):
    """The point of it: a passage's text asked as a query meets its own stored vector, byte for byte."""
    from indexer.text.chunker import ChunkerSettings
    from indexer.text.compose import windows as passage_windows

    settings = ChunkerSettings()
    checked = 0
    for row, chunk in enumerate(searcher.chunks):
        windows = passage_windows(chunk, settings, searcher.docs[chunk.doc_id].title)
        if len(windows) != 1 or chunk.kind != "recommendation":
            continue
        (vec_row,) = np.flatnonzero(searcher.data.vector_chunks == row)
        assert searcher.embed_query(windows[0]).tobytes() == searcher.data.vectors[vec_row].tobytes()
        checked += 1
    assert checked >= 20


def test_int8_vectors_stay_close_to_fp32_on_the_corpus_passages(searcher, fp32, int8):
    texts = [c.text for c in searcher.chunks]
    cos = np.sum(int8.encode(texts) * fp32.encode(texts), axis=1)
    assert cos.mean() >= INT8_MEAN_COSINE_FLOOR and cos.min() >= INT8_MIN_COSINE_FLOOR, (cos.mean(), cos.min())
    assert cos.min() < 0.9999  # and it is another model: not the fp32 vectors under another name


def test_int8_is_its_own_identity_and_its_file_sits_beside_the_fp32_one(fp32, int8):
    a, b = fp32.identity(), int8.identity()
    assert (a["variant"], b["variant"]) == ("fp32", "int8")
    assert {k: v for k, v in a.items() if k not in ("variant", "numeric")} == \
        {k: v for k, v in b.items() if k not in ("variant", "numeric")}
    assert "7-bit" in b["numeric"]["scheme"] and a["numeric"]["runtime"] == b["numeric"]["runtime"]
    assert "cpu" in b["numeric"] and "cpu" not in a["numeric"]  # int8 depends on the CPU, fp32 does not
    assert onnx_path("int8").parent == onnx_path("fp32").parent and onnx_path("int8").exists()


class _OtherCpu:
    """The int8 embedder as another CPU would present it: the same scheme and runtime, another canary digest."""

    def __init__(self, inner):
        self.inner = inner

    def identity(self):
        ident = self.inner.identity()
        return dict(ident, numeric=dict(ident["numeric"], cpu="0" * 16))

    def encode(self, texts):
        return self.inner.encode(texts)


def test_an_index_from_another_numeric_path_is_refused_with_one_line(int8_index, int8, tmp_path):
    with pytest.raises(IncompatibleIndex, match=r"int8 model on a CPU that computes it differently.*--rebuild.*fp32"):
        Searcher(int8_index, embedder=_OtherCpu(int8))
    # an index written before vectors were computed one text at a time has no numeric path
    import json
    import shutil

    old = tmp_path / "old"
    shutil.copytree(int8_index, old)
    store = IndexStore(old)
    manifest_path = old / store.current() / "manifest.json"
    m = json.loads(manifest_path.read_text())
    m["model"].pop("numeric")
    manifest_path.write_text(json.dumps(m))
    with pytest.raises(IncompatibleIndex, match=r"one text at a time.*index --rebuild"):
        Searcher(old, embedder=int8)


def test_an_int8_index_is_refused_by_fp32_with_how_to_fix_it(int8_index, fp32):
    fix = r"int8 variant.*uses fp32.*--model-variant int8.*INSPECTION_SEARCH_MODEL_VARIANT=int8.*--rebuild"
    with pytest.raises(IncompatibleIndex, match=fix):
        Searcher(int8_index, embedder=fp32)
    with pytest.raises(IncompatibleIndex, match=fix):  # nor can fp32 vectors be added to it
        build_index([write_folder(int8_index.parent / "more", {"d.txt": "Estates repairs."})], int8_index,
                    embedder=fp32, mode="add")


def test_a_searcher_left_to_choose_embeds_with_the_index_variant(int8_index, monkeypatch):
    monkeypatch.setenv(VARIANT_ENV, "fp32")  # the setting is for building; the index decides for searching
    s = Searcher(int8_index)
    assert s.embedder.identity()["variant"] == "int8" and s.embedder is embedder_for_index(int8_index)
    hits = s.search("SPO workload review", k=2)  # the query embedded by int8: the canary check passes
    assert hits and hits[0].document.path.endswith("a.txt")
    assert s.embedder.identity() == {k: v for k, v in IndexStore(int8_index).read().manifest.model.items()
                                     if k != "canary"}


def test_a_build_keeps_the_index_variant_unless_one_is_asked_for(int8_index, tmp_path, monkeypatch):
    monkeypatch.delenv(VARIANT_ENV, raising=False)
    assert index_variant(int8_index) == "int8" and index_variant(tmp_path / "none") is None
    assert build_embedder(int8_index).identity()["variant"] == "int8"  # an update never switches model
    assert build_embedder(int8_index, "fp32").identity()["variant"] == "fp32"
    monkeypatch.setenv(VARIANT_ENV, "fp32")
    assert build_embedder(int8_index).identity()["variant"] == "fp32"
    monkeypatch.setenv(VARIANT_ENV, "int4")
    with pytest.raises(ValueError, match="fp32, int8, not 'int4'"):
        build_embedder(tmp_path / "none")


def test_index_command_takes_the_variant_and_says_how_to_fix_a_mismatch(int8_index, tmp_path, capsys, monkeypatch):
    from ui.cli import main

    monkeypatch.delenv(VARIANT_ENV, raising=False)
    folder = write_folder(tmp_path / "docs")
    target = tmp_path / "index"
    assert main(["index", str(folder), "--index", str(target), "--model-variant", "int8"]) == 0
    assert "model int8" in capsys.readouterr().out and index_variant(target) == "int8"
    assert main(["index", str(folder), "--index", str(target), "--model-variant", "fp32"]) == 2
    assert "--rebuild --model-variant fp32" in capsys.readouterr().err

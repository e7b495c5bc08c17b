"""The int8 variant is a model of its own, and batching by length never changes a vector: real model, real files."""
from __future__ import annotations

import numpy as np
import pytest

from indexer.build import build_index
from indexer.embedder import build_embedder, default_embedder, embedder_for_index, index_variant
from indexer.errors import IncompatibleIndex
from indexer.model import VARIANT_ENV
from indexer.onnx_embedder import OnnxEmbedder, length_order, onnx_path, token_ids
from indexer.store import IndexStore
from search.searcher import Searcher
from tests.test_index import DOCS, write_folder

# int8 vectors against fp32 on the shipped corpus's passages, measured here: mean 0.994, min 0.988
# (docs/performance.md, "Embedding throughput"); a floor below that, far above what a broken quantisation
# gives (one scale per matrix: mean 0.95, min 0.93)
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


def _texts_with_ties(searcher) -> list[str]:
    """Passages of the corpus (more than one batch), cut short to keep the test fast, with many equal lengths."""
    texts = [c.text[:240] for c in list(searcher.chunks)[:60]]
    return texts + [f"Recommendation {i}: review SPO workloads." for i in range(12)]


@pytest.mark.parametrize("variant", ["fp32", "int8"])
def test_the_same_texts_always_give_the_same_float32_bytes(searcher, variant):
    texts = _texts_with_ties(searcher)
    seqs = token_ids(texts)
    lengths = [len(s) for s in seqs]
    assert len(set(lengths)) < len(lengths)  # ties in length: their order must not depend on chance
    first = default_embedder(variant).encode(texts)
    again = default_embedder(variant).encode(texts)
    fresh = OnnxEmbedder(variant=variant).encode(texts)  # new sessions, as in a resumed build's new process
    assert first.tobytes() == again.tobytes() == fresh.tobytes()
    order = length_order(seqs)
    assert [lengths[i] for i in order] == sorted(lengths, reverse=True)
    assert all(order[i] < order[i + 1] for i in range(len(order) - 1) if lengths[order[i]] == lengths[order[i + 1]])


@pytest.mark.parametrize("variant", ["fp32", "int8"])
def test_lanes_give_the_bytes_of_one_session(searcher, variant):
    """A build runs batches on one-thread sessions side by side; which lane runs a batch changes nothing."""
    texts = _texts_with_ties(searcher)
    lanes = OnnxEmbedder(variant=variant)
    assert len(lanes.lanes()) == min(4, __import__("os").cpu_count() or 1)
    one = OnnxEmbedder(variant=variant, threads=2)  # one session of two threads runs every batch
    assert len(one.lanes()) == 1
    assert lanes.encode(texts).tobytes() == one.encode(texts).tobytes()


def test_int8_vectors_stay_close_to_fp32_on_the_corpus_passages(searcher, fp32, int8):
    texts = [c.text for c in searcher.chunks]
    cos = np.sum(int8.encode(texts) * fp32.encode(texts), axis=1)
    assert cos.mean() >= INT8_MEAN_COSINE_FLOOR and cos.min() >= INT8_MIN_COSINE_FLOOR, (cos.mean(), cos.min())
    assert cos.min() < 0.9999  # and it is another model: not the fp32 vectors under another name


def test_int8_is_its_own_identity_and_its_file_sits_beside_the_fp32_one(fp32, int8):
    a, b = fp32.identity(), int8.identity()
    assert (a["variant"], b["variant"]) == ("fp32", "int8")
    assert {k: v for k, v in a.items() if k != "variant"} == {k: v for k, v in b.items() if k != "variant"}
    assert onnx_path("int8").parent == onnx_path("fp32").parent and onnx_path("int8").exists()


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

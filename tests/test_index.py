"""The on-disk index: incremental updates, skipped files, mismatches — real model, real files."""
from __future__ import annotations

import json
import shutil

import pytest

from indexer.build import build_index
from indexer.embedding.model import DIM
from indexer.index.store import FORMAT_VERSION, IncompatibleIndex, IndexStore
from search.retrieval.searcher import Searcher

DOCS = {
    "a.txt": "Senior probation officers carry heavy workloads.\n\nThe SPO role needs review.",
    "b.md": "# Estates\n\nProbation offices need repairs and better facilities management.",
    "c.txt": "Recruitment of trainee probation officers through PQiP grew in 2020.",
}


def write_folder(folder, docs=DOCS):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


class CountingEmbedder:
    """The real model, counting what it is asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.texts = 0

    def identity(self):
        return self.inner.identity()

    def encode(self, texts):
        self.texts += len(texts)
        return self.inner.encode(texts)


def test_unchanged_reindex_embeds_nothing_and_changes_embed_only_the_changed(tmp_path, embedder):
    folder = write_folder(tmp_path / "docs")
    idx = tmp_path / "idx"
    counting = CountingEmbedder(embedder)
    r1 = build_index([folder], idx, embedder=counting)
    assert len(r1.indexed) == 3 and r1.chunks_embedded >= 3
    gen1 = r1.generation

    counting.texts = 0
    r2 = build_index([folder], idx, embedder=counting)
    assert counting.texts == 0 and r2.chunks_embedded == 0
    assert len(r2.unchanged) == 3 and r2.generation == gen1

    (folder / "b.md").write_text("# Estates\n\nThe estate needs investment.", encoding="utf-8")
    (folder / "d.txt").write_text("Vetting of new staff should be expedited.", encoding="utf-8")
    counting.texts = 0
    r3 = build_index([folder], idx, embedder=counting)
    assert sorted(p.split("/")[-1] for p in r3.indexed) == ["b.md", "d.txt"]
    assert len(r3.unchanged) == 2
    assert r3.chunks_embedded == 2 and counting.texts == 2 + 1  # two chunks plus the manifest canary

    (folder / "c.txt").unlink()
    r4 = build_index([folder], idx, embedder=counting)
    assert [p.split("/")[-1] for p in r4.removed] == ["c.txt"]
    s = Searcher(idx, embedder=embedder)
    assert {d.path.split("/")[-1] for d in s.docs.values()} == {"a.txt", "b.md", "d.txt"}
    assert all("PQiP" not in h.chunk.text for h in s.search("PQiP recruitment", k=10))
    # vectors still line up with their chunks after carrying old ones over
    top = s.search("estate investment", k=1, mode="dense")[0]
    assert "investment" in top.chunk.text


def test_unreadable_file_is_skipped_with_its_reason_while_the_rest_index(tmp_path, embedder):
    folder = write_folder(tmp_path / "docs")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n")
    r = build_index([folder], tmp_path / "idx", embedder=embedder)
    reasons = {p.split("/")[-1]: why for p, why in r.skipped}
    assert set(reasons) == {"empty.txt", "broken.pdf", "photo.png"}
    assert "empty" in reasons["empty.txt"]
    assert "PDF" in reasons["broken.pdf"]
    assert "unsupported file type" in reasons["photo.png"]
    assert r.total_documents == 3


def test_model_mismatch_stops_with_a_clear_error(tmp_path, embedder):
    idx = tmp_path / "idx"
    build_index([write_folder(tmp_path / "docs")], idx, embedder=embedder)
    store = IndexStore(idx)
    gen = store.current()
    manifest = json.loads((idx / gen / "manifest.json").read_text())
    other = dict(embedder.identity(), name="some/other-model", weights_sha256="0" * 64)
    with pytest.raises(IncompatibleIndex, match=r"other-model.*rebuild it: inspection-search index --rebuild"):
        store.read(model=other)
    # a format from the future is refused, not misread
    manifest["format_version"] = FORMAT_VERSION + 1
    (idx / gen / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IncompatibleIndex, match="format version"):
        Searcher(idx, embedder=embedder, verify=False)


def test_rebuild_after_mismatch_works(tmp_path, embedder):
    idx = tmp_path / "idx"
    folder = write_folder(tmp_path / "docs")
    build_index([folder], idx, embedder=embedder)
    r = build_index([folder], idx, embedder=embedder, rebuild=True)
    assert len(r.indexed) == 3
    assert len(IndexStore(idx).generations()) == 2


def test_index_directory_holds_a_manifest_describing_the_build(corpus_index):
    store = IndexStore(corpus_index)
    m = store.read_manifest(store.current())
    assert m.format_version == FORMAT_VERSION and m.generation == store.current()
    assert m.model["name"] == "sentence-transformers/all-MiniLM-L6-v2" and m.model["dim"] == DIM
    assert len(m.canary) == DIM
    assert m.analyzer["stemmer"] and m.analyzer["glossary_sha256"]
    assert set(m.documents) and all(len(v["sha256"]) == 64 and v["chunks"] > 0 for v in m.documents.values())
    assert m.counts["chunks"] == sum(v["chunks"] for v in m.documents.values())


def test_corpus_metadata_comes_from_the_manifest_and_the_text(searcher):
    docs = {d.doc_id: d for d in searcher.docs.values()}
    p2020 = docs["2020-03-action-plan-central-functions-nps"]
    assert ((p2020.doc_type, p2020.date, p2020.year, p2020.report_date)
            == ("action_plan", "2020-03-04", 2020, "2020-01-14"))
    deck = docs["2025-01-presentation-recruitment-training-retention"]
    assert deck.doc_type == "presentation" and deck.year == 2025


def test_inference_without_a_manifest_says_where_each_field_came_from(tmp_path, embedder):
    from conftest import CORPUS

    folder = tmp_path / "nomanifest"
    folder.mkdir()
    for name in ("2020-03_action-plan_central-functions-nps.txt", "2020_strategy_probation-workforce-strategy.txt"):
        shutil.copy(CORPUS / name, folder / name)
    build_index([folder], tmp_path / "idx", embedder=embedder)
    docs = {d.path.split("/")[-1]: d for d in Searcher(tmp_path / "idx", embedder=embedder).docs.values()}
    plan = docs["2020-03_action-plan_central-functions-nps.txt"]
    assert plan.doc_type == "action_plan" and plan.date == "2020-03-04" and plan.report_date == "2020-01-14"
    assert "Central Functions" in plan.title
    assert plan.provenance == {"title": "text: A Response to", "doc_type": "text",
                               "date": "text: Action Plan Submitted", "report_date": "text: Report Published"}
    strategy = docs["2020_strategy_probation-workforce-strategy.txt"]
    # the text states no date: the file name's year is the only hint, and the document says so
    assert strategy.date == "2020" and strategy.year == 2020 and strategy.provenance["date"] == "file name"
    assert strategy.doc_type == "strategy" and strategy.provenance["doc_type"] == "text"


def test_adding_to_a_lazily_read_index_carries_old_chunks_over_verbatim(tmp_path, embedder, monkeypatch):
    """Large indexes are read lazily, and an add copies the old chunk lines as stored (fast path)."""
    import indexer.index.store as store_mod

    monkeypatch.setattr(store_mod, "MMAP_ABOVE", 0)  # read this small index the way a large one is read
    folder = write_folder(tmp_path / "docs")
    idx = tmp_path / "idx"
    build_index([folder], idx, embedder=embedder)
    store = IndexStore(idx)
    before = (idx / store.current() / "chunks.jsonl").read_text().splitlines()
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "e.txt").write_text("Expedite the vetting of new staff as a matter of urgency.", encoding="utf-8")
    build_index([extra], idx, embedder=embedder, mode="add")
    after = (idx / store.current() / "chunks.jsonl").read_text().splitlines()
    assert set(before) < set(after) and len(after) == len(before) + 1
    s = Searcher(idx, embedder=embedder)
    assert hasattr(s.data.chunks, "raw")  # the lazy path really ran
    # every carried-over vector still belongs to its own chunk
    for q, word in [("vetting of new staff", "vetting"), ("facilities management repairs", "facilities"),
                    ("trainee probation officers PQiP", "PQiP")]:
        assert word in s.search(q, k=1, mode="dense")[0].chunk.text

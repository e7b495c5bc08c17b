"""What is known about each document and where it came from; corrections and removals that survive
re-indexing; the same document arriving as another file (`index` and uploads)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS
from layout_printers import print_plan, print_report
from layouts import CASE_ADMIN_PLAN, LOWMOOR

from indexer.build import build_index
from indexer.documents import correct_document, list_documents, remove_document, restore_document
from indexer.errors import BadInput
from indexer.index.store import IndexStore


@pytest.fixture()
def folder(tmp_path) -> Path:
    """Two shipped plans (with their manifest rows) and a report PDF whose date is only on its cover."""
    f = tmp_path / "docs"
    f.mkdir()
    for name in ("2025-02_action-plan_recruitment-training-retention.txt",
                 "2022-06_action-plan_essex-north-northamptonshire.txt"):
        shutil.copy(CORPUS / name, f / name)
    rows = [ln for ln in (CORPUS / "manifest.csv").read_text(encoding="utf-8").splitlines()
            if ln.startswith(("file,", "2025-02", "2022-06"))]
    (f / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (f / LOWMOOR.file).write_bytes(print_report(LOWMOOR)[0])
    return f


def _docs(idx):
    return {Path(d.path).name: d for d in IndexStore(idx).read().documents}


def test_list_shows_each_field_and_where_it_came_from(folder, tmp_path, embedder):
    idx = tmp_path / "idx"
    build_index([folder], idx, embedder=embedder)
    infos = {i.doc.file_name: i for i in list_documents(idx)}
    report = infos[LOWMOOR.file]
    assert report.doc.provenance == {"title": "cover", "doc_type": "text", "publisher": "text", "date": "cover"}
    assert report.records == 6 and report.chunks > 0 and report.correction is None
    plan = infos["2025-02_action-plan_recruitment-training-retention.txt"]
    assert plan.doc.provenance["date"] == "manifest" and plan.records == 8
    assert plan.to_json()["provenance"]["title"] == "manifest"


def test_a_correction_survives_re_indexing_and_a_rebuild(folder, tmp_path, embedder):
    idx = tmp_path / "idx"
    build_index([folder], idx, embedder=embedder)
    doc = _docs(idx)[LOWMOOR.file]
    correction, report = correct_document(idx, doc.doc_id, date="2025-10-01", title="Lowmoor PDU inspection",
                                          by="A. Inspector", embedder=embedder)
    assert correction.fields == {"date": "2025-10-01", "title": "Lowmoor PDU inspection"}
    assert report.generation and (idx / "corrections.json").exists()

    def check():
        d = _docs(idx)[LOWMOOR.file]
        assert (d.date, d.year, d.title) == ("2025-10-01", 2025, "Lowmoor PDU inspection")
        assert d.provenance["date"] == d.provenance["title"] == "correction"
        recs = [r for r in IndexStore(idx).read().recommendations if r.doc_id == d.doc_id]
        assert recs and all(r.date == "2025-10-01" for r in recs)  # the records take the corrected date

    check()
    assert build_index([folder], idx, embedder=embedder).indexed == []  # unchanged: nothing re-read
    check()
    build_index([folder], idx, embedder=embedder, rebuild=True)
    check()
    correct_document(idx, doc.doc_id, date="", title="", embedder=embedder)  # "" drops a correction
    d = _docs(idx)[LOWMOOR.file]
    assert (d.date, d.provenance["date"], d.title) == ("2025-09", "cover", LOWMOOR.title)
    with pytest.raises(BadInput, match="YYYY, YYYY-MM or YYYY-MM-DD"):
        correct_document(idx, doc.doc_id, date="June 2026", embedder=embedder)
    with pytest.raises(BadInput, match="no indexed document"):
        correct_document(idx, "nothing-like-it", date="2026", embedder=embedder)


def test_a_removed_document_stays_out_until_restored(folder, tmp_path, embedder):
    idx = tmp_path / "idx"
    build_index([folder], idx, embedder=embedder)
    before = IndexStore(idx).current()
    report = remove_document(idx, LOWMOOR.file, by="A. Inspector", embedder=embedder)
    assert report.generation != before and [Path(p).name for p in report.removed] == [LOWMOOR.file]
    assert LOWMOOR.file not in _docs(idx)
    again = build_index([folder], idx, embedder=embedder)
    assert LOWMOOR.file not in _docs(idx)
    reason = next(r for p, r in again.skipped if Path(p).name == LOWMOOR.file)
    assert "removed from the index" in reason and "documents restore" in reason
    restore_document(idx, "lowmoor-pdu-inspection", embedder=embedder)
    assert _docs(idx)[LOWMOOR.file].date == "2025-09"


def test_the_documents_command(folder, tmp_path, embedder, capsys):
    from ui.cli import main

    idx = tmp_path / "idx"
    build_index([folder], idx, embedder=embedder)
    assert main(["documents", "list", "--json", "--index", str(idx)]) == 0
    listed = {d["name"]: d for d in json.loads(capsys.readouterr().out)["documents"]}
    assert listed[LOWMOOR.file]["provenance"]["date"] == "cover"
    assert main(["documents", "set", "lowmoor", "--type", "action_plan", "--date", "2026-06", "--index", str(idx)]) == 0
    assert "doc_type action_plan" in capsys.readouterr().out
    assert main(["documents", "list", "--index", str(idx)]) == 0
    assert "type action_plan [correction], date 2026-06 [correction]" in capsys.readouterr().out
    assert main(["documents", "set", "lowmoor", "--date", "06/2026", "--index", str(idx)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "YYYY-MM" in err
    from ui.audit import AuditLog

    # each change audited, the refused one too (its outcome says why)
    done = [(e.action, e.what.get("outcome", "")) for e in AuditLog.for_index(idx).entries()]
    assert done[0] == ("correct", "done") and done[1][0] == "correct" and "YYYY-MM" in done[1][1], done


def test_the_same_plan_in_another_format_is_another_file_of_it(tmp_path, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "plan.docx").write_bytes(print_plan(CASE_ADMIN_PLAN, "docx")[0])
    idx = tmp_path / "idx"
    build_index([folder], idx, embedder=embedder)
    n_recs = len(IndexStore(idx).read().recommendations)
    (folder / "plan-printed.pdf").write_bytes(print_plan(CASE_ADMIN_PLAN, "pdf")[0])
    report = build_index([folder], idx, embedder=embedder)
    data = IndexStore(idx).read()
    assert len(data.recommendations) == n_recs == 4 and report.chunks_embedded == 0
    same = [(Path(p).name, title) for p, _, title in report.same_document]
    assert same == [("plan-printed.pdf", CASE_ADMIN_PLAN.title)]
    infos = list_documents(idx)
    assert len(infos) == 1 and infos[0].files == ("plan.docx", "plan-printed.pdf")
    # the first file gone, the other one is the document now
    (folder / "plan.docx").unlink()
    build_index([folder], idx, embedder=embedder)
    data = IndexStore(idx).read()
    assert [Path(d.path).name for d in data.documents] == ["plan-printed.pdf"] and not data.documents[0].same_as
    assert len(data.recommendations) == 4


def test_an_upload_of_an_indexed_plan_in_another_format_says_so(tmp_path, embedder, analyzer):
    from indexer.uploads import ingest_upload

    idx, uploads = tmp_path / "idx", tmp_path / "uploads"
    first = ingest_upload(print_plan(CASE_ADMIN_PLAN, "docx")[0], "2025-04 case admin plan.docx", uploads, idx,
                          embedder=embedder, analyzer=analyzer)
    assert first.indexed and first.chunks > 0
    doc = next(iter(_docs(idx).values()))
    # the upload's own name is kept (not its stored name), and is only a hint: the title is the document's
    assert doc.file_name == "2025-04 case admin plan.docx" and doc.title == CASE_ADMIN_PLAN.title
    second = ingest_upload(print_plan(CASE_ADMIN_PLAN, "pdf")[0], "case admin plan (print).pdf", uploads, idx,
                           embedder=embedder, analyzer=analyzer)
    assert second.indexed and second.chunks == 0
    assert second.message == (f"“case admin plan (print).pdf” is the same document as “{CASE_ADMIN_PLAN.title}”, "
                              "already indexed: kept as another file of it (no new passages or recommendations)")
    assert len(IndexStore(idx).read().recommendations) == 4

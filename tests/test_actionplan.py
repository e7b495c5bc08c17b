"""Action-plan tables become one chunk per recommendation row (shipped corpus)."""
from __future__ import annotations

from conftest import CORPUS

from indexer.extract.actionplan import parse_action_plan
from indexer.readers import read_file
from indexer.text.chunker import chunk_document

PLAN_2025 = CORPUS / "2025-02_action-plan_recruitment-training-retention.txt"
PLAN_2020 = CORPUS / "2020-03_action-plan_central-functions-nps.txt"
PLAN_2022 = CORPUS / "2022-06_action-plan_essex-north-northamptonshire.txt"


def test_every_2025_row_is_its_own_chunk_with_its_number():
    doc = chunk_document("p2025", read_file(PLAN_2025))
    recs = [c for c in doc.chunks if c.kind == "recommendation"]
    assert [c.rec_no for c in recs] == list(range(1, 9))
    assert len({c.chunk_id for c in recs}) == 8
    by_no = {c.rec_no: c for c in recs}
    assert "pay and benefits adequately reflect the responsibilities" in by_no[1].text
    assert by_no[1].text.startswith("Ministry of Justice should:")
    assert "Status: Partly Agreed" in by_no[1].text
    # row 4 breaks across a page: its recommendation text is merged back together
    assert ("provide regions with user friendly workforce planning tools which provide a consistent national"
            in by_no[4].text)
    assert by_no[4].text.startswith("His Majesty's Prison and Probation Service should:")
    # no recommendation text leaks into a free-text chunk
    others = " ".join(c.text for c in doc.chunks if c.kind != "recommendation")
    assert "adequately reflect the responsibilities of the role" not in others


def test_2025_plan_matches_its_own_totals():
    plan = parse_action_plan(read_file(PLAN_2025))
    assert plan.totals == {"Agreed": 5, "Partly Agreed": 3, "Not Agreed": 0, "Total": 8}
    assert plan.warnings == []


def test_rows_continued_across_page_breaks_are_merged():
    plan = parse_action_plan(read_file(PLAN_2020))
    rows = {r.number: r for r in plan.rows}
    assert len(plan.rows) == 24 and sorted(rows) == list(range(1, 25))
    assert rows[2].text == ("Hold the providers of corporate services to account for the services they deliver "
                            "to probation")
    assert rows[8].text.startswith("Review the role of the Senior Probation Officer")
    assert rows[15].repaired and rows[15].printed_number == "5"
    assert rows[22].addressee == "The Ministry of Justice should:"
    assert rows[4].section == "Staff"


def test_chunk_offsets_point_into_the_source():
    ex = read_file(PLAN_2022)
    doc = chunk_document("p2022", ex)
    for c in doc.chunks:
        assert 0 <= c.start < c.end <= len(ex.text)
    row17 = next(c for c in doc.chunks if c.rec_no == 17)
    assert "Consider how SPO workloads are measured" in ex.text[row17.start:row17.end]

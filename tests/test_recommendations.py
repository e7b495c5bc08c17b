"""Recommendation records of the shipped corpus, their filters, CSV export and the CLI."""
from __future__ import annotations

import csv
import json
from collections import Counter

import pytest
from conftest import CORPUS

from indexer.extract.actionplan import parse_action_plan
from indexer.readers import read_file, read_text_bytes
from search.records.catalogue import list_recommendations, recommendations_csv
from search.records.view import records_view

PLAN_2025 = CORPUS / "2025-02_action-plan_recruitment-training-retention.txt"


def _by_year(searcher, year):
    recs = list_recommendations(records_view(searcher), year_from=year, year_to=year, doc_type="action_plan")
    return {r.number: r for r in recs}


def test_2025_records_match_the_plans_own_totals(searcher):
    recs = list(_by_year(searcher, 2025).values())
    totals = parse_action_plan(read_file(PLAN_2025)).totals
    assert totals == {"Agreed": 5, "Partly Agreed": 3, "Not Agreed": 0, "Total": 8}
    counted = Counter(r.status for r in recs)
    assert len(recs) == totals["Total"]
    for status in ("Agreed", "Partly Agreed", "Not Agreed"):
        assert counted.get(status, 0) == totals[status], status
    assert sorted(r.number for r in recs) == list(range(1, 9))


def test_a_plan_whose_rows_disagree_with_its_totals_is_warned_about():
    text = read_file(PLAN_2025).text.replace("Agreed\t5", "Agreed\t6", 1)
    plan = parse_action_plan(read_text_bytes(text.encode(), "plan.txt"))
    assert plan.totals["Agreed"] == 6
    assert any("states 6 Agreed, extracted 5" in w for w in plan.warnings)


def test_2020_has_all_24_with_the_misnumbered_row_repaired(searcher):
    recs = _by_year(searcher, 2020)
    assert sorted(recs) == list(range(1, 25))
    r15 = recs[15]
    assert r15.repaired and r15.printed_number == "5"
    assert r15.text == "Increase opportunities for service user feedback"
    assert any("repaired to 15" in n for n in r15.notes)
    assert [n for n, r in recs.items() if r.repaired] == [15]
    assert recs[5].printed_number == "5" and not recs[5].repaired


def test_2022_records_carry_their_pdu_scope_and_lost_rows_are_marked(searcher):
    recs = _by_year(searcher, 2022)
    assert sorted(recs) == list(range(1, 19))
    essex = {n for n, r in recs.items() if r.scope == "for Essex North PDU"}
    northants = {n for n, r in recs.items() if r.scope == "for Northamptonshire PDU"}
    assert essex == {10, 11, 13, 14, 15}
    # 5-9 sit under the heading "Northamptonshire PDU should:" (7 too, though its text was lost);
    # 12 and 16-18 say "(for Northamptonshire PDU)" in the recommendation cell
    assert northants == {5, 6, 7, 8, 9, 12, 16, 17, 18}
    # 1-4 came before any heading that survived extraction: their scope is unknown, not guessed
    assert all(recs[n].scope is None for n in (1, 2, 3, 4))
    assert all("(for" not in r.text for r in recs.values())
    incomplete = {n for n, r in recs.items() if r.incomplete}
    assert incomplete == {1, 3, 7}
    for n in incomplete:  # lost text stays empty: never invented
        assert recs[n].text == "" and recs[n].status is None and recs[n].notes


@pytest.mark.parametrize("kwargs,expected", [
    ({"status": "partly agreed"}, {(2020, 3), (2020, 7), (2020, 17), (2020, 22), (2025, 1), (2025, 4), (2025, 6)}),
    ({"status": "unknown"}, {(2022, 1), (2022, 3), (2022, 7)}),
    ({"status": "Not Agreed"}, set()),
    ({"addressee": "ministry of justice", "year_to": 2020}, {(2020, 22), (2020, 23), (2020, 24)}),
    ({"text": "SPO workload"}, {(2020, 8), (2022, 17)}),
    ({"text": "workload measurement tool"}, {(2020, 7), (2022, 16)}),
])
def test_filters(searcher, kwargs, expected):
    got = {(r.year, r.number) for r in list_recommendations(records_view(searcher), doc_type="action_plan", **kwargs)}
    assert got == expected


def test_filters_combine_and_keep_date_order(searcher):
    recs = list_recommendations(records_view(searcher), status="Agreed", year_from=2022, addressee="Northamptonshire")
    assert recs and all(r.status == "Agreed" and r.year >= 2022 for r in recs)
    assert all("northamptonshire" in f"{r.addressee} {r.scope}".lower() for r in recs)
    everything = list_recommendations(records_view(searcher))
    assert len(everything) == 24 + 18 + 8 + 8  # the three plans' rows and the slide deck's eight
    keys = [(r.date, r.number or 0, r.ordinal) for r in everything]
    assert keys == sorted(keys)


@pytest.mark.parametrize("kwargs,message", [
    ({"status": "maybe"}, "status must be one of"),
    ({"year_from": 2025, "year_to": 2020}, "after year-to"),
])
def test_bad_filters_say_what_is_wrong(searcher, kwargs, message):
    with pytest.raises(ValueError, match=message):
        list_recommendations(records_view(searcher), **kwargs)


def test_csv_round_trip(searcher, tmp_path):
    recs = list_recommendations(records_view(searcher), year_from=2022)
    path = tmp_path / "recs.csv"
    recommendations_csv(recs, path)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(recs)
    for row, r in zip(rows, recs):
        assert row["rec_id"] == r.rec_id and row["text"] == r.text
        assert row["owners"] == "; ".join(r.owners)
        assert row["status"] == (r.status or "")
        assert row["incomplete"] == str(r.incomplete)


def test_cli_lists_filters_and_exports(corpus_index, tmp_path, capsys):
    from ui.cli import main

    assert main(["recommendations", "--index", str(corpus_index), "--text", "SPO workload"]) == 0
    out = capsys.readouterr().out
    assert "Review the role of the Senior Probation Officer" in out
    assert "Consider how SPO workloads are measured" in out
    assert "recommendation 8" in out and "2 recommendations." in out

    assert main(["recommendations", "--index", str(corpus_index), "--year-from", "2025", "--doc-type",
                 "action_plan", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 8 and {r["number"] for r in data["recommendations"]} == set(range(1, 9))
    assert all(r["citation"].startswith("Action plan:") for r in data["recommendations"])

    target = tmp_path / "out.csv"
    assert main(["recommendations", "--index", str(corpus_index), "--status", "unknown", "--csv", str(target)]) == 0
    assert len(list(csv.DictReader(open(target, encoding="utf-8")))) == 3

    assert main(["recommendations", "--index", str(corpus_index), "--status", "maybe"]) == 2
    assert "status must be one of" in capsys.readouterr().err

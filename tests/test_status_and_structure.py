"""The small rules issue 20 rests on, each checked directly: status cells in either vocabulary,
addressees and units, list numbering, page furniture and contents lines, fingerprints of documents."""
from __future__ import annotations

import pytest

from indexer.extract.addressee import addressee_heading, addressee_name, heading_scope, same_unit, unit_of
from indexer.extract.fingerprint import fingerprint, likeness, same_document
from indexer.extract.numbering import follows, integer, marker_key
from indexer.extract.status import exact_status, parse_status_cell, status_filter
from indexer.readers.layout import contents_indexes, furniture_indexes
from indexer.records import Block


@pytest.mark.parametrize("cell,want", [
    ("Agreed", ("Agreed", "Agreed", "Agreed", None)),
    ("AGREED", ("Agreed", "Agreed", "AGREED", None)),
    ("Partly  agreed.", ("Partly Agreed", "Partly Agreed", "Partly agreed", None)),
    ("Partially Agreed - the region will lead", ("Partly Agreed", "Partly Agreed", "Partially Agreed",
                                                 "the region will lead")),
    ("Agreed Formal governance routes to be considered", ("Agreed", "Agreed", "Agreed",
                                                          "Formal governance routes to be considered")),
    ("Not Agreed\nThe service is commissioned nationally", ("Not Agreed", "Not Agreed", "Not Agreed",
                                                            "The service is commissioned nationally")),
    ("Accepted", ("Agreed", "Accepted", "Accepted", None)),
    ("Partly Accepted The maximum span of control", ("Partly Agreed", "Partly accepted", "Partly Accepted",
                                                     "The maximum span of control")),
    ("Not accepted: no budget", ("Not Agreed", "Not accepted", "Not accepted", "no budget")),
    ("Rejected", ("Not Agreed", "Rejected", "Rejected", None)),
])
def test_a_status_cell_gives_the_status_its_term_as_printed_and_a_note(cell, want):
    got = parse_status_cell(cell)
    assert (got.status, got.term, got.printed, got.note) == want


@pytest.mark.parametrize("cell", ["Agreed/ Partly Agreed/ Not Agreed", "Accepted / Partly accepted / Not accepted",
                                  "Agreement with partners", "Not applicable", ""])
def test_header_cells_and_other_words_are_no_status(cell):
    assert parse_status_cell(cell) is None
    assert exact_status(cell) is None


def test_the_status_filter_maps_the_accepted_vocabulary_onto_the_scale():
    assert [status_filter(s) for s in ("agreed", "Partly-accepted", "REJECTED", "not accepted", "unknown", None)] \
        == ["Agreed", "Partly Agreed", "Not Agreed", "Not Agreed", "unknown", None]
    with pytest.raises(ValueError, match="Partly accepted"):
        status_filter("maybe")


def test_the_catalogue_filters_a_report_recommendation_by_its_plans_status(searcher):
    from search.records.catalogue import list_recommendations
    from search.records.view import records_view

    view = records_view(searcher)
    agreed = list_recommendations(view, status="Accepted", doc_type="action_plan")  # the same as "Agreed"
    assert agreed == list_recommendations(view, status="Agreed", doc_type="action_plan") and agreed


@pytest.mark.parametrize("line,heading,name", [
    ("HM Prison and Probation Service should:", "HM Prison and Probation Service should:",
     "HM Prison and Probation Service"),
    ("2. The Kestrel PDU should:", "The Kestrel PDU should:", "Kestrel PDU"),
    ("(b) The Ministry of Justice should:", "The Ministry of Justice should:", "Ministry of Justice"),
    ("We recommend that the PDU should improve its work with partners in the county.", None, None),
])
def test_one_addressee_rule(line, heading, name):
    assert addressee_heading(line) == heading
    if name:
        assert addressee_name(line) == name


def test_units_are_pdus_and_unknown_is_no_evidence():
    assert unit_of("HM Prison and Probation Service should:", "for Wrenfold PDU") == "Wrenfold PDU"
    assert unit_of("The Essex North PDU should:", None) == "Essex North PDU"
    assert unit_of("The East of England region should:", None) is None  # a region addresses several PDUs
    assert heading_scope("Northamptonshire PDU should:") == "for Northamptonshire PDU"
    assert same_unit("Essex North PDU", "the Essex North probation delivery unit") is True
    assert same_unit("Essex North PDU", "Northamptonshire PDU") is False
    assert same_unit(None, "Northamptonshire PDU") is None


def test_numbering_stops_where_the_list_does():
    k = marker_key
    assert [k("3."), k("(3)"), k("1.2"), k("c)"), k("•")] == [
        ("decimal", (3,)), ("decimal", (3,)), ("decimal", (1, 2)), ("letter", (3,)), None]
    assert follows(k("9."), k("10.")) and follows(k("1.2"), k("2.1")) and follows(k("b)"), k("c)"))
    assert not follows(k("9."), k("2."))  # "2. Recruitment and vetting", a chapter
    assert not follows(k("3."), k("1."))  # a new list in a chapter
    assert follows(k("3."), k("1."), new_group=True)  # numbering started again under the next addressee
    assert [integer("4."), integer("1.1"), integer("a)")] == [4, None, None]


def _blocks(lines_by_page: list[list[str]]):
    text, blocks, starts = "", [], []
    for p, lines in enumerate(lines_by_page, start=1):
        starts.append(len(text))
        for ln in lines:
            blocks.append(Block("paragraph", len(text), len(text) + len(ln), (p,)))
            text += ln + "\n"
        text += "\n"
    return text, blocks, starts


def test_running_headers_and_page_numbers_are_furniture_and_body_lines_are_not():
    topics = ("caseloads", "vetting", "training", "home visits")
    pages = [["Inspection of Lowmoor PDU | September 2025", f"A paragraph about {topics[p - 1]}.",
              "carried on from the line before", f"Page {p} of 4"] for p in range(1, 5)]
    for p in pages:
        p.insert(2, "carried on from the line before")  # the same body words at the foot of every page
    text, blocks, _ = _blocks(pages)
    found = {text[blocks[i].start:blocks[i].end] for i in furniture_indexes(text, blocks, 4)}
    assert found == {"Inspection of Lowmoor PDU | September 2025", "Page 1 of 4", "Page 2 of 4", "Page 3 of 4",
                     "Page 4 of 4"}


def test_a_contents_page_is_contents_and_stops_where_it_does():
    text, blocks, _ = _blocks([["Contents", "Foreword ........ 3", "1. Introduction .......... 5",
                                "2. Recruitment and vetting 8", "Foreword", "This report looks at vetting."]])
    got = [text[blocks[i].start:blocks[i].end] for i in sorted(contents_indexes(text, blocks))]
    assert got == ["Contents", "Foreword ........ 3", "1. Introduction .......... 5", "2. Recruitment and vetting 8"]


def test_fingerprints_tell_another_format_from_another_unit():
    base = ("The Lowmoor PDU should review caseloads against the workload measurement tool and report "
            "progress to the regional leadership team every quarter. ") * 3
    plan = base + "Recommendation 2: improve home visits for people on probation who present a risk to children."
    print_version = plan.replace(" every quarter.", " every\nquarter.") + " Page 2 of 3"
    other_unit = plan.replace("Lowmoor", "Millbrook")
    a, b, c = fingerprint(plan), fingerprint(print_version), fingerprint(other_unit)
    assert same_document(a, b) and likeness(a, b).jaccard > 0.75
    assert likeness(a, c).jaccard > 0.75 and not same_document(a, c)  # nearly the same words, another PDU
    assert same_document(fingerprint("Short note."), fingerprint("short  NOTE"))  # the same words exactly
    assert not same_document(fingerprint("A short note on rotas."), fingerprint("A short note on rotas, again."))


def test_fingerprints_measured_on_plans_in_five_formats_and_other_documents():
    """The figures in docs/formats.md ("One document, many files"): `pytest tests/test_status_and_structure.py
    -s -k fingerprints_measured` prints them."""
    import copy
    import dataclasses
    import itertools

    import documents as docs
    from conftest import CORPUS

    from indexer.extract.actionplan import parse_action_plan
    from indexer.readers import read_bytes, read_file
    from indexer.readers.layout import body_text

    p2 = copy.deepcopy(docs.RIVERFORD_PLAN)  # the same template for another PDU: nearly every word the same
    p2.title_lines = [t.replace("Riverford", "Lowmoor") for t in p2.title_lines]
    p2.groups = [(a.replace("Riverford", "Lowmoor"), [dataclasses.replace(
        r, response=[x.replace("Riverford", "Lowmoor") for x in r.response],
        owners=[o.replace("Riverford", "Lowmoor") for o in r.owners]) for r in rows]) for a, rows in p2.groups]
    files = {f"plan.{fmt}": read_bytes(make(docs.RIVERFORD_PLAN), f"x.{fmt}") for fmt, make in
             (("pdf", docs.plan_pdf), ("docx", docs.plan_docx), ("odt", docs.plan_odt), ("html", docs.plan_html))}
    files.update({f"report.{fmt}": read_bytes(make(docs.RIVERFORD_REPORT), f"x.{fmt}") for fmt, make in
                  (("pdf", docs.report_pdf), ("docx", docs.report_docx), ("html", docs.report_html))})
    files["other-PDU plan.docx"] = read_bytes(docs.plan_docx(p2), "x.docx")
    for name in ("2025-02_action-plan_recruitment-training-retention.txt",
                 "2022-06_action-plan_essex-north-northamptonshire.txt"):
        ex = read_file(CORPUS / name)
        rows = parse_action_plan(ex).rows
        title = [ln for ln in ex.text.split("\n")[:12] if ln.strip()][:5]
        files[name[:7] + ".txt"] = ex
        files[name[:7] + ".docx (from its rows)"] = read_bytes(docs.plan_docx(docs.plan_from_text_rows(rows, title)),
                                                               "x.docx")
    fps = {k: fingerprint(body_text(v)) for k, v in files.items()}
    same_pairs = {("plan.", "plan."), ("report.", "report."), ("2025-02.", "2025-02."), ("2022-06.", "2022-06.")}
    print(f"\n{'a':<30} {'b':<30} {'Jaccard':>7} {'contain':>7} {'units':>5} {'same':>5}")
    for a, b in itertools.combinations(sorted(fps), 2):
        like = likeness(fps[a], fps[b])
        expected = any(a.startswith(x) and b.startswith(y) for x, y in same_pairs)
        if like.jaccard > 0.3 or expected:
            print(f"{a:<30} {b:<30} {like.jaccard:7.2f} {like.containment:7.2f} {str(like.same_units):>5} "
                  f"{str(same_document(fps[a], fps[b])):>5}")
        assert same_document(fps[a], fps[b]) == expected, (a, b, like)

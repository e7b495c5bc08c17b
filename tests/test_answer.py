"""Answers on the shipped corpus: cited sentences that answer, declines and partial answers that say
what is missing, filters, recurrence questions; the question's focus on its own."""
from __future__ import annotations

import json
import re

import pytest

from search.answers.answer import answer, is_recurrence_question
from search.answers.answer_text import NO_ANSWER_TEXT, NO_MATCH_TEXT, marker
from search.answers.focus import answer_type, question_entities, question_years, type_found, year_found
from search.retrieval.searcher import Filters
from search.answers.sentences import highlight_spans, split_sentences

PILLARS = "What are the four pillars of risk management?"
# questions a first version answered with sentences that answered nothing (the four examples)
NEAR_MISSES = {
    "How many electronic monitoring tags were fitted in 2023?": ("electronic monitoring tags", "number"),
    "What is the annual budget of the Youth Justice Board?": ("Youth Justice Board",),
    "What starting salary does a probation officer in Scotland get?": ("Scotland",),
    "What is the proven reoffending rate for women on probation in Wales?": ("proven", "percentage", "rate"),
}


def markers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\[(\d+)\]", text)]


@pytest.fixture(scope="module")
def pillars(searcher):
    return answer(searcher, PILLARS)


def test_split_sentences_respects_bullets_lines_and_abbreviations():
    text = ("Status: Agreed\nResponse: - We will act, e.g. by training. Staff agreed (p. 4) too • "
            "- Second bullet here. Mr. Smith leads it.")
    got = [text[a:b] for a, b in split_sentences(text)]
    assert got == ["Status: Agreed", "Response: - We will act, e.g. by training.", "Staff agreed (p. 4) too",
                   "Second bullet here.", "Mr. Smith leads it."]


def test_four_pillars_answered_from_the_2022_action_plan_recommendation_5(pillars):
    ans = pillars
    assert ans.mode == "extractive" and not ans.declined and not ans.missing
    first = ans.sentences[0]
    assert "Four Pillars (supervision, monitoring & control, interventions & treatment, victim safety)" in first.text
    hit = ans.citations[first.citations[0] - 1]
    assert hit.chunk.rec_no == 5 and hit.document.year == 2022 and hit.document.doc_type == "action_plan"
    assert "Northamptonshire" in hit.chunk.text
    # the sentence's offsets point at the quoted text in the cited passage
    assert " ".join(hit.chunk.text[first.start:first.end].split()) in (first.text, first.text.rstrip("."))
    # each marker follows its sentence and names a listed source; sources are numbered 1..n
    assert ans.text.startswith(first.text) and f"{first.text} [{first.citations[0]}]" in ans.text
    assert sorted(set(markers(ans.text))) == list(range(1, len(ans.citations) + 1))
    assert [h.rank for h in ans.citations] == list(range(1, len(ans.citations) + 1))
    assert 1 <= len(ans.sentences) <= 3 and len({s.text for s in ans.sentences}) == len(ans.sentences)
    assert ans.signals["satisfied"] and 0 <= ans.signals["coverage"] <= 1


@pytest.mark.parametrize("question", list(NEAR_MISSES))
def test_near_misses_are_declined_or_told_what_is_missing(searcher, question):
    ans = answer(searcher, question)
    assert ans.declined and ans.sentences == () and ans.citations == () and markers(ans.text) == []
    assert ans.passages, "the closest passages are still offered"
    if ans.partial:  # "The documents (do not) mention X ..." naming one of the missing parts
        assert re.match(r"The documents (do not )?mention ", ans.text), ans.text
        assert any(w.lower() in ans.text.lower() for w in NEAR_MISSES[question]), ans.text
        assert any(w.lower() in " ".join(ans.missing).lower() for w in NEAR_MISSES[question]), ans.missing
    else:
        assert ans.text == NO_ANSWER_TEXT


def test_a_partial_answer_names_the_place_the_documents_do_not_cover(searcher):
    ans = answer(searcher, "What starting salary does a probation officer in Scotland get?")
    assert ans.partial and ans.declined and "Scotland" in ans.missing
    # Scotland is in no passage at all: said first, whatever else is missing
    assert ans.text.startswith("The documents do not mention Scotland")


def test_a_field_line_is_never_quoted_on_its_own(searcher):
    ans = answer(searcher, "Who owns the recommendation on practitioner pay and what are its target dates?")
    assert not ans.declined
    for s in ans.sentences:
        if re.search(r"Target date:|Responsible owner:", s.text):
            assert s.text.startswith("Recommendation "), s.text  # quoted with its recommendation line


def test_ask_with_filters_answers_only_from_allowed_documents(searcher):
    q = "What did the plans say about vetting of new staff?"
    ans = answer(searcher, q, filters=Filters(year_from=2022, year_to=2022))
    for h in ans.citations + ans.passages:
        assert h.document.year == 2022
    assert answer(searcher, q, filters=Filters(doc_type="strategy")).passages  # another filter, other documents
    for h in answer(searcher, q, filters=Filters(doc_type="strategy")).passages:
        assert h.document.doc_type == "strategy"
    none = answer(searcher, q, filters=Filters(year_from=2030))
    assert none.declined and none.text == NO_MATCH_TEXT and none.passages == ()


def test_ask_runs_retrieval_once(searcher, monkeypatch):
    calls = []
    original = type(searcher).search

    def counted(self, *a, **k):
        calls.append(a)
        return original(self, *a, **k)

    monkeypatch.setattr(type(searcher), "search", counted)
    answer(searcher, PILLARS)
    answer(searcher, "What is the annual budget of the Youth Justice Board?")
    assert len(calls) == 2


@pytest.mark.parametrize("question, entities, years, kind", [
    ("How many approved premises beds are there in London?", ("London",), (), "count"),
    ("What is the annual budget of the Youth Justice Board?", ("Youth Justice Board",), (), "money"),
    ("When will HMPPS publish the Probation Workforce Strategy for 2023/24?", ("HMPPS", "Probation Workforce Strategy"),
     ("2023/24",), "date"),
    ("Deadlines for the face to face learning pilot", (), (), "date"),
    ("Which company is the shared services provider?", (), (), "organisation"),
    ("What were the findings of the internal review of probation learning?", (), (), "outcome"),
    ("When was the NPS ALP for 2020/21 due to launch?", ("NPS", "ALP"), ("2020/21",), "date"),
    ("Is the ministry prepared to lift practitioners' salaries?", (), (), None),
    ("How much protected time do new case administrators get?", (), (), "count"),
    ("How much will the face to face learning pilot cost?", (), (), "money"),
    # a possessive names the place; acronyms joined by "and" are two names
    ("Where is Cumbria's new probation office?", ("Cumbria",), (), None),
    ("What did the RPD and HoCI agree?", ("RPD", "HoCI"), (), None),
    # a question that opens with a verb asks yes or no: a "how many" inside it is not what it asks for, a
    # question coordinated after it is, and so is a deadline it names
    ("Is the WMT going to estimate how many SPOs each region needs?", ("WMT", "SPOs"), (), None),
    ("Will regions keep publishing vacancy rates?", (), (), None),
    ("Were SPO workloads reviewed, and by when?", ("SPO",), (), "date"),
    ("Is there a deadline for the estates review?", (), (), "date"),
    ("Who is responsible for the estates review?", (), (), "owner"),
    ("Who owns the recommendation on vetting, and by when?", (), (), "date"),
    ("How often are vacancy rates reported to the board?", (), (), "frequency"),
    # findings asked about otherwise than for what they are
    ("To whom does the board send its findings?", (), (), None),
    ("What will be done with the results of the staff survey?", (), (), None),
    # what an acronym stands for
    ("What does NPPV stand for?", ("NPPV",), (), "expansion"),
    ("What is the full name of the WMT?", ("WMT",), (), "expansion"),
    ("Where do SPOs stand on workload?", ("SPOs",), (), None),
    # which year, month or quarter asks for a date
    ("In which year's Recovery work will remote working be prioritised?", ("Recovery",), (), "date"),
    ("Which quarter will the pilot end?", (), (), "date"),
])
def test_the_focus_of_a_question(question, entities, years, kind):
    assert question_entities(question) == entities
    assert question_years(question) == years
    assert answer_type(question) == kind


def test_answer_kinds_and_years_need_their_own_evidence(analyzer):
    assert type_found("count", "Staff survey – 1,204 responses", "How many staff survey responses were there?",
                      analyzer)
    # a number that labels a row, or one the question already gives, is not a count
    assert not type_found("count", "Recommendation 11: Prioritise quality assurance.", "How many quality officers?",
                          analyzer)
    assert not type_found("count", "The survey had 1,204 responses.", "What score did the 1,204 responses give?",
                          analyzer)
    # a number written in words, a tens word with its unit hyphenated read whole
    assert type_found("count", "Inspectors held twenty-two focus groups.", "How many focus groups were held?",
                      analyzer)
    assert type_found("count", "Seventeen focus groups were held.", "How many focus groups were held?", analyzer)
    assert type_found("frequency", "A report is published quarterly.")
    assert type_found("frequency", "on a six-monthly basis")
    assert not type_found("frequency", "A report on vacancy rates is published.")
    assert type_found("money", "Pay rises to £32,000 from April.", "What is the salary?")
    assert not type_found("money", "Pay will be benchmarked annually.", "What is the salary?")
    assert type_found("percent", "Completion rose from 66% to 90%.", "What percentage completed it?")
    assert not type_found("outcome", "The review has been commissioned and will report in 2025.",
                          "What were the findings?")
    assert year_found("2022/23", "in 2022-23 the region") and year_found("2020/21", "the plan for 2020/2021")
    assert not year_found("January 2023", "by January 2021") and year_found("2022", "", doc_years=(2022,))


def test_names_are_found_as_the_documents_write_them(analyzer):
    from search.answers.names import entity_found

    # an acronym for part of a longer name; a plural the question does not use; a glossary abbreviation in a name
    assert entity_found("CPD", "the HMPPS Leadership Continuous Professional Development framework", analyzer)
    assert entity_found("First Line Manager", "All First Line Managers will attend.", analyzer)
    assert entity_found("Northants PDU", "staff in the Northamptonshire PDU have completed it", analyzer)
    assert not entity_found("CPD", "the Continuous Improvement Group", analyzer)
    assert not entity_found("Northants PDU", "staff in the Essex North PDU", analyzer)
    assert not entity_found("First Line Manager", "the first line of the plan", analyzer)
    # the first words as written, the rest as an acronym
    assert entity_found("NPS Business Strategy and Change", "the Estates FM and NPS BSC functions", analyzer)
    assert not entity_found("NPS Business Strategy and Change", "the NPS functions and the BSC", analyzer)
    # an acronym of three letters or more written out in lower case; two letters are too often two common words
    assert entity_found("CPD", "Focus on your continuous professional development and exit data", analyzer)
    assert not entity_found("CPD", "the continuous improvement of practice", analyzer)
    assert not entity_found("PO", "the probation office", analyzer)


def test_a_name_joined_by_an_ampersand_is_one_word_when_looking_for_what_no_passage_holds(searcher):
    from search.answers.focus import question_focus

    # the plans' "L&D Team" is held; "L" and "D" alone are not, and were named as missing
    held = question_focus("Who is responsible for bolstering the L&D input for PSOs?", searcher.analyzer,
                          searcher.lexical.idf)
    assert held.absent == ()
    unheld = question_focus("Does the Q&Z team pay for childcare?", searcher.analyzer, searcher.lexical.idf)
    assert unheld.absent == ("Q&Z", "childcare")


def test_what_an_acronym_stands_for_is_found_written_out(analyzer):
    from search.answers.names import spelled_out

    assert spelled_out("NPPV", "police check timeframes (Non-Police Personnel Vetting) NPPV, it has been agreed")
    assert spelled_out("EPOP", "Head of PDU; Engaging People on Probation (EPOP) Manager")
    assert spelled_out("HMPPS", "HM Prison & Probation Service")
    assert spelled_out("SEEDS2", "Skills for Effective Engagement Development and Supervision")
    assert not spelled_out("NPPV", "must complete NPPV police vetting")  # the acronym is no spelling of itself
    assert not spelled_out("SOP", "the standard operating procedure")  # written out, but not as a name
    q = "What does the WMT stand for?"
    assert type_found("expansion", "the Workload Measurement Tool (WMT) is based on caseload", q, analyzer)
    assert type_found("expansion", "the workload measurement tool is based on caseload", q, analyzer)  # glossary
    assert not type_found("expansion", "The WMT is based on caseload.", q, analyzer)


def test_what_an_acronym_stands_for_is_answered_with_the_sentence_that_spells_it_out(searcher):
    got = answer(searcher, "What does SEEDS2 stand for?")
    assert not got.declined and not got.partial, got.text
    assert "Skills for Effective Engagement Development and Supervision (SEEDS2)" in got.sentences[0].text
    # the glossary knows what a PTA is, but no passage spells it out: no answer, and the reply says why
    none = answer(searcher, "What does PTA stand for?")
    assert none.declined and "what it stands for" in none.missing and "stand" not in none.missing, none.text
    assert "do not spell it out" in none.text


def test_a_slide_line_too_short_for_a_sentence_answers_how_many(searcher):
    got = answer(searcher, "How many fieldwork weeks did the recruitment, training and retention inspection have?")
    assert not got.declined and got.sentences[0].text.startswith("Five fieldwork weeks"), got.text


def test_a_sentence_cut_by_a_page_break_is_quoted_whole(searcher):
    # the workforce strategy breaks "... such as the Aspiring Leaders" / "Toolkit for those who aspire ..."
    got = answer(searcher, "In which year will HMPPS launch the Aspiring Leaders Toolkit?")
    assert not got.declined, got.text
    first = got.sentences[0].text
    assert "2020/21" in first and "Aspiring Leaders Toolkit for those who aspire" in first, first


def test_a_sentence_is_about_the_region_it_names_or_sits_under():
    from search.answers.names import names_another_region, region_of

    assert region_of("the North-East") == "North East" and region_of("Essex") is None
    assert names_another_region("East Midlands", "Neurodiversity friendly training pilot, Greater Manchester.")
    assert not names_another_region("East Midlands", "Mock oral hearings, East Midlands.")
    assert not names_another_region("East of England", "Face to face SARA training, East of England.")
    assert names_another_region("London", "Face to face SARA training, East of England.")
    # under a line naming another region; under its own; no region named anywhere; not a region at all
    slide = "Example of effectiveness: Senior leader engagement, Wales\n\n"
    assert names_another_region("North East", "devised a model in which a senior manager adopted a cohort", slide)
    assert not names_another_region("Wales", "devised a model in which a senior manager adopted a cohort", slide)
    assert not names_another_region("North East", "staff were recognised", slide + "Staff led reward, North East\n")
    assert not names_another_region("Wales", "a sentence naming no region", "nor here")
    assert not names_another_region("Essex North PDU", "the pilot in Wales")


def test_a_slide_s_example_from_one_region_does_not_answer_for_another(searcher):
    # the slide lists examples region by region: each is quoted for its own region only
    listed = answer(searcher, "Which learning examples come from the East Midlands?")
    quoted = " ".join(s.text for s in listed.sentences)
    assert "East Midlands" in quoted and "East of England" not in quoted and "Greater Manchester" not in quoted
    other = answer(searcher, "Did a senior manager in the North East adopt a cohort of PQiP learners?")
    assert not any("adopted a cohort" in s.text for s in other.sentences), other.text
    own = answer(searcher, "How did a senior manager in Wales support a cohort of PQiP learners?")
    assert any("adopted a cohort of PQiP learners" in s.text for s in own.sentences), own.text


def test_a_role_is_found_as_people_not_as_a_word_that_shares_its_stem(analyzer):
    from search.answers.roles import glossary_roles, role_found

    roles = glossary_roles(analyzer)
    assert role_found("case administrators", "More case administrators were recruited.", analyzer, roles)
    assert not role_found("case administrator", "Case Administration support for SPOs", analyzer, roles)
    assert role_found("senior probation officers", "workloads of SPOs", analyzer, roles)
    assert role_found("frontline officers", "frontline probation practitioners", analyzer, roles)
    assert not role_found("prison officers", "Prison and Probation Service officers", analyzer, roles)


def test_a_short_line_with_every_word_and_the_kind_asked_for_answers_whatever_its_similarity(searcher):
    from search.answers.focus import Check, question_focus, similarity_waived

    # "Target date: March 2023" under its recommendation: every word of the question, and a date, but too little
    # text for the model to find it similar
    ans = answer(searcher, "By when must First Line Managers in Essex North complete their training?")
    assert not ans.declined and any("March 2023" in s.text for s in ans.sentences), ans.text
    full = Check(1.0, (), (), True)
    asks_date = question_focus("When is it due?", searcher.analyzer, searcher.lexical.idf)
    asks_nothing = question_focus("What training is there?", searcher.analyzer, searcher.lexical.idf)
    assert similarity_waived(full, asks_date) and not similarity_waived(full, asks_nothing)
    assert not similarity_waived(Check(0.9, (), (), True), asks_date)
    assert not similarity_waived(Check(1.0, (), (), False), asks_date)


def test_who_is_responsible_is_answered_with_the_plan_row_s_owner(searcher):
    ans = answer(searcher, "Who owns the recommendation on reviewing the quality development officer role?")
    assert not ans.declined and ans.sentences, ans.text
    quoted = ans.sentences[0].text
    assert "Recommendation 13" in quoted and "Responsible owner: Probation Reform Programme" in quoted
    assert type_found("owner", "Responsible owner: Head of PDU")
    assert type_found("owner", "The board is chaired by the RPD.")
    assert not type_found("owner", "Recommendation 4: Review NPS workforce requirements.")


def test_markers_are_bounds_checked():
    assert marker(1, 3) == "[1]" and marker(3, 3) == "[3]"
    with pytest.raises(ValueError, match=r"\[0\]"):
        marker(0, 3)
    with pytest.raises(ValueError, match=r"\[4\]"):
        marker(4, 3)


@pytest.mark.parametrize("question, expected", [
    ("Has the inspectorate recommended before that SPO workloads be made manageable?", True),
    ("Which recommendations about the workload measurement tool recur across years?", True),
    ("Is unequal recruitment still a problem?", True),
    ("Can someone take up their post before the police background check has come back?", False),
    (PILLARS, False),
])
def test_recurrence_questions_are_recognised(question, expected):
    assert is_recurrence_question(question) is expected


def test_recurrence_question_answers_from_threads_with_cited_instances(searcher):
    ans = answer(searcher, "Which recommendations about the workload measurement tool recur across years?")
    assert ans.mode == "recurrence" and not ans.declined and ans.threads
    assert all(t.recurs for t in ans.threads)
    assert sorted(set(markers(ans.text))) == list(range(1, len(ans.citations) + 1))
    assert len({h.document.year for h in ans.citations}) >= 2
    assert all(h.chunk.rec_no is not None for h in ans.citations)
    assert "workload measurement tool" in ans.text.lower()


def test_highlight_spans_use_the_analyzer(analyzer):
    text = "Workloads of senior probation officers are reviewed; the workload tool is new."
    spans = [text[a:b] for a, b in highlight_spans(text, "SPO workload", analyzer)]
    assert spans == ["Workloads", "senior", "probation", "officers", "workload"]
    assert highlight_spans(text, "the of", analyzer) == []


def test_cli_ask_plain_json_and_filters(corpus_index, capsys):
    from ui.cli import main

    assert main(["ask", PILLARS, "--index", str(corpus_index)]) == 0
    out = capsys.readouterr().out
    assert "Four Pillars" in out and "Sources:" in out and "[1] Action plan" in out and "recommendation 5" in out
    assert main(["ask", "What is the annual budget of the Youth Justice Board?", "--index", str(corpus_index),
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["declined"] is True and data["citations"] == [] and data["passages"]
    assert main(["ask", PILLARS, "--index", str(corpus_index), "--year-from", "2025", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert all(c["year"] >= 2025 for c in data["citations"])
    assert main(["ask", PILLARS, "--index", str(corpus_index), "--type", "strategy", "--year-from", "2030"]) == 0
    assert NO_MATCH_TEXT in capsys.readouterr().out
    assert main(["ask", "   ", "--index", str(corpus_index)]) == 2
    assert "Type a question" in capsys.readouterr().err


def test_a_title_or_publisher_line_is_not_an_answer():
    from search.answers.sentences import _is_title

    title = "Action plan: A thematic inspection of the recruitment, training and retention of frontline practitioners"
    assert _is_title("A Response to: A thematic inspection of the recruitment, training, and retention of "
                     "frontline practitioners.", title)
    assert _is_title("HM Prison & Probation Service.", "HM Prison and Probation Service")
    assert not _is_title("The thematic inspection found that training of frontline practitioners was not "
                         "consistently delivered across regions.", title)


def test_a_field_line_is_the_best_answer_only_to_the_kind_of_question_it_answers():
    from search.answers.sentences import _field_fits

    assert _field_fits("Responsible owner: Head of HR", "person") and _field_fits("Target date: March 2026", "date")
    assert not _field_fits("Responsible owner: Head of HR", None) and not _field_fits("Status: Agreed", "count")


def test_a_question_worded_otherwise_than_the_documents_is_answered_in_part_from_the_closest_sentence(searcher):
    ans = answer(searcher, "Why do frontline probation staff quit?")
    assert not ans.declined and ans.partial and ans.missing == ("quit",)
    assert ans.text.startswith("The documents do not mention quit. ")
    assert len(ans.sentences) == 1 and "why staff consider leaving" in ans.sentences[0].text


def test_the_coverage_cut_falls_with_the_share_of_the_question_no_passage_holds(searcher):
    """Coverage counts only the words some passage holds: a question worded otherwise ("quit") covers little
    of itself even with the sentence that answers it, so less of the coverage cut applies to it."""
    from search.answers.focus import Check, answerable, coverage_cut_scale, question_focus
    from search.thresholds import ANSWER_MIN_COSINE, ANSWER_MIN_COVERAGE

    plain = question_focus("Why do probation staff leave?", searcher.analyzer, searcher.lexical.idf)
    worded = question_focus("Why do probation staff quit?", searcher.analyzer, searcher.lexical.idf)
    assert plain.absent == () and worded.absent == ("quit",)
    assert coverage_cut_scale(plain) == 1.0 and 0.0 < coverage_cut_scale(worded) < 1.0
    between = Check(ANSWER_MIN_COVERAGE * (1.0 + coverage_cut_scale(worded)) / 2, (), (), True)
    assert answerable(between, ANSWER_MIN_COSINE, worded) and not answerable(between, ANSWER_MIN_COSINE, plain)


THORNBURY = ("Thornbury PDU inspection\n\nHM Inspectorate of Probation\n\n"
             "The head of the PDU had been in post for only four months at the time of the inspection. "
             "New staff waited too long for their vetting to be completed before they could start. "
             "Only 58 per cent of staff had completed the mandatory safeguarding training.\n")


@pytest.fixture(scope="module")
def thornbury(corpus_index, embedder, analyzer, tmp_path_factory):
    """The corpus and a report titled with its PDU's name, which says how long nobody waited."""
    import shutil

    from indexer.build import build_index
    from search.retrieval.searcher import Searcher

    root = tmp_path_factory.mktemp("thornbury")
    index = root / "index"
    shutil.copytree(corpus_index, index)
    (root / "docs").mkdir()
    (root / "docs" / "thornbury-pdu-inspection.txt").write_text(THORNBURY, encoding="utf-8")
    build_index([root / "docs" / "thornbury-pdu-inspection.txt"], index, mode="add", embedder=embedder,
                analyzer=analyzer)
    return Searcher(index, embedder=embedder, analyzer=analyzer)


def test_a_name_the_document_is_titled_with_does_not_make_any_of_its_sentences_an_answer(thornbury):
    assert "Thornbury PDU inspection" in {d.title for d in thornbury.docs.values()}
    ans = answer(thornbury, "How long do new recruits wait for security clearance in Thornbury?")
    assert ans.declined and ans.sentences == (), ans.text  # not "four months", which is the head's tenure
    ok = answer(thornbury, "What share of Thornbury staff completed the mandatory safeguarding training?")
    assert not ok.declined and any("58 per cent" in s.text for s in ok.sentences), ok.text

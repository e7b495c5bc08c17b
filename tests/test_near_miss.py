"""Near misses, each class through the Python API, the command line and the app's API: a subject no
document holds, a name no document holds, the right subject in the wrong period, the right subject
for the wrong role. Each is declined with what is missing named (nothing quoted as if it answered),
and its counterpart that the documents do answer is answered; a question the documents answer in
part is answered in part, saying first what they lack; so is a question about a subject they lack
that has words they hold ("childcare support": what they say of support, under a notice that they
do not mention childcare), unless nearly all of it is what they lack."""
from __future__ import annotations

import json
import re

import pytest

from conftest import free_port
from search.answers.answer import answer
from ui.render import NOT_AN_ANSWER
from ui.views.answer import CLOSEST_HEADING

# (class, question, what must be named as missing) -- written for these tests, not taken from any eval set
NEAR_MISSES = [
    ("absent subject", "Do probation offices offer free car parking and electric vehicle charging?",
     "electric vehicle charging"),
    ("absent subject", "What is the sickness absence rate among senior probation officers?", "sickness absence"),
    ("absent name", "What did the Casey Review say about probation recruitment?", "Casey Review"),
    ("wrong period", "What did the 2016 action plan for Essex North say about vetting?", "2016"),
    ("wrong period", "What was agreed about SPO workloads in the 1990s?", "1990s"),
    ("wrong role", "What protected caseload do newly qualified prison officers get?",
     "newly qualified prison officers"),
    ("wrong role", "What caseload reduction do newly qualified psychologists receive?",
     "newly qualified psychologists"),
]
# the same subjects asked as the documents have them: answered in full, with what answers them quoted
ANSWERED = [
    ("What protected caseload do newly qualified officers get?", "20%"),
    ("What did the 2022 action plan for Essex North say about vetting?", "vetting"),
]
# "how much" asks for a quantity: a sentence about the subject without one is no answer
HOW_MUCH = ("How much training time do new case administrators get in their first year?",
            "How much protected time do newly qualified officers get?", "20%")
# a sentence that names the question's role but says something else of it is no answer: the role says which
# people, not what about them, so it counts neither way in coverage
ROLE_SAID_OTHERWISE = ["What workload do victim liaison officers carry?",
                       "How will the caseloads of practice tutor assessors be reduced?"]
# ... but a phrase naming a topic is about its role: a sentence on it, not one that leaves it out
ROLE_TOPIC = ("induction for new case administrators", "case administrators")
IN_PART = ("How many staff survey responses were there, and how many came from apprentices?", "apprentices",
           "1,204 responses")
# a subject no document holds, asked with words they do hold: answered only in part, the subject named first
ABSENT_IN_PART = ("What childcare support is offered to probation staff?", "childcare")
IDS = [f"{kind}: {missing}" for kind, _, missing in NEAR_MISSES]


def said_missing(text: str, missing: str) -> bool:
    return re.search(rf"(do not mention|say nothing about|for) [^.]*\b{re.escape(missing)}\b", text) is not None


@pytest.mark.parametrize("kind, question, missing", NEAR_MISSES, ids=IDS)
def test_python_api_declines_a_near_miss_naming_what_is_missing(searcher, kind, question, missing):
    ans = answer(searcher, question)
    assert ans.declined and ans.sentences == () and ans.citations == (), ans.text
    assert missing in ans.missing and missing in ans.nowhere and ans.partial
    assert said_missing(ans.text, missing), ans.text
    assert ans.passages, "the closest passages are still offered"


@pytest.mark.parametrize("question, quoted", ANSWERED)
def test_python_api_answers_the_same_subject_as_the_documents_have_it(searcher, question, quoted):
    ans = answer(searcher, question)
    assert not ans.declined and not ans.partial and ans.missing == ()
    assert any(quoted.lower() in s.text.lower() for s in ans.sentences), ans.text


def test_how_much_is_answered_only_with_a_quantity(searcher):
    unanswered, answered, quantity = HOW_MUCH
    ans = answer(searcher, unanswered)
    assert ans.declined and ans.sentences == () and ans.citations == (), ans.text
    ans = answer(searcher, answered)
    assert not ans.declined and any(quantity in s.text for s in ans.sentences), ans.text


@pytest.mark.parametrize("question", ROLE_SAID_OTHERWISE)
def test_a_sentence_naming_the_role_but_saying_something_else_is_no_answer(searcher, question):
    ans = answer(searcher, question)
    assert ans.declined and ans.sentences == () and ans.citations == (), ans.text
    assert ans.passages, "the closest passages are still offered"


def test_a_word_the_documents_use_elsewhere_is_said_to_be_missing_only_from_the_closest_passages(
        searcher, corpus_index, capsys):
    from ui.cli import main

    question = ROLE_SAID_OTHERWISE[0]
    ans = answer(searcher, question)
    assert ans.declined and ans.missing == ("carry",) and ans.nowhere == (), ans.text
    assert "the passages closest to the question say nothing about carry" in ans.text
    assert main(["ask", question, "--index", str(corpus_index)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("Not in the passages closest to the question: carry.") and "Not in the documents" not in out


def test_a_topic_phrase_is_answered_with_a_sentence_on_its_role(searcher):
    phrase, role = ROLE_TOPIC
    ans = answer(searcher, phrase)
    assert not ans.declined and ans.sentences and role in ans.sentences[0].text, ans.text


def test_python_api_answers_in_part_saying_first_what_the_documents_lack(searcher):
    question, missing, quoted = IN_PART
    ans = answer(searcher, question)
    assert not ans.declined and ans.partial and ans.missing == (missing,)
    assert ans.text.startswith(f"The documents do not mention {missing}. ")
    assert any(quoted in s.text for s in ans.sentences) and ans.citations


def test_a_subject_the_documents_lack_is_answered_only_in_part_naming_it_first(searcher):
    question, missing = ABSENT_IN_PART
    ans = answer(searcher, question)
    assert not ans.declined and ans.partial and missing in ans.missing
    assert ans.text.startswith(f"The documents do not mention {missing}. "), ans.text
    assert ans.sentences and ans.citations and not any(missing in s.text.lower() for s in ans.sentences)


@pytest.mark.parametrize("kind, question, missing", NEAR_MISSES, ids=IDS)
def test_cli_declines_a_near_miss_naming_what_is_missing(corpus_index, capsys, kind, question, missing):
    from ui.cli import main

    assert main(["ask", question, "--index", str(corpus_index), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["declined"] is True and data["partial"] is True and missing in data["missing"]
    assert missing in data["nowhere"]  # no passage holds it: said to be missing from the documents
    assert data["sentences"] == [] and data["citations"] == [] and data["passages"]
    assert main(["ask", question, "--index", str(corpus_index)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith(f"Not in the documents: {', '.join(data['nowhere'])}.")
    assert NOT_AN_ANSWER in out and "Sources:" not in out


def test_cli_shows_what_is_missing_above_a_partial_answer(corpus_index, capsys):
    from ui.cli import main

    question, missing, quoted = IN_PART
    assert main(["ask", question, "--index", str(corpus_index)]) == 0
    out = capsys.readouterr().out
    head, _, rest = out.partition("\n\n")
    head = " ".join(head.split())
    assert head.startswith(f"Not in the documents: {missing}.") and "rest of the question" in head
    assert quoted in rest and "[1]" in rest and "Sources:" in rest and NOT_AN_ANSWER not in out


@pytest.fixture(scope="module")
def client(corpus_index, embedder, analyzer, tmp_path_factory):
    pytest.importorskip("gradio_client")
    from gradio_client import Client

    from ui.app import build_app, launch_app

    demo = build_app(corpus_index, uploads_dir=tmp_path_factory.mktemp("near-miss-uploads"), embedder=embedder,
                     analyzer=analyzer, warm=False)
    port = free_port()
    launch_app(demo, port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield Client(f"http://127.0.0.1:{port}/", verbose=False)
    finally:
        demo.close()


@pytest.mark.parametrize("kind, question, missing", NEAR_MISSES, ids=IDS)
def test_app_declines_a_near_miss_under_a_not_an_answer_heading(client, kind, question, missing):
    html, sources, _passage, data = client.predict(question, api_name="/ask")
    assert data["declined"] is True and missing in data["missing"] and data["citations"] == []
    state, _, rest = html.partition('<div class="answer declined')
    assert 'state-declined' in state and "Not answered" in state  # before the reply ...
    assert f"Not in the documents: {', '.join(data['nowhere'])}" in state and missing in data["nowhere"]
    assert CLOSEST_HEADING in rest and 'class="cite"' not in html  # the closest passages, said not to answer
    assert sources is not None  # the closest passages can be picked and read


def test_app_shows_a_notice_above_a_partial_answer(client):
    question, missing, quoted = IN_PART
    html, *_rest, data = client.predict(question, api_name="/ask")
    assert data["partial"] is True and data["declined"] is False and data["missing"] == [missing]
    state, _, body = html.partition('<div class="answer"')
    assert 'state-partial' in state and f"Not in the documents: {missing}" in state
    assert quoted in body and 'class="cite"' in body and CLOSEST_HEADING not in html


def test_app_shows_the_subject_the_documents_lack_above_what_they_say_of_the_rest(client):
    question, missing = ABSENT_IN_PART
    html, *_rest, data = client.predict(question, api_name="/ask")
    assert data["partial"] is True and data["declined"] is False and missing in data["missing"]
    state, _, body = html.partition('<div class="answer"')
    assert 'state-partial' in state and f"Not in the documents: {missing}" in state  # the notice comes first
    assert 'class="cite"' in body and CLOSEST_HEADING not in html  # what they say is quoted, with its citation

"""The pre-registered ask sets (eval/ask_prereg6.jsonl, the one that counts; eval/ask_prereg5.jsonl,
eval/ask_prereg4.jsonl, eval/ask_prereg3.jsonl, eval/ask_prereg2.jsonl and eval/ask_prereg.jsonl, development
sets since each was reported): each loads, names the commit that registered it, and its questions are exactly
those of that commit (nothing was edited after the system was changed)."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import REPO
from eval.ask import (FIFTH_PREREGISTERED_SET, FIRST_PREREGISTERED_SET, FOURTH_PREREGISTERED_SET, PREREGISTERED_SET,
                      PREREGISTERED_SETS, SECOND_PREREGISTERED_SET, THIRD_PREREGISTERED_SET, ask_set_meta,
                      load_ask_set)

UNANSWERABLE_KINDS = {"absent-subject", "absent-name", "wrong-role", "wrong-period"}
# (set, the commit that registered it, questions, answerable ones, unanswerable kinds, a development set now)
SETS = [
    (FIRST_PREREGISTERED_SET, "b0e6b57", 79, 40, UNANSWERABLE_KINDS, True),
    (SECOND_PREREGISTERED_SET, "7d204e7", 109, 65, UNANSWERABLE_KINDS, True),
    (THIRD_PREREGISTERED_SET, "a4d940a", 127, 76, UNANSWERABLE_KINDS | {"wrong-body"}, True),
    (FOURTH_PREREGISTERED_SET, "ae915bc", 139, 83, UNANSWERABLE_KINDS | {"wrong-body"}, True),
    (FIFTH_PREREGISTERED_SET, "064e7f6", 152, 92, UNANSWERABLE_KINDS | {"wrong-body"}, True),
    (PREREGISTERED_SET, "8c75e16", 151, 91, UNANSWERABLE_KINDS | {"wrong-body"}, False),
]


@pytest.mark.parametrize("path, commit, questions, answerable, kinds, development", SETS,
                         ids=[row[0].name for row in SETS])
def test_each_set_loads_names_its_commit_and_says_whether_it_is_a_development_set_now(
        path, commit, questions, answerable, kinds, development):
    items = load_ask_set(path)
    meta = ask_set_meta(path)
    assert meta["registered_in"] == commit
    # a set that has been reported and read says so; the one that counts has no status
    assert ("development set" in meta["status"]) if development else ("status" not in meta)
    assert len(items) == questions and len({i.qid for i in items}) == questions
    ans = [i for i in items if i.answerable]
    assert len(ans) == answerable and all(i.gold for i in ans)
    assert sum(i.kind == "paraphrase" for i in ans) >= 10
    assert {i.kind for i in items if not i.answerable} == kinds
    assert all(i.missing for i in items if not i.answerable)


@pytest.mark.parametrize("path", PREREGISTERED_SETS, ids=lambda p: p.name)
def test_the_questions_are_those_registered_in_the_named_commit(path):
    commit = ask_set_meta(path)["registered_in"]
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("no git history here")
    rel = path.relative_to(REPO).as_posix()
    got = subprocess.run(["git", "-C", str(REPO), "show", f"{commit}:{rel}"], capture_output=True, text=True)
    if got.returncode != 0:
        pytest.skip(f"commit {commit} is not in this clone's history ({got.stderr.strip()})")
    registered = [json.loads(line) for line in got.stdout.splitlines() if line.strip()]
    now = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert now[0] == {"_meta": now[0]["_meta"]}  # what registered them, and what they have been used for since
    questions = [r for r in registered if "_meta" not in r]
    assert now[1:] == questions and len(questions) in (len(registered), len(registered) - 1)


def test_a_meta_line_is_not_a_question(tmp_path):
    p = tmp_path / "set.jsonl"
    p.write_text('{"_meta": {"registered_in": "abc1234"}}\n'
                 '{"id": "a", "question": "Q?", "answerable": false, "kind": "k", "missing": ["x"], "doc": "d"}\n',
                 encoding="utf-8")
    assert [i.qid for i in load_ask_set(p)] == ["a"] and ask_set_meta(p) == {"registered_in": "abc1234"}

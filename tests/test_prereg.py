"""The pre-registered ask set (eval/ask_prereg.jsonl): it loads, names the commit that registered it,
and its questions are exactly those of that commit (nothing was edited after the system was changed)."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import REPO
from eval.ask import PREREGISTERED_SET, ask_set_meta, load_ask_set

REL = PREREGISTERED_SET.relative_to(REPO).as_posix()


def test_the_preregistered_set_loads_and_names_its_commit():
    items = load_ask_set(PREREGISTERED_SET)
    meta = ask_set_meta(PREREGISTERED_SET)
    assert meta["registered_in"] == "b0e6b57"
    assert len(items) == 79 and len({i.qid for i in items}) == 79
    assert sum(i.answerable for i in items) == 40 and all(i.gold for i in items if i.answerable)
    assert {i.kind for i in items if not i.answerable} == {"absent-subject", "absent-name", "wrong-role",
                                                             "wrong-period"}


def test_the_questions_are_those_registered_in_the_named_commit():
    commit = ask_set_meta(PREREGISTERED_SET)["registered_in"]
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("no git history here")
    got = subprocess.run(["git", "-C", str(REPO), "show", f"{commit}:{REL}"], capture_output=True, text=True)
    if got.returncode != 0:
        pytest.skip(f"commit {commit} is not in this clone's history ({got.stderr.strip()})")
    registered = [json.loads(line) for line in got.stdout.splitlines() if line.strip()]
    now = [json.loads(line) for line in PREREGISTERED_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert now[0] == {"_meta": now[0]["_meta"]}  # the one line added since: what registered them
    assert now[1:] == registered


def test_a_meta_line_is_not_a_question(tmp_path):
    p = tmp_path / "set.jsonl"
    p.write_text('{"_meta": {"registered_in": "abc1234"}}\n'
                 '{"id": "a", "question": "Q?", "answerable": false, "kind": "k", "missing": ["x"], "doc": "d"}\n',
                 encoding="utf-8")
    assert [i.qid for i in load_ask_set(p)] == ["a"] and ask_set_meta(p) == {"registered_in": "abc1234"}

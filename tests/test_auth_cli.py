"""`inspection-search users`, `audit`, `ui`'s safe default and `judge`'s author (issue 23), through the
real command line: passwords from stdin or a prompt, never an argument; every change audited."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import types

import pytest

from conftest import REPO
from ui.audit import AuditLog
from ui.auth.roles import os_user
from ui.auth.users import UserStore
from ui.cli import main

PASSWORD = "correct horse battery staple"
ME = f"cli:{os_user()}"


@pytest.fixture
def index(tmp_path, monkeypatch):
    for var in ("INSPECTION_SEARCH_USERS", "INSPECTION_SEARCH_AUDIT", "INSPECTION_SEARCH_INDEX"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path / "index"


def _run(argv, stdin="", monkeypatch=None):
    """main(argv) with `stdin` as a pipe (not a terminal)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(argv)


def test_users_add_reads_the_password_from_stdin_in_a_real_process(index):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("INSPECTION_SEARCH_USERS", None)
    p = subprocess.run([sys.executable, "-m", "ui.cli", "users", "add", "Ann", "--role", "admin",
                        "--index", str(index)],
                       input=PASSWORD + "\n", capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == f"added ann (admin) to {index / 'users.json'}; ann can sign in with a password"
    assert PASSWORD not in (index / "users.json").read_text()
    assert UserStore(index / "users.json").verify("ann", PASSWORD)
    [entry] = AuditLog(index / "audit.jsonl").entries()
    assert (entry.who, entry.action, entry.what) == (ME, "user_add", {"user": "ann", "role": "admin", "password": True})


def test_every_users_subcommand_round_trips_and_is_audited(index, monkeypatch, capsys):
    at = ["--index", str(index)]
    assert _run(["users", "add", "ann", "--role", "admin", *at], PASSWORD + "\n", monkeypatch) == 0
    assert _run(["users", "add", "bob", "--role", "editor", *at], "another passphrase\n", monkeypatch) == 0
    assert _run(["users", "add", "sso.carol", "--role", "reader", "--no-password", *at], "", monkeypatch) == 0
    assert _run(["users", "set-role", "bob", "admin", *at], "", monkeypatch) == 0
    assert _run(["users", "passwd", "bob", *at], "a third passphrase\n", monkeypatch) == 0
    assert _run(["users", "remove", "ann", *at], "", monkeypatch) == 0
    capsys.readouterr()
    assert _run(["users", "list", "--json", *at], "", monkeypatch) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(u["name"], u["role"], u["password"]) for u in listed] == [("bob", "admin", True),
                                                                      ("sso.carol", "reader", False)]
    assert _run(["users", "list", *at], "", monkeypatch) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["name", "role", "created", "last", "sign-in", "password"]
    assert out[1].split()[:2] == ["bob", "admin"] and out[-1].startswith("2 users in ")
    store = UserStore(index / "users.json")
    assert store.verify("bob", "a third passphrase") and not store.verify("bob", "another passphrase")
    entries = AuditLog(index / "audit.jsonl").entries()
    assert [(e.who, e.action, e.what.get("user")) for e in entries] == [
        (ME, "user_add", "ann"), (ME, "user_add", "bob"), (ME, "user_add", "sso.carol"),
        (ME, "user_set_role", "bob"), (ME, "user_passwd", "bob"), (ME, "user_remove", "ann")]
    assert entries[3].what == {"user": "bob", "role_before": "editor", "role": "admin"}
    assert "passphrase" not in (index / "audit.jsonl").read_text()


@pytest.mark.parametrize("argv,stdin,line", [
    (["users", "add", "ann", "--role", "editor"], "short\n", "the password must have at least 8 characters"),
    (["users", "add", "ann", "--role", "editor"], "", "no password on stdin"),
    (["users", "add", "bad name", "--role", "editor"], PASSWORD + "\n", "bad user name 'bad name'"),
    (["users", "set-role", "nobody", "editor"], "", "no user 'nobody'"),
    (["users", "remove", "root"], "", "cannot remove root: root is the only admin"),
    (["users", "set-role", "root", "reader"], "", "cannot make root a reader: root is the only admin"),
    (["users", "add", "root", "--role", "reader"], PASSWORD + "\n", "user 'root' already exists"),
])
def test_mistakes_are_one_line_exit_2_and_not_audited(index, monkeypatch, capsys, argv, stdin, line):
    UserStore(index / "users.json").add("root", "admin", PASSWORD)
    before = (index / "users.json").read_bytes()
    assert _run([*argv, "--index", str(index)], stdin, monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and line in err
    assert (index / "users.json").read_bytes() == before
    assert AuditLog(index / "audit.jsonl").entries() == []


def test_at_a_terminal_the_password_is_asked_twice(index, monkeypatch, capsys):
    import getpass

    class Tty(io.StringIO):
        def isatty(self):
            return True

    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    monkeypatch.setattr(sys, "stdin", Tty())
    assert main(["users", "add", "ann", "--role", "admin", "--index", str(index)]) == 2
    assert "the two passwords differ; nothing changed" in capsys.readouterr().err
    answers = iter([PASSWORD, PASSWORD])
    assert main(["users", "add", "ann", "--role", "admin", "--index", str(index)]) == 0


def test_the_users_option_and_variable_choose_the_file(index, tmp_path, monkeypatch):
    team = tmp_path / "team-users.json"
    assert _run(["users", "add", "ann", "--role", "admin", "--users", str(team), "--index", str(index)],
                PASSWORD + "\n", monkeypatch) == 0
    assert team.exists() and not (index / "users.json").exists()
    monkeypatch.setenv("INSPECTION_SEARCH_USERS", str(team))
    assert _run(["users", "remove", "ann", "--index", str(index)], "", monkeypatch) == 2  # found: the only admin


# --- inspection-search ui: the safe default ------------------------------------------------------------

@pytest.fixture
def stub_app(monkeypatch):
    """ui.app replaced: a test that reaches build_app or launch_app records it (and starts no server)."""
    calls = []
    stub = types.ModuleType("ui.app")

    def build_app(index_dir=None, *, uploads_dir=None, generator=None, access=None):
        calls.append(("build", access))
        return object()

    stub.build_app = build_app
    stub.launch_app = lambda demo, host, port: calls.append(("launch", host))
    monkeypatch.setitem(sys.modules, "ui.app", stub)
    return calls


def test_serving_beyond_loopback_with_no_users_is_refused_in_one_line(index, stub_app, capsys):
    assert main(["ui", "--host", "0.0.0.0", "--index", str(index)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("inspection-search ui: will not serve on 0.0.0.0 with nobody required to sign in: "
                          "add a user first (`inspection-search users add NAME --role admin`")
    assert stub_app == []  # nothing was built, no server started


def test_the_refusal_in_a_real_process_returns_at_once(index):
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTION_SEARCH_")}
    p = subprocess.run([sys.executable, "-m", "ui.cli", "ui", "--host", "0.0.0.0", "--index", str(index)],
                       capture_output=True, text=True, cwd=REPO, env=dict(env, PYTHONPATH=str(REPO)), timeout=60)
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "users add NAME --role admin" in p.stderr


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_without_users_still_serves(index, stub_app, host):
    assert main(["ui", "--host", host, "--index", str(index)]) == 0
    assert stub_app[0][0] == "build" and stub_app[1] == ("launch", host)


def test_with_users_or_the_trusted_header_any_address_is_allowed_and_passed_on(index, stub_app, capsys):
    UserStore(index / "users.json").add("ann", "admin", PASSWORD)
    assert main(["ui", "--host", "0.0.0.0", "--index", str(index)]) == 0
    access = stub_app[0][1]
    assert access.users_file == index / "users.json" and access.mode() == "password"
    assert "passwords cross the network; put a TLS proxy in front" in capsys.readouterr().err
    stub_app.clear()
    assert main(["ui", "--host", "0.0.0.0", "--index", str(index / "other"), "--trusted-user-header", "X-Remote-User",
                 "--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "::1"]) == 0
    access = stub_app[0][1]
    assert access.mode() == "header" and access.trusted_user_header == "X-Remote-User"
    assert [str(n) for n in access.trusted_proxies] == ["10.0.0.0/8", "::1/128"]


@pytest.mark.parametrize("extra,line", [
    (["--trusted-user-header", "X-Remote-User"], "--trusted-user-header needs --trusted-proxy ADDR"),
    (["--trusted-user-header", "X Remote", "--trusted-proxy", "10.0.0.1"], "is not an HTTP header name"),
    (["--trusted-user-header", "X-Remote-User", "--trusted-proxy", "10.0.0.0/33"], "is not an IP address or CIDR"),
])
def test_a_bad_trusted_header_setting_is_one_line(index, stub_app, capsys, extra, line):
    assert main(["ui", "--index", str(index), *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and line in err and stub_app == []


def test_the_next_start_says_the_audit_log_was_cut_off(index, stub_app, capsys):
    log = AuditLog(index / "audit.jsonl")
    log.append("ann", "upload", {"file": "a.pdf"})
    with open(log.path, "ab") as f:
        f.write(b'{"time": "2025')
    assert main(["ui", "--index", str(index)]) == 0
    assert "the last line (byte " in capsys.readouterr().err


# --- inspection-search audit ---------------------------------------------------------------------------

def test_audit_lists_filters_and_exports(index, tmp_path, capsys):
    log = AuditLog(index / "audit.jsonl")
    log.append("ann", "upload", {"file": "a.pdf"}, "gen-000001", "gen-000002")
    log.append("bob", "judge", {"label": "match"}, "gen-000002", "gen-000002")
    log.append(ME, "user_add", {"user": "carl", "role": "reader"})
    assert main(["audit", "--index", str(index)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and "ann  upload  file=a.pdf  [gen-000001 -> gen-000002]" in out[0]
    assert main(["audit", "--json", "--who", "bob", "--index", str(index)]) == 0
    [only] = json.loads(capsys.readouterr().out)
    assert only["action"] == "judge" and only["generation_after"] == "gen-000002"
    dest = tmp_path / "audit.csv"
    assert main(["audit", "--csv", str(dest), "--action", "user_add", "--since", "2000-01-01",
                 "--index", str(index)]) == 0
    rows = list(csv.DictReader(dest.open(encoding="utf-8")))
    assert [(r["who"], json.loads(r["what"])["user"]) for r in rows] == [(ME, "carl")]
    assert main(["audit", "--since", "2999-01-01", "--json", "--index", str(index)]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["audit", "--since", "yesterday", "--index", str(index)]) == 2
    assert "--since 'yesterday' is not a date" in capsys.readouterr().err


def test_audit_warns_of_a_cut_off_line_and_lists_the_rest(index, capsys):
    log = AuditLog(index / "audit.jsonl")
    log.append("ann", "upload", {"file": "a.pdf"})
    with open(log.path, "ab") as f:
        f.write(b'{"time": "20')
    assert main(["audit", "--index", str(index)]) == 0
    captured = capsys.readouterr()
    assert "was cut off by an interrupted write" in captured.err and "file=a.pdf" in captured.out


# --- judge: the author is the person at the keyboard -------------------------------------------------------

@pytest.fixture
def own_index(corpus_index, tmp_path):
    idx = tmp_path / "judged"
    shutil.copytree(corpus_index, idx)
    return idx


def test_a_cli_judgement_is_by_the_login_unless_by_is_given_and_is_audited(own_index, capsys):
    from indexer.index.store import IndexStore
    from search.records.judgements import JudgementStore

    assert main(["judge", "2022-06#14", "2020-03#4", "match", "--index", str(own_index)]) == 0
    assert main(["judge", "2022-06#17", "2020-03#8", "reject", "--by", "inspector A", "--index", str(own_index)]) == 0
    assert [j.by for j in JudgementStore(own_index).all()] == [ME, "inspector A"]
    gen = IndexStore(own_index).current()
    first, second = AuditLog(own_index / "audit.jsonl").entries()
    assert (first.who, first.action, first.what["label"], first.what["by"]) == (ME, "judge", "match", ME)
    assert (first.generation_before, first.generation_after) == (gen, gen)
    assert (second.who, second.what["by"], second.what["label"]) == (ME, "inspector A", "no_match")  # who ran it

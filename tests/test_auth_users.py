"""The user file and the roles (issue 23): argon2 hashes, never a password; owner-only whatever the
umask; replaced atomically; one clear line for every mistake; one permission table."""
from __future__ import annotations

import json
import os
import stat

import pytest

from ui.auth.errors import (BadName, BadPassword, BadUserFile, LastAdmin, NotAllowed, UnknownRole, UnknownUser,
                            UserExists)
from ui.auth.roles import ACTIONS, ROLES, User, can, require
from ui.auth.users import USERS_ENV, UserStore, resolve_users_file

PASSWORD = "correct horse battery staple"


@pytest.fixture
def store(tmp_path):
    return UserStore(tmp_path / "index" / "users.json")


@pytest.fixture
def umask_000():
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_role_table_is_the_issues():
    table = {r: {a for a in ACTIONS if can(r, a)} for r in ROLES}
    assert table["reader"] == {"ask", "search", "similar", "read"}
    assert table["editor"] == table["reader"] | {"upload", "remove", "judge"}
    assert table["admin"] == table["editor"] | {"manage_users", "read_audit"}
    with pytest.raises(ValueError):  # a misspelt action must not quietly deny (or grant)
        can("admin", "uplaod")


def test_require_says_who_may_in_one_line():
    assert require(User("ed", "editor"), "upload").name == "ed"
    with pytest.raises(NotAllowed) as e:
        require(User("rita", "reader"), "judge")
    assert str(e.value) == "rita is a reader and may not judge (allowed for editors and admins)"
    with pytest.raises(NotAllowed, match="sign in to upload"):
        require(None, "upload")


def test_the_file_holds_a_hash_never_the_password_and_is_owner_only_with_umask_000(store, umask_000):
    store.add("Ann", "admin", PASSWORD)
    raw = store.path.read_bytes()
    assert PASSWORD.encode() not in raw and b"horse" not in raw
    rec = json.loads(raw)["users"][0]
    assert rec["name"] == "ann" and rec["role"] == "admin" and rec["hash"].startswith("$argon2id$")
    assert _mode(store.path) == 0o600
    assert _mode(store.path.with_name("users.json.lock")) == 0o600
    store.set_role("ann", "admin")  # every rewrite is created 0600 too
    assert _mode(store.path) == 0o600
    assert [p.name for p in store.path.parent.iterdir() if p.name.endswith(".tmp")] == []  # nothing left over


def test_a_stale_temporary_file_does_not_lend_its_permissions(store, umask_000):
    """The temporary file is chmod-ed on its descriptor, so a world-readable leftover of a crash
    (same name) cannot make the new file readable by others."""
    store.path.parent.mkdir(parents=True)
    stale = store.path.with_name(f".users.json.{os.getpid()}.tmp")
    stale.write_bytes(b"junk")
    os.chmod(stale, 0o666)
    store.add("ann", "admin", PASSWORD)
    assert _mode(store.path) == 0o600 and not stale.exists()


def test_passwords_verify_and_names_compare_without_case(store):
    store.add("Ann.Smith@justice.example", "editor", PASSWORD)
    assert store.verify("ann.smith@justice.example", PASSWORD) == User("ann.smith@justice.example", "editor")
    assert store.verify("ANN.SMITH@justice.example", PASSWORD) is not None
    assert store.verify("ann.smith@justice.example", PASSWORD + "!") is None
    assert store.verify("nobody", PASSWORD) is None
    assert store.get("ann.smith@justice.example").last_sign_in  # recorded at the successful sign-in


def test_an_old_hash_is_upgraded_at_the_next_sign_in(store):
    from argon2 import PasswordHasher

    weak = UserStore(store.path, hasher=PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))
    weak.add("ann", "admin", PASSWORD)
    old = store.get("ann").hash
    assert "m=8192,t=1" in old
    assert store.verify("ann", PASSWORD)  # the default hasher: its parameters are stronger
    new = store.get("ann").hash
    assert new != old and "m=65536,t=3" in new
    assert store.verify("ann", PASSWORD)


@pytest.mark.parametrize("call,error,text", [
    (lambda s: s.add("ann smith", "reader", PASSWORD), BadName, "bad user name 'ann smith'"),
    (lambda s: s.add("-ann", "reader", PASSWORD), BadName, "starting with a letter or digit"),
    (lambda s: s.add("bob", "owner", PASSWORD), UnknownRole, "unknown role 'owner': use one of reader, editor, admin"),
    (lambda s: s.add("bob", "reader", "short"), BadPassword, "at least 8 characters"),
    (lambda s: s.add("ann", "reader", PASSWORD), UserExists, "user 'ann' already exists"),
    (lambda s: s.set_role("carl", "reader"), UnknownUser, "no user 'carl'"),
    (lambda s: s.remove("carl"), UnknownUser, "no user 'carl'"),
    (lambda s: s.set_role("ann", "editor"), LastAdmin, "cannot make ann a editor: ann is the only admin"),
    (lambda s: s.remove("ann"), LastAdmin, "cannot remove ann: ann is the only admin"),
])
def test_each_mistake_is_one_clear_line_and_changes_nothing(store, call, error, text):
    store.add("ann", "admin", PASSWORD)
    before = store.path.read_bytes()
    with pytest.raises(error) as e:
        call(store)
    assert text in str(e.value) and "\n" not in str(e.value)
    assert store.path.read_bytes() == before


def test_the_last_admin_may_go_once_there_is_another(store):
    store.add("ann", "admin", PASSWORD)
    store.add("bob", "reader", PASSWORD)
    store.set_role("bob", "admin")
    store.set_role("ann", "reader")
    store.remove("ann")
    assert [(u.name, u.role) for u in store.records()] == [("bob", "admin")]


def test_a_header_only_user_cannot_sign_in_with_any_password(store):
    store.add("sso.person", "editor", None)
    assert store.get("sso.person").hash is None
    assert store.verify("sso.person", "") is None and store.verify("sso.person", PASSWORD) is None


def test_a_damaged_file_is_one_line_saying_what_to_do(store):
    store.path.parent.mkdir(parents=True)
    store.path.write_text("{not json", encoding="utf-8")
    with pytest.raises(BadUserFile, match="not a readable user file .*restore it from a backup"):
        store.records()


def test_the_one_rule_for_where_the_file_lives(tmp_path, monkeypatch):
    monkeypatch.delenv(USERS_ENV, raising=False)
    monkeypatch.delenv("INSPECTION_SEARCH_INDEX", raising=False)
    assert resolve_users_file(None, tmp_path / "idx") == tmp_path / "idx" / "users.json"
    monkeypatch.setenv("INSPECTION_SEARCH_INDEX", str(tmp_path / "env-idx"))
    assert resolve_users_file(None, None) == tmp_path / "env-idx" / "users.json"
    monkeypatch.setenv(USERS_ENV, str(tmp_path / "team.json"))
    assert resolve_users_file(None, tmp_path / "idx") == tmp_path / "team.json"
    assert resolve_users_file(tmp_path / "opt.json", tmp_path / "idx") == tmp_path / "opt.json"


def test_a_widened_file_is_noticed(store):
    store.add("ann", "admin", PASSWORD)
    assert store.permission_warning() is None
    os.chmod(store.path, 0o644)
    assert "readable by others (mode 644); run chmod 600" in store.permission_warning()


def test_concurrent_changes_are_all_kept(store):
    """The command line and the app (several threads) change the file under one lock: nothing is lost."""
    import threading

    from argon2 import PasswordHasher

    cheap = UserStore(store.path, hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    cheap.add("ann", "admin", PASSWORD)
    errors = []

    def work(n):
        try:
            mine = UserStore(store.path, hasher=cheap.hasher)
            mine.add(f"user{n}", "reader", PASSWORD)
            mine.verify("ann", PASSWORD)  # records a sign-in: another write
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(u.name for u in store.records()) == ["ann"] + [f"user{n}" for n in range(8)]

"""The user file: who may sign in, with which role, and their password hashes (never the passwords).

    store = UserStore(resolve_users_file(None, None))   # <index>/users.json unless told otherwise
    store.add("ann", "admin", "a long passphrase")
    store.verify("ann", "a long passphrase")           # -> User("ann", "admin"), or None

One JSON file, {"format": 1, "users": [{name, role, hash, created, password_changed,
last_sign_in}]}. It is replaced whole on every change (a temporary file, fsync, rename, fsync
of the folder, `indexer.fsio.atomic_write`) under a file lock, so the command line and a running
app never interleave and a crash leaves the old file or the new one. It is created readable and
writable by its owner only (0600, whatever the umask): the hashes are slow to attack, not secret.
Hashes are argon2id (argon2-cffi's PasswordHasher defaults); a hash made with older parameters
is replaced at the next successful sign-in.
"""
from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from indexer import fsio
from ui.auth.errors import (
    BadName,
    BadPassword,
    BadUserFile,
    LastAdmin,
    NoUserFile,
    UnknownUser,
    UserExists,
)
from ui.auth.roles import User, check_role

USERS_ENV = "INSPECTION_SEARCH_USERS"
USERS_FILE = "users.json"
FORMAT = 1
FILE_MODE = 0o600
MIN_PASSWORD = 8  # NIST SP 800-63B's floor; no composition rules, long passphrases welcome
MAX_PASSWORD = 1024
# names: what sign-on systems hand over too (e-mail addresses, dotted names); lower case, so
# "Ann" and "ann" are one person; no spaces or control characters that could hide in a log
_NAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")


def resolve_users_file(option: str | Path | None = None, index_dir: str | Path | None = None) -> Path:
    """The one rule for where the user file lives: --users, then $INSPECTION_SEARCH_USERS, then
    users.json in the index folder (the index's own rule: --index, $INSPECTION_SEARCH_INDEX, var/index)."""
    from indexer.index.store import resolve_index_dir

    if option:
        return Path(option)
    env = os.environ.get(USERS_ENV)
    return Path(env) if env else resolve_index_dir(index_dir) / USERS_FILE


def normalise_name(name: str) -> str:
    """The name as stored and compared (NFKC, lower case), or BadName saying what a name may hold."""
    n = unicodedata.normalize("NFKC", str(name or "")).strip().lower()
    if not _NAME.fullmatch(n):
        raise BadName(f"bad user name {name!r}: use 1-64 letters, digits and . _ - @, "
                      "starting with a letter or digit")
    return n


def check_new_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise BadPassword(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise BadPassword(f"the password must have at most {MAX_PASSWORD} characters")
    return password


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class UserRecord:
    name: str
    role: str
    hash: str | None  # argon2 hash; None: signs in only through the trusted header
    created: str
    password_changed: str | None = None
    last_sign_in: str | None = None

    @property
    def user(self) -> User:
        return User(self.name, self.role)


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


class UserStore:
    def __init__(self, path: str | Path, hasher=None, now: Callable[[], str] = now_iso):
        self.path = Path(path)
        self._hasher = hasher
        self._now = now
        self._cache: tuple[tuple, dict[str, UserRecord]] | None = None
        self._dummy: str | None = None

    @property
    def hasher(self):
        if self._hasher is None:
            self._hasher = _hasher()
        return self._hasher

    # --- reading ---------------------------------------------------------------------------

    def _read(self) -> dict[str, UserRecord]:
        """The users by name; cached until the file changes (a replace gives it a new inode)."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return {}
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
        if self._cache and self._cache[0] == key:
            return self._cache[1]
        users = self._parse(self.path.read_bytes())
        self._cache = (key, users)
        return users

    def _parse(self, data: bytes) -> dict[str, UserRecord]:
        fix = "restore it from a backup, or move it away and add the users again"
        try:
            doc = json.loads(data.decode("utf-8"))
            if doc.get("format") != FORMAT:
                raise BadUserFile(f"{self.path}: user file format {doc.get('format')!r}, this version "
                                  f"reads {FORMAT}; upgrade inspection-search or {fix}")
            return {u["name"]: UserRecord(**u) for u in doc["users"]}
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise BadUserFile(f"{self.path}: not a readable user file ({type(e).__name__}); {fix}") from None

    def records(self) -> list[UserRecord]:
        return sorted(self._read().values(), key=lambda u: u.name)

    def has_users(self) -> bool:
        return bool(self._read())

    def get(self, name: str) -> UserRecord | None:
        try:
            return self._read().get(normalise_name(name))
        except BadName:
            return None

    def identity(self, name: str) -> User | None:
        """The user's current role (None if unknown): a role change applies at the next request."""
        rec = self.get(name)
        return rec.user if rec else None

    def require_file(self) -> None:
        if not self.path.exists():
            raise NoUserFile(f"no user file at {self.path}; add a user with "
                             "`inspection-search users add NAME --role admin`")

    def permission_warning(self) -> str | None:
        """One line if someone widened the file's permissions after it was written."""
        try:
            mode = self.path.stat().st_mode & 0o777
        except FileNotFoundError:
            return None
        if mode & 0o077:
            return f"warning: {self.path} is readable by others (mode {mode:o}); run chmod 600 {self.path}"
        return None

    # --- passwords -------------------------------------------------------------------------

    def hash_password(self, password: str) -> str:
        return self.hasher.hash(check_new_password(password))

    def verify_hash(self, rec: UserRecord | None, password: str) -> bool:
        """Whether `password` matches; an unknown user (or one without a password) costs a hash too,
        so timing does not tell which names exist."""
        from argon2.exceptions import InvalidHashError, VerificationError

        target = rec.hash if rec and rec.hash else self._dummy_hash()
        try:
            ok = self.hasher.verify(target, password)
        except (VerificationError, InvalidHashError):
            return False
        return bool(ok and rec and rec.hash)

    def _dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = self.hasher.hash("not a password of anyone")
        return self._dummy

    def verify(self, name: str, password: str) -> User | None:
        """The user if the password is theirs; records the sign-in and upgrades an old hash."""
        rec = self.get(name)
        if not self.verify_hash(rec, password):
            return None
        rehash = self.hasher.check_needs_rehash(rec.hash)
        try:
            fresh = self._change(lambda users: self._signed_in(users, rec.name, password if rehash else None))
        except OSError:  # a read-only user file: the sign-in stands, only its date is not kept
            return rec.user
        return fresh.user if fresh else None  # None: removed while the password was being checked

    def _signed_in(self, users: dict[str, UserRecord], name: str, password: str | None) -> UserRecord | None:
        rec = users.get(name)
        if rec is None:  # removed a moment ago by the command line: nothing to record
            return None
        new = replace(rec, last_sign_in=self._now())
        if password is not None:
            new = replace(new, hash=self.hasher.hash(password))
        users[name] = new
        return new

    # --- changes ---------------------------------------------------------------------------

    def _lock(self):
        from filelock import FileLock

        fsio.mkdir(self.path.parent)
        return FileLock(str(self.path) + ".lock", timeout=30, mode=FILE_MODE)

    def _write(self, users: dict[str, UserRecord]) -> None:
        doc = {"format": FORMAT, "users": [asdict(users[n]) for n in sorted(users)]}
        body = (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
        fsio.atomic_write(self.path, body, mode=FILE_MODE)
        self._cache = None

    def _change(self, edit: Callable[[dict[str, UserRecord]], UserRecord | None]) -> UserRecord | None:
        """Read, edit and write back under the lock: the one way the file changes."""
        with self._lock():
            self._cache = None
            users = dict(self._read())
            out = edit(users)
            self._write(users)
        return out

    def _existing(self, users: dict[str, UserRecord], name: str) -> UserRecord:
        n = normalise_name(name)
        if n not in users:
            raise UnknownUser(f"no user {n!r} in {self.path} (see `inspection-search users list`)")
        return users[n]

    def add(self, name: str, role: str, password: str | None) -> UserRecord:
        """A new user; `password` None makes one who signs in only through the trusted header."""
        n, r = normalise_name(name), check_role(role)
        hashed = self.hash_password(password) if password is not None else None

        def edit(users):
            if n in users:
                raise UserExists(f"user {n!r} already exists (change it with `users set-role` or `users passwd`)")
            now = self._now()
            users[n] = UserRecord(n, r, hashed, now, now if hashed else None)
            return users[n]
        return self._change(edit)

    def set_role(self, name: str, role: str) -> UserRecord:
        r = check_role(role)

        def edit(users):
            rec = self._existing(users, name)
            if rec.role == "admin" and r != "admin":
                self._keep_an_admin(users, rec.name, f"make {rec.name} a {r}")
            users[rec.name] = replace(rec, role=r)
            return users[rec.name]
        return self._change(edit)

    def remove(self, name: str) -> UserRecord:
        def edit(users):
            rec = self._existing(users, name)
            if rec.role == "admin":
                self._keep_an_admin(users, rec.name, f"remove {rec.name}")
            return users.pop(rec.name)
        return self._change(edit)

    def set_password(self, name: str, password: str) -> UserRecord:
        hashed = self.hash_password(password)

        def edit(users):
            rec = self._existing(users, name)
            users[rec.name] = replace(rec, hash=hashed, password_changed=self._now())
            return users[rec.name]
        return self._change(edit)

    @staticmethod
    def _keep_an_admin(users: dict[str, UserRecord], name: str, doing: str) -> None:
        if not any(u.role == "admin" for n, u in users.items() if n != name):
            raise LastAdmin(f"cannot {doing}: {name} is the only admin; make another user admin first")

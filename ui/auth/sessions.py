"""Signed-in sessions that end: after a spell of inactivity, and in any case after a working day.

    sessions = SessionStore()
    s = sessions.create("ann")            # s.token goes into an HttpOnly cookie
    sessions.get(s.token)                 # -> the Session (and it counts as activity), or None once expired
    sessions.end(s.token)                 # signing out

A session holds the user's name, not their role: the role is looked up in the user file at each
request, so `users set-role` and `users remove` take effect at once. Tokens are 256 random bits
(`secrets`); only the server knows which are live, and they live in memory (a restart signs
everyone out, which is the safe direction). The clock is injectable, so tests need no sleeps.
"""
from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from ui.auth.users import now_iso


@dataclass(frozen=True)
class SessionPolicy:
    idle: float = 60 * 60.0  # seconds without a request before a session ends
    absolute: float = 12 * 60 * 60.0  # seconds after signing in when it ends regardless
    max_sessions: int = 10_000  # live sessions kept at most; the oldest go first


@dataclass(frozen=True)
class Session:
    token: str
    name: str
    created: float  # clock time of signing in
    last_seen: float  # clock time of the latest request
    signed_in: str = ""  # wall-clock time of signing in (UTC ISO), to compare with a password change

    def expired(self, now: float, policy: SessionPolicy) -> bool:
        return now - self.last_seen >= policy.idle or now - self.created >= policy.absolute


class SessionStore:
    def __init__(self, policy: SessionPolicy = SessionPolicy(), clock: Callable[[], float] = time.monotonic,
                 new_token: Callable[[], str] = lambda: secrets.token_urlsafe(32),
                 wall_clock: Callable[[], str] = now_iso):
        self.policy = policy
        self.clock = clock
        self.wall_clock = wall_clock
        self._new_token = new_token
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}

    def create(self, name: str) -> Session:
        now = self.clock()
        s = Session(self._new_token(), name, now, now, self.wall_clock())
        with self._lock:
            self._sweep(now, room=1)
            self._sessions[s.token] = s
        return s

    def get(self, token: str | None) -> Session | None:
        """The live session of `token`, its activity recorded; None if unknown or expired (then gone)."""
        if not token:
            return None
        now = self.clock()
        with self._lock:
            s = self._sessions.get(token)
            if s is None:
                return None
            if s.expired(now, self.policy):
                del self._sessions[token]
                return None
            s = self._sessions[token] = replace(s, last_seen=now)
            return s

    def end(self, token: str | None) -> bool:
        with self._lock:
            return self._sessions.pop(token or "", None) is not None

    def end_user(self, name: str) -> int:
        """End every session of `name` (after a password change, say); how many there were."""
        with self._lock:
            tokens = [t for t, s in self._sessions.items() if s.name == name]
            for t in tokens:
                del self._sessions[t]
        return len(tokens)

    def __len__(self) -> int:
        with self._lock:
            self._sweep(self.clock())
            return len(self._sessions)

    def _sweep(self, now: float, room: int = 0) -> None:
        """Drop expired sessions, and the oldest beyond the cap (memory stays bounded)."""
        for t in [t for t, s in self._sessions.items() if s.expired(now, self.policy)]:
            del self._sessions[t]
        extra = len(self._sessions) - self.policy.max_sessions + room
        if extra > 0:
            for t in sorted(self._sessions, key=lambda t: self._sessions[t].created)[:extra]:
                del self._sessions[t]

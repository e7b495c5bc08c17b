"""Checking a password, with failed sign-ins slowed and then refused, per user and per address.

    auth = Authenticator(UserStore(path))
    auth.check("ann", "secret", "10.1.2.3")    # -> User, or None for a wrong name or password
    # after failures: SignInRefused("wait 4 s ...", retry_after=4.0), before any password is checked

After the n-th failure in the window a key (a user name, or an address) must wait
base * 2**(n-1) seconds, up to a cap, before another attempt is even checked; at the limit it is
locked out for a while. An attempt that arrives too early is refused without checking the
password (OWASP's advice: slow guessing down without tying up the server in sleeps), and one
in progress counts until it is decided, so a burst of parallel guesses cannot slip past the
gate together. A success clears the user's count but not the address's: one valid account must
not let an address reset its count between guesses at others. Unknown names are counted like
known ones and cost a hash, so neither timing nor refusals tell which names exist.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from ui.auth.errors import BadName, SignInRefused
from ui.auth.proxies import client_address, trusted_user
from ui.auth.roles import User
from ui.auth.sessions import Session, SessionPolicy, SessionStore
from ui.auth.users import UserStore, normalise_name

# the other sign-in pieces are importable from here too; they live in sessions.py and proxies.py
__all__ = ["Authenticator", "Session", "SessionPolicy", "SessionStore", "ThrottlePolicy", "client_address",
           "trusted_user"]
MAX_TRACKED = 10_000  # keys remembered at most: stale ones are dropped first


@dataclass(frozen=True)
class ThrottlePolicy:
    base_delay: float = 1.0  # seconds to wait after the first failure; doubles with each failure
    max_delay: float = 30.0  # the cap of that wait
    window: float = 15 * 60.0  # failures older than this are forgotten
    user_limit: int = 5  # failures for one name within the window before it is locked out
    address_limit: int = 20  # from one address (higher: several people may share one)
    lockout: float = 15 * 60.0  # how long a locked-out name or address is refused

    def delay(self, failures: int) -> float:
        return 0.0 if failures <= 0 else min(self.max_delay, self.base_delay * 2 ** (failures - 1))


@dataclass
class _Count:
    failures: deque = field(default_factory=deque)  # times of failures within the window
    pending: int = 0  # attempts being checked right now
    last: float = float("-inf")  # when the last failure (or pending attempt) happened
    locked_until: float = float("-inf")

    def prune(self, now: float, window: float) -> None:
        while self.failures and self.failures[0] <= now - window:
            self.failures.popleft()

    def idle(self, now: float) -> bool:
        return not self.failures and not self.pending and self.locked_until <= now


def _minutes(seconds: float) -> str:
    return f"{max(1, round(seconds / 60))} min" if seconds >= 90 else f"{max(1, int(seconds + 0.999))} s"


class Authenticator:
    def __init__(self, store: UserStore, policy: ThrottlePolicy = ThrottlePolicy(),
                 clock: Callable[[], float] = time.monotonic):
        self.store = store
        self.policy = policy
        self.clock = clock
        self._lock = threading.Lock()
        self._users: dict[str, _Count] = {}
        self._addresses: dict[str, _Count] = {}

    def check(self, username: str, password: str, address: str | None) -> User | None:
        """The user if the name and password match; None if not; SignInRefused (saying how long)
        when this name or address has failed too often to be checked now."""
        try:
            name = normalise_name(username)
        except BadName:
            name = "\0invalid"  # still counted per address, never matches a user
        addr = address or "unknown"
        self._admit(name, addr)
        try:
            user = self.store.verify(name, password) if password and name != "\0invalid" else None
        except BaseException:  # the user file could not be read: not the person's failure
            self._decide(name, addr, ok=None)
            raise
        self._decide(name, addr, ok=user is not None)
        return user

    def retry_after(self, username: str, address: str | None) -> float:
        """Seconds before an attempt for this name from this address would be checked (0: now)."""
        now = self.clock()
        with self._lock:
            waits = [self._refusal(table, key, limit, now)
                     for table, key, limit in self._keys(username, address)]
        return max([w[1] for w in waits if w] or [0.0])

    # --- the gate ----------------------------------------------------------------------------

    def _keys(self, name: str, addr: str | None):
        return ((self._users, name, self.policy.user_limit),
                (self._addresses, addr or "unknown", self.policy.address_limit))

    def _refusal(self, table: dict, key: str, limit: int, now: float) -> tuple[str, float] | None:
        """(why, seconds to wait) if `key` may not try now, else None."""
        c = table.get(key)
        if c is None:
            return None
        c.prune(now, self.policy.window)
        if c.locked_until > now:
            return ("locked", c.locked_until - now)
        n = len(c.failures) + c.pending
        if n >= limit:  # the limit is reached by attempts still being checked
            return ("busy", max(self.policy.base_delay, 0.001))
        wait = c.last + self.policy.delay(n) - now
        return ("slow", wait) if n and wait > 0 else None

    def _admit(self, name: str, addr: str) -> None:
        now = self.clock()
        with self._lock:
            for (table, key, limit), who in zip(self._keys(name, addr), ("this user", "this address")):
                refusal = self._refusal(table, key, limit, now)
                if refusal:
                    raise SignInRefused(self._message(refusal, who, limit), refusal[1])
            self._forget_stale(now)
            for table, key, _ in self._keys(name, addr):
                c = table.setdefault(key, _Count())
                if c.failures:  # a failure is still being waited out: this attempt holds the slot
                    c.last = now
                c.pending += 1

    def _decide(self, name: str, addr: str, ok: bool | None) -> None:
        """Release the attempt's slot and count its outcome (None: undecided, not counted)."""
        now = self.clock()
        with self._lock:
            for table, key, limit in self._keys(name, addr):
                c = table.setdefault(key, _Count())
                c.pending = max(0, c.pending - 1)
                if ok and table is self._users:
                    table.pop(key, None)
                elif ok is False:
                    c.failures.append(now)
                    c.last = now
                    if len(c.failures) >= limit:
                        c.locked_until = now + self.policy.lockout
                        c.failures.clear()  # served by the lockout; afterwards a fresh start

    def _message(self, refusal: tuple[str, float], who: str, limit: int) -> str:
        why, wait = refusal
        if why == "locked":
            return (f"too many failed sign-ins for {who} ({limit} within {_minutes(self.policy.window)}); "
                    f"sign-in is locked for {_minutes(wait)}")
        return f"failed sign-ins are slowed: wait {_minutes(wait)} before trying again"

    def _forget_stale(self, now: float) -> None:
        """Bound the memory a flood of made-up names can take: drop keys with nothing to remember."""
        for table in (self._users, self._addresses):
            if len(table) <= MAX_TRACKED:
                continue
            stale = []
            for key, c in table.items():
                c.prune(now, self.policy.window)
                if c.idle(now):
                    stale.append(key)
            for key in stale:
                del table[key]

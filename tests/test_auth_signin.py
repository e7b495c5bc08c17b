"""Signing in (issue 23): wrong passwords slowed, then refused for a while, per name and per address;
sessions that end; the proxy's user header believed only from the proxy. An injected clock: no sleeps."""
from __future__ import annotations

import threading

import pytest
from argon2 import PasswordHasher

from ui.auth.errors import SignInRefused
from ui.auth.proxies import client_address, parse_proxies, trusted_user
from ui.auth.roles import User
from ui.auth.sessions import SessionPolicy, SessionStore
from ui.auth.signin import Authenticator, ThrottlePolicy
from ui.auth.users import UserStore

PASSWORD = "correct horse battery staple"
POLICY = ThrottlePolicy(base_delay=1.0, max_delay=8.0, window=600.0, user_limit=5, address_limit=8, lockout=900.0)


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def auth(tmp_path, clock):
    # real argon2, cheap parameters: these tests check hundreds of passwords
    store = UserStore(tmp_path / "users.json", hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    store.add("ann", "editor", PASSWORD)
    store.add("bob", "reader", PASSWORD)
    return Authenticator(store, POLICY, clock=clock)


def _refused(auth, name, password, address) -> SignInRefused:
    with pytest.raises(SignInRefused) as e:
        auth.check(name, password, address)
    return e.value


def test_the_right_password_signs_in_and_a_wrong_one_does_not(auth):
    assert auth.check("ann", PASSWORD, "10.0.0.1") == User("ann", "editor")
    assert auth.check("ann", "wrong password", "10.0.0.1") is None
    assert auth.check("nobody", PASSWORD, "10.0.0.2") is None


def test_each_failure_doubles_the_wait_up_to_the_cap_per_user(auth, clock):
    waits = []
    for n in range(4):
        assert auth.check("ann", f"guess {n}", f"10.0.0.{n}") is None  # a new address each time: the user counts
        e = _refused(auth, "ann", PASSWORD, "10.0.9.9")  # too early: refused, even the right password
        assert "failed sign-ins are slowed: wait" in str(e)
        waits.append(e.retry_after)
        clock.advance(e.retry_after)
    assert waits == [1.0, 2.0, 4.0, 8.0]
    assert auth.check("ann", PASSWORD, "10.0.9.9") == User("ann", "editor")  # waited: checked, and right


def test_the_cap_holds(auth, clock):
    policy = ThrottlePolicy(base_delay=1.0, max_delay=3.0, user_limit=50, address_limit=50)
    a = Authenticator(auth.store, policy, clock=clock)
    for _ in range(6):
        a.check("ann", "wrong", "10.0.0.1")
        clock.advance(a.retry_after("ann", "10.0.0.1"))
    assert a.retry_after("ann", "10.0.0.1") == 0.0
    a.check("ann", "wrong", "10.0.0.1")
    assert a.retry_after("ann", "10.0.0.1") == 3.0


def test_after_the_limit_a_user_is_locked_out_and_told_for_how_long(auth, clock):
    for n in range(POLICY.user_limit):
        assert auth.check("ann", "wrong", f"10.0.1.{n}") is None
        clock.advance(POLICY.max_delay)
    e = _refused(auth, "ann", PASSWORD, "10.0.2.1")
    assert str(e) == "too many failed sign-ins for this user (5 within 10 min); sign-in is locked for 15 min"
    assert auth.check("bob", PASSWORD, "10.0.2.1") == User("bob", "reader")  # another user is not affected
    clock.advance(POLICY.lockout - POLICY.max_delay)
    assert auth.check("ann", PASSWORD, "10.0.2.1") == User("ann", "editor")  # the lockout ends


def test_one_address_guessing_at_many_names_is_slowed_and_locked_out(auth, clock):
    names = [f"user{n}" for n in range(POLICY.address_limit)]
    for i, name in enumerate(names):
        assert auth.check(name, "guess", "203.0.113.7") is None
        if i < len(names) - 1:
            e = _refused(auth, f"fresh{i}", "guess", "203.0.113.7")  # a new name does not escape the address
            assert e.retry_after > 0
            clock.advance(e.retry_after)
    e = _refused(auth, "ann", PASSWORD, "203.0.113.7")
    assert "too many failed sign-ins for this address (8 within 10 min); sign-in is locked for 15 min" == str(e)
    assert auth.check("ann", PASSWORD, "198.51.100.1") == User("ann", "editor")  # from elsewhere: fine


def test_a_success_does_not_reset_the_address(auth, clock):
    """Signing in to one's own account between guesses at others must not wipe the address's count."""
    auth.check("bob", "guess", "203.0.113.9")
    clock.advance(1.0)
    assert auth.check("ann", PASSWORD, "203.0.113.9") is not None
    clock.advance(1.0)
    auth.check("bob", "guess 2", "203.0.113.9")
    assert auth.retry_after("zed", "203.0.113.9") == 2.0  # two failures counted at the address


def test_failures_are_forgotten_after_the_window(auth, clock):
    for _ in range(POLICY.user_limit - 1):
        auth.check("ann", "wrong", "10.0.0.1")
        clock.advance(POLICY.max_delay)
    clock.advance(POLICY.window)
    for _ in range(POLICY.user_limit - 1):  # a fresh allowance: no lockout
        auth.check("ann", "wrong", "10.0.0.1")
        clock.advance(POLICY.max_delay)
    assert auth.check("ann", PASSWORD, "10.0.0.1") is not None


def test_a_burst_of_parallel_guesses_cannot_pass_the_gate_together(auth, clock):
    """Attempts being checked count: after one failure, 20 simultaneous guesses get one check at most."""
    auth.check("ann", "first", "10.0.0.1")
    clock.advance(1.0)
    checked, refused, lock = [], [], threading.Lock()
    barrier = threading.Barrier(20)

    def guess(n):
        barrier.wait()
        try:
            result = auth.check("ann", f"guess {n}", f"10.0.3.{n}")
            with lock:
                checked.append(result)
        except SignInRefused:
            with lock:
                refused.append(n)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checked) == 1 and len(refused) == 19


def test_unknown_and_invalid_names_are_counted_like_known_ones(auth, clock):
    for name in ("ghost", "ghost", "not a name!"):
        assert auth.check(name, "x" * 10, "10.0.0.5") is None
        clock.advance(POLICY.max_delay)
    assert auth.retry_after("ghost", "10.0.0.9") == 0.0
    auth.check("ghost", "again", "10.0.0.9")
    assert auth.retry_after("ghost", "10.0.0.99") == 4.0  # three failures for "ghost"


# --- sessions ------------------------------------------------------------------------------------

def test_a_session_ends_after_idling(clock):
    sessions = SessionStore(SessionPolicy(idle=60.0, absolute=3600.0), clock=clock)
    s = sessions.create("ann")
    clock.advance(59.0)
    assert sessions.get(s.token).name == "ann"  # activity: the idle clock starts again
    clock.advance(59.0)
    assert sessions.get(s.token) is not None
    clock.advance(60.0)
    assert sessions.get(s.token) is None and len(sessions) == 0


def test_a_busy_session_still_ends_at_the_absolute_limit(clock):
    sessions = SessionStore(SessionPolicy(idle=60.0, absolute=300.0), clock=clock)
    s = sessions.create("ann")
    for _ in range(4):
        clock.advance(50.0)
        assert sessions.get(s.token) is not None
    clock.advance(100.0)
    assert sessions.get(s.token) is None


def test_signing_out_and_ending_a_users_sessions(clock):
    sessions = SessionStore(clock=clock)
    a1, a2, b = sessions.create("ann"), sessions.create("ann"), sessions.create("bob")
    assert len({a1.token, a2.token, b.token}) == 3 and len(a1.token) >= 40
    assert sessions.end(a1.token) and sessions.get(a1.token) is None
    assert sessions.end_user("ann") == 1 and sessions.get(a2.token) is None
    assert sessions.get(b.token).name == "bob"
    assert sessions.get("made-up") is None and sessions.get(None) is None


def test_sessions_are_bounded(clock):
    sessions = SessionStore(SessionPolicy(max_sessions=3), clock=clock)
    tokens = []
    for n in range(5):
        tokens.append(sessions.create(f"u{n}").token)
        clock.advance(1.0)
    assert len(sessions) == 3 and sessions.get(tokens[0]) is None and sessions.get(tokens[-1]) is not None


# --- the trusted header ------------------------------------------------------------------------------

PROXIES = parse_proxies(["10.1.0.0/16", "::1"])


@pytest.mark.parametrize("peer,expected", [
    ("10.1.2.3", "ann"),  # inside the proxy block
    ("::ffff:10.1.2.3", "ann"),  # the same, as an IPv4-mapped IPv6 address
    ("::1", "ann"),
    ("10.2.0.1", None),  # outside: a spoofed header is ignored
    ("127.0.0.1", None),
    ("not an address", None),
    (None, None),
])
def test_the_user_header_is_believed_only_from_a_trusted_proxy(peer, expected):
    assert trusted_user({"X-Remote-User": "Ann"}, peer, "X-Remote-User", PROXIES) == expected


def test_the_header_name_is_matched_without_case_and_bad_values_are_ignored():
    assert trusted_user({"x-remote-user": "ann"}, "10.1.0.1", "X-Remote-User", PROXIES) == "ann"
    for value in ("", "ann, admin", "ann smith", "a" * 80):
        assert trusted_user({"X-Remote-User": value}, "10.1.0.1", "X-Remote-User", PROXIES) is None
    assert trusted_user({"X-Other": "ann"}, "10.1.0.1", "X-Remote-User", PROXIES) is None


def test_a_repeated_header_is_ignored_with_starlette_headers():
    from starlette.datastructures import Headers

    twice = Headers(raw=[(b"x-remote-user", b"ann"), (b"x-remote-user", b"admin")])
    assert trusted_user(twice, "10.1.0.1", "X-Remote-User", PROXIES) is None
    once = Headers(raw=[(b"x-remote-user", b"ann")])
    assert trusted_user(once, "10.1.0.1", "X-Remote-User", PROXIES) == "ann"


def test_the_client_address_is_read_past_our_own_proxies_only():
    xff = {"X-Forwarded-For": "198.51.100.7, 10.1.0.9"}
    assert client_address(xff, "10.1.0.1", PROXIES) == "198.51.100.7"  # our proxy: believed, from the right
    assert client_address(xff, "203.0.113.5", PROXIES) == "203.0.113.5"  # not our proxy: the peer
    spoof = {"X-Forwarded-For": "1.2.3.4, 198.51.100.7"}  # the browser put 1.2.3.4 there
    assert client_address(spoof, "10.1.0.1", PROXIES) == "198.51.100.7"
    assert client_address({}, "10.1.0.1", PROXIES) == "10.1.0.1"


def test_a_bad_proxy_address_is_one_line():
    from indexer.errors import BadInput

    with pytest.raises(BadInput, match="--trusted-proxy '10.0.0.300' is not an IP address or CIDR block"):
        parse_proxies(["10.0.0.300"])

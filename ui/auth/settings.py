"""How the app decides who may reach it: the settings it is started with, and the safe default.

    access = access_settings(users=None, index_dir=None, header=None, proxies=[])
    check_bind("0.0.0.0", access)     # UnsafeBind unless someone has to sign in

Three modes, decided once, here:
- "header": --trusted-user-header NAME; a proxy in --trusted-proxy signs people on and names them.
- "password": the user file has users; people sign in with a name and password.
- "open": neither; nobody signs in, so the app may only listen on a loopback address.
"""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from indexer.errors import BadInput
from ui.auth.errors import UnsafeBind
from ui.auth.proxies import Network, parse_proxies
from ui.auth.roles import User, check_role
from ui.auth.sessions import SessionPolicy
from ui.auth.signin import ThrottlePolicy
from ui.auth.users import UserStore, resolve_users_file

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an HTTP header name (RFC 9110 token)
LOOPBACK_NAMES = ("localhost",)
ADD_ADMIN = "inspection-search users add NAME --role admin"


@dataclass(frozen=True)
class AccessSettings:
    """Everything the app needs to know about signing in, passed from `inspection-search ui`."""

    users_file: Path
    trusted_user_header: str | None = None
    trusted_proxies: tuple[Network, ...] = ()
    header_role: str | None = "reader"  # role of a header-named person not in the user file (None: refused)
    throttle: ThrottlePolicy = field(default_factory=ThrottlePolicy)
    sessions: SessionPolicy = field(default_factory=SessionPolicy)

    def store(self) -> UserStore:
        return UserStore(self.users_file)

    def mode(self, store: UserStore | None = None) -> str:
        """'header', 'password' or 'open' (see the module's docstring)."""
        if self.trusted_user_header:
            return "header"
        return "password" if (store or self.store()).has_users() else "open"

    def identity(self, name: str | None, store: UserStore | None = None) -> User | None:
        """The User behind a signed-in name: their role from the user file; in header mode a name the
        file does not list gets `header_role`. None: nobody, or a name no longer allowed in."""
        if not name:
            return None
        known = (store or self.store()).identity(name)
        if known or self.mode(store) != "header" or not self.header_role:
            return known
        return User(name, self.header_role)


def access_settings(users: str | Path | None, index_dir: str | Path | None, header: str | None,
                    proxies: Sequence[str], header_role: str | None = "reader") -> AccessSettings:
    """AccessSettings from command-line options, checked: a header needs proxies to trust."""
    header = (header or "").strip() or None
    if header and not _TOKEN.fullmatch(header):
        raise BadInput(f"--trusted-user-header {header!r} is not an HTTP header name (e.g. X-Remote-User)")
    nets = parse_proxies(proxies or ())
    if header and not nets:
        raise BadInput("--trusted-user-header needs --trusted-proxy ADDR (the proxy that sets it; "
                       "repeat it for several, CIDR blocks allowed)")
    return AccessSettings(resolve_users_file(users, index_dir), header, nets,
                          check_role(header_role) if header_role else None)


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the app on this machine (127.0.0.0/8, ::1, localhost)."""
    h = (host or "").strip().strip("[]").lower()
    if h in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False  # a host name could resolve anywhere: not loopback


def check_bind(host: str, access: AccessSettings, store: UserStore | None = None) -> str:
    """The sign-in mode, if `host` is safe to bind in it; UnsafeBind, one line saying how to fix it, if
    the app would be reachable from other machines with nobody required to sign in."""
    mode = access.mode(store)
    if mode == "open" and not is_loopback(host):
        raise UnsafeBind(f"will not serve on {host} with nobody required to sign in: add a user first "
                         f"(`{ADD_ADMIN}`; users are kept in {access.users_file}), or sign people on at a "
                         "proxy with --trusted-user-header and --trusted-proxy")
    return mode


def bind_warning(host: str, mode: str) -> str | None:
    """A line to print at start when the set-up is allowed but worth a second look."""
    if mode == "password" and not is_loopback(host):
        return (f"note: serving on {host}: passwords cross the network; put a TLS proxy in front "
                "(docs/deployment.md)")
    if mode == "header" and not is_loopback(host):
        return (f"note: serving on {host}: only the trusted proxies' user header is believed; make sure "
                "nothing else can reach this port (docs/deployment.md)")
    return None

"""Who may do what: the three roles and the one permission table.

    can("reader", "upload")        -> False
    require(User("ann", "editor"), "judge")   # returns; for a reader it raises NotAllowed

Roles are ordered, each one adding to the one before: a reader asks, searches, looks for
similar recommendations and reads documents; an editor also uploads, removes documents and
judges repeats; an admin also manages users and reads the audit log. The app and the command
line both ask `can`/`require`, so a role means the same everywhere, whatever a page shows.
"""
from __future__ import annotations

from dataclasses import dataclass

from ui.auth.errors import NotAllowed, UnknownRole

ROLES = ("reader", "editor", "admin")  # least to most
ACTIONS = ("ask", "search", "similar", "read", "upload", "remove", "judge", "manage_users", "read_audit")

_READER = frozenset({"ask", "search", "similar", "read"})
_EDITOR = _READER | {"upload", "remove", "judge"}
_ADMIN = _EDITOR | {"manage_users", "read_audit"}
PERMISSIONS: dict[str, frozenset[str]] = {"reader": _READER, "editor": _EDITOR, "admin": _ADMIN}


@dataclass(frozen=True)
class User:
    """The identity that crosses modules: who is acting, and with which role."""

    name: str
    role: str

    def can(self, action: str) -> bool:
        return can(self.role, action)


def check_role(role: str) -> str:
    """`role` if it is one of ROLES, else UnknownRole naming the choices."""
    r = (role or "").strip().lower()
    if r not in PERMISSIONS:
        raise UnknownRole(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    return r


def can(role: str, action: str) -> bool:
    if action not in ACTIONS:  # a typo in the code must not silently grant or deny
        raise ValueError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    return action in PERMISSIONS.get(role, frozenset())


def roles_allowed(action: str) -> list[str]:
    return [r for r in ROLES if can(r, action)]


def require(user: User | None, action: str) -> User:
    """The user, if their role allows `action`; otherwise NotAllowed, one line saying who may."""
    allowed = " and ".join(f"{r}s" for r in roles_allowed(action))
    if user is None:
        raise NotAllowed(f"sign in to {action.replace('_', ' ')} (allowed for {allowed})")
    if not user.can(action):
        raise NotAllowed(f"{user.name} is a {user.role} and may not {action.replace('_', ' ')} "
                         f"(allowed for {allowed})")
    return user


def permission_rows() -> list[tuple[str, str]]:
    """(role, what it may do) for help texts and docs, from the one table."""
    return [(r, ", ".join(a for a in ACTIONS if can(r, a))) for r in ROLES]


def open_user() -> User:
    """Who acts when nobody signs in (an app on a loopback address, the command line): the person
    logged in to this machine, as "local:<login>", with every permission, as before sign-in existed."""
    return User(f"local:{os_user()}", "admin")


def os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        import os

        return str(os.getuid())

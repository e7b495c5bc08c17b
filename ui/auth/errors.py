"""The errors of signing in and of managing users: each one line the person can act on.

They are `indexer.errors.UserError`s, so the command line prints them as one line (exit 2)
and the app can show them as they are.
"""
from __future__ import annotations

from indexer.errors import BadInput, MissingFile, UserError


class BadName(BadInput):
    """A user name that cannot be used."""


class UnknownUser(BadInput):
    """No user of that name in the user file."""


class UnknownRole(BadInput):
    """A role that is not reader, editor or admin."""


class UserExists(BadInput):
    """`users add` for a name that is already there."""


class LastAdmin(BadInput):
    """Removing or demoting the only admin would leave nobody able to manage users."""


class BadPassword(BadInput):
    """A new password that is empty, too short, or typed differently twice."""


class BadUserFile(UserError):
    """The user file cannot be read (the message names it and says what to do)."""


class NoUserFile(MissingFile):
    """A user file was named but is not there."""


class NotAllowed(UserError):
    """The signed-in user's role does not allow this action (checked on the server)."""


class SignInRefused(UserError):
    """Too many failed sign-ins: refused without checking the password, for `retry_after` seconds."""

    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.retry_after = retry_after


class UnsafeBind(BadInput):
    """Serving beyond this machine with nobody required to sign in."""

"""The errors a person can act on, as one small hierarchy.

The edges (the command line and the web app) show a `UserError` as one line and
nothing more. Anything else is a defect: it is logged with its traceback and the
person is told where (`ui.errors`), so a programming error never reaches them
dressed as advice.
"""
from __future__ import annotations


class UserError(Exception):
    """Something the person can fix (the message says how); shown as one line."""


class BadInput(UserError, ValueError):
    """A query, option, filter, setting or labelled-data line that cannot be used."""


class MissingFile(UserError, FileNotFoundError):
    """A file or folder the person named is not there."""


class IndexUnusable(UserError):
    """An index that cannot be used as it is (the message says what to run)."""


class IndexNotFound(IndexUnusable):
    """No index has been built at this place yet."""


class IndexBusy(IndexUnusable):
    """Another indexing run holds the single-writer lock."""


class IndexCorrupt(IndexUnusable):
    """No generation verifies against its manifest's checksums."""


class IncompatibleIndex(IndexUnusable):
    """Built with another model or format version: it must be rebuilt."""


class ModelMismatch(UserError):
    """This machine's model does not reproduce the golden vectors (indexer/golden.py)."""

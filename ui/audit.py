"""The audit log: who uploaded, removed, judged or changed users, when, and what the index was before
and after. Appended to, never rewritten.

    log = AuditLog.for_index(index_dir)                      # <index>/audit.jsonl, or $INSPECTION_SEARCH_AUDIT
    log.append("cli:ann", "judge", {"a": ..., "b": ..., "label": "match"}, "gen-000004", "gen-000004")
    with log.recording("ann", "upload", {"file": "report.pdf"}, index_dir) as what:
        ...                                                  # the change; `what` may be added to
    log.entries(); log.warning()                             # reading survives a torn last line

One JSON object a line: {time (UTC, ISO 8601), who, action, what, generation_before,
generation_after}. Each append is one write() of a whole line to a file opened O_APPEND, then
fsync, under a file lock, so lines from the app and the command line never interleave. A crash
in the middle of a write can leave only the last line cut off: readers skip a line that is not
whole JSON and say where it is (`warning`), every earlier line stays readable, and the next
append starts on a fresh line, so the damage never spreads to a new entry.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from indexer import fsio

AUDIT_ENV = "INSPECTION_SEARCH_AUDIT"
AUDIT_FILE = "audit.jsonl"
FILE_MODE = 0o600  # it names people and documents: its owner's to read, like the user file
COLUMNS = ("time", "who", "action", "what", "generation_before", "generation_after")
# what is audited; `inspection-search audit --action` offers these
ACTIONS = ("upload", "remove", "judge", "user_add", "user_set_role", "user_remove", "user_passwd",
           "judgements_import")


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def resolve_audit_file(index_dir=None) -> Path:
    """The one rule for where the log lives: $INSPECTION_SEARCH_AUDIT, else audit.jsonl in the index folder."""
    from indexer.index.store import resolve_index_dir

    env = os.environ.get(AUDIT_ENV)
    return Path(env) if env else resolve_index_dir(index_dir) / AUDIT_FILE


def index_generation(index_dir) -> str | None:
    """The live generation of the index at `index_dir` (None: no index yet)."""
    from indexer.index.store import IndexStore, resolve_index_dir

    return IndexStore(resolve_index_dir(index_dir)).current()


@dataclass(frozen=True)
class AuditEntry:
    time: str
    who: str
    action: str
    what: dict = field(default_factory=dict)
    generation_before: str | None = None
    generation_after: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Damage:
    line: int  # 1-based line number in the file
    byte: int  # offset of the line's first byte
    last: bool  # the file's last line (no newline after it): an append interrupted mid-write


class AuditLog:
    def __init__(self, path: str | Path, clock: Callable[[], str] = utc_now):
        self.path = Path(path)
        self.clock = clock

    @classmethod
    def for_index(cls, index_dir=None) -> AuditLog:
        return cls(resolve_audit_file(index_dir))

    # --- writing -------------------------------------------------------------------------------

    def _lock(self):
        from filelock import FileLock

        return FileLock(str(self.path) + ".lock", timeout=30, mode=FILE_MODE)

    def append(self, who: str, action: str, what: dict | None = None,
               generation_before: str | None = None, generation_after: str | None = None) -> AuditEntry:
        """Add one entry, durably (written, fsynced) before returning it."""
        entry = AuditEntry(self.clock(), who, action, dict(what or {}), generation_before, generation_after)
        line = (json.dumps(entry.to_json(), ensure_ascii=False, default=str) + "\n").encode("utf-8")
        fsio.mkdir(self.path.parent)
        with self._lock():
            created = not self.path.exists()
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, FILE_MODE)  # read: the tail
            try:
                if created:
                    os.fchmod(fd, FILE_MODE)  # whatever the umask
                _write_all(fd, (b"\n" if self._torn_tail(fd) else b"") + line)
                fsio.fsync(fd)
            finally:
                os.close(fd)
            if created:
                fsio.fsync_dir(self.path.parent)  # the new file's name is durable too
        return entry

    def _torn_tail(self, fd: int) -> bool:
        """Whether the file ends inside a line (an interrupted append): then the next starts afresh."""
        size = os.fstat(fd).st_size
        return size > 0 and os.pread(fd, 1, size - 1) != b"\n"

    @contextmanager
    def recording(self, who: str, action: str, what: dict, index_dir=None) -> Iterator[dict]:
        """Audit the change made inside the block, with the index generation before and after it. A
        change that raises is logged too, its `what` saying "outcome": "failed: <reason>"."""
        before = index_generation(index_dir)
        details = dict(what)
        try:
            yield details
        except BaseException as e:
            details.setdefault("outcome", f"failed: {str(e)[:300] or type(e).__name__}")
            self.append(who, action, details, before, index_generation(index_dir))
            raise
        details.setdefault("outcome", "done")
        self.append(who, action, details, before, index_generation(index_dir))

    # --- reading -------------------------------------------------------------------------------

    def scan(self) -> tuple[list[AuditEntry], list[Damage]]:
        """Every whole entry, in order, and where lines were cut off."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return [], []
        entries, damage, offset = [], [], 0
        lines = data.split(b"\n")
        for n, raw in enumerate(lines, start=1):
            last = n == len(lines)
            if raw.strip():
                entry = _parse(raw)
                if entry is None:
                    damage.append(Damage(n, offset, last))
                else:
                    entries.append(entry)
            offset += len(raw) + 1
        return entries, damage

    def entries(self) -> list[AuditEntry]:
        return self.scan()[0]

    def warning(self) -> str | None:
        """One line for the start of the app or a command, if any line was cut off; None if all is well."""
        damage = self.scan()[1]
        if not damage:
            return None
        d = damage[-1]
        where = "the last line" if d.last else f"line {d.line}"
        more = f" ({len(damage)} damaged lines in all)" if len(damage) > 1 else ""
        return (f"audit log {self.path}: {where} (byte {d.byte}) was cut off by an interrupted write{more}; "
                "the other entries are intact")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _parse(raw: bytes) -> AuditEntry | None:
    try:
        d = json.loads(raw.decode("utf-8"))
        return AuditEntry(str(d["time"]), str(d["who"]), str(d["action"]), dict(d.get("what") or {}),
                          d.get("generation_before"), d.get("generation_after"))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def select(entries: Iterable[AuditEntry], since: str | None = None, who: str | None = None,
           action: str | None = None) -> list[AuditEntry]:
    """Entries at or after `since` (an ISO date or time, UTC), by `who`, of `action`."""
    return [e for e in entries
            if (not since or e.time >= since) and (not who or e.who == who) and (not action or e.action == action)]


def export_json(entries: Iterable[AuditEntry], out: IO[str]) -> None:
    json.dump([e.to_json() for e in entries], out, indent=1, ensure_ascii=False)
    out.write("\n")


def export_csv(entries: Iterable[AuditEntry], dest) -> int:
    """The entries as CSV (`what` as compact JSON), through the project's one CSV writer."""
    from search.export import write_csv

    rows = [[e.time, e.who, e.action, json.dumps(e.what, ensure_ascii=False, sort_keys=True),
             e.generation_before or "", e.generation_after or ""] for e in entries]
    write_csv(dest, list(COLUMNS), rows)
    return len(rows)

"""The audit log (issue 23): appended, fsynced, never rewritten; a crash mid-append leaves the earlier
entries intact, the next start says so, and the next entry is whole; exported as CSV and JSON."""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest

from conftest import REPO
from ui.audit import AuditLog, export_csv, export_json, select


class Ticks:
    """An injected clock: one second later at each call."""

    def __init__(self):
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"2025-03-01T09:00:{self.n:02d}.000Z"


@pytest.fixture
def log(tmp_path):
    return AuditLog(tmp_path / "index" / "audit.jsonl", clock=Ticks())


def _fill(log, n=3):
    for i in range(n):
        log.append("ann", "upload", {"file": f"doc{i}.pdf"}, f"gen-00000{i}", f"gen-00000{i + 1}")


def test_each_entry_is_one_json_line_with_the_issues_fields(log):
    _fill(log, 2)
    log.append("cli:root", "user_add", {"user": "bob", "role": "editor"})
    lines = log.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    first = json.loads(lines[0])
    assert first == {"time": "2025-03-01T09:00:01.000Z", "who": "ann", "action": "upload",
                     "what": {"file": "doc0.pdf"}, "generation_before": "gen-000000",
                     "generation_after": "gen-000001"}
    assert [e.action for e in log.entries()] == ["upload", "upload", "user_add"]
    assert log.warning() is None


def test_appends_only_add_bytes_and_the_file_is_owner_only(log, tmp_path):
    old = os.umask(0)
    try:
        _fill(log, 1)
    finally:
        os.umask(old)
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600
    before = log.path.read_bytes()
    log.append("bob", "judge", {"a": "x", "b": "y", "label": "match"})
    assert log.path.read_bytes().startswith(before)  # never rewritten


def test_a_torn_last_line_is_skipped_reported_and_healed(log):
    _fill(log, 3)
    intact = log.path.read_bytes()
    with open(log.path, "ab") as f:  # an append cut off mid-line, as a crash leaves it
        f.write(b'{"time": "2025-03-01T09:00:09.000Z", "who": "ann", "action": "upl')
    assert [e.what["file"] for e in log.entries()] == ["doc0.pdf", "doc1.pdf", "doc2.pdf"]
    assert log.warning() == (f"audit log {log.path}: the last line (byte {len(intact)}) was cut off by an "
                             "interrupted write; the other entries are intact")
    log.append("bob", "judge", {"label": "match"})  # starts on a fresh line
    entries = log.entries()
    assert [e.who for e in entries] == ["ann", "ann", "ann", "bob"]
    assert log.warning() == (f"audit log {log.path}: line 4 (byte {len(intact)}) was cut off by an "
                             "interrupted write; the other entries are intact")
    assert log.path.read_bytes().startswith(intact)


CHILD = r"""
import sys
from ui.audit import AuditLog
log = AuditLog(sys.argv[1])
for n in range(3):
    log.append("ann", "upload", {"file": f"doc{n}.pdf"}, None, f"gen-00000{n + 1}")
print("ready", flush=True)
sys.stdin.readline()
log.append("ann", "upload", {"blob": "x" * int(sys.argv[2])})
"""


@pytest.mark.slow
def test_a_process_killed_mid_append_leaves_the_earlier_entries_intact(tmp_path):
    """SIGKILL a real process while it writes a 32 MB entry: the earlier entries read back, the next
    start warns, and the next append is readable."""
    path = tmp_path / "audit.jsonl"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(32 << 20)], cwd=REPO, env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert child.stdout.readline().strip() == b"ready"
        intact = path.read_bytes()
        child.stdin.write(b"go\n")
        child.stdin.flush()
        deadline = time.monotonic() + 60
        while path.stat().st_size <= len(intact) and time.monotonic() < deadline:
            pass  # kill as soon as the big entry has started to land
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL
    data = path.read_bytes()
    assert data.startswith(intact) and len(data) > len(intact)
    log = AuditLog(path)
    assert [e.what.get("file") for e in log.entries()] == ["doc0.pdf", "doc1.pdf", "doc2.pdf"]
    if not data.endswith(b"\n"):  # the usual outcome (10 of 10 when measured): the entry was cut off
        assert f"the last line (byte {len(intact)}) was cut off by an interrupted write" in log.warning()
    log.append("bob", "judge", {"label": "match"})
    assert log.entries()[-1].who == "bob" and log.entries()[:3] == AuditLog(path).entries()[:3]


def test_concurrent_appends_never_interleave(log):
    def writer(who):
        for i in range(25):
            log.append(who, "judge", {"n": i, "pad": who * 500})

    threads = [threading.Thread(target=writer, args=(f"user{k}",)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    entries = log.entries()
    assert len(entries) == 100 and log.warning() is None
    for k in range(4):
        assert [e.what["n"] for e in entries if e.who == f"user{k}"] == list(range(25))


def test_recording_keeps_the_generation_before_and_after_and_failures_too(tmp_path):
    from indexer import fsio

    index = tmp_path / "index"
    index.mkdir()
    fsio.write_bytes(index / "CURRENT", b"gen-000001\n")
    log = AuditLog(index / "audit.jsonl", clock=Ticks())
    with log.recording("ed", "upload", {"file": "a.pdf"}, index) as what:
        fsio.write_bytes(index / "CURRENT", b"gen-000002\n")  # the change
        what["passages"] = 12
    with pytest.raises(ValueError), log.recording("ed", "upload", {"file": "b.pdf"}, index):
        raise ValueError("no extractable text")
    done, failed = log.entries()
    assert (done.generation_before, done.generation_after) == ("gen-000001", "gen-000002")
    assert done.what == {"file": "a.pdf", "passages": 12, "outcome": "done"}
    assert failed.what["outcome"] == "failed: no extractable text"
    assert failed.generation_before == failed.generation_after == "gen-000002"


def test_filters_and_exports(log):
    _fill(log, 2)
    log.append("bob", "judge", {"label": "match", "note": 'says "same", twice'})
    assert [e.who for e in select(log.entries(), who="bob")] == ["bob"]
    assert len(select(log.entries(), action="upload")) == 2
    assert [e.time for e in select(log.entries(), since="2025-03-01T09:00:02")] == [
        "2025-03-01T09:00:02.000Z", "2025-03-01T09:00:03.000Z"]
    buf = io.StringIO()
    assert export_csv(log.entries(), buf) == 3
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert list(rows[0]) == ["time", "who", "action", "what", "generation_before", "generation_after"]
    assert json.loads(rows[2]["what"]) == {"label": "match", "note": 'says "same", twice'}
    assert rows[0]["generation_after"] == "gen-000001" and rows[2]["generation_before"] == ""
    out = io.StringIO()
    export_json(log.entries(), out)
    assert [e["who"] for e in json.loads(out.getvalue())] == ["ann", "ann", "bob"]

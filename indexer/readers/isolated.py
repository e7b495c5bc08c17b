"""Read untrusted files safely: the format by content, parsed in a child process with limits.

pypdf guards each stream against memory bombs but not against CPU or volume
bombs: a 35 kB file of forty pages sharing one 8 MB content stream takes about
half a minute per page, and broken files can raise any exception or loop
(see docs/safety.md). Word and OpenDocument files are zip archives that can
inflate a thousandfold, and a web page can nest tags until a parser gives up.
So every format but plain text (PDF, DOCX, ODT, HTML) is parsed in a separate
Python process with

- a wall-clock limit (`timeout_s`, default 60 s, or $INSPECTION_SEARCH_PDF_TIMEOUT),
  after which the child is killed;
- an address-space limit (RLIMIT_AS, default 1.5 GB) and a CPU-time limit;
- caps on pages and on extracted characters, checked page by page.

Whatever goes wrong, the caller gets `UnreadableFile` with one line saying
why; the indexing process itself never runs a document parser. Text files are
decoded in process (strictly: BOM, UTF-8, then the declared cp1252 fallback, or refused).

The child is this module run as a script: the file's bytes on stdin, one JSON
object on stdout.
"""
from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from indexer.errors import BadInput
from indexer.readers import UnreadableFile, detect_format, read_format
from indexer.readers.formats import by_name
from indexer.records import ExtractedText

PDF_TIMEOUT_ENV = "INSPECTION_SEARCH_PDF_TIMEOUT"
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding indexer/


@dataclass(frozen=True)
class ReadLimits:
    """Limits on reading one file. Every refusal names the limit it hit."""

    timeout_s: float = 60.0  # wall clock for parsing one PDF
    memory_bytes: int = 1_500_000_000  # address space of the PDF child process
    max_pages: int = 2000
    max_chars: int = 20_000_000  # extracted characters per document
    max_file_bytes: int = 100 * 1024 * 1024

    @classmethod
    def from_env(cls) -> "ReadLimits":
        raw = os.environ.get(PDF_TIMEOUT_ENV)
        if not raw:
            return cls()
        try:
            timeout = float(raw)
        except ValueError:
            raise BadInput(f"${PDF_TIMEOUT_ENV} must be a number of seconds, not {raw!r}") from None
        if timeout <= 0:
            raise BadInput(f"${PDF_TIMEOUT_ENV} must be positive, not {raw!r}")
        return cls(timeout_s=timeout)


def check_size(data: bytes, path: str | Path, limits: ReadLimits) -> None:
    """Refuse an empty file or one over the size limit, before anything parses it."""
    if not data:
        raise UnreadableFile(path, "empty file (0 bytes)")
    if len(data) > limits.max_file_bytes:
        raise UnreadableFile(path, f"file is {len(data) / 2**20:.0f} MB, more than the limit of "
                                   f"{limits.max_file_bytes / 2**20:.0f} MB")


def read_document(data: bytes, path: str | Path, limits: Optional[ReadLimits] = None) -> ExtractedText:
    """Read a file's bytes into a structured document, refusing with `UnreadableFile` (path, reason)."""
    limits = limits or ReadLimits.from_env()
    check_size(data, path, limits)
    fmt = detect_format(data, path)
    if not by_name(fmt).isolated:
        return read_format(fmt, data, path, max_pages=limits.max_pages, max_chars=limits.max_chars)
    return read_isolated(data, path, fmt, limits)


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def read_isolated(data: bytes, path: str | Path, fmt: str, limits: ReadLimits = ReadLimits()) -> ExtractedText:
    """Read a PDF, DOCX, ODT or HTML file in a child process under `limits`; never raises anything
    but UnreadableFile."""
    what = by_name(fmt).display
    cpu_s = math.ceil(limits.timeout_s) + 1  # a backstop: the wall clock below is the real limit
    cmd = [sys.executable, "-m", "indexer.readers.isolated", str(limits.memory_bytes), str(cpu_s),
           str(limits.max_pages), str(limits.max_chars), fmt]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, start_new_session=True)
    except OSError as e:
        raise UnreadableFile(path, f"cannot start the {what} reader ({e.strerror or e})") from None
    try:
        out, err = proc.communicate(data, timeout=limits.timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise UnreadableFile(path, f"{what} too complex: reading it took longer than the limit of "
                                   f"{limits.timeout_s:g} s") from None
    if proc.returncode == 0:
        try:
            result = json.loads(out)
        except ValueError:
            result = {"ok": False, "reason": f"the {what} reader returned garbled output"}
        if result.get("ok"):
            return ExtractedText.from_json(result["doc"])
        raise UnreadableFile(path, result.get("reason") or f"unreadable {what}")
    if proc.returncode == -signal.SIGXCPU:
        raise UnreadableFile(path, f"{what} too complex: reading it used more than {cpu_s} s of CPU time")
    if b"MemoryError" in err:
        raise UnreadableFile(path, f"{what} too large: reading it needs more than the memory limit of "
                                   f"{_mb(limits.memory_bytes)}")
    raise UnreadableFile(path, f"the {what} reader stopped unexpectedly (exit code {proc.returncode}); "
                               "the file may be damaged or too complex")


def _plain_reason(reason: str, memory: int, what: str) -> str:
    """The readers wrap their libraries' exceptions by class name; say what the limits mean."""
    if "MemoryError" in reason:
        return f"{what} too large: reading it needs more than the memory limit of {_mb(memory)}"
    if "LimitReachedError" in reason:
        return f"{what} too large: a compressed stream inflates past the reader's size limit (decompression bomb?)"
    return reason


def _child(argv: list[str]) -> int:
    """Runs in the child: set the limits, read stdin, print one JSON object."""
    memory, cpu_s, max_pages, max_chars = (int(a) for a in argv[:4])
    fmt = argv[4] if len(argv) > 4 else "pdf"
    what = by_name(fmt).display
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))
    except (ImportError, ValueError, OSError):  # not Linux/Unix: the wall clock still applies
        pass
    data = sys.stdin.buffer.read()
    try:
        extracted = read_format(fmt, data, what, max_pages=max_pages, max_chars=max_chars)
        result = {"ok": True, "doc": extracted.to_json()}
    except UnreadableFile as e:
        result = {"ok": False, "reason": _plain_reason(e.reason, memory, what)}
    except MemoryError:
        result = {"ok": False, "reason": f"{what} too large: reading it needs more than the memory limit of "
                                         f"{_mb(memory)}"}
    except RecursionError:
        result = {"ok": False, "reason": f"{what} too deeply nested to read (RecursionError)"}
    except Exception as e:  # pypdf documents that broken files may raise anything; so may the others
        result = {"ok": False, "reason": f"corrupt or unreadable {what} ({type(e).__name__})"}
    sys.stdout.write(json.dumps(result, ensure_ascii=True))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))

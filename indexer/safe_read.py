"""Read untrusted files safely: the kind by content, PDFs parsed in a child process with limits.

pypdf guards each stream against memory bombs but not against CPU or volume
bombs: a 35 kB file of forty pages sharing one 8 MB content stream takes about
half a minute per page, and broken files can raise any exception or loop
(see docs/safety.md). So a PDF is parsed in a separate Python process with

- a wall-clock limit (`timeout_s`, default 60 s, or $INSPECTION_SEARCH_PDF_TIMEOUT),
  after which the child is killed;
- an address-space limit (RLIMIT_AS, default 1.5 GB) and a CPU-time limit;
- caps on pages and on extracted characters, checked page by page.

Whatever goes wrong, the caller gets `UnreadableFile` with one line saying
why; the indexing process itself never runs pypdf. Text files are decoded in
process (strictly: BOM, UTF-8, then the declared cp1252 fallback, or refused).

The child is this module run as a script: PDF bytes on stdin, one JSON
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

from indexer.readers import UnreadableFile, read_bytes, read_pdf_bytes, sniff_kind
from indexer.records import ExtractedText

PDF_TIMEOUT_ENV = "INSPECTION_SEARCH_PDF_TIMEOUT"
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)


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
            raise ValueError(f"${PDF_TIMEOUT_ENV} must be a number of seconds, not {raw!r}") from None
        if timeout <= 0:
            raise ValueError(f"${PDF_TIMEOUT_ENV} must be positive, not {raw!r}")
        return cls(timeout_s=timeout)


def check_size(data: bytes, path: str | Path, limits: ReadLimits) -> None:
    """Refuse an empty file or one over the size limit, before anything parses it."""
    if not data:
        raise UnreadableFile(path, "empty file (0 bytes)")
    if len(data) > limits.max_file_bytes:
        raise UnreadableFile(path, f"file is {len(data) / 2**20:.0f} MB, more than the limit of "
                                   f"{limits.max_file_bytes / 2**20:.0f} MB")


def read_document(data: bytes, path: str | Path, limits: Optional[ReadLimits] = None) -> ExtractedText:
    """Read a file's bytes into text, refusing with `UnreadableFile` (path, reason) when it cannot."""
    limits = limits or ReadLimits.from_env()
    check_size(data, path, limits)
    if sniff_kind(data) == "pdf":
        return read_pdf_isolated(data, path, limits)
    return read_bytes(data, path)


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def read_pdf_isolated(data: bytes, path: str | Path, limits: ReadLimits = ReadLimits()) -> ExtractedText:
    """Extract a PDF in a child process under `limits`; never raises anything but UnreadableFile."""
    cpu_s = math.ceil(limits.timeout_s) + 1  # a backstop: the wall clock below is the real limit
    cmd = [sys.executable, "-m", "indexer.safe_read", str(limits.memory_bytes), str(cpu_s),
           str(limits.max_pages), str(limits.max_chars)]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, start_new_session=True)
    except OSError as e:
        raise UnreadableFile(path, f"cannot start the PDF reader ({e.strerror or e})") from None
    try:
        out, err = proc.communicate(data, timeout=limits.timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise UnreadableFile(path, f"PDF too complex: reading it took longer than the limit of "
                                   f"{limits.timeout_s:g} s") from None
    if proc.returncode == 0:
        try:
            result = json.loads(out)
        except ValueError:
            result = {"ok": False, "reason": "the PDF reader returned garbled output"}
        if result.get("ok"):
            return ExtractedText(text=result["text"], page_starts=tuple(result["page_starts"]))
        raise UnreadableFile(path, result.get("reason") or "unreadable PDF")
    if proc.returncode == -signal.SIGXCPU:
        raise UnreadableFile(path, f"PDF too complex: reading it used more than {cpu_s} s of CPU time")
    if b"MemoryError" in err:
        raise UnreadableFile(path, f"PDF too large: reading it needs more than the memory limit of "
                                   f"{_mb(limits.memory_bytes)}")
    raise UnreadableFile(path, f"the PDF reader stopped unexpectedly (exit code {proc.returncode}); "
                               "the file may be damaged or too complex")


def _plain_reason(reason: str, memory: int) -> str:
    """The reader wraps pypdf's exceptions by class name; say what the limits mean."""
    if "MemoryError" in reason:
        return f"PDF too large: reading it needs more than the memory limit of {_mb(memory)}"
    if "LimitReachedError" in reason:
        return "PDF too large: a compressed stream inflates past the reader's size limit (decompression bomb?)"
    return reason


def _child(argv: list[str]) -> int:
    """Runs in the child: set the limits, read stdin, print one JSON object."""
    memory, cpu_s, max_pages, max_chars = (int(a) for a in argv)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))
    except (ImportError, ValueError, OSError):  # not Linux/Unix: the wall clock still applies
        pass
    data = sys.stdin.buffer.read()
    try:
        extracted = read_pdf_bytes(data, "PDF", max_pages=max_pages, max_chars=max_chars)
        result = {"ok": True, "text": extracted.text, "page_starts": list(extracted.page_starts)}
    except UnreadableFile as e:
        result = {"ok": False, "reason": _plain_reason(e.reason, memory)}
    except MemoryError:
        result = {"ok": False, "reason": f"PDF too large: reading it needs more than the memory limit of "
                                         f"{_mb(memory)}"}
    except RecursionError:
        result = {"ok": False, "reason": "PDF too deeply nested to read (RecursionError)"}
    except Exception as e:  # pypdf documents that broken files may raise anything
        result = {"ok": False, "reason": f"corrupt or unreadable PDF ({type(e).__name__})"}
    sys.stdout.write(json.dumps(result, ensure_ascii=True))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))

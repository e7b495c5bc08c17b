"""Every disk write of the index goes through here, so tests can inject faults; and the one
rule for hashing file contents (SHA-256, hex).

Durability follows the usual recipe: write, flush, fsync the file; fsync the
directory after creating or renaming entries in it (a rename alone is atomic
but not durable until its directory is synced).
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Optional

CRASH_ENV = "INSPECTION_SEARCH_CRASH_AT"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def crash_point(name: str) -> None:
    """Die here, abruptly, when the crash-test environment variable names this step."""
    if os.environ.get(CRASH_ENV) == name:
        os._exit(137)


def write_bytes(path: Path, data: bytes, mode: Optional[int] = None) -> None:
    """Write and fsync `data`. With `mode` (e.g. 0o600) the file gets exactly those permission bits
    whatever the umask, set on the open descriptor before any byte is written."""
    if mode is None:
        with open(path, "wb") as f:
            f.write(data)
            f.flush()
            fsync(f.fileno())
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with open(fd, "wb") as f:
        os.fchmod(fd, mode)  # O_CREAT's mode is masked by the umask, and a stale file keeps its own
        f.write(data)
        f.flush()
        fsync(fd)


def atomic_write(path: Path, data: bytes, mode: Optional[int] = None) -> None:
    """Replace `path` by `data` whole or not at all: a temporary file beside it, fsynced, renamed over it.
    With `mode`, the file has those permission bits from its first byte (see write_bytes)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write_bytes(tmp, data, mode)
        replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)


def fsync(fd: int) -> None:
    os.fsync(fd)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fsync(fd)
    finally:
        os.close(fd)


def mkdir(path: Path) -> None:
    os.makedirs(path, exist_ok=True)


def rename(src: Path, dst: Path) -> None:
    os.rename(src, dst)


def replace(src: Path, dst: Path) -> None:
    os.replace(src, dst)


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)

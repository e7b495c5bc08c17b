"""Vectors already computed, kept beside the index so no build embeds the same text twice.

    cache = VectorCache(index_dir / CACHE_FILE, model_identity)
    found = cache.get(keys)                 # key -> float32 vector, for the keys it holds
    cache.put(keys, vectors)                # one transaction, committed before it returns

A vector is keyed by the model's identity and the SHA-256 of the exact text that was
embedded, so it is valid wherever that text is embedded again by that model: a build
killed part way restarts where it stopped, `index --rebuild` re-embeds nothing it has,
and a glossary change (which changes the spelled-out text) re-embeds only the passages
whose text changed.

The cache is a SQLite database (write-ahead log: readers never block the writer and see
only committed transactions; a crash loses at most the transaction in progress). Each
row carries a CRC-32 of its key and vector: a row that fails it is treated as missing
and deleted. It is bounded: after a build, the least recently used rows beyond
`max_bytes` are deleted. Deleting the file is always safe: it only costs time.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
import zlib
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

CACHE_FILE = "vector-cache.sqlite"
MAX_BYTES_ENV = "INSPECTION_SEARCH_VECTOR_CACHE_MB"
DEFAULT_MAX_BYTES = 2 << 30  # 2 GiB: about 1.2 million vectors of 384 float32
ROW_OVERHEAD = 96  # bytes a row costs beyond its vector (key, model, checksum, b-tree), for the bound


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def model_key(identity: dict) -> str:
    """The part of a model's identity that decides its vectors (not the canary, which is derived)."""
    core = {k: v for k, v in sorted(identity.items()) if k != "canary"}
    return hashlib.sha256(json.dumps(core, sort_keys=True).encode()).hexdigest()[:32]


def _crc(key: bytes, blob: bytes) -> int:
    return zlib.crc32(blob, zlib.crc32(key))


def max_bytes_from_env() -> int:
    v = os.environ.get(MAX_BYTES_ENV)
    if not v:
        return DEFAULT_MAX_BYTES
    try:
        return max(0, int(float(v) * (1 << 20)))
    except ValueError:
        from indexer.errors import BadInput

        raise BadInput(f"{MAX_BYTES_ENV} must be a number of megabytes, not {v!r}") from None


class VectorCache:
    def __init__(self, path: str | Path, identity: dict, dim: int, max_bytes: Optional[int] = None):
        self.path = Path(path)
        self.model = model_key(identity)
        self.dim = dim
        self.max_bytes = max_bytes_from_env() if max_bytes is None else max_bytes
        self._db: Optional[sqlite3.Connection] = None

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(self.path), timeout=60, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a crash keeps every committed transaction
            db.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, key BLOB NOT NULL, "
                       "vec BLOB NOT NULL, crc INTEGER NOT NULL, used REAL NOT NULL, "
                       "PRIMARY KEY (model, key)) WITHOUT ROWID")
            db.execute("CREATE INDEX IF NOT EXISTS vectors_used ON vectors (used)")
            self._db = db
        return self._db

    def get(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """The cached vectors of `keys` (those it holds and that pass their checksum); marks them used."""
        if not keys or not self.path.exists():
            return {}
        db = self._conn()
        out: dict[bytes, np.ndarray] = {}
        bad: list[bytes] = []
        want = list(dict.fromkeys(keys))
        for i in range(0, len(want), 500):  # SQLite's bound-variable limit
            part = want[i:i + 500]
            rows = db.execute(f"SELECT key, vec, crc FROM vectors WHERE model = ? AND key IN "
                              f"({','.join('?' * len(part))})", [self.model, *part]).fetchall()
            for key, blob, crc in rows:
                if len(blob) != self.dim * 4 or _crc(key, blob) != crc:
                    bad.append(key)
                    continue
                out[bytes(key)] = np.frombuffer(blob, dtype=np.float32)
        now = time.time()
        with _transaction(db):
            if bad:
                db.executemany("DELETE FROM vectors WHERE model = ? AND key = ?", [(self.model, k) for k in bad])
            db.executemany("UPDATE vectors SET used = ? WHERE model = ? AND key = ?",
                           [(now, self.model, k) for k in out])
        return out

    def put(self, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        """Store vectors (float32 [n, dim]) under their keys, in one committed transaction."""
        if not len(keys):
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        now = time.time()
        rows = []
        for k, v in zip(keys, vectors):
            blob = v.tobytes()
            rows.append((self.model, k, blob, _crc(k, blob), now))
        db = self._conn()
        with _transaction(db):
            db.executemany("INSERT OR REPLACE INTO vectors (model, key, vec, crc, used) VALUES (?, ?, ?, ?, ?)", rows)

    def count(self) -> int:
        if not self.path.exists():
            return 0
        return int(self._conn().execute("SELECT COUNT(*) FROM vectors").fetchone()[0])

    def trim(self) -> int:
        """Delete the least recently used rows (of any model) beyond `max_bytes`; returns how many."""
        if not self.path.exists():
            return 0
        db = self._conn()
        per_row = self.dim * 4 + ROW_OVERHEAD
        over = self.count() - self.max_bytes // per_row
        if over <= 0:
            return 0
        with _transaction(db):
            db.execute("DELETE FROM vectors WHERE (model, key) IN "
                       "(SELECT model, key FROM vectors ORDER BY used, model, key LIMIT ?)", (over,))
        return over

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> "VectorCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error): one writer at a time, all or nothing."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, *exc):
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
        return False


def embed_with_cache(texts: Sequence[str], encode, cache: Optional[VectorCache]) -> tuple[np.ndarray, int]:
    """Vectors of `texts` (float32 [n, dim]): from the cache where it has them, the rest by `encode`
    (called once, with the missing texts in their order) and stored; and how many were embedded."""
    if cache is None:
        return encode(list(texts)), len(texts)
    keys = [text_key(t) for t in texts]
    found = cache.get(keys)
    missing = [i for i, k in enumerate(keys) if k not in found]
    out = np.empty((len(texts), cache.dim), dtype=np.float32)
    if missing:
        vecs = encode([texts[i] for i in missing])
        cache.put([keys[i] for i in missing], vecs)
        for n, i in enumerate(missing):
            out[i] = vecs[n]
    for i, k in enumerate(keys):
        if k in found:
            out[i] = found[k]
    return out, len(missing)

"""What the edges do with an error that is not the person's to fix: log it, say where.

    path = log_internal_error("search")   # inside an `except Exception`
    -> "an internal error, logged at /root/.cache/inspection-search/logs/errors.log"

The log is $INSPECTION_SEARCH_LOG if set, else logs/errors.log in the cache folder
(indexer.embedding.model.cache_dir). Each entry has a timestamp, where it happened and the traceback.
"""
from __future__ import annotations

import os
import time
import traceback
from pathlib import Path

LOG_ENV = "INSPECTION_SEARCH_LOG"


def log_path() -> Path:
    from indexer.embedding.model import cache_dir

    env = os.environ.get(LOG_ENV)
    return Path(env) if env else cache_dir() / "logs" / "errors.log"


def log_internal_error(where: str) -> Path:
    """Append the exception being handled, with its traceback, to the log; return the log's path."""
    path = log_path()
    entry = f"--- {time.strftime('%Y-%m-%dT%H:%M:%S')} {where}\n{traceback.format_exc()}\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(entry)
    except OSError:  # nowhere to write: the message still names where it would be
        pass
    return path


def internal_error_message(where: str) -> str:
    return f"an internal error, logged at {log_internal_error(where)}"

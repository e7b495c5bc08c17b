"""The one CSV writer for every table the tool exports (records, threads, similar records, judgements)."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Iterable

from indexer.errors import MissingFile


def cell(value) -> str:
    """A value as a CSV cell: lists joined with '; ', nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(x) for x in value)
    return value


def write_csv(path_or_file: str | Path | IO[str], header: list[str], rows: Iterable[list]) -> None:
    """Write a UTF-8 CSV to a path (created or replaced) or to an open text file."""
    if isinstance(path_or_file, (str, Path)):
        path = Path(path_or_file)
        if path.parent and not path.parent.exists():
            raise MissingFile(f"cannot write {path}: folder {path.parent} does not exist")
        with open(path, "w", encoding="utf-8", newline="") as f:
            write_csv(f, header, rows)
        return
    w = csv.writer(path_or_file)
    w.writerow(header)
    for r in rows:
        w.writerow([cell(v) for v in r])

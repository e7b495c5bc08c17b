"""Inspectors' judgements of suggested repeats, kept beside the index and keyed by content.

    store = JudgementStore("var/index")
    store.judge(rec_a, rec_b, "match")          # a confirmed repeat: always one thread
    store.judge(rec_a, rec_c, "no_match")       # not a repeat: never one thread
    store.judge_draft(text, rec_b, "match")      # a pasted draft confirmed against a match
    store.latest()                               # the latest judgement of each pair

The file is INDEX_DIR/judgements.jsonl, one judgement a line, outside the index's
generations, so it survives `index --rebuild` and adding documents. A record is named by
its content (`record_key`: its text, scope and year), not by its place in an index, so a
judgement still applies after re-indexing, and stops applying if the record's text
changes (the judgement was about other words). Every change rewrites the file atomically,
as the index is written (a temporary file, fsync, rename, fsync of the folder), under a
lock, so a crash leaves the old file or the new one and two writers never interleave.
Later judgements of a pair replace earlier ones; the file keeps the history.

A draft (a recommendation being written, pasted into `similar`) can be judged against a match
before it is a record: the judgement keeps the draft's text, normalised to its words, and is
keyed by them (`draft_key`); once a record with the same words is indexed, it applies to that
record as to any other (whatever its year or unit, which the draft did not know).
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import threading
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import IO, Optional

from indexer import fsio
from indexer.errors import BadInput, MissingFile
from indexer.records import Recommendation

JUDGEMENTS_FILE = "judgements.jsonl"
LABELS = ("match", "no_match")
CSV_COLUMNS = ("a", "b", "label", "at", "by", "a_text", "b_text", "a_ref", "b_ref", "draft")


def record_key(rec: Recommendation) -> str:
    """A record named by what it says: its words, its scope and its year (16 hex digits)."""
    words = " ".join(re.findall(r"[a-z0-9]+", f"{rec.text} | {rec.scope or ''} | {rec.year or ''}".lower()))
    return hashlib.sha256(words.encode()).hexdigest()[:16]


def normalised_words(text: str) -> str:
    """A text reduced to its words, lowercased: how a draft and the record it becomes are matched."""
    return " ".join(re.findall(r"[a-z0-9]+", (text or "").lower()))


def draft_key(text: str) -> str:
    """A draft named by its words alone (16 hex digits); a record with the same words has the same one."""
    return hashlib.sha256(("draft | " + normalised_words(text)).encode()).hexdigest()[:16]


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class Judgement:
    a: str  # record keys, a <= b
    b: str
    label: str  # match | no_match
    at: str  # when, ISO 8601 UTC
    by: str = ""  # who, as they gave it
    a_text: str = ""  # what was judged, for people reading the file or the CSV
    b_text: str = ""
    a_ref: str = ""  # the records' ids in the index at the time (informational)
    b_ref: str = ""
    draft: str = ""  # "a" or "b" when that side is a draft (keyed by `draft_key` of its words), else ""

    @classmethod
    def from_dict(cls, d: dict, where: str) -> "Judgement":
        try:
            j = cls(**{f.name: str(d.get(f.name) or "") for f in fields(cls)})
        except TypeError as e:
            raise BadInput(f"{where}: not a judgement ({e})") from None
        if j.label not in LABELS:
            raise BadInput(f"{where}: label must be one of {', '.join(LABELS)}, not {j.label!r}")
        if not (re.fullmatch(r"[0-9a-f]{16}", j.a) and re.fullmatch(r"[0-9a-f]{16}", j.b)) or j.a == j.b:
            raise BadInput(f"{where}: a and b must be two different record keys (16 hex digits)")
        if j.draft not in ("", "a", "b"):
            raise BadInput(f"{where}: draft must be '', 'a' or 'b', not {j.draft!r}")
        a, b = pair_key(j.a, j.b)
        if (a, b) != (j.a, j.b):
            j = Judgement(a, b, j.label, j.at, j.by, j.b_text, j.a_text, j.b_ref, j.a_ref,
                          {"a": "b", "b": "a"}.get(j.draft, ""))
        return j


def normalise_label(label: str) -> str:
    """'confirm', 'match', 'repeat' -> match; 'reject', 'not a repeat', 'no match' -> no_match."""
    s = " ".join(re.findall(r"[a-z]+", (label or "").lower()))
    if s in ("match", "confirm", "confirmed", "repeat", "yes", "same"):
        return "match"
    if s in ("no match", "reject", "rejected", "not a repeat", "not repeat", "no", "different"):
        return "no_match"
    raise BadInput(f"a judgement is 'match' (a repeat) or 'no_match' (not a repeat), not {label!r}")


class JudgementStore:
    def __init__(self, index_dir: str | Path):
        self.dir = Path(index_dir)
        self.path = self.dir / JUDGEMENTS_FILE

    def _lock(self):
        from filelock import FileLock

        fsio.mkdir(self.dir)
        return FileLock(str(self.path) + ".lock", timeout=30)

    def all(self) -> list[Judgement]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        return [Judgement.from_dict(json.loads(line), f"{self.path}:{n}")
                for n, line in enumerate(lines, start=1) if line.strip()]

    def latest(self) -> dict[tuple[str, str], Judgement]:
        out: dict[tuple[str, str], Judgement] = {}
        for j in self.all():
            out[(j.a, j.b)] = j
        return out

    def version(self) -> tuple:
        """Changes whenever the file does (for caches built on the judgements)."""
        try:
            st = self.path.stat()
            return (st.st_size, st.st_mtime_ns)
        except FileNotFoundError:
            return (0, 0)

    def _write(self, judgements: list[Judgement]) -> None:
        body = "".join(json.dumps(asdict(j), ensure_ascii=False) + "\n" for j in judgements).encode("utf-8")
        tmp = self.dir / f".{JUDGEMENTS_FILE}.tmp-{os.getpid()}-{threading.get_ident()}"
        try:
            fsio.write_bytes(tmp, body)
            fsio.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fsio.fsync_dir(self.dir)

    def add(self, new: list[Judgement]) -> None:
        with self._lock():
            self._write(self.all() + new)

    def judge(self, a: Recommendation, b: Recommendation, label: str, by: str = "") -> Judgement:
        ka, kb = record_key(a), record_key(b)
        if ka == kb:
            raise BadInput("a record cannot be judged against itself")
        (ka, ra), (kb, rb) = sorted([(ka, a), (kb, b)], key=lambda x: x[0])
        j = Judgement(ka, kb, normalise_label(label), time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), by,
                      ra.text, rb.text, ra.rec_id, rb.rec_id)
        self.add([j])
        return j

    def judge_draft(self, text: str, record: Recommendation, label: str, by: str = "") -> Judgement:
        """Judge a pasted draft against a record (a match `similar` showed for it). The draft's words are
        kept; the judgement applies once a record with those words is indexed."""
        words = normalised_words(text)
        if len(words.split()) < 3:
            raise BadInput("a draft needs at least three words to be judged")
        kd, kr = draft_key(text), record_key(record)
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        if kd <= kr:
            j = Judgement(kd, kr, normalise_label(label), now, by, words, record.text, "draft", record.rec_id, "a")
        else:
            j = Judgement(kr, kd, normalise_label(label), now, by, record.text, words, record.rec_id, "draft", "b")
        self.add([j])
        return j

    def pending_drafts(self, records: list[Recommendation]) -> list[Judgement]:
        """Judgements of drafts no indexed record has the words of yet."""
        have = {draft_key(r.text) for r in records}
        return [j for j in self.latest().values()
                if j.draft and (j.a if j.draft == "a" else j.b) not in have]

    # --- CSV -------------------------------------------------------------------------------------

    def export_csv(self, dest: str | Path | IO[str]) -> int:
        from search.export import write_csv

        rows = list(self.latest().values())
        write_csv(dest, list(CSV_COLUMNS), ([getattr(j, c) for c in CSV_COLUMNS] for j in rows))
        return len(rows)

    def import_csv(self, src: str | Path) -> int:
        """Add the judgements of a CSV written by `export_csv` (another index's, or edited by hand)."""
        path = Path(src)
        if not path.exists():
            raise MissingFile(f"no judgements CSV at {path}")
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = {"a", "b", "label"} - set(reader.fieldnames or [])
            if missing:
                raise BadInput(f"{path}: needs the columns {', '.join(sorted(missing))}")
            new = []
            for n, row in enumerate(reader, start=2):
                try:
                    label = normalise_label(row.get("label", ""))
                except BadInput as e:
                    raise BadInput(f"{path}:{n}: {e}") from None
                row = dict(row, label=label, at=row.get("at") or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
                new.append(Judgement.from_dict(row, f"{path}:{n}"))
        self.add(new)
        return len(new)


def judged_rows(store: Optional[JudgementStore], records: list[Recommendation],
                aliases: Optional[dict[str, int]] = None
                ) -> tuple[list[tuple[int, int]], list[tuple[int, int]], dict[tuple[int, int], str]]:
    """(must-link rows, cannot-link rows, label by row pair) of `records`, from the latest judgements.
    `aliases` maps the key of a record that stands in another's row (a report's recommendation, in
    the row of the plan row answering it) to that row, so a judgement made on either half counts."""
    if store is None:
        return [], [], {}
    latest = store.latest()
    if not latest:
        return [], [], {}
    rows_of: dict[str, set[int]] = {}
    for i, r in enumerate(records):
        rows_of.setdefault(record_key(r), set()).add(i)
        rows_of.setdefault(draft_key(r.text), set()).add(i)  # a judged draft, now indexed
    for key, i in (aliases or {}).items():
        rows_of.setdefault(key, set()).add(i)
    must: list[tuple[int, int]] = []
    cannot: list[tuple[int, int]] = []
    labels: dict[tuple[int, int], str] = {}
    for (a, b), j in latest.items():
        for i in rows_of.get(a, ()):
            for k in rows_of.get(b, ()):
                if i == k:
                    continue
                p = (min(i, k), max(i, k))
                labels[p] = j.label
                (must if j.label == "match" else cannot).append(p)
    return sorted(set(must)), sorted(set(cannot)), labels

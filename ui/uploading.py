"""Adding files from the app: each stored and indexed as the signed-in person, audited, with progress by
stage, and an outcome per file that says what it added (passages, recommendations, links) or why not.

    summary = upload_files(handlers, ["/tmp/x.pdf"], user, progress=lambda fraction, text: ...)
    summary.outcomes[0].records, summary.changed, summary.text()

`ui.handlers.Handlers.upload` is this, as its one-line-per-file text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from indexer.errors import UserError
from indexer.readers import UnreadableFile

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from search.retrieval.searcher import Searcher

Progress = Callable[[float, str], None]
STAGES = ("reading the document", "indexing its passages", "saving the index")
_EMBEDDED = re.compile(r"(\d+) passages embedded")


@dataclass(frozen=True)
class UploadOutcome:
    name: str  # the file's name as uploaded
    # indexed | unchanged (the same bytes, or the same document in another format, were indexed already) |
    # refused (unreadable) | failed
    state: str
    message: str  # one line for the person
    passages: int = 0
    records: int = 0
    linked: int = 0  # of its records, those joined to their other half (a plan row and the report's recommendation)
    linked_to: str = ""  # the other documents' titles
    title: str = ""
    doc_type: str = ""
    date: Optional[str] = None
    doc_id: Optional[str] = None
    sha256: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.state in ("indexed", "unchanged")

    @property
    def indexed(self) -> bool:
        return self.state == "indexed"


@dataclass
class UploadSummary:
    outcomes: list[UploadOutcome] = field(default_factory=list)
    changed: bool = False
    refused: Optional[str] = None  # the whole upload refused (who is asking, or no files)

    def text(self) -> str:
        """One line per file, as the app showed it before outcomes were typed (kept for the API and tests)."""
        if self.refused:
            return self.refused
        lines = []
        heads = {"indexed": "**Indexed:** ", "unchanged": "**Unchanged:** "}
        for o in self.outcomes:
            lines.append(heads[o.state] + o.message if o.ok else
                         f"**{'Refused' if o.state == 'refused' else 'Not indexed'}** {o.name}: {o.message}")
        return "\n\n".join(lines)

    @property
    def added_ids(self) -> frozenset[str]:
        return frozenset(o.doc_id for o in self.outcomes if o.indexed and o.doc_id)


def stage_progress(progress: Progress, i: int, n: int, name: str) -> Progress:
    """The indexer's (fraction, message) for file i of n, said as the stage it is at."""
    def say(stage: int, within: float, detail: str = "") -> None:
        spans = ((0.0, 0.1), (0.1, 0.85), (0.85, 0.97))
        lo, hi = spans[stage]
        of = f" ({i + 1} of {n})" if n > 1 else ""
        progress((i + lo + (hi - lo) * max(0.0, min(1.0, within))) / n,
                 f"{name}{of}: step {stage + 1} of {len(STAGES)}, {STAGES[stage]}{detail}")

    def callback(fraction: float, message: str) -> None:
        m = _EMBEDDED.search(message or "")
        if fraction >= 0.9:
            say(2, 1.0 if fraction >= 1.0 else 0.3)
        elif m:
            say(1, (fraction - 0.05) / 0.85, f" ({m.group(1)} so far)")
        else:
            say(0, 0.5)

    callback.start = lambda: say(0, 0.0)  # type: ignore[attr-defined]
    return callback


def upload_files(handlers, paths: list[str], user, progress: Progress = lambda f, m: None) -> UploadSummary:
    """Store and index each file as `user` (an editor's or admin's: refused for anyone else, whatever the page
    showed), each audited; then switch searches to the new index once."""
    from indexer.readers import SUPPORTED_NAMES
    from ui.auth import require

    try:
        who = require(user, "upload").name
    except UserError as e:
        return UploadSummary(refused=f"**Refused:** {e}")
    if not paths:
        return UploadSummary(refused=f"Choose one or more files first ({SUPPORTED_NAMES}).")
    summary = UploadSummary()
    with handlers._upload_lock:  # one writer; the index lock would also serialise, this keeps outcomes in order
        for i, p in enumerate(paths):
            name = Path(p).name
            say = stage_progress(progress, i, len(paths), name)
            say.start()  # type: ignore[attr-defined]
            try:
                result = _ingest(handlers, Path(p), name, who, say)
            except UnreadableFile as e:
                summary.outcomes.append(UploadOutcome(name, "refused", e.reason))
                continue
            except OSError as e:  # the disk, not the program: say what happened
                summary.outcomes.append(UploadOutcome(name, "failed", str(e.strerror or e)))
                continue
            except Exception:
                summary.outcomes.append(UploadOutcome(name, "failed", error_text("upload")))
                continue
            state = "indexed" if result.indexed and result.same_as is None else "unchanged"
            summary.outcomes.append(UploadOutcome(name, state, result.message,
                                                  result.chunks,
                                                  sha256=result.stored.sha256))
            summary.changed = summary.changed or result.indexed
        if summary.changed:
            progress(0.98, "Switching searches to the new index")
            searcher = handlers.holder.reload()
            summary.outcomes = [_what_it_added(o, searcher) for o in summary.outcomes]
    return summary


def error_text(where: str) -> str:
    """Inside an `except`: the error's own line when the person can act on it, else a logged internal error's
    message (as ui.handlers.error_text, which imports this module)."""
    import sys

    from ui.errors import internal_error_message

    exc = sys.exc_info()[1]
    return str(exc) if isinstance(exc, UserError) else internal_error_message(where)


def _ingest(handlers, path: Path, name: str, who: str, progress: Progress):
    from indexer.uploads import ingest_upload
    from ui.audit import AuditLog

    settings = handlers.settings
    log = AuditLog.for_index(settings.index_dir)
    with log.recording(who, "upload", {"file": name}, settings.index_dir) as what:
        result = ingest_upload(path.read_bytes(), name, settings.uploads_dir, settings.index_dir,
                               embedder=handlers.holder.embedder, analyzer=handlers.holder.analyzer,
                               progress=progress)
        what.update(indexed=result.indexed, sha256=result.stored.sha256, message=result.message)
    return result


def _what_it_added(o: UploadOutcome, searcher: Searcher) -> UploadOutcome:
    """The outcome with the document as indexed: its title, type, date, records and the links they made."""
    from dataclasses import replace

    from ui.views.common import display_title

    if not o.indexed or not o.sha256:
        return o
    doc = next((d for d in searcher.docs.values() if d.sha256 == o.sha256), None)
    if doc is None:
        return o
    recs = [r for r in searcher.data.recommendations if r.doc_id == doc.doc_id]
    by_id = {r.rec_id: r for r in searcher.data.recommendations}
    others = {by_id[r.linked].doc_id for r in recs if r.linked and r.linked in by_id}
    titles = sorted(display_title(searcher.docs[d].title) for d in others if d in searcher.docs)
    return replace(o, records=len(recs), linked=sum(1 for r in recs if r.linked), linked_to="; ".join(titles),
                   title=doc.title, doc_type=doc.doc_type, date=doc.date, doc_id=doc.doc_id)

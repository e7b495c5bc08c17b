"""What the web app does when a person acts: plain methods that return plain values.

    h = Handlers(AppSettings(index_dir, uploads_dir, work_dir))
    html, data = h.search("SPO workload", "hybrid", "action_plan", 2022, 0, "any", 10)

Nothing here knows Gradio: `ui.app` lays out the page and wires its events to these
methods, so they can be tested (and reused) without a browser. Each takes the current
Searcher from the `SearcherHolder` once and uses only that one, so a request in flight
keeps the generation it started on while an upload swaps in a new one. An error the
person can fix is shown as its one line; anything else is logged with its traceback and
shown as "an internal error, logged at PATH" (`ui.errors`).
"""
from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from indexer.errors import BadInput, IndexUnusable, UserError
from indexer.records import Recommendation
from search.records.view import records_view
from ui import render
from ui.audit import AuditLog
from ui.auth import User, require
from ui.listings import match_choices, record_name

ANY = "any"
Progress = Callable[[float, str], None]


def error_text(where: str) -> str:
    """Inside an `except`: the error's own line when the person can act on it, else a logged
    internal error's message."""
    exc = sys.exc_info()[1]
    if isinstance(exc, UserError):
        return str(exc)
    from ui.errors import internal_error_message

    return internal_error_message(where)


def year_or_none(v) -> Optional[int]:
    """A year from a Number box: empty or 0 means no limit."""
    if v is None or v == "" or v == 0:
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        raise BadInput(f"a year must be a whole number, not {v!r}") from None


def choice(v) -> Optional[str]:
    return None if v in (None, "", ANY) else str(v)


def shown_path(path: Path) -> str:
    """A path as people know it: relative to the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class SearcherHolder:
    """The app's current Searcher: loaded on first use, replaced whole after an upload.

    `reload()` builds the new Searcher first and then swaps one reference, so no request
    ever sees a half-built one.
    """

    def __init__(self, index_dir: Path, embedder=None, analyzer=None):
        self.index_dir = Path(index_dir)
        self._embedder = embedder
        self._analyzer = analyzer
        self._searcher = None
        self._load_lock = threading.Lock()

    @property
    def embedder(self):
        """The one given, else the embedder of the variant the index was built with (read each time: an
        index rebuilt with the other variant is followed; each variant's model loads once per process)."""
        if self._embedder is not None:
            return self._embedder
        from indexer.index.model_of import embedder_for_index

        return embedder_for_index(self.index_dir)

    @property
    def analyzer(self):
        if self._analyzer is None:
            from indexer.text.analyzer import Analyzer

            self._analyzer = Analyzer.default()
        return self._analyzer

    def _new(self):
        from search.retrieval.searcher import Searcher

        return Searcher(self.index_dir, embedder=self.embedder, analyzer=self.analyzer)

    def get(self):
        s = self._searcher
        if s is not None:
            return s
        with self._load_lock:
            if self._searcher is None:
                self._searcher = self._new()
            return self._searcher

    def reload(self):
        fresh = self._new()
        self._searcher = fresh  # one reference assignment: atomic for readers
        return fresh


@dataclass(frozen=True)
class AppSettings:
    index_dir: Path
    uploads_dir: Path
    work_dir: Path  # CSV exports for download
    generator: Any = None


class Handlers:
    def __init__(self, settings: AppSettings, holder: Optional[SearcherHolder] = None):
        self.settings = settings
        self.holder = holder or SearcherHolder(settings.index_dir)
        self._upload_lock = threading.Lock()

    def current(self):
        return self.holder.get()

    # -- the page's frame --

    def facets(self) -> tuple[list, list, list]:
        """Choices for the filters: document types, publishers, addressees."""
        try:
            s = self.current()
        except IndexUnusable:
            return [ANY], [ANY], [ANY]
        from ui.views.common import type_name

        types = [(type_name(t), t) for t in sorted({d.doc_type for d in s.docs.values()})]
        pubs = sorted({d.publisher for d in s.docs.values() if d.publisher})
        addressees = sorted({r.addressee for r in s.data.recommendations if r.addressee})
        return [ANY] + types, [ANY] + pubs, [ANY] + addressees

    def status_line(self) -> str:
        try:
            s = self.current()
        except IndexUnusable as e:
            return (f"**No index yet.** {e}. Add documents in the Documents tab, or run "
                    f"`inspection-search index corpus --index {self.settings.index_dir}`.")
        g = self.settings.generator
        mode = (f"answers written by {g.describe}, checked against the cited passages" if g is not None
                else "offline extractive answers")
        return (f"Index `{shown_path(self.settings.index_dir)}` ({s.generation}): {len(s.docs)} documents, "
                f"{len(s)} passages, {len(s.data.recommendations)} recommendations · {mode}")

    def warm_up(self) -> str:
        try:
            self.current().embed_query("warm up")
        except IndexUnusable:
            pass
        return self.status_line()

    # -- Ask --

    def ask(self, question: str, doc_type=ANY, year_from=0, year_to=0, publisher=ANY) -> dict:
        """{"html", "choices", "state", "json", "answer"}: the answer, its sources to pick from (for a declined
        or partial answer, the closest passages), what picking one needs, and the Answer itself (None on error)."""
        from search.answers.answer import answer
        from search.retrieval.searcher import Filters

        try:
            filters = Filters(doc_type=choice(doc_type), year_from=year_or_none(year_from),
                              year_to=year_or_none(year_to), publisher=choice(publisher))
            ans = answer(self.current(), question or "", filters=filters, generator=self.settings.generator)
        except Exception:
            msg = error_text("ask")
            return {"html": render.message_html(msg, "error"), "choices": [], "state": None, "json": {"error": msg},
                    "answer": None}
        sources = render.shown_sources(ans)
        cites = [(h, render.sentence_span(ans, i)) for i, h in enumerate(sources, start=1)]
        return {"html": render.answer_html(ans), "choices": render.source_choices(sources),
                "state": {"question": ans.question, "cites": cites}, "json": render.answer_json(ans), "answer": ans}

    def source(self, picked, state) -> str:
        """The passage of source `picked` (its number), query terms marked, the quoted sentence shaded."""
        if not picked or not state:
            return ""
        try:
            n = int(picked)
            hit, span = state["cites"][n - 1]
        except (ValueError, IndexError, KeyError, TypeError):
            return render.message_html("That source is no longer available; ask again.", "error")
        return render.passage_html(hit, state["question"], self.holder.analyzer, n, span)

    def original(self, chunk_id, start=None, end=None, prefix: str = "ask") -> str:
        """Passage `chunk_id` where it stands in its source (ui.originals), [start, end) of its text highlighted
        (the cited sentence; the whole passage without them). The values come from the page: only a passage
        of the current index is ever opened, by its id."""
        from ui.originals import open_original
        from ui.views.original import original_html

        def offset(v) -> Optional[int]:
            try:
                return int(v) if v not in (None, "") else None
            except (TypeError, ValueError):
                return None

        a, b = offset(start), offset(end)
        span = (a, b) if a is not None and b is not None else None
        try:
            view = open_original(self.current(), str(chunk_id or ""), span)
        except Exception:
            return render.message_html(error_text("original"), "error")
        return original_html(view, prefix)

    # -- Search --

    def search(self, query, mode, doc_type, year_from, year_to, publisher, k=10) -> tuple[str, dict]:
        from search.retrieval.searcher import Filters

        try:
            s = self.current()
            filters = Filters(doc_type=choice(doc_type), year_from=year_or_none(year_from),
                              year_to=year_or_none(year_to), publisher=choice(publisher))
            hits = s.search(query or "", k=int(k), mode=mode or "hybrid", filters=filters)
        except Exception:
            msg = error_text("search")
            return render.message_html(msg, "error"), {"error": msg}
        note = "" if hits or not filters.active() else render.message_html("No documents match the filters.")
        from ui.views.hits import results_html

        return note + results_html(hits, query, s.analyzer), {
            "query": query, "mode": mode, "generation": s.generation,
            "hits": [render.public_json(h.to_json()) for h in hits]}

    # -- Recommendations and recurrence --

    def recommendations(self, status, year_from, year_to, addressee, text, doc_type=ANY):
        """(rows of RECORD_COLUMNS, "N recommendations", path of the CSV export)."""
        from search.records.catalogue import (
            citation,
            effective_status,
            link_note,
            list_recommendations,
            recommendations_csv,
        )

        try:
            s = self.current()
            recs = list_recommendations(records_view(s), status=choice(status), year_from=year_or_none(year_from),
                                        year_to=year_or_none(year_to), addressee=choice(addressee),
                                        text=text or None, doc_type=choice(doc_type))
            records = records_view(s).by_id
            rows = [render.record_row(r, effective_status(r, records), link_note(r, records, s.docs),
                                      citation(r, s.document(r.doc_id))) for r in recs]
            path = self.settings.work_dir / "recommendations.csv"
            recommendations_csv(recs, path, records)
        except Exception:
            return [], f"⚠ {error_text('recommendations')}", None
        return rows, f"{len(recs)} recommendations", str(path)

    def record_list(self, status, year_from, year_to, addressee, text, doc_type=ANY):
        """(the records page of the Recommendations tab, "") or (None, the error's line): records passing the
        filters with their plan's response, counts by status and the CSV (ui.listings)."""
        from ui.listings import RecordFilters, records_page

        try:
            filters = RecordFilters(choice(status), year_or_none(year_from), year_or_none(year_to), choice(addressee),
                                    text or None, choice(doc_type))
            return records_page(self.current(), filters, self.settings.work_dir), ""
        except Exception:
            return None, error_text("recommendations")

    def threads(self, topic):
        """(rows of THREAD_COLUMNS, the timeline figure, a one-line summary, path of the CSV export)."""
        from search.records.recurrence import find_threads, threads_csv
        from ui.timeline import MAX_PLOT_THREADS, timeline_figure

        topic = (topic or "").strip()
        try:
            threads = find_threads(records_view(self.current()), topic=topic or None)
            path = self.settings.work_dir / "recurring.csv"
            threads_csv(threads, path)
        except Exception:
            return [], None, f"⚠ {error_text('recurring')}", None
        msg = (f"{len(threads)} recurring thread{'' if len(threads) == 1 else 's'}"
               + (f" about “{topic}”" if topic else "")
               + (f"; the timeline shows the first {MAX_PLOT_THREADS}" if len(threads) > MAX_PLOT_THREADS else ""))
        return [render.thread_row(t) for t in threads], timeline_figure(threads), msg, str(path)

    # -- Has this been recommended before? --

    def record_choices(self) -> list[tuple[str, str]]:
        """(label, rec_id) of every record with text, in date order, for the pick-a-record control."""
        try:
            recs = sorted(self.current().data.recommendations, key=Recommendation.date_order)
        except IndexUnusable:
            return []
        from ui.listings import record_choices

        return record_choices(recs)

    def similar(self, draft: str = "", record_id: Optional[str] = None, k: int = 10) -> dict:
        """{"rows", "message", "choices", "state", "csv"}: the earlier recommendations most like a draft or an
        indexed record (SIMILAR_COLUMNS), matches to judge, and what judging needs (the record asked about)."""
        from search.records.similar import similar, similar_csv

        draft = (draft or "").strip()
        record_id = choice(record_id)
        try:
            s = self.current()
            if draft and record_id:
                raise BadInput("give a draft or pick a recommendation, not both (clear one of them)")
            if not draft and not record_id:
                raise BadInput("paste the text of a draft recommendation, or pick one from the list")
            view = records_view(s)
            record = None
            if record_id:
                record = view.record(record_id)
                if record is None:
                    raise BadInput("that recommendation is no longer in the index; pick it again")
            matches = similar(view, draft if not record else None, record, k=int(k), include_rejected=True)
            path = self.settings.work_dir / "similar.csv"
            similar_csv(view, matches, path)
        except Exception:
            return {"rows": [], "message": f"⚠ {error_text('similar')}", "choices": [], "state": None, "csv": None}
        titles = {d.doc_id: d.title for d in s.docs.values()}
        rows = [render.similar_row(n, m, titles.get(m.record.doc_id, m.record.doc_id))
                for n, m in enumerate(matches, start=1)]
        about = record_name(record) if record else "the draft"
        msg = (f"{len(matches)} earlier recommendations most like {about}, most alike first. Read the top five: "
               "a repeat can be worded quite differently." if matches
               else "No earlier recommendations to compare with.")
        if record is None and matches:
            msg += (" Confirming a match keeps the draft's words: the two share a thread once the draft is a "
                    "recommendation in an indexed report.")
        return {"rows": rows, "message": msg, "choices": match_choices(matches),
                "state": {"record": record.rec_id if record else None, "draft": draft}, "csv": str(path)}

    def judge(self, state: Optional[dict], match_id: Optional[str], label: str, user: Optional[User]) -> dict:
        """Store `user`'s judgement of the record asked about and one match (an editor's or admin's: refused
        for anyone else, whatever the page showed), audited, then show the matches again."""
        from search.records.judgements import JudgementStore

        try:
            who = require(user, "judge").name
            s = self.current()
            if not state or not (state.get("record") or state.get("draft")):
                raise BadInput("find the matches of a draft or an indexed recommendation first")
            if not match_id:
                raise BadInput("pick the match to confirm or reject")
            view = records_view(s)
            a, b = view.record(state["record"]) if state.get("record") else None, view.record(match_id)
            if b is None or (state.get("record") and a is None):
                raise BadInput("that recommendation is no longer in the index; find the matches again")
            what = {"a": a.rec_id if a else "draft", "b": b.rec_id, "label": label}
            if a is None:
                what["draft"] = state["draft"][:300]
            with AuditLog.for_index(self.settings.index_dir).recording(who, "judge", what, self.settings.index_dir):
                store = JudgementStore(s.index_dir)
                j = store.judge(a, b, label, by=who) if a else store.judge_draft(state["draft"], b, label, by=who)
        except Exception:
            state = state or {}
            out = self.similar(state.get("draft", "") if not state.get("record") else "", state.get("record"))
            out["message"] = f"⚠ {error_text('judge')}"
            return out
        out = self.similar("" if a else state["draft"], a.rec_id if a else None)
        if a is None:
            out["message"] = (f"Saved: the draft and {record_name(b)} are "
                              + ("one recommendation made again; they will share a thread once the draft is indexed."
                                 if j.label == "match" else "not a repeat; they will never share a thread."))
            return out
        pair = f"{record_name(a)} and {record_name(b)}"
        out["message"] = (f"Saved: {pair} are one recommendation made again; they now share a thread."
                          if j.label == "match" else f"Saved: {pair} are not a repeat; they will never share a thread.")
        return out

    # -- Documents --

    def document_choices(self) -> list[tuple[str, str]]:
        """(label, doc id) of every indexed document, for the app's correct-or-remove control, by title."""
        from ui.views.common import display_title

        try:
            s = self.current()
        except IndexUnusable:
            return []
        docs = sorted((d for d in s.docs.values() if not d.same_as), key=lambda d: display_title(d.title).lower())
        return [(f"{display_title(d.title)} ({d.file_name})", d.doc_id) for d in docs]

    def document_fields(self, doc_id: Optional[str]) -> dict[str, str]:
        """The title, type and date a document is indexed with (for the correction form); {} if unknown."""
        try:
            d = self.current().docs.get(doc_id or "")
        except IndexUnusable:
            return {}
        return {"title": d.title, "doc_type": d.doc_type, "date": d.date or ""} if d else {}

    def upload(self, paths: list[str], user: Optional[User],
               progress: Progress = lambda f, m: None) -> tuple[str, bool]:
        """Store and index each file as `user` (an editor's or admin's: refused for anyone else, whatever the
        page showed), each audited; (one line per file, whether the index changed). The app shows the typed
        outcomes of `ui.uploading.upload_files`, which this is."""
        from ui.uploading import upload_files

        summary = upload_files(self, paths, user, progress)
        return summary.text(), summary.changed

    # -- Audit --

    def audit(self, user: Optional[User]) -> tuple[list[list], str]:
        """(rows, a note): the audit log, newest first, for an admin; nothing for anyone else. Its details are
        shown as "name: value" pairs (a content hash cut to 12 characters); the log file has them whole."""
        if user is None or not user.can("read_audit"):
            return [], ""
        log = AuditLog.for_index(self.settings.index_dir)
        entries = list(reversed(log.entries()))

        def shown(k, v) -> str:
            v = "yes" if v is True else "no" if v is False else v
            return f"{k}: {str(v)[:12] if k == 'sha256' else v}"

        rows = [[e.time.replace("T", " ")[:19], e.who, e.action, "; ".join(shown(k, v) for k, v in e.what.items()),
                 e.generation_before or "", e.generation_after or ""] for e in entries]
        return rows, log.warning() or f"{len(rows)} entries, the newest first (the log: `{shown_path(log.path)}`)."

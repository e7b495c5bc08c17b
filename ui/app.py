"""The web app: Ask, Search, Recommendations, Recurring and Documents over one index.

    demo = build_app("var/index")
    launch_app(demo, host="127.0.0.1", port=7860)

A thin edge over search/ and indexer/: each handler takes the current Searcher
from a `SearcherHolder` once and uses only that one, so a search in flight keeps
the generation it started on while an upload swaps in a new one. Domain errors
are shown in the page as one line; nothing here decides how to search or answer.
"""
from __future__ import annotations

import html
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from indexer.readers import SUPPORTED_NAMES, SUPPORTED_SUFFIXES
from indexer.store import IndexError_, resolve_index_dir

QUEUE_CONCURRENCY = 2  # two cores: more parallel model calls only queue inside torch
QUEUE_MAX_SIZE = 64
MAX_FILE_SIZE = "50mb"
MAX_PLOT_THREADS = 20
ANY = "any"
STATUS_CHOICES = (ANY, "Agreed", "Partly Agreed", "Not Agreed", "unknown")
STATUS_COLOURS = {"Agreed": "#2e7d32", "Partly Agreed": "#ef8f00", "Not Agreed": "#c62828", None: "#9e9e9e"}

CSS = """
#ask-answer .answer p { margin: 0 0 .4em 0; line-height: 1.5; }
.cite { font-weight: 600; color: #1f4e9c; white-space: nowrap; cursor: pointer; }
.cite:hover { text-decoration: underline; }
.declined { color: #7a4b00; }
.notice { color: #555; font-size: .9em; margin: .2em 0 .6em 0; }
.error { color: #b00020; }
.sources { font-size: .92em; }
.passage { white-space: pre-wrap; line-height: 1.5; border-left: 3px solid #c5d3ea; padding-left: .8em; }
.passage-meta { color: #444; font-size: .92em; margin-bottom: .5em; }
.quoted { background: #eef3ff; }
mark { background: #ffe066; padding: 0 1px; }
.hit { margin-bottom: 1.2em; }
.hit-head { font-weight: 600; }
.hit-meta { color: #555; font-size: .88em; }
"""


# A click on a [n] marker in the answer picks source n in the radio below it, which opens the passage.
CITE_CLICK_JS = """
element.addEventListener('click', function (ev) {
  var c = ev.target.closest('.cite');
  if (!c) return;
  var input = document.querySelector('#ask-sources input[value="' + c.dataset.n + '"]');
  if (input) { input.click(); }
});
"""


class SearcherHolder:
    """The app's current Searcher: loaded on first use, replaced whole after an upload.

    Handlers call `get()` once per request and keep that object; `reload()` builds the
    new Searcher first and then swaps one reference, so no request ever sees a half-built one.
    """

    def __init__(self, index_dir: Path, embedder=None, analyzer=None):
        self.index_dir = Path(index_dir)
        self._embedder = embedder
        self._analyzer = analyzer
        self._searcher = None
        self._load_lock = threading.Lock()

    @property
    def embedder(self):
        if self._embedder is None:
            from indexer.embedder import default_embedder

            self._embedder = default_embedder()
        return self._embedder

    @property
    def analyzer(self):
        if self._analyzer is None:
            from indexer.analyzer import Analyzer

            self._analyzer = Analyzer.default()
        return self._analyzer

    def _new(self):
        from search.searcher import Searcher

        return Searcher(self.index_dir, embedder=self.embedder, analyzer=self.analyzer)

    def get(self):
        s = self._searcher
        if s is not None:
            return s
        with self._load_lock:
            if self._searcher is None:
                self._searcher = self._new()
            return self._searcher

    def loaded(self):
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


def shown_path(path: Path) -> str:
    """A path as people know it: relative to the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def default_uploads_dir(index_dir: Path) -> Path:
    """Uploads live beside the index: var/index -> var/uploads."""
    return Path(index_dir).resolve().parent / "uploads"


# --- Rendering -------------------------------------------------------------------------

def _esc(text: str) -> str:
    # gr.HTML treats its value as a JS/Handlebars template: neutralise $ { } as well as markup
    return html.escape(text).replace("$", "&#36;").replace("{", "&#123;").replace("}", "&#125;")


def marked_html(text: str, spans: Sequence[tuple[int, int]], emphasis: Optional[tuple[int, int]] = None) -> str:
    """`text` escaped, with <mark> on `spans` and the `emphasis` span (the quoted sentence) shaded."""
    cuts = {0, len(text)}
    for a, b in spans:
        cuts.update((a, b))
    if emphasis:
        cuts.update(emphasis)
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    out = []
    for a, b in zip(points, points[1:]):
        seg = _esc(text[a:b])
        if any(s <= a and b <= e for s, e in spans):
            seg = f"<mark>{seg}</mark>"
        if emphasis and emphasis[0] <= a and b <= emphasis[1]:
            seg = f'<span class="quoted">{seg}</span>'
        out.append(seg)
    return "".join(out)


def public_json(hit_json: dict) -> dict:
    """A hit's JSON for the browser: the file name, not the server path (and no "path" key, which
    Gradio would take for a file to serve)."""
    d = dict(hit_json)
    d["file"] = Path(d.pop("path", "") or "").name
    return d


def _message(text: str, cls: str = "notice") -> str:
    return f'<div class="{cls}">{_esc(text)}</div>'


def passage_html(hit, query: str, analyzer, number: Optional[int] = None,
                 emphasis: Optional[tuple[int, int]] = None) -> str:
    from search.answer import highlight_spans

    d, c = hit.document, hit.chunk
    meta = [f"<b>{_esc(d.title)}</b>", _esc(d.doc_type.replace('_', ' '))]
    if d.date:
        meta.append(f"date {_esc(d.date)}")
    if c.pages:
        meta.append("page " + _esc(", ".join(map(str, c.pages))))
    if c.rec_no is not None:
        meta.append(f"recommendation {c.rec_no}")
    if c.section:
        meta.append(f"section “{_esc(c.section)}”")
    meta.append(f"file {_esc(Path(d.path).name)}")
    head = f"[{number}] " if number is not None else ""
    body = marked_html(c.text, highlight_spans(c.text, query, analyzer), emphasis)
    return (f'<div class="passage-view" data-chunk="{_esc(c.chunk_id)}">'
            f'<div class="passage-meta">{head}{" · ".join(meta)}</div>'
            f'<div class="passage">{body}</div></div>')


def answer_html(ans) -> str:
    parts = []
    if ans.notice:
        parts.append(_message(f"Note: {ans.notice}"))
    if ans.declined:
        parts.append(f'<div class="answer declined"><p>{_esc(ans.text)}</p></div>')
        if ans.passages:
            items = "".join(f"<li>{_esc(h.citation())}</li>" for h in ans.passages[:3])
            parts.append(f'<div class="sources">Closest passages:<ul>{items}</ul></div>')
        return "".join(parts)
    paras = []
    for s in ans.sentences:
        marks = "".join(f'<span class="cite" data-n="{n}">[{n}]</span>' for n in s.citations)
        paras.append(f"<p>{_esc(s.text)} {marks}</p>")
    parts.append(f'<div class="answer" data-mode="{ans.mode}">{"".join(paras)}</div>')
    items = "".join(f'<li id="source-{i}">[{i}] {_esc(h.citation())}</li>'
                    for i, h in enumerate(ans.citations, start=1))
    parts.append(f'<div class="sources">Sources (click a marker or pick a source below to read the passage):<ul>{items}</ul></div>')
    return "".join(parts)


def answer_json(ans) -> dict:
    d = ans.to_json()
    d["citations"] = [public_json(c) for c in d["citations"]]
    return d


def source_choices(ans) -> list[tuple[str, str]]:
    return [(f"[{i}] {h.citation()}", str(i)) for i, h in enumerate(ans.citations, start=1)]


def hits_html(hits, query: str, analyzer) -> str:
    from search.answer import highlight_spans

    if not hits:
        return _message("No passages found.")
    out = []
    for h in hits:
        ranks = [f"bm25 #{h.bm25_rank}" if h.bm25_rank else "", f"dense #{h.dense_rank}" if h.dense_rank else ""]
        meta = f"{h.document.doc_type.replace('_', ' ')} · score {h.score:.4f} · " + ", ".join(r for r in ranks if r)
        body = marked_html(h.chunk.text, highlight_spans(h.chunk.text, query, analyzer))
        out.append(f'<div class="hit" data-rank="{h.rank}"><div class="hit-head">[{h.rank}] {_esc(h.citation())}</div>'
                   f'<div class="hit-meta">{_esc(meta)}</div><div class="passage">{body}</div></div>')
    return "".join(out)


def timeline_figure(threads: Sequence, max_threads: int = MAX_PLOT_THREADS):
    """Years across, threads down; points coloured by status; agreed-then-repeated ringed."""
    import textwrap

    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from search.recurrence import AGREED_THEN_REPEATED

    shown = list(threads)[:max_threads]
    fig = Figure(figsize=(10, 1.6 + 0.55 * max(len(shown), 1)), layout="constrained")
    ax = fig.subplots()
    if not shown:
        ax.text(0.5, 0.5, "No recurring recommendations found", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    years = sorted({r.year for t in shown for r in t.instances if r.year})
    for row, t in enumerate(shown):
        seen: dict[int, int] = {}
        xs = []
        for r, flags in zip(t.instances, t.flags):
            if not r.year:
                continue
            k = seen.get(r.year, 0)
            seen[r.year] = k + 1
            x = r.year + 0.12 * k  # several in one year sit side by side
            xs.append(x)
            ax.scatter([x], [row], s=70, color=STATUS_COLOURS.get(r.status, STATUS_COLOURS[None]), zorder=3)
            if AGREED_THEN_REPEATED in flags:
                ax.scatter([x], [row], s=230, facecolors="none", edgecolors="black", linewidths=1.4, zorder=4)
        if len(xs) > 1:
            ax.plot([min(xs), max(xs)], [row, row], color="#bbbbbb", lw=1.5, zorder=1)
    labels = [textwrap.shorten(("↻ " if t.agreed_then_repeated else "") + t.label, 60) for t in shown]
    ax.set_yticks(range(len(shown)), labels=labels, fontsize=8)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.set_xticks(years, labels=[str(y) for y in years])
    ax.set_xlim(min(years) - 0.6, max(years) + 0.8)
    ax.grid(axis="x", color="#eeeeee")
    handles = [Line2D([], [], marker="o", ls="", color=c, label=s or "status unknown")
               for s, c in STATUS_COLOURS.items()]
    handles.append(Line2D([], [], marker="o", ls="", markerfacecolor="none", markeredgecolor="black",
                          markersize=11, label="agreed, then recommended again"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=8, frameon=False)
    ax.set_title("Recurring recommendations by year")
    return fig


# --- The app ---------------------------------------------------------------------------

def _int_or_none(v) -> Optional[int]:
    """A year from a Number box: empty or 0 means no limit."""
    if v is None or v == "" or v == 0:
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        raise ValueError(f"a year must be a whole number, not {v!r}") from None


def _choice(v) -> Optional[str]:
    return None if v in (None, "", ANY) else str(v)


def build_app(index_dir: str | Path | None = None, *, uploads_dir: str | Path | None = None,
              generator=None, embedder=None, analyzer=None, warm: bool = True):
    """The Gradio Blocks for the index at `index_dir` (queued, not launched)."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    from search.answer import answer
    from search.searcher import MODES, Filters, QueryError

    index_dir = resolve_index_dir(index_dir)
    settings = AppSettings(Path(index_dir), Path(uploads_dir) if uploads_dir else default_uploads_dir(index_dir),
                           Path(tempfile.mkdtemp(prefix="inspection-search-app-")), generator)
    holder = SearcherHolder(settings.index_dir, embedder, analyzer)
    known = (IndexError_, QueryError, ValueError, FileNotFoundError)

    def current():
        return holder.get()

    def facets() -> tuple[list, list, list]:
        try:
            s = current()
        except IndexError_:
            return [ANY], [ANY], [ANY]
        types = [(t.replace("_", " "), t) for t in sorted({d.doc_type for d in s.docs.values()})]
        pubs = sorted({d.publisher for d in s.docs.values() if d.publisher})
        addressees = sorted({r.addressee for r in s.data.recommendations if r.addressee})
        return [ANY] + types, [ANY] + pubs, [ANY] + addressees

    def status_line() -> str:
        try:
            s = current()
        except IndexError_ as e:
            return f"**No index yet.** {e}. Add documents in the Documents tab, or run `inspection-search index corpus --index {settings.index_dir}`."
        mode = (f"answers written by {generator.describe}, checked against the cited passages"
                if generator is not None else "offline extractive answers")
        return (f"Index `{shown_path(settings.index_dir)}` ({s.generation}): {len(s.docs)} documents, {len(s)} passages, "
                f"{len(s.data.recommendations)} recommendations · {mode}")

    # -- handlers --

    def warm_up(progress=gr.Progress()):
        progress(0.1, desc="Loading the index and the embedding model (first use only)…")
        try:
            s = current()
            s.embed_query("warm up")
        except IndexError_:
            pass
        return status_line()

    def on_ask(question, progress=gr.Progress()):
        progress(0.05, desc="Loading…")
        try:
            s = current()
            progress(0.3, desc="Searching and checking the answer…")
            ans = answer(s, question or "", generator=settings.generator)
        except known as e:
            return (_message(str(e), "error"), gr.update(choices=[], value=None), "", None, {"error": str(e)})
        cites = [(h, sent_span(ans, i)) for i, h in enumerate(ans.citations, start=1)]
        placeholder = _message("Pick a source above to read its passage." if ans.citations else "")
        return (answer_html(ans), gr.update(choices=source_choices(ans), value=None), placeholder,
                {"question": ans.question, "cites": cites}, answer_json(ans))

    def sent_span(ans, n: int) -> Optional[tuple[int, int]]:
        for s in ans.sentences:
            if s.citations == (n,) and s.start is not None:
                return (s.start, s.end)
        return None

    def on_source(choice, state):
        if not choice or not state:
            return ""
        try:
            n = int(choice)
            hit, span = state["cites"][n - 1]
        except (ValueError, IndexError, KeyError, TypeError):
            return _message("That source is no longer available; ask again.", "error")
        return passage_html(hit, state["question"], holder.analyzer, n, span)

    def on_search(query, mode, doc_type, year_from, year_to, publisher, k=10, progress=gr.Progress()):
        progress(0.1, desc="Searching…")
        try:
            s = current()
            filters = Filters(doc_type=_choice(doc_type), year_from=_int_or_none(year_from),
                              year_to=_int_or_none(year_to), publisher=_choice(publisher))
            hits = s.search(query or "", k=int(k), mode=mode or "hybrid", filters=filters)
        except known as e:
            return _message(str(e), "error"), {"error": str(e)}
        note = "" if hits or not filters.active() else _message("No documents match the filters.")
        return note + hits_html(hits, query, s.analyzer), {
            "query": query, "mode": mode, "generation": s.generation, "hits": [public_json(h.to_json()) for h in hits]}

    def on_recs(status, year_from, year_to, addressee, text, doc_type=ANY):
        from search.recommendations import (by_id, citation, effective_status, link_note, list_recommendations,
                                            recommendations_csv)
        from ui.cmd_recs import record_number

        try:
            s = current()
            recs = list_recommendations(s, status=_choice(status), year_from=_int_or_none(year_from),
                                        year_to=_int_or_none(year_to), addressee=_choice(addressee),
                                        text=text or None, doc_type=_choice(doc_type))
        except known as e:
            return [], f"⚠ {e}", None
        records = by_id(s)
        rows = [[r.year or "", record_number(r), effective_status(r, records) or "unknown",
                 "report" if r.kind == "report" else "action plan",
                 re.sub(r"\s*should:?$", "", r.addressee or ""), r.text,
                 r.response[:400] + ("…" if len(r.response) > 400 else ""),
                 link_note(r, records, s.docs), citation(r, s.document(r.doc_id))] for r in recs]
        path = settings.work_dir / "recommendations.csv"
        recommendations_csv(recs, path, records)
        return rows, f"{len(recs)} recommendations", str(path)

    def on_threads(topic, progress=gr.Progress()):
        from search.recurrence import find_threads, threads_csv

        progress(0.1, desc="Grouping recommendations into threads…")
        try:
            s = current()
            threads = find_threads(s, topic=(topic or "").strip() or None)
        except known as e:
            return [], None, f"⚠ {e}", None
        rows = [[t.label, ", ".join(map(str, t.years)), len(t.instances),
                 "yes" if t.agreed_then_repeated else "",
                 "; ".join(f"{r.year} #{r.number} {r.status or 'unknown'}" for r in t.instances)]
                for t in threads]
        path = settings.work_dir / "recurring.csv"
        threads_csv(threads, path)
        msg = (f"{len(threads)} recurring threads" + (f" about “{topic.strip()}”" if (topic or "").strip() else "")
               + (f"; the timeline shows the first {MAX_PLOT_THREADS}" if len(threads) > MAX_PLOT_THREADS else ""))
        return rows, timeline_figure(threads), msg, str(path)

    def documents_rows():
        try:
            s = current()
        except IndexError_:
            return []
        chunks: dict[str, int] = {}
        for c in s.chunks:
            chunks[c.doc_id] = chunks.get(c.doc_id, 0) + 1
        recs: dict[str, int] = {}
        for r in s.data.recommendations:
            recs[r.doc_id] = recs.get(r.doc_id, 0) + 1
        docs = sorted(s.docs.values(), key=lambda d: (d.date is None, d.date or "", d.title))  # undated last
        return [[d.title, d.doc_type, d.date or "", d.publisher or "", chunks.get(d.doc_id, 0),
                 recs.get(d.doc_id, 0), Path(d.path).name] for d in docs]

    upload_lock = threading.Lock()

    def on_upload(files, progress=gr.Progress()):
        from indexer.readers import UnreadableFile
        from indexer.uploads import ingest_upload

        if not files:
            return (f"Choose one or more files first ({SUPPORTED_NAMES}).", documents_rows(), gr.update(), gr.update(),
                    status_line())
        paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in files]
        lines, changed = [], False
        with upload_lock:  # one writer; the index lock would also serialise, this keeps messages in order
            for i, p in enumerate(paths):
                name = Path(p).name
                progress(i / len(paths), desc=f"{name}: reading")

                def cb(fraction, message, i=i, name=name):
                    progress((i + max(0.0, min(1.0, fraction))) / len(paths), desc=f"{name}: {message}")

                try:
                    data = Path(p).read_bytes()
                    result = ingest_upload(data, name, settings.uploads_dir, settings.index_dir,
                                           embedder=holder.embedder, analyzer=holder.analyzer, progress=cb)
                except UnreadableFile as e:
                    lines.append(f"**Refused** {name}: {e.reason}")
                    continue
                except (IndexError_, OSError, ValueError) as e:
                    lines.append(f"**Not indexed** {name}: {e}")
                    continue
                lines.append(("**Indexed:** " if result.indexed else "**Unchanged:** ") + result.message)
                changed = changed or result.indexed
            if changed:
                progress(0.98, desc="Switching searches to the new index…")
                holder.reload()
        types, pubs, _ = facets()
        return ("\n\n".join(lines), documents_rows(), gr.update(choices=types), gr.update(choices=pubs),
                status_line())

    # -- layout --

    types0, pubs0, addressees0 = facets() if holder.index_dir.exists() else ([ANY], [ANY], [ANY])
    with gr.Blocks(title="Inspection search") as demo:
        gr.Markdown("## Probation inspection search\nSearch inspection reports and action plans, get cited answers, "
                    "and follow recommendations across years.")
        status = gr.Markdown("Loading the index…", elem_id="app-status")
        with gr.Tabs():
            with gr.Tab("Ask", id="ask", elem_id="tab-ask"):
                with gr.Row():
                    question = gr.Textbox(label="Question", placeholder="e.g. What are the four pillars of risk management?",
                                          scale=5, elem_id="ask-question", max_length=2000)
                    ask_btn = gr.Button("Ask", variant="primary", scale=1, elem_id="ask-button")
                ans_out = gr.HTML(elem_id="ask-answer", js_on_load=CITE_CLICK_JS)
                sources = gr.Radio(label="Sources: pick one to read the passage", choices=[],
                                   elem_id="ask-sources")
                passage = gr.HTML(elem_id="ask-passage")
                ask_state = gr.State(None)
                with gr.Accordion("Answer as JSON", open=False):
                    ask_json = gr.JSON(elem_id="ask-json")
            with gr.Tab("Search", id="search", elem_id="tab-search"):
                with gr.Row():
                    query = gr.Textbox(label="Search for", scale=5, elem_id="search-query", max_length=2000)
                    search_btn = gr.Button("Search", variant="primary", scale=1, elem_id="search-button")
                with gr.Row():
                    mode = gr.Radio(list(MODES), value="hybrid", label="Mode", elem_id="search-mode")
                    doc_type = gr.Dropdown(types0, value=ANY, label="Document type", elem_id="search-type")
                    publisher = gr.Dropdown(pubs0, value=ANY, label="Publisher", allow_custom_value=True,
                                            elem_id="search-publisher")
                    year_from = gr.Number(label="Year from (0 = any)", precision=0, elem_id="search-year-from")
                    year_to = gr.Number(label="Year to (0 = any)", precision=0, elem_id="search-year-to")
                    k = gr.Slider(1, 50, value=10, step=1, label="Passages", elem_id="search-k")
                results = gr.HTML(elem_id="search-results")
                with gr.Accordion("Results as JSON", open=False):
                    results_json = gr.JSON(elem_id="search-json")
            with gr.Tab("Recommendations", id="recs", elem_id="tab-recs"):
                with gr.Row():
                    rec_status = gr.Dropdown(list(STATUS_CHOICES), value=ANY, label="Status", elem_id="recs-status")
                    rec_from = gr.Number(label="Year from (0 = any)", precision=0, elem_id="recs-year-from")
                    rec_to = gr.Number(label="Year to (0 = any)", precision=0, elem_id="recs-year-to")
                    rec_addr = gr.Dropdown(addressees0, value=ANY, label="Addressed to", allow_custom_value=True,
                                           elem_id="recs-addressee")
                    rec_text = gr.Textbox(label="Text contains", elem_id="recs-text")
                    rec_type = gr.Dropdown(types0, value=ANY, label="From documents of type", elem_id="recs-type")
                with gr.Row():
                    rec_btn = gr.Button("Filter", variant="primary", elem_id="recs-button")
                    rec_csv = gr.DownloadButton("Download CSV", elem_id="recs-download")
                rec_count = gr.Markdown(elem_id="recs-count")
                rec_table = gr.Dataframe(headers=["year", "no.", "status", "from", "addressed to", "recommendation",
                                                  "response", "origin → response", "citation"], interactive=False,
                                         wrap=True, elem_id="recs-table", max_height=600,
                                         column_widths=["5%", "4%", "8%", "6%", "10%", "24%", "18%", "13%", "12%"])
            with gr.Tab("Recurring", id="recurring", elem_id="tab-recurring"):
                with gr.Row():
                    topic = gr.Textbox(label="Topic (empty: all recurring threads)", scale=5,
                                       elem_id="recurring-topic", max_length=2000)
                    thr_btn = gr.Button("Find threads", variant="primary", scale=1, elem_id="recurring-button")
                thr_msg = gr.Markdown(elem_id="recurring-count")
                plot = gr.Plot(label="Timeline", elem_id="recurring-plot")
                thr_table = gr.Dataframe(headers=["thread", "years", "instances", "agreed then repeated", "instances (year #no status)"],
                                         interactive=False, wrap=True, elem_id="recurring-table", max_height=500,
                                         column_widths=["44%", "10%", "8%", "10%", "28%"])
                thr_csv = gr.DownloadButton("Download CSV", elem_id="recurring-download")
            with gr.Tab("Documents", id="documents", elem_id="tab-documents"):
                docs_table = gr.Dataframe(headers=["title", "type", "date", "publisher", "passages",
                                                   "recommendations", "file"], interactive=False, wrap=True,
                                          elem_id="docs-table",
                                          column_widths=["38%", "10%", "9%", "13%", "7%", "9%", "14%"])
                gr.Markdown(f"Add PDF, Word (.docx), OpenDocument (.odt), web page (.html), TXT or MD files "
                            f"(up to {MAX_FILE_SIZE} each). They are stored in "
                            f"`{shown_path(settings.uploads_dir)}` and added to the index; searches switch to the new "
                            "index when it is ready.")
                upload = gr.File(label="Files to add", file_count="multiple", file_types=sorted(SUPPORTED_SUFFIXES),
                                 elem_id="docs-upload")
                upload_btn = gr.Button("Add to index", variant="primary", elem_id="docs-index-button")
                upload_msg = gr.Markdown(elem_id="docs-message")

        # -- events --
        demo.load(warm_up, outputs=status, api_visibility="private")
        demo.load(documents_rows, outputs=docs_table, api_visibility="private")
        rec_inputs = [rec_status, rec_from, rec_to, rec_addr, rec_text, rec_type]
        demo.load(on_recs, rec_inputs, [rec_table, rec_count, rec_csv], api_visibility="private")
        ask_inputs, ask_outputs = [question], [ans_out, sources, passage, ask_state, ask_json]
        ask_btn.click(on_ask, ask_inputs, ask_outputs, api_name="ask")
        question.submit(on_ask, ask_inputs, ask_outputs, api_visibility="private")
        sources.change(on_source, [sources, ask_state], passage, api_visibility="private")
        s_inputs = [query, mode, doc_type, year_from, year_to, publisher, k]
        search_btn.click(on_search, s_inputs, [results, results_json], api_name="search")
        query.submit(on_search, s_inputs, [results, results_json], api_visibility="private")
        rec_btn.click(on_recs, rec_inputs, [rec_table, rec_count, rec_csv], api_name="recommendations")
        rec_text.submit(on_recs, rec_inputs, [rec_table, rec_count, rec_csv], api_visibility="private")
        thr_btn.click(on_threads, [topic], [thr_table, plot, thr_msg, thr_csv], api_name="recurring")
        topic.submit(on_threads, [topic], [thr_table, plot, thr_msg, thr_csv], api_visibility="private")
        upload_btn.click(on_upload, [upload], [upload_msg, docs_table, doc_type, publisher, status],
                         api_visibility="private", concurrency_limit=1)

    demo.queue(default_concurrency_limit=QUEUE_CONCURRENCY, max_size=QUEUE_MAX_SIZE)
    demo.inspection_settings = settings
    demo.inspection_holder = holder
    if warm:
        threading.Thread(target=_warm, args=(holder,), daemon=True, name="warm-model").start()
    return demo


def _warm(holder: SearcherHolder) -> None:
    """Load the index and the model in the background so the first question does not wait."""
    try:
        holder.get().embed_query("warm up")
    except Exception:  # the page reports a missing or broken index itself
        pass


def launch_app(demo, host: str = "127.0.0.1", port: Optional[int] = 7860, *, prevent_thread_lock: bool = False,
               quiet: bool = False):
    """Start the server with the project's limits: localhost, 50 MB uploads, no extra file paths."""
    import gradio as gr

    settings: AppSettings = demo.inspection_settings
    theme = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])
    return demo.launch(server_name=host, server_port=port, prevent_thread_lock=prevent_thread_lock,
                       share=False, max_file_size=MAX_FILE_SIZE, allowed_paths=[],
                       blocked_paths=[str(settings.index_dir.resolve()), str(settings.uploads_dir.resolve())],
                       theme=theme, css=CSS, ssr_mode=False, quiet=quiet, show_error=False,
                       footer_links=["api"])

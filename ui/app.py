"""The web app: Ask, Search, Recommendations, Recurring and Documents over one index.

    demo = build_app("var/index")
    launch_app(demo, host="127.0.0.1", port=7860)

Layout and event wiring only: what each event does is a method of `ui.handlers.Handlers`
(plain values in, plain values out) and how results look is `ui.render`. Here those values
are put into Gradio components, with a progress bar for the slow steps.
"""
from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Optional

from indexer.index.store import resolve_index_dir
from indexer.readers import SUPPORTED_SUFFIXES
from ui.handlers import ANY, AppSettings, Handlers, SearcherHolder, shown_path
from ui.render import DOCUMENT_COLUMNS, RECORD_COLUMNS, SIMILAR_COLUMNS, THREAD_COLUMNS

QUEUE_CONCURRENCY = 2  # two cores: more parallel model calls only queue inside the runtime
QUEUE_MAX_SIZE = 64
MAX_FILE_SIZE = "50mb"
STATUS_CHOICES = (ANY, "Agreed", "Partly Agreed", "Not Agreed", "unknown")

CSS = """
#ask-answer .answer p { margin: 0 0 .4em 0; line-height: 1.5; }
.cite { font-weight: 600; color: #1f4e9c; white-space: nowrap; cursor: pointer; }
.cite:hover { text-decoration: underline; }
.declined { color: #7a4b00; }
.missing { font-weight: 600; }
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


def default_uploads_dir(index_dir: Path) -> Path:
    """Uploads live beside the index: var/index -> var/uploads."""
    return Path(index_dir).resolve().parent / "uploads"


def build_app(index_dir: str | Path | None = None, *, uploads_dir: str | Path | None = None,
              generator=None, embedder=None, analyzer=None, warm: bool = True):
    """The Gradio Blocks for the index at `index_dir` (queued, not launched)."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    from search.retrieval.searcher import MODES

    index_dir = resolve_index_dir(index_dir)
    settings = AppSettings(Path(index_dir), Path(uploads_dir) if uploads_dir else default_uploads_dir(index_dir),
                           Path(tempfile.mkdtemp(prefix="inspection-search-app-")), generator)
    holder = SearcherHolder(settings.index_dir, embedder, analyzer)
    h = Handlers(settings, holder)

    # Gradio-facing wrappers: progress bars and component updates around the plain handlers

    def warm_up(progress=gr.Progress()):
        progress(0.1, desc="Loading the index and the embedding model (first use only)…")
        return h.warm_up()

    def on_ask(question, doc_type=ANY, year_from=0, year_to=0, publisher=ANY, progress=gr.Progress()):
        progress(0.3, desc="Searching and checking the answer…")
        out = h.ask(question, doc_type, year_from, year_to, publisher)
        placeholder = "<div class='notice'>Pick a source above to read its passage.</div>" if out["choices"] else ""
        return out["html"], gr.update(choices=out["choices"], value=None), placeholder, out["state"], out["json"]

    def on_search(query, mode, doc_type, year_from, year_to, publisher, k=10, progress=gr.Progress()):
        progress(0.1, desc="Searching…")
        return h.search(query, mode, doc_type, year_from, year_to, publisher, k)

    def on_threads(topic, progress=gr.Progress()):
        progress(0.1, desc="Grouping recommendations into threads…")
        return h.threads(topic)

    def similar_outputs(out):
        return (out["rows"], out["message"], gr.update(choices=out["choices"], value=None), out["state"],
                out["csv"])

    def on_similar(draft, record_id, progress=gr.Progress()):
        progress(0.2, desc="Comparing with every recommendation…")
        return similar_outputs(h.similar(draft, record_id))

    def on_judge(state, match_id, label):
        return similar_outputs(h.judge(state, match_id, label))

    def on_upload(files, progress=gr.Progress()):
        paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in files or []]
        message, _ = h.upload(paths, lambda fraction, desc: progress(fraction, desc=desc))
        types, pubs, _ = h.facets()
        t, p = gr.update(choices=types), gr.update(choices=pubs)
        return (message, h.documents(), t, p, t, p, t, h.status_line(),
                gr.update(choices=[(ANY, ANY)] + h.record_choices()))

    types0, pubs0, addressees0 = h.facets() if holder.index_dir.exists() else ([ANY], [ANY], [ANY])
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
                with gr.Accordion("Only from some documents", open=False, elem_id="ask-filters"):
                    with gr.Row():
                        ask_type = gr.Dropdown(types0, value=ANY, label="Document type", elem_id="ask-type")
                        ask_from = gr.Number(value=0, label="Year from (0 = any)", precision=0, elem_id="ask-year-from")
                        ask_to = gr.Number(value=0, label="Year to (0 = any)", precision=0, elem_id="ask-year-to")
                        ask_pub = gr.Dropdown(pubs0, value=ANY, label="Publisher", allow_custom_value=True,
                                              elem_id="ask-publisher")
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
                rec_table = gr.Dataframe(headers=RECORD_COLUMNS, interactive=False,
                                         wrap=True, elem_id="recs-table", max_height=600,
                                         column_widths=["5%", "4%", "8%", "6%", "10%", "24%", "18%", "13%", "12%"])
                gr.Markdown("### Has this been recommended before?\nPaste a draft recommendation, or pick one "
                            "already indexed, to see the earlier recommendations most like it. Confirm a match "
                            "(one recommendation made again: it joins its thread) or reject it (never one thread).")
                with gr.Row():
                    sim_draft = gr.Textbox(label="Draft recommendation", lines=2, scale=3, elem_id="similar-draft",
                                           max_length=2000)
                    sim_record = gr.Dropdown([(ANY, ANY)] + h.record_choices(), value=ANY, scale=3,
                                             label="…or an indexed recommendation", elem_id="similar-record")
                    sim_btn = gr.Button("Find earlier recommendations", variant="primary", scale=1,
                                        elem_id="similar-button")
                sim_msg = gr.Markdown(elem_id="similar-message")
                sim_table = gr.Dataframe(headers=SIMILAR_COLUMNS, interactive=False, wrap=True, max_height=500,
                                         elem_id="similar-table",
                                         column_widths=["3%", "8%", "6%", "10%", "5%", "4%", "7%", "24%", "18%",
                                                        "7%", "8%"])
                with gr.Row():
                    sim_match = gr.Dropdown([], label="Match to judge", scale=3, elem_id="similar-match")
                    confirm_btn = gr.Button("Confirm: a repeat", scale=1, elem_id="similar-confirm")
                    reject_btn = gr.Button("Not a repeat", scale=1, elem_id="similar-reject")
                    sim_csv = gr.DownloadButton("Download CSV", scale=1, elem_id="similar-download")
                sim_state = gr.State(None)
            with gr.Tab("Recurring", id="recurring", elem_id="tab-recurring"):
                with gr.Row():
                    topic = gr.Textbox(label="Topic (empty: all recurring threads)", scale=5,
                                       elem_id="recurring-topic", max_length=2000)
                    thr_btn = gr.Button("Find threads", variant="primary", scale=1, elem_id="recurring-button")
                thr_msg = gr.Markdown(elem_id="recurring-count")
                plot = gr.Plot(label="Timeline", elem_id="recurring-plot")
                thr_table = gr.Dataframe(headers=THREAD_COLUMNS,
                                         interactive=False, wrap=True, elem_id="recurring-table", max_height=500,
                                         column_widths=["44%", "10%", "8%", "10%", "28%"])
                thr_csv = gr.DownloadButton("Download CSV", elem_id="recurring-download")
            with gr.Tab("Documents", id="documents", elem_id="tab-documents"):
                docs_table = gr.Dataframe(headers=DOCUMENT_COLUMNS, interactive=False, wrap=True,
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
        demo.load(h.documents, outputs=docs_table, api_visibility="private")
        rec_inputs = [rec_status, rec_from, rec_to, rec_addr, rec_text, rec_type]
        rec_outputs = [rec_table, rec_count, rec_csv]
        # private events name themselves, so that the public api names below stay free
        demo.load(h.recommendations, rec_inputs, rec_outputs, api_name="load_recommendations", api_visibility="private")
        ask_inputs = [question, ask_type, ask_from, ask_to, ask_pub]
        ask_outputs = [ans_out, sources, passage, ask_state, ask_json]
        ask_btn.click(on_ask, ask_inputs, ask_outputs, api_name="ask")
        question.submit(on_ask, ask_inputs, ask_outputs, api_visibility="private")
        sources.change(h.source, [sources, ask_state], passage, api_visibility="private")
        s_inputs = [query, mode, doc_type, year_from, year_to, publisher, k]
        search_btn.click(on_search, s_inputs, [results, results_json], api_name="search")
        query.submit(on_search, s_inputs, [results, results_json], api_visibility="private")
        rec_btn.click(h.recommendations, rec_inputs, rec_outputs, api_name="recommendations")
        rec_text.submit(h.recommendations, rec_inputs, rec_outputs, api_name="submit_recommendations",
                        api_visibility="private")
        thr_outputs = [thr_table, plot, thr_msg, thr_csv]
        thr_btn.click(on_threads, [topic], thr_outputs, api_name="recurring")
        topic.submit(on_threads, [topic], thr_outputs, api_visibility="private")
        sim_outputs = [sim_table, sim_msg, sim_match, sim_state, sim_csv]
        sim_btn.click(on_similar, [sim_draft, sim_record], sim_outputs, api_name="similar")
        # a judgement changes the threads: the Recurring tab is refreshed with it
        for btn, label in ((confirm_btn, "match"), (reject_btn, "no_match")):
            btn.click(on_judge, [sim_state, sim_match, gr.State(label)], sim_outputs, api_name=f"judge_{label}"
                      ).then(on_threads, [topic], thr_outputs, api_visibility="private")
        upload_btn.click(on_upload, [upload], [upload_msg, docs_table, doc_type, publisher, ask_type, ask_pub,
                                               rec_type, status, sim_record], api_visibility="private",
                         concurrency_limit=1)

    demo.queue(default_concurrency_limit=QUEUE_CONCURRENCY, max_size=QUEUE_MAX_SIZE)
    demo.inspection_settings = settings
    demo.inspection_holder = holder
    demo.inspection_handlers = h
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

"""The web app: Ask, Search, Recommendations, Recurring, Documents (and Audit for admins) over one index.

    demo = build_app("var/index", access=access)   # access: who may sign in (ui/auth), None = loopback only
    launch_app(demo, host="127.0.0.1", port=7860)

One module per tab lays out its controls and wires their events (ui/app/*_tab.py); here the page
is composed and the events that span tabs are wired: what each page load fills in (the status,
the current choices, which controls the signed-in role may use), what an upload refreshes, and
the threads a judgement changes. What each event does is a method of `ui.handlers.Handlers`
(plain values in and out, roles checked there); how results look is `ui.render`.
"""

import os
import threading
from pathlib import Path
from typing import Optional

from ui.app import api, ask_tab, audit_tab, documents_tab, records_tab, recurring_tab, search_tab
from ui.app.context import AppContext
from ui.app.style import CSS, theme
from ui.auth import AccessSettings

QUEUE_CONCURRENCY = 2  # two cores: more parallel model calls only queue inside the runtime
QUEUE_MAX_SIZE = 64


def build_app(index_dir: str | Path | None = None, *, uploads_dir: str | Path | None = None,
              generator=None, embedder=None, analyzer=None, warm: bool = True,
              access: Optional[AccessSettings] = None):
    """The Gradio Blocks for the index at `index_dir` (queued, not launched)."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    ctx = AppContext.create(index_dir, uploads_dir=uploads_dir, generator=generator, embedder=embedder,
                            analyzer=analyzer, access=access)
    with gr.Blocks(title="Probation inspection search") as demo:
        gr.Markdown("# Probation inspection search\nAsk questions of HM Inspectorate of Probation reports and "
                    "the action plans answering them, and follow their recommendations across the years.",
                    elem_id="app-title")
        status = gr.Markdown("Loading the documents…", elem_id="app-status")
        with gr.Tabs():
            ask = ask_tab.build(ctx)
            search = search_tab.build(ctx)
            records = records_tab.build(ctx)
            recurring = recurring_tab.build(ctx)
            documents = documents_tab.build(ctx)
            audit = audit_tab.build(ctx)
        ask_tab.wire(ctx, ask)
        search_tab.wire(ctx, search)
        recurring_tab.wire(ctx, recurring)
        records_tab.wire(ctx, records, lambda event: recurring_tab.refresh_after(ctx, recurring, event))
        with gr.Accordion("About this index", open=False, elem_id="app-details"):
            details = gr.Markdown(elem_id="app-details-text")
        api.wire(ctx)
        refreshed = [c.component for c in ctx.choices] + [status, details]
        uploaded = documents_tab.wire(ctx, documents, refreshed, lambda: (*_choice_updates(ctx), *_status(ctx)))
        # the new documents' recommendations join the list (with the filters as they are set)
        uploaded.then(records_tab.records(ctx), records.filters, records.outputs, api_visibility="private")
        _wire_page_load(demo, ctx, [status, details], records, documents, audit)
    demo.queue(default_concurrency_limit=QUEUE_CONCURRENCY, max_size=QUEUE_MAX_SIZE)
    demo.inspection_context = ctx
    demo.inspection_holder = ctx.holder
    if warm:
        threading.Thread(target=_warm, args=(ctx,), daemon=True, name="warm-model").start()
    return demo


def _choice_updates(ctx: AppContext) -> list:
    """The current choices of every registered dropdown (the selected value kept where it still exists)."""
    import gradio as gr

    values = ctx.choice_values()
    return [gr.update(choices=values[c.kind]) for c in ctx.choices]


def _status(ctx: AppContext) -> tuple[str, str]:
    """(what is indexed, in a line; the index's place, generation and answer mode, for the Details)."""
    from indexer.errors import IndexUnusable
    from ui.handlers import shown_path
    from ui.views.common import plural

    try:
        s = ctx.holder.get()
    except IndexUnusable:
        return "No documents indexed yet", ctx.handlers.status_line()
    documents = sum(1 for d in s.docs.values() if not d.same_as)  # another file of a document is not another
    line = (f"{plural(documents, 'document')} · {plural(len(s), 'passage')} · "
            f"{plural(len(s.data.recommendations), 'recommendation')}")
    g = ctx.settings.generator
    mode = (f"answers written by {g.describe}, checked against the cited passages" if g is not None
            else "answers quoted from the passages (offline)")
    return line, (f"Index `{shown_path(ctx.settings.index_dir)}`, generation {s.generation}; {mode}. Uploads are "
                  f"kept in `{shown_path(ctx.settings.uploads_dir)}`. Programs can use the app through its "
                  "[API](?view=api) (gradio_client).")


def _wire_page_load(demo, ctx: AppContext, status: list, records, documents, audit) -> None:
    """What every page load fills in: the status, documents, records, current choices, and which controls
    the signed-in role may use (hidden in the page; refused on the server in any case)."""
    import gradio as gr

    h = ctx.handlers

    def per_user(request: gr.Request):
        user = ctx.user(request)
        return [gr.update(visible=bool(user and user.can(action))) for _, action in ctx.writers]

    def warm_up():
        h.warm_up()
        return _status(ctx)

    demo.load(warm_up, outputs=status, api_visibility="private")
    demo.load(lambda: documents_tab.table_html(ctx), outputs=documents.table, api_visibility="private")
    demo.load(lambda: _choice_updates(ctx), outputs=[c.component for c in ctx.choices], api_visibility="private")
    demo.load(per_user, outputs=[c for c, _ in ctx.writers], api_visibility="private")
    demo.load(records_tab.records(ctx), records.filters, records.outputs, api_visibility="private")
    rows, outputs = audit_tab.load(ctx, audit)
    demo.load(rows, outputs=outputs, api_visibility="private")
    audit.tab.select(rows, outputs=outputs, api_visibility="private")  # what was done since the page opened


def _warm(ctx: AppContext) -> None:
    """Load the index and the model in the background so the first question does not wait."""
    try:
        ctx.holder.get().embed_query("warm up")
    except Exception:  # the page reports a missing or broken index itself
        pass


def launch_app(demo, host: str = "127.0.0.1", port: Optional[int] = 7860, *, prevent_thread_lock: bool = False,
               quiet: bool = False):
    """Start the server with the project's limits: 50 MB uploads, no extra file paths, and (when people must
    sign in) the sign-in gate in front of every route."""
    ctx: AppContext = demo.inspection_context
    gate = {} if ctx.gate is None else {"auth_dependency": ctx.gate.user_of,
                                        "app_kwargs": {"middleware": [ctx.gate.middleware()]}}
    return demo.launch(server_name=host, server_port=port, prevent_thread_lock=prevent_thread_lock,
                       share=False, max_file_size=documents_tab.MAX_FILE_SIZE, allowed_paths=[],
                       blocked_paths=[str(ctx.settings.index_dir.resolve()), str(ctx.settings.uploads_dir.resolve())],
                       theme=theme(), css=CSS, ssr_mode=False, quiet=quiet, show_error=False,
                       footer_links=[], **gate)

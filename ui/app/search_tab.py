"""The Search tab: the closest passages first, each a snippet with why it matched, the rest folded away;
beside them the source where it stands. How the engine searches and ranks sits under "Advanced"."""

import json
from dataclasses import dataclass
from typing import Any

from ui.app.original_panel import build as build_original
from ui.app.original_panel import wire as wire_original
from ui.app.context import AppContext, Choice
from ui.app.scripts import OPEN_ORIGINAL_JS, SHOW_RANKS_JS
from ui.handlers import ANY

MODE_NAMES = [("Words and meaning (recommended)", "hybrid"), ("Exact words only", "bm25"),
              ("Meaning only", "dense")]


@dataclass
class SearchTab:
    query: Any
    button: Any
    inputs: list
    results: Any
    original: Any
    show_ranks: Any
    as_json: Any


def build(ctx: AppContext) -> SearchTab:
    import gradio as gr

    with gr.Tab("Search", id="search", elem_id="tab-search"):
        with gr.Row(elem_classes=["query-row"]):
            query = gr.Textbox(label="Search for", placeholder="e.g. SPO workload", scale=5, elem_id="search-query",
                               max_length=2000)
            button = gr.Button("Search", variant="primary", scale=1, min_width=120, elem_id="search-button")
        with gr.Row():
            doc_type = gr.Dropdown(ctx.initial("types"), value=ANY, label="Document type", allow_custom_value=True,
                                   elem_id="search-type")
            publisher = gr.Dropdown(ctx.initial("publishers"), value=ANY, label="Publisher", allow_custom_value=True,
                                    elem_id="search-publisher")
            year_from = gr.Number(label="Year from (0 = any)", precision=0, elem_id="search-year-from")
            year_to = gr.Number(label="Year to (0 = any)", precision=0, elem_id="search-year-to")
        with gr.Row():
            with gr.Column(scale=1, min_width=420):
                results = gr.HTML(elem_id="search-results", js_on_load=OPEN_ORIGINAL_JS)
            original = build_original("search")
        with gr.Accordion("Advanced", open=False, elem_id="search-advanced"):
            with gr.Row():
                mode = gr.Radio(MODE_NAMES, value="hybrid", label="Find passages by", elem_id="search-mode")
                k = gr.Slider(1, 50, value=10, step=1, label="Passages to find", elem_id="search-k")
                show_ranks = gr.Checkbox(False, label="Show the engine's ranks and scores", elem_id="search-ranks")
            as_json = gr.JSON(label="Results as data (as the /search API returns them)", elem_id="search-json")
    ctx.choices += [Choice(doc_type, "types"), Choice(publisher, "publishers")]
    return SearchTab(query, button, [query, mode, doc_type, year_from, year_to, publisher, k], results, original,
                     show_ranks, as_json)


def wire(ctx: AppContext, tab: SearchTab) -> None:
    import gradio as gr

    from ui.views.original import empty_html

    def on_search(query, mode, doc_type, year_from, year_to, publisher, k=10, progress=gr.Progress()):
        progress(0.1, desc="Searching…")
        return ctx.handlers.search(query, mode, doc_type, year_from, year_to, publisher, k)

    outputs = [tab.results, tab.as_json]
    tab.button.click(on_search, tab.inputs, outputs, api_name="search", show_progress_on=[tab.results])
    tab.query.submit(on_search, tab.inputs, outputs, api_visibility="private", show_progress_on=[tab.results])
    clear = f"() => {json.dumps(empty_html())}"  # a new search empties the viewer, in the page alone
    for trigger in (tab.button.click, tab.query.submit):
        trigger(None, None, tab.original, js=clear, api_visibility="private")
    tab.show_ranks.change(None, tab.show_ranks, None, js=SHOW_RANKS_JS, api_visibility="private")
    wire_original(ctx, tab.results, tab.original, "search")

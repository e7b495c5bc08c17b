"""The Search tab: passages ranked by BM25, dense or hybrid retrieval, with filters."""

from dataclasses import dataclass
from typing import Any

from ui.app.context import AppContext, Choice
from ui.handlers import ANY


@dataclass
class SearchTab:
    query: Any
    button: Any
    inputs: list
    results: Any
    as_json: Any


def build(ctx: AppContext) -> SearchTab:
    import gradio as gr

    from search.retrieval.searcher import MODES

    with gr.Tab("Search", id="search", elem_id="tab-search"):
        with gr.Row():
            query = gr.Textbox(label="Search for", scale=5, elem_id="search-query", max_length=2000)
            button = gr.Button("Search", variant="primary", scale=1, elem_id="search-button")
        with gr.Row():
            mode = gr.Radio(list(MODES), value="hybrid", label="Mode", elem_id="search-mode")
            doc_type = gr.Dropdown(ctx.initial("types"), value=ANY, label="Document type", allow_custom_value=True,
                                   elem_id="search-type")
            publisher = gr.Dropdown(ctx.initial("publishers"), value=ANY, label="Publisher", allow_custom_value=True,
                                    elem_id="search-publisher")
            year_from = gr.Number(label="Year from (0 = any)", precision=0, elem_id="search-year-from")
            year_to = gr.Number(label="Year to (0 = any)", precision=0, elem_id="search-year-to")
            k = gr.Slider(1, 50, value=10, step=1, label="Passages", elem_id="search-k")
        results = gr.HTML(elem_id="search-results")
        with gr.Accordion("Results as JSON", open=False):
            as_json = gr.JSON(elem_id="search-json")
    ctx.choices += [Choice(doc_type, "types"), Choice(publisher, "publishers")]
    return SearchTab(query, button, [query, mode, doc_type, year_from, year_to, publisher, k], results, as_json)


def wire(ctx: AppContext, tab: SearchTab) -> None:
    import gradio as gr

    def on_search(query, mode, doc_type, year_from, year_to, publisher, k=10, progress=gr.Progress()):
        progress(0.1, desc="Searching…")
        return ctx.handlers.search(query, mode, doc_type, year_from, year_to, publisher, k)

    tab.button.click(on_search, tab.inputs, [tab.results, tab.as_json], api_name="search")
    tab.query.submit(on_search, tab.inputs, [tab.results, tab.as_json], api_visibility="private")

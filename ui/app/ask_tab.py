"""The Ask tab: a question, a short cited answer, and the passage of each source."""

from dataclasses import dataclass
from typing import Any

from ui.app.context import AppContext, Choice
from ui.app.style import CITE_CLICK_JS
from ui.handlers import ANY


@dataclass
class AskTab:
    question: Any
    button: Any
    doc_type: Any
    year_from: Any
    year_to: Any
    publisher: Any
    answer: Any
    sources: Any
    passage: Any
    state: Any
    as_json: Any


def build(ctx: AppContext) -> AskTab:
    import gradio as gr

    with gr.Tab("Ask", id="ask", elem_id="tab-ask"):
        with gr.Row():
            question = gr.Textbox(label="Question", placeholder="e.g. What are the four pillars of risk management?",
                                  scale=5, elem_id="ask-question", max_length=2000)
            button = gr.Button("Ask", variant="primary", scale=1, elem_id="ask-button")
        with gr.Accordion("Only from some documents", open=False, elem_id="ask-filters"):
            with gr.Row():
                doc_type = gr.Dropdown(ctx.initial("types"), value=ANY, label="Document type", allow_custom_value=True,
                                       elem_id="ask-type")
                year_from = gr.Number(value=0, label="Year from (0 = any)", precision=0, elem_id="ask-year-from")
                year_to = gr.Number(value=0, label="Year to (0 = any)", precision=0, elem_id="ask-year-to")
                publisher = gr.Dropdown(ctx.initial("publishers"), value=ANY, label="Publisher", allow_custom_value=True,
                                        elem_id="ask-publisher")
        answer = gr.HTML(elem_id="ask-answer", js_on_load=CITE_CLICK_JS)
        sources = gr.Radio(label="Sources: pick one to read the passage", choices=[], elem_id="ask-sources")
        passage = gr.HTML(elem_id="ask-passage")
        state = gr.State(None)
        with gr.Accordion("Answer as JSON", open=False):
            as_json = gr.JSON(elem_id="ask-json")
    ctx.choices += [Choice(doc_type, "types"), Choice(publisher, "publishers")]
    return AskTab(question, button, doc_type, year_from, year_to, publisher, answer, sources, passage, state, as_json)


def wire(ctx: AppContext, tab: AskTab) -> None:
    import gradio as gr

    h = ctx.handlers

    def on_ask(question, doc_type=ANY, year_from=0, year_to=0, publisher=ANY, progress=gr.Progress()):
        progress(0.3, desc="Searching and checking the answer…")
        out = h.ask(question, doc_type, year_from, year_to, publisher)
        placeholder = "<div class='notice'>Pick a source above to read its passage.</div>" if out["choices"] else ""
        return out["html"], gr.update(choices=out["choices"], value=None), placeholder, out["state"], out["json"]

    inputs = [tab.question, tab.doc_type, tab.year_from, tab.year_to, tab.publisher]
    outputs = [tab.answer, tab.sources, tab.passage, tab.state, tab.as_json]
    tab.button.click(on_ask, inputs, outputs, api_name="ask")
    tab.question.submit(on_ask, inputs, outputs, api_visibility="private")
    tab.sources.change(h.source, [tab.sources, tab.state], tab.passage, api_visibility="private")

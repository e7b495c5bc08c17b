"""The Ask tab: a question, a short cited answer whose state shows at a glance, its sources once (each
opening its passage), and beside them the source where it stands in its document."""
from dataclasses import dataclass
from typing import Any

from ui.app.original_panel import build as build_original
from ui.app.original_panel import wire as wire_original
from ui.app.context import AppContext, Choice
from ui.app.scripts import OPEN_ORIGINAL_JS
from ui.handlers import ANY
from ui.views.original import empty_html

PLACEHOLDER = "e.g. What are the four pillars of risk management?"


@dataclass
class AskTab:
    question: Any
    button: Any
    filters: list  # document type, year from, year to, publisher
    answer: Any
    original: Any
    as_json: Any


def build(ctx: AppContext) -> AskTab:
    import gradio as gr

    with gr.Tab("Ask", id="ask", elem_id="tab-ask"):
        with gr.Row(elem_classes=["query-row"]):
            question = gr.Textbox(label="Your question", placeholder=PLACEHOLDER, scale=5,
                                  elem_id="ask-question", max_length=2000)
            button = gr.Button("Ask", variant="primary", scale=1, min_width=120, elem_id="ask-button")
        with gr.Accordion("Only from some documents", open=False, elem_id="ask-filters"):
            with gr.Row():
                doc_type = gr.Dropdown(ctx.initial("types"), value=ANY, label="Document type", allow_custom_value=True,
                                       elem_id="ask-type")
                year_from = gr.Number(value=0, label="Year from (0 = any)", precision=0, elem_id="ask-year-from")
                year_to = gr.Number(value=0, label="Year to (0 = any)", precision=0, elem_id="ask-year-to")
                publisher = gr.Dropdown(ctx.initial("publishers"), value=ANY, label="Publisher",
                                        allow_custom_value=True, elem_id="ask-publisher")
        with gr.Row():
            with gr.Column(scale=1, min_width=420):
                answer = gr.HTML(elem_id="ask-answer", js_on_load=OPEN_ORIGINAL_JS)
            original = build_original("ask")
        with gr.Accordion("Details", open=False, elem_id="ask-details"):
            gr.Markdown("The answer as data, for checking or reuse (the same as the `/ask` API returns).")
            as_json = gr.JSON(label="Answer data", elem_id="ask-json")
    ctx.choices += [Choice(doc_type, "types"), Choice(publisher, "publishers")]
    return AskTab(question, button, [doc_type, year_from, year_to, publisher], answer, original, as_json)


def reply(ctx: AppContext, question, doc_type=ANY, year_from=0, year_to=0, publisher=ANY) -> tuple[str, dict]:
    """(the reply's HTML, the answer as data): the page's rendering of `Handlers.ask`."""
    from ui.views.answer import reply_html

    out = ctx.handlers.ask(question, doc_type, year_from, year_to, publisher)
    ans = out.get("answer")
    return (reply_html(ans, ctx.holder.analyzer) if ans is not None else out["html"]), out["json"]


def wire(ctx: AppContext, tab: AskTab) -> None:
    import gradio as gr

    def on_ask(question, doc_type=ANY, year_from=0, year_to=0, publisher=ANY, progress=gr.Progress()):
        progress(0.3, desc="Searching and checking the answer…")
        html, data = reply(ctx, question, doc_type, year_from, year_to, publisher)
        return html, empty_html(), data

    inputs = [tab.question, *tab.filters]
    outputs = [tab.answer, tab.original, tab.as_json]
    tab.button.click(on_ask, inputs, outputs, api_visibility="private", show_progress_on=[tab.answer])
    tab.question.submit(on_ask, inputs, outputs, api_visibility="private", show_progress_on=[tab.answer])
    wire_original(ctx, tab.answer, tab.original, "ask")

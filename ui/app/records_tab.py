"""The Recommendations tab: records filtered and exported, and "has this been recommended before?" with
an inspector's confirm or reject (editors and admins only; checked on the server, whatever the page shows)."""
from dataclasses import dataclass
from typing import Any

from ui.app.context import AppContext, Choice
from ui.handlers import ANY
from ui.render import RECORD_COLUMNS, SIMILAR_COLUMNS

STATUS_CHOICES = (ANY, "Agreed", "Partly Agreed", "Not Agreed", "unknown")


@dataclass
class RecordsTab:
    filters: list
    text: Any
    button: Any
    outputs: list  # table, count, CSV
    draft: Any
    record: Any
    find: Any
    similar_outputs: list  # table, message, match picker, state, CSV
    state: Any
    match: Any
    confirm: Any
    reject: Any


def _records_area(gr, ctx: AppContext) -> tuple[list, Any, Any, list]:
    with gr.Row():
        status = gr.Dropdown(list(STATUS_CHOICES), value=ANY, label="Status", elem_id="recs-status")
        year_from = gr.Number(label="Year from (0 = any)", precision=0, elem_id="recs-year-from")
        year_to = gr.Number(label="Year to (0 = any)", precision=0, elem_id="recs-year-to")
        addressee = gr.Dropdown(ctx.initial("addressees"), value=ANY, label="Addressed to", allow_custom_value=True,
                                elem_id="recs-addressee")
        text = gr.Textbox(label="Text contains", elem_id="recs-text")
        doc_type = gr.Dropdown(ctx.initial("types"), value=ANY, label="From documents of type",
                               allow_custom_value=True, elem_id="recs-type")
    with gr.Row():
        button = gr.Button("Filter", variant="primary", elem_id="recs-button")
        csv = gr.DownloadButton("Download CSV", elem_id="recs-download")
    count = gr.Markdown(elem_id="recs-count")
    table = gr.Dataframe(headers=RECORD_COLUMNS, interactive=False, wrap=True, elem_id="recs-table", max_height=600,
                         column_widths=["5%", "4%", "8%", "6%", "10%", "24%", "18%", "13%", "12%"])
    return [status, year_from, year_to, addressee, text, doc_type], text, button, [table, count, csv]


def build(ctx: AppContext) -> RecordsTab:
    import gradio as gr

    with gr.Tab("Recommendations", id="recs", elem_id="tab-recs"):
        filters, text, button, outputs = _records_area(gr, ctx)
        gr.Markdown("### Has this been recommended before?\nPaste a draft recommendation, or pick one already "
                    "indexed, to see the earlier recommendations most like it. Confirm a match (one recommendation "
                    "made again: it joins its thread) or reject it (never one thread).")
        with gr.Row():
            draft = gr.Textbox(label="Draft recommendation", lines=2, scale=3, elem_id="similar-draft", max_length=2000)
            record = gr.Dropdown(ctx.initial("records"), value=ANY, scale=3, allow_custom_value=True, label="…or an indexed recommendation",
                                 elem_id="similar-record")
            find = gr.Button("Find earlier recommendations", variant="primary", scale=1, elem_id="similar-button")
        message = gr.Markdown(elem_id="similar-message")
        table = gr.Dataframe(headers=SIMILAR_COLUMNS, interactive=False, wrap=True, max_height=500,
                             elem_id="similar-table", column_widths=["3%", "8%", "6%", "10%", "5%", "4%", "7%", "24%",
                                                                    "18%", "7%", "8%"])
        with gr.Row():
            match = gr.Dropdown([], label="Match to judge", scale=3, elem_id="similar-match")
            confirm = gr.Button("Confirm: a repeat", scale=1, elem_id="similar-confirm")
            reject = gr.Button("Not a repeat", scale=1, elem_id="similar-reject")
            csv = gr.DownloadButton("Download CSV", scale=1, elem_id="similar-download")
        state = gr.State(None)
    ctx.choices += [Choice(filters[3], "addressees"), Choice(filters[5], "types"), Choice(record, "records")]
    ctx.writers += [(match, "judge"), (confirm, "judge"), (reject, "judge")]
    return RecordsTab(filters, text, button, outputs, draft, record, find, [table, message, match, state, csv], state,
                      match, confirm, reject)


def wire(ctx: AppContext, tab: RecordsTab, after_judge) -> None:
    """`after_judge(event)`: what else a judgement refreshes (the Recurring tab's threads)."""
    import gradio as gr

    h = ctx.handlers

    def similar_outputs(out):
        return (out["rows"], out["message"], gr.update(choices=out["choices"], value=None), out["state"], out["csv"])

    def on_similar(draft, record_id, progress=gr.Progress()):
        progress(0.2, desc="Comparing with every recommendation…")
        return similar_outputs(h.similar(draft, record_id))

    def on_judge(state, match_id, label, request: gr.Request):
        return similar_outputs(h.judge(state, match_id, label, ctx.user(request)))

    tab.button.click(h.recommendations, tab.filters, tab.outputs, api_name="recommendations")
    tab.text.submit(h.recommendations, tab.filters, tab.outputs, api_name="submit_recommendations",
                    api_visibility="private")
    tab.find.click(on_similar, [tab.draft, tab.record], tab.similar_outputs, api_name="similar")
    for btn, label in ((tab.confirm, "match"), (tab.reject, "no_match")):
        after_judge(btn.click(on_judge, [tab.state, tab.match, gr.State(label)], tab.similar_outputs,
                              api_name=f"judge_{label}"))

"""The Recommendations tab: records people can scan (one line each, opened for the rest), counts by status,
filters and the CSV; and "has this been recommended before?" with an inspector's confirm or reject (editors
and admins only; checked on the server, whatever the page shows)."""
from dataclasses import dataclass
from typing import Any

from ui.app.context import AppContext, Choice
from ui.handlers import ANY
from ui.render import SIMILAR_COLUMNS

STATUS_CHOICES = [(ANY, ANY), ("Agreed", "Agreed"), ("Partly Agreed", "Partly Agreed"), ("Not Agreed", "Not Agreed"),
                  ("status unknown", "unknown")]


@dataclass
class RecordsTab:
    filters: list
    text: Any
    button: Any
    outputs: list  # list, counts, CSV
    draft: Any
    record: Any
    find: Any
    similar_outputs: list  # table, message, match picker, state, CSV
    state: Any
    match: Any
    confirm: Any
    reject: Any


def _records_area(gr, ctx: AppContext) -> tuple[list, Any, Any, list]:
    with gr.Row(elem_id="recs-filters", elem_classes=["query-row"]):
        status = gr.Dropdown(STATUS_CHOICES, value=ANY, label="Status", elem_id="recs-status", min_width=140)
        addressee = gr.Dropdown(ctx.initial("addressees"), value=ANY, label="Addressed to", allow_custom_value=True,
                                elem_id="recs-addressee", min_width=160)
        doc_type = gr.Dropdown(ctx.initial("types"), value=ANY, label="Document type",
                               allow_custom_value=True, elem_id="recs-type", min_width=160)
        year_from = gr.Number(label="Year from (0 = any)", precision=0, elem_id="recs-year-from", min_width=110)
        year_to = gr.Number(label="Year to (0 = any)", precision=0, elem_id="recs-year-to", min_width=110)
        text = gr.Textbox(label="Text contains", elem_id="recs-text", min_width=160)
        button = gr.Button("Filter", variant="primary", elem_id="recs-button", scale=0, min_width=100)
    with gr.Row(elem_classes=["query-row"]):
        count = gr.HTML(elem_id="recs-count", js_on_load=None)
        csv = gr.DownloadButton("Download CSV", elem_id="recs-download", scale=0, min_width=150, size="sm")
    table = gr.HTML(elem_id="recs-table", js_on_load=None)
    return [status, year_from, year_to, addressee, text, doc_type], text, button, [table, count, csv]


def build(ctx: AppContext) -> RecordsTab:
    import gradio as gr

    with gr.Tab("Recommendations", id="recs", elem_id="tab-recs"):
        filters, text, button, outputs = _records_area(gr, ctx)
        gr.Markdown("## Has this been recommended before?\nPaste a draft recommendation, or pick one already "
                    "indexed, to see the earlier recommendations most like it. Confirm a match (one recommendation "
                    "made again: it joins its thread) or reject it (never one thread).")
        with gr.Row():
            draft = gr.Textbox(label="Draft recommendation", lines=2, scale=3, elem_id="similar-draft", max_length=2000)
            record = gr.Dropdown(ctx.initial("records"), value=ANY, scale=3, allow_custom_value=True,
                                 label="…or an indexed recommendation", elem_id="similar-record")
            find = gr.Button("Find earlier recommendations", variant="primary", scale=1, elem_id="similar-button")
        message = gr.Markdown(elem_id="similar-message")
        table = gr.Dataframe(headers=SIMILAR_COLUMNS, interactive=False, wrap=True, max_height=500,
                             elem_id="similar-table", label="Earlier recommendations most like it",
                             column_widths=["3%", "8%", "6%", "10%", "5%", "4%", "7%", "24%", "18%", "7%", "8%"])
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


def records(ctx: AppContext):
    """The event that lists the records: (list HTML, counts HTML, CSV path)."""
    from ui.views.common import esc
    from ui.views.records import counts_html, records_html

    def on_records(status=ANY, year_from=0, year_to=0, addressee=ANY, text="", doc_type=ANY):
        page, error = ctx.handlers.record_list(status, year_from, year_to, addressee, text, doc_type)
        if page is None:
            return f'<p class="error" role="alert">⚠ {esc(error)}</p>', "", None
        return records_html(page), counts_html(page.counts, page.total), page.csv

    return on_records


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

    listing = records(ctx)
    tab.button.click(listing, tab.filters, tab.outputs, api_visibility="private", show_progress_on=[tab.outputs[0]])
    tab.text.submit(listing, tab.filters, tab.outputs, api_visibility="private", show_progress_on=[tab.outputs[0]])
    tab.find.click(on_similar, [tab.draft, tab.record], tab.similar_outputs, api_name="similar")
    for btn, label in ((tab.confirm, "match"), (tab.reject, "no_match")):
        after_judge(btn.click(on_judge, [tab.state, tab.match, gr.State(label)], tab.similar_outputs,
                              api_name=f"judge_{label}"))

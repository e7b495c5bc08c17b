"""The Recurring tab: threads of one recommendation made again across the years, on a timeline."""

from dataclasses import dataclass
from typing import Any

from ui.app.context import AppContext
from ui.render import THREAD_COLUMNS


@dataclass
class RecurringTab:
    topic: Any
    button: Any
    outputs: list  # table, plot, count, CSV


def build(ctx: AppContext) -> RecurringTab:
    import gradio as gr

    with gr.Tab("Recurring", id="recurring", elem_id="tab-recurring"):
        with gr.Row():
            topic = gr.Textbox(label="Topic (empty: all recurring threads)", scale=5, elem_id="recurring-topic",
                               max_length=2000)
            button = gr.Button("Find threads", variant="primary", scale=1, elem_id="recurring-button")
        count = gr.Markdown(elem_id="recurring-count")
        # shown with the first threads: an empty plot is an unlabelled box to a screen reader (axe: serious)
        plot = gr.Plot(label="Timeline", elem_id="recurring-plot", visible=False)
        table = gr.Dataframe(headers=THREAD_COLUMNS, interactive=False, wrap=True, elem_id="recurring-table",
                             max_height=500, column_widths=["44%", "10%", "8%", "10%", "28%"])
        csv = gr.DownloadButton("Download CSV", elem_id="recurring-download")
    return RecurringTab(topic, button, [table, plot, count, csv])


def on_threads(ctx: AppContext):
    import gradio as gr

    def threads(topic, progress=gr.Progress()):
        progress(0.1, desc="Grouping recommendations into threads…")
        rows, figure, message, csv = ctx.handlers.threads(topic)
        return rows, gr.update(value=figure, visible=figure is not None), message, csv

    return threads


def wire(ctx: AppContext, tab: RecurringTab) -> None:
    tab.button.click(on_threads(ctx), [tab.topic], tab.outputs, api_name="recurring")
    tab.topic.submit(on_threads(ctx), [tab.topic], tab.outputs, api_visibility="private")


def refresh_after(ctx: AppContext, tab: RecurringTab, event) -> None:
    """Refresh the threads after `event` (a judgement changes them)."""
    event.then(on_threads(ctx), [tab.topic], tab.outputs, api_visibility="private")

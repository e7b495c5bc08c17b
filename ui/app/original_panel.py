"""The panel beside a reply or a results list that shows a source where it stands (ui.originals): the
PDF page with the cited words highlighted, or the section of any other file with them marked."""

from typing import Any

from ui.app.context import AppContext
from ui.app.scripts import ORIGINAL_JS
from ui.views.original import empty_html


def build(prefix: str) -> Any:
    """The viewer (a gr.HTML) in a column that stays in sight beside the list on a wide window."""
    import gradio as gr

    with gr.Column(scale=1, min_width=380, elem_classes=["original-col"], elem_id=f"{prefix}-original-col"):
        return gr.HTML(empty_html(), elem_id=f"{prefix}-original", js_on_load=ORIGINAL_JS)


def wire(ctx: AppContext, sources, viewer, prefix: str) -> None:
    """A click on a marker or a "See it ..." button in `sources` (scripts.OPEN_ORIGINAL_JS) opens it here."""
    import gradio as gr

    def on_open(evt: gr.EventData):
        data = getattr(evt, "_data", None) or {}
        return ctx.handlers.original(data.get("chunk"), data.get("start"), data.get("end"), prefix)

    sources.click(on_open, None, viewer, api_visibility="private", show_progress_on=[viewer])

"""The Documents tab: what is indexed, and adding files (editors and admins only; checked on the server)."""
from dataclasses import dataclass
from typing import Any

from indexer.readers.formats import DESCRIBED, SUPPORTED_SUFFIXES
from ui.app.context import AppContext
from ui.handlers import shown_path
from ui.render import DOCUMENT_COLUMNS

MAX_FILE_SIZE = "50mb"


@dataclass
class DocumentsTab:
    table: Any
    upload: Any
    button: Any
    message: Any


def build(ctx: AppContext) -> DocumentsTab:
    import gradio as gr

    with gr.Tab("Documents", id="documents", elem_id="tab-documents"):
        table = gr.Dataframe(headers=DOCUMENT_COLUMNS, interactive=False, wrap=True, elem_id="docs-table",
                             column_widths=["38%", "10%", "9%", "13%", "7%", "9%", "14%"])
        note = gr.Markdown(f"Add {DESCRIBED} files (up to {MAX_FILE_SIZE} each). They are stored in "
                           f"`{shown_path(ctx.settings.uploads_dir)}` and added to the index; searches switch to the "
                           "new index when it is ready.")
        upload = gr.File(label="Files to add", file_count="multiple", file_types=sorted(SUPPORTED_SUFFIXES),
                         elem_id="docs-upload")
        button = gr.Button("Add to index", variant="primary", elem_id="docs-index-button")
        message = gr.Markdown(elem_id="docs-message")
    ctx.writers += [(note, "upload"), (upload, "upload"), (button, "upload")]
    return DocumentsTab(table, upload, button, message)


def wire(ctx: AppContext, tab: DocumentsTab, refreshed: list, refresh) -> None:
    """`refreshed`: the components an upload changes elsewhere; `refresh()`: their new values, in order."""
    import gradio as gr

    h = ctx.handlers

    def on_upload(files, request: gr.Request, progress=gr.Progress()):
        paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in files or []]
        message, _ = h.upload(paths, ctx.user(request), lambda fraction, desc: progress(fraction, desc=desc))
        return (message, h.documents(), *refresh())

    tab.button.click(on_upload, [tab.upload], [tab.message, tab.table, *refreshed], api_visibility="private",
                     concurrency_limit=1)

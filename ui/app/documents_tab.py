"""The Documents tab: what is indexed, the just-added and newest first, and adding files (editors and
admins only; checked on the server) with progress by stage shown in the upload area alone and a notice
that says what each file added, or why not."""
from dataclasses import dataclass
from typing import Any

from indexer.readers.formats import DESCRIBED, SUPPORTED_SUFFIXES
from ui.app.context import AppContext

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
        with gr.Row():
            with gr.Column(scale=3, min_width=520):
                table = gr.HTML(elem_id="docs-table", js_on_load=None)
                # issue 20's correction form (a document's title, type or date put right) goes here
            with gr.Column(scale=1, min_width=300, elem_id="docs-upload-area") as area:
                gr.Markdown(f"## Add documents\n{DESCRIBED} files, up to {MAX_FILE_SIZE[:-2]} MB each. They are "
                            "added to the index; searches use them as soon as it is ready.")
                upload = gr.File(label="Files to add", file_count="multiple", file_types=sorted(SUPPORTED_SUFFIXES),
                                 elem_id="docs-upload")
                button = gr.Button("Add to index", variant="primary", elem_id="docs-index-button")
                message = gr.HTML(elem_id="docs-message", js_on_load=None)
    ctx.writers += [(area, "upload")]
    return DocumentsTab(table, upload, button, message)


def table_html(ctx: AppContext, just_added: frozenset = frozenset()) -> str:
    """The documents table, the ones in `just_added` (doc ids) first and marked."""
    from indexer.errors import IndexUnusable
    from ui.listings import document_lines
    from ui.views.documents import documents_html

    try:
        searcher = ctx.holder.get()
    except IndexUnusable:
        return '<p class="notice">No documents are indexed yet. Add some here, or run the index command.</p>'
    return documents_html(document_lines(searcher, just_added))


def wire(ctx: AppContext, tab: DocumentsTab, refreshed: list, refresh):
    """`refreshed`: the components an upload changes elsewhere; `refresh()`: their new values, in order.
    The upload's event, for what else should follow it."""
    import gradio as gr

    from ui.uploading import upload_files
    from ui.views.common import notice_html
    from ui.views.documents import upload_html

    def on_upload(files, request: gr.Request, progress=gr.Progress()):
        paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in files or []]
        summary = upload_files(ctx.handlers, paths, ctx.user(request),
                               lambda fraction, desc: progress(fraction, desc=desc))
        if summary.refused:
            note = notice_html("error", summary.refused.replace("**", ""), live=True)
        else:
            note = upload_html(summary.outcomes)
        return (note, table_html(ctx, summary.added_ids), *refresh())

    return tab.button.click(on_upload, [tab.upload], [tab.message, tab.table, *refreshed], api_visibility="private",
                            concurrency_limit=1, show_progress_on=[tab.upload, tab.message])

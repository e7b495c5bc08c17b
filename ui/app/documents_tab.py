"""The Documents tab: what is indexed (and where each title, type and date was read from), the just-added and
newest first; adding files with progress by stage shown in the upload area alone and a notice that says what
each file added, or why not; and putting a document right: its title, type or date corrected, the document
removed, or a removed one restored. Adding and changing are for editors and admins only (checked on the
server)."""
from dataclasses import dataclass
from typing import Any

from indexer.readers.formats import DESCRIBED, SUPPORTED_SUFFIXES
from ui.app.context import AppContext, Choice

MAX_FILE_SIZE = "50mb"
CANCELLED = "__cancelled__"  # what the page sends when the person says no to "remove this document?"


@dataclass
class DocumentsTab:
    table: Any
    upload: Any
    button: Any
    message: Any
    edit: "EditForm"


@dataclass
class EditForm:
    document: Any
    title: Any
    doc_type: Any
    date: Any
    save: Any
    remove: Any
    removed: Any
    restore: Any
    message: Any


def build(ctx: AppContext) -> DocumentsTab:
    import gradio as gr

    with gr.Tab("Documents", id="documents", elem_id="tab-documents"):
        with gr.Row():
            with gr.Column(scale=3, min_width=520):
                table = gr.HTML(elem_id="docs-table", js_on_load=None)
                edit = _edit_form(gr, ctx)
            with gr.Column(scale=1, min_width=300, elem_id="docs-upload-area") as area:
                gr.Markdown(f"## Add documents\n{DESCRIBED} files, up to {MAX_FILE_SIZE[:-2]} MB each. They are "
                            "added to the index; searches use them as soon as it is ready.")
                upload = gr.File(label="Files to add", file_count="multiple", file_types=sorted(SUPPORTED_SUFFIXES),
                                 elem_id="docs-upload")
                button = gr.Button("Add to index", variant="primary", elem_id="docs-index-button")
                message = gr.HTML(elem_id="docs-message", js_on_load=None)
    ctx.writers += [(area, "upload")]
    return DocumentsTab(table, upload, button, message, edit)


def _edit_form(gr, ctx: AppContext) -> EditForm:
    from indexer.extract.metadata import DOC_TYPES
    from ui.views.common import type_name

    with gr.Accordion("Put a document right", open=False, elem_id="docs-edit") as area:
        gr.Markdown("Correct what was read from a document: its title, type or date. The correction is kept "
                    "when the document is indexed again. Or take a document out of the index (its file is kept, "
                    "and it can be restored).")
        # the choices as the page is built (the server checks a value against them); each page load refreshes them
        document = gr.Dropdown(ctx.initial("documents"), value=None, label="Document", elem_id="docs-edit-document")
        with gr.Row():
            title = gr.Textbox(label="Title", elem_id="docs-edit-title", scale=3)
            doc_type = gr.Dropdown([(type_name(t), t) for t in DOC_TYPES], value=None, label="Type",
                                   elem_id="docs-edit-type", scale=1, min_width=160)
            date = gr.Textbox(label="Date (YYYY-MM or YYYY-MM-DD)", elem_id="docs-edit-date", scale=1, min_width=160)
        with gr.Row():
            save = gr.Button("Save correction", variant="primary", elem_id="docs-edit-save", scale=0, min_width=160)
            remove = gr.Button("Remove from the index", variant="stop", elem_id="docs-edit-remove", scale=0,
                               min_width=200)
        with gr.Row():
            removed = gr.Dropdown(ctx.initial("removed"), value=None, label="Removed documents", elem_id="docs-removed",
                                  scale=3)
            restore = gr.Button("Restore", elem_id="docs-restore", scale=0, min_width=120)
        message = gr.HTML(elem_id="docs-edit-message", js_on_load=None)
    ctx.writers += [(area, "upload")]
    ctx.choices += [Choice(document, "documents"), Choice(removed, "removed")]
    return EditForm(document, title, doc_type, date, save, remove, removed, restore, message)


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
        return (note, table_html(ctx, summary.added_ids), None, *refresh())  # the files area emptied for the next

    _wire_edit(ctx, tab, refreshed, refresh)
    return tab.button.click(on_upload, [tab.upload], [tab.message, tab.table, tab.upload, *refreshed],
                            api_visibility="private",
                            concurrency_limit=1, show_progress_on=[tab.upload, tab.message])


def _wire_edit(ctx: AppContext, tab: DocumentsTab, refreshed: list, refresh) -> None:
    """The correction form: picking a document fills in its fields; save, remove and restore change the
    index (ui.document_changes), then the table and every page's choices follow."""
    import gradio as gr

    from ui import document_changes
    from ui.views.common import notice_html

    f = tab.edit

    def picked(doc_id):
        v = ctx.handlers.document_fields(doc_id)
        return v.get("title", ""), v.get("doc_type"), v.get("date", "")

    def after(change, restored: bool = False):
        note = notice_html("success" if change.ok else "error", change.message, live=True)
        marked = frozenset({change.doc_id}) if restored and change.ok and change.doc_id else frozenset()
        return (note, table_html(ctx, marked), *refresh())

    def on_save(doc_id, title, doc_type, date, request: gr.Request):
        if not doc_id:
            return after(document_changes.DocumentChange(False, "Pick the document to correct first."))
        fields = {"title": title, "doc_type": doc_type, "date": date}
        return after(document_changes.correct(ctx.handlers, doc_id, fields, ctx.user(request)))

    def on_remove(doc_id, request: gr.Request):
        if doc_id == CANCELLED:
            return after(document_changes.DocumentChange(False, "Not removed."))
        if not doc_id:
            return after(document_changes.DocumentChange(False, "Pick the document to remove first."))
        return after(document_changes.remove(ctx.handlers, doc_id, ctx.user(request)))

    def on_restore(doc_id, request: gr.Request):
        if not doc_id:
            return after(document_changes.DocumentChange(False, "Pick a removed document first."))
        return after(document_changes.restore(ctx.handlers, doc_id, ctx.user(request)), restored=True)

    outputs = [f.message, tab.table, *refreshed]
    f.document.change(picked, [f.document], [f.title, f.doc_type, f.date], api_visibility="private")
    f.save.click(on_save, [f.document, f.title, f.doc_type, f.date], outputs, api_visibility="private",
                 concurrency_limit=1, show_progress_on=[f.message])
    f.remove.click(on_remove, [f.document], outputs, api_visibility="private", concurrency_limit=1,
                   show_progress_on=[f.message], js="(d) => { if (!d) return [d]; return confirm('Take this document "
                   f"out of the index? It can be restored.') ? [d] : ['{CANCELLED}']; }}")
    f.restore.click(on_restore, [f.removed], outputs, api_visibility="private", concurrency_limit=1,
                    show_progress_on=[f.message])

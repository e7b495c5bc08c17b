"""The Audit tab, for admins: who uploaded, removed, judged or changed users, and when (ui/audit.py)."""

from dataclasses import dataclass
from typing import Any

from ui.app.context import AppContext

AUDIT_COLUMNS = ["When (UTC)", "Who", "What", "Details", "Index before", "Index after"]


@dataclass
class AuditTab:
    tab: Any
    table: Any
    note: Any


def build(ctx: AppContext) -> AuditTab:
    import gradio as gr

    with gr.Tab("Audit", id="audit", elem_id="tab-audit", visible=False) as tab:  # shown to admins on load
        note = gr.Markdown(elem_id="audit-note")
        table = gr.Dataframe(headers=AUDIT_COLUMNS, interactive=False, wrap=True, elem_id="audit-table",
                             max_height=600, column_widths=["13%", "9%", "7%", "55%", "8%", "8%"])
    ctx.writers.append((tab, "read_audit"))
    return AuditTab(tab, table, note)


def load(ctx: AppContext, tab: AuditTab):
    """The page-load event of the tab: its rows for an admin, nothing for anyone else."""
    import gradio as gr

    def rows(request: gr.Request):
        return ctx.handlers.audit(ctx.user(request))

    return rows, [tab.table, tab.note]

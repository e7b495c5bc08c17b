"""The app's API for gradio_client, apart from the page: /ask and /recommendations keep the shapes they
had when the page was built from the same events, however the page is laid out now.

    c = Client("http://127.0.0.1:7860/")
    html, sources, passage, answer = c.predict("What are the four pillars of risk management?", api_name="/ask")
    rows, count, csv_path = c.predict("Partly Agreed", 0, 0, "any", "", "any", api_name="/recommendations")

/search and /recurring are their tabs' own events (ui/app/search_tab.py, recurring_tab.py).
"""

from typing import Optional

from ui.app.context import AppContext
from ui.handlers import ANY
from ui.render import RECORD_COLUMNS


def wire(ctx: AppContext) -> None:
    import gradio as gr
    from gradio.data_classes import FileData

    from ui.app.ask_tab import reply

    def ask(question: str, doc_type: str = ANY, year_from: float = 0, year_to: float = 0,
            publisher: str = ANY) -> tuple[str, list, str, dict]:
        """The reply as HTML, its sources' citations, (an empty passage, kept for old clients), the answer as data."""
        html, data = reply(ctx, question, doc_type, year_from, year_to, publisher)
        sources = [f"[{c['marker']}] {c['citation']}" for c in data.get("citations", [])]
        return html, sources, "", data

    def recommendations(status: str = ANY, year_from: float = 0, year_to: float = 0, addressee: str = ANY,
                        text: str = "", doc_type: str = ANY) -> tuple[dict, str, Optional[FileData]]:
        """The records as a table (headers, data), "N recommendations", and the CSV of them."""
        rows, count, path = ctx.handlers.recommendations(status, year_from, year_to, addressee, text, doc_type)
        return {"headers": RECORD_COLUMNS, "data": rows}, count, FileData(path=path) if path else None

    gr.api(ask, api_name="ask", concurrency_limit="default")
    gr.api(recommendations, api_name="recommendations", concurrency_limit="default")

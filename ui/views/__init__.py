"""How the web app's pages look: HTML for a reply, search results, records, documents, uploads and a
source opened where it stands. Plain functions of typed values; nothing here knows Gradio.

They are written for the people who use the app (policy staff and inspectors): human names for
document types and dates, plain words for why a passage matched, a reply's state said in words
and shown at a glance, and markup that a screen reader and a keyboard can use (details/summary,
buttons, labelled landmarks). The command line keeps its plain-text rendering in `ui.render`.
"""

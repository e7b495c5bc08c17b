"""How the app looks: its theme and CSS. Colours are chosen to pass WCAG AA (4.5:1 for text) on white,
and a status is always written as well as coloured; tests/test_app_design.py runs axe-core on every tab."""

BLUE = "#1d4ed8"  # links, the primary button, focus: 6.7:1 with white
BLUE_DARK = "#1e3a8a"


def theme():
    """Gradio's default theme with system fonts (no outside requests) and AA contrast for its accents."""
    import gradio as gr

    return gr.themes.Default(primary_hue="blue", font=["system-ui", "sans-serif"],
                             font_mono=["ui-monospace", "monospace"]).set(
        button_primary_background_fill=BLUE, button_primary_background_fill_hover=BLUE_DARK,
        button_primary_text_color="#ffffff", button_primary_border_color=BLUE,
        link_text_color=BLUE, link_text_color_hover=BLUE_DARK, link_text_color_visited=BLUE,
        color_accent=BLUE, block_label_text_color="#374151", body_text_color_subdued="#4b5563",
        input_placeholder_color="#6b7280", checkbox_label_text_color="#1f2937")


CSS = """
.gradio-container { max-width: 1400px !important; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
:focus-visible { outline: 3px solid #1d4ed8 !important; outline-offset: 2px; }
#app-title h1 { font-size: 1.5rem; margin: 0; }
#app-title p { margin: .15rem 0 0 0; color: #374151; }
#app-status { color: #374151; font-size: .92em; margin-top: -.4rem; }
#app-status p { margin: 0; }

/* a question's button sits level with its box, not as tall as the box's frame */
.query-row { align-items: flex-end; }
.query-row button { max-height: 3rem; margin-bottom: .55rem; }

/* tables Gradio draws (recurring threads, audit): the body font, not a monospace one */
.gradio-container table td, .gradio-container table th, .gradio-container .cell-wrap,
.gradio-container .table-wrap * { font-family: var(--font) !important; }

/* the reply's state, at a glance */
.reply-state { display: flex; gap: .7em; align-items: flex-start; padding: .6em .9em; border-radius: 6px;
  border-left: 5px solid; margin: .2em 0 .8em 0; }
.reply-state strong { display: block; font-size: 1.05em; }
.state-detail { display: block; font-size: .92em; }
.state-icon { font-size: 1.2em; line-height: 1.3; }
.state-answered { background: #e7f4ea; border-color: #1b6e3a; color: #103d22; }
.state-partial { background: #fff4d6; border-color: #8a5a00; color: #4d3200; }
.state-declined { background: #eef1f4; border-color: #55616d; color: #1f2a33; }
#ask-answer .answer p { margin: 0 0 .5em 0; line-height: 1.55; font-size: 1.05em; }
.cite { font-weight: 700; color: #1d4ed8; white-space: nowrap; text-decoration: none; padding: 0 .1em; }
.cite:hover { text-decoration: underline; }
.notice { color: #374151; font-size: .92em; margin: .2em 0 .6em 0; }
.error { color: #a3001b; }
.sources h2 { font-size: 1.08rem; margin: .8em 0 .2em 0; }
#tab-recs h2, #docs-upload-area h2 { font-size: 1.15rem; margin: .8em 0 .2em 0; }
.hint { color: #4b5563; font-size: .9em; margin: 0 0 .4em 0; }
.source-list { list-style: none; padding: 0; margin: 0; }
.source { position: relative; border-top: 1px solid #e5e7eb; padding: .45em 0; }
.source summary { padding-right: 12.5em; }
.source .open-original { position: absolute; right: 0; top: .45em; }
.source summary, .record summary, .more-results > summary, .passage-toggle > summary { cursor: pointer; }
.source summary { line-height: 1.4; }
.num { font-weight: 700; }
.open-original { flex: none; border: 1px solid #1d4ed8; color: #1d4ed8; background: #fff; border-radius: 6px;
  padding: .2em .6em; font-size: .88em; cursor: pointer; white-space: nowrap; }
.open-original:hover { background: #eef3ff; }
.passage { white-space: pre-wrap; line-height: 1.5; border-left: 3px solid #a9bde0; padding-left: .8em;
  margin-top: .3em; }
.passage-meta { color: #374151; font-size: .9em; margin: .3em 0; }
.quoted { background: #e3ebff; }
mark { background: #ffe066; color: #111; padding: 0 1px; }

/* the source where it stands */
.original-col { position: sticky; top: .5rem; align-self: flex-start; }
.original-body { max-height: calc(100vh - 7rem); overflow: auto; padding-right: .3em; }
.original h2 { font-size: 1.05rem; margin: 0 0 .1em 0; color: #111827; }
.original-meta, .original-quote { color: #374151; font-size: .9em; margin: .1em 0 .5em 0; }
.original-quote .label { font-weight: 600; }
.original-empty { color: #4b5563; border: 1px dashed #c3c9d1; border-radius: 6px; padding: .8em; }
.pdf-page { position: relative; margin: 0; border: 1px solid #c3c9d1; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
.pdf-page img { display: block; width: 100%; height: auto; }
.pdf-page .hl { position: absolute; background: rgba(255, 208, 0, .42); outline: 2px solid #b7791f;
  mix-blend-mode: multiply; border-radius: 2px; }
.doc-section { border: 1px solid #c3c9d1; border-radius: 6px; padding: .6em .9em; background: #fff; }
.doc-section h3 { margin: .6em 0 .3em 0; font-size: 1rem; }
.doc-section p { margin: .3em 0; line-height: 1.5; }
.doc-section .in-passage { background: #f1f5ff; box-shadow: inset 3px 0 0 #1d4ed8; padding-left: .5em; }
mark.cited { background: #ffd84d; outline: 1px solid #b7791f; }
.row-card { display: grid; grid-template-columns: minmax(6em, 30%) 1fr; gap: .15em .7em; margin: .4em 0;
  padding: .4em .5em; border: 1px solid #d1d5db; border-radius: 4px; font-size: .92em; }
.row-card dt { font-weight: 600; color: #374151; }
.row-card dd { margin: 0; white-space: pre-wrap; }
.row-heading { font-weight: 700; border: 0; padding: .2em 0; }
.row-stack { display: block; }
.row-stack p { margin: 0 0 .3em 0; }
.row-stack p + p { border-top: 1px dotted #d1d5db; padding-top: .3em; }
.cut { color: #4b5563; margin: .2em 0; }

/* search results */
#search-results .results-summary { color: #374151; margin: .2em 0 .4em 0; font-size: .95rem; font-weight: 400; }
.hit { border-top: 1px solid #e5e7eb; padding: .55em 0 .6em 0; }
.hit-head h3 { font-size: 1.02em; margin: 0; }
.hit-head .rank { color: #4b5563; font-weight: 400; }
.hit-meta { color: #4b5563; font-size: .9em; margin: .05em 0 .2em 0; }
.why { color: #1f2937; font-size: .9em; margin: 0 0 .25em 0; font-style: italic; }
.ranks { display: none; font-style: normal; color: #4b5563; }
.show-ranks .ranks { display: inline; }
.snippet { margin: .1em 0 .3em 0; line-height: 1.5; }
.hit-actions { display: flex; gap: .8em; align-items: flex-start; justify-content: space-between; }
.hit-actions details { flex: 1; }
.passage-toggle > summary { color: #1d4ed8; font-size: .9em; }
.more-results { margin-top: .6em; }
.more-results > summary { font-weight: 600; color: #1d4ed8; padding: .4em 0; border-top: 2px solid #e5e7eb; }

/* badges: status in words and colour (each pair passes AA) */
.badge { display: inline-block; padding: .05em .55em; border-radius: 999px; font-size: .84em; font-weight: 600;
  white-space: nowrap; border: 1px solid transparent; }
.status-agreed { background: #e3f1e6; color: #14532d; border-color: #a7d3b3; }
.status-partly { background: #fff1d1; color: #6b4000; border-color: #e8c67a; }
.status-not-agreed { background: #fde4e4; color: #8f1616; border-color: #efb0b0; }
.status-unknown { background: #eceff2; color: #36414c; border-color: #c6ccd3; }
.badge-new { background: #e0e9ff; color: #1e3a8a; border-color: #a9bde0; }

/* records, one line each */
.status-counts { display: flex; flex-wrap: wrap; align-items: center; gap: .5em 1em; margin: .1em 0 .3em 0; }
.count-total { font-weight: 700; margin: 0; }
.badges { list-style: none; display: flex; flex-wrap: wrap; gap: .4em; padding: 0; margin: 0; }
.record-table { border: 1px solid #d1d5db; border-radius: 6px; }
.record-header, .record-line { display: grid; gap: .6em; align-items: center;
  grid-template-columns: 3.2rem 3.4rem 7.5rem minmax(0, 1fr) 8.4rem 10rem; padding: .42rem .7rem; }
.record-header { font-weight: 700; font-size: .88em; color: #1f2937; background: #f3f4f6;
  border-bottom: 1px solid #d1d5db; }
.record-list { list-style: none; margin: 0; padding: 0; }
.record-list > li { border-bottom: 1px solid #e5e7eb; }
.record-list > li:last-child { border-bottom: 0; }
.record-line { list-style: none; }
.record-line::-webkit-details-marker { display: none; }
.record-line:hover { background: #f5f8ff; }
.record-line .c { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.record-line .c3::before { content: "▸ "; color: #4b5563; }
.record[open] .record-line .c3::before { content: "▾ "; }
.record[open] .record-line { background: #f5f8ff; }
.from-tag { display: inline-block; font-size: .78em; font-weight: 600; color: #374151; border: 1px solid #c6ccd3;
  border-radius: 4px; padding: 0 .35em; margin-right: .45em; background: #f9fafb; }
.record-body { padding: .2em .9em .7em 2em; }
.record-fields { display: grid; grid-template-columns: 10.5em 1fr; gap: .25em .8em; margin: .3em 0; }
.record-fields dt { font-weight: 600; color: #1f2937; }
.record-fields dd { margin: 0; white-space: pre-wrap; line-height: 1.45; }
.response-from { font-weight: 600; }

/* documents and uploads */
.docs-table { border-collapse: collapse; width: 100%; }
.docs-table caption { text-align: left; color: #374151; padding: .2em 0 .4em 0; }
.docs-table th, .docs-table td { text-align: left; padding: .4em .6em; border-bottom: 1px solid #e5e7eb;
  vertical-align: top; }
.docs-table thead th { background: #f3f4f6; font-size: .9em; white-space: nowrap; }
.docs-table tbody th { font-weight: 600; }
.docs-table tr.just-added { background: #f1f5ff; }
#docs-table { overflow-x: auto; }  /* a narrow window scrolls the table rather than spilling under the uploads */
.docs-table td.read-from { font-size: .85em; color: #374151; min-width: 8em; overflow-wrap: anywhere; }
.docs-table .count { font-variant-numeric: tabular-nums; }
.linked { color: #4b5563; font-size: .9em; }
.notice-box { border-left: 5px solid; border-radius: 6px; padding: .5em .9em; margin: .4em 0; }
.notice-box ul { margin: .2em 0 0 0; padding-left: 0; list-style: none; }
.notice-box li { margin: .25em 0; }
.notice-title { font-weight: 700; margin: 0; }
.notice-success { background: #e7f4ea; border-color: #1b6e3a; color: #103d22; }
.notice-warning { background: #fff4d6; border-color: #8a5a00; color: #4d3200; }
.notice-error { background: #fde8e8; border-color: #a3001b; color: #5c0010; }
.notice-info { background: #eef1f4; border-color: #55616d; color: #1f2a33; }

@media (max-width: 1000px) {
  .original-col { position: static; }
  .original-body { max-height: none; overflow: visible; }
  .record-header, .record-line { grid-template-columns: 3rem 3.2rem minmax(0, 1fr) 8.4rem; }
  .record-header .c2, .record-header .c5, .record-line .c2, .record-line .c5 { display: none; }
}
"""

"""How the app looks: its CSS and the few lines of script the page needs."""

CSS = """
#ask-answer .answer p { margin: 0 0 .4em 0; line-height: 1.5; }
.cite { font-weight: 600; color: #1f4e9c; white-space: nowrap; cursor: pointer; }
.cite:hover { text-decoration: underline; }
.declined { color: #7a4b00; }
.missing { font-weight: 600; }
.notice { color: #555; font-size: .9em; margin: .2em 0 .6em 0; }
.error { color: #b00020; }
.sources { font-size: .92em; }
.passage { white-space: pre-wrap; line-height: 1.5; border-left: 3px solid #c5d3ea; padding-left: .8em; }
.passage-meta { color: #444; font-size: .92em; margin-bottom: .5em; }
.quoted { background: #eef3ff; }
mark { background: #ffe066; padding: 0 1px; }
.hit { margin-bottom: 1.2em; }
.hit-head { font-weight: 600; }
.hit-meta { color: #555; font-size: .88em; }
"""

# A click on a [n] marker in the answer picks source n in the radio below it, which opens the passage.
CITE_CLICK_JS = """
element.addEventListener('click', function (ev) {
  var c = ev.target.closest('.cite');
  if (!c) return;
  var input = document.querySelector('#ask-sources input[value="' + c.dataset.n + '"]');
  if (input) { input.click(); }
});
"""

"""The few lines of script the page needs, run by gr.HTML's js_on_load (`element`, `trigger`, `watch`).

A source marker [n] in an answer opens source n's passage in place and its original beside it; a
"See it in the document" button opens the original and moves the keyboard focus to it. The viewer
scrolls its highlight into view within itself (never the page).
"""

# On a reply or a results list: clicks on markers and on "See it ..." buttons become one event with the
# passage's id and the cited span, answered by ui/app/original_panel.py.
OPEN_ORIGINAL_JS = """
function send(btn, focus) {
  window.inspectionFocusOriginal = focus;
  trigger('click', {chunk: btn.dataset.chunk, start: btn.dataset.start, end: btn.dataset.end});
}
element.addEventListener('click', function (ev) {
  var cite = ev.target.closest('a.cite');
  if (cite) {
    ev.preventDefault();
    var d = element.querySelector('#ask-source-' + cite.dataset.n);
    if (!d) return;
    d.open = true;
    var btn = d.parentElement.querySelector('button.open-original');
    if (btn) send(btn, false);
    d.querySelector('summary').focus();
    return;
  }
  var b = ev.target.closest('button.open-original');
  if (b) send(b, true);
});
"""

# On the viewer: when a new original arrives, show its highlight and, when asked for by a button, focus it.
ORIGINAL_JS = """
watch('value', function () {
  var box = element.querySelector('.original-body');
  if (!box) return;
  var hl = box.querySelector('.hl, mark.cited, .in-passage');
  if (hl) {
    var off = hl.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop = Math.max(0, box.scrollTop + off - box.clientHeight / 3);
  }
  if (window.inspectionFocusOriginal) {
    window.inspectionFocusOriginal = false;
    box.focus({preventScroll: true});
    if (box.scrollHeight > box.clientHeight + 2) {  // beside the list, scrolling within itself: in sight
      var r = element.getBoundingClientRect();
      if (r.top > window.innerHeight - 80 || r.bottom < 0) element.scrollIntoView({block: 'start'});
    } else if (hl) {  // below the list on a narrow window: the page goes to the highlight
      hl.scrollIntoView({block: 'center'});
    } else {
      element.scrollIntoView({block: 'start'});
    }
  }
});
"""

# The Search tab's "Show the engine's ranks and scores" box: a class on the results, no round trip.
SHOW_RANKS_JS = """
(show) => {
  var r = document.querySelector('#search-results');
  if (r) r.classList.toggle('show-ranks', !!show);
  return [];
}
"""

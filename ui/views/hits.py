"""Search results people can read: the closest passages first, each as a short snippet with the matched
words marked, why it matched in plain words, the whole passage on request, and the results far below
the best folded under "More results". The engine's ranks and scores are in the page but shown only
when the Advanced view asks for them (a class on the page, ui/app/search_tab.py).

    results_html(hits, query, analyzer)
"""
from __future__ import annotations

from typing import Sequence

from search.answers.sentences import highlight_spans
from search.citation import pages_label
from ui.views.answer import open_button
from ui.views.common import display_title, esc, human_date, marked_html, notice_html, plural, type_name

CLOSE_RATIO = 0.6  # a hit scoring under this share of the best is folded away ("far below the best")
MAX_SHOWN = 5  # at most this many open at once, however close
SNIPPET_CHARS = 280
SIMILAR_RANK = 10  # "similar in meaning" when the meaning-based list ranked the passage this high
WORDS_NAMED = 5


def shown_count(hits: Sequence) -> int:
    """How many of `hits` (best first) are shown open: those within CLOSE_RATIO of the best, at least one."""
    if not hits:
        return 0
    best = hits[0].score
    n = 1
    while n < min(len(hits), MAX_SHOWN) and best > 0 and hits[n].score >= CLOSE_RATIO * best:
        n += 1
    return n


def results_html(hits: Sequence, query: str, analyzer) -> str:
    if not hits:
        return (f'<div class="hits" data-query="{esc(query)}">'
                + notice_html("info", "No passages found.", ["Try other words, or fewer filters."]) + "</div>")
    n = shown_count(hits)
    summary = plural(len(hits), "passage") + " found"
    if n < len(hits):
        closest = "closest is" if n == 1 else f"{n} closest are"
        summary += f": the {closest} shown first, {len(hits) - n} more under “More results”"
    out = [f'<h2 class="results-summary">{esc(summary)}.</h2>', "".join(hit_html(h, query, analyzer) for h in hits[:n])]
    if n < len(hits):
        rest = "".join(hit_html(h, query, analyzer) for h in hits[n:])
        out.append(f'<details class="more-results"><summary>More results: {len(hits) - n} less close to the search'
                   f"</summary>{rest}</details>")
    return f'<div class="hits" data-query="{esc(query)}">{"".join(out)}</div>'


def snippet(text: str, spans: Sequence[tuple[int, int]], size: int = SNIPPET_CHARS) -> tuple[int, int]:
    """(start, end) of the stretch of `text` about `size` long holding the most marked words, cut at spaces."""
    if len(text) <= size:
        return 0, len(text)
    best, start = -1, 0
    for a, _ in spans or [(0, 0)]:
        lo = max(0, min(a - size // 4, len(text) - size))
        count = sum(1 for s, e in spans if lo <= s and e <= lo + size)
        if count > best:
            best, start = count, lo
    end = min(len(text), start + size)
    if start > 0:
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    return start, end


def why(hit, words: Sequence[str]) -> str:
    """'Matches the words “SPO” and “workload”, and is similar in meaning': why a passage was found."""
    similar = hit.dense_rank is not None and hit.dense_rank <= SIMILAR_RANK
    if hit.bm25_rank is not None and words:
        named = [f"“{w}”" for w in words[:WORDS_NAMED]]
        listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        text = f"Matches the word{'s' if len(named) > 1 else ''} {listed}"
        return text + (", and is similar in meaning" if similar else "")
    if hit.bm25_rank is not None:
        return "Matches words of the search" + (", and is similar in meaning" if similar else "")
    return "Similar in meaning to the search, with none of its words"


def query_words_in(query: str, text: str, analyzer) -> list[str]:
    """The words of the search, as typed, that the passage has: "SPO" when it says "SPO" or "senior
    probation officer" (the analyzer's glossary), "workload" when it says "workloads"."""
    import re

    have = set(analyzer.tokens(text))
    seen: dict[str, str] = {}
    for w in re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", query or ""):
        if set(analyzer.tokens(w)) & have:
            seen.setdefault(w.lower(), w)
    return list(seen.values())


def hit_html(hit, query: str, analyzer) -> str:
    d, c = hit.document, hit.chunk
    spans = highlight_spans(c.text, query, analyzer)
    a, b = snippet(c.text, spans)
    inner = [(s - a, e - a) for s, e in spans if a <= s and e <= b]
    text = ("… " if a > 0 else "") + marked_html(c.text[a:b], inner) + (" …" if b < len(c.text) else "")
    meta = [type_name(d.doc_type), human_date(d.date), pages_label(c.pages) or "",
            f"recommendation {c.rec_no}" if c.rec_no is not None else (f"section “{c.section}”" if c.section else "")]
    ranks = [f"score {hit.score:.4f}", f"word match (BM25) rank {hit.bm25_rank}" if hit.bm25_rank else "",
             f"meaning (dense) rank {hit.dense_rank}" if hit.dense_rank else ""]
    return (f'<article class="hit" data-rank="{hit.rank}" aria-labelledby="hit-{hit.rank}">'
            f'<div class="hit-head"><h3 id="hit-{hit.rank}"><span class="rank">{hit.rank}.</span> '
            f'{esc(display_title(d.title))}</h3><p class="hit-meta">{" · ".join(esc(m) for m in meta if m)}</p></div>'
            f'<p class="why">{esc(why(hit, query_words_in(query, c.text, analyzer)))}'
            f'<span class="ranks"> · {esc(" · ".join(r for r in ranks if r))}</span></p>'
            f'<p class="snippet">{text}</p><div class="hit-actions"><details class="passage-toggle"><summary>'
            f'Show passage</summary><div class="passage">{marked_html(c.text, spans)}</div></details>'
            f"{open_button(hit, None)}</div></article>")

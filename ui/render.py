"""How results look, for the command line (plain text) and the web app (HTML), in one place.

Hits, answers, recommendation records and recurrence threads are rendered here and
only here; the CLI and the app call these functions and add nothing of their own.
"""
from __future__ import annotations

import html
import re
import textwrap
from pathlib import Path
from typing import Optional, Sequence

from search.citation import pages_label

# --- shared ----------------------------------------------------------------------------------

def esc(text: str) -> str:
    """HTML-escape; also $ { } because gr.HTML treats its value as a template."""
    return html.escape(text).replace("$", "&#36;").replace("{", "&#123;").replace("}", "&#125;")


def message_html(text: str, cls: str = "notice") -> str:
    return f'<div class="{cls}">{esc(text)}</div>'


def wrap(text: str, indent: str = "    ", width: int = 100) -> str:
    return textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent)


def marked_html(text: str, spans: Sequence[tuple[int, int]], emphasis: Optional[tuple[int, int]] = None) -> str:
    """`text` escaped, with <mark> on `spans` and the `emphasis` span (the quoted sentence) shaded."""
    cuts = {0, len(text)}
    for a, b in spans:
        cuts.update((a, b))
    if emphasis:
        cuts.update(emphasis)
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    out = []
    for a, b in zip(points, points[1:]):
        seg = esc(text[a:b])
        if any(s <= a and b <= e for s, e in spans):
            seg = f"<mark>{seg}</mark>"
        if emphasis and emphasis[0] <= a and b <= emphasis[1]:
            seg = f'<span class="quoted">{seg}</span>'
        out.append(seg)
    return "".join(out)


def public_json(hit_json: dict) -> dict:
    """A hit's JSON for the browser: the file name, not the server path (and no "path" key, which
    Gradio would take for a file to serve)."""
    d = dict(hit_json)
    d["file"] = Path(d.pop("path", "") or "").name
    return d


# --- hits ------------------------------------------------------------------------------------

def hit_meta(h) -> str:
    """'action plan · score 0.7092 · bm25 #2, dense #1': what the score is and which lists found it."""
    ranks = [r for r in (f"bm25 #{h.bm25_rank}" if h.bm25_rank else "",
                         f"dense #{h.dense_rank}" if h.dense_rank else "") if r]
    return (f"{h.document.doc_type.replace('_', ' ')} · score {h.score:.4f}"
            + (f" · {', '.join(ranks)}" if ranks else ""))


def hit_text(h, width: int = 100, max_chars: int = 600) -> str:
    text = h.chunk.text if len(h.chunk.text) <= max_chars else h.chunk.text[:max_chars].rsplit(" ", 1)[0] + " …"
    body = "\n".join(wrap(p, width=width) for p in text.split("\n") if p.strip())
    return f"[{h.rank}] {h.citation()}\n    {hit_meta(h)}\n{body}\n"


def hits_html(hits, query: str, analyzer) -> str:
    from search.answers.answer import highlight_spans

    if not hits:
        return message_html("No passages found.")
    out = []
    for h in hits:
        body = marked_html(h.chunk.text, highlight_spans(h.chunk.text, query, analyzer))
        out.append(f'<div class="hit" data-rank="{h.rank}"><div class="hit-head">[{h.rank}] {esc(h.citation())}</div>'
                   f'<div class="hit-meta">{esc(hit_meta(h))}</div><div class="passage">{body}</div></div>')
    return "".join(out)


def passage_html(hit, query: str, analyzer, number: Optional[int] = None,
                 emphasis: Optional[tuple[int, int]] = None) -> str:
    from search.answers.answer import highlight_spans

    d, c = hit.document, hit.chunk
    meta = [f"<b>{esc(d.title)}</b>", esc(d.doc_type.replace('_', ' '))]
    if d.date:
        meta.append(f"date {esc(d.date)}")
    if c.pages:
        meta.append(esc(pages_label(c.pages)))
    if c.rec_no is not None:
        meta.append(f"recommendation {c.rec_no}")
    if c.section:
        meta.append(f"section “{esc(c.section)}”")
    meta.append(f"file {esc(Path(d.path).name)}")
    head = f"[{number}] " if number is not None else ""
    body = marked_html(c.text, highlight_spans(c.text, query, analyzer), emphasis)
    return (f'<div class="passage-view" data-chunk="{esc(c.chunk_id)}">'
            f'<div class="passage-meta">{head}{" · ".join(meta)}</div>'
            f'<div class="passage">{body}</div></div>')


# --- answers ---------------------------------------------------------------------------------

CLOSEST = 3  # passages listed under a declined answer
NOT_AN_ANSWER = "Closest passages (not an answer: the nearest the documents come to the question)"


def missing_parts(ans) -> str:
    """'Not in the documents: sickness absence', 'Not in the passages closest to the question: carry': what a
    partial answer, or a decline that can name it, says is missing, and where from. Only what no passage holds
    (`Answer.nowhere`) is said to be missing from the documents."""
    nowhere = [m for m in ans.missing if m in ans.nowhere]
    closest = [m for m in ans.missing if m not in ans.nowhere]
    parts = ([f"Not in the documents: {', '.join(nowhere)}"] if nowhere else []) + \
        ([f"Not in the passages closest to the question: {', '.join(closest)}"] if closest else [])
    return ". ".join(parts)


def missing_line(ans) -> str:
    """What is missing (missing_parts), as a line; above an answer given in part, it says the rest is answered
    below."""
    rest = " The answer below quotes what they say about the rest of the question." if not ans.declined else ""
    return f"{missing_parts(ans)}.{rest}"


def answer_text(ans) -> str:
    """Plain text: what is missing (if anything), the answer, then the numbered sources (or, declined,
    the closest passages under a line saying they are not an answer)."""
    lines = [missing_line(ans), ""] if ans.partial else []
    if ans.partial and not ans.declined:  # the missing line has said what the text says first
        lines.append(" ".join(f"{x.text} " + "".join(f"[{n}]" for n in x.citations) for x in ans.sentences))
    else:
        lines.append(ans.text)
    if ans.citations:
        lines += ["", "Sources:"] + [f"[{i}] {h.citation()}" for i, h in enumerate(ans.citations, start=1)]
    elif ans.declined and ans.passages:
        lines += ["", f"{NOT_AN_ANSWER}:"] + [f"- {h.citation()}" for h in ans.passages[:CLOSEST]]
    return "\n".join(lines)


def shown_sources(ans) -> tuple:
    """What a person can open under an answer: its cited sources, or for a declined answer the closest
    passages."""
    return tuple(ans.citations) if ans.citations else tuple(ans.passages[:CLOSEST]) if ans.declined else ()


def answer_html(ans) -> str:
    """The answer as the app shows it: a notice of what the documents lack above a partial answer (or a
    decline that names it); a declined answer's closest passages under a heading saying they are not an
    answer; an answer's sentences with their [n] markers and its sources."""
    parts = []
    if ans.notice:
        parts.append(message_html(f"Note: {ans.notice}"))
    if ans.partial:
        parts.append(f'<div class="notice missing" role="note">{esc(missing_line(ans))}</div>')
    if ans.declined:
        cls = "answer declined partial" if ans.partial else "answer declined"
        parts.append(f'<div class="{cls}"><p>{esc(ans.text)}</p></div>')
        if ans.passages:
            items = "".join(f'<li id="source-{i}">[{i}] {esc(h.citation())}</li>'
                            for i, h in enumerate(ans.passages[:CLOSEST], start=1))
            parts.append(f'<div class="sources closest"><p class="not-answer">{esc(NOT_AN_ANSWER)}; pick one below '
                         f"to read it:</p><ul>{items}</ul></div>")
        return "".join(parts)
    paras = []
    for s in ans.sentences:
        marks = "".join(f'<span class="cite" data-n="{n}">[{n}]</span>' for n in s.citations)
        paras.append(f"<p>{esc(s.text)} {marks}</p>")
    cls = "answer partial" if ans.partial else "answer"
    parts.append(f'<div class="{cls}" data-mode="{ans.mode}">{"".join(paras)}</div>')
    items = "".join(f'<li id="source-{i}">[{i}] {esc(h.citation())}</li>'
                    for i, h in enumerate(ans.citations, start=1))
    parts.append('<div class="sources">Sources (click a marker or pick a source below to read the passage):'
                 f"<ul>{items}</ul></div>")
    return "".join(parts)


def answer_json(ans) -> dict:
    d = ans.to_json()
    d["citations"] = [public_json(c) for c in d["citations"]]
    return d


def source_choices(sources) -> list[tuple[str, str]]:
    return [(f"[{i}] {h.citation()}", str(i)) for i, h in enumerate(sources, start=1)]


def sentence_span(ans, n: int) -> Optional[tuple[int, int]]:
    """Where the sentence citing source n sits in that source's passage (to shade it)."""
    for s in ans.sentences:
        if s.citations == (n,) and s.start is not None:
            return (s.start, s.end)
    return None


# --- recommendation records --------------------------------------------------------------------

RECORD_COLUMNS = ["year", "no.", "status", "from", "addressed to", "recommendation", "response",
                  "origin → response", "citation"]
RESPONSE_CHARS = 400  # a response shown in a table is cut here (the CSV has it whole)


def record_number(r) -> str:
    """'15', or '•3' for the third of a report's unnumbered recommendations, or '?'."""
    if r.shown_number() is not None:
        return str(r.shown_number())
    return f"•{r.ordinal}" if r.kind == "report" and r.ordinal else "?"


def short_addressee(r) -> str:
    """'HM Prison and Probation Service' for 'HM Prison and Probation Service should:'."""
    return re.sub(r"\s*should:?$", "", r.addressee or "")


def record_text(r, cite: str, note: str = "") -> str:
    """A record as the CLI prints it: a head line, the text, who it is for, owners, targets, notes."""
    label = "(report)" if r.kind == "report" else (r.status or "status not stated")
    lines = [f"{r.year or '????'} #{record_number(r):<3} {label:<14} {cite}",
             wrap(r.text or "[recommendation text not in the source]")]
    meta = []
    if r.addressee or r.scope:
        meta.append("to: " + " ".join(x for x in (r.addressee, f"({r.scope})" if r.scope else None) if x))
    if r.owners:
        meta.append("owner: " + "; ".join(r.owners))
    if r.target_dates:
        meta.append("target: " + "; ".join(r.target_dates))
    if note:
        meta.append(("response: " if r.kind == "report" else "origin: ") + note)
    lines += [wrap(m, indent="      ") for m in meta]
    lines += [wrap("note: " + n, indent="      ") for n in r.notes]
    return "\n".join(lines) + "\n"


def record_row(r, status: Optional[str], note: str, cite: str) -> list:
    """A record as a row of the app's table (RECORD_COLUMNS)."""
    response = r.response[:RESPONSE_CHARS] + ("…" if len(r.response) > RESPONSE_CHARS else "")
    return [r.year or "", record_number(r), status or "unknown", "report" if r.kind == "report" else "action plan",
            short_addressee(r), r.text, response, note, cite]


# --- recurrence threads ------------------------------------------------------------------------

THREAD_COLUMNS = ["thread", "years", "instances", "agreed then repeated", "instances (year #no status)"]


def thread_text(i: int, t) -> str:
    from search.records.recurrence import AGREED_THEN_REPEATED, CONFIRMED

    span = ("–".join(str(y) for y in (t.years[0], t.years[-1])) if len(t.years) > 1
            else (str(t.years[0]) if t.years else "?"))
    bits = [f"{len(t.instances)} recommendation{'s' if len(t.instances) != 1 else ''}", span]
    if t.agreed_then_repeated:
        bits.append("AGREED THEN REPEATED")
    if t.relevance is not None:
        bits.append(f"relevance {t.relevance:.4f}")
    lines = [f"[{i}] {t.label}", f"    {' · '.join(bits)} · terms: {', '.join(t.terms)}"]
    for r, cite, flags in zip(t.instances, t.citations, t.flags):
        mark = "  <- agreed earlier, raised again" if AGREED_THEN_REPEATED in flags else ""
        mark += "  [confirmed by an inspector]" if CONFIRMED in flags else ""
        lines.append(f"    {r.year or '????'}  #{record_number(r):<3} {r.status or 'status not stated'}{mark}")
        lines.append(wrap(r.text, indent="          "))
        meta = [m for m in (r.scope, "owner: " + "; ".join(r.owners) if r.owners else "",
                            "target: " + "; ".join(r.target_dates) if r.target_dates else "") if m]
        if meta:
            lines.append(wrap(" · ".join(meta), indent="          "))
        lines.append(wrap(cite, indent="          "))
    return "\n".join(lines) + "\n"


def thread_row(t) -> list:
    from search.records.recurrence import CONFIRMED

    return [t.label, ", ".join(map(str, t.years)), len(t.instances), "yes" if t.agreed_then_repeated else "",
            "; ".join(f"{r.year} #{record_number(r)} {r.status or 'unknown'}" + (" ✓" if CONFIRMED in f else "")
                      for r, f in zip(t.instances, t.flags))]


# --- has this been recommended before? ---------------------------------------------------------

SIMILAR_COLUMNS = ["#", "judgement", "similarity", "why (shared words)", "year", "no.", "status",
                   "recommendation", "response", "target", "document"]
JUDGEMENT_SHOWN = {"match": "confirmed repeat", "no_match": "not a repeat", None: ""}


def match_status(m) -> str:
    return m.record.status or (m.linked.status if m.linked else None) or "unknown"


def similar_row(n: int, m, title: str) -> list:
    r = m.record
    response = r.response[:RESPONSE_CHARS] + ("…" if len(r.response) > RESPONSE_CHARS else "")
    shared = ", ".join(w for w in m.shared if len(w) > 2)  # "po", "mo": stems of abbreviations, noise to a reader
    return [n, JUDGEMENT_SHOWN.get(m.judgement, m.judgement), f"{m.similarity:.2f}", shared,
            r.year or "", record_number(r), match_status(m), r.text, response, "; ".join(r.target_dates), title]


def similar_text(n: int, m, cite: str) -> str:
    """A match as the CLI prints it: rank, similarity and why, then the record."""
    r = m.record
    judged = f" · {JUDGEMENT_SHOWN[m.judgement].upper()}" if m.judgement else ""
    lines = [f"[{n}] similarity {m.similarity:.2f} · shared: {', '.join(m.shared) or '—'}{judged}",
             f"    {r.year or '????'} #{record_number(r):<3} {match_status(m):<14} {cite}",
             wrap(r.text)]
    meta = [x for x in ("response: " + r.response[:RESPONSE_CHARS] + ("…" if len(r.response) > RESPONSE_CHARS
                                                                       else "") if r.response else "",
                        "target: " + "; ".join(r.target_dates) if r.target_dates else "") if x]
    lines += [wrap(x, indent="      ") for x in meta]
    return "\n".join(lines) + "\n"


def match_choices(matches) -> list[tuple[str, str]]:
    """(label, rec_id) for the app's pick-a-match control."""
    return [(f"{n}. {m.record.year or '????'} #{record_number(m.record)}: {textwrap.shorten(m.record.text, 70)}",
             m.record.rec_id) for n, m in enumerate(matches, start=1)]


def record_choices(records) -> list[tuple[str, str]]:
    """(label, rec_id) for the app's pick-a-record control, in date order."""
    return [(f"{r.year or '????'} #{record_number(r)} ({'report' if r.kind == 'report' else 'plan'}): "
             f"{textwrap.shorten(r.text, 80)}", r.rec_id) for r in records if r.text.strip()]

"""Sentences of retrieved passages as candidate answers: split, embedded, checked, chosen.

Each candidate is one sentence of one of the top passages, with what it needs to be judged:
its cosine to the question (the same model as retrieval, all candidates in one batch), its
analyzer terms, its passage's heading terms (the section, or an action-plan row's
recommendation line), and how it meets the question's focus (`search.answers.focus.Check`).

Selection scores coverage of the focus first and similarity second, and a sentence that
satisfies the focus (names, years, kind of answer) always ranks above one that does not.
A heading ("HM Prison and Probation Service should:") is never an answer; a row's field
line ("Target date: March 2026", "Responsible owner: ...", "Status: Agreed") is never
quoted on its own: it is quoted with its recommendation line. A sentence that runs on
into the next one of its passage is quoted with it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from search.answers.focus import Check, Focus, absent_share, check, type_found
from search.query import is_question, question_texts
from search.retrieval.searcher import Hit, Searcher
from search.thresholds import (COVERAGE_WEIGHT, MAX_CANDIDATES, MAX_SENTENCES, MIN_FURTHER_COSINE,
                               MIN_SENTENCE_CHARS, MIN_SENTENCE_WORDS, MIN_SENTENCES_RATIO, PASSAGES_FOR_SENTENCES,
                               REDUNDANT_COSINE)

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset("""
e.g i.e etc p pp no nos vs cf mr mrs ms dr st fig ref para paras approx incl dept govt hmpps
""".split())
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9•])")
_BULLET = re.compile(r"\s*(?:•|·|▪|◦|\u2022)\s*|\n+")
_LEAD = re.compile(r"[\s\-–—•·*]+")
FIELD_LINE = re.compile(r"^(?:Status|Responsible owner|Target date):\s", re.IGNORECASE)
_REC_LINE = re.compile(r"^Recommendation(?: \d+)?: ")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`: lines and bullets first, then full stops.

    A full stop after a known abbreviation or a single letter (an initial) does not
    split. Leading bullet marks are left outside the span.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    pieces = []
    for m in _BULLET.finditer(text):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(text)))
    for a, b in pieces:
        start = a
        for m in _BOUNDARY.finditer(text, a, b):
            before = text[start:m.start()].rsplit(None, 1)
            last = before[-1].lower().rstrip(".").lstrip("([\"'“‘") if before else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
            spans.append((start, m.start() + 1))
            start = m.end()
        spans.append((start, b))
    out = []
    for a, b in spans:
        lead = _LEAD.match(text, a)
        if lead:
            a = lead.end()
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def is_heading(sentence: str) -> bool:
    """'HM Prison and Probation Service should:' introduces an answer; it is not one."""
    return sentence.rstrip().endswith(":") and len(sentence.split()) <= 12


def _is_title(sentence: str, title: str) -> bool:
    """A cover's title line ("A Response to: A thematic inspection of ...") or publisher line names the document;
    it answers nothing: no longer than the title and four words more, nearly all of them the title's."""
    s, t = re.findall(r"[a-z0-9]+", sentence.lower()), set(re.findall(r"[a-z0-9]+", title.lower()))
    return bool(t) and 0 < len(s) <= len(t) + 4 and sum(w in t for w in s) >= 0.8 * len(s)


def usable(sentence: str) -> bool:
    return len(sentence) >= MIN_SENTENCE_CHARS and len(sentence.split()) >= MIN_SENTENCE_WORDS \
        and not is_heading(sentence)


def _short_answer(sentence: str, focus: Focus, analyzer) -> bool:
    """A line too short to be a sentence that holds the number a "how many" question counts ("Eight
    recommendations", "1,204 responses"): a slide's or table's answer, whatever its length."""
    return focus.answer_type == "count" and len(sentence.split()) >= 2 and not is_heading(sentence) \
        and type_found("count", sentence, focus.question, analyzer)


@dataclass(frozen=True)
class Candidate:
    hit: Hit
    start: int  # offsets in the passage's text
    end: int
    text: str
    cosine: float
    check: Check
    order: int  # position among the passage's sentences
    field_line: bool = False
    passage_terms: frozenset[str] = frozenset()  # analyzer terms of the whole passage and its heading
    coverage_weight: float = COVERAGE_WEIGHT  # the question's (coverage_weight)
    fits: bool = True  # a field line: the question asks for what it gives (an owner, a date, a status)

    @property
    def score(self) -> float:
        """Coverage of the focus first, similarity second (both on [0, 1])."""
        w = self.coverage_weight
        return w * self.check.coverage + (1 - w) * max(self.cosine, 0.0)

    @property
    def rank_key(self) -> tuple:
        return (not self.check.satisfied, not self.check.names_ok, not self.fits, -round(self.score, 6), self.order)


def _heading(hit: Hit) -> str:
    """What a sentence of this passage is about: the document's title, and a plan row's recommendation
    line (and addressee) or the passage's section heading."""
    lines = hit.chunk.text.split("\n")
    if hit.chunk.kind == "recommendation":
        own = " ".join(ln for ln in lines[:2] if _REC_LINE.match(ln) or ln.endswith("should:"))
    else:
        own = hit.chunk.section or ""
    return f"{hit.document.title}\n{own}"


def _context(hit: Hit) -> str:
    """Where a question's names and years may be found for a sentence: its passage and its document."""
    d = hit.document
    return "\n".join(x for x in (hit.chunk.text, hit.chunk.section or "", d.title, d.publisher or "", d.date or "",
                                 d.report_date or "") if x)


def in_no_passage(searcher: Searcher, focus: Focus, parts: Sequence[str], depth: int = 20) -> tuple[str, ...]:
    """Which of the question's names, roles and periods (`parts`) no passage holds, looked for among the passages
    BM25 ranks first for each: what a reply may say the documents lack, not only the passages closest to it."""
    from search.answers.names import entity_found, year_found
    from search.answers.roles import role_found

    out = []
    for part in parts:
        hits = searcher.holding(part, depth)
        if part in focus.years:
            # a document of that year holds it too, whatever its passages say
            years = tuple(d.year for d in searcher.docs.values() if d.year)
            found = any(year_found(part, _context(h)) for h in hits) or year_found(part, "", years)
        elif part in focus.roles:
            found = any(role_found(part, _context(h), searcher.analyzer, focus.abbreviations) for h in hits)
        else:
            found = any(entity_found(part, _context(h), searcher.analyzer) for h in hits)
        if not found:
            out.append(part)
    return tuple(out)


def candidates(searcher: Searcher, focus: Focus, hits: Sequence[Hit]) -> tuple[list[Candidate], np.ndarray]:
    """The usable sentences of the top passages, checked and scored, best first; and their vectors
    (rows in the same order) for redundancy tests without encoding again."""
    analyzer = searcher.analyzer
    raw: list[tuple[Hit, int, int, str, int]] = []
    seen: set[str] = set()
    for h in hits[:PASSAGES_FOR_SENTENCES]:
        text = h.chunk.text
        for n, (a, b) in enumerate(split_sentences(text)):
            s = " ".join(text[a:b].split())
            if not (usable(s) or _short_answer(s, focus, analyzer)) or s.lower() in seen \
                    or _is_title(s, h.document.title) or _is_title(s, h.document.publisher or ""):
                continue
            seen.add(s.lower())
            raw.append((h, a, b, s, n))
            if len(raw) >= MAX_CANDIDATES:
                break
        if len(raw) >= MAX_CANDIDATES:
            break
    if not raw:
        return [], np.zeros((0, 0), dtype=np.float32)
    asked = question_texts(focus.question)
    vecs = searcher.embedder.encode(list(asked) + [r[3] for r in raw])
    query = vecs[:len(asked)].sum(axis=0)
    cosines = vecs[len(asked):] @ (query / (np.linalg.norm(query) or 1.0))
    vecs = vecs[len(asked):]
    per_hit: dict[str, tuple[set[str], str, tuple[int, ...], frozenset[str]]] = {}
    weight = coverage_weight(focus)
    # A name or role of a question says which (document, place, body, people), not what about it: its terms count
    # neither way in coverage ("What workload do victim liaison officers carry?" is not answered by a sentence on
    # reviewing their grade); the names and roles themselves are still checked, against passage and document. A
    # phrase naming a topic ("developing first line managers") is about its names and roles, so they count there,
    # but for a name the sentence's document is titled with, which would count for every sentence of it.
    a_question = is_question(focus.question)
    about = frozenset(t for x in focus.entities + focus.roles for t in analyzer.tokens(x))
    named = frozenset(t for e in focus.entities for t in analyzer.tokens(e))
    scopes: dict[str, frozenset[str]] = {}
    out = []
    for (h, a, b, s, n), cos in zip(raw, cosines):
        if h.chunk.chunk_id not in per_hit:
            years = tuple(y for y in (h.document.year,) if y)
            context = _context(h)
            per_hit[h.chunk.chunk_id] = (set(analyzer.tokens(_heading(h))), context, years,
                                         frozenset(analyzer.tokens(f"{h.chunk.text}\n{_heading(h)}")))
        heading_terms, context, years, passage_terms = per_hit[h.chunk.chunk_id]
        field_line = bool(FIELD_LINE.match(s))
        # a row's owner or target date is about the whole row: its coverage counts the whole passage
        if h.document.doc_id not in scopes:
            scopes[h.document.doc_id] = about if a_question else named & frozenset(analyzer.tokens(h.document.title))
        c = check(focus, s, set(analyzer.tokens(s)), passage_terms if field_line else heading_terms, context,
                  years, analyzer, scopes[h.document.doc_id], h.chunk.text[:a])
        out.append(Candidate(h, a, b, s, float(cos), c, n, field_line, passage_terms, weight,
                             not field_line or _field_fits(s, focus.answer_type)))
    order = sorted(range(len(out)), key=lambda i: out[i].rank_key)
    return [out[i] for i in order], vecs[order]


# what each field line of a plan row gives, as the kinds of answer of search.answers.kinds
_FIELD_KINDS = {"status": {"outcome"}, "responsible owner": {"person", "organisation", "owner"},
                "target date": {"date", "duration"}}


def _field_fits(line: str, answer_type: Optional[str]) -> bool:
    """Whether a field line ("Responsible owner: ...") gives the kind of answer asked for: otherwise it is
    quoted only beside its recommendation line, never as the best answer ("What menopause support is
    there?" is not answered by an owner whose row the question's common words matched)."""
    return answer_type in _FIELD_KINDS.get(line.split(":", 1)[0].strip().lower(), set())


def coverage_weight(focus: Focus) -> float:
    """How much a sentence's coverage of the focus counts against its similarity to the question. Coverage
    is measured on the words some passage holds; the more of a question's weight is in words no passage
    holds ("compulsory", "dropout"), the more it is worded otherwise than the documents, and the more
    similarity leads (a question worded as the documents are keeps COVERAGE_WEIGHT)."""
    return COVERAGE_WEIGHT * (1.0 - absent_share(focus))


PROSE_MIN_WORDS = 12  # a line this long that stops without punctuation is a sentence cut short, not a label
_JOINING_END = re.compile(r"(?:,|\b(?:and|or|to|of|the|a|an|for|with|in|by|on|that|which|as))$", re.IGNORECASE)


def _runs_on(text: str) -> bool:
    """The sentence stops without closing punctuation (a page or row break cut it)."""
    return not re.search(r"[.!?;:][)\"”’]?$", text)


def _broken_prose(c: Candidate, nxt: Candidate) -> bool:
    """A line of prose cut by a page or column break before a capitalised word ("... such as the Aspiring
    Leaders" / "Toolkit for those who aspire ..."): long enough to be prose rather than a slide's label,
    and the next piece finishes the sentence in the passage's next line."""
    between = c.hit.chunk.text[c.end:nxt.start]
    return len(c.text.split()) >= PROSE_MIN_WORDS and nxt.text[:1].isalpha() and not _runs_on(nxt.text) \
        and not between.strip() and not is_heading(c.text)


def _neighbours(c: Candidate, cands: Sequence[Candidate]) -> list[Candidate]:
    """What is quoted with `c`: a field line's recommendation line before it; a sentence that runs on
    (no closing punctuation) with the next sentence of its passage."""
    same = sorted((x for x in cands if x.hit.chunk.chunk_id == c.hit.chunk.chunk_id), key=lambda x: x.order)
    group = [c]
    if c.field_line:
        rec = next((x for x in same if _REC_LINE.match(x.text)), None) or _rec_line(c)
        if rec is not None and rec is not c:
            group.insert(0, rec)
    elif _runs_on(c.text):
        nxt = next((x for x in same if x.order == c.order + 1 and not x.field_line), None)
        if nxt is not None and (nxt.text[:1].islower() or _JOINING_END.search(c.text) or _broken_prose(c, nxt)):
            group.append(nxt)
    return group


def group_text(group: Sequence[Candidate]) -> str:
    """A quoted group as one text: each piece closed with a full stop where it has no closing punctuation,
    except a piece its next one continues (a sentence cut by a break: "... such as the Aspiring Leaders" /
    "Toolkit for those who ...", or one stopping on "and", "of", ",")."""
    out = []
    for i, c in enumerate(group):
        nxt = group[i + 1] if i + 1 < len(group) else None
        continued = nxt is not None and nxt.order == c.order + 1 and nxt.hit is c.hit and _runs_on(c.text) \
            and (_JOINING_END.search(c.text) is not None or _broken_prose(c, nxt))
        out.append(c.text if continued or c.text[-1] in ".!?:;" else c.text + ".")
    return " ".join(out)


def _rec_line(c: Candidate) -> Optional[Candidate]:
    """The recommendation line of a plan row's passage, as a candidate quoted beside a field line."""
    text = c.hit.chunk.text
    m = re.search(r"^Recommendation(?: \d+)?: .*$", text, re.MULTILINE)
    if not m:
        return None
    return Candidate(c.hit, m.start(), m.end(), " ".join(m.group(0).split()), c.cosine, c.check, -1,
                     passage_terms=c.passage_terms, coverage_weight=c.coverage_weight)


def choose(cands: Sequence[Candidate], vecs: np.ndarray, limit: int = MAX_SENTENCES) -> list[list[Candidate]]:
    """Up to MAX_SENTENCES groups of sentences to quote: the best, then others close to it in score
    that also satisfy the focus and say something else. Each group is one or two sentences of one
    passage, in passage order."""
    if not cands:
        return []
    index = {id(c): i for i, c in enumerate(cands)}
    best = cands[0]
    groups = [_neighbours(best, cands)]
    used = {id(x) for x in groups[0]}
    for c in cands[1:]:
        if len(groups) >= limit:
            break
        if c.score < MIN_SENTENCES_RATIO * best.score or c.cosine < MIN_FURTHER_COSINE:
            break  # sorted: every later one is weaker still
        if id(c) in used or not c.check.satisfied or c.field_line:
            continue
        if any(float(vecs[index[id(c)]] @ vecs[index[id(x)]]) >= REDUNDANT_COSINE for g in groups for x in g):
            continue
        if any(c.text in x.text or x.text in c.text for g in groups for x in g):
            continue
        group = _neighbours(c, cands)
        groups.append(group)
        used.update(id(x) for x in group)
    return groups


_WORD = re.compile(r"[A-Za-z0-9]+(?:&[A-Za-z0-9]+)?")


def highlight_spans(text: str, query: str, analyzer) -> list[tuple[int, int]]:
    """Spans of the words in `text` whose analyzed term is one of the query's terms."""
    q_terms = set(analyzer.query_tokens(query))
    if not q_terms:
        return []
    spans = []
    for m in _WORD.finditer(text):
        terms = analyzer.tokens(m.group())
        if terms and terms[0] in q_terms:
            spans.append((m.start(), m.end()))
    return spans


"""Short answers with verified citations: the orchestration.

    answer(searcher, "What are the four pillars of risk management?")
    answer(searcher, "What did the 2022 plans say about vetting?", filters=Filters(year_from=2022))

One retrieval per question (with the caller's filters), then:

1. the question's focus (`search.answers.focus`): salient terms, names, years, kind of answer;
2. the sentences of the top passages as candidates (`search.answers.sentences`), each checked
   against the focus and scored, coverage first;
3. the decision (`search.answers.focus.answerable`, thresholds in `search.thresholds`):
   - answer: quote up to three non-redundant sentences, each with its [n] marker;
   - partial: the documents speak to part of the focus but not all of it: say what they
     mention and what they do not ("The documents mention X, but give no number for
     London"), with the closest passages;
   - decline: too little of the question is in the documents.

A question about recurrence ("again", "repeated", "recur", "across years") is answered from
the recurring-recommendation threads. With a `generator` (search.answers.generate) a model writes
the answer from the same numbered passages, and every sentence is checked before it is
shown; a question the extractive path declines is never handed to a model to embroider.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional, Protocol, Sequence

import numpy as np

from search.answers.answer_text import (NO_ANSWER_TEXT, NO_MATCH_TEXT, Answer, AnswerSentence, absent_sentence,
                                        declined, marker, missing_clause, number_sources, partial_text)
from search.answers.focus import (ANSWER_TYPES, Focus, absent_share, answerable, present_words, question_focus,
                                  rare_missing, type_found)
from search.retrieval.searcher import Filters, Hit, validate_query, Searcher
from search.answers.sentences import (Candidate, candidates, choose, group_text,  # noqa: F401  (re-exported)
                                      highlight_spans, in_no_passage)
from search.thresholds import ABSENT_MAX_QUOTED, MAX_SENTENCES, PARTIAL_MIN_COVERAGE

# Words that mark a question about recurrence across inspections.
RECURRENCE_CUES = re.compile(
    r"\b(recur\w*|again|repeat\w*|across (?:the )?years|still|more than once|"
    r"more than one (?:inspection|report|year)|keeps? coming back|(?:recommended|raised) before)\b",
    re.IGNORECASE)


class Generator(Protocol):
    """What `answer` needs from a generative model (search.answers.generate implements it)."""

    describe: str

    def generate(self, question: str, hits: Sequence[Hit]) -> str: ...


def answer(searcher: Searcher, question: str, *, k: int = 8, filters: Optional[Filters] = None,
           generator: Optional[Generator] = None) -> Answer:
    """Answer `question` from the passages `filters` allow, with checked citations."""
    q = validate_query(question)
    if filters is not None and filters.active() and not searcher.allows_any(filters):
        return declined(q, (), text=NO_MATCH_TEXT, signals={"filters_match": False})
    if is_recurrence_question(q) and (filters is None or not filters.active()):
        rec = recurrence_answer(searcher, q)
        if rec is not None:
            return rec
    hits = searcher.search(q, k=k, filters=filters)
    if not hits:
        return declined(q, hits)
    offline = extractive_answer(searcher, q, hits)
    if generator is None or offline.declined or offline.partial:
        return offline  # a model is handed only what the documents answer in full
    return generative_answer(q, hits, offline, generator)


@dataclass(frozen=True)
class Assessment:
    """A question's retrieved passages read against its focus: everything the decision needs."""

    question: str
    hits: tuple[Hit, ...]
    focus: Focus
    candidates: tuple[Candidate, ...]  # best first
    vectors: np.ndarray  # the candidates' embeddings, same order

    @property
    def best(self) -> Optional[Candidate]:
        return self.candidates[0] if self.candidates else None

    def quoted(self) -> list[list[Candidate]]:
        """What an answer would quote (search.answers.sentences.choose): for a question with words no passage
        holds, only the closest sentence, since similarity, not the question's words, chose the others."""
        limit = ABSENT_MAX_QUOTED if self.focus.absent else MAX_SENTENCES
        return choose(self.candidates, self.vectors, limit) if self.candidates else []

    @property
    def signals(self) -> dict:
        """What the decision is taken on, kept with the answer (and replayed by eval/ask.py)."""
        best, focus = self.best, self.focus
        return {
            "coverage": round(best.check.coverage, 4) if best else 0.0,
            "cosine": round(best.cosine, 4) if best else 0.0,
            "satisfied": bool(best and best.check.satisfied),
            "entities": list(focus.entities), "years": list(focus.years), "answer_type": focus.answer_type,
            "missing_entities": list(best.check.missing_entities) if best else list(focus.entities),
            "missing_years": list(best.check.missing_years) if best else list(focus.years),
            "roles": list(focus.roles), "missing_roles": list(best.check.missing_roles) if best else list(focus.roles),
            "absent": list(focus.absent), "absent_share": round(absent_share(focus), 4),
            "type_ok": bool(best and best.check.type_ok),
        }


def assess(searcher: Searcher, question: str, hits: Sequence[Hit]) -> Assessment:
    focus = question_focus(question, searcher.analyzer, searcher.lexical.idf)
    cands, vecs = candidates(searcher, focus, hits)
    return Assessment(question, tuple(hits), focus, tuple(cands), vecs)


def extractive_answer(searcher: Searcher, question: str, hits: Sequence[Hit]) -> Answer:
    a = assess(searcher, question, hits)
    best = a.best
    if best is None or not answerable(best.check, best.cosine, a.focus):
        return not_answered(a, searcher)
    return quoted_answer(a)


def quoted_answer(a: Assessment) -> Answer:
    """The sentences chosen, each with its [n]. When the question asks about something no passage
    holds, the answer is partial: it says so first, and quotes what the documents say of the rest."""
    groups = a.quoted()
    numbers, sources = number_sources(g[0].hit for g in groups)
    sentences, parts = [], []
    for group in groups:
        n = numbers[group[0].hit.chunk.chunk_id]
        text = group_text(group)
        parts.append(f"{text} {marker(n, len(sources))}")
        start, end = min(c.start for c in group), max(c.end for c in group)
        sentences.append(AnswerSentence(text, (n,), round(group[-1].score, 4), start, end))
    absent = a.focus.absent
    lead = absent_sentence(absent) + " " if absent else ""
    present = present_words(a.focus, set().union(*(c.passage_terms for g in groups for c in g)), absent) \
        if absent else ""
    return Answer(a.question, lead + " ".join(parts), tuple(sentences), tuple(sources), False, "extractive",
                  passages=a.hits, missing=absent, present=present, signals=a.signals, nowhere=absent)


def not_answered(a: Assessment, searcher: Optional[Searcher] = None) -> Answer:
    """A partial answer naming what the documents do not say, or, when too little of the question
    is there to name, a decline. Either way the closest passages are listed, and whatever the
    question asks about that no passage holds is named. With the `searcher`, the names, roles and periods
    missing from the closest passages are looked for in the rest (`Answer.nowhere`); without it, only the
    words no passage holds are known to be missing from the documents."""
    question, focus, cands, hits = a.question, a.focus, a.candidates, a.hits
    analyzer_terms = {t for c in cands for t in focus.terms if t in c.passage_terms}
    found_share = sum(focus.weights.get(t, 0.0) for t in focus.terms
                      if t in analyzer_terms and t not in focus.absent_terms) / (focus.mass or 1.0)
    names = missing_names(a)
    # an absent word inside a missing name or role is named as that ("youth justice workers", not "workers")
    absent = tuple(dict.fromkeys(next((n for n in names if set(x.lower().split()) <= set(n.lower().split())), x)
                                 for x in focus.absent))
    names = [n for n in names if n not in absent]
    typed = [c for c in cands if c.check.names_ok]
    type_missing = focus.answer_type is not None and not any(c.check.type_ok for c in typed or cands)
    heaviest = max(focus.weights.values(), default=0.0)
    terms = rare_missing(focus, analyzer_terms, 0.8 * heaviest) if not (names or type_missing or absent) else ()
    signals = dict(a.signals, found_share=round(found_share, 4))
    present = present_words(focus, analyzer_terms, tuple(names) + tuple(terms) + absent)
    if found_share < PARTIAL_MIN_COVERAGE or not present or not (names or type_missing or terms or absent):
        text = f"{absent_sentence(absent)} {NO_ANSWER_TEXT}" if absent else NO_ANSWER_TEXT
        return declined(question, hits, text=text, missing=absent, signals=signals, nowhere=absent)
    kind = (ANSWER_TYPES[focus.answer_type],) if type_missing and focus.answer_type else ()
    missing = absent + tuple(names) + kind + tuple(terms)
    clause = missing_clause(names, focus.answer_type if type_missing else None, terms) \
        if (names or type_missing or terms) else ""
    # a rare word of the question (`terms`) is held by some passage, or it would be absent
    unheld = in_no_passage(searcher, focus, names) if searcher is not None and names else ()
    of_documents = bool(names) and not terms and set(names) <= set(unheld)
    return declined(question, hits, text=partial_text(present, clause, absent, of_documents), missing=missing,
                    present=present, signals=signals, nowhere=absent + unheld)


def missing_names(a: Assessment) -> list[str]:
    """The names, roles and periods of the question that no candidate's passage holds (a candidate
    that has them all would have been checked for the kind of answer instead)."""
    focus, cands = a.focus, a.candidates
    out = [e for e in focus.entities if all(e in c.check.missing_entities for c in cands)]
    out += [r for r in focus.roles if all(r in c.check.missing_roles for c in cands)]
    out += [y for y in focus.years if all(y in c.check.missing_years for c in cands)]
    return out


def generative_answer(q: str, hits: Sequence[Hit], offline: Answer, generator: Generator) -> Answer:
    from search.answers.generate import GenerationError, check_reply

    given = list(hits)
    try:
        reply = generator.generate(q, given)
    except GenerationError as e:
        return replace(offline, notice=f"{e}; showing the offline answer")
    checked = check_reply(reply, given)
    if not checked.sentences:
        return replace(offline, notice=f"the model's answer failed the citation check ({checked.dropped} "
                                       "sentences dropped); showing the offline answer",
                       dropped=checked.dropped)
    numbers, sources = number_sources(given[n - 1] for s in checked.sentences for n in s.citations)
    sentences, parts = [], []
    for s in checked.sentences:
        ns = tuple(dict.fromkeys(numbers[given[n - 1].chunk.chunk_id] for n in s.citations))
        parts.append(s.text + " " + "".join(marker(n, len(sources)) for n in ns))
        sentences.append(AnswerSentence(s.text, ns))
    note = (f"{checked.dropped} sentence{'s' if checked.dropped != 1 else ''} of the model's answer "
            "failed the citation check and were removed") if checked.dropped else None
    return Answer(q, " ".join(parts), tuple(sentences), tuple(sources), False, "generative", note,
                  checked.dropped, tuple(hits), signals=offline.signals)


# --- Recurrence ------------------------------------------------------------------------

def is_recurrence_question(question: str) -> bool:
    return bool(RECURRENCE_CUES.search(question))


def _hit_for_recommendation(searcher: Searcher, rec, rank: int, score: float) -> Optional[Hit]:
    chunk = searcher.chunk(rec.chunk_id) if rec.chunk_id else None
    doc = searcher.document(rec.doc_id)
    if chunk is None or doc is None:
        return None
    return Hit(rank, score, chunk, doc)


def recurrence_answer(searcher: Searcher, question: str, max_threads: int = 2) -> Optional[Answer]:
    """A summary of the recurring threads closest to the question, or None when there are none."""
    from search.records.recurrence import find_threads
    from search.records.view import records_view

    threads = [t for t in find_threads(records_view(searcher), topic=question) if t.recurs][:max_threads]
    if not threads:
        return None
    hits: list[Hit] = []
    for t in threads:
        for rec in t.instances:
            h = _hit_for_recommendation(searcher, rec, len(hits) + 1, float(t.relevance or 0.0))
            if h is not None:
                hits.append(h)
    numbers, sources = number_sources(hits)
    sentences, parts = [], []
    for t in threads:
        cited = []
        for rec in t.instances:
            if rec.chunk_id not in numbers:
                continue
            n = numbers[rec.chunk_id]
            status = f", {rec.status.lower()}" if rec.status else ""
            num = f" recommendation {rec.number}" if rec.number is not None else ""
            cited.append((n, f"{rec.year or 'undated'}{num}{status} {marker(n, len(sources))}"))
        if not cited:
            continue
        years = ", ".join(str(y) for y in t.years)
        text = (f"“{t.label}” was recommended in {len(t.instances)} documents ({years}): "
                + "; ".join(c[1] for c in cited) + ".")
        if t.agreed_then_repeated:
            text += " It was agreed in an earlier action plan and then recommended again."
        parts.append(text)
        sentences.append(AnswerSentence(text, tuple(sorted({c[0] for c in cited}))))
    if not sentences:
        return None
    return Answer(question, "\n".join(parts), tuple(sentences), tuple(sources), False, "recurrence",
                  passages=tuple(sources), threads=tuple(threads))


__all__ = ["Answer", "AnswerSentence", "Generator", "answer", "extractive_answer", "highlight_spans",
           "is_recurrence_question", "recurrence_answer", "type_found"]

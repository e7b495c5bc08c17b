"""What a question is about, and whether a passage can answer it.

    focus = question_focus("How many approved premises beds are there in London?", analyzer, idf)
    focus.entities == ("London",); focus.answer_type == "count"

A question's focus is what an answer must speak to:

- its salient terms: the analyzer's terms of its content words (question words and
  function words set aside), each weighted by its BM25 idf over the index, so a rare word
  counts for much and "probation" for little;
- what it asks about that no passage holds at all (`absent`: "sickness absence"; see
  search.answers.absent): never dropped, always named in the reply;
- the names it uses: places, bodies and programmes, written with capitals ("Essex South",
  "Youth Justice Board", "PQiP") or as acronyms (search.answers.names);
- the roles it names ("prison officers", "senior probation officers"; search.answers.roles);
- the years and periods it names ("2023", "2022/23", "January 2023", "the 2010s");
- the kind of answer it asks for: a number, an amount, a percentage or rate, a date, a length
  of time, a person's or an organisation's name, or an outcome (search.answers.kinds).

A candidate answer sentence satisfies the focus when every name, role and period of the
question is in the sentence's passage (its text, heading, document title or date; an
abbreviation counts for its glossary expansion and the reverse) and the sentence holds an
answer of the kind asked for; `coverage` is how much of the weight of the salient terms that
some passage holds is in the sentence and its passage heading. What fails is reported as what
is missing, so that a reply can say "the documents mention X, but say nothing about London".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import AbstractSet, Callable, Optional

from search.answers.absent import GENERIC_WORDS, TermIndex, absent_phrases
from search.answers.kinds import ANSWER_TYPES, KIND_WORDS, answer_type, type_found  # noqa: F401  (re-exported)
from search.answers.names import (QUESTION_WORDS, entity_found, initials,  # noqa: F401
                                  names_another_region, question_entities, question_periods, question_years,
                                  year_found)
from search.answers.roles import glossary_roles, question_roles, role_found
from indexer.text.analyzer import STOP_WORDS

_SKIP = QUESTION_WORDS | STOP_WORDS


@dataclass(frozen=True)
class Focus:
    """What the question is about (see the module docstring)."""

    question: str
    terms: tuple[str, ...]  # salient analyzer terms, in question order
    weights: dict[str, float] = field(default_factory=dict)  # term -> idf
    surface: dict[str, str] = field(default_factory=dict)  # term -> the question's word for it
    entities: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    answer_type: Optional[str] = None
    roles: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()  # what the question asks about that no passage holds, in its words
    absent_terms: frozenset[str] = frozenset()  # their analyzer terms: left out of coverage's mass
    abbreviations: dict[str, str] = field(default_factory=dict)  # glossary roles: "senior probation officer" -> "SPO"

    @property
    def mass(self) -> float:
        """The idf weight of the salient terms some passage holds: what coverage is a share of."""
        return sum(self.weights.get(t, 0.0) for t in self.terms if t not in self.absent_terms)


def question_terms(question: str, analyzer) -> tuple[list[str], dict[str, str]]:
    """Salient analyzer terms of the question's content words, and the word each came from (as written)."""
    terms: list[str] = []
    surface: dict[str, str] = {}
    written = {w.lower(): w for w in re.findall(r"[A-Za-z0-9]+(?:&[A-Za-z0-9]+)?", question)}
    for w in analyzer.words(question):
        if w in QUESTION_WORDS:
            continue
        for t in analyzer.tokens(w):
            if t not in surface:
                surface[t] = written.get(w, w)
                terms.append(t)
    return terms, surface


def _named(absent: tuple[str, ...], entities: tuple[str, ...]) -> tuple[str, ...]:
    """Absent words inside a name are reported as the name ("Parole" -> "Parole Board")."""
    out = []
    for a in absent:
        words = set(a.lower().split())
        whole = next((e for e in entities if words <= set(re.findall(r"[\w'’&-]+", e.lower()))), None)
        out.append(whole or a)
    return tuple(dict.fromkeys(out))


def question_focus(question: str, analyzer, idf: Callable[[str], float]) -> Focus:
    kind = answer_type(question)
    # the words that ask for the kind of answer ("stand for", "full name") are no more its subject than "how many"
    asking = KIND_WORDS.get(kind or "", frozenset())
    terms, surface = question_terms(question, analyzer)
    if asking:
        asked = {t for w in asking for t in analyzer.tokens(w)}
        terms = [t for t in terms if t not in asked]
    entities = question_entities(question)
    absent = absent_phrases(question, analyzer, TermIndex(idf), _SKIP | asking)
    absent_terms = frozenset(t for a in absent for t in analyzer.tokens(a))
    abbreviations = glossary_roles(analyzer)
    return Focus(question, tuple(terms), {t: idf(t) for t in terms}, surface, entities, question_periods(question),
                 kind, question_roles(question, frozenset(_SKIP), abbreviations),
                 _named(absent, entities), absent_terms, abbreviations)


def coverage(focus: Focus, found_terms: AbstractSet[str], scope: AbstractSet[str] = frozenset()) -> float:
    """Share of the focus's idf weight found among `found_terms` (1.0 when the question has no salient
    term some passage holds). Terms in `scope` count neither way (search.answers.sentences: a question's names
    and roles, which say which, not what about it; a topic phrase's names that the document is titled with)."""
    weight = [(focus.weights.get(t, 0.0), t in found_terms) for t in focus.terms
              if t not in focus.absent_terms and t not in scope]
    mass = sum(w for w, _ in weight)
    if mass <= 0:
        return 1.0
    return sum(w for w, found in weight if found) / mass


@dataclass(frozen=True)
class Check:
    """How one candidate sentence meets a focus."""

    coverage: float  # of the salient terms, in the sentence and its passage heading
    missing_entities: tuple[str, ...]
    missing_years: tuple[str, ...]
    type_ok: bool
    missing_roles: tuple[str, ...] = ()

    @property
    def names_ok(self) -> bool:
        return not self.missing_entities and not self.missing_years and not self.missing_roles

    @property
    def satisfied(self) -> bool:
        return self.names_ok and self.type_ok


def check(focus: Focus, sentence: str, sentence_terms: AbstractSet[str], heading_terms: AbstractSet[str], context: str,
          doc_years: tuple[int, ...], analyzer, scope: AbstractSet[str] = frozenset(), preceding: str = "") -> Check:
    """How a sentence meets the focus; `preceding` is its passage's text before it (the region it sits under)."""
    return Check(
        coverage=coverage(focus, sentence_terms | heading_terms, scope),
        missing_entities=tuple(e for e in focus.entities if not entity_found(e, context, analyzer)
                               or names_another_region(e, sentence, preceding)),
        missing_years=tuple(y for y in focus.years if not year_found(y, context, doc_years)),
        type_ok=type_found(focus.answer_type, sentence, focus.question, analyzer),
        missing_roles=tuple(r for r in focus.roles if not role_found(r, context, analyzer, focus.abbreviations)),
    )


def present_words(focus: Focus, found_terms: set[str], leave_out: tuple[str, ...] = (), limit: int = 6) -> str:
    """The question's own words for the salient terms that were found, in question order, without the
    words of what is missing (`leave_out`) and without numbers."""
    skip = {w.lower() for x in leave_out for w in re.findall(r"[A-Za-z0-9]+", x)}
    words = [focus.surface[t] for t in focus.terms if t in found_terms
             and focus.surface[t].lower() not in skip and not focus.surface[t][:1].isdigit()]
    return " ".join(dict.fromkeys(words[:limit]))


# --- the decision --------------------------------------------------------------------------------

def absent_share(focus: Focus) -> float:
    """The share of the question's idf weight in what no passage holds (0 when nothing is absent)."""
    total = sum(focus.weights.get(t, 0.0) for t in focus.terms)
    return sum(focus.weights.get(t, 0.0) for t in focus.terms if t in focus.absent_terms) / total if total > 0 else 0.0


def covered(focus: Focus) -> bool:
    """Whether enough of the question is in the documents to answer any of it: not when most of its
    weight is in words no passage holds (search.thresholds.ABSENT_MAX_SHARE)."""
    from search.thresholds import ABSENT_MAX_SHARE

    return absent_share(focus) <= ABSENT_MAX_SHARE


def answerable(best: Optional[Check], cosine: float, focus: Optional[Focus] = None) -> bool:
    """Answer (in full, or in part when something is absent) when the question is covered, and the best
    candidate satisfies the focus and reaches both cuts (search.thresholds)."""
    from search.thresholds import ANSWER_MIN_COSINE, ANSWER_MIN_COVERAGE

    return best is not None and (focus is None or covered(focus)) and best.satisfied \
        and best.coverage >= ANSWER_MIN_COVERAGE * coverage_cut_scale(focus) \
        and (cosine >= ANSWER_MIN_COSINE or similarity_waived(best, focus))


def similarity_waived(best: Check, focus: Optional[Focus]) -> bool:
    """Whether the cosine cut is waived: for a question asking for a kind of answer (a date, a name, a number)
    when the candidate and its passage heading hold every salient word of it and that kind of answer. The words
    and the kind then say it answers; a short line ("Target date: March 2023", "Report Published: 16th January
    2025") has too little text for its similarity to the question to say so."""
    return focus is not None and focus.answer_type is not None and best.type_ok and best.coverage >= 1.0 - 1e-9


def coverage_cut_scale(focus: Optional[Focus]) -> float:
    """How much of the coverage cut applies: all of it for a question in the documents' words, less as more
    of its weight is in words no passage holds. Coverage counts only the words some passage holds, so a
    question worded otherwise ("quit" for "leave") covers little of itself even with the sentence that
    answers it; its similarity then decides, as it does the ranking (sentences.coverage_weight)."""
    return 1.0 if focus is None else 1.0 - absent_share(focus)


def rare_missing(focus: Focus, found_terms: set[str], min_weight: float) -> tuple[str, ...]:
    """The question's words for salient terms at least `min_weight` heavy that no passage holds
    ("catering", "tags"): named when the documents are said not to answer. A word of general English
    ("anyone", "say") names no subject, however rare it is in the documents."""
    return tuple(dict.fromkeys(focus.surface[t] for t in focus.terms
                               if t not in found_terms and focus.weights.get(t, 0.0) >= min_weight
                               and focus.surface[t].lower() not in GENERIC_WORDS))

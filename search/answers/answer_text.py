"""The answer as a record, and the words of the replies that are not quotations.

An `Answer` is what every edge shows: its text with 1-based [n] markers, the sentences
and the sources the markers name (`citations[n-1]` is source n), and when the documents
do not answer, why: `missing` names the part of the question's focus no passage speaks
to, and `present` what they do mention. `signals` keeps the measurements the decision
was taken on, so thresholds can be re-chosen offline (eval/ask.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Optional, Sequence

from search.retrieval.searcher import Hit

NO_ANSWER_TEXT = ("The indexed documents do not seem to answer this question. "
                  "The closest passages are listed below; try rephrasing, or search instead.")
NO_MATCH_TEXT = "No indexed document matches the filters, so there is nothing to answer from."
# how each kind of missing answer is named: "but give no number", "but say nothing about London"
_GIVE_NO = {"count": "give no number", "money": "give no amount", "percent": "give no percentage or rate",
            "date": "give no date", "duration": "give no length of time", "person": "name no person",
            "organisation": "name no organisation", "outcome": "report no findings or outcome",
            "owner": "say nothing about who is responsible", "frequency": "say nothing about how often",
            "expansion": "do not spell it out"}


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence (or a run of two from one passage) of an answer and the sources it cites."""

    text: str
    citations: tuple[int, ...]
    score: Optional[float] = None  # extractive: the candidate's score; None for generated sentences
    start: Optional[int] = None  # extractive: offsets of the quoted text in the cited passage
    end: Optional[int] = None


@dataclass(frozen=True)
class Answer:
    """An answer, a partial answer that says what is missing, or a decline.

    `declined` is True when nothing is quoted; `missing` names the part of the question the
    documents do not cover, for a partial answer (sentences quoted for the rest) and for a
    decline that can name it. `mode` is extractive | generative | recurrence.
    """

    question: str
    text: str
    sentences: tuple[AnswerSentence, ...]
    citations: tuple[Hit, ...]
    declined: bool
    mode: str
    notice: Optional[str] = None
    dropped: int = 0  # generated sentences removed by the citation check
    passages: tuple[Hit, ...] = ()  # everything retrieved (shown when the answer is declined)
    threads: tuple = ()  # recurrence mode: the search.records.recurrence.Thread objects summarised
    missing: tuple[str, ...] = ()  # the question's words that no passage answers ("London", "a number")
    present: str = ""  # what the passages do mention, in the question's words
    signals: dict = field(default_factory=dict)
    # the part of `missing` that no passage of the index holds at all; the rest is missing only from the
    # passages closest to the question (a word or a name the documents use elsewhere, a kind of answer)
    nowhere: tuple[str, ...] = ()

    @property
    def partial(self) -> bool:
        """Part of the question is not in the documents (`missing` names it): a partial answer quotes
        what they say of the rest; a declined one quotes nothing."""
        return bool(self.missing)

    def to_json(self) -> dict:
        return {
            "question": self.question, "text": self.text, "mode": self.mode, "declined": self.declined,
            "partial": self.partial, "missing": list(self.missing), "nowhere": list(self.nowhere),
            "present": self.present,
            "notice": self.notice, "dropped": self.dropped, "signals": self.signals,
            "sentences": [{"text": s.text, "citations": list(s.citations), "score": s.score}
                          for s in self.sentences],
            "citations": [dict(h.to_json(), marker=i) for i, h in enumerate(self.citations, start=1)],
            "passages": [h.citation() for h in self.passages[:3]] if self.declined else [],
        }


def number_sources(hits: Iterable[Hit]) -> tuple[dict[str, int], list[Hit]]:
    """Number distinct passages 1, 2, ... in order of first appearance."""
    numbers: dict[str, int] = {}
    ordered: list[Hit] = []
    for h in hits:
        if h.chunk.chunk_id not in numbers:
            numbers[h.chunk.chunk_id] = len(ordered) + 1
            ordered.append(replace(h, rank=len(ordered) + 1))
    return numbers, ordered


def marker(n: int, n_sources: int) -> str:
    """The [n] marker for source n (1-based), refusing a number with no source."""
    if not 1 <= n <= n_sources:
        raise ValueError(f"citation [{n}] names no source (there are {n_sources})")
    return f"[{n}]"


def missing_clause(names: Sequence[str], answer_type: Optional[str], terms: Sequence[str]) -> str:
    """'give no number for London', 'say nothing about the Youth Justice Board or 2023'."""
    if answer_type in _GIVE_NO:
        clause = _GIVE_NO[answer_type] + (f" for {names[0]}" if names else "")
        rest = list(names[1:]) or list(terms)
        return clause + (f" and say nothing about {' or '.join(rest)}" if rest else "")
    if names or terms:
        return "say nothing about " + " or ".join([*names, *terms])
    return "do not answer the question"


def _either(items: Sequence[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def absent_sentence(absent: Sequence[str]) -> str:
    """'The documents do not mention sickness absence.': what the question asks about that no passage holds."""
    return f"The documents do not mention {_either(absent)}."


def partial_text(present: str, clause: str, absent: Sequence[str] = (), of_documents: bool = False) -> str:
    """'The documents mention X, but the passages closest to the question give no number for London.' When
    part of the question is in no passage at all, that is said first: 'The documents do not mention Y; they
    mention X, but ...'. The clause is said of the documents only when what it names is in none of their
    passages (`of_documents`): a word they use elsewhere is missing only from the passages closest to the
    question."""
    said = f"The documents do not mention {_either(absent)}; they mention {present}" if absent \
        else f"The documents mention {present}"
    whose = "" if of_documents else "the passages closest to the question "
    return f"{said}{', but ' + whose + clause if clause else ''}. The closest passages are listed below."


def declined(question: str, hits: Sequence[Hit], *, text: str = NO_ANSWER_TEXT, missing: tuple[str, ...] = (),
             present: str = "", notice: Optional[str] = None, signals: Optional[dict] = None,
             nowhere: tuple[str, ...] = ()) -> Answer:
    return Answer(question, text, (), (), True, "extractive", notice, 0, tuple(hits), (), missing, present,
                  signals or {}, nowhere)

"""Score `ask` once on the pre-registered set (eval/ask_prereg6.jsonl), exactly as it ships.

    report = score_preregistered(searcher, load_ask_set(PREREGISTERED_SET), ask_set_meta(PREREGISTERED_SET))
    report.gold_answered, report.safe

The set was written and committed (the commit its `_meta` line names) before any change it was
meant to test; nothing is fitted or chosen on it. Each question goes through `answer` as a
person's would (the shipped thresholds, recurrence questions to the threads, no filters), and
the reply is scored as it is:

- answerable: answered (in full, or in part) with a quoted sentence that holds a gold sentence;
- unanswerable: declined (nothing quoted), or answered only in part with the missing subject
  named (eval.ask.names_missing, on what the reply says is missing);
- also: answerable questions answered only in part, and unanswerable ones whose reply names
  what is missing.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import asdict, dataclass, field
from typing import Sequence

from eval.ask import AskItem, names_missing, word_holder
from eval.metrics import normalise, quote_hits

if TYPE_CHECKING:
    from search.retrieval.searcher import Searcher


@dataclass(frozen=True)
class PreregReport:
    registered_in: str
    source: str = ""  # the file, as given
    answerable: int = 0
    gold_answered: float = 0.0  # answerable, answered (in full or in part) with a gold sentence quoted
    answered_in_part: float = 0.0  # answerable, answered only in part
    unanswerable: int = 0
    safe: float = 0.0  # unanswerable, declined or answered in part naming what is missing
    named: float = 0.0  # unanswerable, the reply names what is missing
    by_kind: dict[str, float] = field(default_factory=dict)  # per kind: gold_answered or safe
    questions: tuple[dict, ...] = ()  # per question: id, kind, outcome
    status: str = ""  # what its _meta line says it has been used for since it was reported, if anything

    def to_json(self) -> dict:
        return asdict(self)


def _outcome(searcher: Searcher, item: AskItem, holds) -> dict:
    from search.answers.answer import answer
    from search.answers.answer_text import absent_sentence

    ans = answer(searcher, item.question)
    quoted = normalise(" ".join(s.text for s in ans.sentences))
    gold = any(quote_hits(quoted, normalise(g)) for g in item.gold)
    said_missing = ans.text if ans.declined else absent_sentence(ans.missing) if ans.missing else ""
    named = bool(ans.missing) and names_missing(said_missing, item.missing, holds)
    out = {"id": item.qid, "kind": item.kind, "answerable": item.answerable, "declined": ans.declined,
           "partial": ans.partial, "mode": ans.mode}
    if item.answerable:
        out["ok"] = not ans.declined and gold
    else:
        out["ok"] = ans.declined or (ans.partial and named)
        out["named"] = named
    return out


def score_preregistered(searcher: Searcher, items: Sequence[AskItem], meta: dict) -> PreregReport:
    holds = word_holder(searcher)
    rows = [_outcome(searcher, i, holds) for i in items]
    ans = [r for r in rows if r["answerable"]]
    una = [r for r in rows if not r["answerable"]]

    def share(xs, key) -> float:
        return sum(1 for x in xs if x[key]) / len(xs) if xs else 0.0

    kinds = dict.fromkeys(r["kind"] for r in rows)
    by_kind = {k: share([r for r in rows if r["kind"] == k], "ok") for k in kinds}
    in_part = [dict(r, in_part=r["partial"] and not r["declined"]) for r in ans]
    return PreregReport(str(meta.get("registered_in", "?")), str(meta.get("file", "")), len(ans), share(ans, "ok"),
                        share(in_part, "in_part"),
                        len(una), share(una, "ok"), share(una, "named"), by_kind, tuple(rows),
                        str(meta.get("status", "")))

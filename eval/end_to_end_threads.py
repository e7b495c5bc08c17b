"""Threads of the extraction set: the expected threads against `find_threads`, and the confirmed pairs.

    score = score_threads(set_dir, searcher, found)   # found: (file, kind, number) -> the record made

See eval/end_to_end.py for what is measured. Members of the shipped corpus are named by file and
number (a plan row's number, or the position of a report's recommendation, as in
eval/rec_pairs.jsonl); members of the set by file, kind and number. A report recommendation linked
to its plan row stands as that row (they are one recommendation in a thread).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Optional

from indexer.records import Recommendation

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from search.retrieval.searcher import Searcher


@dataclass
class ThreadScore:
    threads: int = 0
    whole: int = 0  # expected threads whose members all share one system thread
    member_recall: float = 0.0  # mean share of a thread's members in its best system thread
    pairs_predicted: int = 0  # system pairs among the set's records (and the corpus members)
    pairs_right: int = 0
    confirmed: list[tuple[str, str, bool]] = field(default_factory=list)  # (a, b, in one recurring thread)
    missing: list[str] = field(default_factory=list)  # members that were never found as records

    @property
    def pair_precision(self) -> Optional[float]:
        return self.pairs_right / self.pairs_predicted if self.pairs_predicted else None

    def to_json(self) -> dict:
        return {"threads": self.threads, "whole": self.whole, "member_recall": self.member_recall,
                "pair_precision": self.pair_precision, "pairs_predicted": self.pairs_predicted,
                "confirmed": [{"a": a, "b": b, "in_thread": ok} for a, b, ok in self.confirmed],
                "missing": self.missing}


def _load(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()] if path.exists() else []


def resolve_member(m: dict, found: dict, records: list[Recommendation], documents) -> Optional[Recommendation]:
    """The record a member of threads.jsonl or judgements.jsonl names."""
    if "corpus" in m:
        doc = next((d for d in documents if Path(d.path).name == m["corpus"]), None)
        if doc is None:
            return None
        rows = [r for r in records if r.doc_id == doc.doc_id]
        exact = [r for r in rows if r.kind == "plan_row" and r.number == m["number"]]
        exact = exact or [r for r in rows if r.kind == "report" and r.ordinal == m["number"]]
        return exact[0] if exact else None
    return found.get((m["file"], m["kind"], m["number"]))


def _name(m: dict) -> str:
    return f"{m['corpus']}#{m['number']}" if "corpus" in m else f"{Path(m['file']).name}#{m['kind']}{m['number']}"


def score_threads(set_dir: Path, searcher: Searcher, found: dict) -> ThreadScore:
    from search.records.judgements import JudgementStore
    from search.records.recurrence import find_threads
    from search.records.view import records_view

    view = records_view(searcher)
    records, documents = list(view.records), list(view.documents.values())
    by_id = view.by_id
    store = JudgementStore(searcher.index_dir)
    score = ThreadScore()
    judged = []
    for j in _load(set_dir / "judgements.jsonl"):
        a, b = (resolve_member(j[s], found, records, documents) for s in ("a", "b"))
        judged.append((_name(j["a"]), _name(j["b"]), a, b))
        if a is not None and b is not None and j.get("decision", "confirm") == "confirm":
            store.judge(a, b, "match", by=j.get("by", "eval"))

    def stands_for(r: Recommendation) -> str:
        return r.linked if r.kind == "report" and r.linked and r.linked in by_id else r.rec_id

    partition = find_threads(view, only_recurring=False)
    thread_of = {r.rec_id: t.thread_id for t in partition for r in t.instances}
    expected_of: dict[str, str] = {}
    recalls = []
    for line in _load(set_dir / "threads.jsonl"):
        members = []
        for m in line["members"]:
            r = resolve_member(m, found, records, documents)
            if r is None:
                score.missing.append(_name(m))
            else:
                members.append(stands_for(r))
                expected_of[stands_for(r)] = line["thread"]
        score.threads += 1
        groups = [thread_of.get(x) for x in members]
        best = max((groups.count(g) for g in set(groups) if g), default=0)
        total = len(line["members"])
        recalls.append(best / total if total else 0.0)
        score.whole += int(total > 0 and best == total)
    score.member_recall = sum(recalls) / len(recalls) if recalls else 0.0
    for t in partition:  # a pair with a labelled member is right when the labels put both in one thread
        ids = sorted({r.rec_id for r in t.instances})
        for x, y in combinations(ids, 2):
            if x in expected_of or y in expected_of:
                score.pairs_predicted += 1
                score.pairs_right += int(expected_of.get(x) == expected_of.get(y))
    recurring = find_threads(view)  # what `recurring` shows: min_years=2, and every confirmed pair
    shown = {r.rec_id: t.thread_id for t in recurring for r in t.instances}
    for na, nb, a, b in judged:
        ok = a is not None and b is not None and shown.get(stands_for(a)) is not None and \
            shown.get(stands_for(a)) == shown.get(stands_for(b))
        score.confirmed.append((na, nb, ok))
    return score

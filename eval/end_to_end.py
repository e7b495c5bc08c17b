"""The extraction set scored end to end: documents in, records, links, threads and answers out.

    result = score_set("eval/extraction", embedder=..., analyzer=...)   # builds its own index
    result.layouts["report-annex"].precision, result.overall.fields["status"]
    python -m eval.end_to_end [DIR] [--json]                           # the same, printed

A labelled set (eval/extraction/README.md has the schema: documents.jsonl, expected.jsonl,
threads.jsonl, judgements.jsonl, queries.jsonl) is indexed beside the shipped corpus in a fresh
index, the way a person would add the files, and scored:

- **Records**, per layout: an expected record is found when a record of the same kind in the same
  file says the same words (whitespace and case aside; at least MATCH of the words in order);
  precision = found / records the system made from those files, recall = found / expected. The
  second file of a document (`same_as`) should give no records: any it gives count against precision.
- **Fields**, over the records found: number, addressee (compared ignoring case, a leading "The" and
  "should:"), text (whitespace collapsed), status (plan rows, on the three-way scale the plan's own
  vocabulary maps onto: indexer/extract/status.py; the term in its own vocabulary is scored too),
  date (the record's date is its document's), pages (PDF records: every page it is printed on).
- **Links**: a record found is linked right when it is linked to the record found for its expected
  other half, or to nothing when it has none.
- **Threads**: the set's judgements are recorded first (the confirmed repeats an inspector would
  make); then, in the threads of `find_threads(only_recurring=False)` (a report recommendation
  linked to its plan row stands as that row), an expected thread is whole when all its members
  share one thread; member recall is the share of a thread's members in its best system thread;
  pair precision is the share of system pairs among the set's records that the labels put in one
  thread. Each confirmed pair is checked in `recurring`'s own view (`find_threads`, min_years=2).
- **Retrieval**: the set's questions, hybrid nDCG@10 on this index, against the same kinds of
  question of eval/queries.jsonl on an index of the shipped corpus alone, weighted to the set's mix
  of kinds (each kind's corpus mean weighted by the number of the set's questions of that kind: the
  corpus's own mix would compare facts with paraphrases).
- **Documents**: type, date, and the second file of a document recognised as such.
"""
from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from eval.end_to_end_threads import ThreadScore, score_threads
from indexer.extract.status import exact_term, scale_of
from indexer.records import Document, Recommendation

if TYPE_CHECKING:
    from search.retrieval.searcher import Searcher

DEFAULT_SET = Path(__file__).resolve().parent / "extraction"
CORPUS = Path(__file__).resolve().parent.parent / "corpus"
MATCH = 0.8  # share of words in order (difflib ratio over words) for a record to be the one expected
FIELDS = ("number", "addressee", "text", "status", "term", "date", "pages")


@dataclass
class Tally:
    """Counts for one group of files (a layout, or all)."""

    expected: int = 0
    made: int = 0
    found: int = 0
    fields: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0] for f in FIELDS})  # [right, asked]
    links: list[int] = field(default_factory=lambda: [0, 0])

    @property
    def precision(self) -> Optional[float]:
        return self.found / self.made if self.made else None

    @property
    def recall(self) -> Optional[float]:
        return self.found / self.expected if self.expected else None

    def accuracy(self, name: str) -> Optional[float]:
        right, asked = self.fields[name]
        return right / asked if asked else None

    @property
    def link_accuracy(self) -> Optional[float]:
        return self.links[0] / self.links[1] if self.links[1] else None

    def add(self, other: "Tally") -> None:
        self.expected += other.expected
        self.made += other.made
        self.found += other.found
        for f in FIELDS:
            self.fields[f] = [a + b for a, b in zip(self.fields[f], other.fields[f])]
        self.links = [a + b for a, b in zip(self.links, other.links)]

    def to_json(self) -> dict:
        return {"expected": self.expected, "made": self.made, "found": self.found, "precision": self.precision,
                "recall": self.recall, "links": self.link_accuracy, "links_n": self.links[1],
                **{f: self.accuracy(f) for f in FIELDS}}


@dataclass
class DocumentCheck:
    file: str
    layout: str
    doc_type: tuple[str, str]  # (expected, got)
    date: tuple[Optional[str], Optional[str]]
    same_as: tuple[Optional[str], Optional[str]]  # expected file it is another file of, and what the index says

    @property
    def right(self) -> dict[str, bool]:
        return {"doc_type": self.doc_type[0] == self.doc_type[1], "date": self.date[0] == self.date[1],
                "same_as": self.same_as[0] == self.same_as[1]}


@dataclass
class ExtractionResult:
    set_dir: str
    layouts: dict[str, Tally]
    overall: Tally
    documents: list[DocumentCheck]
    threads: ThreadScore
    retrieval: dict[str, dict]  # "set" / "corpus": {"overall": nDCG, "by_kind": {...}, "queries": n}
    warnings: list[str]

    def to_json(self) -> dict:
        return {"set": self.set_dir, "overall": self.overall.to_json(),
                "layouts": {k: v.to_json() for k, v in self.layouts.items()},
                "documents": [{"file": d.file, "layout": d.layout, **{k: list(v) for k, v in
                                                                      (("doc_type", d.doc_type), ("date", d.date),
                                                                       ("same_as", d.same_as))}}
                              for d in self.documents],
                "threads": self.threads.to_json(), "retrieval": self.retrieval, "warnings": self.warnings}


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def words(text: Optional[str]) -> list[str]:
    return re.findall(r"[a-z0-9]+", (text or "").lower())


def same_words(a: Optional[str], b: Optional[str]) -> float:
    return SequenceMatcher(None, words(a), words(b), autojunk=False).ratio() if (a or b) else 1.0


def addressee_form(text: Optional[str]) -> str:
    t = " ".join(words(text))
    t = re.sub(r"\s*should$", "", t)
    return re.sub(r"^the\s+", "", t)


def doc_of(file: str, documents: list[Document]) -> Optional[Document]:
    """The indexed document of a set's file (its path ends with it)."""
    name = Path(file).name
    return next((d for d in documents if Path(d.path).name == name), None)


def match_records(expected: list[dict], made: list[Recommendation]) -> dict[int, Recommendation]:
    """Expected record index -> the record made for it (same kind, best words first, one to one)."""
    pairs = sorted(((same_words(e["text"], r.text), i, j) for i, e in enumerate(expected)
                    for j, r in enumerate(made) if e["kind"] == r.kind), key=lambda x: (-x[0], x[1], x[2]))
    used_e: set[int] = set()
    used_m: set[int] = set()
    out = {}
    for ratio, i, j in pairs:
        if ratio < MATCH or i in used_e or j in used_m:
            continue
        used_e.add(i)
        used_m.add(j)
        out[i] = made[j]
    return out


def _fields(tally: Tally, e: dict, r: Recommendation) -> None:
    checks = {"number": r.number == e["number"],
              "addressee": addressee_form(r.addressee) == addressee_form(e["addressee"]),
              "text": " ".join((r.text or "").split()) == " ".join((e["text"] or "").split()),
              "date": r.date == e["date"]}
    if e["kind"] == "plan_row":
        checks["status"] = r.status == scale_of(e["status"]) if e["status"] else r.status is None
        checks["term"] = exact_term(r.status_printed or "") == e["status"]
    if e.get("pages"):
        checks["pages"] = list(r.pages) == list(e["pages"])
    for name, ok in checks.items():
        tally.fields[name][0] += int(ok)
        tally.fields[name][1] += 1


def score_records(set_dir: Path, documents: list[Document], records: list[Recommendation]
                  ) -> tuple[dict[str, Tally], Tally, dict[tuple[str, str, int], Recommendation]]:
    """Records, fields and links per layout; and the record found for each expected (file, kind, number)."""
    docs_meta = load_jsonl(set_dir / "documents.jsonl")
    expected = load_jsonl(set_dir / "expected.jsonl")
    by_file: dict[str, list[dict]] = {}
    for e in expected:
        by_file.setdefault(e["file"], []).append(e)
    found: dict[tuple[str, str, int], Recommendation] = {}
    layouts: dict[str, Tally] = {}
    for meta in docs_meta:
        doc = doc_of(meta["file"], documents)
        made = [r for r in records if doc is not None and r.doc_id == doc.doc_id]
        exp = by_file.get(meta["file"], [])
        t = layouts.setdefault(meta["layout"], Tally())
        t.expected += len(exp)
        t.made += len(made)
        for i, r in match_records(exp, made).items():
            t.found += 1
            found[(exp[i]["file"], exp[i]["kind"], exp[i]["number"])] = r
            _fields(t, exp[i], r)
    for e in expected:  # links, once every record is matched
        made_for = found.get((e["file"], e["kind"], e["number"]))
        if made_for is None:
            continue
        meta_layout = next(m["layout"] for m in docs_meta if m["file"] == e["file"])
        other = found.get((e["link"]["file"], "plan_row" if e["kind"] == "report" else "report", e["link"]["number"])
                          ) if e["link"] else None
        if e["link"] is None:
            right = made_for.linked is None
        else:
            right = other is not None and made_for.linked == other.rec_id
        layouts[meta_layout].links[0] += int(right)
        layouts[meta_layout].links[1] += 1
    overall = Tally()
    for t in layouts.values():
        overall.add(t)
    return layouts, overall, found


def check_documents(set_dir: Path, documents: list[Document]) -> list[DocumentCheck]:
    out = []
    ids = {d.doc_id: d for d in documents}
    for meta in load_jsonl(set_dir / "documents.jsonl"):
        doc = doc_of(meta["file"], documents)
        twin = ids.get(doc.same_as) if doc is not None and doc.same_as else None
        out.append(DocumentCheck(
            meta["file"], meta["layout"], (meta["doc_type"], doc.doc_type if doc else "(not indexed)"),
            (meta["date"], doc.date if doc else None),
            (meta.get("same_as"), f"docs/{Path(twin.path).name}" if twin is not None else None)))
    return out


def score_set(set_dir: str | Path = DEFAULT_SET, *, embedder=None, analyzer=None, k: int = 10,
              corpus_searcher: Optional[Searcher] = None, work_dir: Optional[str | Path] = None) -> ExtractionResult:
    """Index the shipped corpus and the set's documents in a fresh index, and score it (module docstring)."""
    from indexer.build import build_index
    from search.retrieval.searcher import Searcher

    set_dir = Path(set_dir)
    with tempfile.TemporaryDirectory(prefix="extraction-eval-", dir=work_dir) as tmp:
        index = Path(tmp) / "index"
        report = build_index([CORPUS, set_dir / "docs"], index, embedder=embedder, analyzer=analyzer)
        searcher = Searcher(index, embedder=embedder, analyzer=analyzer)
        data = searcher.data
        layouts, overall, found = score_records(set_dir, data.documents, data.recommendations)
        threads = score_threads(set_dir, searcher, found)
        retrieval = _retrieval(set_dir, searcher, corpus_searcher, embedder, analyzer, k, Path(tmp))
        return ExtractionResult(str(set_dir), layouts, overall, check_documents(set_dir, data.documents), threads,
                                retrieval, report.warnings + [f"{p}: {why}" for p, why in report.skipped])


def _retrieval(set_dir: Path, searcher: Searcher, corpus_searcher: Optional[Searcher], embedder, analyzer, k: int,
               tmp: Path) -> dict[str, dict]:
    """nDCG@k of the set's questions here, and of eval/queries.jsonl's questions of the same kinds on the corpus."""
    from eval.metrics import load_queries
    from eval.run import DEFAULT_QUERIES, evaluate

    mine = load_queries(set_dir / "queries.jsonl")
    kinds = {q.kind for q in mine}
    if corpus_searcher is None:
        from indexer.build import build_index
        from search.retrieval.searcher import Searcher

        build_index([CORPUS], tmp / "corpus-index", embedder=embedder, analyzer=analyzer)
        corpus_searcher = Searcher(tmp / "corpus-index", embedder=embedder, analyzer=analyzer)
    theirs = [q for q in load_queries(DEFAULT_QUERIES) if q.kind in kinds]
    out: dict[str, dict[str, Any]] = {}
    for name, s, qs in (("set", searcher, mine), ("corpus", corpus_searcher, theirs)):
        r = evaluate(s, qs, k=k, modes=("hybrid",), extras=False).modes["hybrid"]
        out[name] = {"ndcg": r.overall.ndcg, "queries": r.overall.queries,
                     "by_kind": {kind: v.ndcg for kind, v in r.by_kind.items()},
                     "queries_by_kind": {kind: v.queries for kind, v in r.by_kind.items()},
                     "by_file": _by_file(set_dir, r) if name == "set" else {}}
    # the corpus's figure for the set's mix of kinds: each kind's mean weighted by how many of the set's are of it
    n = out["set"]["queries_by_kind"]
    both = [kind for kind in n if out["corpus"]["by_kind"].get(kind) is not None]
    out["corpus"]["ndcg_same_mix"] = (sum(n[kind] * out["corpus"]["by_kind"][kind] for kind in both)
                                      / sum(n[kind] for kind in both)) if both else None
    return out


def _by_file(set_dir: Path, result) -> dict[str, float]:
    files = {q["id"]: q.get("file", "") for q in load_jsonl(set_dir / "queries.jsonl")}
    groups: dict[str, list[float]] = {}
    for q in result.queries:
        groups.setdefault(files.get(q.query.qid, ""), []).append(q.score.ndcg)
    return {f: sum(v) / len(v) for f, v in groups.items()}


def main(argv: Optional[list[str]] = None) -> int:
    import argparse

    from eval.end_to_end_report import extraction_lines
    from indexer.embedding.embedder import default_embedder
    from indexer.embedding.model import offline

    p = argparse.ArgumentParser(prog="python -m eval.end_to_end", description=__doc__.split("\n")[0])
    p.add_argument("set_dir", nargs="?", default=str(DEFAULT_SET), help="the labelled set (default eval/extraction)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    offline()
    result = score_set(args.set_dir, embedder=default_embedder())
    print(json.dumps(result.to_json(), indent=1) if args.json else "\n".join(extraction_lines(result)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

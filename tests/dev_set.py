"""The development set on disk: tests/layouts.py printed into FOLDER/docs/ with labels in the schema of
eval/extraction/ (documents.jsonl, expected.jsonl, threads.jsonl, judgements.jsonl, queries.jsonl), so
`eval.end_to_end.score_set(FOLDER, ...)` scores it as it scores the held-out set.

    python tests/dev_set.py /tmp/dev-set      # write it (then: inspection-search eval --extraction /tmp/dev-set)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from layout_printers import print_plan, print_report
from layouts import JUDGEMENTS, PLANS, QUERIES, REPORTS, THREADS, Plan, Report, ordinal_of, plan_rows, report_recs

from indexer.extract.status import parse_status_cell


def _addressee(heading: str) -> str:
    return heading[: -len(" should:")] if heading.endswith(" should:") else heading


def _files(report_by_key, plan_by_key) -> dict[str, str]:
    out = {r.key: f"docs/{r.file}" for r in REPORTS}
    out.update({p.key: f"docs/{p.file}" for p in PLANS})
    return out


def _report_lines(r: Report, pages: dict, files: dict, plans: dict) -> list[dict]:
    plan = plans.get(r.plan)
    out = []
    for n, (heading, rec) in enumerate(report_recs(r), start=1):
        link = None
        if plan is not None and rec.link is not None:
            link = {"file": files[plan.key], "number": ordinal_of([row for _, row in plan_rows(plan)], rec.link)}
        out.append({"file": files[r.key], "kind": "report", "number": n, "printed_number": rec.printed,
                    "addressee": _addressee(heading), "scope": None, "text": rec.text, "status": None,
                    "status_printed": None, "note": None, "date": r.date, "pages": pages.get(n, []),
                    "link": link, "thread": rec.thread})
    return out


def _plan_lines(p: Plan, pages: dict, files: dict, reports: dict) -> list[dict]:
    report = reports.get(p.answers)
    out = []
    for n, (heading, row) in enumerate(plan_rows(p), start=1):
        link = None
        if report is not None:
            recs = [rec for _, rec in report_recs(report)]
            k = next((i for i, rec in enumerate(recs, 1) if rec.link == row.printed), None)
            link = {"file": files[report.key], "number": k} if k else None
        status = parse_status_cell(row.status)
        out.append({"file": files[p.key], "kind": "plan_row", "number": n, "printed_number": row.printed,
                    "addressee": _addressee(heading), "scope": row.scope, "text": row.text,
                    "status": status.term if status else None, "status_printed": row.status, "note": row.note,
                    "response": [x for a in row.actions for x in a.response],
                    "owners": [x for a in row.actions for x in a.owners],
                    "target_dates": [x for a in row.actions for x in a.targets],
                    "date": p.date, "pages": pages.get(n, []), "link": link, "thread": row.thread})
    return out


def _side(side, files) -> dict:
    if len(side) == 2:
        return {"corpus": side[0], "number": side[1]}
    key, kind, printed = side
    doc = next((d for d in REPORTS + PLANS if d.key == key))
    items = [x for _, x in (report_recs(doc) if isinstance(doc, Report) else plan_rows(doc))]
    return {"file": files[key], "kind": kind, "number": ordinal_of(items, printed)}


def write_set(folder: Path) -> Path:
    folder = Path(folder)
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    reports = {r.key: r for r in REPORTS}
    plans = {p.key: p for p in PLANS}
    files = _files(reports, plans)
    documents, expected = [], []
    for r in REPORTS:
        data, pages = print_report(r)
        (folder / files[r.key]).write_bytes(data)
        lines = _report_lines(r, pages, files, plans)
        expected += lines
        documents.append({"file": files[r.key], "layout": r.layout, "format": r.file.rsplit(".", 1)[1],
                          "title": r.title, "doc_type": "inspection_report", "date": r.date, "same_as": None,
                          "records": len(lines)})
    for p in PLANS:
        for k, fmt in enumerate(p.formats):
            name = files[p.key] if k == 0 else files[p.key].rsplit(".", 1)[0] + "." + fmt
            data, pages = print_plan(p, fmt)
            (folder / name).write_bytes(data)
            lines = _plan_lines(p, pages, files, reports) if k == 0 else []
            expected += lines
            documents.append({"file": name, "layout": p.layout, "format": fmt, "title": p.title,
                              "doc_type": "action_plan", "date": p.date, "same_as": files[p.key] if k else None,
                              "report_date": p.report_date, "records": len(lines)})
    threads = {}
    for line in expected:
        if line["thread"]:
            threads.setdefault(line["thread"], []).append({"file": line["file"], "kind": line["kind"],
                                                           "number": line["number"]})
    for t, corpus in THREADS.items():
        threads.setdefault(t, [])[:0] = [{"corpus": f, "number": n} for f, n in corpus]
    judgements = [{"a": _side(a, files), "b": _side(b, files), "decision": "confirm", "by": "tests/layouts.py"}
                  for a, b in JUDGEMENTS]
    queries = [dict(q, file=files[q["file"]]) for q in QUERIES]
    for name, rows in (("documents", documents), ("expected", expected), ("judgements", judgements),
                       ("queries", queries), ("threads", [{"thread": t, "members": m} for t, m in threads.items()])):
        (folder / f"{name}.jsonl").write_text("".join(json.dumps(x) + "\n" for x in rows), encoding="utf-8")
    return folder


if __name__ == "__main__":
    print(write_set(Path(sys.argv[1])))

"""The label files, written from the same data as the documents: documents.jsonl (one line per file),
expected.jsonl (one line per record) and threads.jsonl (one line per thread). README.md describes
their fields. Pages of PDF records are the pages the printer put them on."""
from __future__ import annotations

from .content import Content, Plan, Rec, Report, Row

Pages = dict[str, dict[int, list[int]]]  # document key -> {record ordinal: pages}
Ref = tuple[str, int]  # (document key, record ordinal)

STATUS = {"agreed": "Agreed", "partly agreed": "Partly Agreed", "not agreed": "Not Agreed",
          "accepted": "Accepted", "partly accepted": "Partly accepted", "not accepted": "Not accepted",
          "rejected": "Rejected"}


def norm_status(printed: str) -> str:
    """A printed status normalised for case and spacing, kept in the plan's own vocabulary."""
    return STATUS[" ".join(printed.lower().split())]


def addressee(heading: str) -> str:
    """The addressee as the heading names it, without "should:"."""
    h = heading.strip()
    assert h.endswith(" should:"), h
    return h[: -len(" should:")]


def recs(report: Report) -> list[tuple[str, Rec]]:
    """A report's recommendations in order, each with the heading it sits under."""
    return [(g.heading, rec) for g in report.groups for rec in g.recs]


def rows(plan: Plan) -> list[tuple[str, Row]]:
    """A plan's rows in order, each with the heading it sits under."""
    return [(heading, row) for heading, group_rows in plan.groups for row in group_rows]


def ordinals(items: list[tuple[str, Rec | Row]]) -> dict[str, int]:
    """Printed number -> 1-based position."""
    return {item.printed: n for n, (_, item) in enumerate(items, 1)}


def sections(report: Report) -> list[str]:
    """The heading each statement of the recommendations sits under (the last chapter heading)."""
    out, h1, h2 = [], None, None
    for b in report.blocks:
        if b.kind == "h1":
            h1, h2 = b.value, None
        elif b.kind == "h2":
            h2 = b.value
        elif b.kind == "recs":
            out.append(h1 or h2)
    return out


class Labels:
    def __init__(self, content: Content, report_pages: Pages, plan_pages: Pages):
        self.content = content
        self.report_pages, self.plan_pages = report_pages, plan_pages
        self.file_of = ({r.key: f"docs/{r.file}" for r in content.reports}
                        | {p.key: f"docs/{p.file}" for p in content.plans})
        self.answered_by: dict[Ref, Ref] = {}  # report recommendation -> the plan row answering it
        self.answers: dict[Ref, Ref] = {}  # plan row -> the report recommendation it answers
        plans = {p.key: p for p in content.plans}
        for r in content.reports:
            if r.plan:
                self._link(r, plans[r.plan])

    def _link(self, report: Report, plan: Plan) -> None:
        row_n, rec_n = ordinals(rows(plan)), ordinals(recs(report))
        for _, rec in recs(report):
            if rec.link is None:
                continue
            a, b = (report.key, rec_n[rec.printed]), (plan.key, row_n[rec.link])
            assert b not in self.answers, f"plan row answered twice: {b}"
            self.answered_by[a], self.answers[b] = b, a

    def _ref(self, ref: Ref | None) -> dict | None:
        return {"file": self.file_of[ref[0]], "number": ref[1]} if ref else None

    def expected(self) -> list[dict]:
        out: list[dict] = []
        for r in self.content.reports:
            out += self._report_records(r)
        threads = {(x["file"], x["number"]): x["thread"] for x in out}
        for pl in self.content.plans:
            records = self._plan_records(pl)
            for x in records:
                if x["link"] is not None:
                    assert threads[x["link"]["file"], x["link"]["number"]] == x["thread"], \
                        f"{pl.key} row {x['printed_number']}: thread is not its report's"
            self._check_totals(pl, records)
            out += records
        return out

    def _report_records(self, r: Report) -> list[dict]:
        out = []
        for n, (heading, rec) in enumerate(recs(r), 1):
            out.append({
                "file": self.file_of[r.key], "kind": "report", "number": n, "printed_number": rec.printed,
                "addressee": addressee(heading), "scope": None, "text": rec.text, "status": None,
                "status_printed": None, "note": None, "date": r.date,
                "pages": self.report_pages.get(r.key, {}).get(n, []), "sections": sections(r),
                "link": self._ref(self.answered_by.get((r.key, n))), "thread": rec.thread})
        return out

    def _plan_records(self, pl: Plan) -> list[dict]:
        out = []
        for n, (heading, row) in enumerate(rows(pl), 1):
            out.append({
                "file": self.file_of[pl.key], "kind": "plan_row", "number": n, "printed_number": row.printed,
                "addressee": addressee(heading), "scope": row.scope.strip("()") if row.scope else None,
                "text": row.text, "status": norm_status(row.status), "status_printed": row.status,
                "note": row.note, "response": [para for a in row.actions for para in a.response],
                "owners": [o for a in row.actions for o in a.owners],
                "target_dates": [t for a in row.actions for t in a.targets],
                "date": pl.date, "pages": self.plan_pages.get(pl.key, {}).get(n, []),
                "link": self._ref(self.answers.get((pl.key, n))), "thread": row.thread})
        return out

    @staticmethod
    def _check_totals(pl: Plan, records: list[dict]) -> None:
        """A plan's stated totals equal its rows by status."""
        if not pl.totals:
            return
        counts: dict[str, int] = {}
        for x in records:
            counts[x["status"]] = counts.get(x["status"], 0) + 1
        stated = {norm_status(k): v for k, v in pl.totals if k != "Total"}
        assert {k: v for k, v in stated.items() if v} == counts, f"{pl.key}: totals {stated} != rows {counts}"
        assert dict(pl.totals)["Total"] == len(records)

    def documents(self) -> list[dict]:
        out = []
        for r in self.content.reports:
            out.append({
                "file": self.file_of[r.key], "layout": r.layout, "format": r.fmt, "title": r.title,
                "doc_type": "inspection_report", "date": r.date, "same_as": None, "answers": None,
                "report_date": None, "answered_by": self.file_of[r.plan] if r.plan else None,
                "stated_totals": None, "records": len(recs(r))})
        for pl in self.content.plans:
            stem = pl.file.rsplit(".", 1)[0]
            for k, fmt in enumerate(pl.formats):
                out.append({
                    "file": f"docs/{stem}.{fmt}", "layout": pl.layout, "format": fmt, "title": pl.title,
                    "doc_type": "action_plan", "date": pl.date, "same_as": None if k == 0 else self.file_of[pl.key],
                    "answers": self.file_of[pl.answers] if pl.answers else None, "report_date": pl.report_date,
                    "answered_by": None, "stated_totals": dict(pl.totals) if pl.totals else None,
                    "records": len(rows(pl)) if k == 0 else 0})
        return out

    def threads(self, expected: list[dict]) -> list[dict]:
        out = []
        for label, (what, corpus) in self.content.threads.items():
            members = [{"corpus": m["corpus"], "number": m["number"]} for m in corpus]
            members += [{"file": x["file"], "kind": x["kind"], "number": x["number"]}
                        for x in expected if x["thread"] == label]
            out.append({"thread": label, "what": what, "members": members})
        used = {x["thread"] for x in expected if x["thread"]}
        assert used <= set(self.content.threads), used - set(self.content.threads)
        return out

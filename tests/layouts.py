"""Development documents for issue 20's layouts, and their labels (the schema of eval/extraction/).

Written for the tests, fictional (Lowmoor, Kingsbridge, Millbrook and Hartfield PDUs), and never
taken from eval/extraction/, which is held out: the rules are developed on these. Each report and
plan is data here; tests/layout_printers.py prints it as PDF, Word, OpenDocument or a saved web
page, and `write_set` writes the files with documents.jsonl, expected.jsonl, threads.jsonl,
judgements.jsonl and queries.jsonl beside them, so `eval.end_to_end` scores this set the way it
scores the labelled one.

- lowmoor-pdu-inspection.pdf (pdf-chapters-after): cover dated only "September 2025"; contents page
  with dot leaders; running header and "Page n of N"; recommendations under bold addressee lines, one
  across a page break; numbered chapters in 16 pt bold after them, a numbered list and a ruled table.
- lowmoor-pdu_action-plan.pdf (pdf-plan-merged): table PDF in the Accepted vocabulary after a Term /
  Definition table: merged number/recommendation/status cells over several actions, a row continued
  over a page break under the repeated header, status-plus-note cells, stated totals.
- case-administration-thematic.pdf (pdf-annex): recommendations in the summary and again in
  "Annex 1: Recommendations".
- 2025-04_action-plan_case-administration.docx / .pdf (plan-two-formats): one plan as Word (gridSpan,
  vMerge, status and note as two paragraphs) and printed to PDF.
- hartfield-pdu-inspection.docx (docx-multilevel): Word multilevel numbering "1." (addressees) and
  "1.1" (recommendations); a table of contents; Heading 1 chapters after.
- hartfield-pdu_action-plan.odt (odt-plan): rows numbered 1.1 ... 2.2, spanned addressee rows, rows
  spanning two actions, lower-case statuses, a status with a note.
- transitions-review.odt (odt-lettered): "a)" lists continuing over two lists, outline headings after.
- 2025-10_action-plan_transitions-review.docx (docx-plan-accepted): "Rec", "Action", "Lead", "Timescale"
  headers; numbers a-e; ACCEPTED, Rejected with a note, Not Accepted; totals.
- kingsbridge-pdu-inspection.html (html-table): recommendations in a table with addressee rows; date
  only in the page's meta; fieldwork month in the text.
- 2026-02_action-plan_kingsbridge-millbrook.pdf (pdf-plan-two-units): one plan for two PDUs, identical
  wording for both, region rows scoped "(for ... PDU)".
- fenwick-pdu-inspection.pdf (pdf-parenthesised): "(1)" ... "(4)" markers, lower case, no full stops;
  bare page numbers; no plan.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

HMPPS = "HM Prison and Probation Service should:"
MOJ = "The Ministry of Justice should:"


@dataclass
class Rec:
    printed: str  # as printed, without punctuation: "3", "1.1", "b"
    text: str
    link: Optional[str] = None  # the printed number of the plan row answering it
    thread: Optional[str] = None


@dataclass
class Action:
    response: list[str]
    owners: list[str]
    targets: list[str]


@dataclass
class Row:
    printed: str
    text: str
    status: str  # as printed
    actions: list[Action]
    note: Optional[str] = None  # printed after the status in the same cell
    scope: Optional[str] = None  # "for Millbrook PDU"
    thread: Optional[str] = None


@dataclass
class Report:
    key: str
    file: str
    layout: str
    title: str
    date: str  # as labelled: "2025-09"
    groups: list[tuple[str, list[Rec]]]
    blocks: list[tuple[str, object]]  # ("cover", [lines]), ("contents", [..]), ("h1", text), ("h2", text), ("p", text),
    # ("recs", heading), ("list", [texts]), ("table", [[cells]]), ("break", None)
    numbering: str = "decimal"  # decimal "3." | paren "(3)" | multilevel "1.1" | letter "a)" | table
    plan: Optional[str] = None
    running_header: Optional[str] = None
    footer: str = "Page {n} of {nb}"
    created: Optional[str] = None  # the file's creation date property
    meta_date: Optional[str] = None  # a web page's <meta name="date">


@dataclass
class Plan:
    key: str
    file: str
    formats: tuple[str, ...]
    layout: str
    title: str
    date: str
    report_date: str
    answers: Optional[str]
    title_lines: list[str]
    header: tuple[str, ...]
    groups: list[tuple[str, list[Row]]]
    totals: Optional[dict[str, int]] = None
    created: Optional[str] = None
    categories: Optional[list[tuple[str, str]]] = None  # a Term / Definition table before the plan


ACCEPTED_CATEGORIES = [
    ("Accepted", "The recommendation is accepted in full and the actions below will deliver it."),
    ("Partly accepted", "Part of the recommendation is accepted; the note says which part and why."),
    ("Not accepted", "The recommendation is not accepted; the note gives the reasons."),
]
AGREED_HEADER = ("Rec No", "Recommendation", "Agreed/ Partly Agreed/ Not Agreed", "Response", "Responsible Owner",
                 "Target Date")
ACCEPTED_HEADER = ("Rec No", "Recommendation", "Accepted / Partly accepted / Not accepted", "Action", "Owner",
                   "Target date")
_SENTENCES = ("Inspectors read the case records and interviewed practitioners and their managers.",
              "They spoke to people on probation about the help they had received.",
              "Managers described the pressures of vacancies and sickness.",
              "Partnership work with the police and children's services was generally sound.",
              "Staff said that training had improved since the last inspection.",
              "Records were not always updated when circumstances changed.",
              "The quality of supervision varied between teams.")


class _Prose:
    """Filler paragraphs that never repeat a line: each call starts further along the sentences."""

    def __init__(self) -> None:
        self.n = 0

    def __mul__(self, k: int) -> str:
        out = []
        for _ in range(k * 2):
            self.n += 1
            out.append(_SENTENCES[self.n % len(_SENTENCES)] + f" ({self.n})")
        return " " + " ".join(out)

    def __radd__(self, other: str) -> str:
        return other + self * 1


PROSE = _Prose()


def _plan_lines(submitted: str, report: str, published: str) -> list[str]:
    return ["ACTION PLAN", f"Action Plan Submitted: {submitted}", "A Response to the HMI Probation Inspection:",
            report, f"Report Published: {published}"]


LOWMOOR_RECS = [
    (("The Lowmoor PDU should:"), [
        Rec("1", "make sure that every case has a risk management plan that is reviewed when circumstances change",
            "1"),
        Rec("2", "reduce the caseloads of probation officers so that they are in line with the workload measurement "
                 "tool and give practitioners protected time to complete their training", "2", "wmt-caseloads"),
        Rec("3", "improve the quality of home visits to people on probation who present a risk to children", "3")]),
    (HMPPS, [
        Rec("4", "review the workload of senior probation officers so that they have enough time to supervise and "
                 "develop practitioners, and measure that workload", "4", "spo-time"),
        Rec("5", "expedite the vetting of new staff so that they can start work within twelve weeks of an offer",
            "5", "vetting"),
        Rec("6", "provide interpreters for people on probation whose first language is not English", "6")]),
]

LOWMOOR = Report(
    "lowmoor", "lowmoor-pdu-inspection.pdf", "pdf-chapters-after",
    "An inspection of probation services in Lowmoor PDU", "2025-09", LOWMOOR_RECS,
    [("cover", ["HM Inspectorate of Probation", "An inspection of probation services in Lowmoor PDU",
                "September 2025"]),
     ("contents", ["Foreword", "Recommendations", "1. Leadership", "2. Staffing and workloads", "3. Services",
                   "4. Outcomes"]),
     ("h1", "Foreword"),
     ("p", "Lowmoor PDU supervises around 1,900 people on probation from two offices on the coast. " + PROSE * 3),
     ("p", "We found a committed workforce under pressure from caseloads well above the level the workload "
           "measurement tool allows. " + PROSE * 9),
     ("h1", "Recommendations"),
     ("p", "As a result of our inspection findings, we have made six recommendations that we believe, if "
           "implemented, will have a positive impact on the quality of probation services."),
     ("recs", "Recommendations"),
     ("h1", "1. Leadership"), ("p", "The head of service had set a clear direction for the PDU. " + PROSE * 4),
     ("h1", "2. Staffing and workloads"), ("h2", "2.1 Caseloads"),
     ("p", "Probation officers held an average of 54 cases each, against 38 in the workload measurement tool. "
           + PROSE * 2),
     ("list", ["the PDU had eleven vacant probation officer posts", "two senior probation officers were on long-term "
               "sick leave", "agency staff covered a third of the court work"]),
     ("h1", "3. Services"),
     ("table", [["Service", "Referrals", "Started"], ["Accommodation", "214", "160"], ["Employment", "188", "97"]]),
     ("p", "Commissioned rehabilitative services were well used, but waiting times for accommodation support were "
           "long. " + PROSE * 3),
     ("h1", "4. Outcomes"), ("p", "Proven reoffending in the PDU fell from 31 per cent to 27 per cent. " + PROSE * 2)],
    plan="lowmoor-plan", running_header="HM Inspectorate of Probation | An inspection of probation services in "
                                        "Lowmoor PDU")

LOWMOOR_PLAN = Plan(
    "lowmoor-plan", "lowmoor-pdu_action-plan.pdf", ("pdf",), "pdf-plan-merged",
    "Action plan: An inspection of probation services in Lowmoor PDU", "2025-11-14", "2025-09-23", "lowmoor",
    _plan_lines("14 November 2025", "An inspection of probation services in Lowmoor PDU", "23 September 2025"),
    ACCEPTED_HEADER,
    [("The Lowmoor PDU should:", [
        Row("1", LOWMOOR_RECS[0][1][0].text[0].upper() + LOWMOOR_RECS[0][1][0].text[1:] + ".", "Accepted",
            [Action(["Every case will have its risk management plan reviewed at each change of circumstances, and "
                     "senior probation officers will audit ten cases a month."],
                    ["Head of Lowmoor PDU"], ["March 2026"])]),
        Row("2", LOWMOOR_RECS[0][1][1].text[0].upper() + LOWMOOR_RECS[0][1][1].text[1:] + ".", "Partly accepted",
            [Action(["Caseloads will be brought within the tool's range as the eleven vacancies are filled. "
                     "The PDU will allocate new cases by the tool from January 2026. " * 3],
                    ["Head of Lowmoor PDU"], ["June 2026"]),
             Action(["Protected learning time of half a day a month will be given to every practitioner."],
                    ["Learning and Development Lead"], ["January 2026"])],
            note="Protected time depends on the vacancies being filled", thread="wmt-caseloads"),
        Row("3", LOWMOOR_RECS[0][1][2].text[0].upper() + LOWMOOR_RECS[0][1][2].text[1:] + ".", "ACCEPTED",
            [Action(["Home visits will be planned with the children's services team and recorded."],
                    ["Senior Probation Officers, Lowmoor PDU"], ["February 2026"])])]),
     (HMPPS, [
         Row("4", LOWMOOR_RECS[1][1][0].text[0].upper() + LOWMOOR_RECS[1][1][0].text[1:] + ".", "Accepted",
             [Action(["A national review of the senior probation officer role will report on workload and span of "
                      "control. " * 9], ["Deputy Director, Probation Workforce"], ["September 2026"]),
              Action(["The review's findings will be tested in three regions, Lowmoor among them. " * 8],
                     ["Regional Probation Director"], ["December 2026"]),
              Action(["A measure of senior probation officer workload will be added to the workload measurement "
                      "tool."], ["Head of Workload Measurement"], ["March 2027"])], thread="spo-time"),
         Row("5", LOWMOOR_RECS[1][1][1].text[0].upper() + LOWMOOR_RECS[1][1][1].text[1:] + ".",
             "Partly Accepted", [Action(["Vetting checks will be started before an offer is made where the "
                                         "candidate agrees."], ["Head of Vetting"], ["April 2026"])],
             note="A twelve week target cannot be guaranteed for every post", thread="vetting"),
         Row("6", LOWMOOR_RECS[1][1][2].text[0].upper() + LOWMOOR_RECS[1][1][2].text[1:] + ".", "Not accepted",
             [Action(["Interpreting is commissioned nationally and is available to every PDU."],
                     ["Head of Commercial"], ["Complete"])],
             note="Interpreting services are already in place")])],
    totals={"Accepted": 3, "Partly accepted": 2, "Not accepted": 1, "Total": 6}, categories=ACCEPTED_CATEGORIES)

CASE_ADMIN_RECS = [
    (HMPPS, [
        Rec("1", "Provide case administrators with training in the case management system before they start work.",
            "1", "admin-training"),
        Rec("2", "Review the grading of case administrator posts against the work they now do.", "2"),
        Rec("3", "Make sure that every PDU has enough case administrators to support court work.", "3")]),
    (MOJ, [Rec("4", "Fund a replacement for the case management system that case administrators can use without "
                    "duplicating work.", "4")]),
]
CASE_ADMIN = Report(
    "case-admin", "case-administration-thematic.pdf", "pdf-annex",
    "A thematic inspection of case administration in probation", "2025-03-03", CASE_ADMIN_RECS,
    [("cover", ["HM Inspectorate of Probation", "A thematic inspection of case administration in probation",
                "Published: 3 March 2025"]),
     ("h1", "Executive summary"), ("p", "Case administrators keep the service running. " + PROSE * 3),
     ("h2", "Recommendations"), ("recs", "Executive summary"),
     ("h1", "1. Introduction"), ("p", "This thematic looked at case administration in eight PDUs. " + PROSE * 6),
     ("h1", "2. Findings"), ("p", "Case administrators spent a third of their time re-entering data. " + PROSE * 6),
     ("break", None), ("h1", "Annex 1: Recommendations"), ("recs", "Annex 1: Recommendations"),
     ("h1", "Annex 2: Methodology"), ("p", "We surveyed 640 case administrators. " + PROSE * 2)],
    plan="case-admin-plan", running_header="A thematic inspection of case administration in probation",
    footer="{n}")

CASE_ADMIN_PLAN = Plan(
    "case-admin-plan", "2025-04_action-plan_case-administration.docx", ("docx", "pdf"), "plan-two-formats",
    "Action plan: A thematic inspection of case administration in probation", "2025-04-28", "2025-03-03",
    "case-admin", _plan_lines("28 April 2025", "A thematic inspection of case administration in probation",
                              "3 March 2025"),
    AGREED_HEADER,
    [(HMPPS, [Row(r.printed, r.text, st, [Action([resp], [own], [tgt])] + ([Action(
        ["Case administrators already in post will be offered the same module by the end of the year."],
        ["Regional Business Managers"], ["December 2025"])] if r.printed == "1" else []), note=note, thread=r.thread)
              for r, st, note, resp, own, tgt in zip(
                  CASE_ADMIN_RECS[0][1], ("Agreed", "Partly agreed", "AGREED"),
                  (None, "Grading is a national matter for the pay review", None),
                  ("A training module will be added to the induction of every new case administrator.",
                   "Posts will be reviewed as part of the job evaluation programme.",
                   "Staffing levels will be set by the new administrative workforce model."),
                  ("Head of Learning and Development", "Head of Reward", "Director of Probation Operations"),
                  ("September 2025", "March 2026", "December 2025"))]),
     (MOJ, [Row("4", CASE_ADMIN_RECS[1][1][0].text, "Not agreed",
                [Action(["A replacement system is not affordable within the current spending review."],
                        ["Chief Digital Officer"], ["Complete"])],
                note="Improvements to the current system will be made instead")])],
    created="2025-04-01")

HARTFIELD_RECS = [
    ("The Hartfield PDU should:", [
        Rec("1.1", "Improve the quality of assessments of the risk of harm to known adults.", "1.1"),
        Rec("1.2", "Make sure that senior probation officers have time to oversee the work of newly qualified "
                   "officers.", "1.2", "spo-time")]),
    (HMPPS, [Rec("2.1", "Review how the workload measurement tool counts the time that court work takes.", "2.1",
                 "wmt-caseloads"),
             Rec("2.2", "Make sure that commissioned rehabilitative services have enough places for the referrals "
                        "the PDU makes.", "2.2")]),
]
HARTFIELD = Report(
    "hartfield", "hartfield-pdu-inspection.docx", "docx-multilevel",
    "An inspection of probation services in Hartfield PDU", "2025-06-18", HARTFIELD_RECS,
    [("cover", ["HM Inspectorate of Probation", "An inspection of probation services in Hartfield PDU",
                "Published: 18 June 2025"]),
     ("contents", ["Recommendations", "1. Organisational delivery", "2. Court work"]),
     ("h1", "Recommendations"), ("p", "We have made four recommendations."), ("recs", "Recommendations"),
     ("h1", "1. Organisational delivery"),
     ("table", [["Standard", "Rating"], ["1.1 Leadership", "Good"], ["1.2 Staffing", "Requires improvement"]]),
     ("p", "The PDU was rated Requires improvement overall. " + PROSE * 2),
     ("h1", "2. Court work"), ("p", "Court reports were timely and well argued. " + PROSE * 2)],
    numbering="multilevel", plan="hartfield-plan", created="2025-05-30")

HARTFIELD_PLAN = Plan(
    "hartfield-plan", "hartfield-pdu_action-plan.odt", ("odt",), "odt-plan",
    "Action plan: An inspection of probation services in Hartfield PDU", "2025-08-06", "2025-06-18", "hartfield",
    _plan_lines("6 August 2025", "An inspection of probation services in Hartfield PDU", "18 June 2025"),
    AGREED_HEADER,
    [("The Hartfield PDU should:", [
        Row("1.1", HARTFIELD_RECS[0][1][0].text, "agreed", [Action(["Assessment workshops for all practitioners."],
                                                                  ["Head of Hartfield PDU"], ["December 2025"]),
                                                           Action(["Managers will audit assessments each quarter."],
                                                                  ["Senior Probation Officers"], ["Ongoing"])]),
        Row("1.2", HARTFIELD_RECS[0][1][1].text, "Partly Agreed",
            [Action(["Oversight time will be protected in the senior probation officers' diaries."],
                    ["Head of Hartfield PDU"], ["October 2025"])],
            note="The number of senior probation officers is set regionally", thread="spo-time")]),
     (HMPPS, [
         Row("2.1", HARTFIELD_RECS[1][1][0].text, "AGREED", [Action(["The tool's court work allowance will be "
                                                                    "re-measured."], ["Head of Workload "
                                                                                      "Measurement"],
                                                                   ["June 2026"])], thread="wmt-caseloads"),
         Row("2.2", HARTFIELD_RECS[1][1][1].text, "Agreed", [Action(["Places will be re-commissioned."],
                                                                   ["Head of Commissioning"], ["April 2026"])])])],
    created="2025-07-20")

TRANSITIONS_RECS = [
    (HMPPS, [Rec("a", "improve the handover of young people from youth offending services to probation", "a"),
             Rec("b", "make sure that practitioners are trained in working with young adults", "b"),
             Rec("c", "collect and publish data on the outcomes of young adults on probation", "c")]),
    (MOJ, [Rec("d", "fund specialist posts for young adults in each region", "d"),
           Rec("e", "review the national standards for young adults", "e")]),
]
TRANSITIONS = Report(
    "transitions", "transitions-review.odt", "odt-lettered",
    "A review of the transition of young people from youth to adult probation services", "2025-07",
    TRANSITIONS_RECS,
    [("cover", ["HM Inspectorate of Probation", "A review of the transition of young people from youth to adult "
                                                "probation services", "July 2025"]),
     ("h1", "Recommendations"), ("recs", "Recommendations"),
     ("h1", "1. Introduction"), ("p", "Young adults are a distinct group. " + PROSE * 2),
     ("list", ["youth offending services", "probation", "the courts"]),
     ("h1", "2. Handover"), ("p", "Handover meetings took place in half the cases. " + PROSE * 2)],
    numbering="letter", plan="transitions-plan", created="2025-06-20")

TRANSITIONS_PLAN = Plan(
    "transitions-plan", "2025-10_action-plan_transitions-review.docx", ("docx",), "docx-plan-accepted",
    "Action plan: A review of the transition of young people from youth to adult probation services", "2025-10-02",
    "2025-07", "transitions",
    _plan_lines("2 October 2025", "A review of the transition of young people from youth to adult probation services",
                "July 2025"),
    ("Rec", "Recommendation", "Accepted / Partly accepted / Not accepted / Rejected", "Action", "Lead", "Timescale"),
    [(HMPPS, [Row("a", TRANSITIONS_RECS[0][1][0].text[0].upper() + TRANSITIONS_RECS[0][1][0].text[1:], "ACCEPTED",
                  [Action(["A national handover protocol will be agreed with the Youth Justice Board."],
                          ["Director of Probation Operations"], ["March 2026"])]),
              Row("b", TRANSITIONS_RECS[0][1][1].text[0].upper() + TRANSITIONS_RECS[0][1][1].text[1:], "Accepted",
                  [Action(["A young adults module will be added to practitioner training."],
                          ["Head of Learning and Development"], ["September 2026"])]),
              Row("c", TRANSITIONS_RECS[0][1][2].text[0].upper() + TRANSITIONS_RECS[0][1][2].text[1:],
                  "Partly accepted", [Action(["Outcome data will be collected from April 2026."],
                                             ["Head of Analysis"], ["April 2026"])],
                  note="Publication will follow a review of data quality")]),
     (MOJ, [Row("d", TRANSITIONS_RECS[1][1][0].text[0].upper() + TRANSITIONS_RECS[1][1][0].text[1:], "Rejected",
                [Action(["Regions can fund such posts from their own budgets."], ["Director of Finance"],
                        ["Complete"])], note="No national funding is available in this spending review"),
            Row("e", TRANSITIONS_RECS[1][1][1].text[0].upper() + TRANSITIONS_RECS[1][1][1].text[1:],
                "Not Accepted", [Action(["The standards were reviewed in 2024."], ["Head of Policy"],
                                        ["Complete"])])])],
    totals={"Accepted": 2, "Partly accepted": 1, "Rejected": 1, "Not accepted": 1, "Total": 5},
    created="2025-09-15", categories=ACCEPTED_CATEGORIES + [("Rejected", "The recommendation will not be acted on.")])

KINGSBRIDGE_RECS = [
    ("The Kingsbridge PDU should:", [
        Rec("1", "Make sure that risk assessments draw on information from the police and children's services.",
            "1"),
        Rec("2", "Make sure that new case administrators are trained to use the case management system.",
            "2", "admin-training"),
        Rec("3", "Improve the recording of home visits.", "3")]),
    ("The North Vale region should:", [
        Rec("4", "Reduce waiting times for accommodation support from commissioned rehabilitative services.", "7",
            "crs-waits")]),
]
KINGSBRIDGE = Report(
    "kingsbridge", "kingsbridge-pdu-inspection.html", "html-table",
    "An inspection of probation services in Kingsbridge PDU", "2025-12-09", KINGSBRIDGE_RECS,
    [("h1", "An inspection of probation services in Kingsbridge PDU"),
     ("p", "Fieldwork took place in October 2025. We inspected 72 cases. " + PROSE),
     ("h2", "Recommendations"), ("recs", "Recommendations"),
     ("h2", "Findings"), ("p", "Kingsbridge PDU works closely with Millbrook PDU. " + PROSE * 2)],
    numbering="table", plan="kingsbridge-plan", meta_date="2025-12-09")

_KM_ROWS = [
    ("Make sure that risk assessments draw on information from the police and children's services.", "Agreed"),
    ("Make sure that new case administrators are trained to use the case management system.", "Agreed"),
    ("Improve the recording of home visits.", "Partly Agreed"),
]
KINGSBRIDGE_PLAN = Plan(
    "kingsbridge-plan", "2026-02_action-plan_kingsbridge-millbrook.pdf", ("pdf",), "pdf-plan-two-units",
    "Action plan: An inspection of probation services in Kingsbridge and Millbrook PDUs", "2026-02-10",
    "2025-12-09", "kingsbridge",
    _plan_lines("10 February 2026", "An inspection of probation services in Kingsbridge and Millbrook PDUs",
                "9 December 2025"),
    AGREED_HEADER,
    [("The Kingsbridge PDU should:", [
        Row(str(i + 1), text, st, [Action([f"The Kingsbridge PDU will act on this by March 2026 ({i + 1})."],
                                          ["Head of Kingsbridge PDU"], ["March 2026"])],
            thread="admin-training" if i == 1 else None) for i, (text, st) in enumerate(_KM_ROWS)]),
     ("The Millbrook PDU should:", [
         Row(str(i + 4), text, "Agreed", [Action([f"The Millbrook PDU will act on this by June 2026 ({i + 4})."],
                                                 ["Head of Millbrook PDU"], ["June 2026"])],
             thread="admin-training" if i == 1 else None) for i, (text, _) in enumerate(_KM_ROWS)]),
     ("The North Vale region should:", [
         Row("7", "Reduce waiting times for accommodation support from commissioned rehabilitative services.",
             "Agreed", [Action(["Accommodation places will be re-commissioned for Kingsbridge."],
                               ["Regional Probation Director"], ["September 2026"])],
             scope="for Kingsbridge PDU", thread="crs-waits"),
         Row("8", "Reduce waiting times for accommodation support from commissioned rehabilitative services.",
             "Not Agreed", [Action(["Millbrook's waiting times are within the national standard."],
                                   ["Regional Probation Director"], ["Complete"])],
             note="Waiting times in Millbrook already meet the standard", scope="for Millbrook PDU")])],
    totals={"Agreed": 6, "Partly Agreed": 1, "Not Agreed": 1, "Total": 8})

FENWICK = Report(
    "fenwick", "fenwick-pdu-inspection.pdf", "pdf-parenthesised",
    "An inspection of probation services in Fenwick PDU", "2024-11-19",
    [("The Fenwick PDU should:", [
        Rec("1", "improve the timeliness of initial appointments after release from custody"),
        Rec("2", "review the workload of senior probation officers so that they can supervise practitioners",
            thread="spo-time"),
        Rec("3", "make sure that case administrators are trained in the case management system",
            thread="admin-training")]),
     (HMPPS, [Rec("4", "reduce the time taken to vet new probation staff", thread="vetting")])],
    [("cover", ["HM Inspectorate of Probation", "An inspection of probation services in Fenwick PDU",
                "Published: 19 November 2024"]),
     ("h1", "Summary"), ("p", "Fenwick PDU is a small unit in a rural county. " + PROSE * 4),
     ("h1", "Recommendations"), ("recs", "Recommendations"),
     ("h1", "Findings"), ("p", "Initial appointments were late in a third of cases. " + PROSE * 4)],
    numbering="paren", running_header="Inspection of probation services: Fenwick PDU", footer="{n}")

REPORTS = [LOWMOOR, CASE_ADMIN, HARTFIELD, TRANSITIONS, KINGSBRIDGE, FENWICK]
PLANS = [LOWMOOR_PLAN, CASE_ADMIN_PLAN, HARTFIELD_PLAN, TRANSITIONS_PLAN, KINGSBRIDGE_PLAN]
# threads across years with the shipped corpus (its files and numbers, as in eval/rec_pairs.jsonl)
THREADS = {
    "spo-time": [("2020-03_action-plan_central-functions-nps.txt", 8),
                 ("2022-06_action-plan_essex-north-northamptonshire.txt", 17)],
    "wmt-caseloads": [("2020-03_action-plan_central-functions-nps.txt", 7),
                      ("2022-06_action-plan_essex-north-northamptonshire.txt", 16)],
    "vetting": [("2022-06_action-plan_essex-north-northamptonshire.txt", 15)],
    "admin-training": [("2020-03_action-plan_central-functions-nps.txt", 10),
                       ("2022-06_action-plan_essex-north-northamptonshire.txt", 4),
                       ("2022-06_action-plan_essex-north-northamptonshire.txt", 8)],
    "crs-waits": [("2022-06_action-plan_essex-north-northamptonshire.txt", 12)],
}
# confirmed repeats an inspector would record: (side, side); a side is (file key, kind, printed) or (corpus file, n)
JUDGEMENTS = [
    (("lowmoor", "report", "4"), ("2022-06_action-plan_essex-north-northamptonshire.txt", 17)),
    (("fenwick", "report", "4"), ("2022-06_action-plan_essex-north-northamptonshire.txt", 15)),
    (("kingsbridge-plan", "plan_row", "7"), ("2022-06_action-plan_essex-north-northamptonshire.txt", 12)),
    # two records of one year: a confirmed pair is a thread whatever the minimum of years
    (("case-admin", "report", "1"), ("kingsbridge", "report", "2")),
]
QUERIES = [
    {"id": "d01", "file": "lowmoor", "kind": "fact", "query": "How many cases did Lowmoor probation officers hold on "
     "average?", "relevant": [{"quote": "Probation officers held an average of 54 cases each", "grade": 2}]},
    {"id": "d02", "file": "lowmoor", "kind": "fact", "query": "How many people on probation does Lowmoor PDU "
     "supervise?", "relevant": [{"quote": "supervises around 1,900 people on probation", "grade": 2}]},
    {"id": "d03", "file": "lowmoor", "kind": "paraphrase", "query": "Did reoffending go down in Lowmoor?",
     "relevant": [{"quote": "Proven reoffending in the PDU fell from 31 per cent to 27 per cent", "grade": 2}]},
    {"id": "d04", "file": "case-admin", "kind": "fact", "query": "How much of their time did case administrators "
     "spend re-entering data?", "relevant": [{"quote": "Case administrators spent a third of their time re-entering "
                                              "data", "grade": 2}]},
    {"id": "d05", "file": "case-admin", "kind": "fact", "query": "How many case administrators were surveyed in the "
     "thematic?", "relevant": [{"quote": "We surveyed 640 case administrators", "grade": 2}]},
    {"id": "d06", "file": "hartfield", "kind": "topic", "query": "Hartfield court reports",
     "relevant": [{"quote": "Court reports were timely and well argued", "grade": 2}]},
    {"id": "d07", "file": "lowmoor-plan", "kind": "fact", "query": "When will a measure of SPO workload be added to "
     "the workload measurement tool?", "relevant": [{"quote": "A measure of senior probation officer workload will "
                                                     "be added to the workload measurement tool", "grade": 2}]},
    {"id": "d08", "file": "fenwick", "kind": "paraphrase", "query": "Were first meetings after prison release on "
     "time in Fenwick?", "relevant": [{"quote": "Initial appointments were late in a third of cases", "grade": 2}]},
]


def ordinal_of(items: list, printed: str) -> int:
    return next(n for n, it in enumerate(items, 1) if it.printed == printed)


def report_recs(r: Report) -> list[tuple[str, Rec]]:
    return [(h, rec) for h, recs in r.groups for rec in recs]


def plan_rows(p: Plan) -> list[tuple[str, Row]]:
    return [(h, row) for h, rows in p.groups for row in rows]

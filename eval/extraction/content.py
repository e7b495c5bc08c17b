"""The text of the extraction evaluation set: every report and action plan, as data.

Everything here is fictional (PDUs, regions, people, figures), written in the register of HM
Inspectorate of Probation reports and HMPPS action plans. `make_documents.py` prints these
into PDF, Word, OpenDocument and HTML files and writes the labels from the same data, so a
label can only say what a document says.

Text is plain ASCII (plus the pound sign): PDFs are printed with the core Helvetica font,
which is latin-1, and labels must match the printed text verbatim.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

# --- the shapes of the data ----------------------------------------------------------------


@dataclass
class Rec:
    """A recommendation as a report states it."""

    printed: str  # the marker as printed, without its punctuation: "3" for "3.", "1.1", "a" for "a)", "1" for "(1)"
    text: str  # verbatim
    link: Optional[str] = None  # the printed number of the row answering it in the report's plan
    thread: Optional[str] = None


@dataclass
class Group:
    heading: str  # as printed: "HM Prison and Probation Service should:"
    recs: list[Rec]


@dataclass
class Action:
    """One response line of a plan row: Word prints a row with several actions as merged cells
    (number, recommendation and status spanning the action lines)."""

    response: list[str]  # paragraphs
    owners: list[str]
    targets: list[str]


@dataclass
class Row:
    printed: str  # the Rec No cell as printed
    text: str  # the recommendation cell, verbatim (without the scope line)
    status: str  # the status cell's first paragraph, exactly as printed ("Partly agreed", "AGREED", ...)
    actions: list[Action]
    note: Optional[str] = None  # a note printed in the status cell after the status
    scope: Optional[str] = None  # a line printed under the recommendation: "(for Ashby Fields PDU)"
    thread: Optional[str] = None


@dataclass
class Plan:
    key: str
    file: str  # under docs/
    formats: list[str]  # "pdf", "docx", "odt": one plan, several files (the first is the labelled one)
    layout: str
    title: str
    date: str  # as the plan states it ("Action Plan Submitted: ...")
    report_date: str  # "Report Published: ..."
    answers: Optional[str]  # the key of the report it answers, when that report is in the set
    title_lines: list[str]
    intro: list[str]
    definitions: list[tuple[str, str]]
    table_title: str
    header: tuple[str, ...]
    groups: list[tuple[str, list[Row]]]
    totals: Optional[list[tuple[str, int]]] = None  # as stated at the end of the plan
    vocabulary: str = "agreed"  # "agreed" (Agreed / Partly Agreed / Not Agreed) or "accepted"
    properties: dict = field(default_factory=dict)  # document properties (title, author, created)


@dataclass
class Report:
    key: str
    file: str
    fmt: str  # pdf | docx | odt | html
    layout: str
    title: str
    date: str  # as the document states it
    # the document in reading order: ("cover", [lines]) title lines (the last is the date on a PDF cover),
    # ("break",) a page break, ("space", mm) vertical space, ("h1", text[, new_page=True]) a chapter
    # heading, ("h2", text), ("p", text), ("sign", [lines]), ("contents", [headings]) with their pages,
    # ("list", [(marker, text)]) a numbered list that is not recommendations, ("bullets", [texts]),
    # ("table", header, rows) a ruled table, ("recs",) the recommendations (`groups`) printed here
    blocks: list[tuple]
    groups: list[Group]
    numbering: str = "decimal"  # decimal "3." | paren "(3)" | multilevel "1.1" | letter "a)" | table
    plan: Optional[str] = None  # the key of the plan answering it, when in the set
    running_header: Optional[str] = None
    footer: str = "Page {n} of {nb}"
    properties: dict = field(default_factory=dict)


# Shipped-corpus files, for threads
C2020 = "2020-03_action-plan_central-functions-nps.txt"
C2022 = "2022-06_action-plan_essex-north-northamptonshire.txt"
CDECK = "2025-01_presentation_recruitment-training-retention.txt"
C2025 = "2025-02_action-plan_recruitment-training-retention.txt"

HMPPS = "HM Prison and Probation Service should:"
MOJ = "The Ministry of Justice should:"

AGREED_HEADER = ("Rec No", "Recommendation", "Agreed/ Partly Agreed/ Not Agreed", "Response Action Taken/Planned",
                 "Responsible Owner", "Target Date")
ACCEPTED_HEADER = ("Rec No", "Recommendation", "Accepted/ Partly accepted/ Not accepted",
                   "Response Action Taken/Planned", "Responsible Owner", "Target Date")

AGREED_DEFINITIONS = [
    ("Agreed", "All of the recommendation is agreed with, can be achieved and is affordable."),
    ("Partly Agreed", "Only part of the recommendation is agreed with, is achievable, affordable and will be "
                      "implemented. This might be because of commissioning, policy, operational or affordability "
                      "reasons."),
    ("Not Agreed", "The recommendation is not agreed and will not be implemented. This might be because of "
                   "commissioning, policy, operational or affordability reasons."),
]
ACCEPTED_DEFINITIONS = [
    ("Accepted", "All of the recommendation is accepted, can be achieved and is affordable."),
    ("Partly accepted", "Only part of the recommendation is accepted, is achievable, affordable and will be "
                        "implemented. The response states which part and why the rest cannot be."),
    ("Not accepted", "The recommendation is not accepted and will not be implemented. The response states the "
                     "commissioning, policy, operational or affordability reasons."),
]

PLAN_INTRO = ("In response to the report, HMPPS and the MoJ are required to draft a robust and timely action plan "
              "to address the recommendations. The action plan confirms whether each recommendation is {verbs} "
              "(see the categories below). Where a recommendation is {first} or {second}, the action plan sets out "
              "the specific steps and actions to address it, with the owner and timescale of each step clearly "
              "identified. Action plans are published on GOV.UK.")


def plan_intro(vocabulary: str) -> str:
    if vocabulary == "accepted":
        return PLAN_INTRO.format(verbs="accepted, partly accepted or not accepted", first="accepted",
                                 second="partly accepted")
    return PLAN_INTRO.format(verbs="agreed, partly agreed or not agreed", first="agreed", second="partly agreed")


THREADS = {
    "spo-workload": ("Make the senior probation officer's workload manageable / measure it",
                     [(C2020, 8), (C2022, 17)]),
    "wmt-accuracy": ("Review the workload measurement tool so that it reflects the work",
                     [(C2020, 7), (C2022, 16)]),
    "vetting-delays": ("Reduce the time vetting takes for new staff", [(C2022, 15)]),
    "spo-induction": ("Induction and training for new senior probation officers", [(C2022, 2), (C2022, 6)]),
    "admin-training": ("Train administrative staff for the full range of their duties",
                       [(C2020, 10), (C2022, 4), (C2022, 8)]),
    "recruit-retain": ("Support a region or PDU to recruit and retain staff", [(C2020, 4), (C2022, 14)]),
    "recruitment-disproportionality": ("Evaluate recruitment for disproportionate outcomes by protected "
                                       "characteristic", [(C2020, 5), (CDECK, 2), (C2025, 2)]),
    "nqo-protection": ("Deliver the protected caseload of newly qualified officers", [(CDECK, 8), (C2025, 8)]),
    "crs-capacity": ("Resource commissioned rehabilitative services for the volume of referrals",
                     [(C2022, 13), (C2022, 18)]),
    "crs-waiting-times": ("Make waiting times for commissioned rehabilitative services known to the PDU",
                          [(C2022, 12)]),
}


# ============================================================================================
# 1. Thematic: the role and workload of senior probation officers (PDF, June 2026)
#    Cover and contents; recommendations grouped by addressee, then numbered chapters.
# ============================================================================================

SPO_GROUPS = [
    Group(HMPPS, [
        Rec("1", "Review the role of the senior probation officer so that the workload is manageable, setting a "
                 "maximum number of staff that each SPO line manages.", link="1", thread="spo-workload"),
        Rec("2", "Review the timings and weightings of the workload measurement tool so that it reflects the time "
                 "that cases actually take, and publish the results to staff.", link="2", thread="wmt-accuracy"),
        Rec("3", "Reduce the time taken to vet newly appointed senior probation officers, so that posts are not "
                 "left vacant while checks are completed.", link="3", thread="vetting-delays"),
        Rec("4", "Provide a structured induction and a development programme for all newly appointed senior "
                 "probation officers, and make sure that they complete it within their first year in post.",
            link="4", thread="spo-induction"),
        Rec("5", "Ensure that case administrators are trained and resourced to take on the administrative tasks "
                 "currently carried out by senior probation officers.", link="5"),
    ]),
    Group(MOJ, [
        Rec("6", "Ensure that the funding allocated to each probation region reflects the number of senior "
                 "probation officers needed under target staffing.", link="6"),
        Rec("7", "Work with HM Prison and Probation Service to evaluate the pay and grading of the senior "
                 "probation officer role against comparable management roles in the public sector.", link="7"),
    ]),
]

SPO_TITLE = "A thematic inspection of the role and workload of senior probation officers"

SPO_REPORT = Report(
    key="spo-report", file="spo-workload-thematic.pdf", fmt="pdf", layout="report-chapters-after",
    title=SPO_TITLE, date="2026-06", plan="spo-plan",
    running_header="HM Inspectorate of Probation | The role and workload of senior probation officers",
    properties={"title": SPO_TITLE, "author": "HM Inspectorate of Probation", "created": None},  # date: cover only
    groups=SPO_GROUPS,
    blocks=[
        ("cover", ["HM Inspectorate of Probation", SPO_TITLE, "An inspection by HM Inspectorate of Probation",
                   "June 2026"]),
        ("break",),
        ("h2", "Acknowledgements"),
        ("p", "This inspection was led by HM Inspector Rachel Okafor, supported by a team of inspectors and "
              "operations, research, communications and corporate staff. We would like to thank all those who "
              "took part in this inspection. Without their help and cooperation, the inspection would not have "
              "been possible."),
        ("p", "The names in the practice examples in this report are not the real names of the staff concerned."),
        ("h2", "Contents"),
        ("contents", ["Foreword", "Executive summary", "Recommendations", "1. Introduction",
                      "2. The senior probation officer role", "3. Workload and its measurement",
                      "4. Recruitment, vetting and induction", "5. Learning and development",
                      "Annex 1: Methodology"]),
        ("h1", "Foreword"),
        ("p", "Senior probation officers (SPOs) are the first line managers of the Probation Service. They "
              "allocate cases, countersign assessments, oversee the management of risk and support the "
              "development of the practitioners in their teams. When they are stretched too thinly, the quality "
              "of work with people on probation suffers, and so does the wellbeing of staff."),
        ("p", "This inspection found a role that has grown steadily since the unification of probation services "
              "in 2021. SPOs told us that they spend most of their week on tasks that are not counted anywhere, "
              "and that they rarely have time for the reflective supervision that practitioners need. Many "
              "described their workload as unmanageable."),
        ("p", "We have made recommendations on this subject before. In 2020 we recommended that HM Prison and "
              "Probation Service review the role of the senior probation officer to ensure that the workload is "
              "manageable, and in 2022 we asked it to consider how SPO workloads are measured. Progress has been "
              "too slow, and the pressures we describe in this report are the result."),
        ("p", "I am grateful to the SPOs, heads of PDU and practitioners who gave us their time, often at short "
              "notice."),
        ("sign", ["Helen Marsh", "HM Chief Inspector of Probation"]),
        ("h1", "Executive summary"),
        ("p", "We inspected the work of senior probation officers in 12 probation delivery units (PDUs) across six "
              "regions in England and Wales between January and March 2026. We surveyed all 1,046 SPOs in post "
              "and received 612 responses, a response rate of 59 per cent."),
        ("h2", "Key findings"),
        ("p", "On average, each SPO line managed 11.4 members of staff, against the ratio of one SPO to eight "
              "practitioners assumed by target staffing. In three of the PDUs we visited, some SPOs managed more "
              "than 15 people."),
        ("p", "Seven in ten SPOs (71 per cent) told us that their workload was unmanageable in most weeks. SPOs "
              "reported working an average of 6.5 hours a week beyond their contracted hours."),
        ("p", "SPOs spent an estimated 38 per cent of their time on management oversight of cases, including "
              "countersigning assessments and reviewing cases at the touchpoints set out in national guidance. "
              "None of this time is counted by the workload measurement tool."),
        ("p", "Recruitment to SPO posts was slow. The median time from the offer of a post to the start date for "
              "SPOs appointed from outside the Probation Service was 74 working days, of which pre-employment "
              "vetting took 41 working days."),
        ("p", "Only 43 per cent of SPOs appointed in the last two years had completed the national first line "
              "manager programme, and a quarter had received no structured induction at all."),
        ("h2", "Conclusions"),
        ("p", "The SPO role has not been redesigned since unification, but the work expected of it has grown. "
              "National expectations for management oversight, the supervision of a larger number of trainees and "
              "the loss of administrative support have each added to the load, and nothing has been taken away."),
        ("p", "Leaders in HMPPS know this. A review of the SPO role began in 2023, and its early findings match "
              "ours, but it has not yet led to changes that SPOs can see in their working week."),
        ("p", "Until the workload of SPOs is measured, it cannot be planned for. The workload measurement tool "
              "counts the work of practitioners but not of their managers, so regions cannot show how many SPOs "
              "they need or make the case for funding them."),
        ("space", 8),
        ("h1", "Recommendations", False),
        ("p", "As a result of our inspection findings, we have made seven recommendations that we believe, if "
              "implemented, will have a positive impact on the quality of probation services."),
        ("recs",),
        ("h1", "1. Introduction"),
        ("h2", "Why this thematic?"),
        ("p", "The senior probation officer is the first line manager in the Probation Service. SPOs manage teams "
              "of probation officers, probation services officers and, in many PDUs, case administrators. They are "
              "responsible for the quality of the work their teams deliver, for the allocation of cases and for "
              "the supervision and wellbeing of their staff."),
        ("p", "Since the unification of probation services in June 2021, the number of staff each SPO manages has "
              "grown as new practitioners have been recruited, while the number of SPO posts has not kept pace."),
        ("h2", "Scope of the inspection"),
        ("p", "We examined how the role is defined, how SPO workloads are measured and managed, how SPOs are "
              "recruited and inducted, and what learning and development they receive. We did not inspect the "
              "work of SPOs in prisons or in approved premises."),
        ("h1", "2. The senior probation officer role"),
        ("p", "The job description for the SPO role was last revised in 2019. It lists 38 distinct "
              "responsibilities, from the countersigning of risk assessments to the management of buildings and "
              "health and safety in some offices."),
        ("p", "We found three main reasons why the role has become harder to do:"),
        ("list", [("1.", "the number of practitioners in training, each of whom needs more oversight, has risen "
                         "sharply;"),
                  ("2.", "the management oversight expectations introduced in 2023 added countersigning tasks "
                         "without removing others;"),
                  ("3.", "administrative support for SPOs has been reduced in many PDUs.")]),
        ("p", "In the PDUs we visited, SPOs told us that they spent most of their time on case-related tasks and "
              "little on developing their staff. One SPO said: 'I manage the inbox, not the team.'"),
        ("h1", "3. Workload and its measurement"),
        ("p", "The workload measurement tool (WMT) measures the work of probation practitioners by the cases they "
              "hold. It does not measure the work of SPOs, and the timings on which it is based have not been "
              "reviewed since 2021."),
        ("p", "Table 1 shows the number of staff managed by SPOs in the regions we visited."),
        ("table", ("Region", "SPOs in post", "Staff managed", "Staff per SPO"),
         [("North Midlands", "64", "742", "11.6"), ("South Marches", "51", "566", "11.1"),
          ("Pennine", "58", "684", "11.8"), ("Wessex Vale", "47", "512", "10.9"),
          ("Fenland and Broads", "39", "451", "11.6"), ("Cambrian Wales", "42", "470", "11.2"),
          ("All six regions", "301", "3,425", "11.4")]),
        ("p", "SPOs estimated that management oversight of cases took 38 per cent of their time, line management "
              "and staff development 27 per cent, and administrative tasks 21 per cent. The remaining time was "
              "spent on meetings, partnership work and their own training."),
        ("p", "Practitioners' workloads also remained high. In the 12 PDUs, 46 per cent of probation officers had "
              "a WMT score above 110 per cent of capacity at the time of our fieldwork."),
        ("h1", "4. Recruitment, vetting and induction"),
        ("p", "HMPPS recruited 163 SPOs in 2025, 41 of them from outside the Probation Service. Candidates from "
              "outside the service must complete pre-employment vetting before they start, and those in "
              "operational roles must also complete Non-Police Personnel Vetting."),
        ("p", "The median time from offer to start date for external candidates was 74 working days. Vetting "
              "accounted for 41 of those working days, and in one PDU a post stood empty for five months while "
              "checks were completed."),
        ("p", "Induction was inconsistent. In four of the 12 PDUs there was no local induction for new SPOs, and "
              "new managers relied on colleagues to learn the systems and processes."),
        ("h1", "5. Learning and development"),
        ("p", "The national first line manager programme is the main development offer for new SPOs. It consists "
              "of six modules delivered over nine months. Only 43 per cent of SPOs appointed in the last two years "
              "had completed it."),
        ("p", "SPOs valued the programme but said that they could not find the time to attend. Of those who had "
              "started it and not finished, 58 per cent gave workload as the reason."),
        ("p", "Reflective supervision of practitioners by SPOs was taking place in only 39 per cent of the cases "
              "we inspected where it was expected."),
        ("h1", "Annex 1: Methodology"),
        ("p", "The fieldwork for this inspection took place between 12 January and 20 March 2026. We visited 12 "
              "PDUs in six regions and held 48 focus groups with 311 members of staff."),
        ("p", "We interviewed 54 SPOs, 12 heads of PDU and six regional probation directors, and inspected 240 "
              "cases to examine the management oversight recorded in them."),
        ("p", "Our survey of SPOs ran from 2 February to 27 February 2026 and received 612 responses."),
    ],
)

SPO_PLAN = Plan(
    key="spo-plan", file="spo-workload-thematic_action-plan.pdf", formats=["pdf"], layout="plan-table-pdf",
    title="Action plan: The role and workload of senior probation officers", date="2026-07-28",
    report_date="2026-06-16", answers="spo-report", vocabulary="accepted",
    properties={"title": "Action plan: The role and workload of senior probation officers",
                "author": "HM Prison & Probation Service", "created": (2026, 7, 28)},
    title_lines=["HM Prison & Probation Service", "Action Plan Submitted: 28 July 2026",
                 "A Response to the HM Inspectorate of Probation Thematic Inspection:",
                 "The role and workload of senior probation officers", "Report Published: 16 June 2026"],
    intro=[plan_intro("accepted")], definitions=ACCEPTED_DEFINITIONS,
    table_title="ACTION PLAN: The role and workload of senior probation officers",
    header=ACCEPTED_HEADER,
    groups=[
        (HMPPS, [
            Row("1", SPO_GROUPS[0].recs[0].text, "Partly accepted",
                note="The maximum span of control will be set once the target staffing review concludes.",
                thread="spo-workload", actions=[
                    Action(["HMPPS will complete the review of the SPO role begun under the Strengthening the SPO "
                            "Role initiative, including the management oversight policy framework and the business "
                            "support available to SPOs."],
                           ["Deputy Director, Probation Operations Directorate"], ["March 2027"]),
                    Action(["The target staffing review will recommend a span of control for SPOs. HMPPS cannot "
                            "commit to a maximum number of staff per SPO before that review has concluded and its "
                            "costs are known."],
                           ["Head of Workforce Modelling"], ["September 2027"]),
                ]),
            Row("2", SPO_GROUPS[0].recs[1].text, "Accepted", thread="wmt-accuracy", actions=[
                Action(["A review of the timings and weightings of the workload measurement tool (WMT) has been "
                        "commissioned. It will use activity data from 20 PDUs and time recording by a sample of "
                        "practitioners."],
                       ["Head of Workload Measurement, Central Operations Support"], ["December 2026"]),
                Action(["The results of the review, and any changes made to the tool, will be published to all "
                        "staff on the intranet and explained at regional briefings."],
                       ["Head of Workload Measurement, Central Operations Support"], ["April 2027"]),
            ]),
            Row("3", SPO_GROUPS[0].recs[2].text, "Accepted", thread="vetting-delays", actions=[
                Action(["HMPPS has set a target of 25 working days for the pre-employment vetting of probation "
                        "staff, and performance against it is reported to the Probation Operations Board each "
                        "quarter."],
                       ["Deputy Director, HMPPS HR Services"], ["Completed"]),
                Action(["Non-Police Personnel Vetting for newly appointed SPOs will be completed after appointment "
                        "where the HMPPS enhanced check has been passed, so that they can take up post while the "
                        "police checks are completed. Until the police checks are complete they will not have "
                        "access to the Violent and Sexual Offenders Register, and their line managers will "
                        "countersign any risk management plans that depend on it."],
                       ["Deputy Director, HMPPS HR Services", "Head of Public Protection Group"], ["October 2026"]),
            ]),
            Row("4", SPO_GROUPS[0].recs[3].text, "Accepted", thread="spo-induction", actions=[
                Action(["A national induction for new SPOs, including shadowing and a named buddy in the same "
                        "region, will be introduced."],
                       ["Head of Learning and Development"], ["January 2027"]),
                Action(["Completion of the first line manager programme within 12 months of appointment will be "
                        "made mandatory, and regions will report completion rates each quarter."],
                       ["Regional Probation Directors"], ["April 2027"]),
                Action(["Regions will protect time for new SPOs to attend the programme by reducing the size of "
                        "their teams for the first six months in post where staffing allows."],
                       ["Regional Probation Directors"], ["April 2027"]),
            ]),
            Row("5", SPO_GROUPS[0].recs[4].text, "Partly Accepted",
                note="Administrative support will be extended within existing budgets only.", actions=[
                    Action(["Regions will review which administrative tasks carried out by SPOs can be transferred "
                            "to case administrators, using the task analysis completed by the SPO review project. "
                            "The review will cover allocation, rota management, the booking of rooms and "
                            "interpreters, the chasing of information from partner agencies and the preparation of "
                            "performance reports for team meetings.",
                            "A training package for case administrators taking on these tasks will be developed "
                            "with the national learning team and made available on the national learning platform. "
                            "Completion will be recorded in the mandatory training records of each region.",
                            "Any additional case administrator posts must be funded from within existing regional "
                            "budgets. HMPPS is therefore unable to accept the part of the recommendation that "
                            "requires case administrators to be resourced for these tasks in every PDU."],
                           ["Deputy Director, Probation Operations Directorate", "Head of Learning and Development"],
                           ["March 2027", "June 2027"]),
                ]),
        ]),
        (MOJ, [
            Row("6", SPO_GROUPS[1].recs[0].text, "Not Accepted",
                note="Regional funding is set through the annual business planning process.", actions=[
                    Action(["Funding for each region is allocated through the annual business planning process, "
                            "which already takes account of target staffing for all grades. The MoJ does not "
                            "intend to introduce a separate allocation for senior probation officers."],
                           ["Director of Finance, HMPPS"], ["Not applicable"]),
                ]),
            Row("7", SPO_GROUPS[1].recs[1].text, "Accepted", actions=[
                Action(["The MoJ will include the SPO role in the annual pay benchmarking of probation roles and "
                        "will report the findings to the Probation Pay and Grading Committee."],
                       ["Deputy Director Pay, Reward, Pensions and Job Evaluation"], ["September 2027"]),
            ]),
        ]),
    ],
    totals=[("Accepted", 4), ("Partly accepted", 2), ("Not accepted", 1), ("Total", 7)],
)


# ============================================================================================
# 2. Inspection of recruitment, vetting and onboarding (PDF, March 2026)
#    Recommendations in the executive summary, repeated in Annex 1.
# ============================================================================================

VET_GROUPS = [
    Group(HMPPS, [
        Rec("1", "Reduce the time taken to complete the pre-employment vetting of probation staff, setting a "
                 "target time and reporting performance against it every quarter.", link="1",
            thread="vetting-delays"),
        Rec("2", "Make sure that candidates are kept informed of the progress of their vetting and other "
                 "pre-employment checks.", link="2"),
        Rec("3", "Make sure that PQiP candidates are told the location of their placement before they accept an "
                 "offer.", link="3"),
        Rec("4", "Make sure that every new starter has the IT equipment and system access they need on their "
                 "first day.", link="4"),
    ]),
    Group(MOJ, [
        Rec("5", "Remove the need for candidates who already hold a current government security clearance to be "
                 "vetted again when they join the Probation Service.", link="5"),
        Rec("6", "Evaluate recruitment outcomes at each stage of selection by ethnicity, sex and disability, and "
                 "publish the results each year.", link="6", thread="recruitment-disproportionality"),
    ]),
]

VET_TITLE = "An inspection of the recruitment, vetting and onboarding of new probation staff"

VET_REPORT = Report(
    key="vet-report", file="2026-03_recruitment-vetting-onboarding-inspection.pdf", fmt="pdf",
    layout="report-annex", title=VET_TITLE, date="2026-03", plan="vet-plan",
    running_header="HM Inspectorate of Probation | Recruitment, vetting and onboarding of new probation staff",
    properties={"title": VET_TITLE, "author": "HM Inspectorate of Probation", "created": (2026, 3, 10)},
    groups=VET_GROUPS,
    blocks=[
        ("cover", ["HM Inspectorate of Probation", VET_TITLE, "An inspection by HM Inspectorate of Probation",
                   "March 2026"]),
        ("h1", "Foreword"),
        ("p", "The Probation Service has recruited more new staff in the last three years than at any time in its "
              "history. Getting those staff into post quickly, and keeping them, matters to the people they will "
              "supervise and to the colleagues who carry vacant caseloads while they wait."),
        ("p", "We found that too many candidates waited months between accepting an offer and their first day, "
              "and that too many arrived to find no desk, no laptop and no access to the case management system."),
        ("sign", ["Helen Marsh", "HM Chief Inspector of Probation"]),
        ("h1", "Executive summary"),
        ("p", "We examined the recruitment, vetting and onboarding of probation officers, probation services "
              "officers and PQiP learners in eight PDUs between September and November 2025. We followed 160 "
              "recruits from the advertisement of their post to their first six months in the job."),
        ("p", "The median time from conditional offer to start date was 92 calendar days. Pre-employment vetting "
              "took a median of 38 working days, against the 25 working days that the shared services provider "
              "aims for."),
        ("p", "One in five PQiP learners (21 per cent) who accepted an offer withdrew before starting, most often "
              "because they were told the location of their placement only after they had accepted."),
        ("p", "On their first day, 37 per cent of new starters did not have a working laptop, and 52 per cent "
              "could not yet access the case management system."),
        ("h2", "Recommendations"),
        ("p", "We have made six recommendations, which are repeated in Annex 1."),
        ("recs",),
        ("h1", "1. Introduction"),
        ("p", "This inspection looked at how new probation staff are recruited, vetted and brought into post. It "
              "follows our 2025 thematic inspection of the recruitment, training and retention of frontline "
              "probation practitioners, which found that the time taken to bring new staff into post was a source "
              "of frustration for candidates and managers alike."),
        ("h1", "2. Attracting and selecting candidates", False),
        ("p", "Applications for probation roles remained high: the Probation Service received 14,300 applications "
              "for PQiP places in 2025."),
        ("p", "Candidates from ethnic minority backgrounds were less likely to be successful at the assessment "
              "centre stage. Of candidates who declared an ethnic minority background, 24 per cent were offered a "
              "place, compared with 33 per cent of white candidates."),
        ("h1", "3. Vetting", False),
        ("p", "All probation staff must pass the HMPPS enhanced check before they start. Those in operational "
              "roles must also pass Non-Police Personnel Vetting (NPPV), which police forces carry out."),
        ("p", "In the cases we followed, NPPV took between 19 and 143 working days, depending on the police force. "
              "Twelve candidates withdrew while waiting for their vetting to be completed, and none of them had "
              "been told how long the checks were likely to take."),
        ("p", "Candidates who joined from other government departments were vetted again even where they already "
              "held a current security clearance."),
        ("h1", "4. Onboarding and the first six months", False),
        ("p", "Managers described onboarding as a scramble. New starters who arrived without a laptop spent their "
              "first weeks shadowing colleagues, and some could not complete their mandatory training until their "
              "second month."),
        ("p", "Six months after starting, 14 of the 160 recruits we followed had left the Probation Service."),
        ("h1", "Annex 1: Recommendations"),
        ("p", "This annex repeats the recommendations made in this report."),
        ("recs",),
        ("h1", "Annex 2: Glossary", False),
        ("p", "NPPV: Non-Police Personnel Vetting, carried out by police forces for staff who need access to "
              "police systems."),
        ("p", "PQiP: Professional Qualification in Probation, the training route to become a probation officer."),
        ("p", "PDU: probation delivery unit."),
    ],
)

VET_PLAN = Plan(
    key="vet-plan", file="2026-05_action-plan_recruitment-vetting-onboarding.docx", formats=["docx", "pdf"],
    layout="plan-two-formats",
    title="Action plan: The recruitment, vetting and onboarding of new probation staff", date="2026-05-05",
    report_date="2026-03-10", answers="vet-report", vocabulary="agreed",
    properties={"title": "Action plan: The recruitment, vetting and onboarding of new probation staff",
                "author": "HM Prison & Probation Service", "created": (2026, 5, 5)},
    title_lines=["HM Prison & Probation Service", "Action Plan Submitted: 5 May 2026",
                 "A Response to the HM Inspectorate of Probation Inspection:",
                 "The recruitment, vetting and onboarding of new probation staff",
                 "Report Published: 10 March 2026"],
    intro=[plan_intro("agreed")], definitions=AGREED_DEFINITIONS,
    table_title="ACTION PLAN: Recruitment, vetting and onboarding of new probation staff",
    header=AGREED_HEADER,
    groups=[
        (HMPPS, [
            Row("1", VET_GROUPS[0].recs[0].text, "Agreed", thread="vetting-delays", actions=[
                Action(["HMPPS has set a target of 25 working days for pre-employment vetting and will publish "
                        "performance against it each quarter in the Probation Workforce Bulletin."],
                       ["Divisional Head HR, HMPPS HR"], ["July 2026"]),
                Action(["Applications still outstanding at day 10 will be escalated to the shared services "
                        "provider for priority handling."],
                       ["Divisional Head HR, HMPPS HR"], ["Completed"]),
            ]),
            Row("2", VET_GROUPS[0].recs[1].text, "Partly agreed",
                note="HMPPS does not set the timescales for police forces.", actions=[
                    Action(["Candidates will receive an automated update at each stage of the HMPPS checks. "
                            "HMPPS cannot give candidates a date for the completion of Non-Police Personnel "
                            "Vetting, which police forces carry out, but will tell them how long it usually takes "
                            "in their area."],
                           ["Deputy Director, HMPPS Security"], ["December 2026"]),
                ]),
            Row("3", VET_GROUPS[0].recs[2].text, "Agreed", actions=[
                Action(["From the September 2026 cohort, PQiP candidates will be told the PDU in which they will be "
                        "placed in their conditional offer letter."],
                       ["Group Head, Probation Resourcing"], ["September 2026"]),
            ]),
            Row("4", VET_GROUPS[0].recs[3].text, "AGREED", actions=[
                Action(["Line managers will order IT equipment when the conditional offer is made, using the new "
                        "starter checklist."],
                       ["Regional Business Managers"], ["June 2026"]),
                Action(["Access to the case management system will be requested automatically when the start date "
                        "is confirmed."],
                       ["Head of Digital Services, Probation"], ["October 2026"]),
            ]),
        ]),
        (MOJ, [
            Row("5", VET_GROUPS[1].recs[0].text, "Not agreed",
                note="Security clearances are not transferable between departments for roles with access to "
                     "probation systems.", actions=[
                    Action(["The MoJ must be assured of the vetting of all staff with access to probation case "
                            "management systems. Clearances already held by candidates from other departments will "
                            "be checked for currency, which shortens the process, but the HMPPS enhanced check will "
                            "still be required."],
                           ["Deputy Director, MoJ Security"], ["Not applicable"]),
                ]),
            Row("6", VET_GROUPS[1].recs[1].text, "Agreed", thread="recruitment-disproportionality", actions=[
                Action(["MoJ People Group will publish an annual evaluation of recruitment outcomes for probation "
                        "roles by ethnicity, sex and disability, beginning with the 2026 recruitment year."],
                       ["Deputy Director Resourcing, Selection, Onboarding (MoJ People Group)"], ["March 2027"]),
            ]),
        ]),
    ],
    totals=[("Agreed", 4), ("Partly Agreed", 1), ("Not Agreed", 1), ("Total", 6)],
)


# ============================================================================================
# 3. PDU inspection: Kestrel Downs PDU (Word, April 2026), "1.1" numbering from Word's
#    multilevel list (the numbers are not in the text); plan as OpenDocument.
# ============================================================================================

KESTREL_GROUPS = [
    Group("Kestrel Downs PDU should:", [
        Rec("1.1", "Improve the quality of assessments of risk of serious harm, making sure that information about "
                   "domestic abuse and child safeguarding is obtained and analysed in every case.", link="1.1"),
        Rec("1.2", "Make sure that home visits are carried out where there are concerns about domestic abuse or "
                   "the safety of children.", link="1.2"),
        Rec("1.3", "Develop a plan to reduce the number of cases awaiting allocation to a probation practitioner.",
            link="1.3"),
    ]),
    Group("The North Midlands region should:", [
        Rec("2.1", "Make sure that senior probation officers in Kestrel Downs PDU have manageable workloads, so "
                   "that they can provide effective management oversight of cases.", link="2.1",
            thread="spo-workload"),
        Rec("2.2", "Support Kestrel Downs PDU to recruit and retain probation officers, including through "
                   "targeted local recruitment campaigns.", link="2.2", thread="recruit-retain"),
    ]),
    Group(HMPPS, [
        Rec("3.1", "Review the workload measurement tool so that it reflects the time needed to supervise people on "
                   "probation with complex needs.", link="3.1", thread="wmt-accuracy"),
        Rec("3.2", "Make sure that providers of commissioned rehabilitative services in the North Midlands are "
                   "resourced for the volume of referrals being made.", link="3.2", thread="crs-capacity"),
    ]),
]

KESTREL_TITLE = "An inspection of probation services in Kestrel Downs PDU"

KESTREL_REPORT = Report(
    key="kestrel-report", file="kestrel-downs-pdu-inspection.docx", fmt="docx", layout="report-numbered-1.1",
    title=KESTREL_TITLE, date="2026-04-14", plan="kestrel-plan", numbering="multilevel",
    properties={"title": KESTREL_TITLE, "author": "HM Inspectorate of Probation", "created": (2026, 4, 14)},
    groups=KESTREL_GROUPS,
    blocks=[
        ("cover", ["HM Inspectorate of Probation", "An inspection of probation services in: Kestrel Downs PDU",
                   "North Midlands region", "Published: 14 April 2026"]),
        ("h1", "Foreword"),
        ("p", "This inspection is part of our programme of inspections of probation delivery units (PDUs). We "
              "inspected Kestrel Downs PDU in January 2026, examining 68 cases and interviewing 41 practitioners "
              "and managers."),
        ("p", "Kestrel Downs PDU was rated as Requires improvement overall. Staff were committed, but high "
              "workloads and gaps in the management team meant that the work to keep people safe was not good "
              "enough in too many cases."),
        ("h1", "Ratings"),
        ("table", ("Standard", "Rating"),
         [("1.1 Leadership", "Requires improvement"), ("1.2 Staff", "Inadequate"),
          ("1.3 Services", "Requires improvement"), ("1.4 Information and facilities", "Good"),
          ("2.1 Assessment", "Requires improvement"), ("2.2 Planning", "Requires improvement"),
          ("2.3 Implementation and delivery", "Good"), ("2.4 Reviewing", "Inadequate")]),
        ("h1", "Recommendations"),
        ("p", "As a result of our inspection findings, we have made seven recommendations that we believe, if "
              "implemented, will have a positive impact on the quality of probation services."),
        ("recs",),
        ("h1", "Background"),
        ("p", "Kestrel Downs PDU supervises around 2,900 people on probation from offices in Kestrel Downs and "
              "Harnby. At the time of our inspection, the PDU had 17 vacant probation officer posts and two of its "
              "nine SPO posts were vacant."),
        ("h1", "1. Organisational delivery"),
        ("p", "Leaders had a clear vision for the PDU, but the high number of vacancies meant that they spent much "
              "of their time managing risk to the service rather than improving it."),
        ("p", "Staffing was the most pressing problem. The PDU was operating at 78 per cent of its target staffing "
              "for probation officers, and practitioners held an average WMT score of 126 per cent."),
        ("p", "SPOs were responsible for an average of 13 staff each, and told us that they could not provide the "
              "management oversight expected of them."),
        ("h1", "2. Court work and case supervision"),
        ("p", "Work to assess the risk of serious harm was not good enough. In 31 of the 68 cases we inspected, "
              "information from the police about domestic abuse had not been requested or had not been used in the "
              "assessment."),
        ("p", "Home visits had been carried out in only 9 of the 27 cases where one was needed to keep a child or "
              "partner safe."),
        ("h1", "3. Statutory victim work"),
        ("p", "The victim liaison service was good. Victims received timely information, and their concerns were "
              "reflected in licence conditions in all the cases we examined."),
    ],
)

KESTREL_PLAN = Plan(
    key="kestrel-plan", file="kestrel-downs-pdu_action-plan.odt", formats=["odt"], layout="plan-odt",
    title="Action plan: Inspection of probation services in Kestrel Downs PDU", date="2026-06-09",
    report_date="2026-04-14", answers="kestrel-report", vocabulary="agreed",
    properties={"title": "Action plan: Kestrel Downs PDU", "author": "HM Prison & Probation Service",
                "created": (2026, 6, 9)},
    title_lines=["HM Prison & Probation Service", "Action Plan Submitted: 9 June 2026",
                 "A Response to the HM Inspectorate of Probation Inspection:",
                 "Kestrel Downs PDU, North Midlands region", "Report Published: 14 April 2026"],
    intro=[plan_intro("agreed")], definitions=AGREED_DEFINITIONS,
    table_title="ACTION PLAN: Kestrel Downs PDU", header=AGREED_HEADER,
    groups=[
        ("Kestrel Downs PDU should:", [
            Row("1.1", KESTREL_GROUPS[0].recs[0].text, "Agreed", actions=[
                Action(["All practitioners will attend the North Midlands risk of serious harm workshop.",
                        "SPOs will audit five assessments a month using the Assessment Quality Assurance tool and "
                        "share the findings at team meetings."],
                       ["Head of PDU", "Senior Probation Officers"], ["October 2026", "Ongoing"]),
            ]),
            Row("1.2", KESTREL_GROUPS[0].recs[1].text, "agreed", actions=[
                Action(["Home visit guidance will be reissued, and SPOs will check at allocation that a home visit "
                        "has been planned where there are domestic abuse or child safeguarding concerns."],
                       ["Deputy Head of PDU"], ["July 2026"]),
            ]),
            Row("1.3", KESTREL_GROUPS[0].recs[2].text, "Agreed", actions=[
                Action(["An allocation recovery plan has been agreed with the region. Cases awaiting allocation are "
                        "reviewed daily by the duty SPO and reported weekly to the Head of PDU."],
                       ["Head of PDU"], ["Completed"]),
            ]),
        ]),
        ("The North Midlands region should:", [
            Row("2.1", KESTREL_GROUPS[1].recs[0].text, "Partly Agreed",
                note="Additional SPO posts cannot be funded in 2026/27.", thread="spo-workload", actions=[
                    Action(["The region will fill the two vacant SPO posts in Kestrel Downs PDU and provide a "
                            "senior administrator to take on allocation and rota tasks."],
                           ["Regional Probation Director"], ["September 2026"]),
                    Action(["Further SPO posts will be considered in the 2027/28 business plan."],
                           ["Regional Probation Director"], ["April 2027"]),
                ]),
            Row("2.2", KESTREL_GROUPS[1].recs[1].text, "AGREED", thread="recruit-retain", actions=[
                Action(["A targeted recruitment campaign for Kestrel Downs PDU will run in summer 2026, and the "
                        "region will apply the retention toolkit to the PDU."],
                       ["Regional Probation Director", "Divisional Head HR"], ["August 2026"]),
            ]),
        ]),
        (HMPPS, [
            Row("3.1", KESTREL_GROUPS[2].recs[0].text, "Agreed", thread="wmt-accuracy", actions=[
                Action(["The national review of WMT timings and weightings will include cases with complex needs, "
                        "and its findings will be shared with the PDU."],
                       ["Head of Workload Measurement, Central Operations Support"], ["December 2026"]),
            ]),
            Row("3.2", KESTREL_GROUPS[2].recs[1].text, "Not Agreed",
                note="Contracts for commissioned rehabilitative services are being re-let nationally in 2027.",
                thread="crs-capacity", actions=[
                    Action(["HMPPS will not vary the current contracts. Capacity for the North Midlands will be set "
                            "in the new contracts, which will take account of referral volumes."],
                           ["Head of Commissioning, HMPPS"], ["Not applicable"]),
                ]),
        ]),
    ],
    totals=None,
)


# ============================================================================================
# 4. Thematic review of the PQiP (OpenDocument, September 2024), lettered a), b), ...;
#    plan as Word with merged cells, in the Accepted / ... / Rejected vocabulary.
# ============================================================================================

PQIP_GROUPS = [
    Group(HMPPS, [
        Rec("a", "Evaluate each stage of PQiP recruitment and training by ethnicity, sex and disability, to "
                 "understand where learners from under-represented groups leave the process.", link="a",
            thread="recruitment-disproportionality"),
        Rec("b", "Make sure that every PQiP learner has a practice tutor assessor with no more than 12 learners at "
                 "a time.", link="b"),
        Rec("c", "Protect the reduced caseload of newly qualified officers for their first nine months in post.",
            link="c", thread="nqo-protection"),
        Rec("d", "Give candidates a realistic preview of the probation officer role before they accept the offer "
                 "of a PQiP place.", link="d"),
    ]),
    Group(MOJ, [
        Rec("e", "Review the pay of PQiP learners so that it is competitive with comparable graduate training "
                 "schemes.", link="e"),
        Rec("f", "Work with the universities delivering the PQiP to agree a consistent approach to extensions and "
                 "academic support.", link="f"),
    ]),
]

PQIP_TITLE = "Becoming a probation officer: a thematic review of the Professional Qualification in Probation"

PQIP_REPORT = Report(
    key="pqip-report", file="2024-09_pqip-thematic-review.odt", fmt="odt", layout="report-lettered",
    title=PQIP_TITLE, date="2024-09", plan="pqip-plan", numbering="letter",
    properties={"title": PQIP_TITLE, "author": "HM Inspectorate of Probation", "created": (2024, 9, 17)},
    groups=PQIP_GROUPS,
    blocks=[
        ("cover", ["HM Inspectorate of Probation", PQIP_TITLE, "A thematic review", "September 2024"]),
        ("h1", "Foreword"),
        ("p", "The Professional Qualification in Probation (PQiP) is the main route into the probation officer "
              "grade. Since 2021 the Probation Service has recruited more than 4,000 PQiP learners, and they now "
              "make up around one in five of the probation practitioners in many PDUs."),
        ("h1", "Summary"),
        ("p", "We spoke to 212 PQiP learners and 96 practice tutor assessors, and examined the progress of the "
              "2021 and 2022 cohorts."),
        ("p", "Of the learners who started the PQiP in 2021, 71 per cent had qualified within 21 months and 17 per "
              "cent had left the programme."),
        ("p", "Learners from ethnic minority backgrounds were more likely to leave: 24 per cent of them had left, "
              "compared with 15 per cent of white learners."),
        ("h1", "Recommendations"),
        ("p", "We have made six recommendations."),
        ("recs",),
        ("h1", "1. Introduction"),
        ("p", "This review follows learners from the point at which they apply for the PQiP to the end of their "
              "first year as newly qualified officers."),
        ("h1", "2. Recruitment to the PQiP"),
        ("p", "In 2023, 9,850 people applied for 1,480 PQiP places."),
        ("p", "Many learners told us that the role was not what they had expected. The advertising emphasised work "
              "with people, but learners found that much of their time went on recording and administration."),
        ("h1", "3. Learning and support"),
        ("p", "Practice tutor assessors supported an average of 14 learners each, and some supported more than 20."),
        ("p", "Learners told us what helped them most:"),
        ("bullets", ["protected study time that was respected by their managers;",
                     "a practice tutor assessor who knew their cases;",
                     "a caseload that grew gradually over the programme."]),
        ("h1", "4. The newly qualified officer year"),
        ("p", "Newly qualified officers should have a caseload reduced to 80 per cent of a full workload for their "
              "first six months. We found that the reduction had been applied for the full period in only 58 per "
              "cent of the cases we examined."),
    ],
)

PQIP_PLAN = Plan(
    key="pqip-plan", file="2024-11_action-plan_pqip-thematic-review.docx", formats=["docx"], layout="plan-docx",
    title="Action plan: Becoming a probation officer, a thematic review of the PQiP", date="2024-11-20",
    report_date="2024-09-17", answers="pqip-report", vocabulary="accepted",
    properties={"title": "Action plan: Becoming a probation officer", "author": "HM Prison & Probation Service",
                "created": (2024, 11, 20)},
    title_lines=["HM Prison & Probation Service", "Action Plan Submitted: 20 November 2024",
                 "A Response to the HM Inspectorate of Probation Thematic Review:", PQIP_TITLE,
                 "Report Published: 17 September 2024"],
    intro=[plan_intro("accepted")],
    definitions=ACCEPTED_DEFINITIONS + [("Rejected", "The recommendation is rejected because it is outside the "
                                                     "remit of HMPPS and the MoJ or conflicts with policy.")],
    table_title="ACTION PLAN: Becoming a probation officer",
    header=("Rec", "Recommendation", "Accepted / Partly accepted / Not accepted / Rejected", "Action", "Lead",
            "Timescale"),
    groups=[
        (HMPPS, [
            Row("a", PQIP_GROUPS[0].recs[0].text, "ACCEPTED", thread="recruitment-disproportionality", actions=[
                Action(["MoJ People Group and HMPPS will analyse outcomes at each stage of PQiP recruitment and "
                        "training by protected characteristic for the 2022, 2023 and 2024 cohorts."],
                       ["Deputy Director Workforce and Capability"], ["March 2025"]),
                Action(["The findings will be reported to the PQiP Assurance sub-committee, which will agree "
                        "actions where disproportionate outcomes are found."],
                       ["Deputy Director Workforce and Capability"], ["June 2025"]),
            ]),
            Row("b", PQIP_GROUPS[0].recs[1].text, "Partly accepted",
                note="A ratio of one practice tutor assessor to 12 learners will be the expected standard, not a "
                     "maximum.", actions=[
                    Action(["HMPPS will set an expected ratio of one practice tutor assessor to 12 learners in the "
                            "PQiP operating guidance. Regions may exceed this ratio for short periods where "
                            "vacancies make it necessary."],
                           ["Head of Professional Qualifications"], ["April 2025"]),
                ]),
            Row("c", PQIP_GROUPS[0].recs[2].text, "Accepted", thread="nqo-protection", actions=[
                Action(["The national framework for newly qualified officers will be revised to require a 20 per "
                        "cent caseload reduction for nine months, and compliance will be monitored monthly through "
                        "the workload measurement tool."],
                       ["Deputy Director Probation Operations Directorate"], ["April 2025"]),
            ]),
            Row("d", PQIP_GROUPS[0].recs[3].text, "Accepted", actions=[
                Action(["A day in the life video and a practice-based scenario will be added to the PQiP "
                        "application process."],
                       ["Head of Recruitment Marketing (MoJ Communications Directorate)"], ["January 2025"]),
            ]),
        ]),
        (MOJ, [
            Row("e", PQIP_GROUPS[1].recs[0].text, "Rejected", note="PQiP pay is set through the annual pay remit.",
                actions=[
                    Action(["The MoJ will not review PQiP pay outside the annual pay remit process. Pay for PQiP "
                            "learners was increased in line with the 2024 pay award."],
                           ["Deputy Director Pay, Reward, Pensions and Job Evaluation"], ["Not applicable"]),
                ]),
            Row("f", PQIP_GROUPS[1].recs[1].text, "Not Accepted",
                note="Academic regulations are a matter for each university.", actions=[
                    Action(["The MoJ will share the findings of the review with the universities delivering the "
                            "PQiP, but cannot require a common approach to extensions."],
                           ["Deputy Director Workforce and Capability"], ["Not applicable"]),
                ]),
        ]),
    ],
    totals=[("Accepted", 3), ("Partly accepted", 1), ("Not accepted", 1), ("Rejected", 1), ("Total", 6)],
)


# ============================================================================================
# 5. PDU inspection: Ashby Fields PDU (saved web page, May 2026), recommendations in an HTML
#    table; its plan (PDF) covers Ashby Fields and Wrenfold PDUs with near-identical rows.
# ============================================================================================

ASHBY_GROUPS = [
    Group("Ashby Fields PDU should:", [
        Rec("1", "Improve the quality of assessments of the risk of serious harm, making full use of information "
                 "from the police and children's social care services.", link="1"),
        Rec("2", "Make sure that sentence plans address the factors linked to reoffending and are reviewed when "
                 "circumstances change.", link="2"),
        Rec("3", "Ensure that all case administrators receive the training they need to carry out the full range "
                 "of their duties.", link="3", thread="admin-training"),
        Rec("4", "Involve people on probation in the design and delivery of services, acting on the findings of "
                 "the regional survey.", link="4"),
    ]),
    Group("The South Marches region should:", [
        Rec("5", "Fill the vacant deputy head post in Ashby Fields PDU, so that the PDU has a stable senior "
                 "leadership team.", link="9"),
        Rec("6", "Make sure that waiting times for commissioned rehabilitative services are monitored and reported "
                 "to the PDU each month.", link="10", thread="crs-waiting-times"),
    ]),
    Group(HMPPS, [
        Rec("7", "Ensure that the Ashby Fields office has enough interview rooms for people on probation to be "
                 "seen in private.", link="13"),
    ]),
]

ASHBY_TITLE = "An inspection of probation services in Ashby Fields PDU"

ASHBY_REPORT = Report(
    key="ashby-report", file="ashby-fields-pdu-inspection.html", fmt="html", layout="web-table",
    title=ASHBY_TITLE, date="2026-05-19", plan="ashby-wrenfold-plan", numbering="table",
    properties={"title": ASHBY_TITLE + " (May 2026) - HM Inspectorate of Probation", "date": "2026-05-19"},
    groups=ASHBY_GROUPS,
    blocks=[
        ("p", "Ashby Fields PDU is one of two probation delivery units in the South Marches region that we "
              "inspected in February 2026. The other, Wrenfold PDU, is the subject of a separate report."),
        ("p", "Overall rating: Requires improvement"),
        ("h2", "Our findings"),
        ("p", "Leaders in Ashby Fields PDU had worked hard to stabilise the PDU after a period of high staff "
              "turnover, and staff told us that morale was improving."),
        ("p", "We inspected 52 cases. Assessments of the risk of serious harm were sufficient in only 27 of them, "
              "and information from children's social care had been obtained in fewer than half of the cases "
              "where it was needed."),
        ("p", "Case administrators had not been trained to use the new case management system, and practitioners "
              "were doing administrative work that should have been done by others."),
        ("h2", "Recommendations"),
        ("p", "We have made seven recommendations that we believe, if implemented, will have a positive impact on "
              "the quality of probation services in Ashby Fields PDU."),
        ("recs",),
        ("h2", "Background"),
        ("p", "Ashby Fields PDU supervises around 1,750 people on probation from a single office in the town "
              "centre. At the time of our fieldwork the deputy head of PDU post had been vacant for eight months."),
        ("h2", "Contextual facts"),
        ("p", "The PDU had 9 vacant probation officer posts and 4 vacant case administrator posts."),
    ],
)

ASHBY_PLAN = Plan(
    key="ashby-wrenfold-plan", file="2026-07_action-plan_ashby-fields-wrenfold.pdf", formats=["pdf"],
    layout="plan-two-units-pdf",
    title="Action plan: Inspection of Ashby Fields and Wrenfold PDUs, South Marches region", date="2026-07-07",
    report_date="2026-05-19", answers="ashby-report", vocabulary="agreed",
    properties={"title": "Action plan: Ashby Fields PDU and Wrenfold PDU", "author": "HM Prison & Probation Service",
                "created": (2026, 7, 7)},
    title_lines=["HM Prison & Probation Service", "Action Plan Submitted: 7 July 2026",
                 "A Response to the HM Inspectorate of Probation Inspection:",
                 "Ashby Fields PDU and Wrenfold PDU, South Marches region", "Report Published: 19 May 2026"],
    intro=[plan_intro("agreed")], definitions=AGREED_DEFINITIONS,
    table_title="ACTION PLAN: Ashby Fields PDU and Wrenfold PDU", header=AGREED_HEADER,
    groups=[
        ("Ashby Fields PDU should:", [
            Row("1", ASHBY_GROUPS[0].recs[0].text, "Agreed", actions=[
                Action(["Ashby Fields PDU will hold risk of serious harm workshops for all practitioners, and SPOs "
                        "will check at allocation that police domestic abuse call-out information and children's "
                        "social care checks have been requested."],
                       ["Head of Ashby Fields PDU"], ["November 2026"]),
            ]),
            Row("2", ASHBY_GROUPS[0].recs[1].text, "Agreed", actions=[
                Action(["Practitioners will review sentence plans at each three-month review and after any "
                        "significant change in circumstances, and SPOs will check plans in supervision."],
                       ["Head of Ashby Fields PDU"], ["October 2026"]),
            ]),
            Row("3", ASHBY_GROUPS[0].recs[2].text, "Agreed", thread="admin-training", actions=[
                Action(["The PDU will complete a training needs analysis for case administrators and use the "
                        "regional administration training guide to meet the needs it identifies."],
                       ["Head of Ashby Fields PDU", "Probation Learning Lead"], ["September 2026"]),
            ]),
            Row("4", ASHBY_GROUPS[0].recs[3].text, "Agreed", actions=[
                Action(["An engaging people on probation lead will be named in the PDU, and a local plan will be "
                        "agreed that draws on the findings of the regional survey."],
                       ["Deputy Head of Ashby Fields PDU"], ["December 2026"]),
            ]),
        ]),
        ("Wrenfold PDU should:", [
            Row("5", "Improve the quality of assessments of the risk of serious harm, making full use of information "
                     "from the police and children's social care.", "Agreed", actions=[
                Action(["Wrenfold PDU will hold risk of serious harm workshops for all practitioners, and SPOs will "
                        "check at allocation that police domestic abuse call-out information and children's social "
                        "care checks have been requested."],
                       ["Head of Wrenfold PDU"], ["November 2026"]),
            ]),
            Row("6", "Make sure that sentence plans address the factors linked to reoffending and are reviewed when "
                     "circumstances change.", "Agreed", actions=[
                Action(["Practitioners will review sentence plans at each three-month review and after any "
                        "significant change in circumstances, and SPOs will check plans in supervision."],
                       ["Head of Wrenfold PDU"], ["October 2026"]),
            ]),
            Row("7", "Ensure that all case administrators receive the training they need to carry out the full range "
                     "of their duties.", "Agreed", thread="admin-training", actions=[
                Action(["The PDU will complete a training needs analysis for case administrators and use the "
                        "regional administration training guide to meet the needs it identifies."],
                       ["Head of Wrenfold PDU", "Probation Learning Lead"], ["September 2026"]),
            ]),
            Row("8", "Improve how people on probation are involved in the design and delivery of services.",
                "Partly Agreed", note="A separate people on probation council cannot be funded for Wrenfold PDU.",
                actions=[
                    Action(["Wrenfold PDU will join the Ashby Fields people on probation forum rather than "
                            "establishing its own council."],
                           ["Head of Wrenfold PDU"], ["January 2027"]),
                ]),
        ]),
        ("The South Marches region should:", [
            Row("9", ASHBY_GROUPS[1].recs[0].text, "Agreed", scope="(for Ashby Fields PDU)", actions=[
                Action(["The deputy head post was advertised in May 2026 and an appointment has been made."],
                       ["Regional Probation Director"], ["Completed"]),
            ]),
            Row("10", ASHBY_GROUPS[1].recs[1].text, "Agreed", scope="(for Ashby Fields PDU)",
                thread="crs-waiting-times", actions=[
                    Action(["The regional commissioned rehabilitative services performance report will show waiting "
                            "times by PDU and will be reviewed at the monthly PDU performance meeting."],
                           ["Head of Community Integration"], ["August 2026"]),
                ]),
            Row("11", "Fill the vacant deputy head post in Wrenfold PDU, so that the PDU has a stable senior "
                      "leadership team.", "Agreed", scope="(for Wrenfold PDU)", actions=[
                Action(["Recruitment to the Wrenfold PDU deputy head post will begin when the secondment of the "
                        "current post holder ends."],
                       ["Regional Probation Director"], ["October 2026"]),
            ]),
            Row("12", ASHBY_GROUPS[1].recs[1].text, "Agreed", scope="(for Wrenfold PDU)",
                thread="crs-waiting-times", actions=[
                    Action(["The regional commissioned rehabilitative services performance report will show waiting "
                            "times by PDU and will be reviewed at the monthly Wrenfold PDU performance meeting.",
                            "Waiting times for the accommodation and personal wellbeing services will be reported "
                            "separately, because these services receive most of the referrals made by Wrenfold PDU. "
                            "Where a person on probation has waited more than 20 working days for a first "
                            "appointment, the case will be escalated to the provider's contract manager and "
                            "discussed at the next regional commissioning board.",
                            "The Head of Community Integration will report the waiting times for both PDUs to the "
                            "South Marches senior leadership team each quarter, together with any actions agreed "
                            "with providers to reduce them."],
                           ["Head of Community Integration"], ["August 2026"]),
                ]),
        ]),
        (HMPPS, [
            Row("13", ASHBY_GROUPS[2].recs[0].text, "Not Agreed", scope="(for Ashby Fields PDU)",
                note="The Ashby Fields office is due to close in 2028.", actions=[
                    Action(["The MoJ estates plan for the South Marches region will move Ashby Fields PDU to a new "
                            "office in 2028. In the meantime two additional interview rooms will be made available "
                            "by booking space in the neighbouring council building."],
                           ["Head of Estates, Probation"], ["Not applicable"]),
                ]),
            Row("14", "Reduce waiting times for accredited programmes in Wrenfold PDU, so that people on probation "
                      "start a programme within 12 weeks of sentence.", "Agreed", scope="(for Wrenfold PDU)",
                actions=[
                    Action(["HMPPS will fund an additional programme facilitator for Wrenfold PDU and report "
                            "waiting times to the regional performance board each month."],
                           ["Head of Interventions, HMPPS"], ["March 2027"]),
                ]),
        ]),
    ],
    totals=[("Agreed", 12), ("Partly Agreed", 1), ("Not Agreed", 1), ("Total", 14)],
)


# ============================================================================================
# 6. PDU inspection: Calderbrook PDU (PDF, November 2023): "(1)" markers, lower-case items,
#    no plan in the set.
# ============================================================================================

CALDER_GROUPS = [
    Group("Calderbrook PDU should:", [
        Rec("1", "improve the quality of work to keep children and adults at risk safe, including making enquiries "
                 "with children's social care services at the start of every sentence"),
        Rec("2", "make sure that all staff complete the mandatory domestic abuse training"),
    ]),
    Group("The Pennine region should:", [
        Rec("3", "review how senior probation officers' workloads are measured, so that managers in Calderbrook PDU "
                 "have the time to oversee the work of their teams", thread="spo-workload"),
    ]),
    Group(HMPPS, [
        Rec("4", "reduce the time it takes to vet new staff, so that vacant posts are filled more quickly",
            thread="vetting-delays"),
        Rec("5", "make sure that the Calderbrook office is accessible to people on probation with disabilities."),
    ]),
]

CALDER_TITLE = "An inspection of probation services in Calderbrook PDU"

CALDER_REPORT = Report(
    key="calder-report", file="2023-11_calderbrook-pdu-inspection.pdf", fmt="pdf", layout="report-parenthesised",
    title=CALDER_TITLE, date="2023-11-21", plan=None, numbering="paren",
    running_header="Inspection of probation services: Calderbrook PDU", footer="{n}",
    properties={"title": CALDER_TITLE, "author": "HM Inspectorate of Probation", "created": (2023, 11, 21)},
    groups=CALDER_GROUPS,
    blocks=[
        ("cover", ["HM Inspectorate of Probation", "An inspection of probation services in: Calderbrook PDU",
                   "Pennine region", "Published: 21 November 2023"]),
        ("h1", "Foreword", False),
        ("p", "This inspection is part of our programme of inspections of probation delivery units. We inspected "
              "Calderbrook PDU in August 2023 and examined 54 cases."),
        ("p", "Overall, Calderbrook PDU was rated as: Requires improvement."),
        ("p", "The PDU had 11 vacant probation officer posts, and new staff waited too long for their vetting to be "
              "completed before they could start. SPOs managed an average of 12 staff each and told us that they "
              "did not have the time to oversee their teams' work."),
        ("h1", "Recommendations", False),
        ("p", "As a result of our inspection findings, we have made five recommendations that we believe, if "
              "implemented, will have a positive impact on the quality of probation services."),
        ("recs",),
        ("h1", "1. Organisational delivery"),
        ("p", "The head of PDU had been in post for only four months at the time of the inspection. The senior "
              "leadership team had a clear understanding of the PDU's performance and had begun to address its "
              "weaknesses."),
        ("p", "Only 62 per cent of staff had completed the mandatory domestic abuse training."),
        ("h1", "2. Court work and case supervision", False),
        ("p", "Enquiries with children's social care services had been made at the start of the sentence in 21 of "
              "the 38 cases where they were needed."),
        ("p", "The Calderbrook office has no lift, and people on probation who cannot use stairs are seen in a "
              "single ground-floor room."),
    ],
)

REPORTS = [SPO_REPORT, VET_REPORT, KESTREL_REPORT, PQIP_REPORT, ASHBY_REPORT, CALDER_REPORT]
PLANS = [SPO_PLAN, VET_PLAN, KESTREL_PLAN, PQIP_PLAN, ASHBY_PLAN]

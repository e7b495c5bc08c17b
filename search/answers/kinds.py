"""The kind of answer a question asks for, and whether a sentence holds one.

    answer_type("How many focus groups were held?") == "count"
    type_found("count", "150 focus groups/554 staff", "How many focus groups were held?", analyzer)

Kinds: a number ("how many"), an amount of money ("how much", "budget", "salary"), a percentage
or rate, a date ("when"), a length of time ("how long"), how often ("quarterly"), a person's name, an
organisation's name ("which company"), who is responsible ("Who owns ...?": a plan row's owner line, or
a sentence saying who leads or is responsible), or an outcome ("what were the findings"). A question
that opens with a verb asks yes or no, and asks for a kind only in a question coordinated after it
("..., and by when?") or by naming a date or deadline. A number that labels
("Recommendation 11:") or that the question gives is not a count; a plan ("will", "to be
commissioned") is not an outcome; a role is not a person's name.
"""
from __future__ import annotations

import re
from typing import Optional

from search.answers.names import QUESTION_WORDS, initials, is_acronym, question_entities, spelled_out

ANSWER_TYPES = {
    "count": "a number", "money": "an amount", "percent": "a percentage or rate", "date": "a date",
    "duration": "a length of time", "person": "a name", "organisation": "the organisation's name",
    "outcome": "findings or an outcome", "owner": "who is responsible", "frequency": "how often",
    "expansion": "what it stands for",
}
# the words of a question that ask for its kind of answer rather than name what it is about
KIND_WORDS = {"expansion": frozenset("stand stands short full name form expansion acronym acronyms abbreviation "
                                     "abbreviations initials mean means meaning".split())}
_TYPE_RULES: list[tuple[str, re.Pattern]] = [
    # "What does NPPV stand for?": the words an acronym of the question is made of
    ("expansion", re.compile(r"\bstands? for\b|\bshort for\b|\b(?:acronym|abbreviation|initials)\b.*\bmean\b|"
                             r"\b(?:full name|expansion|full form) (?:of|for)\b", re.IGNORECASE)),
    # "How often is the report on declaration rates published?" asks how often, not for a rate
    ("frequency", re.compile(r"\bhow often\b|\bhow frequently\b|\bwhat frequency\b", re.IGNORECASE)),
    ("money", re.compile(r"\bhow much\b.*\b(?:cost|money|spend|spent|budget|worth|pay|paid|invest\w*|fund\w*|"
                         r"allocated)\b|^\s*(?:what|which)\b.*\b(?:budget|salary|salaries|cost|value|price|worth|"
                         r"pay (?:increase|rise))\b(?!\s+(?:benefit|analysis|pressures?))", re.IGNORECASE)),
    ("percent", re.compile(r"\b(?:percentage|per cent|proportion|what share|(?:completion|vacancy|reoffending|absence|"
                           r"retention|attrition|turnover|leaving|success|pass|response|declaration)\s+rates?)\b",
                           re.IGNORECASE)),
    # "how much" of anything but money asks for a quantity: a number ("How much protected time ...?": "20%")
    ("count", re.compile(r"\bhow many\b|\bhow much\b|\bwhat number\b|\bnumber of\b|\baverage\b|\bscore\b",
                         re.IGNORECASE)),
    ("duration", re.compile(r"\bhow long\b", re.IGNORECASE)),
    ("date", re.compile(r"^\s*when\b|\bwhat date\b|\bby when\b|\bsince when\b|\bwhen (?:was|were|is|will|did)\b|"
                        r"\bdates?\b|\bdeadlines?\b|\b(?:in |by )?(?:which|what) (?:years?|month|quarter)\b",
                        re.IGNORECASE)),
    ("person", re.compile(r"\b(?:name of|named person|who won|who is the named)\b", re.IGNORECASE)),
    ("organisation", re.compile(r"\bwhich (?:company|organisation|organization|charity|firm|supplier|"
                                r"universit(?:y|ies)|provider)\b", re.IGNORECASE)),
    # who answers for it: a plan row's responsible owner, or a sentence saying who leads or is responsible
    ("owner", re.compile(r"\bwho (?:is |are |was |were |will be |would be )?(?:responsible|accountable|in charge)\b|"
                         r"\bwho (?:owns|leads|will lead|is leading|has responsibility)\b|\bowners?\b",
                         re.IGNORECASE)),
    ("outcome", re.compile(r"\b(?:findings?|results?|outcome|conclusions?)\b(?! (?:in|of) (?:a|the) (?:new|pilot))|"
                           r"\bwhat did (?:the |it |they )?\w+(?: \w+){0,4} (?:find|decide|conclude|show)\b",
                           re.IGNORECASE)),
]
# number words, a tens word with its unit written on ("twenty-two") first so that it is read whole
_NUMBER_WORDS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:one|two|three|four|five|six|seven|" \
                r"eight|nine)|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|" \
                r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|" \
                r"ninety|hundred|thousand|dozen|half|third|quarter"
_TYPE_EVIDENCE: dict[str, re.Pattern] = {
    "count": re.compile(r"(?<![\d/])\b(?!(?:19|20)\d{2}\b)\d[\d,]*(?:\.\d+)?\b(?!\s*(?:/|-)\s*\d)|"
                        rf"\b(?:{_NUMBER_WORDS})\b|"
                        r"\b\d+:\d+\b", re.IGNORECASE),
    "money": re.compile(r"£\s?\d|\b\d[\d,.]*\s*(?:pounds|million|billion|bn|k)\b", re.IGNORECASE),
    "percent": re.compile(r"\d\s?%|\bper ?cent\b|\b(?:half|a third|a quarter|two thirds)\b|\b\d+ (?:in|out of) \d+\b",
                          re.IGNORECASE),
    "date": re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December|"
                       r"Q[1-4])\b\s*\d{0,4}|\b(?:19|20)\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b", re.IGNORECASE),
    "frequency": re.compile(r"\b(?:daily|weekly|fortnightly|monthly|bi-?monthly|quarterly|annually|yearly|"
                            r"bi-?annual(?:ly)?|six-monthly|twice[- ]yearly|"
                            r"(?:each|every|per|a) (?:day|week|fortnight|month|quarter|year|\w+ (?:weeks|months|years))"
                            r"|once a|twice a)\b", re.IGNORECASE),
    "duration": re.compile(rf"\b(?:\d+|{_NUMBER_WORDS})[\s-]*(?:working\s+)?(?:days?|weeks?|months?|years?)\b|"
                           r"\bmonthly|weekly|annually\b", re.IGNORECASE),
}
# Who answers for something: a plan row's owner line, or a sentence that says who leads it or is responsible.
_OWNED = re.compile(r"^Responsible owner:|\b(?:led|owned|chaired|co-chaired|overseen|managed|coordinated|"
                    r"sponsored) (?:by|at)\b|\bresponsib(?:le|ility)\b|\baccountable\b", re.IGNORECASE)
# A report of something done (an outcome), not of something planned.
_PLANNED = re.compile(r"\b(?:will|shall|is to|are to|to be|has been commissioned|have been commissioned|plans? to|"
                      r"intends? to|due to|going to|until|once|not possible)\b", re.IGNORECASE)
_REPORTED = re.compile(r"\b(?:found|showed|concluded|identified|led to|resulted in|revealed|reported|highlighted|"
                       r"demonstrated|recommended)\b", re.IGNORECASE)
# a number that labels something ("Recommendation 11:", "page 7") is not a count of it
_LABEL_BEFORE = frozenset("recommendation recommendations rec row page pages p pp section annex appendix paragraph "
                          "para step phase tier band level grade version no number day cohort wave round".split())
_TITLES = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Professor|Prof|Sir|Dame|Lord|Lady|Baroness)\.?\s+[A-Z][a-z]+")
# "How many focus groups ..." counts focus groups: the number must stand by one of those words
_COUNTED = re.compile(r"\b(?:how many|what number of|number of|average|how big is the)\s+"
                      r"((?:[\w'’-]+\s+){0,3}[\w'’-]+)", re.IGNORECASE)
_NUMBER = re.compile(rf"(?<![\d/])\b(?!(?:19|20)\d{{2}}\b)\d[\d,]*(?:\.\d+)?\b|\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE)
_ROLE_WORDS = frozenset("""
director deputy head chief officer officers probation service services inspector inspectorate manager managers group
team lead leads programme ministry justice hm his her majesty's prison prisons regional region national senior
business partner partners operations operational directorate policy unit pdu pdus hmpps moj nps the of and for
board committee forum panel workstream project plan framework strategy contract scheme tool platform day week month
year january february march april may june july august september october november december monday tuesday wednesday
thursday friday response recommendation status target owner
""".split())


# A question that opens with a verb asks yes or no: a "how many" or "when" inside it belongs to a clause it
# asks about ("Is the WMT going to work out how much resource SPOs need?"), not to what it asks for; a question
# coordinated after it does ask ("..., and by how much?"), and so does a date or deadline it names.
_YES_NO = re.compile(r"^\s*(?:is|are|was|were|do|does|did|has|have|had|will|would|should|could|can|may|might|must|"
                     r"shall)\b", re.IGNORECASE)
_FOLLOW_UP = re.compile(r"\band\s+((?:by |in |at |for |from )?(?:what|when|which|who|how|where)\b.*)$",
                        re.IGNORECASE)
_ASKS_DATE = re.compile(r"\b(?:dates?|deadlines?)\b", re.IGNORECASE)


# Findings named by a question that asks who, where or how about them ("To whom do the inspectorates report their
# findings?"), or what will be done with them, do not make it ask for findings.
_NOT_FOR_OUTCOME = re.compile(r"^\s*(?:(?:to|from|by|with) )?(?:who|whom|whose|where|when|why|how)\b|^\s*what will\b",
                              re.IGNORECASE)


def answer_type(question: str) -> Optional[str]:
    if _YES_NO.match(question):
        follow_up = _FOLLOW_UP.search(question)
        if follow_up:
            return _first_type(follow_up.group(1))
        return "date" if _ASKS_DATE.search(question) else None
    kind = _first_type(question)
    return None if kind == "outcome" and _NOT_FOR_OUTCOME.match(question) else kind


def _first_type(text: str) -> Optional[str]:
    for kind, rx in _TYPE_RULES:
        if rx.search(text):
            return kind
    return None


def _norm(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def counted_words(question: str, analyzer) -> set[str]:
    """The terms of what a 'how many' question counts ("how many focus groups" -> focus, group)."""
    out: set[str] = set()
    for m in _COUNTED.finditer(question):
        for w in m.group(1).split():
            if w.lower() in QUESTION_WORDS:
                break
            out.update(analyzer.stems(w))
    return out


def _count_found(sentence: str, counted: set[str], analyzer, given: frozenset[str] = frozenset()) -> bool:
    """A number (not one the question gives, not a label such as "Recommendation 11") standing within
    four words before, or two after, one of the counted words."""
    words = re.findall(r"[\w'’,.%£/:-]+", sentence)
    stems = [set(analyzer.stems(w)) for w in words]
    for i, w in enumerate(words):
        bare = w.strip(",.")
        if not (_NUMBER.fullmatch(bare) or re.fullmatch(r"[\d,]+(?:/[\d,]+)*", bare)):
            continue
        if bare in given or (i > 0 and words[i - 1].lower().strip(".") in _LABEL_BEFORE) or w.endswith(":"):
            continue  # a number the question gives, or one that labels ("Recommendation 11:")
        near = stems[max(0, i - 2):i] + stems[i + 1:i + 5]
        if not counted or any(counted & st for st in near):
            return True
    return False


def _expansion_found(sentence: str, question: str, analyzer=None) -> bool:
    """What an acronym of the question stands for, in the sentence: written out beside it or anywhere in it
    (names.spelled_out), or as the glossary expands it."""
    acronyms = [e for e in question_entities(question) if is_acronym(e)]
    entries = getattr(getattr(analyzer, "glossary", None), "entries", ())
    norm = _norm(sentence)
    for a in acronyms:
        if spelled_out(a, sentence):
            return True
        bare = a[:-1] if a.endswith("s") and a[:-1].isupper() else a
        if any(abbr.lower() == bare.lower() and any(_norm(e) in norm for e in exps) for abbr, exps in entries):
            return True
    return False


def type_found(kind: Optional[str], sentence: str, question: str = "", analyzer=None) -> bool:
    """Whether the sentence holds an answer of the kind asked for."""
    if kind is None:
        return True
    given = frozenset(re.findall(r"\d[\d,]*", question))
    if kind == "count" and analyzer is not None:
        return _count_found(sentence, counted_words(question, analyzer), analyzer, given)
    if kind in _TYPE_EVIDENCE:
        return bool(_TYPE_EVIDENCE[kind].search(sentence))
    if kind == "outcome":
        return bool(_REPORTED.search(sentence)) and not _PLANNED.search(sentence)
    if kind == "owner":
        return bool(_OWNED.search(sentence))
    if kind == "expansion":
        return _expansion_found(sentence, question, analyzer)
    asked = set(_norm(question).split())
    asked_initials = {initials(e).lower() for e in question_entities(question)}
    generic = {a.lower() for a, _ in getattr(getattr(analyzer, "glossary", None), "entries", ())}

    def new_name(n: str) -> bool:
        """A name the question does not give, that is not the field's own vocabulary (the glossary's
        abbreviations, or a name whose initials are one) nor only role and body words."""
        words = {w.lower() for w in n.split()}
        if n.lower() in generic or initials(n).lower() in generic or n.lower() in asked_initials:
            return False
        return not words <= (asked | _ROLE_WORDS)

    if kind == "person":  # a person's name, as a title gives it ("Dr Smith"): roles are not names
        return bool(_TITLES.search(sentence))
    if kind == "organisation":  # a proper name, not one introduced by "the" ("the monthly Commissioning Board")
        return any(new_name(n) and not re.search(rf"\b(?:the|a|an|our|its|their)\s+(?:\w+\s+)?{re.escape(n)}\b",
                                                 sentence, re.IGNORECASE)
                   for n in question_entities(sentence) if len(n) >= 3)
    return True

"""What a question is about, and whether a passage can answer it.

    focus = question_focus("How many approved premises beds are there in London?", analyzer, idf)
    focus.entities == ("London",); focus.answer_type == "count"

A question's focus is what an answer must speak to:

- its salient terms: the analyzer's terms of its content words (question words and
  function words set aside), each weighted by its BM25 idf over the index, so a rare word
  counts for much and "probation" for little; a term no passage holds weighs most;
- the names it uses: places, bodies and programmes, written with capitals ("Essex South",
  "Youth Justice Board", "PQiP") or as acronyms;
- the years and periods it names ("2023", "2022/23", "January 2023");
- the kind of answer it asks for: a number ("how many"), an amount of money ("how much",
  "budget", "salary"), a percentage or rate, a date ("when"), a length of time ("how long"),
  a person's name, an organisation's name ("which company"), or an outcome ("what were the
  findings").

A candidate answer sentence satisfies the focus when every name and year of the question
is in the sentence's passage (its text, heading, document title or date; an abbreviation
counts for its glossary expansion and the reverse), the sentence holds an answer of the
kind asked for, and enough of the salient terms' weight is in the sentence and its passage
heading (`coverage`). What fails is reported as what is missing, so that a reply can say
"the documents mention X, but say nothing about London".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Optional

# Words of the question itself, not of its subject.
_QUESTION_WORDS = frozenset("""
what which who whom whose when where why how many much does did do is are was were be been being has have had
will would should could can may might must shall the a an of for in on at to from by with about into onto over
any some there their they them it its this that these those me my our we us you your tell give list describe
explain please current currently actually really still yet ever also and or but if than then so such
""".split())
_YEAR = re.compile(r"\b(?:(January|February|March|April|May|June|July|August|September|October|November|December)\s+)?"
                   r"((?:19|20)\d{2})(?:\s*(?:/|-|–|to)\s*((?:19|20)?\d{2}))?\b", re.IGNORECASE)
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’&-]*|(?=[A-Z0-9]*[A-Z])[A-Z0-9]{2,}[a-z]?s?)$")
_JOINERS = {"of", "and", "the", "for", "&"}
_SENTENCE_START = frozenset("""
What Which Who Whom Whose When Where Why How Is Are Was Were Do Does Did Has Have Had Will Would Should Could Can
May Might Must Shall Tell Give List Describe Explain Please Since By In On At For From To With About Under After
Before During If The A An Any
""".split())
_NOT_NAMES = frozenset({"I"})
_ACRONYM = re.compile(r"^(?=\w*[A-Z]\w*[A-Z])[A-Za-z0-9&]{2,}$")  # two capitals at least: HMPPS, PQiP, SEEDS2

ANSWER_TYPES = {
    "count": "a number", "money": "an amount", "percent": "a percentage or rate", "date": "a date",
    "duration": "a length of time", "person": "a name", "organisation": "the organisation's name",
    "outcome": "findings or an outcome",
}
_TYPE_RULES: list[tuple[str, re.Pattern]] = [
    ("money", re.compile(r"\bhow much\b.*\b(?:cost|money|spend|spent|budget|worth|pay|paid|invest\w*|fund\w*|"
                         r"allocated)\b|^\s*(?:what|which)\b.*\b(?:budget|salary|salaries|cost|value|price|worth|"
                         r"pay (?:increase|rise))\b(?!\s+(?:benefit|analysis|pressures?))", re.IGNORECASE)),
    ("percent", re.compile(r"\b(?:percentage|per cent|proportion|what share|(?:completion|vacancy|reoffending|absence|"
                           r"retention|attrition|turnover|leaving|success|pass|response|declaration)\s+rates?)\b",
                           re.IGNORECASE)),
    ("count", re.compile(r"\bhow many\b|\bwhat number\b|\bnumber of\b|\baverage\b|\bscore\b", re.IGNORECASE)),
    ("duration", re.compile(r"\bhow long\b", re.IGNORECASE)),
    ("date", re.compile(r"^\s*when\b|\bwhat date\b|\bby when\b|\bsince when\b|\bwhen (?:was|were|is|will|did)\b|"
                        r"\bdates?\b|\bdeadlines?\b", re.IGNORECASE)),
    ("person", re.compile(r"\b(?:name of|named person|who won|who is the named)\b", re.IGNORECASE)),
    ("organisation", re.compile(r"\bwhich (?:company|organisation|organization|charity|firm|supplier|universit(?:y|ies)|"
                                r"provider)\b", re.IGNORECASE)),
    ("outcome", re.compile(r"\b(?:findings?|results?|outcome|conclusions?)\b(?! (?:in|of) (?:a|the) (?:new|pilot))|"
                           r"\bwhat did (?:the |it |they )?\w+(?: \w+){0,4} (?:find|decide|conclude|show)\b",
                           re.IGNORECASE)),
]
_NUMBER_WORDS = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|" \
                r"thousand|dozen|half|third|quarter"
_TYPE_EVIDENCE: dict[str, re.Pattern] = {
    "count": re.compile(rf"(?<![\d/])\b(?!(?:19|20)\d{{2}}\b)\d[\d,]*(?:\.\d+)?\b(?!\s*(?:/|-)\s*\d)|\b(?:{_NUMBER_WORDS})\b|"
                        r"\b\d+:\d+\b", re.IGNORECASE),
    "money": re.compile(r"£\s?\d|\b\d[\d,.]*\s*(?:pounds|million|billion|bn|k)\b", re.IGNORECASE),
    "percent": re.compile(r"\d\s?%|\bper ?cent\b|\b(?:half|a third|a quarter|two thirds)\b|\b\d+ (?:in|out of) \d+\b",
                          re.IGNORECASE),
    "date": re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December|"
                       r"Q[1-4])\b\s*\d{0,4}|\b(?:19|20)\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b", re.IGNORECASE),
    "duration": re.compile(rf"\b(?:\d+|{_NUMBER_WORDS})[\s-]*(?:working\s+)?(?:days?|weeks?|months?|years?)\b|"
                           r"\bmonthly|weekly|annually\b", re.IGNORECASE),
}
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
_COUNTED = re.compile(r"\b(?:how many|what number of|number of|average|how big is the)\s+((?:[\w'’-]+\s+){0,3}[\w'’-]+)",
                      re.IGNORECASE)
_NUMBER = re.compile(rf"(?<![\d/])\b(?!(?:19|20)\d{{2}}\b)\d[\d,]*(?:\.\d+)?\b|\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE)
_ROLE_WORDS = frozenset("""
director deputy head chief officer officers probation service services inspector inspectorate manager managers group
team lead leads programme ministry justice hm his her majesty's prison prisons regional region national senior
business partner partners operations operational directorate policy unit pdu pdus hmpps moj nps the of and for
board committee forum panel workstream project plan framework strategy contract scheme tool platform day week month
year january february march april may june july august september october november december monday tuesday wednesday
thursday friday response recommendation status target owner
""".split())


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

    @property
    def mass(self) -> float:
        return sum(self.weights.get(t, 0.0) for t in self.terms)


def question_terms(question: str, analyzer) -> tuple[list[str], dict[str, str]]:
    """Salient analyzer terms of the question's content words, and the word each came from (as written)."""
    terms: list[str] = []
    surface: dict[str, str] = {}
    written = {w.lower(): w for w in re.findall(r"[A-Za-z0-9]+(?:&[A-Za-z0-9]+)?", question)}
    for w in analyzer.words(question):
        if w in _QUESTION_WORDS:
            continue
        for t in analyzer.tokens(w):
            if t not in surface:
                surface[t] = written.get(w, w)
                terms.append(t)
    return terms, surface


def question_entities(question: str) -> tuple[str, ...]:
    """Names written with capitals (not a sentence's first word), joined over 'of', 'and', 'the':
    'Kent, Surrey and Sussex', 'College of Policing', 'PQiP'."""
    tokens = re.findall(r"[A-Za-z0-9][\w'’&-]*|[,;:?.!()]", question)
    names: list[str] = []
    run: list[str] = []

    def close() -> None:
        while run and run[-1].lower() in _JOINERS:
            run.pop()
        if run:
            names.append(" ".join(run))
        run.clear()

    for i, tok in enumerate(tokens):
        first = i == 0 or tokens[i - 1] in ".?!:"
        if first and _NAME_WORD.match(tok) and not _ACRONYM.match(tok):
            # a capital that only opens the sentence ("Deadlines for ...") is not a name;
            # one followed by more capitals ("Central Functions ...") starts one
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if tok in _SENTENCE_START or not _NAME_WORD.match(nxt):
                close()
                continue
        if _NAME_WORD.match(tok) and tok not in _NOT_NAMES and not _YEAR.fullmatch(tok):
            if run and _ACRONYM.match(tok) and _ACRONYM.match(run[-1]):
                close()  # "NPS ALP": two acronyms side by side are two names
            run.append(tok)
        elif run and (tok.lower() in _JOINERS or tok == ","):
            if tok != ",":
                run.append(tok)
        else:
            close()
    close()
    return tuple(dict.fromkeys(n for n in names if not (n in _SENTENCE_START and " " not in n)))


def question_years(question: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.group(0) for m in _YEAR.finditer(question)))


def answer_type(question: str) -> Optional[str]:
    for kind, rx in _TYPE_RULES:
        if rx.search(question):
            return kind
    return None


def question_focus(question: str, analyzer, idf: Callable[[str], float]) -> Focus:
    terms, surface = question_terms(question, analyzer)
    return Focus(question, tuple(terms), {t: idf(t) for t in terms}, surface, question_entities(question),
                 question_years(question), answer_type(question))


# --- checking a candidate against the focus ------------------------------------------------------

def _norm(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def initials(name: str) -> str:
    """'HM Prison & Probation Service' -> 'HMPPS'; 'Single Operating Platform' -> 'SOP'."""
    words = [w for w in re.findall(r"[A-Za-z0-9][\w'’-]*", name) if w.lower() not in _JOINERS]
    return "".join(c for w in words for c in (w if w.isupper() else w[:1]) if c.isupper() or c.isdigit())


def _acronym_found(entity: str, context: str) -> bool:
    """An acronym and its expansion stand for each other: 'SOP' is found by 'Single Operating Platform'
    in the context, and 'Single Operating Platform' by 'SOP'."""
    bare = entity[:-1] if entity.endswith("s") and entity[:-1].isupper() else entity
    if _ACRONYM.match(bare):
        return any(initials(n).lower() == bare.lower() for n in question_entities(". " + context))
    short = initials(entity)
    return len(short) >= 2 and re.search(rf"\b{re.escape(short)}s?\b", context) is not None


def entity_found(entity: str, context: str, analyzer) -> bool:
    """The name's words in order in the context (a final plural 's' optional); an acronym for the
    name, or the name an acronym stands for; or an abbreviation's glossary expansion (and the
    reverse, through the analyzer's terms)."""
    norm = _norm(context)
    words = _norm(entity).strip()
    if f" {words} " in norm or (words.endswith("s") and f" {words[:-1]} " in norm):
        return True
    if _acronym_found(entity, context):
        return True
    ent_terms = set(analyzer.tokens(entity))
    if len(words.split()) == 1 and ent_terms:
        return ent_terms <= set(analyzer.tokens(context))
    # a multiword name matches through the glossary only when each of its words' expansions does
    expansions = analyzer.spell_out(entity)
    return expansions != entity and f" {_norm(expansions).strip()} " in norm


def year_found(year: str, context: str, doc_years: tuple[int, ...] = ()) -> bool:
    """'2022/23' matches '2022/23', '2022-23', '2022/2023' or '2022 to 2023'; a plain year also matches the
    document's own year; 'January 2023' needs the month too."""
    m = _YEAR.fullmatch(year.strip())
    if not m:
        return year.lower() in context.lower()
    month, y1, y2 = m.group(1), m.group(2), m.group(3)
    for c in _YEAR.finditer(context):
        if c.group(2) != y1:
            continue
        if y2 and (not c.group(3) or c.group(3)[-2:] != y2[-2:]):
            continue
        if month and (not c.group(1) or c.group(1).lower() != month.lower()):
            continue
        return True
    return not y2 and not month and int(y1) in doc_years


def counted_words(question: str, analyzer) -> set[str]:
    """The terms of what a 'how many' question counts ("how many focus groups" -> focus, group)."""
    out: set[str] = set()
    for m in _COUNTED.finditer(question):
        for w in m.group(1).split():
            if w.lower() in _QUESTION_WORDS:
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


def _names(sentence: str) -> list[str]:
    return re.findall(r"\b(?:[A-Z][a-z]+|[A-Z][A-Za-z]*[A-Z][A-Za-z]*)(?:\s+(?:[A-Z][a-z]+|[A-Z][A-Za-z]*[A-Z][A-Za-z]*))*",
                      sentence)


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


def coverage(focus: Focus, found_terms: set[str]) -> float:
    """Share of the focus's idf weight found among `found_terms` (1.0 when the question has no salient term)."""
    mass = focus.mass
    if mass <= 0:
        return 1.0
    return sum(focus.weights.get(t, 0.0) for t in focus.terms if t in found_terms) / mass


@dataclass(frozen=True)
class Check:
    """How one candidate sentence meets a focus."""

    coverage: float  # of the salient terms, in the sentence and its passage heading
    missing_entities: tuple[str, ...]
    missing_years: tuple[str, ...]
    type_ok: bool

    @property
    def names_ok(self) -> bool:
        return not self.missing_entities and not self.missing_years

    @property
    def satisfied(self) -> bool:
        return self.names_ok and self.type_ok


def check(focus: Focus, sentence: str, sentence_terms: set[str], heading_terms: set[str], context: str,
          doc_years: tuple[int, ...], analyzer) -> Check:
    return Check(
        coverage=coverage(focus, sentence_terms | heading_terms),
        missing_entities=tuple(e for e in focus.entities if not entity_found(e, context, analyzer)),
        missing_years=tuple(y for y in focus.years if not year_found(y, context, doc_years)),
        type_ok=type_found(focus.answer_type, sentence, focus.question, analyzer),
    )


def present_words(focus: Focus, found_terms: set[str], leave_out: tuple[str, ...] = (), limit: int = 6) -> str:
    """The question's own words for the salient terms that were found, in question order, without the
    words of what is missing (`leave_out`) and without numbers."""
    skip = {w.lower() for x in leave_out for w in re.findall(r"[A-Za-z0-9]+", x)}
    words = [focus.surface[t] for t in focus.terms if t in found_terms
             and focus.surface[t].lower() not in skip and not focus.surface[t][:1].isdigit()]
    return " ".join(dict.fromkeys(words[:limit]))


# --- the decision --------------------------------------------------------------------------------

def answerable(best: Optional[Check], cosine: float) -> bool:
    """Answer when the best candidate satisfies the focus and reaches both cuts (search.thresholds)."""
    from search.thresholds import ANSWER_MIN_COSINE, ANSWER_MIN_COVERAGE

    return best is not None and best.satisfied and best.coverage >= ANSWER_MIN_COVERAGE \
        and cosine >= ANSWER_MIN_COSINE


def rare_missing(focus: Focus, found_terms: set[str], min_weight: float) -> tuple[str, ...]:
    """The question's words for salient terms at least `min_weight` heavy that no passage holds
    ("catering", "tags"): named when the documents are said not to answer."""
    return tuple(dict.fromkeys(focus.surface[t] for t in focus.terms
                               if t not in found_terms and focus.weights.get(t, 0.0) >= min_weight))

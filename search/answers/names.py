"""The names and periods a question uses, and whether a passage holds them.

    question_entities("What did the Youth Justice Board fund in Kent, Surrey and Sussex?")
    == ("Youth Justice Board", "Kent, Surrey and Sussex")
    question_years("What was agreed for 2022/23?") == ("2022/23",)

Names are written with capitals or as acronyms; an acronym and its expansion stand for each
other ("SOP" / "Single Operating Platform"), and so do a glossary abbreviation and its
expansion. Periods are years, ranges of years ("2022/23", "2022-23", "2022 to 2023"), a month
and year ("January 2023") and decades ("the 2010s").
"""
from __future__ import annotations

import itertools
import re

from search.query import QUESTION_WORDS  # noqa: F401  (re-exported: the answers' modules read it here)

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
_DECADE = re.compile(r"\b((?:19|20)\d)0s\b")
_POSSESSIVE = re.compile(r"['’]s?$")


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
            run[-1] = _POSSESSIVE.sub("", run[-1])  # "the North East's scheme" names the North East
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
            if run and _ACRONYM.match(tok) and (_ACRONYM.match(run[-1]) or (
                    run[-1].lower() == "and" and len(run) >= 2 and _ACRONYM.match(run[-2]))):
                # "NPS ALP", "the RPD and HoCI": acronyms side by side, or joined by "and", are two names
                if run[-1].lower() == "and":
                    run.pop()
                close()
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


def question_periods(question: str) -> tuple[str, ...]:
    """Years and ranges (question_years) and decades ("2010s")."""
    return question_years(question) + tuple(dict.fromkeys(m.group(0) for m in _DECADE.finditer(question)))


def _norm(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def is_acronym(name: str) -> bool:
    """'NPPV', 'PQiP', 'SEEDS2', 'L&D': two capitals at least, no spaces."""
    return _ACRONYM.match(name) is not None


def initials(name: str) -> str:
    """'HM Prison & Probation Service' -> 'HMPPS'; 'Single Operating Platform' -> 'SOP'."""
    words = [w for w in re.findall(r"[A-Za-z0-9][\w'’-]*", name) if w.lower() not in _JOINERS]
    return "".join(c for w in words for c in (w if w.isupper() else w[:1]) if c.isupper() or c.isdigit())


def _initial_runs(name: str) -> set[str]:
    """The initials of every run of a name's words: 'HMPPS Leadership Continuous Professional Development' ->
    {'hmppslcpd', ..., 'cpd', 'pd', 'd'}."""
    words = [w for w in re.findall(r"[A-Za-z0-9][\w'’-]*", name) if w.lower() not in _JOINERS]
    parts = [initials(w).lower() for w in words]
    return {"".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)}


# an acronym may count or skip these ("Engaging People on Probation": EPOP; "Prison & Probation": PP)
_SPELLED_JOINERS = frozenset(_JOINERS | {"on", "in", "to"})


def spelled_out(acronym: str, text: str, any_case: bool = False) -> bool:
    """Whether the text writes out what an acronym stands for: consecutive words, capitalised (or, with
    `any_case`, not), whose first letters spell it, a short joining word counted or not ("(Non-Police Personnel
    Vetting) NPPV", "Engaging People on Probation (EPOP)", "HM Prison & Probation Service"). The acronym itself
    is no spelling of it."""
    want = acronym[:-1] if acronym.endswith("s") and acronym[:-1].isupper() else acronym
    want = want.lower().rstrip("0123456789")  # "SEEDS2": Skills for Effective Engagement Development and Supervision
    if len(want) < 2 or len(want) > 12:
        return False
    words = re.findall(r"[A-Za-z0-9]+|&", text)

    def spells(i: int, k: int, used: int) -> bool:
        if k == len(want):
            return used >= 2
        if i >= len(words):
            return False
        w = words[i]
        if w.lower() == want:
            return False
        joiner = w.lower() in _SPELLED_JOINERS
        if len(w) > 1 and w.isupper() and want.startswith(w.lower(), k) and spells(i + 1, k + len(w), used + 1):
            return True  # "HM" in "HM Prison & Probation Service"
        if w[:1].lower() == want[k] and (any_case or w[:1].isupper() or joiner) and spells(i + 1, k + 1, used + 1):
            return True
        return joiner and used > 0 and spells(i + 1, k, used)

    return any((any_case or words[i][:1].isupper()) and words[i].lower() not in _SPELLED_JOINERS and spells(i, 0, 0)
               for i in range(len(words)))


def _phrase_in(words: list[str], norm: str) -> bool:
    """The words in order in a normalised text, the last one singular or plural ('First Line Manager' /
    'first line managers')."""
    if not words:
        return False
    last = words[-1][:-1] if words[-1].endswith("s") and len(words[-1]) > 3 else words[-1]
    return re.search(r" " + " ".join(map(re.escape, words[:-1] + [last])) + r"s? ", norm) is not None


def _acronym_found(entity: str, context: str) -> bool:
    """An acronym and its expansion stand for each other: 'SOP' is found by 'Single Operating Platform'
    in the context, and 'Single Operating Platform' by 'SOP'."""
    bare = entity[:-1] if entity.endswith("s") and entity[:-1].isupper() else entity
    if _ACRONYM.match(bare):
        # the expansion may be part of a longer name: "CPD" in "HMPPS Leadership Continuous Professional
        # Development"
        want = bare.lower()
        if any(want in _initial_runs(n) for n in question_entities(". " + context)):
            return True
        # written out in lower case ("your continuous professional development" for "CPD"): three letters at
        # least, so that two common words are not taken for a name
        return len(want.rstrip("0123456789")) >= 3 and spelled_out(bare, context, any_case=True)
    short = initials(entity)
    if len(short) >= 2 and re.search(rf"\b{re.escape(short)}s?\b", context) is not None:
        return True
    # its first words as written and the rest as an acronym: "NPS Business Strategy and Change" / "NPS BSC"
    words = [w for w in re.findall(r"[A-Za-z0-9][\w'’-]*", entity) if w.lower() not in _JOINERS]
    for k in range(1, len(words) - 1):
        rest = initials(" ".join(words[k:]))
        if len(rest) >= 2 and re.search(rf"\b{re.escape(' '.join(words[:k]))}\s+{re.escape(rest)}s?\b", context):
            return True
    return False


def entity_found(entity: str, context: str, analyzer) -> bool:
    """The name's words in order in the context (a final plural 's' optional); an acronym for the
    name, or the name an acronym stands for; or an abbreviation's glossary expansion (and the
    reverse, through the analyzer's terms)."""
    norm = _norm(context)
    words = _norm(entity).split()
    if _phrase_in(words, norm):
        return True
    if _acronym_found(entity, context):
        return True
    ent_terms = set(analyzer.tokens(entity))
    if len(words) == 1 and ent_terms:
        return ent_terms <= set(analyzer.tokens(context))
    # a multiword name through the glossary: each word as written or expanded ("Northants PDU":
    # "Northamptonshire PDU")
    expansions = {a.lower(): [_norm(e).split() for e in exps] for a, exps in getattr(
        getattr(analyzer, "glossary", None), "entries", ())}
    forms = [[[w]] + expansions.get(w, []) for w in words]
    if all(len(f) == 1 for f in forms):
        return False
    return any(_phrase_in([w for part in combo for w in part], norm) for combo in itertools.product(*forms))


# The probation regions of England and Wales (HMPPS's twelve): a body many passages name, one sentence at a time.
# A slide listing "Example of effectiveness: ..., Wales" beside "..., North East" holds both names, but each
# sentence is about the one it names.
REGIONS = ("North East", "North West", "Yorkshire and the Humber", "Yorkshire and Humber", "Greater Manchester",
           "East Midlands", "West Midlands", "East of England", "London", "Kent Surrey and Sussex", "South West",
           "South Central", "Wales")


def region_of(name: str) -> str | None:
    """The region a name is, as REGIONS writes it ("the North-East" -> "North East"), or None."""
    norm = _norm(name)
    norm = _norm(norm.replace(" the ", " ", 1)) if norm.startswith(" the ") else norm
    return next((r for r in REGIONS if _norm(r) == norm), None)


def names_another_region(entity: str, sentence: str, preceding: str = "") -> bool:
    """Whether a sentence is about a probation region other than `entity` (a region): it names another and not
    `entity` ("Neurodiversity friendly training pilot, Greater Manchester" is not about the East Midlands, though
    its slide names both), or it names none and the last region named before it in its passage (`preceding`:
    the line it sits under, "Example of effectiveness: ..., Wales") is another."""
    asked = region_of(entity)
    if asked is None:
        return False
    asked_norm = _norm(asked)
    others = [r for r in REGIONS if _norm(r) not in asked_norm and asked_norm not in _norm(r)]

    def last_named(text: str) -> str | None:
        norm = _norm(text)
        found = [(m.start(), r) for r in [asked] + others
                 for m in re.finditer(r" " + re.escape(_norm(r).strip()) + r" ", norm)]
        return max(found)[1] if found else None

    named = last_named(sentence) or last_named(preceding)
    return named is not None and named != asked


def year_found(year: str, context: str, doc_years: tuple[int, ...] = ()) -> bool:
    """'2022/23' matches '2022/23', '2022-23', '2022/2023' or '2022 to 2023'; a plain year also matches the
    document's own year; 'January 2023' needs the month too; a decade ('2010s') any year in it."""
    decade = _DECADE.fullmatch(year.strip())
    if decade:
        years = [int(c.group(2)) for c in _YEAR.finditer(context)] + list(doc_years)
        return any(str(y)[:3] == decade.group(1) for y in years)
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

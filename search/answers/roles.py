"""The roles a question is about ("prison officers", "senior probation officers", "case managers"), and
whether a passage speaks of the same role.

A question that asks what the documents say of one role, when they say it of another ("What
workload reduction do newly qualified prison officers receive?": the plans give it to newly
qualified probation officers), has every word in the documents and a good match in meaning; what
differs is the word that says whose role it is. So a role is the role noun (officer, manager,
practitioner, learner, ...) with the word before it that says which one, and a passage speaks of
it when it holds the two together ("prison officers" is not "prison and probation officers").
When the words before the role noun are a role the glossary abbreviates ("senior probation
officers": SPOs), the passage must hold that role, written out or abbreviated.
"""
from __future__ import annotations

import re

from search.answers.absent import GENERIC_WORDS

ROLE_NOUNS = frozenset("""
officer manager practitioner worker leader learner trainee student director inspector administrator tutor assessor
mentor volunteer member chair supervisor coordinator adviser advisor employee graduate apprentice candidate
applicant assistant champion ambassador governor nurse clerk caseworker investigator lawyer solicitor magistrate judge
psychologist counsellor chaplain analyst auditor commissioner minister secretary
""".split())  # people in a role; not "staff" or "team", which any group of people can be
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# words before a role noun that do not say which role ("their managers", "new officers", "all staff")
_NOT_MODIFIERS = frozenset("their its our his her the a an all any each every other new existing current more most "
                           "some many few such these those own".split())


def _noun(word: str) -> str:
    w = word.lower()
    return w[:-1] if w.endswith("s") and w[:-1] in ROLE_NOUNS else w  # "officers" -> "officer"


def question_roles(question: str, skip: frozenset[str], abbreviations: dict[str, str]) -> tuple[str, ...]:
    """Role phrases of the question: a run of words before a role noun that the glossary abbreviates
    (`abbreviations`: glossary_roles, "senior probation officer" -> "SPO"), else the words before it that say which
    role ("newly qualified prison officers"; `role_found` tells it apart by the last of them)."""
    words = [m.group(0) for m in _WORD.finditer(question)]
    out = []
    for i, w in enumerate(words):
        if _noun(w) not in ROLE_NOUNS or i == 0 or (i + 1 < len(words) and _noun(words[i + 1]) in ROLE_NOUNS):
            continue  # not a role noun, or one that names the next one's kind ("practice tutor assessor")
        mods: list[str] = []
        for j in range(i - 1, max(i - 4, -1), -1):
            low = words[j].lower()
            if low in skip or low in _NOT_MODIFIERS or low in GENERIC_WORDS or not words[j][0].isalpha():
                break
            mods.insert(0, words[j])
        for n in range(len(mods), 0, -1):  # the longest run the glossary knows as a role
            run = mods[-n:] + [w]
            if _key(run) in abbreviations:
                out.append(" ".join(run))
                break
        else:
            # a name before the role ("Northamptonshire managers", "PQiP learners") is checked as a name
            lower = [m for m in mods if m[0].islower()]
            if mods and mods[-1][0].islower():
                out.append(" ".join(mods[len(mods) - len(lower):] + [w]) if lower == mods else f"{mods[-1]} {w}")
    return tuple(dict.fromkeys(out))


# nouns for someone who works there, whatever their role: one stands for another
_WORKER_NOUNS = ("officer", "practitioner", "worker", "employee", "member")
_GENERIC_STEMS: dict[int, frozenset[str]] = {}


def _generic_stems(analyzer) -> frozenset[str]:
    key = id(analyzer)
    if key not in _GENERIC_STEMS:
        _GENERIC_STEMS[key] = frozenset(_stem(analyzer, n) for n in _WORKER_NOUNS)
    return _GENERIC_STEMS[key]


def _stem(analyzer, word: str) -> str:
    stems = analyzer.stems(word)
    return stems[0] if stems else word.lower()


def _key(words: list[str]) -> str:
    """How a run of words is looked up among the glossary's expansions: lowercased, plural 's' dropped."""
    return " ".join(w.lower().removesuffix("s") for w in words)


def glossary_roles(analyzer) -> dict[str, str]:
    """Each glossary expansion of two words or more (its `_key`) -> its abbreviation
    ("senior probation officer" -> "SPO"): the roles the field writes both ways."""
    out: dict[str, str] = {}
    for abbr, expansions in getattr(getattr(analyzer, "glossary", None), "entries", ()):
        for e in expansions:
            words = e.split()
            if len(words) >= 2:
                out.setdefault(_key(words), abbr)
    return out


def role_found(role: str, context: str, analyzer, abbreviations: dict[str, str]) -> bool:
    """The role's words together, in order, in the context (stems: "officer" / "officers"; the role noun as a
    noun: "administrator" is not "administration"), or its glossary abbreviation ("SPO" / "SPOs") when it has
    one."""
    core = _WORD.findall(role)
    abbr = abbreviations.get(_key(core))
    if not abbr:
        core = core[-2:]  # "newly qualified prison officers" is told apart by "prison officers"
    want = [_stem(analyzer, w) for w in core]
    raw = _WORD.findall(context)
    have = [_stem(analyzer, w) for w in raw]
    nouns = [_noun(w) for w in raw]
    noun = _noun(core[-1])
    at: list[int] = []  # where the role starts in the context
    if len(want) == 2:  # the word that says which role, then the role noun, with at most one word between:
        # "prison officers" are not "Prison and Probation Service officers", "qualified psychologists" not
        # "qualified officers"; the plain words for someone who works are one another ("frontline officers":
        # "frontline probation practitioners")
        kinds = set(_WORKER_NOUNS) if noun in _WORKER_NOUNS else {noun}
        at = [i for i in range(len(have)) if have[i] == want[0] and kinds & set(nouns[i + 1:i + 3])]
    else:
        at = [i for i in range(len(have) - len(want) + 1)
              if have[i:i + len(want) - 1] == want[:-1] and nouns[i + len(want) - 1] == noun]
    if abbr:
        bare = abbr.rstrip("s")
        at += [i for i, w in enumerate(raw) if re.fullmatch(rf"{re.escape(bare)}s?", w)]
    return bool(at)

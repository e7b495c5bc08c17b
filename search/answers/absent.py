"""What a question asks about that no passage holds: the strongest sign the documents do not cover it.

    absent_phrases("What is the sickness absence rate among senior probation officers?", analyzer, lexical)
    == ("sickness absence",)

A content word of the question (not a question word, not a word of general English that
names no subject, not a number) is absent when no indexed passage holds it:

- in any inflection (the analyzer stems: "absences" is "absence");
- nor, for one of the glossary's abbreviations, as its expansion ("SPO" is present when
  "senior probation officer" is), nor the reverse (the analyzer indexes both);
- nor as a close variant: the other spelling ("organization" / "organisation", "labor" /
  "labour", "center" / "centre"), or written as one word or two ("well-being" / "wellbeing",
  "workplace" / "work place").

Whether a passage holds a term is read from the BM25 index: a term no passage holds has the
highest idf there is (search.retrieval.fastbm25.FastBM25.idf). Adjacent absent words are named
together ("sickness absence"), in the question's own words.
"""
from __future__ import annotations

import re
from typing import Callable

# Words of general English that name no subject of their own: a question may use them, or leave
# them out, without changing what it asks about ("How do faults get bumped up the queue?" asks
# about faults and the queue, not about "get"). Verbs of asking and doing, degree and manner words,
# pronouns and quantifiers. Nouns are never here: a noun no passage holds is a subject.
GENERIC_WORDS = frozenset("""
able about across actually add added affect affected after again against ago ahead all almost along already
also although always among amount another anybody anyone anything anyway anywhere apart appear around
away back bad badly be became become becomes behind being believe below beside besides best better beyond
big bigger biggest bit both bring brought but came can cannot certain certainly change changed changes come
comes coming could did do does doing done down during each either else enough entire especially even ever
every everybody everyone everything exactly fairly far feel feels felt few fewer find finds found further
gave get gets getting give given gives giving go goes going gone good got great greater greatest had happen
happened happening happens hard hardly has have having help helped helps here high higher highest hold holds
however huge idea include included includes including indeed instead into it just keep keeps kept kind kinds
know known knows large larger largest last late later least less let lets like likely little long longer
look looked looking looks lot lots low lower made main mainly make makes making many matter may maybe mean
means meant might mind more moreover most mostly much must near nearly need needed needs never new newer
next nobody none nor not nothing now nowhere often old older once one ones only onto other others otherwise
ought out over overall particular particularly per perhaps place placed plenty possible possibly pretty
probably put puts quite rather real really recent recently regarding right said same say saying says second
see seem seemed seems seen set sets several shall short should show showed shown shows since small smaller
so some somebody someone something sometimes somewhat somewhere soon sort sorts still stuff such sure take
taken takes taking tell tells than thanks that then there thereby therefore these thing things think
thinking though thought through throughout thus today together told too took toward towards tried tries
truly try trying turn turned two under unless unlike until upon us use used uses using usually various very
via want wanted wants was way ways well went were whatever whenever whereas wherever whether while whoever
whole why wide widely will within without would yes yet normally own owns owned promise promises promised
decide decides decided appoint appoints appointed win wins won cut cuts versus earlier afterwards worth
""".split())
# a word as the analyzer reads one: "L&D" and "P&Q" are one word each, not "L" and "D"
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*(?:&[A-Za-z0-9]+)*")
# other spellings of one word, tried when a word is absent as written (British and American)
_SPELLINGS = ((r"iz", "is"), (r"is", "iz"), (r"yz", "ys"), (r"ys", "yz"), (r"or\b", "our"), (r"our\b", "or"),
              (r"er\b", "re"), (r"re\b", "er"), (r"og\b", "ogue"), (r"ogue\b", "og"), (r"ense\b", "ence"),
              (r"ence\b", "ense"), (r"ll", "l"), (r"l(?=ed\b|ing\b|er\b)", "ll"))


class TermIndex:
    """Which analyzer terms some passage holds, read from the lexical index's idf."""

    def __init__(self, idf: Callable[[str], float]):
        self._idf = idf
        self._absent_idf = idf("\x00")  # no text analyses to this: the idf of a term no passage holds

    def holds(self, term: str) -> bool:
        return self._idf(term) < self._absent_idf - 1e-9


def _variants(word: str) -> set[str]:
    out = set()
    for pattern, repl in _SPELLINGS:
        v = re.sub(pattern, repl, word)
        if v != word:
            out.add(v)
    return out


def word_present(word: str, analyzer, index: TermIndex) -> bool:
    """Whether some passage holds the word, its glossary expansion or a close variant (module docstring)."""
    terms = analyzer.tokens(word)
    if not terms:
        return True  # a stop word: nothing to look for
    if index.holds(terms[0]) or (len(terms) > 1 and all(index.holds(t) for t in terms[1:])):
        return True
    low = word.lower()
    for v in _variants(low):
        t = analyzer.tokens(v)
        if t and index.holds(t[0]):
            return True
    # written as one word where the documents write two ("workplace" / "work place"): both halves held
    for i in range(3, len(low) - 2):
        left, right = analyzer.tokens(low[:i]), analyzer.tokens(low[i:])
        if left and right and index.holds(left[0]) and index.holds(right[0]) and \
                len(low[:i]) >= 4 and len(low[i:]) >= 4:
            return True
    return False


def content_words(question: str, skip: frozenset[str]) -> list[tuple[int, str]]:
    """(position, word) of the question's words that could name a subject: not in `skip` (question
    and function words), not general English, not a number."""
    out = []
    for i, m in enumerate(_WORD.finditer(question)):
        w = m.group(0).strip("'’")
        low = w.lower()
        if low in skip or low in GENERIC_WORDS or low.rstrip("s") in GENERIC_WORDS or not low[:1].isalpha():
            continue
        out.append((i, w))
    return out


def absent_phrases(question: str, analyzer, index: TermIndex, skip: frozenset[str]) -> tuple[str, ...]:
    """The question's words that no passage holds (module docstring), adjacent ones joined into one
    phrase, in question order."""
    words = [m.group(0).strip("'’") for m in _WORD.finditer(question)]
    content = content_words(question, skip)
    kept = {i for i, _ in content}
    absent = [i for i, w in content if not word_present(w, analyzer, index)]
    phrases: list[list[int]] = []
    for i in absent:
        if phrases and phrases[-1][-1] == i - 1:
            phrases[-1].append(i)
        elif phrases and phrases[-1][-1] == i - 2 and i - 1 in kept:
            # one noun phrase around a word the documents do hold: "electronic monitoring tags"
            phrases[-1] += [i - 1, i]
        else:
            phrases.append([i])
    return tuple(dict.fromkeys(" ".join(words[i] for i in p) for p in phrases))

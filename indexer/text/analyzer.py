"""The one text analyzer, shared by indexing, search and evaluation.

lowercase -> word tokens -> drop stop words -> Snowball stem (PyStemmer), plus
expansion of the field's abbreviations from `corpus/glossary.tsv`: a text that
says "SPO" is also indexed under "senior probation officer" and the reverse, so
either wording finds the other.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Optional

from indexer.errors import BadInput
from indexer.fsio import sha256_bytes

ANALYZER_VERSION = 1
DEFAULT_GLOSSARY = Path(__file__).resolve().parents[2] / "corpus" / "glossary.tsv"
MAX_QUERY_TOKENS = 64  # a pasted report must not hold the scorer for seconds

_WORD = re.compile(r"[a-z0-9]+(?:&[a-z0-9]+)?")
# A compact English stop list: function words only, so "not" and "agreed" survive.
STOP_WORDS = frozenset("""
a an and are as at be been being but by did do does doing for from had has have having
he her hers him his how i if in into is it its itself me my of on or our ours she so
than that the their theirs them then there these they this those to too us was we were
what when where which while who whom why will with would you your yours s t can just
should could about above after again against all am any because before below between
both down during each few further here more most other out over own same some such
under until up very off once only nor
""".split())


@dataclass(frozen=True)
class Glossary:
    """Abbreviation -> expansions, read from one editable TSV file."""

    entries: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sha256: str = ""

    @classmethod
    def load(cls, path: Optional[Path] = None) -> "Glossary":
        path = Path(path) if path else DEFAULT_GLOSSARY
        if not path.exists():
            return cls()
        raw = path.read_bytes()
        entries = []
        for i, line in enumerate(raw.decode("utf-8").splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = [p.strip() for p in line.split("\t") if p.strip()]
            if len(parts) < 2:
                raise BadInput(f"{path}, line {i}: expected 'ABBREVIATION<tab>expansion', got {line!r}")
            entries.append((parts[0], tuple(parts[1:])))
        return cls(tuple(entries), sha256_bytes(raw))


@dataclass(frozen=True)
class AnalyzerSettings:
    language: str = "english"
    version: int = ANALYZER_VERSION
    glossary_sha256: str = ""

    def to_dict(self) -> dict:
        return {"language": self.language, "version": self.version, "stop_words": len(STOP_WORDS),
                "stemmer": "PyStemmer/snowball", "glossary_sha256": self.glossary_sha256}


@dataclass
class Analyzer:
    glossary: Glossary = field(default_factory=Glossary)
    language: str = "english"

    @classmethod
    def default(cls, glossary_path: Optional[Path] = None) -> "Analyzer":
        return cls(Glossary.load(glossary_path))

    @property
    def settings(self) -> AnalyzerSettings:
        return AnalyzerSettings(self.language, ANALYZER_VERSION, self.glossary.sha256)

    @cached_property
    def _stemmer(self):
        import Stemmer  # PyStemmer: the Snowball stemmers in C

        return Stemmer.Stemmer(self.language)

    @cached_property
    def _abbrev(self) -> dict[str, list[str]]:
        """lowercased abbreviation -> the raw words of all its expansions."""
        out: dict[str, list[str]] = {}
        for abbr, expansions in self.glossary.entries:
            words = [w for e in expansions for w in _WORD.findall(e.lower())]
            out.setdefault(abbr.lower(), []).extend(words)
        return out

    @cached_property
    def _phrases(self) -> dict[str, list[tuple[tuple[str, ...], str]]]:
        """first word -> [(phrase words, abbreviation)], longest phrase first."""
        out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for abbr, expansions in self.glossary.entries:
            for e in expansions:
                words = tuple(_WORD.findall(e.lower()))
                if words:
                    out.setdefault(words[0], []).append((words, abbr.lower()))
        for v in out.values():
            v.sort(key=lambda p: -len(p[0]))
        return out

    def words(self, text: str) -> list[str]:
        """Lowercased word tokens, before stop words and stemming."""
        return _WORD.findall(text.lower())

    def tokens(self, text: str) -> list[str]:
        """The index terms of a text."""
        words = self.words(text)
        extra: list[str] = []
        abbrev, phrases = self._abbrev, self._phrases
        i, n = 0, len(words)
        while i < n:
            w = words[i]
            if w in abbrev:
                extra.extend(abbrev[w])
            for phrase, abbr in phrases.get(w, ()):
                if tuple(words[i:i + len(phrase)]) == phrase:
                    extra.append(abbr)
                    break
            i += 1
        kept = [w for w in words if w not in STOP_WORDS] + [w for w in extra if w not in STOP_WORDS]
        return self._stemmer.stemWords(kept) if kept else []

    def stems(self, text: str) -> list[str]:
        """The stemmed words of a text, without the glossary's expansions (and without stop words)."""
        kept = [w for w in self.words(text) if w not in STOP_WORDS]
        return self._stemmer.stemWords(kept) if kept else []

    def query_tokens(self, text: str, cap: int = MAX_QUERY_TOKENS) -> list[str]:
        """Query terms: deduplicated (order kept) and capped, so a pasted page cannot stall search."""
        seen: dict[str, None] = {}
        for t in self.tokens(text):
            seen.setdefault(t, None)
            if len(seen) >= cap:
                break
        return list(seen)

    def spell_out(self, text: str) -> str:
        """The text with each glossary abbreviation it uses followed by its first expansion, for the
        embedding model, which was not trained on the field's abbreviations (measured on the labelled
        queries: dense nDCG@10 on abbreviation queries 0.55 -> 0.71)."""
        first = {abbr.lower(): exps[0] for abbr, exps in self.glossary.entries}
        seen: list[str] = []

        def repl(m: re.Match) -> str:
            word = m.group(0)
            exp = first.get(word.lower())
            if exp and exp.lower() not in text.lower() and word.lower() not in seen:
                seen.append(word.lower())
                return f"{word} ({exp})"
            return word

        return re.sub(r"[A-Za-z0-9]+(?:&[A-Za-z0-9]+)?", repl, text)


"""Recommendation records as points to compare: what each one asks for, and how alike two are.

    space = view.space()                    # built once per index generation (search/records/view.py)
    space.similarity()[i, j]                # how alike records i and j are, on [-1, 1]

A record's *subject* is what it asks for, with who it is addressed to kept apart: the
opening imperative ("Ensure that", "Review", "Work with HMPPS to") and the names of the
bodies the plans address (their addressee headings and scopes, "HM Prison and
Probation Service", "East of England region", "Northamptonshire PDU", and the
glossary abbreviations that stand for them) are taken out, and the field's
abbreviations are spelled out for the model. So "Support East of England region to
recruit and retain staff" is compared as "recruit and retain staff".

Similarity = SUBJECT_DENSE * cosine of the subjects' embeddings
           + TEXT_DENSE * cosine of the whole texts' embeddings
           + LEXICAL * idf-weighted cosine of the subjects' analyzer terms
           + RESPONSE_DENSE * cosine of the responses' embeddings,
each cosine centred: the mean record embedding is subtracted first, because every
record here is about probation staff and services and that shared direction says
nothing about whether two ask for the same thing. The response often restates the
subject; measured, it helps `similar` rank a repeat whose wording changed, but makes
records about different workforce matters look alike enough to join threads, so only
`similar` weighs it (SIMILAR against THREADS; the weights are in search/thresholds.py,
the measurements in docs/recommendations.md).
"""
from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Hashable, Optional, Sequence, TypeVar

import numpy as np

from indexer.extract.addressee import addressee_name
from indexer.extract.termweights import idf, idf_weights, weighted_cosine
from indexer.records import Recommendation
from search import thresholds as th

T = TypeVar("T")

# The imperative that opens a recommendation says how the inspectorate phrased the ask, not what it
# asks for: "Review the role of the SPO ..." and "Consider how SPO workloads ..." ask about the same thing.
_ASK_VERBS = ("ensure|review|consider|conduct|identify|implement|improve|develop|support|strengthen|increase|"
              "issue|have|hold|prioritise|prioritize|expedite|provide|evaluate|establish|introduce|monitor|"
              "assess|undertake|continue|make|deliver|create|build|set|agree|publish|reduce|address|enable|"
              "promote|produce|define|clarify|use|work")
_OPENING = re.compile(r"^(?:(?:in conjunction with|following|together with|with)\b[^,]{0,60},\s*)?"
                      r"(?:work (?:with|alongside) .{1,60}? to\s+)?"
                      rf"(?:(?:{_ASK_VERBS})\b\s*)?(?:that|how|whether|if)?\s*", re.IGNORECASE)
_GENERIC_BODY_WORDS = ("region", "regions", "PDU", "PDUs")


@dataclass(frozen=True)
class SimilarityWeights:
    """How much each part of the similarity counts (they sum to 1)."""

    subject_dense: float
    text_dense: float
    lexical: float
    response_dense: float = 0.0

    def key(self) -> tuple[float, float, float, float]:
        return (self.subject_dense, self.text_dense, self.lexical, self.response_dense)


# The two views' weights (search/thresholds.py says how they were chosen).
SIMILAR = SimilarityWeights(th.SIMILAR_SUBJECT_DENSE, th.SIMILAR_TEXT_DENSE, th.SIMILAR_LEXICAL,
                            th.SIMILAR_RESPONSE_DENSE)
THREADS = SimilarityWeights(th.THREAD_SUBJECT_DENSE, th.THREAD_TEXT_DENSE, th.THREAD_LEXICAL,
                            th.THREAD_RESPONSE_DENSE)


def ask_text(text: str, analyzer) -> str:
    """The record as the model reads it: abbreviations spelled out (the analyzer's one rule for the
    model), the imperative opening dropped."""
    spelled = analyzer.spell_out(text)
    core = _OPENING.sub("", spelled, count=1).strip()
    return core or spelled


def body_names(records: Sequence[Recommendation], analyzer) -> re.Pattern:
    """The names of the bodies the records are addressed to, as one pattern: their addressee headings
    and scopes, the glossary abbreviations that stand for them, and the generic 'region', 'PDU'."""
    names: set[str] = set(_GENERIC_BODY_WORDS)
    for r in records:
        for b in (addressee_name(r.addressee), addressee_name(r.scope)):  # the one addressee rule
            if b and len(b.split()) <= 10:
                names.add(b)
                names.update(p.strip() for p in re.split(r"\s+[–-]\s+", b) if p.strip())
    lowered = {n.lower() for n in names}
    for abbr, expansions in analyzer.glossary.entries:
        if any(e.lower() in lowered for e in expansions):
            names.add(abbr)
    alternatives = sorted((re.escape(n) for n in names if n), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


def subject_text(text: str, bodies: re.Pattern) -> str:
    """What the record asks for, without the bodies it names."""
    return " ".join(bodies.sub(" ", text).split()) or text


def subject_terms(subject: str, analyzer) -> frozenset[str]:
    """The analyzer terms of what a record asks for. The opening imperative stays: idf already weighs
    "ensure" down, and leaving it out measured worse (held-out MRR 0.84 against 0.92)."""
    return frozenset(analyzer.tokens(subject))


def response_text(rec: Recommendation, by_id: dict[str, Recommendation]) -> str:
    """What was said in answer: the record's response, or that of the plan row answering it."""
    if rec.response:
        return rec.response
    linked = by_id.get(rec.linked or "")
    return (linked.response or "") if linked else ""


def response_cosine(records: Sequence[Recommendation], analyzer, embedder, text_cosine: np.ndarray) -> np.ndarray:
    """Centred cosine of the records' responses; for a pair where either has no response (a report's
    recommendation nobody answered yet, a draft), their text cosine stands in."""
    by_id = {r.rec_id: r for r in records}
    texts = [response_text(r, by_id) for r in records]
    have = [i for i, t in enumerate(texts) if t.strip()]
    out = text_cosine.copy()
    if len(have) >= 2:
        sub = centred_cosine(embedder.encode([analyzer.spell_out(texts[i]) for i in have]))
        out[np.ix_(have, have)] = sub
    return out


def centred_cosine(vectors: np.ndarray) -> np.ndarray:
    """Cosine after subtracting the mean embedding (see the module docstring)."""
    if len(vectors) < 2:
        return np.ones((len(vectors), len(vectors)))
    v = vectors.astype(np.float64) - vectors.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    v /= norms
    return np.clip(v @ v.T, -1.0, 1.0)


def lexical_cosine(terms: Sequence[frozenset[str]], idf: dict[str, float]) -> np.ndarray:
    vocab = {t: i for i, t in enumerate(sorted(idf))}
    m = np.zeros((len(terms), len(vocab)), dtype=np.float64)
    for r, ts in enumerate(terms):
        for t in ts:
            m[r, vocab[t]] = idf[t]
    norms = np.linalg.norm(m, axis=1)
    norms[norms == 0] = 1.0
    m /= norms[:, None]
    return m @ m.T


@dataclass
class RecordSpace:
    """Every record with text, in date order, and the parts of their similarity.

    `thread_rows` are the records that threads are made of: a report's recommendation linked to
    the plan row answering it is that row's instance, never one of its own.
    """

    records: list[Recommendation]
    subject_vectors: np.ndarray  # embeddings of the subjects, [n, dim]
    dense_subject: np.ndarray  # [n, n] centred cosine of the subjects
    dense_text: np.ndarray  # [n, n] centred cosine of the whole texts
    lexical: np.ndarray  # [n, n] idf-weighted cosine of the subjects' terms
    terms: list[frozenset[str]]  # the subjects' analyzer terms
    idf: dict[str, float]
    surface: dict[str, str]  # stem -> the commonest word that produced it
    bodies: re.Pattern
    mean_vector: np.ndarray  # the mean subject embedding (for texts outside the space: drafts)
    mean_text_vector: np.ndarray
    text_vectors: np.ndarray
    # [n, n] centred cosine of the responses, computed when first asked for (it embeds every response)
    _responses: Optional[Callable[[], np.ndarray]] = None
    _rows: dict[str, int] = field(default_factory=dict)
    _memo: dict = field(default_factory=dict)  # what is derived from the space, by key (`memo`)
    _memo_lock: threading.RLock = field(default_factory=threading.RLock)  # a computation may memo its parts

    def __post_init__(self) -> None:
        self._rows = {r.rec_id: i for i, r in enumerate(self.records)}

    @property
    def thread_rows(self) -> list[int]:
        return [i for i, r in enumerate(self.records) if not (r.kind == "report" and r.linked)]

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """What `compute` gives, computed once per key for this space (similarities, thread groupings): the
        space is fixed, so what is derived from it never goes stale; a new generation is a new space."""
        with self._memo_lock:
            if key not in self._memo:
                self._memo[key] = compute()
            return self._memo[key]

    @property
    def dense_response(self) -> np.ndarray:
        return self.memo("responses", lambda: self._responses() if self._responses else self.dense_text)

    def row(self, rec_id: str) -> Optional[int]:
        return self._rows.get(rec_id)

    def similarity(self, w: SimilarityWeights = THREADS) -> np.ndarray:
        def compute() -> np.ndarray:
            sim = w.subject_dense * self.dense_subject + w.text_dense * self.dense_text + w.lexical * self.lexical
            return sim + w.response_dense * self.dense_response if w.response_dense else sim

        return self.memo(("similarity", w.key()), compute)

    def shared_words(self, a: frozenset[str], b: frozenset[str], k: int = 5) -> tuple[str, ...]:
        """The rarest terms two records (or a draft and a record) share, as words."""
        common = sorted(a & b, key=lambda t: (-self.idf.get(t, 0.0), t))
        return tuple(dict.fromkeys(self.surface.get(t, t) for t in common[:k]))


def build_space(recommendations: Sequence[Recommendation], analyzer, embedder) -> RecordSpace:
    from indexer.embedding.model import no_vectors
    records = sorted((r for r in recommendations if r.text.strip()), key=Recommendation.date_order)
    bodies = body_names(records, analyzer)
    subjects = [subject_text(r.text, bodies) for r in records]
    terms = [subject_terms(s, analyzer) for s in subjects]
    idf = idf_weights(terms)
    if records:
        subject_vectors = embedder.encode([ask_text(s, analyzer) for s in subjects])
        text_vectors = embedder.encode([ask_text(r.text, analyzer) for r in records])
        dense_text = centred_cosine(text_vectors)
    else:
        subject_vectors = text_vectors = no_vectors()
        dense_text = np.zeros((0, 0))
    surface_counts: dict[str, Counter] = {}
    for s in subjects:
        for w in analyzer.words(s):
            stems = analyzer.tokens(w)
            if len(stems) == 1:
                surface_counts.setdefault(stems[0], Counter())[w] += 1
    return RecordSpace(
        records, subject_vectors, centred_cosine(subject_vectors), dense_text,
        lexical_cosine(terms, idf) if records else np.zeros((0, 0)), terms, idf,
        {s: c.most_common(1)[0][0] for s, c in surface_counts.items()}, bodies,
        subject_vectors.mean(axis=0) if records else np.zeros(subject_vectors.shape[1:]),
        text_vectors.mean(axis=0) if records else np.zeros(text_vectors.shape[1:]), text_vectors,
        lambda: response_cosine(records, analyzer, embedder, dense_text))


def draft_parts(space: RecordSpace, text: str, analyzer, embedder
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, frozenset[str]]:
    """The parts of the similarity of a pasted draft to every record of the space (subject cosine,
    text cosine, lexical cosine, each as for two records), and the draft's subject terms."""
    subject = subject_text(text, space.bodies)
    vs, vt = embedder.encode([ask_text(subject, analyzer), ask_text(text, analyzer)])

    def centred(v: np.ndarray, vectors: np.ndarray, mean: np.ndarray) -> np.ndarray:
        a = v.astype(np.float64) - mean
        m = vectors.astype(np.float64) - mean
        nm = np.linalg.norm(m, axis=1)
        nm[nm == 0] = 1.0
        return (m @ a) / (nm * (np.linalg.norm(a) or 1.0))

    terms = subject_terms(subject, analyzer)
    n = len(space.records)
    weights = {**space.idf, **{t: idf(0, n) for t in terms if t not in space.idf}}  # unseen: rarest there is
    lex = np.array([weighted_cosine(terms, ts, weights) for ts in space.terms])
    return (centred(vs, space.subject_vectors, space.mean_vector),
            centred(vt, space.text_vectors, space.mean_text_vector), lex, terms)

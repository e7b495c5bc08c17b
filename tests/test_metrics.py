"""Quote matching and the retrieval metrics, on hand-checked cases with the arithmetic written out."""
from __future__ import annotations

import json
import random
from math import ceil, log2

import pytest

from eval.metrics import credit, load_queries, normalise, parse_query, quote_hits, score_queries

W = "alpha bravo charlie delta echo foxtrot golf hotel india".split()  # distinct words for quotes


def lq(qid: str, *quotes: tuple[str, int], kind: str = "fact"):
    return parse_query({"id": qid, "query": "q", "kind": kind,
                        "relevant": [{"quote": t, "grade": g} for t, g in quotes]}, "test")


def one(q, passages, k=10):
    (s,) = score_queries([q], {q.qid: passages}, k)
    return s


# --- normalisation and matching ----------------------------------------------------

def test_normalise_decodes_entities_drops_tags_and_punctuation():
    assert normalise("Monitoring &amp; <b>Control</b> – 1,204  Responses!") == "monitoring control 1 204 responses"
    assert normalise("  ") == ""
    # a markdown autolink and a slide's "<1 year ... >5 years" are text, not tags: a quote may hold their words
    assert normalise("LinkedIn: <https://www.linkedin.com/company/10285534>") == \
        "linkedin https www linkedin com company 10285534"
    assert normalise("PSO <1 year\nHEIs\nPSO >5 years") == "pso 1 year heis pso 5 years"
    assert normalise('17<sup>th</sup> May, <a href="x">report</a><br/>') == "17 th may report"


def test_whole_quote_matches_on_word_boundaries_only():
    assert quote_hits(normalise("Staff survey – 1,204 responses were received"),
                      normalise("Staff survey - 1,204 responses"))
    assert not quote_hits(normalise("in 2020 they said"), normalise("20"))  # "20" is not in "2020"


def test_short_quote_must_be_whole():
    seven = " ".join(W[:7])
    assert not quote_hits(" ".join(W[:6]), seven)  # 6 of 7 words: below 8 words no partial credit
    assert quote_hits(f"x {seven} y", seven)


@pytest.mark.parametrize("n,split,first,second", [
    (8, 4, True, True),     # ceil(8/2) = 4: both halves hold a 4-word run
    (8, 3, False, True),    # 3 | 5
    (9, 4, False, True),    # ceil(9/2) = 5: 4 | 5
    (9, 5, True, False),    # 5 | 4
])
def test_quote_split_across_two_chunks_half_run_rule(n, split, first, second):
    quote = " ".join(W[:n])
    chunk1, chunk2 = "intro words " + " ".join(W[:split]), " ".join(W[split:n]) + " closing words"
    assert ceil(n / 2) == (4 if n == 8 else 5)
    assert quote_hits(normalise(chunk1), quote) is first
    assert quote_hits(normalise(chunk2), quote) is second


def test_half_run_must_be_contiguous_in_the_passage():
    quote = " ".join(W[:8])
    assert not quote_hits("alpha bravo x charlie delta", quote)  # 4 quote words, but not as one run
    assert quote_hits("zulu charlie delta echo foxtrot zulu", quote)  # a middle run counts


# --- crediting and metrics ---------------------------------------------------------

IDEAL_21 = 3 / log2(2) + 1 / log2(3)  # ideal DCG of grades (2, 1): gains 3 and 1 at slots 1, 2


@pytest.mark.slow  # ranx builds its numba tables
def test_ndcg_recall_mrr_success_arithmetic():
    q = lq("a", ("alpha bravo", 2), ("charlie delta", 1))
    s = one(q, ["alpha bravo here", "nothing", "charlie delta"])
    assert s.ndcg == pytest.approx((3 / log2(2) + 1 / log2(4)) / IDEAL_21)
    assert (s.recall, s.rr, s.success) == (1.0, 1.0, 1.0)


@pytest.mark.slow  # ranx builds its numba tables
def test_mrr_counts_only_grade_2_quotes():
    q = lq("b", ("alpha bravo", 2), ("charlie delta", 1))
    s = one(q, ["charlie delta", "filler", "alpha bravo"])
    assert s.ndcg == pytest.approx((1 / log2(2) + 3 / log2(4)) / IDEAL_21)
    assert s.rr == pytest.approx(1 / 3) and s.success == 1.0
    only_partial = one(lq("c", ("charlie delta", 1)), ["charlie delta"])
    assert (only_partial.recall, only_partial.rr, only_partial.success) == (1.0, 0.0, 0.0)
    assert only_partial.ndcg == pytest.approx(1.0)


@pytest.mark.slow  # ranx builds its numba tables
def test_mrr_is_the_passage_rank_even_after_a_passage_holding_two_quotes():
    q = lq("d", ("alpha bravo", 1), ("charlie delta", 1), ("echo foxtrot", 2))
    s = one(q, ["alpha bravo charlie delta", "echo foxtrot"])
    assert s.rr == pytest.approx(1 / 2)  # second passage, though the third quote slot
    # slots: [q.1, q.2, q.3] with gains 1, 1, 3; ideal: 3, 1, 1
    assert s.ndcg == pytest.approx((1 + 1 / log2(3) + 3 / log2(4)) / (3 + 1 / log2(3) + 1 / log2(4)))


@pytest.mark.slow  # ranx builds its numba tables
def test_one_passage_holding_two_quotes_fills_two_slots_and_stays_at_most_1():
    q = lq("e", ("alpha bravo", 2), ("charlie delta", 2))
    s = one(q, ["nothing here", "alpha bravo and charlie delta"])
    assert s.ndcg == pytest.approx((3 / log2(3) + 3 / log2(4)) / (3 + 3 / log2(3)))
    assert one(q, ["alpha bravo and charlie delta"]).ndcg == pytest.approx(1.0)


@pytest.mark.slow  # ranx builds its numba tables
def test_quote_hit_by_two_passages_is_credited_once_to_the_first():
    q = lq("f", ("alpha bravo", 2), ("golf hotel", 2))
    assert credit(q, ["x", "alpha bravo", "alpha bravo again"], 10)[0].rank == 2
    s = one(q, ["x", "alpha bravo", "alpha bravo again"])
    assert s.recall == 0.5 and s.rr == 0.5
    assert s.ndcg == pytest.approx((3 / log2(3)) / (3 + 3 / log2(3)))  # the repeat at rank 3 adds nothing


@pytest.mark.slow  # ranx builds its numba tables
def test_split_quote_is_credited_to_the_chunk_holding_half_of_it():
    quote = " ".join(W[:9])
    q = lq("g", (quote, 2))
    chunks = ["prelude " + " ".join(W[:4]), " ".join(W[4:9]) + " coda"]  # 4 | 5 of 9 words: second chunk wins
    s = one(q, chunks)
    assert credit(q, chunks, 10)[0].rank == 2
    assert s.ndcg == pytest.approx(1 / log2(3)) and s.rr == 0.5


@pytest.mark.slow  # ranx builds its numba tables
def test_query_with_no_hits_and_query_with_nothing_retrieved_score_zero():
    q = lq("h", ("alpha bravo", 2))
    assert (one(q, ["nothing", "at all"]).ndcg, one(q, ["nothing"]).recall) == (0.0, 0.0)
    empty = one(q, [])
    assert (empty.ndcg, empty.recall, empty.rr, empty.success) == (0.0, 0.0, 0.0, 0.0)


@pytest.mark.slow  # ranx builds its numba tables
def test_cut_off_at_k():
    q = lq("i", ("alpha bravo", 2))
    assert one(q, ["a", "b", "c", "alpha bravo"], k=3).success == 0.0
    assert one(q, ["a", "b", "c", "alpha bravo"], k=4).rr == 0.25


@pytest.mark.slow  # ranx builds its numba tables
def test_unlabelled_queries_are_left_out_and_several_queries_keep_their_own_scores():
    qa, qb = lq("zz", ("alpha bravo", 2)), lq("aa", ("charlie delta", 2))
    none = parse_query({"id": "n", "query": "q", "kind": "no-answer", "relevant": []}, "t")
    scores = score_queries([qa, none, qb], {"zz": ["alpha bravo"], "aa": ["x", "charlie delta"]}, 10)
    assert [(s.qid, s.rr) for s in scores] == [("zz", 1.0), ("aa", 0.5)]


def _reference(q, passages, k):
    """The definitions, written directly (no ranx), for the randomised cross-check below."""
    cs = credit(q, passages, k)
    grades = [g.grade for g in q.relevant]
    slots = []
    for r in range(1, min(len(passages), k) + 1):
        here = [c for c in cs if c.rank == r]
        slots += [grades[c.quote] for c in here] or [0]
    dcg = sum((2 ** g - 1) / log2(i + 2) for i, g in enumerate(slots[:k]))
    ideal = sum((2 ** g - 1) / log2(i + 2) for i, g in enumerate(sorted(grades, reverse=True)[:k]))
    first2 = [c.rank for c in cs if grades[c.quote] == 2]
    return dcg / ideal, len(cs) / len(grades), (1 / min(first2) if first2 else 0.0), float(bool(first2))


@pytest.mark.slow  # ranx builds its numba tables
def test_ranx_figures_equal_the_definitions_on_random_cases():
    rng = random.Random(7)
    vocab = W + ["juliet", "kilo", "lima"]
    queries, passages = [], {}
    for i in range(60):
        quotes = [(" ".join(rng.sample(vocab, rng.choice([1, 2, 3]))), rng.choice([1, 2]))
                  for _ in range(rng.randint(1, 4))]
        q = lq(f"r{i:02d}", *quotes)
        queries.append(q)
        passages[q.qid] = [" ".join(rng.sample(vocab, 4)) for _ in range(rng.randint(0, 8))]
    for s, q in zip(score_queries(queries, passages, 5), queries):
        assert (s.ndcg, s.recall, s.rr, s.success) == pytest.approx(_reference(q, passages[q.qid], 5)), q.qid


# --- the file format -----------------------------------------------------------------

def test_load_queries_reads_the_format(tmp_path):
    f = tmp_path / "q.jsonl"
    f.write_text(json.dumps({"id": "x1", "query": " Who? ", "kind": "fact",
                             "relevant": [{"quote": "A B", "grade": 2}]}) + "\n\n"
                 + json.dumps({"id": "x2", "query": "Nobody?", "relevant": []}) + "\n", encoding="utf-8")
    a, b = load_queries(f)
    assert (a.qid, a.query, a.kind, a.relevant[0].grade, a.quote_id(0)) == ("x1", "Who?", "fact", 2, "x1.1")
    assert (b.kind, b.answerable) == ("unlabelled", False)


@pytest.mark.parametrize("line,message", [
    ('{"id": "x", "query": "q", "relevant": [{"quote": "a", "grade": 3}]}', "grade is 3"),
    ('{"id": "x", "query": "q"}', "missing 'relevant'"),
    ('{"id": "x", "query": "q", "relevant": [{"quote": "–", "grade": 2}]}', "no letters or digits"),
    ('{"id": "x", "query": "", "relevant": []}', "non-empty"),
    ('{"id": "x", "query": "q", "relevant": []', "not valid JSON"),
])
def test_load_queries_rejects_bad_lines_with_the_place(tmp_path, line, message):
    f = tmp_path / "bad.jsonl"
    f.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message) as e:
        load_queries(f)
    assert "bad.jsonl:1" in str(e.value)


def test_load_queries_rejects_duplicate_ids(tmp_path):
    f = tmp_path / "dup.jsonl"
    row = json.dumps({"id": "x", "query": "q", "relevant": []})
    f.write_text(row + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="dup.jsonl:2: id 'x' used twice"):
        load_queries(f)

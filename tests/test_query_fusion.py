"""Query-dependent convex fusion: BM25 counts in proportion to the share of the question the
documents' words can match (search.retrieval.fusion.lexical_share / query_alpha)."""
from __future__ import annotations

import math

import pytest

from search.retrieval.fusion import lexical_share, query_alpha
from search.retrieval.lexical import K1


def test_share_and_alpha_arithmetic():
    idf = {"quit": 5.0, "officer": 1.0, "frontline": 3.0}.get
    # "quit" is in no passage: the matchable bound holds officer and frontline only
    ub = (1.0 + 3.0) * (K1 + 1)
    share = lexical_share(lambda t: idf(t), ["frontline", "officer", "quit"], ub)
    assert share == pytest.approx(4.0 / 9.0)
    assert query_alpha(0.5, share) == pytest.approx(1 - 0.5 * 4.0 / 9.0)
    assert query_alpha(0.5, 1.0) == 0.5 and query_alpha(0.5, 0.0) == 1.0
    assert lexical_share(lambda t: 1.0, [], 0.0) == 1.0  # no terms: nothing to scale
    with pytest.raises(ValueError):
        query_alpha(1.5, 0.5)


def test_a_question_in_other_words_is_led_by_the_dense_list(searcher):
    lex, an = searcher.lexical, searcher.analyzer
    ours = an.query_tokens("training for newly qualified officers")
    theirs = an.query_tokens("What drives frontline officers to quit?")
    assert lexical_share(lex.idf, ours, lex.upper_bound(ours)) == pytest.approx(1.0)
    share = lexical_share(lex.idf, theirs, lex.upper_bound(theirs))
    absent = math.log(len(searcher.chunks) + 0.5) - math.log(0.5)  # the idf of a term no passage holds
    assert lex.idf("quit") == pytest.approx(absent) and 0.2 < share < 0.8
    a = query_alpha(searcher.settings.alpha, share)
    ub = lex.upper_bound(theirs)
    for h in searcher.search("What drives frontline officers to quit?", k=20):
        if h.bm25_score is not None and h.dense_score is not None:
            assert h.score == pytest.approx(a * max(h.dense_score, 0) + (1 - a) * h.bm25_score / ub)


def test_a_question_in_other_words_is_embedded_with_its_content_words(searcher):
    """The dense side of a question some of whose words are in no passage: the question's vector and its content
    words' vector, summed and normalised (search.query.question_texts); a question in the documents' words is
    embedded as it is. Tolerance 1e-5: the sum is taken in fp32."""
    import numpy as np

    from search.query import question_texts

    enc = searcher.embedder.encode
    ours = "What training do newly qualified officers get?"
    assert question_texts(ours) == (ours, "training newly qualified officers")  # "get" is a question word
    assert searcher.embed_query(ours).tobytes() == enc([searcher.analyzer.spell_out(ours)])[0].tobytes()
    theirs = "What drives frontline officers to quit?"
    both = enc([searcher.analyzer.spell_out(t) for t in question_texts(theirs)]).sum(axis=0)
    want = both / np.linalg.norm(both)
    got = searcher.embed_query(theirs, worded_otherwise=True)
    assert np.allclose(got, want, atol=1e-5) and abs(float(np.linalg.norm(got)) - 1.0) < 1e-5
    # and search uses it for that question only: its dense scores are cosines to that vector
    top = searcher.search(theirs, k=5, mode="dense")
    rows = {id(c): i for i, c in enumerate(searcher.chunks)}
    for h in top:
        vecs = np.asarray(searcher.data.vectors)[np.asarray(searcher.data.vector_chunks) == rows[id(h.chunk)]]
        assert float((vecs @ got).max()) == pytest.approx(h.dense_score, abs=1e-4)

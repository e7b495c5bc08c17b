"""Recommendation records: catalogue, similarity, repeats, threads, judgements."""

"""Hits: BM25, dense, fusion, the searcher."""

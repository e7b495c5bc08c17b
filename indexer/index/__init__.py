"""The index format: the store, its manifest, BM25 postings, IVF groups."""

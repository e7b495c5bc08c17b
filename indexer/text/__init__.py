"""Chunking and analysis: chunks, the analyzer, the texts embedded and tokenised."""

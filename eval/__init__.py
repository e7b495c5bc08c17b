"""Labelled queries, metrics and the benchmark."""

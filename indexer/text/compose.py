"""What each passage looks like to the two retrievers: the one place that decides it.

    lexical_text(chunk)                      # what BM25 tokenises
    embedded_texts(chunk, settings, analyzer)  # what the model embeds: one text per window

Both start from the passage with its section heading (the heading gives a passage its
context). The model sees each window of a long passage with the passage's header repeated
(which recommendation, which section), and every abbreviation followed by its expansion,
"SPO (senior probation officer)": the model does not know the field's abbreviations, and a
query is spelled out the same way (search.retrieval.searcher.Searcher.embed_query).
"""
from __future__ import annotations

from indexer.records import Chunk
from indexer.text.analyzer import Analyzer
from indexer.text.chunker import ChunkerSettings, embedding_windows


def lexical_text(chunk: Chunk) -> str:
    """The passage with its section heading, unless it already opens with it."""
    if chunk.section and chunk.kind == "text" and not chunk.text.startswith(chunk.section):
        return f"{chunk.section}\n{chunk.text}"
    return chunk.text


def window_header(chunk: Chunk) -> str:
    """Context repeated in every embedding window of a long passage, so a window taken from the
    middle of a long response still says which recommendation (or section) it belongs to."""
    if chunk.kind == "recommendation":
        lines = chunk.text.split("\n")
        head = next((ln for ln in lines if ln.startswith("Recommendation")), lines[0])
        return head[:300]
    return chunk.section or ""


def windows(chunk: Chunk, settings: ChunkerSettings) -> list[str]:
    """The passage cut to the model's window, each piece with the passage's header."""
    return embedding_windows(lexical_text(chunk), settings, header=window_header(chunk))


def embedded_texts(chunk: Chunk, settings: ChunkerSettings, analyzer: Analyzer) -> list[str]:
    """What the model embeds for this passage: each window, abbreviations spelled out."""
    return [analyzer.spell_out(w) for w in windows(chunk, settings)]

"""What each passage looks like to the two retrievers: the one place that decides it.

    lexical_text(chunk, title)                        # what BM25 tokenises
    embedded_texts(chunk, settings, analyzer, title)  # what the model embeds: one text per window

Both start from the passage with its section heading (the heading gives a passage its
context), and its document's title: a question that names the inspection ("Did reoffending
fall in Lowmoor?") then finds every passage of that document alike on the name, and the rest
of the question decides among them, where before it found the cover, the one passage naming
it (a contextual header, as contextual retrieval adds one). The model sees the title with
passages of running text, not with recommendation rows: a plan's rows would all move towards
their plan's title and apart from the repeats in other plans (measured on eval/queries.jsonl:
hybrid nDCG@10 0.816 without a title, 0.833 with it for BM25 only, 0.821 with it everywhere,
0.832 as here; recurrence questions' dense nDCG 0.667, 0.667, 0.535, 0.587; docs/eval.md).
The model sees each window of a long passage with the passage's header repeated (which
recommendation, which section), and every abbreviation followed by its expansion, "SPO
(senior probation officer)": the model does not know the field's abbreviations, and a
query is spelled out the same way (search.retrieval.searcher.Searcher.embed_query).
"""
from __future__ import annotations

from indexer.records import Chunk
from indexer.text.analyzer import Analyzer
from indexer.text.chunker import ChunkerSettings, embedding_windows


def lexical_text(chunk: Chunk, title: str = "") -> str:
    """The passage with its section heading, unless it already opens with it, after its document's title."""
    text = chunk.text
    if chunk.section and chunk.kind == "text" and not chunk.text.startswith(chunk.section):
        text = f"{chunk.section}\n{chunk.text}"
    return f"{title}\n{text}" if title else text


def window_header(chunk: Chunk) -> str:
    """Context repeated in every embedding window of a long passage, so a window taken from the
    middle of a long response still says which recommendation (or section) it belongs to."""
    if chunk.kind == "recommendation":
        lines = chunk.text.split("\n")
        head = next((ln for ln in lines if ln.startswith("Recommendation")), lines[0])
        return head[:300]
    return chunk.section or ""


def windows(chunk: Chunk, settings: ChunkerSettings, title: str = "") -> list[str]:
    """The passage cut to the model's window, each piece with the passage's header (and, for running text,
    its document's title)."""
    header = "\n".join(x for x in (title if chunk.kind == "text" else "", window_header(chunk)) if x)
    return embedding_windows(lexical_text(chunk), settings, header=header)


def embedded_texts(chunk: Chunk, settings: ChunkerSettings, analyzer: Analyzer, title: str = "") -> list[str]:
    """What the model embeds for this passage: each window, abbreviations spelled out."""
    return [analyzer.spell_out(w) for w in windows(chunk, settings, title)]

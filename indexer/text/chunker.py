"""Documents -> chunks.

Action plans: one chunk per recommendation row (see `indexer.extract.actionplan`), the
addressee heading and the row's fields kept together. Everything else: split on
headings, slide banners and sections, small neighbouring sections packed
together, and long ones split by langchain-text-splitters, with lengths
measured in the embedding model's word pieces (its window is 256) rather than
characters.

Every chunk carries its offsets in the extracted text, its pages, its section
and its recommendation number; its id is derived from its content and place,
so ids survive rebuilds.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Optional

from indexer.clean import clean_with_map
from indexer.embedding.model import count_tokens
from indexer.extract.actionplan import ParsedPlan, Row, parse_action_plan
from indexer.readers.layout import body_text
from indexer.records import Chunk, ExtractedText


@dataclass(frozen=True)
class ChunkerSettings:
    chunk_tokens: int = 200  # target size of a text chunk, in word pieces
    overlap_tokens: int = 40
    window_tokens: int = 250  # what one embedding sees (model max 256 incl. special tokens)
    min_section_tokens: int = 60  # sections smaller than this are packed with their neighbours
    version: int = 2  # 2: passages carry their document's title (indexer/text/compose.py)

    def to_dict(self) -> dict:
        return {"chunk_tokens": self.chunk_tokens, "overlap_tokens": self.overlap_tokens,
                "window_tokens": self.window_tokens, "min_section_tokens": self.min_section_tokens,
                "splitter": "langchain_text_splitters.RecursiveCharacterTextSplitter", "version": self.version}


@dataclass(frozen=True)
class ChunkedDocument:
    chunks: list[Chunk]
    rows: list[Row]  # parsed recommendation rows, in chunk order (for recommendation records)
    row_chunk_ids: list[str]
    plan: Optional[ParsedPlan]


def chunk_id(doc_id: str, start: int, end: int, text: str) -> str:
    norm = " ".join(re.findall(r"[a-z0-9]+", text.lower()))
    return hashlib.sha1(f"{doc_id}|{start}|{end}|{norm}".encode()).hexdigest()[:16]


def row_text(row: Row) -> str:
    """The passage for one recommendation row, as shown and as indexed."""
    lines = []
    if row.addressee:
        lines.append(row.addressee)
    head = f"Recommendation {row.number}" if row.number is not None else "Recommendation"
    text = row.text or "[recommendation text not in the source]"
    lines.append(f"{head}: {text}" + (f" ({row.scope})" if row.scope else ""))
    lines.append(f"Status: {row.status or 'not stated in the source'}")
    if row.response:
        lines.append(f"Response: {row.response}")
    if row.owners:
        lines.append("Responsible owner: " + "; ".join(row.owners))
    if row.targets:
        lines.append("Target date: " + "; ".join(row.targets))
    return "\n".join(lines)


def _splitter(settings: ChunkerSettings, size: Optional[int] = None):
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        chunk_size=size or settings.chunk_tokens,
        chunk_overlap=settings.overlap_tokens,
        length_function=count_tokens,
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
        keep_separator="end",
    )


def embedding_windows(text: str, settings: ChunkerSettings, header: str = "") -> list[str]:
    """The texts to embed for one chunk: itself if it fits the model, else overlapping windows.

    Dense search scores a chunk by its best window, so a long recommendation row
    stays one chunk without its tail being cut off by the model's 256-piece limit.
    """
    full = f"{header}\n{text}" if header else text
    if count_tokens(full) <= settings.window_tokens:
        return [full]
    room = settings.window_tokens - (count_tokens(header) + 2 if header else 0)
    parts = _splitter(settings, max(room, 64)).split_text(text)
    return [f"{header}\n{p}" if header else p for p in parts] or [full]


# --- sections of free text -------------------------------------------------------

def _banners(lines: list[str]) -> set[str]:
    """Lines repeated on many pages or slides (running headers) are boilerplate, not content."""
    counts = Counter(ln.strip() for ln in lines if ln.strip())
    return {ln for ln, c in counts.items() if c >= 4 and len(ln.split()) <= 6}


def _is_heading(line: str, prev_blank: bool, next_blank: bool, next_upper: bool = False) -> bool:
    s = line.strip()
    if not s or "\t" in line:
        return False
    if s.startswith("#"):
        return True
    words = s.split()
    if len(words) > 10 or len(s) > 90 or re.search(r"[.,;:!?]$", s):
        return False
    letters = [c for c in s if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return True
    if not (prev_blank and s[0].isupper() and len(letters) >= 4):
        return False
    # a short line alone between blank lines, or a very short one opening a paragraph
    # ("Introduction" directly above hard-wrapped text)
    return (next_blank and len(words) <= 8) or (len(words) <= 5 and next_upper)


@dataclass
class _Section:
    heading: Optional[str]
    start: int  # offsets into the clean text
    end: int


def _sections(clean: str, lo: int, hi: int, headings: Optional[list[tuple[int, int]]] = None) -> list[_Section]:
    """Sections of clean[lo:hi]. `headings`: the spans of the document's headings (from its layout or
    markup), when it has any; else headings are guessed line by line (`_is_heading`)."""
    lines = clean[lo:hi].split("\n")
    banners = _banners(lines)
    out: list[_Section] = []
    pos = lo
    cur = _Section(None, lo, lo)
    for i, ln in enumerate(lines):
        end = pos + len(ln)
        prev_blank = i == 0 or not lines[i - 1].strip()
        next_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
        span = _heading_span(headings, pos, end) if headings is not None else None
        if ln.strip() in banners:
            if cur.end > cur.start:
                out.append(cur)
            cur = _Section(cur.heading, end + 1, end + 1)
        elif span is not None and span[0] < pos and cur.heading and cur.end == pos - 1:
            cur = _Section(f"{cur.heading} {ln.strip()}", cur.start, end)  # a heading printed over two lines
        elif (span is not None if headings is not None else
              _is_heading(ln, prev_blank, next_blank, i + 1 < len(lines) and lines[i + 1].strip()[:1].isupper())):
            if cur.end > cur.start and clean[cur.start:cur.end].strip():
                out.append(cur)
            cur = _Section(ln.strip().lstrip("#").strip(), pos, end)
        else:
            cur.end = end
        pos = end + 1
    if cur.end > cur.start and clean[cur.start:cur.end].strip():
        out.append(cur)
    return out


def _heading_span(headings: list[tuple[int, int]], start: int, end: int) -> Optional[tuple[int, int]]:
    """The heading span a line [start, end) lies in, if any (spans are sorted)."""
    import bisect

    k = bisect.bisect_right(headings, (start, 10**12)) - 1
    if k >= 0 and headings[k][0] <= start < headings[k][1] and end > start:
        return headings[k]
    return None


def _pack(clean: str, sections: list[_Section], settings: ChunkerSettings) -> list[_Section]:
    """Pack small neighbouring sections (slides, short headed paragraphs) into one."""
    out: list[_Section] = []
    for s in sections:
        if out:
            last = out[-1]
            merged = count_tokens(clean[last.start:s.end])
            if (count_tokens(clean[last.start:last.end]) < settings.min_section_tokens
                    and merged <= settings.chunk_tokens):
                out[-1] = _Section(last.heading or s.heading, last.start, s.end)
                continue
        out.append(_Section(s.heading, s.start, s.end))
    return out


def _text_chunks(doc_id: str, extracted: ExtractedText, clean: str, offs: list[int], lo: int, hi: int,
                 settings: ChunkerSettings, headings: Optional[list[tuple[int, int]]] = None) -> list[Chunk]:
    chunks: list[Chunk] = []
    splitter = _splitter(settings)
    banners = _banners(clean[lo:hi].split("\n"))
    for sec in _pack(clean, _sections(clean, lo, hi, headings), settings):
        body = clean[sec.start:sec.end]
        pieces = [body] if count_tokens(body) <= settings.chunk_tokens else splitter.split_text(body)
        cursor = 0
        for piece in pieces:
            stripped = piece.strip()
            if len(re.findall(r"[A-Za-z0-9]+", stripped)) < 3:
                continue  # debris such as a lone page number
            at = body.find(stripped, max(0, cursor - len(piece)))
            if at < 0:
                at = body.find(stripped)
            cursor = at + len(stripped)
            c_start, c_end = sec.start + at, sec.start + at + len(stripped)
            text = "\n".join(ln for ln in stripped.split("\n") if ln.strip() not in banners)
            text = re.sub(r"[ \t]*\n[ \t]*\n[\s]*", "\n\n", text)
            text = re.sub(r"(?<!\n)[ \t]*\n[ \t]*(?!\n)", " ", text)  # hard-wrapped lines rejoin
            text = re.sub(r"[ \t]{2,}|\t", " ", text).strip()
            s0, s1 = offs[c_start], offs[c_end - 1] + 1
            chunks.append(Chunk(chunk_id(doc_id, s0, s1, text), doc_id, text, s0, s1,
                                extracted.pages_for(s0, s1), sec.heading, None, "text"))
    return chunks


def chunk_document(doc_id: str, extracted: ExtractedText,
                   settings: ChunkerSettings = ChunkerSettings()) -> ChunkedDocument:
    """Passages of the document's body: page furniture (running headers, page numbers, contents lines;
    indexer/readers/layout.py) is blanked out first, so it is in no passage and no embedding."""
    raw = body_text(extracted)
    has_rows = any(b.kind == "table_row" for b in extracted.blocks)
    plan = parse_action_plan(extracted) if has_rows else None
    if plan is not None and not plan.rows:
        plan = None
    clean, offs = clean_with_map(raw)
    if not offs:
        return ChunkedDocument([], [], [], None)

    def clean_pos(raw_pos: int) -> int:
        import bisect

        return min(bisect.bisect_left(offs, raw_pos), len(clean))

    heads = sorted((clean_pos(b.start), clean_pos(b.end)) for b in extracted.blocks
                   if b.kind == "heading" and not b.furniture)
    headings = heads or None  # a document without heading markup: headings are guessed from its lines
    chunks: list[Chunk] = []
    rows: list[Row] = []
    row_ids: list[str] = []
    if plan is None:
        chunks = _text_chunks(doc_id, extracted, clean, offs, 0, len(clean), settings, headings)
    else:
        t0, t1 = clean_pos(plan.table_start), clean_pos(plan.table_end)
        chunks += _text_chunks(doc_id, extracted, clean, offs, 0, t0, settings, headings)
        for row in plan.rows:
            text = row_text(row)
            cid = chunk_id(doc_id, row.start, row.end, text)
            chunks.append(Chunk(cid, doc_id, text, row.start, row.end, extracted.pages_for(row.start, row.end),
                                row.section or row.addressee, row.number, "recommendation"))
            rows.append(row)
            row_ids.append(cid)
        chunks += _text_chunks(doc_id, extracted, clean, offs, t1, len(clean), settings, headings)
    # identical text at the same place twice would be one passage shown twice
    seen: set[str] = set()
    unique: list[Chunk] = []
    for c in chunks:
        if c.chunk_id not in seen:
            seen.add(c.chunk_id)
            unique.append(c)
    return ChunkedDocument(unique, rows, row_ids, plan)

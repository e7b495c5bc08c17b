"""The records that cross module boundaries: documents, chunks, recommendations.

They are frozen dataclasses so that a stage never mutates what an earlier stage
produced; `to_dict`/`from_dict` are the only (de)serialisation, used by the index
format in `indexer.index.store`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Optional


def _from_dict(cls, data: dict[str, Any]):
    names = {f.name for f in fields(cls)}
    kwargs = {k: v for k, v in data.items() if k in names}
    for k, v in list(kwargs.items()):
        if isinstance(v, list) and k in cls._tuple_fields:
            kwargs[k] = tuple(v)
    return cls(**kwargs)


@dataclass(frozen=True)
class Document:
    """One source file, with what is known about it (manifest, then inference)."""

    doc_id: str
    path: str  # as given to the indexer (relative to the working directory where possible)
    sha256: str
    title: str
    doc_type: str = "unknown"  # inspection_report | action_plan | presentation | strategy | unknown
    publisher: Optional[str] = None
    date: Optional[str] = None  # ISO date or partial ISO ("2020-03", "2020"); None when unknown
    year: Optional[int] = None  # from `date` only: never guessed
    report_date: Optional[str] = None  # for an action plan: when the report it answers was published
    source_url: Optional[str] = None
    n_pages: Optional[int] = None  # None for sources without pages (.txt, .md)
    n_chars: int = 0
    name: Optional[str] = None  # the file's name as a person gave it (an upload's own name, not its stored one)
    # where each field came from: {"title": "cover", "date": "text: Published", "doc_type": "manifest", ...}
    # (indexer.extract.metadata names the sources)
    provenance: dict[str, str] = field(default_factory=dict)
    same_as: Optional[str] = None  # another file of an indexed document (its doc_id): no chunks, no records
    fingerprint: str = ""  # a sketch of its words, to know the same document in another file (extract/fingerprint.py)

    _tuple_fields = ()

    @property
    def file_name(self) -> str:
        """The name to show for the file: its own name, else the last part of its path."""
        return self.name or self.path.replace("\\", "/").rsplit("/", 1)[-1]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Document":
        return _from_dict(cls, data)


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage with its provenance.

    `start`/`end` are character offsets into the document's extracted text
    (the text the reader produced, before cleaning); `text` is the cleaned
    passage shown to people and scored by the evaluation.
    """

    chunk_id: str
    doc_id: str
    text: str
    start: int
    end: int
    pages: tuple[int, ...] = ()  # 1-based; empty when the source has no pages
    section: Optional[str] = None
    rec_no: Optional[int] = None
    kind: str = "text"  # text | recommendation

    _tuple_fields = ("pages",)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["pages"] = list(self.pages)
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Chunk":
        return _from_dict(cls, data)


@dataclass(frozen=True)
class Recommendation:
    """One recommendation and the response to it, as a record."""

    rec_id: str
    doc_id: str
    number: Optional[int]
    text: str  # verbatim recommendation text (cleaned of markup); "" when it was lost
    addressee: Optional[str] = None
    scope: Optional[str] = None  # e.g. "for Northamptonshire PDU"
    status: Optional[str] = None  # Agreed | Partly Agreed | Not Agreed | None when lost (indexer.extract.status)
    status_printed: Optional[str] = None  # the status as the plan prints it ("Partly Accepted", "AGREED")
    status_note: Optional[str] = None  # what the status cell says after the status
    response: str = ""
    owners: tuple[str, ...] = ()
    target_dates: tuple[str, ...] = ()
    section: Optional[str] = None
    year: Optional[int] = None
    date: Optional[str] = None
    pages: tuple[int, ...] = ()
    chunk_id: Optional[str] = None
    start: int = 0
    end: int = 0
    printed_number: Optional[str] = None  # the number as the source printed it
    repaired: bool = False  # number repaired from the sequence
    incomplete: bool = False  # part of the row (text or status) was lost in extraction
    notes: tuple[str, ...] = ()
    # "plan_row": an action plan's row, with the response to it; "report": a recommendation as the
    # inspectorate stated it (a report, a slide deck), which has no status of its own
    kind: str = "plan_row"
    ordinal: Optional[int] = None  # 1-based position among the document's recommendations
    # the other half of the same recommendation: for a report recommendation, the plan row that
    # answers it; for a plan row, the report recommendation it answers (see indexer.extract.links)
    linked: Optional[str] = None
    link_score: Optional[float] = None

    _tuple_fields = ("owners", "target_dates", "pages", "notes")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in self._tuple_fields:
            d[k] = list(getattr(self, k))
        return d

    def shown_number(self) -> Optional[str]:
        """The number as people know it: as printed ("1.1", "b"), unless it was repaired from the sequence
        (the printed one is damaged), else the number; None when unnumbered."""
        if self.printed_number and not self.repaired:
            return self.printed_number.strip().rstrip(".):").lstrip("(") or None
        return str(self.number) if self.number is not None else None

    def date_order(self) -> tuple:
        """Date order: a partial date ("2020-03") sorts by what it says; a record without a date sorts last."""
        return (self.date or "9999", self.doc_id, self.number if self.number is not None else 10**6,
                self.ordinal or 0, self.rec_id)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Recommendation":
        return _from_dict(cls, data)


BLOCK_KINDS = ("heading", "paragraph", "list_item", "table_row")


@dataclass(frozen=True)
class Block:
    """One unit of a document's structure, in reading order, with its place in the document text.

    `text[start:end]` of the document is the block as rendered there (a list item with its
    printed marker, a table row as its cells joined by tabs). A table row keeps its cells:
    None marks a grid slot covered by a merged cell, "" an empty cell; a cell's own
    paragraphs are separated by "\n".
    """

    kind: str  # heading | paragraph | list_item | table_row
    start: int
    end: int
    pages: tuple[int, ...] = ()  # 1-based; empty when the format has no pages (DOCX, ODT, HTML, text)
    level: Optional[int] = None  # heading level, or list depth (1 = outermost)
    marker: Optional[str] = None  # a list item's printed number or bullet, as displayed: "3.", "b)", "•"
    cells: tuple[Optional[str], ...] = ()
    table: Optional[int] = None  # which table of the document (0-based)
    header: bool = False  # a table's header row
    gap_before: bool = False  # a page break (or, in plain text, two or more blank lines) precedes it
    # "body", or "furniture": a running header or footer, a page number, a contents line. Furniture is
    # labelled, not deleted: it stays in the text (offsets hold) but never reaches passages or titles.
    layer: str = "body"

    @property
    def furniture(self) -> bool:
        return self.layer != "body"

    def to_list(self) -> list:
        return [self.kind, self.start, self.end, list(self.pages), self.level, self.marker, list(self.cells),
                self.table, self.header, self.gap_before, self.layer]

    @classmethod
    def from_list(cls, v: list) -> "Block":
        kind, start, end, pages, level, marker, cells, table, header, gap, *layer = v
        return cls(kind, start, end, tuple(pages), level, marker, tuple(cells), table, header, gap,
                   layer[0] if layer else "body")


@dataclass(frozen=True)
class ExtractedText:
    """What every reader returns, whatever the format: the document's text, where each page
    starts in it, and its structure as blocks (headings, paragraphs, list items, table rows).

    `exact_tables` is True when table cells come from the format's own table structure (PDF
    ruling lines, Word, OpenDocument, HTML); False for plain-text extractions, whose rows are
    tab-separated lines that page breaks may have damaged.
    """

    text: str
    page_starts: tuple[int, ...] = ()  # offset of each page's first char; empty if no pages
    blocks: tuple[Block, ...] = ()
    format: str = "text"  # text | pdf | docx | odt | html
    exact_tables: bool = False
    title: Optional[str] = None  # a title the file states as such (HTML <title>, DOCX core properties)
    # what the file says about itself outside its text: "title", "date" (a publication date: HTML meta),
    # "created" (when the file was made: PDF information, DOCX/ODT core properties), "author", "subject"
    properties: dict[str, str] = field(default_factory=dict)

    def pages_for(self, start: int, end: int) -> tuple[int, ...]:
        """1-based pages overlapped by the span [start, end)."""
        if not self.page_starts:
            return ()
        import bisect

        first = bisect.bisect_right(self.page_starts, start) - 1
        last = bisect.bisect_right(self.page_starts, max(start, end - 1)) - 1
        return tuple(range(max(first, 0) + 1, max(last, 0) + 2))

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "page_starts": list(self.page_starts), "blocks": [b.to_list() for b in self.blocks],
                "format": self.format, "exact_tables": self.exact_tables, "title": self.title,
                "properties": dict(self.properties)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "ExtractedText":
        return cls(d["text"], tuple(d.get("page_starts", ())), tuple(Block.from_list(b) for b in d.get("blocks", ())),
                   d.get("format", "text"), bool(d.get("exact_tables")), d.get("title"),
                   dict(d.get("properties") or {}))


@dataclass
class BuildReport:
    """What an indexing run did, for the CLI summary and the app."""

    indexed: list[str] = field(default_factory=list)  # new or changed documents
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    chunks_embedded: int = 0  # chunks of the new or changed documents
    passages_embedded: int = 0  # embedding windows computed by the model in this run
    passages_cached: int = 0  # ... and found in the vector cache instead
    total_documents: int = 0
    total_chunks: int = 0
    # files recognised as another file of an indexed document: (file, doc_id of the document, its title)
    same_document: list[tuple[str, str, str]] = field(default_factory=list)
    generation: Optional[str] = None
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

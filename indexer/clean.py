"""Turn extracted text (HTML fragments, markdown emphasis, entities) into clean text.

`clean_with_map` keeps, for every output character, the offset of the input
character it came from, so chunk offsets can always point back into the
extracted text. Tabs and newlines are kept: they carry table and paragraph
structure that later stages read.
"""
from __future__ import annotations

import html
import re
import unicodedata

# One alternation, scanned once: tags, entities, markdown emphasis markers.
_TOKEN = re.compile(
    r"<(?P<close>/)?(?P<tag>[a-zA-Z][a-zA-Z0-9]*)[^>]*>"  # an HTML tag
    r"|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);"  # an entity
    r"|\*\*|__"  # markdown strong emphasis
)
# What a tag becomes: block-level tags separate words; list items get a bullet.
_TAG_TEXT = {"li": " • ", "br": " ", "p": " ", "ul": " ", "ol": " ", "div": " ", "tr": " ", "td": " "}
# Control characters other than tab/newline, and lone surrogates, never reach the index.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def strip_controls(text: str) -> str:
    """Remove control characters (keeping \\t, \\n, \\f) and lone surrogates."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(lambda m: "\f" if m.group() == "\f" else "", text)


def clean_with_map(text: str) -> tuple[str, list[int]]:
    """Return (clean text, offsets) where offsets[i] is the source index of output char i."""
    out: list[str] = []
    offs: list[int] = []

    def emit(s: str, at: int) -> None:
        for ch in s:
            out.append(ch)
            offs.append(at)

    pos = 0
    for m in _TOKEN.finditer(text):
        for i in range(pos, m.start()):
            out.append(text[i])
            offs.append(i)
        tok = m.group()
        if tok.startswith("<"):
            tag = (m.group("tag") or "").lower()
            if tag == "li" and m.group("close"):
                emit(" ", m.start())
            else:
                emit(_TAG_TEXT.get(tag, ""), m.start())
        elif tok.startswith("&"):
            emit(html.unescape(tok), m.start())
        # markdown emphasis markers vanish
        pos = m.end()
    for i in range(pos, len(text)):
        out.append(text[i])
        offs.append(i)
    return _squeeze("".join(out), offs)


def _squeeze(text: str, offs: list[int]) -> tuple[str, list[int]]:
    """Collapse runs of spaces (not tabs or newlines) and trim spaces at line ends."""
    out: list[str] = []
    o: list[int] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch == " " or ch == "\u00a0":
            j = i
            while j < n and text[j] in " \u00a0":
                j += 1
            at_edge = not out or out[-1] in "\t\n" or j == n or text[j] in "\t\n"
            if not at_edge:
                out.append(" ")
                o.append(offs[i])
            i = j
            continue
        out.append(ch)
        o.append(offs[i])
        i += 1
    return "".join(out), o


def clean(text: str) -> str:
    """Clean text without the offset map."""
    return clean_with_map(text)[0]


def clean_inline(text: str) -> str:
    """Clean one table cell or heading into a single line."""
    t = clean(text)
    t = re.sub(r"\s+", " ", t).strip()
    # list items written as "<li>- text</li>" would read "• - text"
    t = re.sub(r"•\s*[-–]\s+", "• ", t)
    # a bullet at the very start of a cell adds nothing
    return re.sub(r"^(?:•\s*|[-–]\s+)+", "", t).strip()


def normalise_unicode(text: str) -> str:
    """NFC-normalise; used by readers before anything else sees the text."""
    return unicodedata.normalize("NFC", text)

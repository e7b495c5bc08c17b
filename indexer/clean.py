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
    pos = 0
    for m in _TOKEN.finditer(text):
        out.append(text[pos:m.start()])
        offs.extend(range(pos, m.start()))
        tok = m.group()
        if tok.startswith("<"):
            tag = (m.group("tag") or "").lower()
            put = " " if tag == "li" and m.group("close") else _TAG_TEXT.get(tag, "")
        elif tok.startswith("&"):
            put = html.unescape(tok)
        else:
            put = ""  # markdown emphasis markers vanish
        out.append(put)
        offs.extend([m.start()] * len(put))
        pos = m.end()
    out.append(text[pos:])
    offs.extend(range(pos, len(text)))
    return _squeeze("".join(out), offs)


_SPACES = re.compile("[ \u00a0]+")


def _squeeze(text: str, offs: list[int]) -> tuple[str, list[int]]:
    """Collapse runs of spaces (not tabs or newlines) to one, and drop them at line ends and text ends."""
    out: list[str] = []
    o: list[int] = []
    n = len(text)
    pos = 0
    for m in _SPACES.finditer(text):
        i, j = m.span()
        out.append(text[pos:i])
        o.extend(offs[pos:i])
        if not (i == 0 or text[i - 1] in "\t\n" or j == n or text[j] in "\t\n"):
            out.append(" ")
            o.append(offs[i])
        pos = j
    out.append(text[pos:])
    o.extend(offs[pos:])
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

"""The small pieces every page shares: escaping, plurals, human names for types, titles and dates,
status badges and notices."""
from __future__ import annotations

import re
from typing import Optional, Sequence

from ui.render import esc, marked_html  # one escaping rule for the CLI's HTML and the app's

__all__ = ["esc", "marked_html", "plural", "type_name", "display_title", "human_date", "status_badge",
           "notice_html", "sr_only", "STATUS_CLASSES"]

TYPE_NAMES = {"inspection_report": "Inspection report", "action_plan": "Action plan", "presentation": "Presentation",
              "strategy": "Strategy", "unknown": "Other document"}
# a status and the class of its badge; colours are in ui/app/style.py (each pair passes WCAG AA)
STATUS_CLASSES = {"Agreed": "agreed", "Partly Agreed": "partly", "Not Agreed": "not-agreed", None: "unknown"}
ACRONYMS = {"pdu", "pdus", "hmpps", "hmip", "hmi", "moj", "nps", "spo", "spos", "yjb", "crc", "crcs", "wmt", "ete"}
_SLUG = re.compile(r"^[\w.-]+$")
_LEADING_DATE = re.compile(r"^(\d{4})(?:[-_](\d{2}))?(?:[-_](\d{2}))?[-_ ]+")


def plural(n: int, word: str, words: Optional[str] = None) -> str:
    """'1 passage', '2 passages', '1 recommendation'."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def type_name(doc_type: Optional[str]) -> str:
    """'Action plan' for 'action_plan': the name people use, never the stored key."""
    if not doc_type:
        return TYPE_NAMES["unknown"]
    return TYPE_NAMES.get(doc_type, doc_type.replace("_", " ").capitalize())


def display_title(title: str) -> str:
    """A document's title as people read it. A title that is a file's slug (no spaces, words joined by
    '_' or '-', often a date in front: '2026-03_inspection_workforce-stability') is turned into words
    ('Inspection workforce stability'); a real title is kept as it is."""
    t = (title or "").strip()
    if not t or " " in t or not _SLUG.match(t):
        return t or "Untitled document"
    t = re.sub(r"\.(pdf|docx|odt|html?|txt|md)$", "", t, flags=re.I)
    t = _LEADING_DATE.sub("", t)
    words = [w.upper() if w.lower() in ACRONYMS else w for w in re.split(r"[-_.]+", t) if w]
    return (words[0][:1].upper() + " ".join(words)[1:]) if words else title


def human_date(date: Optional[str]) -> str:
    """'27 June 2022', 'March 2020', '2020'; '' when unknown."""
    from search.records.catalogue import long_date

    return long_date(date) or ""


def status_badge(status: Optional[str]) -> str:
    """A status as a coloured badge with its name in words (colour is never the only signal)."""
    cls = STATUS_CLASSES.get(status, "unknown")
    return f'<span class="badge status-{cls}">{esc(status or "Status unknown")}</span>'


def notice_html(kind: str, title: str, lines: Sequence[str] = (), *, live: bool = False) -> str:
    """A notice people see at a glance: kind is success | warning | error | info; `lines` are HTML."""
    role = ' role="status"' if live else ""
    body = "".join(f"<li>{line}</li>" for line in lines)
    return (f'<div class="notice-box notice-{kind}"{role}><p class="notice-title">{esc(title)}</p>'
            + (f"<ul>{body}</ul>" if body else "") + "</div>")


def sr_only(text: str) -> str:
    """Text for screen readers only (what a column header says to a sighted reader)."""
    return f'<span class="sr-only">{esc(text)}</span>'

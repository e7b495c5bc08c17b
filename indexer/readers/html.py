"""Web pages saved from a browser: the article only, with its headings, numbered lists and tables.

Parsed with lxml's HTML parser (it repairs broken markup and stops at 256 levels of
nesting, which is refused here as a tag bomb). What is not the article is removed
before reading, following trafilatura's lists (adbar/trafilatura: settings.py,
MANUALLY_CLEANED; xpaths.py):

- elements that never hold the article: script, style, nav, aside, footer, form,
  iframe, noscript, template, svg, button, dialog, and a header outside the article;
- elements whose role is navigation, banner, contentinfo, search, complementary or
  dialog, and hidden ones (hidden, aria-hidden="true", display:none);
- elements whose class or id names a cookie or consent banner, navigation,
  breadcrumbs, a sidebar, share or feedback widgets; "cookie" only together with
  banner/consent/message words, so a page about cookies keeps its text;
- blocks that are mostly links (menus written as lists of links).

Then the article is `<main>` (or role=main), else the largest `<article>`, else the
body. Unlike trafilatura's output, structure is kept: `<ol start=4>` numbers its
items 4, 5, ...; `<li value=...>` and `type=a|A|i|I` are honoured; headings keep
their level; tables keep their cells (colspan/rowspan slots are None). The page's `<title>` and
its `<meta>` publication date, title, author and description are kept as its properties.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from indexer.readers.base import TextBuilder, UnreadableFile, format_number, one_line
from indexer.readers.text import decode_text
from indexer.records import ExtractedText

DROP_TAGS = {"script", "style", "noscript", "template", "nav", "aside", "footer", "form", "iframe", "svg",
             "button", "select", "textarea", "input", "dialog", "menu", "object", "embed", "canvas", "head"}
DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alertdialog", "menu"}
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:cookies?[-_]?(?:banner|consent|message|notice|bar|popup|settings|prompt)|consent|gdpr|"
    r"skip[-_]?(?:link|to)|breadcrumbs?|navbar|navigation|nav|menu|sidebar|share|sharing|social|newsletter|"
    r"site[-_]?(?:header|footer)|footer|masthead|related[-_]?(?:content|links)|feedback|print[-_]?link|"
    r"back[-_]?to[-_]?top|banner)(?:$|[\s_-])", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
BLOCK_TAGS = {"p", "div", "section", "article", "main", "blockquote", "pre", "address", "figure", "figcaption",
              "dd", "dt", "dl", "caption", "center", "details", "summary", "body", "header", "hgroup"}
HEADINGS = {f"h{i}": i for i in range(1, 7)}
LIST_TYPES = {"1": "decimal", "a": "lower-alpha", "A": "upper-alpha", "i": "lower-roman", "I": "upper-roman"}
MAX_DEPTH = 255  # lxml's own limit is 256: a page that reaches it is refused


def _is_boilerplate(el, in_article: bool) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in DROP_TAGS:
        return True
    if tag == "header" and not in_article:
        return True
    if (el.get("role") or "").lower() in DROP_ROLES:
        return True
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    if _HIDDEN_STYLE.search(el.get("style") or ""):
        return True
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    return tag not in ("main", "article", "body", "html") and bool(_BOILERPLATE.search(names))


def _link_heavy(el) -> bool:
    """A block of three or more links whose text is at least 70 % link text: a menu."""
    links = el.findall(".//a")
    if len(links) < 3:
        return False
    text = " ".join(el.itertext()).split()
    link_text = sum(len(" ".join(a.itertext()).split()) for a in links)
    return bool(text) and link_text >= 0.7 * len(text)


def _clean(root) -> None:
    """Remove what is not the article, in place (iteratively: the tree may be deep)."""
    drop = []
    stack = [(root, False)]
    while stack:
        el, in_article = stack.pop()
        if not isinstance(el.tag, str):  # comments, processing instructions
            drop.append(el)
            continue
        if el is not root and (_is_boilerplate(el, in_article) or
                               (el.tag in ("ul", "ol", "div", "section", "table") and _link_heavy(el))):
            drop.append(el)
            continue
        inside = in_article or el.tag in ("main", "article") or (el.get("role") or "").lower() == "main"
        stack.extend((child, inside) for child in el)
    for el in drop:
        parent = el.getparent()
        if parent is not None:
            tail = el.tail
            parent.remove(el)
            if tail and tail.strip():  # keep text that followed the removed element
                prev = parent.text or ""
                parent.text = prev + " " + tail
    return None


def _article(root):
    main = root.find(".//main")
    if main is None:
        main = next((e for e in root.iter() if isinstance(e.tag, str) and (e.get("role") or "").lower() == "main"),
                    None)
    if main is not None:
        return main
    articles = root.findall(".//article")
    if articles:
        return max(articles, key=lambda a: len(" ".join(a.itertext())))
    body = root.find(".//body")
    return body if body is not None else root


class _Walker:
    """Emits blocks in reading order from an element tree, without recursion."""

    def __init__(self, out: TextBuilder):
        self.out = out
        self.tables = 0

    def run(self, root) -> None:
        self._block(root, depth=0, list_depth=0)

    def _block(self, el, depth: int, list_depth: int, marker: Optional[str] = None,
               cell: Optional[list] = None) -> None:
        """Emit the contents of block element `el`: inline text gathers into paragraphs (or list
        items, or lines of a table cell), nested blocks break them."""
        buf: list[str] = []
        kind = "list_item" if list_depth else "paragraph"
        pending_marker = [marker]

        def flush() -> None:
            text = "".join(buf)
            buf.clear()
            for line in text.split("\n"):
                if not one_line(line):
                    continue
                if cell is not None:
                    m = pending_marker[0]
                    cell.append(f"{m} {one_line(line)}" if m else one_line(line))
                else:
                    self.out.add(kind, line, level=list_depth or None, marker=pending_marker[0])
                pending_marker[0] = None

        # an explicit stack rather than recursion: inline markup may nest deeply
        work: list[tuple] = list(reversed(_children(el)))
        while work:
            op, x = work.pop()
            if op == "text":
                buf.append(x)
                continue
            if op == "flush":
                flush()
                continue
            tag = x.tag if isinstance(x.tag, str) else ""
            if tag == "br":
                buf.append("\n")
            elif tag in HEADINGS:
                flush()
                self._heading(x, HEADINGS[tag], cell)
            elif tag in ("ul", "ol"):
                flush()
                self._list(x, list_depth + 1, cell)
            elif tag == "table":
                flush()
                if cell is not None:
                    cell.append(one_line(" ".join(x.itertext())))
                else:
                    self._table(x)
            elif tag == "li":  # a stray item outside a list
                flush()
                self._block(x, depth + 1, max(list_depth, 1), "•", cell)
            elif tag in BLOCK_TAGS or tag in ("tr", "td", "th"):
                work.append(("flush", None))
                work.extend(reversed(_children(x)))
                work.append(("flush", None))
            else:
                work.extend(reversed(_children(x)))  # inline: its text joins the paragraph
        flush()

    def _heading(self, el, level: int, cell: Optional[list]) -> None:
        text = " ".join(el.itertext())
        if cell is None:
            self.out.add("heading", text, level=level)
        elif one_line(text):  # a heading inside a table cell is a line of the cell
            cell.append(one_line(text))

    def _list(self, el, list_depth: int, cell: Optional[list]) -> None:
        ordered = el.tag == "ol"
        style = LIST_TYPES.get(el.get("type") or "1", "decimal")
        try:
            n = int(el.get("start")) - 1 if ordered and el.get("start") else 0
        except ValueError:
            n = 0
        for li in el:
            if not isinstance(li.tag, str):
                continue
            if li.tag in ("ul", "ol"):  # a list nested without its <li>
                self._list(li, list_depth + 1, cell)
                continue
            if li.tag != "li":
                self._block(li, 0, list_depth, None, cell)
                continue
            if ordered:
                try:
                    n = int(li.get("value")) if li.get("value") else n + 1
                except ValueError:
                    n += 1
                mk = f"{format_number(n, LIST_TYPES.get(li.get('type') or '', style))}."
            else:
                mk = "•"
            self._block(li, 0, list_depth, mk, cell)

    def _table(self, table) -> None:
        number = self.tables
        self.tables += 1
        rows = [tr for tr in table.iter("tr") if _nearest_table(tr) is table]
        spans: dict[int, int] = {}  # column -> rows still covered by a rowspan above
        for tr in rows:
            cells: list[Optional[str]] = []
            col = 0
            header = tr.getparent() is not None and tr.getparent().tag == "thead"
            tds = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
            if tds and all(c.tag == "th" for c in tds):
                header = True
            for td in tds:
                while spans.get(col, 0) > 0:
                    cells.append(None)
                    spans[col] -= 1
                    col += 1
                parts: list[str] = []
                self._block(td, 0, 0, None, parts)
                cells.append("\n".join(parts))
                colspan = _int(td.get("colspan"), 1, 50)
                rowspan = _int(td.get("rowspan"), 1, 500)
                for k in range(colspan):
                    if rowspan > 1:
                        spans[col + k] = rowspan - 1
                cells.extend([None] * (colspan - 1))
                col += colspan
            while spans.get(col, 0) > 0:
                cells.append(None)
                spans[col] -= 1
                col += 1
            self.out.add_row(cells, number, header=header)


def _nearest_table(el):
    p = el.getparent()
    while p is not None and p.tag != "table":
        p = p.getparent()
    return p


def _int(v, default: int, cap: int) -> int:
    try:
        return max(1, min(int(v), cap))
    except (TypeError, ValueError):
        return default


# <meta name=...> / <meta property=...> holding the page's publication date, title, author, description
_META = {"date": ("date", "dc.date", "dcterms.date", "dc.date.issued", "dcterms.issued", "article:published_time",
                  "citation_publication_date", "publication_date", "govuk:first-published-at"),
         "title": ("og:title", "dc.title", "dcterms.title", "citation_title"),
         "author": ("author", "dc.creator", "dcterms.creator"),
         "subject": ("description", "og:description", "dc.description")}


def _meta(root) -> dict[str, str]:
    """The page's metadata: a publication date (YYYY-MM-DD as given, or as much of it), a title, author, subject."""
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("name") or el.get("property") or el.get("itemprop") or "").strip().lower()
        value = one_line(el.get("content") or "")
        for field, names in _META.items():
            if key in names and value and field not in found:
                found[field] = value
    if "date" in found:
        m = re.match(r"((?:19|20)\d{2})(?:-(\d{2}))?(?:-(\d{2}))?", found["date"])
        if m:
            found["date"] = "-".join(g for g in m.groups() if g)
        else:
            del found["date"]
    return found


def read_html_bytes(data: bytes, path: str | Path) -> ExtractedText:
    import lxml.html
    from lxml import etree

    text = decode_text(data, path)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise UnreadableFile(path, f"unreadable HTML ({str(e)[:100]})") from None
    if any("Excessive depth" in str(err) for err in parser.error_log):
        raise UnreadableFile(path, f"HTML nested more than {MAX_DEPTH} levels deep (a tag bomb?)")
    title_el = root.find(".//title")
    title = one_line(title_el.text_content()) if title_el is not None else None
    properties = _meta(root)
    _clean(root)
    out = TextBuilder("html")
    out.title = title or None
    out.properties = properties
    _Walker(out).run(_article(root))
    result = out.build()
    if not result.text.strip():
        raise UnreadableFile(path, "no article text in this web page")
    return result


def _children(el) -> list[tuple]:
    """An element's contents in order: ("text", its text), ("el", each child), ("text", the child's tail)."""
    items = [("text", el.text)] if el.text else []
    for child in el:
        items.append(("el", child))
        if child.tail:
            items.append(("text", child.tail))
    return items

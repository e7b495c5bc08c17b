"""A report as a web page saved from a browser (hand-written HTML).

The page's frame (cookie banner, skip link, navigation, search, breadcrumbs, scripts, related links,
footer) is markup written here; the article's text comes from content.json.
"""
from __future__ import annotations

from html import escape as e

from .common import print_blocks
from .content import Block, Report

HEAD = [
    "<meta name=\"description\" content=\"HM Inspectorate of Probation inspection report.\">",
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
    "<link rel=\"stylesheet\" href=\"./An inspection of probation services_files/main.css\">",
    ("<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}"
     " gtag('js', new Date()); gtag('config', 'G-XXXXXXX');</script>"),
    "</head>",
]

SITE_HEADER = [
    "<body class=\"report-template\">",
    "<div class=\"cookie-banner\" id=\"cookie-banner\" role=\"region\" aria-label=\"Cookies on this site\">",
    ("<p>We use some essential cookies to make this website work. We would also like to set analytics "
     "cookies to understand how you use the site, so that we can make improvements.</p>"),
    ("<button type=\"button\">Accept analytics cookies</button> <button type=\"button\">Reject analytics "
     "cookies</button> <a href=\"/cookies/\">View cookies</a></div>"),
    "<a class=\"skip-link\" href=\"#main-content\">Skip to main content</a>",
    "<header class=\"site-header\"><a class=\"logo\" href=\"/\">HM Inspectorate of Probation</a>",
    "<nav class=\"main-nav\" aria-label=\"Main\"><ul>",
    "<li><a href=\"/about-our-work/\">About our work</a></li>",
    "<li><a href=\"/our-inspections/\">Our inspections</a></li>",
    "<li><a href=\"/our-research/\">Research</a></li>",
    "<li><a href=\"/news/\">News</a></li>",
    "<li><a href=\"/contact-us/\">Contact us</a></li>",
    "</ul></nav>",
    ("<form class=\"search\" action=\"/\"><label for=\"s\">Search</label><input id=\"s\" name=\"s\">"
     "<button>Search</button></form></header>"),
]

BREADCRUMBS = ("<div class=\"breadcrumbs\"><a href=\"/\">Home</a> &gt; <a href=\"/our-inspections/\">Our "
               "inspections</a> &gt; <a href=\"/our-inspections/adult-inspections/\">Adult inspections</a> &gt; ")

PAGE_END = [
    ("<p class=\"download\"><a href=\"/wp-content/uploads/ashby-fields-pdu-inspection.pdf\">Download the "
     "full report (PDF, 1.2 MB)</a></p>"),
    "</article>",
    "<aside class=\"related\"><h2>Related reports</h2><ul>",
    "<li><a href=\"/inspections/wrenfold-pdu/\">An inspection of probation services in Wrenfold PDU</a></li>",
    "<li><a href=\"/inspections/annual-report-2025/\">Annual report 2025</a></li>",
    "<li><a href=\"/effective-practice/\">Effective practice guides</a></li>",
    "</ul></aside>",
    "</main>",
    ("<footer class=\"site-footer\"><p>HM Inspectorate of Probation, 1st Floor Civil Justice Centre, "
     "Manchester.</p>"),
    ("<ul><li><a href=\"/accessibility/\">Accessibility</a></li><li><a href=\"/privacy/\">Privacy "
     "notice</a></li><li><a href=\"/cookies/\">Cookies</a></li></ul>"),
    ("<p>All content is available under the Open Government Licence v3.0, except where otherwise "
     "stated. &copy; Crown copyright</p></footer>"),
    "<script src=\"./An inspection of probation services_files/site.js\"></script>",
    "</body>",
    "</html>",
    "",
]


class _Article:
    """The article's blocks as HTML lines; the recommendations as a table with a header row and
    addressee rows spanning both columns."""

    def __init__(self, report: Report):
        self.report = report
        self.lines: list[str] = []

    def block_h2(self, block: Block):
        self.lines.append(f"<h2>{e(block.value)}</h2>")

    def block_p(self, block: Block):
        self.lines.append(f"<p>{e(block.value)}</p>")

    def block_recs(self, block: Block):
        out = self.lines
        out.append("<table class=\"recommendations\">")
        out.append("<thead><tr><th scope=\"col\">No.</th><th scope=\"col\">Recommendation</th></tr></thead>")
        out.append("<tbody>")
        for group in self.report.groups:
            out.append(f"<tr class=\"addressee\"><th colspan=\"2\" scope=\"colgroup\">{e(group.heading)}</th></tr>")
            for rec in group.recs:
                out.append(f"<tr><td>{e(rec.printed)}</td><td>{e(rec.text)}</td></tr>")
        out.append("</tbody>")
        out.append("</table>")


def report_html(report: Report) -> bytes:
    """A report as a page saved from a browser: cookie banner, skip link, navigation, breadcrumbs,
    scripts, the article with the recommendations in a table (a header row, addressee rows spanning
    both columns), related links and a footer. The date is in <meta name="date"> and <title> only."""
    p = report.properties
    article = _Article(report)
    print_blocks(article, report.blocks)
    out = ["<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\">",
           f"<title>{e(p['title'])}</title>", f"<meta name=\"date\" content=\"{p['date']}\">"]
    out += HEAD + SITE_HEADER
    out += [f"{BREADCRUMBS}{e(report.title)}</div>", "<main id=\"main-content\">", "<article class=\"report\">",
            f"<h1>{e(report.title)}</h1>"]
    out += article.lines + PAGE_END
    return "\n".join(out).encode("utf-8")

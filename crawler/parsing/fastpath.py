"""The verified template fast path: a page that confirms its site's learned article layout is read
from that layout's elements, without weighing the whole page.

The generic parse weighs every text block of the page to find the article (``crawler.parsing.body``),
every heading against the structured titles (``title``), every same-site link for the prev/next
block (``navigation``), every shown author source against the declared ones (``authors``), and
runs every stage of article detection (``crawler.parsing.detect``). On a site whose article
pages all share one layout, a crawl learns it (``crawler.article.sitevotes``: the same headline,
date, author and navigation paths and the same body region on many pages, a clear majority of the
pages with that headline path) and hands the confident layouts with each later page of the site
(``SiteTemplate.layouts``). Such a page is read the fast way only when its own elements confirm one
layout (``confirmed_layout``): the region path matches exactly one element and every other path
of the layout matches at least one. Then each field is read from the layout's element by its
generic reader, with the same cleaning; where that element does not yield the value the generic
reader would take there, the field falls back to the generic reader, field by field:

- title (``title.headline_at``): the first element of the layout's headline path, weighed
  alone by ``find_headline``'s first rule (an ``<h1>`` or title-classed heading matching a
  structured title: JSON-LD ``headline``, ``og:title``, ``<title>``), cut the same way. Else
  (no structured title, no match, a hidden or linking heading, a breadcrumb's last crumb) the
  whole page's headings and, after them, the structured title itself (``find_headline``);
- authors (``authors.authors_at``): the declared names (JSON-LD, then meta tags, judged as
  ``extract_authors`` judges them) when the layout's author element shows one of them, which
  is what makes the generic reader keep them. Else (nothing declared, the element names someone
  else or no one) ``extract_authors``;
- prev/next (``navigation.navigation_at``): the pair in the single element of the layout's
  navigation block, scored as the generic reader scores it (the page's prose places it), with
  evidence ``layout`` added. Else (no pair of its own there, a chain's end, too low a score, a
  head ``<link rel>`` outranking it) ``extract_navigation``; the script payload fills empty sides
  either way;
- dates: read by the generic reader from the layout's headline (``extract_dates``: the
  structured values, then the byline lines after the headline), as in the full parse;
- the body is read by the body reader itself (same blocks, same cleaning rules), limited to the
  region's subtree (``read_body(doc, root=region)``); it must hold prose (at least
  ``MIN_PROSE_CHARS``, the length under which the full parse would look in the page's scripts);
- detection runs as in the full parse (hard rules, cheap signals, the costly stages until the
  score is settled), its layout stage reading the region's blocks: the article's block of prose
  is the same, a list of cards outside the region is not seen (the verified pages measure what
  that changes). A page detection does not call an article, or calls one only by a small
  margin (``Verdict.uncertain``, which weighs the whole page), gets the full parse
  (``FALLBACK``), so a listing or a thread of the same site is told apart as before and the
  stored ``article_uncertain`` flag is the whole page's;
- language, site name, description, image, keywords, access: the generic readers; the site
  template's hints correct the result as they do in the full parse; only where each field was
  read is not located (``apply_template(located=False)``): the page casts no vote for the
  site's template or layouts, the pages parsed in full do.

A page that does not confirm falls back to the full parse. On every ``verify``-marked page (the
crawl's schedule, ``crawler.article.verifying``: every NEWSCRAWL_FAST_PATH_VERIFY_EVERY-th page of a
site, less often while the two readings agree) the page is read both ways and every field
of the two results is compared (``differences``, prev/next evidence without its ``layout``
mark); the whole page's reading is kept, and a difference (``DISAGREED``, logged) makes the
crawl drop the site's layouts until they are earned again. The whole page's reading (there, and
on a page the fast way refuses) takes from the layout's what does not depend on the layout: the
language, the declared site name, and the dates when its headline is the same element. ``ParseResult.parse_path`` says
which way the page was read (one of ``PARSE_PATHS``).

Off: NEWSCRAWL_FAST_PATH_MIN_PAGES = 0 (no layout is ever handed out), or template learning off
(NEWSCRAWL_TEMPLATE_MIN_PAGES = 0). The layouts' counts are kept in the database
(``crawler.article.template``): a crawl, ``newscrawl import`` (on a site the database learned of)
and ``reparse`` hand a site's confident layouts from their first page, and the Redis ingester
publishes them to the workers. The end-of-run re-check parses every page in full.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from lxml.html import HtmlElement

from crawler.parsing.authors import authors_at
from crawler.parsing.body.structured import RESCUE_MAX_CHARS
from crawler.parsing.document import Document
from crawler.parsing.navigation import LAYOUT
from crawler.parsing.result import ParseResult
from crawler.parsing.template import Layout
from crawler.parsing.title import headline_at

FULL = "full"  # no confident layout of the site matched the page: the generic parse
TEMPLATE = "template"  # read the fast way
FALLBACK = "fallback"  # a layout matched, but the region held no prose, or detection did not call the page an article by more than a small margin
VERIFIED = "verified"  # parsed both ways, the same result
DISAGREED = "disagreed"  # parsed both ways, different results: the full parse is kept
PARSE_PATHS = (FULL, TEMPLATE, FALLBACK, VERIFIED, DISAGREED)
STATS_PREFIX = "newscrawl/template/parse_path/"  # + a parse path: the crawl's count of pages read that way

MIN_PROSE_CHARS = RESCUE_MAX_CHARS  # a region body shorter than this: the full parse (it may read the scripts)


@dataclass(frozen=True, slots=True)
class Confirmed:
    """A layout the page confirms: its body region element and each of its paths' elements."""

    layout: Layout
    region: HtmlElement
    elements: dict[str, tuple[HtmlElement, ...]]  # path -> the page's elements matching it (``Document.select``)

    def at(self, path: str | None) -> tuple[HtmlElement, ...]:
        return self.elements.get(path, ()) if path else ()


def confirmed_layout(doc: Document, layouts: tuple[Layout, ...]) -> Confirmed | None:
    """The first layout the page confirms (see the module docstring)."""
    for layout in layouts:
        regions = doc.select(layout.region)
        if len(regions) != 1:
            continue
        elements = {layout.region: regions}
        for path in layout.paths():
            if path not in elements:
                elements[path] = doc.select(path)
        if all(elements.values()):
            return Confirmed(layout, regions[0], elements)
    return None


def holds_prose(body: str | None) -> bool:
    """Whether a body read from a region is long enough to be taken without the full parse."""
    return body is not None and len(body) >= MIN_PROSE_CHARS


def layout_headline(doc: Document, confirmed: Confirmed, site_name: str | None) -> tuple[str | None, HtmlElement | None]:
    """The headline read from the layout's headline element, (None, None) when it yields none."""
    elements = confirmed.at(confirmed.layout.title)
    found = headline_at(doc, elements[0], site_name=site_name) if elements else None
    return found or (None, None)


def layout_authors(doc: Document, confirmed: Confirmed, headline: HtmlElement | None, site_name: str | None) -> list[str] | None:
    """The authors read with the layout's author element, None when it yields none."""
    elements = confirmed.at(confirmed.layout.author)
    return authors_at(doc, elements[0], headline=headline, site_name=site_name) if elements else None


def layout_block(confirmed: Confirmed) -> HtmlElement | None:
    """The layout's navigation block, when exactly one element of the page is it."""
    blocks = confirmed.at(confirmed.layout.navigation)
    return blocks[0] if len(blocks) == 1 else None


def differences(fast: ParseResult, full: ParseResult, *, ignore: tuple[str, ...] = ()) -> list[str]:
    """The fields where the two parses of one page differ (``ignore``: not compared); the
    prev/next evidence is compared without the fast path's ``layout`` mark."""
    return [
        f.name for f in fields(ParseResult)
        if f.name not in ignore and _comparable(f.name, getattr(fast, f.name)) != _comparable(f.name, getattr(full, f.name))
    ]


def _comparable(name: str, value: object) -> object:
    return [kind for kind in value if kind != LAYOUT] if name == "nav_evidence" and isinstance(value, list) else value

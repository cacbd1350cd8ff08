"""The verified template fast path: a page that confirms its site's learned article layout is read
from that layout's body region, without weighing the whole page.

The generic parse weighs every text block of the page to find the article (``crawler.parsing.body``)
and runs every stage of article detection (``crawler.parsing.detect``). On a site whose article
pages all share one layout, a crawl learns it (``crawler.article.sitevotes``: the same headline,
date, author and navigation paths and the same body region on many pages, a clear majority of the
pages with that headline path) and hands the confident layouts with each later page of the site
(``SiteTemplate.layouts``). Such a page is read the fast way only when its own elements confirm one
layout (``confirmed_region``): the region path matches exactly one element and every other path
of the layout matches at least one. Then:

- the body is read by the body reader itself (same blocks, same cleaning rules), limited to the
  region's subtree (``read_body(doc, root=region)``); it must hold prose (at least
  ``MIN_PROSE_CHARS``, the length under which the full parse would look in the page's scripts);
- detection runs as in the full parse (hard rules, cheap signals, the costly stages until the
  score is settled), its layout stage reading the region's blocks: the article's block of prose
  is the same, a list of cards outside the region is not seen (the verified pages measure what
  that changes). A page detection does not call an article gets the full parse, so a listing or
  a thread of the same site is told apart as before;
- every other field is read as in the full parse, and the site template's hints correct it as
  they do there; only where each field was read is not located (``apply_template(located=False)``):
  the page casts no vote for the site's template or layouts, the pages parsed in full do.

A page that does not confirm falls back to the full parse. On every ``verify``-marked page (every
Nth page of a site: NEWSCRAWL_FAST_PATH_VERIFY_EVERY) the body and the verdict, the only parts the
fast path reads differently, are read both ways (the other fields are read once, from the same
page, by the same functions, so they cannot differ); the whole page's reading is kept, and a
difference (``DISAGREED``, logged) makes the crawl drop the site's layouts until they are earned
again. ``ParseResult.parse_path`` says which way the page was read (one of ``PARSE_PATHS``).

Off: NEWSCRAWL_FAST_PATH_MIN_PAGES = 0 (no layout is ever handed out), or template learning off
(NEWSCRAWL_TEMPLATE_MIN_PAGES = 0). ``newscrawl reparse``, ``import`` and the end-of-run re-check
parse every page in full, and so does a distributed crawl (its workers get no layouts).
"""

from __future__ import annotations

from dataclasses import fields

from lxml.html import HtmlElement

from crawler.parsing.body.structured import RESCUE_MAX_CHARS
from crawler.parsing.document import Document
from crawler.parsing.paths import select
from crawler.parsing.result import ParseResult
from crawler.parsing.template import Layout

FULL = "full"  # no confident layout of the site matched the page: the generic parse
TEMPLATE = "template"  # read the fast way
FALLBACK = "fallback"  # a layout matched, but the region held no prose or detection did not call the page an article
VERIFIED = "verified"  # parsed both ways, the same result
DISAGREED = "disagreed"  # parsed both ways, different results: the full parse is kept
PARSE_PATHS = (FULL, TEMPLATE, FALLBACK, VERIFIED, DISAGREED)
STATS_PREFIX = "newscrawl/template/parse_path/"  # + a parse path: the crawl's count of pages read that way

MIN_PROSE_CHARS = RESCUE_MAX_CHARS  # a region body shorter than this: the full parse (it may read the scripts)


def confirmed_region(doc: Document, layouts: tuple[Layout, ...]) -> HtmlElement | None:
    """The body region element of the first layout the page confirms (see the module docstring)."""
    for layout in layouts:
        regions = select(doc.tree, layout.region)
        if len(regions) != 1:
            continue
        if all(select(doc.tree, path) for path in layout.paths() if path != layout.region):
            return regions[0]
    return None


def holds_prose(body: str | None) -> bool:
    """Whether a body read from a region is long enough to be taken without the full parse."""
    return body is not None and len(body) >= MIN_PROSE_CHARS


def differences(fast: ParseResult, full: ParseResult) -> list[str]:
    """The fields where the two parses of one page differ."""
    return [f.name for f in fields(ParseResult) if getattr(fast, f.name) != getattr(full, f.name)]

"""The result of parsing one page: plain data, no HTML, no Scrapy."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class ParseResult:
    """Everything the parsers read from one page.

    Dates are ISO 8601 strings: ``2025-09-11T08:30:00+02:00`` when the page gives a
    time (with its UTC offset when the page gives one), ``2025-09-11`` when it shows
    only a day. ``None`` marks a field the page does not offer.
    """

    url: str  # the URL the page was fetched from
    is_article: bool = False
    not_article_reason: str | None = None  # why is_article is False ("listing page", ...)
    # An article by a small margin (crawler.parsing.detect.UNCERTAIN_MARGIN): stored, flagged.
    article_uncertain: bool = False
    title: str | None = None
    body: str | None = None  # plain text, paragraphs separated by one blank line
    published_at: str | None = None
    published_relative: bool = False  # the page wrote it relative ("3 hours ago"), resolved against the fetch time
    modified_at: str | None = None
    # Dates the page gave that cannot be its own (after the fetch time, before 1990), refused:
    # "<code>: <detail>", the code being future_date, date_before_1990 or not_a_date.
    date_warnings: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    description: str | None = None
    language: str | None = None  # BCP 47 primary tag, lower case ("en", "fr")
    canonical_url: str | None = None
    site_name: str | None = None
    prev_url: str | None = None  # absolute URL of the previous article in the site's chain
    prev_title: str | None = None  # its headline, as the page shows it
    next_url: str | None = None
    next_title: str | None = None
    image_url: str | None = None  # the lead image, absolute
    keywords: list[str] = field(default_factory=list)  # the publisher's tags or topics
    free_to_read: bool | None = None  # False behind a paywall or a meter; None when the page does not say
    # Why prev/next were chosen (crawler.parsing.navigation): "pair"/"single"/"head-rel", then
    # the evidence that counted: "rel", "url-order", "label-shape", "mirrored", "after-body",
    # "label", "class", "arrow"; "layout" when the pair was read from the site's learned block
    # alone (the template fast path); "payload" for a side the page's scripts gave. Empty when
    # the page shows no chain.
    nav_evidence: list[str] = field(default_factory=list)
    nav_confidence: float = 0.0  # 0..1 from the chosen block's score; 0 when none was found
    nav_block: str | None = None  # element path of that block: the same on the site's other pages
    # Where each field was read on an article page (crawler.parsing.template): "title", "date",
    # "author", "body", "navigation" -> generalised element path (a CSS selector). A field read
    # from metadata only has none. The same on every page of a site that share a template.
    field_paths: dict[str, str] = field(default_factory=dict)
    template_changed: list[str] = field(default_factory=list)  # fields the site's template hint corrected
    # How the page was read (crawler.parsing.fastpath): "full" (the generic parse), "template"
    # (from the site's learned layout), "fallback" (a layout matched but did not confirm the
    # page), "verified" / "disagreed" (parsed both ways: the same / not; the full parse kept).
    parse_path: str = "full"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

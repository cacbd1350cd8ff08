"""The parsing package: pure functions from (HTML, URL) to a ``ParseResult``. No Scrapy here.

``parse_page`` parses the page once into a ``Document`` and runs one small extractor per field;
each extractor's docstring gives its fallback order.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from lxml.html import HtmlElement

from crawler.parsing.access import extract_free_access
from crawler.parsing.authors import extract_authors
from crawler.parsing.body import Body, read_body
from crawler.parsing.dates import Dates, extract_dates
from crawler.parsing.detect import Evidence, detect_article
from crawler.parsing.document import MAX_DEPTH, Document, load_document
from crawler.parsing.encoding import decode_html
from crawler.parsing.fastpath import (
    DISAGREED,
    FALLBACK,
    FULL,
    TEMPLATE,
    VERIFIED,
    Confirmed,
    confirmed_layout,
    differences,
    holds_prose,
    layout_authors,
    layout_block,
    layout_headline,
)
from crawler.parsing.image import extract_image
from crawler.parsing.keywords import extract_keywords
from crawler.parsing.metadata import extract_canonical_url, extract_description, extract_language, extract_site_name
from crawler.parsing.navigation import Navigation, Neighbour, extract_navigation, navigation_at
from crawler.parsing.paths import element_path
from crawler.parsing.payload import PayloadFields, payload_fields
from crawler.parsing.result import ParseResult
from crawler.parsing.template import SiteTemplate, apply_template
from crawler.parsing.title import find_headline, site_name_from_title

__all__ = ["Document", "ParseResult", "SiteTemplate", "decode_html", "load_document", "parse_page"]

logger = logging.getLogger(__name__)

MAX_CONTROL_SHARE = 0.1  # a text page has almost no control bytes; a binary file has many
_BINARY_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"RIFF", b"\x00\x00\x01\x00")
_CONTROL_BYTES = bytes(byte for byte in range(32) if byte not in (9, 10, 12, 13))
_BINARY_CONTENT_TYPES = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip", "application/octet-stream")


def _looks_binary(html: str | bytes, content_type: str | None) -> bool:
    """A declared non-HTML type, a known file signature, or mostly control bytes at the start."""
    if content_type and content_type.split(";")[0].strip().lower().startswith(_BINARY_CONTENT_TYPES):
        return True
    if not isinstance(html, bytes):
        return False
    head = html[:1024]
    if head.startswith(_BINARY_SIGNATURES):
        return True
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text has a zero byte in every other position
    control = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return control > len(head) * MAX_CONTROL_SHARE


def parse_page(
    html: str | bytes,
    url: str,
    *,
    content_type: str | None = None,
    now: datetime | None = None,
    template: SiteTemplate | None = None,
) -> ParseResult:
    """Parse one page. Never raises on bad input: a page that holds no readable HTML comes back
    with ``is_article=False`` and ``not_article_reason`` saying why.

    ``now`` is when the page was fetched (default: the current UTC time; a naive value is UTC):
    relative dates are resolved against it and dates after it are refused. ``template``: the
    site's learned or pinned template, a hint the page's own elements must confirm
    (``crawler.parsing.template``)."""
    if _looks_binary(html, content_type):
        return ParseResult(url=url, not_article_reason="binary content")
    try:
        doc = load_document(html, url, content_type=content_type)
    except ValueError as exc:
        return ParseResult(url=url, not_article_reason=str(exc))
    return parse_document(doc, now=now, template=template)


def with_payload_links(navigation: Navigation, payload: PayloadFields) -> Navigation:
    """The page's navigation, its empty sides filled from the script payload's neighbours
    (evidence ``payload``)."""
    prev = navigation.prev or (Neighbour(*payload.prev) if payload.prev else None)
    next_ = navigation.next or (Neighbour(*payload.next) if payload.next else None)
    if (prev, next_) == (navigation.prev, navigation.next):
        return navigation
    evidence = [*navigation.evidence, "payload"]
    return Navigation(prev, next_, evidence=evidence, confidence=navigation.confidence, block=navigation.block)


def parse_document(doc: Document, *, now: datetime | None = None, template: SiteTemplate | None = None) -> ParseResult:
    """Every field of an already-loaded page; ``now`` and ``template`` as for ``parse_page``.

    With confident layouts in the template and a page that confirms one, the verified template
    fast path (``crawler.parsing.fastpath``) reads the headline, authors, prev/next block, body
    and verdict from the layout's elements, each field falling back to its generic reader;
    else, or when the layout's reading is refused, every field is read from the whole page.
    ``parse_path`` says which."""
    now = now or datetime.now(UTC)  # one instant for every reader, and for both readings of a verified page
    confirmed = confirmed_layout(doc, template.layouts) if template is not None and template.layouts else None
    if confirmed is None or template is None:
        fields, result, region = _full(doc, now, FULL)
    else:
        fields, result, region = _read_by_layout(doc, now, confirmed, verify=template.verify)
    return _with_template(doc, result, fields.headline, region, template, now)


@dataclass(slots=True)
class _Fields:
    """What the page shows around its text."""

    language: str | None
    declared_site_name: str | None  # the site name the page declares (``extract_site_name``)
    site_name: str | None  # ... else the one its title shows
    title: str | None
    headline: HtmlElement | None
    dates: Dates
    authors: list[str]
    confirmed: Confirmed | None = None  # the layout the headline, authors and prev/next block were read from first


@dataclass(slots=True)
class _Reading:
    """The article's text, what its scripts' payload adds, and the verdict on the page."""

    body: Body
    payload: PayloadFields
    title: str | None
    authors: list[str]
    dates: Dates
    reason: str | None  # why the page is not an article (None: it is one)
    uncertain: bool = False  # an article by a small margin (detect.UNCERTAIN_MARGIN)


def _page_fields(doc: Document, now: datetime, confirmed: Confirmed | None = None, read: _Fields | None = None) -> _Fields:
    """Each field by its generic reader; with a ``confirmed`` layout, the headline and the
    authors from the layout's elements first (``crawler.parsing.fastpath``). ``read``: the same
    page's fields as the layout's reading found them (a verified page, or one the fast path
    refused): the readings that depend on the page alone are taken from it, not made again
    (the language, the declared site name, and the dates when the headline is the same element:
    ``extract_dates`` reads the page, the language, the headline and ``now`` only)."""
    language = read.language if read else extract_language(doc)
    declared = read.declared_site_name if read else extract_site_name(doc)
    title, headline = layout_headline(doc, confirmed, declared) if confirmed else (None, None)
    if headline is None:
        title, headline = find_headline(doc, site_name=declared)
    site_name = declared or site_name_from_title(doc, title)
    if read is not None and read.headline is headline:
        dates = read.dates
    else:
        dates = extract_dates(doc, language=language, headline=headline, now=now)
    authors = layout_authors(doc, confirmed, headline, site_name) if confirmed else None
    if authors is None:
        authors = extract_authors(doc, headline=headline, site_name=site_name)
    return _Fields(language, declared, site_name, title, headline, dates, authors, confirmed)


def _reading(doc: Document, fields: _Fields, now: datetime, *, root: HtmlElement | None = None) -> _Reading:
    """The body (``root``: from that element's subtree only) and detection's verdict on it."""
    body = read_body(doc, root=root)
    payload = payload_fields(body.payload, doc.url, now=now) if body.payload else PayloadFields()
    dates = payload.fill_dates(replace(fields.dates, warnings=list(fields.dates.warnings)))
    title, authors = fields.title or payload.title, fields.authors or payload.authors
    evidence = Evidence(
        body.text, title, dates.published, authors, byline_date=dates.shown, body_from_scripts=body.from_scripts, blocks=body.blocks
    )
    verdict = detect_article(doc, evidence)
    reason = verdict.reason
    if reason is not None and doc.cut_at_depth:
        reason = f"{reason}; the page is nested deeper than {MAX_DEPTH} elements, where the HTML parser stops reading"
    return _Reading(body, payload, title, authors, dates, reason, verdict.uncertain)


def _read_by_layout(doc: Document, now: datetime, confirmed: Confirmed, *, verify: bool
                    ) -> tuple[_Fields, ParseResult, HtmlElement | None]:
    """The page read from the confirmed layout, taken when the region holds prose and detection
    calls the page an article by more than a small margin (else the whole page's reading:
    ``FALLBACK``: the margin weighs signals of the whole page, such as card lists outside the
    region, that the region's reading does not see). ``verify``: read from the whole page too
    and compared (``fastpath.differences``); the whole page's is kept."""
    fields = _page_fields(doc, now, confirmed)
    fast = _reading(doc, fields, now, root=confirmed.region)
    if not holds_prose(fast.body.text) or fast.reason is not None or fast.uncertain:
        return _full(doc, now, FALLBACK, read=fields)
    result = _result(doc, fields, fast)
    result.parse_path = TEMPLATE
    if not verify:
        return fields, result, fast.body.region
    full_fields, full, full_region = _full(doc, now, VERIFIED, read=fields)
    differ = differences(result, full, ignore=("parse_path",))
    if differ:
        logger.warning("template fast path disagrees with the full parse on %s: %s", doc.url, ", ".join(differ))
        full.parse_path = DISAGREED
    return full_fields, full, full_region


def _full(doc: Document, now: datetime, path: str, *, read: _Fields | None = None) -> tuple[_Fields, ParseResult, HtmlElement | None]:
    fields = _page_fields(doc, now, read=read)
    reading = _reading(doc, fields, now)
    result = _result(doc, fields, reading)
    result.parse_path = path
    return fields, result, reading.body.region


def _navigation(doc: Document, fields: _Fields, is_article: bool) -> Navigation:
    """The prev/next links: of a confirmed layout's navigation block first (an article's only),
    else of the whole page."""
    block = layout_block(fields.confirmed) if fields.confirmed and is_article else None
    found = navigation_at(doc, block) if block is not None else None
    return found or extract_navigation(doc, is_article=is_article)


def _result(doc: Document, fields: _Fields, reading: _Reading) -> ParseResult:
    reason, payload, dates = reading.reason, reading.payload, reading.dates
    navigation = with_payload_links(_navigation(doc, fields, reason is None), payload)
    return ParseResult(
        url=doc.url,
        is_article=reason is None,
        not_article_reason=reason,
        article_uncertain=reading.uncertain,
        title=reading.title,
        body=reading.body.text,
        published_at=dates.published,
        published_relative=dates.relative,
        modified_at=dates.modified,
        date_warnings=dates.warnings,
        authors=reading.authors,
        description=extract_description(doc),
        language=fields.language,
        canonical_url=extract_canonical_url(doc),
        site_name=fields.site_name,
        prev_url=navigation.prev.url if navigation.prev else None,
        prev_title=navigation.prev.title if navigation.prev else None,
        next_url=navigation.next.url if navigation.next else None,
        next_title=navigation.next.title if navigation.next else None,
        image_url=extract_image(doc, headline=fields.headline),
        keywords=extract_keywords(doc),
        free_to_read=extract_free_access(doc),
        nav_evidence=navigation.evidence,
        nav_confidence=navigation.confidence,
        nav_block=navigation.block,
    )


def _with_template(doc: Document, result: ParseResult, headline: HtmlElement | None, region: HtmlElement | None,
                   template: SiteTemplate | None, now: datetime) -> ParseResult:
    """With a template (an empty one asks only where each field was read): an article's field
    paths (and its body region's, for the site's layouts) and the template's corrections.
    Without one, nothing: locating costs time. A page read the fast way gets the corrections
    but locates nothing: the site's votes come from the pages parsed in full (the verified ones
    among them), so a layout that stops matching is followed by the pages that no longer confirm it."""
    if template is None or not result.is_article:
        return result
    fast = result.parse_path == TEMPLATE
    result = apply_template(doc, result, template, headline, now=now, located=not fast)
    if not fast and region is not None and region.tag not in ("body", "html"):
        result.field_paths["region"] = element_path(region)
    return result

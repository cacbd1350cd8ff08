"""The parsing package: pure functions from (HTML, URL) to a ``ParseResult``. No Scrapy here.

``parse_page`` parses the page once into a ``Document`` and runs one small extractor per field;
each extractor's docstring gives its fallback order.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml.html import HtmlElement

from crawler.parsing.access import extract_free_access
from crawler.parsing.authors import extract_authors
from crawler.parsing.body import read_body
from crawler.parsing.dates import extract_dates
from crawler.parsing.detect import Evidence, detect_article
from crawler.parsing.document import MAX_DEPTH, Document, load_document
from crawler.parsing.encoding import decode_html
from crawler.parsing.fastpath import DISAGREED, FALLBACK, TEMPLATE, VERIFIED, confirmed_layout, differences, holds_prose
from crawler.parsing.image import extract_image
from crawler.parsing.keywords import extract_keywords
from crawler.parsing.metadata import extract_canonical_url, extract_description, extract_language, extract_site_name
from crawler.parsing.navigation import Navigation, Neighbour, extract_navigation
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
    fast path (``crawler.parsing.fastpath``); else, or when the fast read is refused, the full
    parse. ``parse_path`` says which."""
    confirmed = confirmed_layout(doc, template.layouts) if template is not None and template.layouts else None
    if confirmed is None or template is None:
        read = _read_full(doc, now)
    else:
        read = _read_by_layout(doc, now, confirmed[1], verify=template.verify)
    return _with_template(doc, read, template, now)


@dataclass(slots=True)
class _Read:
    result: ParseResult
    headline: HtmlElement | None
    region: HtmlElement | None  # the body reader's region (``Body.region``): the site's layout learns its path


def _read_by_layout(doc: Document, now: datetime | None, region: HtmlElement, *, verify: bool) -> _Read:
    """The page read from its layout's body region; parsed both ways when ``verify`` (the full
    parse is kept); the full parse when the region read is refused."""
    fast = _read_page(doc, now, root=region)
    if fast is None:
        read = _read_full(doc, now)
        read.result.parse_path = FALLBACK
        return read
    if not verify:
        fast.result.parse_path = TEMPLATE
        return fast
    full = _read_full(doc, now)
    differ = differences(fast.result, full.result)
    full.result.parse_path = DISAGREED if differ else VERIFIED
    if differ:
        logger.warning("template fast path disagrees with the full parse on %s: %s", doc.url, ", ".join(differ))
    return full


def _read_full(doc: Document, now: datetime | None) -> _Read:
    read = _read_page(doc, now)
    assert read is not None  # only a region read is ever refused
    return read


def _read_page(doc: Document, now: datetime | None, *, root: HtmlElement | None = None) -> _Read | None:
    """The fields of the page; ``root``: the body read from that region only (detection's layout
    stage reads the region's blocks), and None (read it fully) when the region holds no prose or
    detection does not call the page an article."""
    language = extract_language(doc)
    site_name = extract_site_name(doc)
    title, headline = find_headline(doc, site_name=site_name)
    site_name = site_name or site_name_from_title(doc, title)
    dates = extract_dates(doc, language=language, headline=headline, now=now)
    authors = extract_authors(doc, headline=headline, site_name=site_name)
    body = read_body(doc, root=root)
    if root is not None and not holds_prose(body.text):
        return None
    payload = payload_fields(body.payload, doc.url, now=now) if body.payload else PayloadFields()
    title, authors, dates = title or payload.title, authors or payload.authors, payload.fill_dates(dates)
    evidence = Evidence(
        body.text, title, dates.published, authors, byline_date=dates.shown, body_from_scripts=body.from_scripts, blocks=body.blocks
    )
    reason = detect_article(doc, evidence)
    if root is not None and reason is not None:
        return None
    if reason is not None and doc.cut_at_depth:
        reason = f"{reason}; the page is nested deeper than {MAX_DEPTH} elements, where the HTML parser stops reading"
    navigation = with_payload_links(extract_navigation(doc, is_article=reason is None), payload)
    result = ParseResult(
        url=doc.url,
        is_article=reason is None,
        not_article_reason=reason,
        title=title,
        body=body.text,
        published_at=dates.published,
        published_relative=dates.relative,
        modified_at=dates.modified,
        date_warnings=dates.warnings,
        authors=authors,
        description=extract_description(doc),
        language=language,
        canonical_url=extract_canonical_url(doc),
        site_name=site_name,
        prev_url=navigation.prev.url if navigation.prev else None,
        prev_title=navigation.prev.title if navigation.prev else None,
        next_url=navigation.next.url if navigation.next else None,
        next_title=navigation.next.title if navigation.next else None,
        image_url=extract_image(doc, headline=headline),
        keywords=extract_keywords(doc),
        free_to_read=extract_free_access(doc),
        nav_evidence=navigation.evidence,
        nav_confidence=navigation.confidence,
        nav_block=navigation.block,
    )
    return _Read(result, headline, body.region)


def _with_template(doc: Document, read: _Read, template: SiteTemplate | None, now: datetime | None) -> ParseResult:
    """With a template (an empty one asks only where each field was read): an article's field
    paths (and its body region's, for the site's layouts) and the template's corrections.
    Without one, nothing: locating costs time."""
    result = read.result
    if template is None or not result.is_article:
        return result
    result = apply_template(doc, result, template, read.headline, now=now or datetime.now(UTC))
    if read.region is not None and read.region.tag not in ("body", "html"):
        result.field_paths["region"] = element_path(read.region)
    return result

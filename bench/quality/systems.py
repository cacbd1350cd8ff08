"""The systems under test, each wrapped as ``(html, url) -> Extraction``.

newscrawl is the full ``crawler.parsing.parse_page``. The others, installed with the ``bench``
extra, run with the options an experienced user would pick for news articles:
- trafilatura: ``bare_extraction(with_metadata=True, include_comments=False)``;
- newspaper4k: ``Article(fetch_images=False, memoize_articles=False)`` given the HTML (no network);
- readability-lxml: ``Document(html).summary()`` as text and ``short_title()``; it reads no
  dates or authors.
Only newscrawl decides whether a page is an article; the others report ``None``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata

import lxml.html

OURS = "newscrawl"
TRAFILATURA = "trafilatura"
NEWSPAPER = "newspaper4k"
READABILITY = "readability"
ALL_SYSTEMS = (OURS, TRAFILATURA, NEWSPAPER, READABILITY)
DISTRIBUTIONS = {OURS: "newscrawl", TRAFILATURA: "trafilatura", NEWSPAPER: "newspaper4k", READABILITY: "readability-lxml"}
# Fields each system offers at all ("n/a" in the table otherwise). "instant": its date carries
# the time of day (trafilatura's, as called here, is a day only).
FIELDS = {
    OURS: {"body", "title", "published", "instant", "authors", "is_article"},
    TRAFILATURA: {"body", "title", "published", "authors"},
    NEWSPAPER: {"body", "title", "published", "instant", "authors"},
    READABILITY: {"body", "title"},
}
_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "br", "table", "section", "article"}


@dataclass(slots=True)
class Extraction:
    body: str | None = None
    title: str | None = None
    published: str | datetime | None = None
    authors: list[str] | str | None = field(default=None)
    is_article: bool | None = None
    error: str | None = None


Extractor = Callable[[str, str], Extraction]


def run_ours(html: str, url: str) -> Extraction:
    from crawler.parsing import parse_page

    result = parse_page(html, url)
    return Extraction(result.body, result.title, result.published_at, result.authors, result.is_article)


def run_trafilatura(html: str, url: str) -> Extraction:
    import trafilatura

    document = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if document is None:
        return Extraction()
    return Extraction(document.text, document.title, document.date, document.author)


def run_newspaper(html: str, url: str) -> Extraction:
    from newspaper import Article, Config

    config = Config()
    config.fetch_images = False
    config.memoize_articles = False
    config.disable_category_cache = True
    article = Article(url, config=config)
    article.download(input_html=html)
    article.parse()
    return Extraction(article.text, article.title, article.publish_date, list(article.authors))


def _summary_text(summary_html: str) -> str:
    root = lxml.html.fromstring(summary_html)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    return root.text_content()


def run_readability(html: str, url: str) -> Extraction:
    import readability

    document = readability.Document(html, url=url)
    return Extraction(_summary_text(document.summary()), document.short_title())


EXTRACTORS: dict[str, Extractor] = {
    OURS: run_ours,
    TRAFILATURA: run_trafilatura,
    NEWSPAPER: run_newspaper,
    READABILITY: run_readability,
}


def run_safely(system: str, html: str, url: str) -> Extraction:
    """One system on one page; an exception is recorded as the page's error, never raised."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return EXTRACTORS[system](html, url)
        except Exception as exc:  # noqa: BLE001 - a crashing system scores nothing on that page
            return Extraction(error=f"{type(exc).__name__}: {exc}")


def version(system: str) -> str:
    try:
        return metadata.version(DISTRIBUTIONS[system])
    except metadata.PackageNotFoundError:
        return "not installed"

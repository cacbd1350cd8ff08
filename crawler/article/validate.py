"""The validate step: a page that is not a storable article becomes a FailedPage with its reason.

Checks, in order (the first that fails is the reason recorded):
``not_article`` (the parser says the page is not an article; its reason is the detail),
``no_title``, ``no_body``, ``body_too_short`` (fewer than NEWSCRAWL_MIN_BODY_CHARS
characters after cleaning; text in unspaced scripts such as Japanese is measured at the length
it would have in a spaced one, ``crawler.parsing.words.latin_length``). The rejected page goes
on to the store as a skipped ``FailedPage``, so the reason lands in the failures table.

Settings: NEWSCRAWL_MIN_BODY_CHARS.
"""

from __future__ import annotations

import logging

from crawler.article.step import ArticleConfig, ArticleStep, Tally
from crawler.items import FailedPage, PageItem
from crawler.parsing.result import ParseResult
from crawler.parsing.words import latin_length

logger = logging.getLogger(__name__)


def rejection(parsed: ParseResult, *, min_body_chars: int) -> tuple[str, str] | None:
    """(reason code, detail) when the parse result is not a storable article, else None."""
    if not parsed.is_article:
        return "not_article", parsed.not_article_reason or "the parser found no article on the page"
    if not parsed.title or not parsed.title.strip():
        return "no_title", "the page has no headline"
    body = (parsed.body or "").strip()
    if not body:
        return "no_body", "the page has no article text"
    length = latin_length(body)
    if length < min_body_chars:
        return "body_too_short", f"{length} characters of text, at least {min_body_chars} needed"
    return None


class ValidateArticle(ArticleStep):
    """A page that is not a storable article becomes a skipped FailedPage with its reason (``rejection``)."""

    name = "validate"
    in_pool = True

    def __init__(self, *, min_body_chars: int) -> None:
        self.min_body_chars = min_body_chars

    @classmethod
    def configured(cls, config: ArticleConfig) -> ValidateArticle:
        return cls(min_body_chars=config.min_body_chars)

    def process(self, item: PageItem, tally: Tally) -> PageItem | FailedPage:
        found = rejection(item.parsed, min_body_chars=self.min_body_chars)
        if found is None:
            return item
        reason, detail = found
        logger.info("not stored as an article: %s (%s: %s)", item.response_url, reason, detail)
        return item.skipped(reason, detail)

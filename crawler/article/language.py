"""The language step: with NEWSCRAWL_LANGUAGES set, only articles in those languages are stored.

``newscrawl crawl --language de,fr``, a profile's ``languages = ["de", "fr"]``, or
``-s NEWSCRAWL_LANGUAGES=de,fr`` on a worker. Languages are compared by their primary
subtag (``de`` takes ``de-AT``); the article's is the parser's (``ParseResult.language``:
the page's declared language, checked against its text). An article in another
language, or whose language could not be told, is skipped with the reason
``unwanted_language`` and the language in the detail, so the failures table shows what
was left out. It runs right after validation: a page that is no article keeps that reason.

Settings: NEWSCRAWL_LANGUAGES.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from crawler.article.step import ArticleConfig, ArticleStep, Tally
from crawler.items import FailedPage, PageItem

logger = logging.getLogger(__name__)

REASON = "unwanted_language"


def primary(tag: str) -> str:
    """``de-AT`` -> ``de``; lower case, stripped."""
    return tag.strip().lower().replace("_", "-").split("-", 1)[0]


def wanted_languages(values: Iterable[str]) -> frozenset[str]:
    """The primary subtags of a language list ("de, fr-CH" -> {"de", "fr"}); a bad tag raises ValueError."""
    tags = frozenset(primary(value) for value in values if value.strip())
    bad = sorted(tag for tag in tags if not (2 <= len(tag) <= 3 and tag.isalpha()))
    if bad:
        raise ValueError(f"not a language code: {', '.join(bad)} (use ISO 639 codes such as de, fr)")
    return tags


class FilterLanguage(ArticleStep):
    """Skip articles whose language is not one of ``languages`` (the module docstring)."""

    name = "language"
    in_pool = True

    def __init__(self, languages: frozenset[str]) -> None:
        self.languages = languages

    @classmethod
    def configured(cls, config: ArticleConfig) -> FilterLanguage | None:
        return cls(config.languages) if config.languages else None

    def process(self, item: PageItem, tally: Tally) -> PageItem | FailedPage:
        language = primary(item.parsed.language or "")
        if language in self.languages:
            return item
        wanted = ", ".join(sorted(self.languages))
        detail = f"{language} is not one of {wanted}" if language else f"its language could not be told (wanted: {wanted})"
        tally.inc_value(f"newscrawl/language/skipped/{language or 'unknown'}")
        return item.skipped(REASON, detail)

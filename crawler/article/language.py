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

# ISO 639-1, every two-letter code (184): a two-letter code outside it is a typo, never a language a page declares.
ISO_639_1 = frozenset("""
    aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el
    en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it
    iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt
    my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk
    sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi
    yo za zh zu
""".split())


# Codes ISO 639 withdrew that older pages still declare (<html lang="iw">), by their successors.
WITHDRAWN = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}


def primary(tag: str) -> str:
    """``de-AT`` -> ``de``; lower case, stripped; a withdrawn code by its successor (``iw`` -> ``he``)."""
    subtag = tag.strip().lower().replace("_", "-").split("-", 1)[0]
    return WITHDRAWN.get(subtag, subtag)


def wanted_languages(values: Iterable[str]) -> frozenset[str]:
    """The primary subtags of a language list ("de, fr-CH" -> {"de", "fr"}); a bad tag raises ValueError.

    A two-letter tag must be an ISO 639-1 code; a three-letter one (ISO 639-2/3, e.g. gsw, fil) is taken as given.
    """
    tags = frozenset(primary(value) for value in values if value.strip())
    bad = sorted(tag for tag in tags if not _language_code(tag))
    if bad:
        raise ValueError(f"not a language code: {', '.join(bad)} (use ISO 639 codes such as de, fr)")
    return tags


def _language_code(tag: str) -> bool:
    return tag.isascii() and tag.isalpha() and (tag in ISO_639_1 if len(tag) == 2 else len(tag) == 3)


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

"""Meta refresh, asked only of pages that can hold one: Scrapy's ``MetaRefreshMiddleware`` behind a byte check.

Scrapy's middleware decodes every HTML response (``response.text``) and scans its first 4,096
characters for ``<meta http-equiv="refresh">`` (``scrapy.utils.response.get_meta_refresh``),
on the crawl's reactor, for the rare page that has one. w3lib takes a tag as a refresh only
when its attributes hold the letters ``refresh`` as written (any case; no entity is decoded
first). In an encoding where every ASCII character is its own byte and no byte decodes to
nothing (``PLAIN_ENCODINGS``), those letters are the bytes ``refresh`` in some case, within
the first ``SCANNED_BYTES`` bytes (4,096 characters take at most 4 bytes each). A page in
such an encoding whose first bytes do not hold them has no refresh: it is passed on as it
is, as Scrapy's middleware would pass it. Every other page (another encoding, UTF-16 or
ISO-2022-JP say, or bytes that hold the letters) goes through Scrapy's middleware unchanged.

Settings: Scrapy's METAREFRESH_ENABLED, METAREFRESH_MAXDELAY, METAREFRESH_IGNORE_TAGS.
"""

from __future__ import annotations

import codecs
from functools import lru_cache
from typing import Any

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefreshMiddleware
from scrapy.http import HtmlResponse

SCANNED_CHARACTERS = 4096  # what Scrapy's get_meta_refresh reads of the decoded page
SCANNED_BYTES = 4 * SCANNED_CHARACTERS  # the most bytes those characters take in PLAIN_ENCODINGS
PLAIN_ENCODINGS = frozenset({"utf-8", "ascii", "cp1252", "iso8859-1", "iso8859-15"})  # codecs' own names


@lru_cache(maxsize=64)
def plain(encoding: str) -> bool:
    """Whether ``encoding`` writes every ASCII character as its own byte and decodes no byte to nothing."""
    try:
        return codecs.lookup(encoding).name in PLAIN_ENCODINGS
    except LookupError:
        return False


def cannot_refresh(response: Any) -> bool:
    """Whether the page surely holds no meta refresh Scrapy's middleware would read (False: ask it)."""
    # bytes.lower() changes ASCII letters only: a copy and a search, a fifth of a case-blind regex
    return plain(response.encoding) and b"refresh" not in response.body[:SCANNED_BYTES].lower()


class MetaRefreshMiddleware(ScrapyMetaRefreshMiddleware):
    """Scrapy's meta refresh, skipped for a page that cannot hold one (``cannot_refresh``)."""

    def process_response(self, request: Any, response: Any) -> Any:
        if isinstance(response, HtmlResponse) and cannot_refresh(response):
            return response
        return super().process_response(request, response)

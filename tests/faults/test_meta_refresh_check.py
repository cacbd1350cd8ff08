"""The meta refresh byte check (crawler/middlewares/refresh.py): the same answers as Scrapy's middleware.

Each page goes through Scrapy's ``MetaRefreshMiddleware`` and ours; both must redirect to the same URL
or both pass the page on. The check must fall back to Scrapy's scan wherever bytes can hide the letters.
"""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefreshMiddleware
from scrapy.http import HtmlResponse
from scrapy.utils.misc import build_from_crawler

from crawler.middlewares.refresh import SCANNED_CHARACTERS, MetaRefreshMiddleware, cannot_refresh
from tests.pipelines.helpers import project_crawler

URL = "http://news.example/a.html"
REFRESH = '<meta http-equiv="refresh" content="0; url=/b.html">'
FILLER = "<p>" + "x" * 200 + "</p>"


def _page(head: str, body: str = "<p>The article.</p>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


PAGES: dict[str, tuple[bytes, str]] = {  # name -> (body, charset)
    "none": (_page("<title>t</title>").encode(), "utf-8"),
    "refresh": (_page(REFRESH).encode(), "utf-8"),
    "upper case": (_page(REFRESH.upper().replace("/B.HTML", "/b.html")).encode(), "utf-8"),
    "mixed case": (_page('<META HTTP-EQUIV="ReFrEsH" CONTENT="0;URL=/b.html">').encode(), "utf-8"),
    "slow refresh": (_page('<meta http-equiv="refresh" content="300; url=/b.html">').encode(), "utf-8"),
    "in a comment": (_page(f"<!-- {REFRESH} -->").encode(), "utf-8"),
    "in noscript": (_page(f"<noscript>{REFRESH}</noscript>").encode(), "utf-8"),
    "word in the text only": (_page("<title>Refresh your feed</title>").encode(), "utf-8"),
    "past the scanned characters": (_page("", FILLER * 30 + REFRESH).encode(), "utf-8"),
    # 4,000 three-byte characters, then the tag: within Scrapy's 4,096 characters, past 4,096 bytes
    "after multi-byte text": (_page("<title>" + "\u20ac" * 4000 + "</title>" + REFRESH).encode(), "utf-8"),
    "cp1252": (_page("<title>caf\xe9</title>" + REFRESH).encode("cp1252"), "windows-1252"),
    "latin-1 without": (_page("<title>caf\xe9</title>").encode("latin-1"), "iso-8859-1"),
    "utf-16": (_page(REFRESH).encode("utf-16"), "utf-16"),
    # ISO-2022-JP: an escape sequence decodes to nothing, so the bytes need not hold "refresh"
    "iso-2022-jp split": (_page(REFRESH.replace("refresh", "refre\x1b(Bsh")).encode("ascii"), "iso-2022-jp"),
}


def _response(body: bytes, charset: str) -> HtmlResponse:
    request = Request(URL)
    return HtmlResponse(URL, body=body, headers={"Content-Type": f"text/html; charset={charset}"}, request=request)


def _outcome(result: object) -> str:
    return result.url if isinstance(result, Request) else "page"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_same_answer_as_scrapys_middleware(name: str) -> None:
    crawler = project_crawler()
    ours = build_from_crawler(MetaRefreshMiddleware, crawler)
    scrapys = build_from_crawler(ScrapyMetaRefreshMiddleware, crawler)
    body, charset = PAGES[name]
    request = Request(URL)
    expected = _outcome(scrapys.process_response(request, _response(body, charset)))
    assert _outcome(ours.process_response(request, _response(body, charset))) == expected


def test_the_pages_above_cover_both_answers_and_both_paths() -> None:
    crawler = project_crawler()
    scrapys = build_from_crawler(ScrapyMetaRefreshMiddleware, crawler)
    outcomes = {name: _outcome(scrapys.process_response(Request(URL), _response(*page))) for name, page in PAGES.items()}
    assert outcomes["refresh"] == outcomes["after multi-byte text"] == "http://news.example/b.html"
    assert outcomes["utf-16"] == outcomes["iso-2022-jp split"] == outcomes["cp1252"] == "http://news.example/b.html"
    assert outcomes["none"] == outcomes["slow refresh"] == outcomes["past the scanned characters"] == "page"
    assert len("\u20ac" * 4000) < SCANNED_CHARACTERS < len(("\u20ac" * 4000).encode())


@pytest.mark.parametrize("name", ["utf-16", "iso-2022-jp split", "refresh", "word in the text only"])
def test_pages_whose_bytes_can_hold_a_refresh_are_asked(name: str) -> None:
    assert not cannot_refresh(_response(*PAGES[name]))


def test_a_plain_page_without_the_letters_is_not_decoded() -> None:
    response = _response(*PAGES["none"])
    assert cannot_refresh(response)
    assert response._cached_ubody is None  # Scrapy's decoded text, made only when asked


def test_ours_replaces_scrapys_after_the_archive() -> None:
    settings = project_crawler().settings
    chain = settings.getwithbase("DOWNLOADER_MIDDLEWARES")
    assert chain["scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"] is None
    ours = chain["crawler.middlewares.refresh.MetaRefreshMiddleware"]
    # process_response runs from the highest priority down: the archive keeps the refreshing page first
    assert ours < chain["crawler.middlewares.archive.ArchiveMiddleware"]
    assert all(not (ours < value < chain["crawler.middlewares.archive.ArchiveMiddleware"])
               for value in chain.values() if value is not None)

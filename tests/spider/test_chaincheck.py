"""crawler.chaincheck: a followed link is confirmed only when the neighbour links back from the mirrored slot."""

from crawler.chaincheck import CONFIRMED, NO_LINK_BACK, NOT_ARTICLE, WRONG_DATE, ChainChecks, LinkCheck
from crawler.parsing.result import ParseResult

A, B, C = "https://news.example/a.html", "https://news.example/b.html", "https://news.example/c.html"


def _page(url, *, prev=None, nxt=None, published=None, article=True):
    return ParseResult(url=url, is_article=article, prev_url=prev, next_url=nxt, published_at=published)


def test_a_neighbour_linking_back_confirms_both_links():
    checks = ChainChecks()
    checks.expect(A, "next", B, "2025-03-01T09:00:00+01:00")
    found = checks.verify(B, _page(B, prev=A, published="2025-03-02T09:00:00+01:00"))
    assert found == [LinkCheck(A, "next", B, CONFIRMED), LinkCheck(B, "prev", A, CONFIRMED)]
    assert checks.verify(B, _page(B, prev=A)) == []  # settled once


def test_no_link_back_wrong_date_and_not_article():
    checks = ChainChecks()
    checks.expect(A, "next", B, "2025-03-05")
    checks.expect(A, "prev", C, "2025-03-05")
    assert checks.verify(B, _page(B, prev=C)) == [LinkCheck(A, "next", B, NO_LINK_BACK)]
    assert checks.verify(C, _page(C, nxt=A, published="2025-03-09"))[0].status == WRONG_DATE
    checks.expect(B, "prev", A, None)
    assert checks.verify(A, _page(A, article=False)) == [LinkCheck(B, "prev", A, NOT_ARTICLE)]


def test_dates_without_comparable_offsets_are_not_judged():
    checks = ChainChecks()
    checks.expect(A, "next", B, "2025-03-05T10:00:00+01:00")
    assert checks.verify(B, _page(B, prev=A, published="2025-03-04T23:00:00"))[0].status == CONFIRMED

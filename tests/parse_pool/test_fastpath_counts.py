"""The crawl's side of the template fast path: the pages handed a layout, how each was read
(counted, in the run summary), and a disagreement making the site's layouts untrusted."""

from __future__ import annotations

from crawler.article.template import TemplateBook
from crawler.commands.crawl import format_summary
from crawler.items import PageItem
from crawler.parse_pool import note_parse_path, share_templates, template_for
from crawler.parsing import ParseResult
from crawler.runner import CrawlSummary, _counts_from_stats, parse_paths

LAYOUT_PATHS = {"title": "article h1.hl", "region": "article div.text", "date": "article span.dt"}


class _Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


class _Crawler:
    def __init__(self) -> None:
        self.stats = _Stats()
        self.spider = None


def _item(path: str) -> PageItem:
    url = "http://127.0.0.1:8000/a.html"
    return PageItem(parsed=ParseResult(url=url, parse_path=path), fetched_url=url, response_url=url, http_status=200,
                    fetched_at="2026-01-01T00:00:00+00:00", site="127.0.0.1:8000")


def test_a_disagreement_is_counted_and_makes_the_site_earn_its_layouts_again():
    crawler = _Crawler()
    book = TemplateBook(min_pages=5, min_share=0.6, fast_min_pages=3, fast_min_share=0.9, verify_every=10)
    share_templates(crawler, book)
    for _ in range(3):
        book.votes("127.0.0.1:8000").observe(LAYOUT_PATHS)
    assert template_for(crawler, "http://127.0.0.1:8000/b.html").layouts
    note_parse_path(crawler, _item("template"))
    note_parse_path(crawler, _item("disagreed"))
    assert template_for(crawler, "http://127.0.0.1:8000/c.html").layouts == ()
    stats = crawler.stats.values
    assert parse_paths(stats) == {"template": 1, "disagreed": 1}
    summary = CrawlSummary(outcome="success", exit_code=0, db_path="news.db", run_id=1, finish_reason="finished",
                           counts=_counts_from_stats({"newscrawl/pages_fetched": 2})[0], parse_paths=parse_paths(stats))
    assert ("Template fast path: 1 page read from its site's layout, 0 checked against the full parse "
            "(1 disagreed), 0 fell back, 0 parsed in full.") in format_summary(summary)


def test_without_a_layout_handed_out_the_summary_says_nothing_of_the_fast_path():
    summary = CrawlSummary(outcome="success", exit_code=0, db_path="news.db", run_id=1, finish_reason="finished",
                           counts=_counts_from_stats({})[0], parse_paths={"full": 12})
    assert "fast path" not in format_summary(summary)

"""The template fast path's verification schedule (crawler/article/verifying.py): trust grows with
agreeing checks, a page the layouts did not read or a disagreement takes it back, and a site whose
template changes with every layout path in place is still caught."""

from __future__ import annotations

from dataclasses import dataclass

from bench.template.__main__ import Case, FastPath, parse_learning
from bench.template.sites import make_site
from crawler.article.template import TemplateBook, note_parse_path
from crawler.article.verifying import VerifySchedule
from crawler.items import PageItem
from crawler.parsing.result import ParseResult
from crawler.parsing.template import Layout

LAYOUT = Layout(title="article h1.hl", region="article div.text", date="article time", author="article a.by",
                navigation="nav.pager")


def _verified(schedule: VerifySchedule, pages: int, path: str = "verified") -> list[int]:
    """The pages (0-based) of ``pages`` handed in a row that are read both ways, each verified one
    reported back as ``path``."""
    picked = []
    for page in range(pages):
        if schedule.next_page():
            picked.append(page)
            schedule.read(path)
        else:
            schedule.read("template")
    return picked


def test_each_agreeing_check_doubles_the_interval_up_to_the_most():
    assert _verified(VerifySchedule(10, 80), 400) == [9, 29, 69, 149, 229, 309, 389]


def test_a_most_not_above_the_first_keeps_the_interval_fixed():
    assert _verified(VerifySchedule(10, 10), 40) == [9, 19, 29, 39]
    assert _verified(VerifySchedule(10, 0), 40) == [9, 19, 29, 39]
    assert _verified(VerifySchedule(4, 2), 12) == [3, 7, 11]


def test_a_page_the_layouts_did_not_read_sets_the_interval_back_and_a_check_due_comes_next():
    for path in ("full", "fallback", "disagreed"):
        schedule = VerifySchedule(10, 80)
        assert _verified(schedule, 70) == [9, 29, 69]  # the interval is 80 now
        for _ in range(15):
            assert not schedule.next_page()
        schedule.read(path)
        assert schedule.next_page()  # 16 pages since the last check, more than 10: checked at once
        assert _verified(schedule, 10, "template") == [9]


def test_a_layout_kept_without_its_schedule_is_checked_on_the_first_page():
    assert _verified(VerifySchedule.checked_at_once(10, 80), 40) == [0, 20]


def test_a_kept_schedule_is_taken_up_where_it_stopped_within_this_run_s_bounds():
    one = VerifySchedule(10, 80)
    first = _verified(one, 100)
    again = VerifySchedule.kept(10, 80, one.every, one.since)
    assert first + [100 + page for page in _verified(again, 300)] == _verified(VerifySchedule(10, 80), 400)
    assert VerifySchedule.kept(10, 20, 80, 5).every == 20  # the interval kept within this run's settings
    assert VerifySchedule.kept(10, 80, 2, 5).every == 10


def _item(site: str, path: str) -> PageItem:
    url = f"http://{site}/a.html"
    return PageItem(parsed=ParseResult(url=url, parse_path=path), fetched_url=url, response_url=url, http_status=200,
                    fetched_at="2026-01-01T00:00:00+00:00", site=site)


@dataclass
class _Stats:
    values: dict

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def test_the_crawl_s_book_checks_less_often_while_the_site_agrees_and_drops_the_layouts_on_a_difference():
    book = TemplateBook(min_pages=5, min_share=0.6, fast_min_pages=3, fast_min_share=0.9, verify_every=2, verify_most=8)
    for _ in range(3):
        book.votes("s").observe(LAYOUT.as_paths())
    stats = _Stats({})
    picked = []
    for page in range(30):
        template = book.for_page("s")
        assert template.layouts
        picked += [page] if template.verify else []
        note_parse_path(_item("s", "verified" if template.verify else "template"), stats, book)
    assert picked == [1, 5, 13, 21, 29]
    for _ in range(3):
        assert not book.for_page("s").verify
    note_parse_path(_item("s", "full"), stats, book)  # a page of the site its layouts did not read
    assert book.for_page("s").verify  # the fourth page since the last check, the interval back at 2
    note_parse_path(_item("s", "disagreed"), stats, book)
    assert book.for_page("s").layouts == ()
    assert stats.values["newscrawl/template/parse_path/disagreed"] == 1


def test_a_change_of_template_that_leaves_every_layout_path_in_place_is_caught_within_the_most():
    """Generated site seed 2001, no trap pages: the story's second half moves out of the body
    container at page 100 (``split``), so every page after it confirms the layout and only a
    verified page can tell."""
    site = make_site(2001, pages=200, trap_share=0.0, redesign_at=100, redesign="split")
    cases = [Case(site.host, page.url, page.html, page.truth.title, page.truth.day, page.truth.authors, page.truth.body)
             for page in site.pages]
    for most in (10, 40):
        results, _ = parse_learning(cases, min_pages=5, min_share=0.6, recheck=False,
                                    fast=FastPath(min_pages=10, min_share=0.9, verify_every=10, verify_most=most))
        paths = [result.parse_path for result in results]
        assert "disagreed" not in paths[:100]
        caught = paths.index("disagreed", 100)
        assert 0 < paths[100:caught].count("template") < most

"""Site-level furniture learning (crawler/article/furniture.py): the pure parts, then the step on a
site whose call-out no single-page rule catches, with a real database file."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.items import FailedPage, PageItem
from crawler.storage import ArticleStore, open_database
from crawler.storage.store import ArticleRow
from crawler.article.clean import CleanText
from crawler.article.dedupe import content_hash
from crawler.article.furniture import LearnSiteFurniture, SiteFurniture, block_key, strip_furniture
from crawler.article.validate import ValidateArticle
from tests.pipelines.helpers import article_steps, make_crawler, page_item

SITE = "http://kaffee.test"
CALLOUT = "Kaffeepause? Die Kurzfassung dieses Beitrags in drei Sätzen gibt es hier."
TOWNS = ["Altdorf", "Brunnental", "Cedernfeld", "Dornheim", "Erlensee", "Falkenau", "Grünwald", "Hasselbach"]


def article_html(index: int) -> bytes:
    """One article of the site; the call-out sits inside the article text, as an ordinary paragraph."""
    town = TOWNS[index]
    paragraphs = [
        f"In {town} hat der Gemeinderat am Dienstag über den Haushalt für das kommende Jahr beraten und vieles vertagt.",
        CALLOUT,
        f"Die Bürgermeisterin von {town} sagte, die Schule im Ortskern solle bis zum Herbst ein neues Dach bekommen.",
        f"Mehrere Vereine aus {town} hatten zuvor mehr Geld für den Sportplatz und die Bücherei gefordert.",
    ]
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        f"<html lang='de'><head><title>Haushalt in {town}</title>"
        "<meta property='og:type' content='article'></head>"
        f"<body><article><h1>Haushalt in {town}</h1>"
        f"<p class='byline'>Von Jana Roth, <time datetime='2025-03-{index + 1:02d}'>{index + 1}. März 2025</time></p>"
        f"<div class='inhalt'>{body}</div></article></body></html>"
    ).encode()


def url(index: int) -> str:
    return f"{SITE}/2025/03/{index + 1:02d}/haushalt.html"


def cleaned_item(index: int, crawler) -> PageItem:
    item = page_item(article_html(index), url(index))
    return article_steps(CleanText, ValidateArticle, crawler=crawler).process(item)


def store_as_the_store_pipeline_would(db_path: Path, item: PageItem) -> None:
    store = ArticleStore(open_database(db_path))
    parsed = item.parsed
    store.upsert_articles(
        [
            ArticleRow(
                url=item.response_url,
                site=item.site,
                title=parsed.title or "",
                body=parsed.body or "",
                content_hash=content_hash(parsed.title, parsed.body),
                fetched_at=item.fetched_at,
                word_count=item.word_count,
            )
        ]
    )
    store.db.conn.close()


@pytest.fixture
def crawler(tmp_path: Path):
    return make_crawler(NEWSCRAWL_DB_PATH=str(tmp_path / "news.db"), NEWSCRAWL_MIN_BODY_CHARS=100)


class _Learner:
    """The furniture step opened on the crawler's database, as a run uses it."""

    def __init__(self, crawler) -> None:
        self.steps = article_steps(LearnSiteFurniture, crawler=crawler)
        self.store = ArticleStore(open_database(crawler.settings.get("NEWSCRAWL_DB_PATH")))
        self.steps.open(self.store)

    @property
    def sites(self):
        return self.steps.steps[0].sites

    def process(self, item):
        return self.steps.process(item)

    def close(self) -> None:
        """The run's rows are stored: save what was learned, clean what was stored before."""
        self.steps.close(self.store)
        self.store.db.conn.close()


def _pipeline(crawler) -> _Learner:
    return _Learner(crawler)


# --- pure parts ------------------------------------------------------------------------------------
def test_block_keys_ignore_case_and_whitespace() -> None:
    assert block_key("Get a  summary\n") == block_key("get a summary")
    assert block_key("Get a summary") != block_key("Get the summary")


def test_a_paragraph_is_furniture_from_its_nth_page_and_only_on_enough_of_the_site() -> None:
    site = SiteFurniture()
    for n in range(2):
        site.observe(f"Own text {n}\n\nNewsletter box", now="t")
    assert not site.is_furniture(block_key("Newsletter box"), min_pages=3, min_share=0.2)
    site.observe("Own text 2\n\nNewsletter box\n\nNewsletter box", now="t")  # twice on one page counts once
    assert site.blocks[block_key("Newsletter box")].pages_seen == 3
    assert site.is_furniture(block_key("Newsletter box"), min_pages=3, min_share=0.2)
    for n in range(3, 30):
        site.observe(f"Own text {n}", now="t")
    assert not site.is_furniture(block_key("Newsletter box"), min_pages=3, min_share=0.2)  # 3 of 30 pages


def test_strip_keeps_a_body_that_is_all_furniture() -> None:
    furniture = {block_key("Box")}
    assert strip_furniture("Text\n\nBox", furniture) == ("Text", 1)
    assert strip_furniture("Box", furniture) == ("Box", 0)
    assert strip_furniture(None, furniture) == (None, 0)


# --- the step ------------------------------------------------------------------------------------
def test_no_single_page_rule_catches_the_callout(crawler) -> None:
    item = cleaned_item(0, crawler)
    assert isinstance(item, PageItem)
    assert CALLOUT in item.parsed.body


def test_callout_is_learned_removed_and_earlier_stored_pages_cleaned(crawler, tmp_path: Path) -> None:
    db_path = tmp_path / "news.db"
    pipeline = _pipeline(crawler)
    bodies = []
    for index in range(5):
        item = pipeline.process(cleaned_item(index, crawler))
        assert isinstance(item, PageItem)
        store_as_the_store_pipeline_would(db_path, item)
        bodies.append(item.parsed.body)
    assert CALLOUT in bodies[0] and CALLOUT in bodies[1]  # not yet known as furniture
    assert all(CALLOUT not in body for body in bodies[2:])  # the third page reveals it
    assert all(TOWNS[n] in bodies[n] for n in range(5))  # the articles' own text stays
    assert crawler.stats.get_value("newscrawl/furniture/paragraphs_removed") == 3

    pipeline.close()

    db = open_database(db_path)
    stored = dict(db.execute("SELECT url, body FROM articles").fetchall())
    assert all(CALLOUT not in body for body in stored.values())
    assert TOWNS[0] in stored[url(0)]
    hashes = dict(db.execute("SELECT url, content_hash FROM articles").fetchall())
    assert hashes[url(0)] == content_hash(f"Haushalt in {TOWNS[0]}", stored[url(0)])
    assert db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'Kaffeepause'").fetchone()[0] == 0
    learned = db.execute("SELECT sample_text, pages_seen FROM site_furniture WHERE site = 'kaffee.test'").fetchall()
    assert (CALLOUT, 5) in learned
    assert db.execute("SELECT pages_seen FROM furniture_sites WHERE site = 'kaffee.test'").fetchone()[0] == 5


def test_next_run_starts_from_what_was_learned(crawler, tmp_path: Path) -> None:
    first = _pipeline(crawler)
    for index in range(3):
        first.process(cleaned_item(index, crawler))
    first.close()

    second = _pipeline(make_crawler(NEWSCRAWL_DB_PATH=str(tmp_path / "news.db"), NEWSCRAWL_MIN_BODY_CHARS=100))
    item = second.process(cleaned_item(6, crawler))  # a page never seen: cleaned at once
    assert isinstance(item, PageItem)
    assert CALLOUT not in item.parsed.body and TOWNS[6] in item.parsed.body
    second.close()


def test_a_shortened_body_gets_its_summary_written_again(crawler) -> None:
    """The summary is written before furniture (with the parse, in the pool): once the call-out
    is furniture, the page's summary comes from the body without it."""
    from crawler.article.summary import Summarize, summary_for

    quoted = "Die Kurzfassung dieses Beitrags"  # the call-out's sentence a summary can pick
    summarized = article_steps(CleanText, ValidateArticle, Summarize, crawler=crawler)
    pipeline = _pipeline(crawler)
    for index in range(3):
        before = summarized.process(page_item(article_html(index), url(index)))
        assert quoted in before.summary
        item = pipeline.process(before)
    assert CALLOUT not in item.parsed.body
    assert item.summary == summary_for(item, max_sentences=3) and quoted not in item.summary
    pipeline.close()


def test_a_page_seen_again_is_not_counted_twice(crawler, tmp_path: Path) -> None:
    pipeline = _pipeline(crawler)
    first = pipeline.process(cleaned_item(0, crawler))
    store_as_the_store_pipeline_would(tmp_path / "news.db", first)
    for _ in range(3):
        pipeline.process(cleaned_item(0, crawler))  # re-crawls of one stored article
    assert pipeline.sites["kaffee.test"].pages_seen == 1
    pipeline.close()


def test_a_body_left_too_short_is_skipped_with_validates_reason(tmp_path: Path) -> None:
    strict = make_crawler(NEWSCRAWL_DB_PATH=str(tmp_path / "news.db"), NEWSCRAWL_MIN_BODY_CHARS=330)
    pipeline = _pipeline(strict)
    results = [pipeline.process(cleaned_item(index, strict)) for index in range(3)]
    assert isinstance(results[0], PageItem)
    assert isinstance(results[2], FailedPage) and results[2].reason == "body_too_short"
    pipeline.close()


def test_learning_can_be_switched_off(tmp_path: Path) -> None:
    assert not article_steps(LearnSiteFurniture, NEWSCRAWL_FURNITURE_MIN_PAGES=0).steps


def test_furniture_in_a_body_is_the_site_furniture_among_its_paragraphs():
    """The per-page lookup agrees with a scan of everything the site has shown."""
    from crawler.article.furniture import SiteFurniture, block_key, paragraphs

    site = SiteFurniture()
    callout = "No time to read? Get the summary in our app."
    for number in range(10):
        site.observe(f"Story {number} opens the day.\n\n{callout}\n\nStory {number} ends here.", now="t")
    body = f"A new story begins.\n\n{callout}\n\nIt ends."
    found = site.furniture_in(body, min_pages=3, min_share=0.2)
    everywhere = site.furniture_keys(min_pages=3, min_share=0.2)
    assert found == {block_key(callout)}
    assert found == everywhere & {block_key(text) for text in paragraphs(body)}


def test_the_learner_forgets_one_off_paragraphs_but_not_furniture():
    """Memory stays flat over a long crawl; a call-out is still learned."""
    from crawler.article.furniture import SINGLETON_WINDOW, SiteFurniture, block_key

    site = SiteFurniture()
    callout = "Get our newsletter every morning."
    pages = 4 * SINGLETON_WINDOW
    for number in range(pages):
        extra = f"\n\n{callout}" if number % 3 == 0 else ""
        site.observe(f"Paragraph one of story {number}.\n\nParagraph two of story {number}.{extra}", now="t")
    assert len(site.blocks) <= 2 * (SINGLETON_WINDOW + 250) + 1  # two one-off paragraphs a page, recent pages only
    assert site.is_furniture(block_key(callout), min_pages=3, min_share=0.2)

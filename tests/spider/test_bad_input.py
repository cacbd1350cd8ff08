"""Bad input: every page that cannot be an article gets a clear reason in the failures table,
the good pages around it are stored, and the crawl finishes."""

from __future__ import annotations

import re

import pytest

from tests.spider.site import LocalSite, Page, article_html, article_path, rows, run_crawl_cli, story

pytestmark = pytest.mark.slow

RU_TITLE = "Городская библиотека меняет часы работы"
RU_SENTENCE = (
    "Городская библиотека объявила во вторник, что часы работы изменятся со следующего месяца; "
    "решение затронет около {n} читателей района, и сотрудники обещают подробное расписание."
)
FR_TITLE = "Le café de la gare rouvre après des mois de travaux"
FR_SENTENCE = (
    "Après des mois de travaux, le café de la gare rouvre ses portes ; les habitués, numéro {n}, "
    "ont salué la décision prise par la municipalité et la qualité des nouveaux aménagements."
)


def _article(title: str, sentence: str, language: str, meta: str = "") -> str:
    paragraphs = "".join(f"<p>{sentence.format(n=n)}</p>" for n in range(1, 4))
    return (
        f"<!doctype html><html lang='{language}'><head>{meta}<title>{title}</title>"
        f"<meta property='og:type' content='article'></head><body><article><h1>{title}</h1>"
        f"<time datetime='2025-03-04T09:00:00+01:00'>4.3.2025</time>{paragraphs}</article></body></html>"
    )


def _without_title(page: bytes) -> bytes:
    text = page.decode()
    text = re.sub(r"<title>.*?</title>|<h1>.*?</h1>|<meta property=\"og:title\"[^>]*>", "", text, flags=re.S)
    return text.replace('"headline"', '"about"').encode()


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> dict:
    db = tmp_path_factory.mktemp("bad") / "news.db"
    elsewhere = LocalSite({"/landing.html": Page(article_html(50, chain="elsewhere"))})
    good = article_html(1, prev_url="/missing-neighbour.html", next_url=article_path(2))
    pages = {
        article_path(1): Page(good),
        article_path(2): Page(article_html(2, prev_url=article_path(1), next_url="/server-error.html")),
        "/empty.html": Page(b""),
        "/photo.html": Page(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8, content_type="image/jpeg"),
        "/download.html": Page(b"PK\x03\x04\x14\x00\x00\x00" + bytes(range(256)) * 8, content_type=None),
        "/no-title.html": Page(_without_title(article_html(3))),
        "/broken.html": Page(article_html(4).replace(b"</p>", b"").replace(b"</div>", b"")[:-60]),
        "/ru-meta.html": Page(
            _article(RU_TITLE, RU_SENTENCE, "ru", "<meta charset='windows-1251'>").encode("cp1251"), content_type="text/html"
        ),
        "/ru-none.html": Page(_article(RU_TITLE + " (2)", RU_SENTENCE, "ru").encode("cp1251"), content_type="text/html"),
        "/fr-header.html": Page(
            _article(FR_TITLE, FR_SENTENCE, "fr").encode("latin-1"), content_type="text/html; charset=iso-8859-1"
        ),
        "/server-error.html": Page(b"<html><body>oops</body></html>", status=500),
        "/moved.html": Page(status=301, headers={"Location": article_path(5)}),
        article_path(5): Page(article_html(5)),
        "/away.html": Page(status=302, headers={"Location": elsewhere.url("/landing.html")}),
    }
    starts = [
        article_path(1), "/empty.html", "/photo.html", "/download.html", "/no-title.html", "/broken.html",
        "/ru-meta.html", "/ru-none.html", "/fr-header.html", "/moved.html", "/away.html", "/gone.html",
    ]
    with LocalSite(pages) as site, elsewhere:
        result = run_crawl_cli([site.url(path) for path in starts], db)
        hits = list(site.hits)
    failures = {row["url"].removeprefix(site.base_url): row for row in rows(db, "SELECT * FROM failures")}
    articles = {row["url"].removeprefix(site.base_url): row for row in rows(db, "SELECT * FROM articles")}
    return {"result": result, "failures": failures, "articles": articles, "site": site, "hits": hits, "db": db}


@pytest.mark.parametrize(
    ("path", "reason", "skipped_not_failed"),
    [
        ("/empty.html", "empty_page", False),
        ("/photo.html", "not_html", True),
        ("/download.html", "not_html", True),
        ("/no-title.html", "not_article", True),
        ("/gone.html", "http_404", False),
        ("/missing-neighbour.html", "http_404", False),
        ("/server-error.html", "http_500", False),
    ],
)
def test_each_bad_page_has_a_clear_recorded_reason(crawl: dict, path: str, reason: str, skipped_not_failed: bool) -> None:
    failure = crawl["failures"][path]
    assert failure["reason"] == reason
    assert failure["detail"]
    assert failure["failed_at"] and failure["run_id"] == 1
    [run] = rows(crawl["db"], "SELECT skipped, failed FROM runs")
    assert run["skipped"] and run["failed"]


def test_a_page_without_a_title_says_so_in_the_detail(crawl: dict) -> None:
    assert "title" in crawl["failures"]["/no-title.html"]["detail"]


def test_the_crawl_goes_on_and_stores_the_good_pages(crawl: dict) -> None:
    result = crawl["result"]
    assert result.returncode == 3, result.stderr[-3000:]  # partial: articles stored, some pages failed
    assert article_path(1) in crawl["articles"] and article_path(2) in crawl["articles"]
    assert crawl["hits"].count("/server-error.html") == 2  # retried once (local settings), then recorded


def test_broken_html_is_still_read(crawl: dict) -> None:
    row = crawl["articles"]["/broken.html"]
    assert row["title"] == story(4)[0]
    assert story(4)[1][0] in row["body"]


@pytest.mark.parametrize("path", ["/ru-meta.html", "/ru-none.html"])
def test_a_windows_1251_page_is_stored_as_correct_text(crawl: dict, path: str) -> None:
    row = crawl["articles"][path]
    assert row["title"].startswith(RU_TITLE)
    assert RU_SENTENCE.format(n=2) in row["body"]


def test_a_latin_1_page_declared_in_the_header_is_stored_as_correct_text(crawl: dict) -> None:
    row = crawl["articles"]["/fr-header.html"]
    assert row["title"] == FR_TITLE
    assert FR_SENTENCE.format(n=1) in row["body"]


def test_a_redirect_on_the_site_stores_the_target_and_remembers_the_fetched_url(crawl: dict) -> None:
    row = crawl["articles"][article_path(5)]
    assert row["fetched_url"] == crawl["site"].url("/moved.html")
    assert "/moved.html" not in crawl["articles"]


def test_a_redirect_off_the_site_is_recorded_not_stored(crawl: dict) -> None:
    # Recorded under the URL asked for (the crawl state tracks it), with where it ended.
    [failure] = [row for url, row in crawl["failures"].items() if url.endswith("/away.html")]
    assert failure["reason"] == "offsite_redirect"
    assert "/landing.html" in failure["detail"]
    assert not any(url.endswith("/landing.html") for url in crawl["articles"])

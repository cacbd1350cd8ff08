"""--language: only articles in the wanted languages are stored; the others are skipped with the reason."""

from __future__ import annotations

import pytest

from crawler.article import ArticleConfig, Tally
from crawler.article.language import FilterLanguage, wanted_languages
from crawler.items import FailedPage, PageItem
from crawler.parsing.result import ParseResult
from crawler.profiles import ProfileError, load_profiles


def _item(language: str | None) -> PageItem:
    parsed = ParseResult(url="https://a.example/x", title="T", body="b", language=language)
    return PageItem(parsed=parsed, fetched_url=parsed.url, response_url=parsed.url, http_status=200,
                    fetched_at="2025-01-01T00:00:00+00:00", site="a.example")


def test_wanted_languages_are_kept_by_primary_subtag_and_others_skipped():
    step = FilterLanguage(wanted_languages(["de", "FR-ch"]))
    tally = Tally()
    assert isinstance(step.process(_item("de"), tally), PageItem)
    assert isinstance(step.process(_item("fr-be"), tally), PageItem)
    english = step.process(_item("en"), tally)
    assert isinstance(english, FailedPage) and english.skipped and english.reason == "unwanted_language"
    assert english.detail == "en is not one of de, fr"
    unknown = step.process(_item(None), tally)
    assert unknown.reason == "unwanted_language" and "could not be told" in unknown.detail
    assert tally == {"newscrawl/language/skipped/en": 1, "newscrawl/language/skipped/unknown": 1}


def test_no_languages_no_step_and_bad_codes_are_refused():
    config = ArticleConfig(db_path="x", min_body_chars=1, furniture_min_pages=0, furniture_min_share=0,
                           summary_sentences=0)
    assert FilterLanguage.configured(config) is None
    with pytest.raises(ValueError, match="not a language code"):
        wanted_languages(["german"])


@pytest.mark.parametrize("codes", [["xx"], ["de", "qq-AT"], ["éé"], ["12"]])
def test_a_two_letter_code_outside_iso_639_1_is_refused(codes):
    """`crawl --language xx` was taken silently and every article skipped as unwanted_language (session 9's QA)."""
    with pytest.raises(ValueError, match="not a language code"):
        wanted_languages(codes)


def test_iso_639_1_and_three_letter_codes_are_taken():
    assert wanted_languages(["zu", "he", "nb", "gsw", "FIL"]) == {"zu", "he", "nb", "gsw", "fil"}


def test_a_profile_lists_its_languages(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text('[sites.a]\nstart_urls = ["https://a.example/"]\nlanguages = ["fr", "de-AT"]\n')
    assert load_profiles(path)["a"].languages == ("de", "fr")
    path.write_text('[sites.a]\nstart_urls = ["https://a.example/"]\nlanguages = "fr"\n')
    with pytest.raises(ProfileError, match="list of language codes"):
        load_profiles(path)


@pytest.mark.slow  # a crawl in a subprocess
def test_a_crawl_for_other_languages_stores_nothing_and_says_why(tmp_path):
    from tests.spider.site import LocalSite, article_path, chain_pages, rows, run_crawl_cli

    with LocalSite(chain_pages(3)) as site:
        result = run_crawl_cli([site.url(article_path(0))], tmp_path / "news.db", "--language", "fr,de")
    assert result.returncode == 1, result.stderr[-3000:]
    reasons = rows(tmp_path / "news.db", "SELECT reason, detail FROM failures")
    assert reasons and all(row == {"reason": "unwanted_language", "detail": "en is not one of de, fr"} for row in reasons)
    assert rows(tmp_path / "news.db", "SELECT count(*) AS n FROM articles") == [{"n": 0}]


def test_a_page_declaring_a_withdrawn_code_matches_its_successor():
    """<html lang="iw"> (Hebrew before 1989's code change) was skipped by --language he."""
    step = FilterLanguage(wanted_languages(["he", "id"]))
    assert isinstance(step.process(_item("iw-IL"), Tally()), PageItem)
    assert isinstance(step.process(_item("in"), Tally()), PageItem)
    assert wanted_languages(["iw"]) == {"he"}


def test_every_two_letter_language_of_cldr_is_an_iso_639_1_code():
    babel = pytest.importorskip("babel")  # the test extra; the product does not need it
    from babel.localedata import locale_identifiers

    from crawler.article.language import ISO_639_1

    cldr = {babel.Locale.parse(name).language for name in locale_identifiers()}
    assert {code for code in cldr if len(code) == 2} <= ISO_639_1

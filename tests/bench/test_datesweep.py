"""bench.datesweep: pages whose byline shows a date in a CLDR locale's pattern."""

from bench.datesweep import all_locales, case, half, language_tag, native_zero, render
from bench.quality.compare import same_day
from crawler.parsing import parse_page


def test_locales_split_in_two_fixed_halves():
    locales = all_locales()
    assert len(locales) > 250 and "el" in locales and "M01" not in locales
    halves = {half(name) for name in locales}
    assert halves == {"fit", "held"} and half("el") == half("el")


def test_the_language_tag_has_the_likely_region():
    assert language_tag("el") == "el-GR" and language_tag("sr_Latn") == "sr-Latn-RS"


def test_native_digits_are_rendered_for_locales_that_have_them():
    assert native_zero("fa") == 0x6F0 and native_zero("fr") is None
    moment = __import__("datetime").datetime(2025, 3, 7, 15, 4, tzinfo=__import__("zoneinfo").ZoneInfo("Asia/Tehran"))
    shown, instant = render(moment, "date-long-native", "fa")
    assert "۲۰۲۵" in shown and instant is None


def test_a_case_is_a_page_whose_truth_the_parser_reads():
    made = case("fr", "time-medium", "text", 0)
    assert made.shown in made.html.replace("&#x27;", "'") and made.instant and "T" in made.instant
    result = parse_page(made.html, made.url, now=made.now)
    assert same_day(made.day, result.published_at)
    assert case("fr", "date-long-native", "text", 0) is None  # French has no native digits of its own

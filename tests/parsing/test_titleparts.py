import random

import pytest

from crawler.parsing import titleparts
from crawler.parsing.titleparts import strip_confirmed_site, strip_site_name

from .helpers import span_text_freed


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Headline | Site", None, "Headline"),
        ("Site | A much longer headline about things", None, "A much longer headline about things"),
        ("Part one: the start - Site", "Site", "Part one: the start"),
        ("No separators here", None, "No separators here"),
        ("Affordable, ethical, sustainable clothing brands | I travel and live in a way that supports a peaceful climate. It is imperfect.", None, "Affordable, ethical, sustainable clothing brands"),
        ("首相が新たな経済対策を発表｜朝日新聞", None, "首相が新たな経済対策を発表"),  # a full-width bar
        ("国务院发布新的经济政策_新浪新闻", None, "国务院发布新的经济政策"),  # an underscore between Chinese characters
        ("snake_case_names explained | Site", "Site", "snake_case_names explained"),  # not between Latin letters
    ],
)
def test_strip_site_name(title, site, expected):
    assert strip_site_name(title, site) == expected


@pytest.mark.parametrize(
    ("title", "site", "url", "expected"),
    [
        ("Perfect Privacy Review | TheBestVPN.com", None, "https://thebestvpn.com/r/", "Perfect Privacy Review"),
        ("Go ahead | Spice AI", None, "https://spice.ai/blog/x", "Go ahead"),
        ("Wine Folly | The Different Types of Wine", None, "https://winefolly.com/x", "The Different Types of Wine"),
        ("Bridge reopens - City Times", "City Times", "https://example.org/x", "Bridge reopens"),
        ("What is social commerce - a guide", None, "https://example.org/x", "What is social commerce - a guide"),
        ("No separator", "Site", "https://site.com/", "No separator"),
    ],
)
def test_strip_confirmed_site(title, site, url, expected):
    assert strip_confirmed_site(title, site, url) == expected


def test_remembered_keys_and_parts_are_the_ones_worked_out():
    # A page's readers key and split the same titles many times, and a site repeats them: short
    # texts' keys and parts are remembered per process, the same answer asked once or twice.
    rng = random.Random(13)
    pieces = ["Ferry", "TIMES", "harbour", " ", "  ", " | ", " - ", " – ", "：", "｜", "_", "新闻", "’", "\u00a0", "\n", "é", "Site"]
    host = titleparts.host_words("https://times.harbour.example/x")
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 10)))
        site = rng.choice([None, "Site", "Harbour Times", text])
        assert titleparts.title_key(text) == titleparts.title_key.__wrapped__(text)
        assert titleparts.strip_site_name(text, site) == titleparts._strip_site_name(text, site)
        assert titleparts.strip_confirmed(text, site, host) == titleparts._strip_confirmed(text, site, host)
    assert titleparts.title_key.cache_info().hits > 0
    long = "Ferry | Times " * titleparts.MAX_REMEMBERED_TEXT
    before = titleparts.title_key.cache_info().currsize
    assert titleparts.title_key(long) == titleparts.title_key.__wrapped__(long)
    assert titleparts.title_key.cache_info().currsize == before  # a long text is keyed each time, not kept


def test_the_remembered_titles_hold_no_page_alive():
    # lxml's string results keep their element (and its whole page) alive: the caches key plain strings.
    markup = '<div><span class="t">Ferry  times | Harbour</span></div>'
    assert span_text_freed(titleparts.title_key, markup, "ferry times | harbour")
    assert span_text_freed(lambda text: titleparts.strip_site_name(text, "Harbour"), markup, "Ferry  times")
    assert span_text_freed(lambda text: titleparts.strip_confirmed(text, "Harbour", frozenset()), markup, "Ferry  times")


def test_a_host_s_words_are_remembered_per_host_as_urlsplit_reads_the_host():
    from urllib.parse import urlsplit

    for url in ("https://blog.rust-lang.org/x", "http://user:pw@WWW.Example.COM:8080/a?b#c", "mailto:x@y", "",
                "https://[::1]:80/x", "http://a..b.-c-.d/", "https://News.Example/2025/09/11/a.html"):
        host = (urlsplit(url).hostname or "").lower()
        labels = [label for label in host.split(".") if label and label != "www"]
        assert titleparts.host_words(url) == frozenset(labels + [piece for label in labels for piece in label.split("-")])
    assert titleparts.host_words("https://blog.rust-lang.org/x") == {"blog", "rust-lang", "rust", "lang", "org"}

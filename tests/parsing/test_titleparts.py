import pytest

from crawler.parsing.titleparts import strip_confirmed_site, strip_site_name


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

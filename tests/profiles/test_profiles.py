"""Profiles file: a good file loads; every kind of mistake names the file, the line and the reason."""

from pathlib import Path

import pytest

from crawler.profiles import ProfileError, line_of, load_profiles, parse_variables

GOOD = """\
[vars]
base = "http://127.0.0.1:8000"

[sites.harbour]
name = "Harbour Times"
start_urls = ["${base}/harbour/"]
feeds = ["${base}/harbour/feed.xml"]
politeness = { delay = 0.5, concurrency = 2 }

[sites.harbour.limits]
max_articles = 50
since = "2025-09-01"

[sites.harbour.selectors]
title = "h1.headline"

[sites.ledger]
sitemaps = ["https://www.ledger.example/sitemap.xml"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file(tmp_path):
    profiles = load_profiles(write(tmp_path, GOOD))
    harbour = profiles["harbour"]
    assert harbour.name == "Harbour Times"
    assert harbour.start_urls == ("http://127.0.0.1:8000/harbour/",)
    assert harbour.feeds == ("http://127.0.0.1:8000/harbour/feed.xml",)
    assert harbour.allowed_domains == ()
    assert (harbour.delay, harbour.concurrency) == (0.5, 2)
    assert (harbour.max_articles, harbour.max_pages, harbour.since) == (50, 0, "2025-09-01")
    assert harbour.selectors == {"title": "h1.headline"}
    ledger = profiles["ledger"]
    assert ledger.name == "ledger"
    assert ledger.entry_urls == ("https://www.ledger.example/sitemap.xml",)


def test_variables_from_the_command_line_win(tmp_path):
    profiles = load_profiles(write(tmp_path, GOOD), variables={"base": "http://127.0.0.1:43123"})
    assert profiles["harbour"].start_urls == ("http://127.0.0.1:43123/harbour/",)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ('[sites.a]\nstart_urls = ["http://x.example/"\n', 2, "not valid TOML"),
        ('[sites.a]\nstart_urls = ["http://x.example/"]\n[sites.a]\n', 3, "not valid TOML"),
        ('[sites.a]\nstart_url = ["http://x.example/"]\n', 2, "unknown key 'start_url'"),
        ('[sites.a]\n\nstart_urls = "http://x.example/"\n', 3, "must be a list"),
        ('[sites.a]\nstart_urls = ["ftp://x.example/"]\n', 2, "not an http(s) URL"),
        ('[sites.a]\nname = "A"\n', 1, "needs at least one of"),
        ('[sites."a b"]\nstart_urls = ["http://x.example/"]\n', 1, "bad site key"),
        ('[sites.a]\nstart_urls = ["${nope}/"]\n', 2, "unknown placeholder ${nope}"),
        # it said "unknown placeholder ${b} (define it under [vars] ...)" of a name defined under [vars]
        ('[vars]\na = "${b}/x"\nb = "http://x.example"\n[sites.a]\nstart_urls = ["${a}/"]\n', 2,
         "${b} in [vars]: a [vars] value cannot use another [vars] value"),
        ('[sites.a]\nstart_urls = ["http://x.example/"]\n[sites.a.politeness]\ndelay = "fast"\n', 4, "must be float"),
        ('[sites.a]\nstart_urls = ["http://x.example/"]\nlimits = { max_pages = -1 }\n', 3, "must not be negative"),
        ('[sites.a]\nstart_urls = ["http://x.example/"]\n[sites.a.limits]\nsince = "soon"\n', 4, "not a date"),
        ('[sites.a]\nstart_urls = ["http://x.example/"]\n[sites.a.selectors]\nbody = "div[["\n', 4, "bad CSS selector"),
        ('[sites.a]\nstart_urls = ["http://x.example/"]\n[sites.a.selectors]\nphoto = "img"\n', 4, "unknown key 'photo'"),
        ('[sites.a]\nstart_urls = ["http://x.example/"]\npoliteness = { concurrency = 0 }\n', 3, "at least 1"),
        ('[site.a]\nstart_urls = ["http://x.example/"]\n', 1, "unknown top-level key 'site'"),
        ("# nothing here\n", None, "no sites"),
    ],
)
def test_errors_name_file_line_and_reason(tmp_path, text, line, reason):
    path = write(tmp_path, text)
    with pytest.raises(ProfileError) as caught:
        load_profiles(path)
    error = caught.value
    assert error.path == path and error.line == line and reason in error.reason
    assert str(error).startswith(f"{path}:{line}:" if line else f"{path}:")


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ProfileError, match="profiles file not found"):
        load_profiles(tmp_path / "absent.toml")


def test_line_of_finds_dotted_and_nested_keys():
    text = '[sites.a]\nlimits.max_pages = 3\n\n[sites.b.limits]\n max_pages = 4\n'
    assert line_of(text, ("sites", "a", "limits", "max_pages")) == 2
    assert line_of(text, ("sites", "b", "limits", "max_pages")) == 5
    assert line_of(text, ("sites", "b", "selectors", "title")) == 4


def test_parse_variables():
    assert parse_variables(["demo=http://h:1/x=y"]) == {"demo": "http://h:1/x=y"}
    with pytest.raises(ValueError, match="NAME=VALUE"):
        parse_variables(["just-a-value"])


def test_example_file_is_valid():
    example = Path(__file__).resolve().parents[2] / "sites.example.toml"
    profiles = load_profiles(example, variables={"demo_courrier": "http://127.0.0.1:1", "demo_flussbote": "http://127.0.0.1:2", "demo_ledger": "http://127.0.0.1:3"})
    assert profiles and all(profile.entry_urls for profile in profiles.values())


def test_selector_fields_are_the_fields_the_overrides_can_set():
    from crawler.parsing.overrides import READERS
    from crawler.profiles import SELECTOR_FIELDS

    assert set(SELECTOR_FIELDS) == set(READERS)


def test_a_profile_printed_by_newscrawl_templates_loads_with_its_template(tmp_path):
    """What ``newscrawl templates --toml`` prints is a valid profiles file: the learned fields
    (a clear majority) pinned, the others left out, the start URL the site's stored origin."""
    from collections import Counter

    from crawler.commands.templates import profile_toml, template_rows
    from crawler.storage.templates import SitePaths

    votes = {"title": Counter({"article h1.headline": 9, "h1": 1}), "date": Counter({"p.meta time": 5, "span.d": 4}),
             "author": Counter({'header a[rel="author"]': 10})}
    site = SitePaths("news.example:8080", 10, votes)
    rows = template_rows(site, min_pages=5, min_share=0.6)
    path = write(tmp_path, profile_toml(site, rows, "http://news.example:8080/") + "\n")
    (profile,) = load_profiles(path).values()
    assert profile.start_urls == ("http://news.example:8080/",)
    assert profile.template == {"title": "article h1.headline", "author": 'header a[rel="author"]'}


def test_a_vars_value_may_use_a_var_given_on_the_command_line(tmp_path):
    path = write(tmp_path, '[vars]\nbase = "${host}/news"\n[sites.a]\nstart_urls = ["${base}/"]\n')
    profiles = load_profiles(path, variables={"host": "http://x.example"})
    assert profiles["a"].start_urls == ("http://x.example/news/",)

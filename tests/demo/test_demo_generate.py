"""The demo site generator: committed build up to date, content rules, links, extras, synthetic."""

from __future__ import annotations

import filecmp
import json
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
import pytest

from crawler.demo import dates
from crawler.demo.generate import EXPECTED_PATH, README_PATH, SITE_DIR, build_site, build_synthetic_site, file_for
from crawler.demo.readme import write_readme

DEMO_DIR = SITE_DIR.parent
EXPECTED = json.loads(EXPECTED_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("demo")
    return out, build_site(out / "site", expected_path=out / "expected.json")


@pytest.fixture(scope="module")
def extra(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("extra")
    return out, build_site(out, extra=True)


def _tree_differences(left: Path, right: Path) -> list[str]:
    comparison = filecmp.dircmp(left, right)
    problems = [str(Path(left, name)) for name in
                comparison.left_only + comparison.right_only + comparison.diff_files]
    for name in comparison.common_dirs:
        problems += _tree_differences(left / name, right / name)
    return problems


def test_committed_build_matches_a_fresh_build(fresh: tuple[Path, dict], tmp_path: Path) -> None:
    out, expected = fresh
    assert _tree_differences(SITE_DIR, out / "site") == [], "run: python -m crawler.demo.generate"
    assert (out / "expected.json").read_text(encoding="utf-8") == EXPECTED_PATH.read_text(encoding="utf-8")
    write_readme(expected, tmp_path / "README.md")
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == README_PATH.read_text(encoding="utf-8")


def test_build_is_deterministic(fresh: tuple[Path, dict], tmp_path: Path) -> None:
    out, _ = fresh
    build_site(tmp_path / "again", expected_path=tmp_path / "expected.json")
    assert _tree_differences(out / "site", tmp_path / "again") == []


def test_publishers_languages_and_article_counts() -> None:
    publishers = EXPECTED["publishers"]
    assert len(publishers) >= 3
    assert {p["language"] for p in publishers} == {"de", "en", "fr"}
    counts = Counter(a["publisher"] for a in EXPECTED["articles"])
    assert sum(counts.values()) >= 36
    assert all(counts[p["key"]] >= 12 for p in publishers)
    assert not any(a["extra"] for a in EXPECTED["articles"])


@pytest.mark.parametrize("article", EXPECTED["articles"], ids=lambda a: a["path"][-40:])
def test_article_truth_is_complete(article: dict) -> None:
    assert 250 <= article["word_count"] <= 600
    assert article["title"] and article["description"] and article["authors"]
    assert article["sentence"] in article["body"]
    assert article["canonical_path"] == article["path"]
    published = article["published_at"]
    assert len(published) == 10 or published[-6] in "+-", "a time always carries its offset"


def test_every_publisher_mixes_signals_the_parsers_must_handle() -> None:
    for publisher in EXPECTED["publishers"]:
        articles = [a for a in EXPECTED["articles"] if a["publisher"] == publisher["key"]]
        assert any(len(a["authors"]) == 2 for a in articles), publisher["key"]
        assert any(a["modified_at"] for a in articles), publisher["key"]
    published = [a["published_at"] for a in EXPECTED["articles"]]
    assert any(len(p) == 10 for p in published), "some pages give the day alone"
    offsets = {p[-6:] for p in published if len(p) > 10}
    assert {"+01:00", "+02:00", "-04:00"} <= offsets


def test_chains_link_both_ways_in_date_order() -> None:
    by_path = {a["path"]: a for a in EXPECTED["articles"]}
    for publisher in EXPECTED["publishers"]:
        chain = [by_path[path] for path in publisher["chain"]]
        assert chain[0]["prev_path"] is None and chain[-1]["next_path"] is None
        for older, newer in zip(chain, chain[1:]):
            assert older["next_path"] == newer["path"] and newer["prev_path"] == older["path"]
            assert older["next_title"] == newer["title"] and newer["prev_title"] == older["title"]
            assert older["published_at"][:10] <= newer["published_at"][:10]
        assert publisher["middle"] == publisher["chain"][len(chain) // 2]


def test_titles_and_sentences_are_unique() -> None:
    for field in ("title", "sentence", "path"):
        values = [a[field] for a in EXPECTED["articles"]]
        assert len(values) == len(set(values)), field


def _page(publisher: str, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((SITE_DIR / publisher / file_for(path)).read_bytes())


@pytest.mark.parametrize("article", EXPECTED["articles"], ids=lambda a: a["path"][-40:])
def test_article_html_carries_its_truth(article: dict) -> None:
    tree = _page(article["publisher"], article["path"])
    assert tree.xpath("string(//link[@rel='canonical']/@href)") == article["path"]
    assert article["sentence"] in tree.text_content()
    assert tree.xpath("string(//h1)").strip() == article["title"]
    times = tree.xpath("//time/@datetime")
    assert article["published_at"] in times
    hrefs = tree.xpath("//a/@href")
    for key in ("prev_path", "next_path"):
        if article[key]:
            assert article[key] in hrefs


def test_distinctive_sentence_appears_on_its_own_article_only() -> None:
    texts = {(a["publisher"], a["path"]): _page(a["publisher"], a["path"]).text_content()
             for a in EXPECTED["articles"]}
    for article in EXPECTED["articles"]:
        holders = [key for key, text in texts.items() if article["sentence"] in text]
        assert holders == [(article["publisher"], article["path"])]


def _all_pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html"))


def test_every_link_is_root_relative_and_resolves() -> None:
    broken = []
    for publisher in EXPECTED["publishers"]:
        root = SITE_DIR / publisher["key"]
        for page in _all_pages(root):
            tree = lxml.html.fromstring(page.read_bytes())
            for href in tree.xpath("//a/@href | //link/@href | //img/@src"):
                if href.startswith("#"):
                    continue
                assert href.startswith("/") and not href.startswith("//"), (page, href)
                target = href.split("#", 1)[0].split("?", 1)[0]
                if not (root / file_for(target)).is_file():
                    broken.append((str(page.relative_to(SITE_DIR)), href))
    assert broken == []


def test_trap_pages_exist_and_are_not_articles() -> None:
    article_paths = {(a["publisher"], a["path"]) for a in EXPECTED["articles"]}
    kinds = Counter(t["kind"] for t in EXPECTED["traps"])
    assert {"home", "section", "page", "comment-page", "gallery"} <= set(kinds)
    for trap in EXPECTED["traps"]:
        assert trap["reason"]
        assert (trap["publisher"], trap["path"]) not in article_paths
        assert (SITE_DIR / trap["publisher"] / file_for(trap["path"])).is_file(), trap["path"]
    links = [link["kind"] for a in EXPECTED["articles"] for link in a["trap_links"]]
    assert {"comment paging", "gallery next"} <= set(links)


def test_seed_like_publisher_has_the_seed_page_furniture() -> None:
    article = next(a for a in EXPECTED["articles"] if a["publisher"] == "ledger" and a["prev_path"]
                   and a["next_path"])
    text = _page("ledger", article["path"]).text_content()
    assert text.count("No time to read?") == 3
    for label in ("Get a summary", "Previous Article", "Next Article", "Most read", "Share",
                  "Sign me up", "cookies", "All rights reserved", article["prev_title"],
                  article["next_title"]):
        assert label in text
    body = _page("ledger", article["path"]).xpath("//*[@itemprop='articleBody']")[0].text_content()
    assert "No time to read?" in body, "one call-out sits inside the article body"


def test_demo_site_stays_small() -> None:
    total = sum(p.stat().st_size for p in DEMO_DIR.rglob("*") if p.is_file())
    assert total < 1_000_000


def test_extra_mode_appends_articles_and_touches_only_the_old_chain_ends(
        fresh: tuple[Path, dict], extra: tuple[Path, dict]) -> None:
    (base_dir, base), (extra_dir, more) = fresh, extra
    new = [a for a in more["articles"] if a["extra"]]
    assert len(new) == len(base["publishers"])
    for publisher in more["publishers"]:
        old_chain = next(p["chain"] for p in base["publishers"] if p["key"] == publisher["key"])
        assert publisher["chain"][:len(old_chain)] == old_chain
        assert len(publisher["chain"]) == len(old_chain) + 1
        for path in old_chain:
            old = (base_dir / "site" / publisher["key"] / file_for(path)).read_bytes()
            now = (extra_dir / publisher["key"] / file_for(path)).read_bytes()
            assert (old == now) == (path != old_chain[-1]), path
        newest = next(a for a in more["articles"] if a["path"] == publisher["chain"][-1])
        assert newest["extra"] and newest["prev_path"] == old_chain[-1]


def test_dates_in_words_and_iso() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    winter = datetime(2025, 3, 28, 13, 50, tzinfo=berlin)
    summer = datetime(2025, 3, 31, 7, 30, tzinfo=berlin)
    assert dates.iso(winter) == "2025-03-28T13:50:00+01:00"
    assert dates.iso(summer) == "2025-03-31T07:30:00+02:00"
    assert dates.iso(date(2025, 5, 12)) == "2025-05-12"
    assert dates.words(summer, "de") == "31. März 2025, 07:30 Uhr"
    assert dates.words(datetime(2025, 5, 13, 18, 20), "fr") == "mardi 13 mai 2025 à 18 h 20"
    assert dates.words(date(2025, 6, 1), "fr") == "dimanche 1er juin 2025"
    assert dates.words(datetime(2025, 9, 16, 17, 20), "en") == "September 16, 2025 at 5:20 PM"
    assert dates.words(date(2025, 9, 12), "en") == "September 12, 2025"


def test_synthetic_site_chains_and_determinism(tmp_path: Path) -> None:
    site = build_synthetic_site(tmp_path / "a", 50, chain_length=20, seed=7)
    assert [len(c) for c in site.chains] == [20, 20, 10]
    assert site.article_count == 50
    assert len({c[0].split("/")[1] for c in site.chains}) == 3, "chains take turns over the templates"
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert manifest["chains"] == site.chains and manifest["middles"] == site.middles
    again = build_synthetic_site(tmp_path / "b", 50, chain_length=20, seed=7)
    assert again.chains == site.chains
    assert _tree_differences(tmp_path / "a", tmp_path / "b") == []
    other = build_synthetic_site(tmp_path / "c", 50, chain_length=20, seed=8)
    first = site.chains[0][0]
    assert (tmp_path / "a" / file_for(first)).read_bytes() != (tmp_path / "c" / file_for(other.chains[0][0])).read_bytes()
    for chain in site.chains:
        for index, path in enumerate(chain):
            tree = lxml.html.fromstring((tmp_path / "a" / file_for(path)).read_bytes())
            hrefs = set(tree.xpath("//a/@href"))
            assert tree.xpath("string(//link[@rel='canonical']/@href)") == path
            if index:
                assert chain[index - 1] in hrefs
            if index + 1 < len(chain):
                assert chain[index + 1] in hrefs
            words = sum(len(p.text_content().split()) for p in tree.xpath(
                "//div[contains(@class,'entry-content') or contains(@class,'texte') or "
                "contains(@class,'story-body')]/p"))
            assert 250 <= words <= 600, (path, words)


def test_synthetic_site_rejects_nonsense(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        build_synthetic_site(tmp_path, 0)

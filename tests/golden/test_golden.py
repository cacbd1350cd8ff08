"""Stored pages (gzipped HTML) against their expected parse (JSON, sorted keys).

When a parser change moves a value, run ``python -m tests.golden.regenerate`` and review the
diff of tests/golden/expected: an improvement is committed with it, a regression is fixed.
"""

import json
from pathlib import Path

import pytest

from crawler.parsing import parse_page

from .regenerate import expected_path, load_cases, page_bytes

CASES = load_cases()
REQUIRED_FOR_ARTICLES = ("title", "body", "published_at", "language", "site_name")


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_page_parses_as_stored(case):
    expected = json.loads(expected_path(case["name"]).read_text(encoding="utf-8"))
    assert parse_page(page_bytes(case["name"]), case["url"]).to_dict() == expected


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_expectation_is_complete(case):
    expected = json.loads(expected_path(case["name"]).read_text(encoding="utf-8"))
    assert list(expected) == sorted(expected)
    if expected["is_article"]:
        assert all(expected[key] for key in REQUIRED_FOR_ARTICLES), case["name"]
    else:
        assert expected["not_article_reason"]


def test_cases_cover_every_demo_template():
    demo = json.loads((Path(__file__).parents[2] / "data" / "demo_site" / "expected.json").read_text(encoding="utf-8"))
    covered = {case["name"].split("-")[1] for case in CASES if case["name"].startswith("demo-") and case["name"].endswith("-article")}
    assert covered >= {publisher["template"] for publisher in demo["publishers"]}


def test_cases_cover_every_optional_field():
    """Each field a page may lack is shown filled in by at least one case."""
    expectations = [json.loads(expected_path(case["name"]).read_text(encoding="utf-8")) for case in CASES]
    for key in ("image_url", "keywords", "free_to_read", "prev_url", "next_url", "modified_at", "authors"):
        assert any(expected[key] not in (None, []) for expected in expectations), key

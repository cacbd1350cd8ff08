"""The article of a script-built page read from its scripts' JSON (crawler/parsing/payload).

Each case is a loading shell (no prose in the markup) whose article sits in one carrier the
frameworks use: Next.js ``__NEXT_DATA__``, an Apollo cache with references, a Redux state
assigned in a script, Nuxt 3's devalue table, ``JSON.parse("...")``, a rich-text block tree.
"""

from __future__ import annotations

import json

from crawler.parsing import parse_page
from crawler.parsing.payload.decode import hydrate_table, is_table

URL = "https://news.example/news/harbour-bridge-reopens"
PARAGRAPHS = [
    "The harbour bridge reopened to traffic on Tuesday after eight months of repairs, the city council said in a statement.",
    "Engineers replaced the deck's expansion joints and two of the cables, work that had been planned for more than a decade.",
    "Commuters had faced detours of up to forty minutes, and ferry operators added crossings to carry the extra passengers.",
    "The council said the final cost came in under the budget it had set, and thanked residents for their patience.",
]
BODY_HTML = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
TITLE = "Harbour bridge reopens after eight months of repairs"


def _shell(scripts: str, *, head: str = "") -> str:
    return f"""<html><head>{head}<meta property="og:type" content="article"></head>
    <body><div id="__next"><div class="spinner">Loading…</div></div>{scripts}</body></html>"""


def _article_record(**extra: object) -> dict[str, object]:
    return {
        "id": 4711,
        "slug": "harbour-bridge-reopens",
        "title": TITLE,
        "publishedAt": "2025-09-11T08:30:00+02:00",
        "updatedAt": 1757594400000,  # 2025-09-11T12:40:00Z in milliseconds
        "author": {"name": "Jane Roe", "role": "Transport reporter"},
        "body": BODY_HTML,
        "previousArticle": {"slug": "ferry-timetable-changes", "title": "Ferry timetable changes"},
        "nextArticle": {"url": "/news/council-budget-vote", "title": "Council budget vote"},
        **extra,
    }


def test_next_data_gives_every_field() -> None:
    data = {"props": {"pageProps": {"article": _article_record(), "related": []}}, "page": "/news/[slug]", "buildId": "x1"}
    html = _shell(f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>')
    parsed = parse_page(html, URL)
    assert parsed.is_article, parsed.not_article_reason
    assert parsed.body == "\n\n".join(PARAGRAPHS)
    assert parsed.title == TITLE
    assert parsed.published_at == "2025-09-11T08:30:00+02:00"
    assert parsed.modified_at == "2025-09-11T12:40:00+00:00"
    assert parsed.authors == ["Jane Roe"]
    assert parsed.prev_url == "https://news.example/news/ferry-timetable-changes"  # the page's slug swapped
    assert parsed.prev_title == "Ferry timetable changes"
    assert parsed.next_url == "https://news.example/news/council-budget-vote"
    assert "payload" in parsed.nav_evidence


def test_the_markup_wins_where_it_has_the_field() -> None:
    data = {"props": {"pageProps": {"article": _article_record()}}}
    head = '<title>Bridge open again | Harbour News</title><meta property="article:published_time" content="2025-09-10T07:00:00Z">'
    parsed = parse_page(_shell(f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>', head=head), URL)
    assert parsed.title == "Bridge open again"
    assert parsed.published_at == "2025-09-10T07:00:00+00:00"
    assert parsed.body == "\n\n".join(PARAGRAPHS)


def test_apollo_cache_references_are_followed() -> None:
    state = {
        "ROOT_QUERY": {"article({\"slug\":\"harbour-bridge-reopens\"})": {"__ref": "Article:4711"}},
        "Author:9": {"__typename": "Author", "displayName": "Jane Roe"},
        "Article:4711": {
            "__typename": "Article",
            "headline": TITLE,
            "firstPublished": "2025-09-11T06:30:00Z",
            "authors": [{"__ref": "Author:9"}],
            "content": BODY_HTML,
        },
    }
    parsed = parse_page(_shell(f"<script>window.__APOLLO_STATE__ = {json.dumps(state)};</script>"), URL)
    assert (parsed.title, parsed.published_at, parsed.authors) == (TITLE, "2025-09-11T06:30:00+00:00", ["Jane Roe"])
    assert parsed.body == "\n\n".join(PARAGRAPHS)


def test_rich_text_blocks_make_one_paragraph_each() -> None:
    """A Portable Text / Contentful-style tree: spans joined into paragraphs."""
    blocks = [
        {"_type": "block", "style": "normal", "children": [{"_type": "span", "text": text[:30]}, {"_type": "span", "text": text[30:]}]}
        for text in PARAGRAPHS
    ]
    related = [{"title": f"Another story {n}", "summary": PARAGRAPHS[n % 4], "url": f"/news/{n}"} for n in range(8)]
    state = {"story": {"headline": TITLE, "date": "2025-09-11", "byline": "By Jane Roe and John Doe", "blocks": blocks},
             "related": related}  # fmt: skip
    parsed = parse_page(_shell(f"<script>window.__INITIAL_STATE__={json.dumps(state)}</script>"), URL)
    assert parsed.body == "\n\n".join(PARAGRAPHS)
    assert parsed.authors == ["Jane Roe", "John Doe"]
    assert parsed.published_at == "2025-09-11"


def test_json_parse_of_a_string_literal() -> None:
    state = json.dumps({"post": {"title": {"rendered": TITLE}, "content": {"rendered": BODY_HTML}, "date_gmt": "2025-09-11T06:30:00"}})
    parsed = parse_page(_shell(f"<script>window.__STATE__ = JSON.parse({json.dumps(state)});</script>"), URL)
    assert parsed.title == TITLE
    assert parsed.published_at == "2025-09-11T06:30:00+00:00"  # a GMT key gives its zone
    assert parsed.body == "\n\n".join(PARAGRAPHS)


def test_nuxt_devalue_table_is_rebuilt() -> None:
    table = [["ShallowReactive", 1], {"data": 2}, {"article": 3}, {"title": 4, "body": 5, "published_at": 6}, TITLE, BODY_HTML,
             "2025-09-11T08:30:00+02:00"]  # fmt: skip
    assert is_table(table)
    assert hydrate_table(table) == {"data": {"article": {"title": TITLE, "body": BODY_HTML, "published_at": "2025-09-11T08:30:00+02:00"}}}
    parsed = parse_page(_shell(f'<script type="application/json" id="__NUXT_DATA__">{json.dumps(table)}</script>'), URL)
    assert (parsed.title, parsed.published_at, parsed.body) == (TITLE, "2025-09-11T08:30:00+02:00", "\n\n".join(PARAGRAPHS))


def test_a_list_of_records_is_not_a_body() -> None:
    """Teasers of other stories (records with their own headline) are never read as the article."""
    related = [{"headline": f"Story {n}", "description": PARAGRAPHS[n % 4] * 2, "url": f"/news/{n}"} for n in range(10)]
    parsed = parse_page(_shell(f"<script>window.__INITIAL_STATE__={json.dumps({'feed': related})}</script>"), URL)
    assert not parsed.is_article


def test_future_dates_in_a_payload_are_refused() -> None:
    record = _article_record(publishedAt="2091-01-01T00:00:00Z")
    html = _shell(f'<script id="__NEXT_DATA__" type="application/json">{json.dumps({"props": {"article": record}})}</script>')
    parsed = parse_page(html, URL)
    assert parsed.published_at is None
    assert any(warning.startswith("future_date") and "script payload" in warning for warning in parsed.date_warnings)


def test_scripts_are_not_read_when_the_markup_holds_the_article() -> None:
    other = _article_record(title="Another story", body="".join(f"<p>{text} Again.</p>" for text in PARAGRAPHS[::-1]))
    visible = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    html = f"""<html><head><title>{TITLE}</title></head><body><article><h1>{TITLE}</h1>{visible}</article>
    <script id="__NEXT_DATA__" type="application/json">{json.dumps({"props": {"article": other}})}</script></body></html>"""
    parsed = parse_page(html, URL)
    assert parsed.body == "\n\n".join(PARAGRAPHS)
    assert "payload" not in parsed.nav_evidence

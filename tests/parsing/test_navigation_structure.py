"""Previous/next by structure: labels in words no list knows, in either order, several layouts,
and the blocks that look like a pager but are not (a related box of two, pagination, most read)."""

import pytest

from crawler.parsing.navigation import extract_navigation

from .helpers import article_body, doc

URL = "https://news.example/2025/09/11/middle-story/"
PREV = "/2025/09/10/older-story-about-the-harbour/"
NEXT = "/2025/09/12/newer-story-about-the-library/"
PREV_TITLE = "The harbour authority changes ferry timetables"
NEXT_TITLE = "The city library extends its opening hours"
# Invented label words: no list anywhere knows them.
BACK, ON, NOUN = "Vorblat", "Quinnex", "artikul"


def _nav(body, *, url=URL):
    navigation = extract_navigation(doc(article_body() + body, url=url, lang="xx"), is_article=True)
    found = (
        (navigation.prev.url if navigation.prev else None, navigation.prev.title if navigation.prev else None),
        (navigation.next.url if navigation.next else None, navigation.next.title if navigation.next else None),
    )
    return found, navigation


def _abs(path):
    return "https://news.example" + path


LAYOUTS = {
    "nav block, label + noun": (
        f'<nav class="xq-pn"><div class="xq-pn-a"><a href="{PREV}"><span>{BACK} {NOUN}</span> <span>{PREV_TITLE}</span></a></div>'
        f'<div class="xq-pn-b"><a href="{NEXT}"><span>{ON} {NOUN}</span> <span>{NEXT_TITLE}</span></a></div></nav>'
    ),
    "nav block, noun + label": (
        f'<nav class="xq-pn"><div class="xq-pn-a"><a href="{PREV}"><span>{NOUN} {BACK}</span> <span>{PREV_TITLE}</span></a></div>'
        f'<div class="xq-pn-b"><a href="{NEXT}"><span>{NOUN} {ON}</span> <span>{NEXT_TITLE}</span></a></div></nav>'
    ),
    "footer of the article, labels beside the links": (
        f'<footer class="zz-foot"><p class="zz-row"><b>{BACK}:</b> <a href="{PREV}">{PREV_TITLE}</a></p>'
        f'<p class="zz-row"><b>{ON}:</b> <a href="{NEXT}">{NEXT_TITLE}</a></p></footer>'
    ),
    "two cards with thumbnails": (
        f'<div class="kk-duo"><div class="kk-card kk-l"><a href="{PREV}"><img src="/i/1.jpg" alt=""></a>'
        f'<span class="kk-tag">{BACK}</span><a href="{PREV}"><h3>{PREV_TITLE}</h3></a></div>'
        f'<div class="kk-card kk-r"><a href="{NEXT}"><img src="/i/2.jpg" alt=""></a>'
        f'<span class="kk-tag">{ON}</span><a href="{NEXT}"><h3>{NEXT_TITLE}</h3></a></div></div>'
    ),
    "label in a hidden span, colon form": (
        f'<div class="pp"><a href="{PREV}"><span class="sr-only" style="display:none">{BACK} {NOUN}: </span>{PREV_TITLE}</a>'
        f'<a href="{NEXT}"><span class="sr-only" style="display:none">{ON} {NOUN}: </span>{NEXT_TITLE}</a></div>'
    ),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_invented_labels_are_read_by_structure(layout):
    found, navigation = _nav(LAYOUTS[layout])
    assert found == ((_abs(PREV), PREV_TITLE), (_abs(NEXT), NEXT_TITLE))
    assert "label" not in navigation.evidence  # no known word took part
    assert 0 < navigation.confidence < 1


def test_arrows_only():
    found, navigation = _nav(f'<div class="ar"><a href="{PREV}">‹</a><a href="{NEXT}">›</a></div>')
    assert found == ((_abs(PREV), None), (_abs(NEXT), None))
    assert "arrow" in navigation.evidence


def test_direction_comes_from_the_urls_when_the_newer_link_is_first():
    body = (
        f'<nav class="xq-pn"><div class="xq-pn-a"><a href="{NEXT}"><span>{ON}</span> <span>{NEXT_TITLE}</span></a></div>'
        f'<div class="xq-pn-b"><a href="{PREV}"><span>{BACK}</span> <span>{PREV_TITLE}</span></a></div></nav>'
    )
    found, navigation = _nav(body)
    assert found == ((_abs(PREV), PREV_TITLE), (_abs(NEXT), NEXT_TITLE))
    assert "url-order" in navigation.evidence


def test_without_dates_in_the_urls_reading_order_decides():
    prev, nxt = "/story/older-one-about-the-harbour", "/story/newer-one-about-the-library"
    body = (
        f'<nav class="xq-pn"><div class="xq-pn-a"><a href="{prev}"><span>{BACK}</span> <span>{PREV_TITLE}</span></a></div>'
        f'<div class="xq-pn-b"><a href="{nxt}"><span>{ON}</span> <span>{NEXT_TITLE}</span></a></div></nav>'
    )
    found, _ = _nav(body, url="https://news.example/story/the-middle-one-about-the-council")
    assert found == ((_abs(prev), PREV_TITLE), (_abs(nxt), NEXT_TITLE))


RELATED_BOX = (
    '<section class="mm-box"><h3>Grimbol flosk</h3>'
    f'<div class="mm-card"><a href="/2025/09/08/a-related-story-on-the-bridge/"><img src="/i/3.jpg" alt=""><h4>{PREV_TITLE} again</h4></a></div>'
    f'<div class="mm-card"><a href="/2025/09/14/another-related-story-on-trains/"><img src="/i/4.jpg" alt=""><h4>{NEXT_TITLE} again</h4></a></div>'
    "</section>"
)
MOST_READ = "<ol class='tt-list'>" + "".join(
    f'<li><a href="/2025/08/{day:02d}/a-story-many-people-read-{day}/">Story number {day} that many read</a></li>' for day in range(1, 6)
) + "</ol>"
PAGINATION = '<div class="pg"><a href="?page=2">2</a> <a href="/2025/09/11/middle-story/page/2/">›</a></div>'
TAGS = '<div class="tg"><a href="/tag/harbour/">harbour</a> <a href="/topics/ferries/">ferries</a></div>'


@pytest.mark.parametrize("trap", [RELATED_BOX, MOST_READ, PAGINATION, TAGS], ids=["related box of two", "most read", "pagination", "tags"])
def test_traps_alone_give_no_chain(trap):
    found, navigation = _nav(trap)
    assert found == ((None, None), (None, None))
    assert navigation.evidence == []


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_traps_beside_the_chain_do_not_win(layout):
    found, _ = _nav(RELATED_BOX + LAYOUTS[layout] + MOST_READ + PAGINATION + TAGS)
    assert found == ((_abs(PREV), PREV_TITLE), (_abs(NEXT), NEXT_TITLE))


def test_chain_end_with_one_link_keeps_its_side():
    body = f'<nav class="xq-pn"><div class="xq-pn-a"></div><div class="xq-pn-b"><a href="{NEXT}"><span>{ON}</span> <span>{NEXT_TITLE}</span></a></div></nav>'
    found, _ = _nav(body)
    assert found == ((None, None), (_abs(NEXT), NEXT_TITLE))


def test_pages_that_are_not_articles_need_words():
    body = LAYOUTS["nav block, label + noun"]
    navigation = extract_navigation(doc(article_body() + body, url=URL), is_article=False)
    assert (navigation.prev, navigation.next) == (None, None)


def test_the_block_path_is_stable_across_pages():
    _, first = _nav(LAYOUTS["two cards with thumbnails"])
    _, second = _nav(LAYOUTS["two cards with thumbnails"].replace("older-story", "other-story"))
    assert first.block == second.block and first.block.endswith("div.kk-duo")


def test_a_lone_link_between_the_articles_paragraphs_needs_a_rel():
    """Between the article's paragraphs a lone link's block is "in-body": even a strong label,
    its URL in order and a label beside a headline leave it under the threshold (the candidate
    search skips such links unread); a rel attribute still makes it the next article."""
    from crawler.parsing.navigation import blocks, weights

    assert not blocks.IN_BODY_SINGLES_CAN_SCORE
    assert weights.SINGLE_CEILING + weights.IN_BODY < weights.MIN_SCORE
    html = article_body(3) + '<div class="aside-x"><a href="{}"{}>Next article: {}</a></div>' + article_body(3)
    plain = extract_navigation(doc(html.format(NEXT, "", NEXT_TITLE), url=URL), is_article=True)
    assert plain.next is None
    with_rel = extract_navigation(doc(html.format(NEXT, ' rel="next"', NEXT_TITLE), url=URL), is_article=True)
    assert with_rel.next is not None and with_rel.next.url == _abs(NEXT)


@pytest.mark.parametrize("rel", ["", ' rel="next"'])
def test_the_strongest_single_scores_exactly_the_ceiling_a_pair_must_reach_to_skip_singles(rel):
    """Singles are not looked for when a pair scores at least ``single_ceiling``: the ceiling
    must be what a single with every piece of evidence (a strong label, its URL in order, label
    and headline, an empty twin, after the body; a rel when one is there) scores, no less."""
    from crawler.parsing.navigation import _ranked
    from crawler.parsing.navigation.blocks import candidate_pairs

    body = article_body() + (
        f'<div class="pn"><div class="pn-a"></div><div class="pn-b"><a{rel} href="{NEXT}">Next article: {NEXT_TITLE}</a></div></div>'
    )
    page = doc(body, url=URL)
    [best] = _ranked(page, is_article=True, exclude=frozenset())
    assert best.evidence[0] == "single"
    assert best.score == candidate_pairs(page).single_ceiling()


def test_a_url_s_order_key_is_remembered_and_holds_no_page_alive():
    # A chain's page is keyed as a page and as each neighbour's neighbour: remembered per process,
    # keyed as a plain string (an lxml attribute string would hold its page alive).
    from crawler.parsing.navigation import urls

    from .helpers import span_text_freed

    assert urls.order_key("https://news.example/2025/09/11/some-story-12345.html") == (20250911, 12345)
    assert urls.order_key("https://news.example/story?id=98765") == (None, 98765)
    assert urls.order_key("https://news.example/about") == (None, None)
    assert span_text_freed(urls.order_key, "<div><span>https://news.example/2024/03/x.html</span></div>", (20240300, None))

"""The layout article detection reads (crawler/parsing/layout.py), from the body reader's
blocks: a block of prose, a list of cards."""

from crawler.parsing import detect, parse_page
from crawler.parsing.body.blocks import read_blocks
from crawler.parsing.layout import layout_signals, read_layout
from tests.parsing.helpers import FILLER, URL, article_body, doc, html

ZH_SENTENCE = "市议会周二晚上开会详细讨论了这个计划，居民们就费用、时间表和对老城区交通的影响提出了许多问题。"


def _layout(body: str):
    return read_layout(read_blocks(doc(body).tree))


def test_an_article_is_one_block_of_prose_paragraphs():
    found = _layout(f"<h1>Council backs the plan</h1><div class='entry'>{article_body(6)}</div>")
    assert (found.prose_paragraphs, found.cards) == (6, 0)
    assert found.prose_words > 150


def test_prose_is_counted_in_any_script():
    found = _layout("<div>" + f"<p>{ZH_SENTENCE * 2}</p>" * 5 + "</div>")
    assert found.prose_paragraphs == 5


def test_a_listing_repeats_one_card_of_a_linked_headline_and_a_short_line():
    cards = "".join(
        f"<article class='teaser'><h3><a href='/news/story-{n}/'>Council backs the plan for the old town {n}</a></h3>"
        f"<p>One short line about the story.</p></article>"
        for n in range(12)
    )
    found = _layout(f"<h1>News</h1><p>{FILLER}</p><div class='list'>{cards}</div>")
    assert found.cards == 12 and found.card_words > found.prose_words


def test_cards_numbered_in_their_class_are_alike():
    cards = "".join(f"<div class='card card-{n}'><a href='/s{n}'>Story number {n} of the day</a></div>" for n in range(6))
    assert _layout(f"<div>{cards}</div>").cards == 6


def test_list_entries_that_are_links_are_cards():
    cards = "".join(f"<li><a href='/p{n}'>A product with a long name {n}</a> <span>$12</span></li>" for n in range(8))
    assert _layout(f"<p>{FILLER}</p><ul>{cards}</ul>").cards == 8


def test_a_thread_of_posts_is_no_list_of_cards():
    posts = "".join(
        f"<div class='post'><div class='poster'><a href='/members/u{n}/'>user{n}</a></div>"
        f"<div class='text'>{FILLER}<br><br>{FILLER}</div></div>"
        for n in range(1, 8)
    )
    found = _layout(f"<h1>Which finish for an oak table?</h1>{posts}")
    assert (found.cards, found.prose_paragraphs) == (0, 0)


def test_paragraphs_wrapped_one_by_one_are_one_block_of_prose():
    wrapped = "".join(f"<div class='paragraph'><p>{FILLER}</p></div>" for _ in range(6))
    found = _layout(f"<div class='article'>{wrapped}</div>")
    assert found.prose_paragraphs == 6


def test_siblings_of_different_classes_or_too_few_are_no_list():
    mixed = "".join(f"<div class='card {kind}'><a href='/s{n}'>Story number {n}</a></div>" for n, kind in enumerate("abcdef"))
    two = "".join(f"<div class='post'>{FILLER}</div>" for _ in range(2))
    found = _layout(mixed + two)
    assert found.cards == 0


def test_scripts_and_forms_are_not_read_as_lists():
    options = "".join(f"<option>Choice number {n} of the list</option>" for n in range(10))
    found = _layout(f"<select>{options}</select><script>var x = '<div>no</div>';</script>")
    assert (found.cards, found.prose_paragraphs) == (0, 0)


def _signals(body: str) -> dict[str, bool]:
    return layout_signals(read_blocks(doc(body).tree))


def test_signals_name_the_page_type_the_layout_shows():
    article = _signals(f"<div>{article_body(12)}</div>")
    assert article == {"prose_block": True, "long_prose": True, "card_list": False}
    cards = "".join(f"<li class='item'><a href='/p{n}'>A product with a long name {n}</a> <span>$12</span></li>" for n in range(8))
    listing = _signals(f"<p>{FILLER}</p><ul>{cards}</ul>")
    assert listing["card_list"] and not listing["prose_block"]


def test_detection_reads_the_layout_from_the_body_readers_blocks(monkeypatch):
    reads = []
    real = detect.read_blocks
    monkeypatch.setattr(detect, "read_blocks", lambda tree: reads.append(tree) or real(tree))
    cards = "".join(f"<div class='teaser'><a href='/news/story-{n}/'>Council backs the plan number {n}</a></div>" for n in range(12))
    page = html(f"<h1>News</h1><p>{FILLER}</p><p>{FILLER}</p><div>{cards}</div>")
    assert not parse_page(page, URL).is_article
    assert reads == []  # parse_document handed over Body.blocks
    found = doc(f"<h1>News</h1><p>{FILLER}</p><p>{FILLER}</p><div>{cards}</div>")
    evidence = detect.Evidence("\n\n".join([FILLER] * 2), "News", None, [])
    assert detect.signals(found, evidence)["card_list"] and len(reads) == 1  # without them, read once

"""Layout signals of the detection experiment (bench/quality/layout.py), read from the body
reader's blocks: a block of prose, a list of cards, a list of posts."""

from bench.quality.layout import layout_signals, read_layout
from crawler.parsing.body.blocks import read_blocks
from tests.parsing.helpers import FILLER, article_body, doc

ZH_SENTENCE = "市议会周二晚上开会详细讨论了这个计划，居民们就费用、时间表和对老城区交通的影响提出了许多问题。"


def _layout(body: str):
    return read_layout(read_blocks(doc(body).tree))


def test_an_article_is_one_block_of_prose_paragraphs():
    found = _layout(f"<h1>Council backs the plan</h1><div class='entry'>{article_body(6)}</div>")
    assert (found.prose_paragraphs, found.cards, found.posts) == (6, 0, 0)
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
    assert found.posts == 0


def test_cards_numbered_in_their_class_are_alike():
    cards = "".join(f"<div class='card card-{n}'><a href='/s{n}'>Story number {n} of the day</a></div>" for n in range(6))
    assert _layout(f"<div>{cards}</div>").cards == 6


def test_list_entries_that_are_links_are_cards():
    cards = "".join(f"<li><a href='/p{n}'>A product with a long name {n}</a> <span>$12</span></li>" for n in range(8))
    assert _layout(f"<p>{FILLER}</p><ul>{cards}</ul>").cards == 8


def test_a_thread_repeats_one_post_of_sentences_of_its_own_under_a_header():
    by_poster = "".join(
        f"<div class='post'><div class='poster'><a href='/members/u{n}/'>user{n}</a></div>"
        f"<div class='text'>{FILLER}<br><br>{FILLER}</div></div>"
        for n in range(1, 8)
    )
    dated = "".join(f"<div class='reply'><time datetime='2025-03-0{n}'>March {n}</time><div>{FILLER}</div></div>" for n in range(1, 8))
    for posts in (by_poster, dated):
        found = _layout(f"<h1>Which finish for an oak table?</h1>{posts}")
        assert found.posts == 7 and found.post_words > found.prose_words
        assert found.prose_paragraphs == 0


def test_sections_of_an_article_without_a_header_are_no_posts():
    sections = "".join(f"<div class='section'><div>{FILLER}</div></div>" for _ in range(6))
    assert _layout(sections).posts == 0


def test_paragraphs_wrapped_one_by_one_are_one_block_of_prose():
    wrapped = "".join(f"<div class='paragraph'><p>{FILLER}</p></div>" for _ in range(6))
    found = _layout(f"<div class='article'>{wrapped}</div>")
    assert found.prose_paragraphs == 6


def test_siblings_of_different_classes_or_too_few_are_no_list():
    mixed = "".join(f"<div class='card {kind}'><a href='/s{n}'>Story number {n}</a></div>" for n, kind in enumerate("abcdef"))
    two = "".join(f"<div class='post'>{FILLER}</div>" for _ in range(2))
    found = _layout(mixed + two)
    assert (found.cards, found.posts) == (0, 0)


def test_scripts_and_forms_are_not_read_as_lists():
    options = "".join(f"<option>Choice number {n} of the list</option>" for n in range(10))
    found = _layout(f"<select>{options}</select><script>var x = '<div>no</div>';</script>")
    assert (found.cards, found.posts, found.prose_paragraphs) == (0, 0, 0)


def test_signals_name_the_page_type_the_layout_shows():
    article = layout_signals(doc(f"<div>{article_body(12)}</div>").tree)
    assert article == {"prose_block": True, "long_prose": True, "card_list": False, "post_list": False}
    cards = "".join(f"<li class='item'><a href='/p{n}'>A product with a long name {n}</a> <span>$12</span></li>" for n in range(8))
    listing = layout_signals(doc(f"<p>{FILLER}</p><ul>{cards}</ul>").tree)
    assert listing["card_list"] and not listing["prose_block"]

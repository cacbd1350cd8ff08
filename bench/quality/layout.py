"""Layout signals for article detection, an experiment of ``fit_detection --layout``: one block
of prose, or a list of alike items.

An article holds its text in one block of consecutive paragraphs of running prose: many <p>
children of one element. A listing or a shop's collection repeats one card (sibling blocks of
one tag and class, each a link and a line or two of text) and its cards outweigh any prose; a
thread repeats one post (alike sibling blocks each holding sentences of its own). These traits
are the same on every site and in every language (words are counted with
``crawler.parsing.words``), so weights fitted on one set of sites carry over to others, which
word lists and URL patterns do not. ``layout_signals`` turns the layout into four signals named
like ``crawler.parsing.detect``'s; they are not in the product (docs/benchmarks.md, "Article
detection on pages the weights never saw", says why).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from crawler.parsing.words import count_words

PROSE_WORDS = 25  # a <p> this long holds a sentence or more of running text
LIST_MEMBERS = 3  # alike siblings from this many on make a list
CARD_MAX_WORDS = 80  # a card is a link and a line or two: a headline, a name, a price, a teaser
CARD_LINK_WORDS = 2  # ... whose links hold at least this many words (a headline or a name)
POST_WORDS = 20  # a post holds this many words outside links: sentences of its own
ALIKE_SHARE = 0.7  # of a list's members must be cards (or posts) for the list to be one
PROSE_BLOCK_PARAGRAPHS = 4  # prose paragraphs in one element: the text is written as an article
LONG_PROSE_WORDS = 300  # words in that block
CARD_LIST = 5  # cards from this many on, outweighing the prose: a listing or a collection
SIGNALS = ("prose_block", "long_prose", "card_list", "post_list")
FOR_ARTICLE = frozenset(("prose_block", "long_prose"))
_MEMBER_TAGS = frozenset(("div", "li", "article", "section", "tr", "dd"))
_SKIPPED = frozenset(("script", "style", "noscript", "template", "select", "svg"))


@dataclass(frozen=True, slots=True)
class Layout:
    prose_paragraphs: int  # prose <p> children of the element holding the most prose words
    prose_words: int  # ... their words
    cards: int  # members of the list of cards with the most words
    card_words: int
    posts: int  # members of the list of posts with the most words
    post_words: int


def read_layout(tree: etree._Element) -> Layout:
    """The page's largest block of prose paragraphs and its largest lists of cards and of posts."""
    prose = (0, 0)
    cards = (0, 0)
    posts = (0, 0)
    for parent in tree.iter(etree.Element):
        if parent.tag in _SKIPPED:
            continue
        paragraphs = words = 0
        groups: dict[tuple[str, str], list[etree._Element]] = {}
        for child in parent:
            tag = child.tag
            if tag == "p":
                found = count_words(child.text_content())
                if found >= PROSE_WORDS:
                    paragraphs += 1
                    words += found
            elif tag in _MEMBER_TAGS:
                groups.setdefault((tag, child.get("class") or ""), []).append(child)
        if words > prose[1]:
            prose = (paragraphs, words)
        for members in groups.values():
            if len(members) >= LIST_MEMBERS:
                card, post = _list_kinds(members)
                cards, posts = max(cards, card, key=_words), max(posts, post, key=_words)
    return Layout(prose[0], prose[1], cards[0], cards[1], posts[0], posts[1])


def _words(found: tuple[int, int]) -> int:
    return found[1]


def _list_kinds(members: list[etree._Element]) -> tuple[tuple[int, int], tuple[int, int]]:
    """(cards, their words) and (posts, their words) among alike siblings; (0, 0) for a kind
    fewer than ``ALIKE_SHARE`` of them are."""
    card_count = card_words = post_count = post_words = 0
    for member in members:
        words = count_words(member.text_content())
        if not words:
            continue
        linked = sum(count_words(link.text_content()) for link in member.iter("a"))
        if linked >= CARD_LINK_WORDS and words <= CARD_MAX_WORDS:
            card_count += 1
            card_words += words
        if words - linked >= POST_WORDS:
            post_count += 1
            post_words += words
    enough = max(LIST_MEMBERS, ALIKE_SHARE * len(members))
    return (
        (card_count, card_words) if card_count >= enough else (0, 0),
        (post_count, post_words) if post_count >= enough else (0, 0),
    )


def layout_signals(tree: etree._Element) -> dict[str, bool]:
    """``SIGNALS``, on or off: a block of prose paragraphs, a long one, a list of cards or of posts
    outweighing the prose."""
    layout = read_layout(tree)
    return {
        "prose_block": layout.prose_paragraphs >= PROSE_BLOCK_PARAGRAPHS,
        "long_prose": layout.prose_words >= LONG_PROSE_WORDS,
        "card_list": layout.cards >= CARD_LIST and layout.card_words > layout.prose_words,
        "post_list": layout.posts > 0 and layout.post_words > layout.prose_words,
    }

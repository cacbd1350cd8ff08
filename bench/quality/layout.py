"""Layout signals for article detection, an experiment of ``fit_detection --layout``: one block
of prose, or a list of alike items, read from the body reader's blocks.

An article holds its text in one block of consecutive paragraphs of running prose: many <p>
blocks of one container (a wrapper around each paragraph, as some newsrooms' editors write,
passes its paragraph to the container above it). A listing or a shop's collection repeats one
card (alike siblings, each a link of a few words and a line or two of text) and its cards
outweigh any prose; a thread repeats one post (alike siblings each holding sentences of its own
under a header: a date or a short link naming the poster). These traits mean the same on every
site and in every language (words are counted with ``crawler.parsing.words``).

No walk of its own: it reads the ``Page`` that ``crawler.parsing.body.blocks.read_blocks``
builds for the body (each block's text, link characters, tag and containers; each container's
parent and "tag.class" signature), so in the product it would reuse the body reader's page at
the cost of one pass over its blocks. Alike siblings are containers of one parent and one
signature, or leaf list entries (``<li>``, ``<dd>``, table rows) of one container. The signals
are not in the product: docs/benchmarks.md, "Article detection on pages the weights never saw",
says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.parsing.body.blocks import Block, Page, read_blocks
from crawler.parsing.words import count_words

PROSE_WORDS = 25  # a <p> this long holds a sentence or more of running text
LIST_MEMBERS = 3  # alike siblings from this many on make a list
CARD_MAX_WORDS = 80  # a card is a link and a line or two: a headline, a name, a price, a teaser
CARD_LINK_WORDS = 2  # ... whose links hold at least this many words (a headline or a name)
POST_WORDS = 20  # a post holds this many words outside links: sentences of its own ...
HEADER_LINK_WORDS = 4  # ... under a header: a date, or a link of at most this many words (the poster)
WHOLE_LINK = 0.9  # share of a block's characters in links for it to be one link
ALIKE_SHARE = 0.7  # of a list's members must be cards (or posts) for the list to be one
PROSE_BLOCK_PARAGRAPHS = 4  # prose paragraphs in one container: the text is written as an article
LONG_PROSE_WORDS = 300  # words in that block
CARD_LIST = 5  # cards from this many on, outweighing the prose: a listing or a collection
SIGNALS = ("prose_block", "long_prose", "card_list", "post_list")
FOR_ARTICLE = frozenset(("prose_block", "long_prose"))
_ENTRY_TAGS = frozenset(("li", "dd", "tr"))  # leaf blocks that are entries of a list


@dataclass(frozen=True, slots=True)
class Layout:
    prose_paragraphs: int = 0  # prose <p> blocks of the container holding the most prose words
    prose_words: int = 0  # ... their words
    cards: int = 0  # members of the list of cards with the most words
    card_words: int = 0
    posts: int = 0  # members of the list of posts with the most words
    post_words: int = 0


@dataclass(slots=True)
class _Containers:
    """Per container of the page (by id), what its subtree holds."""

    blocks: list[int]
    words: list[int]
    linked: list[int]  # words inside links, estimated from the link characters
    header: list[bool]  # a date or a short whole link: a post's header


def read_layout(page: Page) -> Layout:
    """The page's largest block of prose paragraphs and its largest lists of cards and of posts."""
    words = [count_words(block.text) for block in page.blocks]
    tree = _containers(page, words)
    prose: dict[int, tuple[int, int]] = {}  # container -> (prose <p> blocks, their words)
    groups: dict[tuple[int, str], list[tuple[int, int, bool]]] = {}  # alike siblings' (words, linked, header)
    for block, found in zip(page.blocks, words):
        if not block.path:
            continue
        node = block.path[-1]
        if block.tag == "p" and found >= PROSE_WORDS and _linked(block, found) * 2 < found:
            while tree.blocks[node] == 1 and page.parents[node] >= 0:  # a wrapper of this paragraph alone
                node = page.parents[node]
            paragraphs, total = prose.get(node, (0, 0))
            prose[node] = (paragraphs + 1, total + found)
        elif block.tag in _ENTRY_TAGS:
            groups.setdefault((node, block.tag), []).append((found, _linked(block, found), False))
    for node, parent in enumerate(page.parents):
        if tree.words[node]:
            groups.setdefault((parent, page.signatures[node]), []).append((tree.words[node], tree.linked[node], tree.header[node]))
    cards = posts = (0, 0)
    for members in groups.values():
        if len(members) >= LIST_MEMBERS:
            card, post = _list_kinds(members)
            cards, posts = max(cards, card, key=_words), max(posts, post, key=_words)
    paragraphs, prose_words = max(prose.values(), key=_words, default=(0, 0))
    return Layout(paragraphs, prose_words, cards[0], cards[1], posts[0], posts[1])


def _linked(block: Block, words: int) -> int:
    return words * block.link_chars // len(block.text) if block.link_chars else 0


def _containers(page: Page, words: list[int]) -> _Containers:
    """Each block counted in its own container, then every container's totals added to its
    parent's (children have larger ids), which touches each container once."""
    count = len(page.parents)
    tree = _Containers([0] * count, [0] * count, [0] * count, [False] * count)
    for block, found in zip(page.blocks, words):
        if block.path:
            node = block.path[-1]
            linked = _linked(block, found)
            tree.blocks[node] += 1
            tree.words[node] += found
            tree.linked[node] += linked
            if block.has_time or (found <= HEADER_LINK_WORDS and block.link_chars >= WHOLE_LINK * len(block.text)):
                tree.header[node] = True
    for node in range(count - 1, 0, -1):
        if (parent := page.parents[node]) >= 0:
            tree.blocks[parent] += tree.blocks[node]
            tree.words[parent] += tree.words[node]
            tree.linked[parent] += tree.linked[node]
            tree.header[parent] = tree.header[parent] or tree.header[node]
    return tree


def _words(found: tuple[int, int]) -> int:
    return found[1]


def _list_kinds(members: list[tuple[int, int, bool]]) -> tuple[tuple[int, int], tuple[int, int]]:
    """(cards, their words) and (posts, their words) among alike siblings' (words, linked words,
    header); (0, 0) for a kind fewer than ``ALIKE_SHARE`` of them are."""
    card_count = card_words = post_count = post_words = 0
    for words, linked, header in members:
        if linked >= CARD_LINK_WORDS and words <= CARD_MAX_WORDS:
            card_count += 1
            card_words += words
        if header and words - linked >= POST_WORDS:
            post_count += 1
            post_words += words
    enough = max(LIST_MEMBERS, ALIKE_SHARE * len(members))
    return (
        (card_count, card_words) if card_count >= enough else (0, 0),
        (post_count, post_words) if post_count >= enough else (0, 0),
    )


def layout_signals(tree: HtmlElement) -> dict[str, bool]:
    """``SIGNALS``, on or off: a block of prose paragraphs, a long one, a list of cards or of posts
    outweighing the prose."""
    layout = read_layout(read_blocks(tree))
    return {
        "prose_block": layout.prose_paragraphs >= PROSE_BLOCK_PARAGRAPHS,
        "long_prose": layout.prose_words >= LONG_PROSE_WORDS,
        "card_list": layout.cards >= CARD_LIST and layout.card_words > layout.prose_words,
        "post_list": layout.posts > 0 and layout.post_words > layout.prose_words,
    }

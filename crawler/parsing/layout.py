"""The page's layout, as article detection reads it: one block of prose, or a list of alike
items, read from the body reader's blocks.

An article holds its text in one block of consecutive paragraphs of running prose: many <p>
blocks of one container (a wrapper around each paragraph, as some newsrooms' editors write,
passes its paragraph to the container above it). A listing or a shop's collection repeats one
card (alike siblings, each a link of a few words and a line or two of text) and its cards
outweigh any prose. These traits mean the same on every site and in every language (words are
counted with ``crawler.parsing.words``). A list of alike posts (sentences under a header of a
date or a poster's link) was measured too and left out: fitted on pages never seen, it got no
weight beside the signals a thread already shows (docs/benchmarks.md).

No walk of its own: it reads the ``Page`` that ``crawler.parsing.body.blocks.read_blocks``
builds for the body (each block's text, link characters, tag and containers; each container's
parent and "tag.class" signature), which ``parse_document`` hands over in ``Body.blocks``: one
pass over its blocks and one over its containers. Alike siblings are containers of one parent
and one signature, or leaf list entries (``<li>``, ``<dd>``, table rows) of one container.
docs/benchmarks.md, "Article detection on pages the weights never saw", measures what they add
on pages the weights were not fitted on.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.parsing.body.blocks import Block, Page
from crawler.parsing.words import count_words

PROSE_WORDS = 25  # a <p> this long holds a sentence or more of running text
LIST_MEMBERS = 3  # alike siblings from this many on make a list
CARD_MAX_WORDS = 80  # a card is a link and a line or two: a headline, a name, a price, a teaser
CARD_LINK_WORDS = 2  # ... whose links hold at least this many words (a headline or a name)
ALIKE_SHARE = 0.7  # of a list's members must be cards for the list to be one
PROSE_BLOCK_PARAGRAPHS = 4  # prose paragraphs in one container: the text is written as an article
LONG_PROSE_WORDS = 300  # words in that block
CARD_LIST = 5  # cards from this many on, outweighing the prose: a listing or a collection
SIGNALS = ("prose_block", "long_prose", "card_list")
FOR_ARTICLE = frozenset(("prose_block", "long_prose"))
_ENTRY_TAGS = frozenset(("li", "dd", "tr"))  # leaf blocks that are entries of a list


@dataclass(frozen=True, slots=True)
class Layout:
    prose_paragraphs: int = 0  # prose <p> blocks of the container holding the most prose words
    prose_words: int = 0  # ... their words
    cards: int = 0  # members of the list of cards with the most words
    card_words: int = 0


@dataclass(slots=True)
class _Containers:
    """Per container of the page (by id), what its subtree holds."""

    blocks: list[int]
    words: list[int]
    linked: list[int]  # words inside links, estimated from the link characters


def read_layout(page: Page) -> Layout:
    """The page's largest block of prose paragraphs and its largest list of cards."""
    words = [count_words(block.text) for block in page.blocks]
    tree = _containers(page, words)
    prose: dict[int, tuple[int, int]] = {}  # container -> (prose <p> blocks, their words)
    groups: dict[tuple[int, str], list[tuple[int, int]]] = {}  # alike siblings' (words, linked words)
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
            groups.setdefault((node, block.tag), []).append((found, _linked(block, found)))
    for node, parent in enumerate(page.parents):
        if tree.words[node]:
            groups.setdefault((parent, page.signatures[node]), []).append((tree.words[node], tree.linked[node]))
    cards = max((_cards(members) for members in groups.values() if len(members) >= LIST_MEMBERS), key=_words, default=(0, 0))
    paragraphs, prose_words = max(prose.values(), key=_words, default=(0, 0))
    return Layout(paragraphs, prose_words, cards[0], cards[1])


def _linked(block: Block, words: int) -> int:
    return words * block.link_chars // len(block.text) if block.link_chars else 0


def _containers(page: Page, words: list[int]) -> _Containers:
    """Each block counted in its own container, then every container's totals added to its
    parent's (children have larger ids), which touches each container once."""
    count, parents = len(page.parents), page.parents
    blocks, totals, linked = [0] * count, [0] * count, [0] * count  # the lists themselves: no attribute read per block
    for block, found in zip(page.blocks, words):
        if block.path:
            node = block.path[-1]
            blocks[node] += 1
            totals[node] += found
            linked[node] += _linked(block, found)
    for node in range(count - 1, 0, -1):
        if (parent := parents[node]) >= 0:
            blocks[parent] += blocks[node]
            totals[parent] += totals[node]
            linked[parent] += linked[node]
    return _Containers(blocks, totals, linked)


def _words(found: tuple[int, int]) -> int:
    return found[1]


def _cards(members: list[tuple[int, int]]) -> tuple[int, int]:
    """(cards, their words) among alike siblings' (words, linked words); (0, 0) when fewer than
    ``ALIKE_SHARE`` of them are cards."""
    count = total = 0
    for words, linked in members:
        if linked >= CARD_LINK_WORDS and words <= CARD_MAX_WORDS:
            count += 1
            total += words
    return (count, total) if count >= max(LIST_MEMBERS, ALIKE_SHARE * len(members)) else (0, 0)


def layout_signals(page: Page) -> dict[str, bool]:
    """``SIGNALS``, on or off, for the blocks the body reader read: a block of prose paragraphs,
    a long one, a list of cards outweighing the prose."""
    layout = read_layout(page)
    return {
        "prose_block": layout.prose_paragraphs >= PROSE_BLOCK_PARAGRAPHS,
        "long_prose": layout.prose_words >= LONG_PROSE_WORDS,
        "card_list": layout.cards >= CARD_LIST and layout.card_words > layout.prose_words,
    }

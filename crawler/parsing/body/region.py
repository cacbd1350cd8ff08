"""Where the article is: weigh every block, pick the container with the best total.

1. Each block gets a value: + its length when it reads as prose (long, or a finished sentence,
   at most half links), - its length when it is mostly links, a small minus for short labels
   (list items and table rows included), and a light minus when markup flags it as furniture
   (flagged blocks never reach the output).
2. Flags are settled with text: a WEAK container holding half the page's prose, or a HIDDEN one
   holding nearly all of it, is not furniture (a "sidebar-w980" layout class, broken HTML leaving
   the page inside <header>, streamed HTML parked in a hidden div); prose inside STRONG
   furniture (consent banners, comments) counts on neither side. Nor is a NAVIGATION one whose
   text is not mostly links; a content-marked container, a wrapper holding nearly all of one
   (of one holding a fifth of the page's prose: an image embed's caption box is no wrapper),
   and their ancestors are not furniture unless STRONG or HIDDEN (a STRONG wrapper of nearly
   all of a content container's text is a false alarm: "commentOnSelection"); alike short
   siblings (numbers in their classes ignored) that each carry a headline link are a teaser
   list, unless they hold most of the page's prose or sit inside the innermost content-marked
   container (a round-up in the text).
3. The region is the container with the highest sum of its blocks' values, plus a bonus for a
   container marked as content. Its unflagged, not link-heavy blocks are the candidate body;
   so is a link-heavy one that is a long finished sentence and not one whole link (a list item
   citing its sources in links), and a linked <h2>-<h6> that prose follows (a listicle's linked
   product name); both still count as links in the region choice.
"""

from __future__ import annotations

from crawler.parsing.body.blocks import Block, Page
from crawler.parsing.body.patterns import (
    CONTENT_BONUS,
    FLAGGED_WEIGHT,
    HEADING_TAGS,
    HIDDEN_MAJORITY,
    LINK_HEAVY,
    LISTING_ITEM_CHARS,
    LISTING_LINKED_SHARE,
    LISTING_MIN_ITEMS,
    LISTING_SPREAD,
    MAJORITY,
    PROSE_MIN_CHARS,
    SENTENCE_END,
    SENTENCE_MIN_CHARS,
    SHORT_WEIGHT,
    WHOLE_LINK,
    WRAPPER_MIN_PROSE,
    WRAPPER_SHARE,
    Flag,
)


def is_link_heavy(block: Block) -> bool:
    return block.link_chars > LINK_HEAVY * len(block.text)


def is_linked_prose(block: Block) -> bool:
    """A long finished sentence that is mostly links but not one link: prose citing its sources
    ("Teens love <a>AirPods</a>, says <a>a survey</a>."), not a teaser's headline or summary."""
    n = len(block.text)
    return n >= PROSE_MIN_CHARS and block.link_chars < WHOLE_LINK * n and bool(SENTENCE_END.search(block.text))


def _heads_prose(block: Block, following: list[Block]) -> bool:
    """A linked <h2>-<h6> followed by prose: the heading of a section of the article (a product
    or a source named and linked), not the headline of a teaser, which another headline follows."""
    return (
        block.tag in HEADING_TAGS
        and bool(following)
        and following[0].tag not in HEADING_TAGS
        and not is_link_heavy(following[0])
        and block_value(following[0], False) > 0
    )


def block_value(block: Block, flagged: bool) -> float:
    n = len(block.text)
    if flagged:
        return -FLAGGED_WEIGHT * n
    if block.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return 0.0
    if block.link_chars > LINK_HEAVY * n:  # is_link_heavy, with the length measured once
        return -float(n)
    if n >= PROSE_MIN_CHARS or (n >= SENTENCE_MIN_CHARS and SENTENCE_END.search(block.text)):
        return n - block.link_chars
    return -SHORT_WEIGHT * n


def prose_chars(page: Page) -> float:
    """The page's characters of prose, wherever they are (furniture included)."""
    return sum(max(0.0, block_value(block, False)) for block in page.blocks)


def _subtree_sums(page: Page, values: list[float] | list[int]) -> list[float]:
    """Per container, the sum of its blocks' values: each block's value goes to its own container,
    then every container's sum to its parent (children have larger ids), which touches each
    container once instead of each block's every ancestor. Every caller sums whole numbers
    (characters), so the order of the additions cannot change a sum."""
    sums = [0.0] * len(page.parents)
    for block, value in zip(page.blocks, values):
        if block.path:
            sums[block.path[-1]] += value
    for node in range(len(sums) - 1, 0, -1):
        if (parent := page.parents[node]) >= 0:
            sums[parent] += sums[node]
    return sums


def _teaser_items(page: Page, sizes: list[float], prose: list[float]) -> list[bool]:
    """Containers that are items of a teaser list: alike short siblings, most with a headline link,
    not inside (the innermost) text marked as the article's own, holding such text all or none
    (every teaser may mark its excerpt "post-content"; some holding it is the article split up),
    and together not most of the page's prose (then the list is the article: a listicle, a round-up)."""
    count = len(page.parents)
    linked = [False] * count
    for block in page.blocks:
        if (n := len(block.text)) >= 10 and block.link_chars > LINK_HEAVY * n:  # is_link_heavy, measured once
            for node in block.path:
                linked[node] = True
    holds_content = list(page.content)
    for node in range(count - 1, 0, -1):  # children have larger ids than their parents
        if holds_content[node]:
            holds_content[page.parents[node]] = True
    # Inside the innermost container marked as the article's own text (one holding no other so
    # marked): a list there is the article's (a round-up), not a teaser list beside it.
    outer = [False] * count
    for node in range(count - 1, 0, -1):  # children have larger ids than their parents
        if page.content[node] or outer[node]:
            outer[page.parents[node]] = True
    in_content = [False] * count
    for node, parent in enumerate(page.parents):  # parents come before their children
        in_content[node] = (page.content[node] and not outer[node]) or (parent >= 0 and in_content[parent])
    groups: dict[tuple[int, str], list[int]] = {}
    for node, parent in enumerate(page.parents):
        if sizes[node] and not in_content[node]:
            groups.setdefault((parent, page.signatures[node]), []).append(node)
    items = [False] * count
    for members in groups.values():
        if len(members) < LISTING_MIN_ITEMS:
            continue
        if sum(linked[m] for m in members) < max(LISTING_MIN_ITEMS, LISTING_LINKED_SHARE * len(members)):
            continue
        member_sizes = sorted(sizes[m] for m in members)
        median = member_sizes[len(member_sizes) // 2]
        if median <= LISTING_ITEM_CHARS and member_sizes[-1] <= LISTING_SPREAD * median:
            marked = sum(holds_content[m] for m in members)
            if marked in (0, len(members)) and sum(prose[m] for m in members) < MAJORITY * prose[0]:
                for m in members:
                    items[m] = True
    return items


def _under_strong(page: Page) -> list[bool]:
    """Per container: is it, or one of its ancestors, STRONG furniture (comments, consent banners)."""
    strong = [False] * len(page.parents)
    for node, parent in enumerate(page.parents):  # parents come before their children
        strong[node] = page.flags[node] == Flag.STRONG or (parent >= 0 and strong[parent])
    return strong


def settle_flags(page: Page) -> list[bool]:
    """Per container: is it furniture, after weighing its markup against its text."""
    flags = list(page.flags)
    sizes = _subtree_sums(page, [float(len(block.text)) for block in page.blocks])
    values = [max(0.0, block_value(block, False)) for block in page.blocks]
    prose = _subtree_sums(page, values)
    # Shares are measured on the prose outside STRONG furniture, which no text lifts.
    readable = prose
    if Flag.STRONG in page.flags:
        strong = _under_strong(page)
        readable = _subtree_sums(
            page, [0.0 if block.path and strong[block.path[-1]] else value for block, value in zip(page.blocks, values)]
        )
    total_prose = readable[0] if readable else 0.0
    links = _subtree_sums(page, [float(block.link_chars) for block in page.blocks])
    for node, flag in enumerate(flags):
        share = MAJORITY if flag == Flag.WEAK else HIDDEN_MAJORITY if flag == Flag.HIDDEN else None
        if share is not None and readable[node] >= share * total_prose > 0:
            flags[node] = Flag.NONE
        elif flag == Flag.NAVIGATION and links[node] <= LINK_HEAVY * sizes[node]:
            flags[node] = Flag.NONE
    content = list(page.content)
    for node, parent in enumerate(page.parents):
        if (
            parent >= 0
            and content[parent]
            and sizes[node] >= WRAPPER_SHARE * sizes[parent]
            and readable[parent] >= WRAPPER_MIN_PROSE * total_prose
        ):
            content[node] = True
            if flags[node] == Flag.STRONG:
                flags[node] = Flag.NONE  # nearly all of the article's text: "commentOnSelection", not comments
    for node, is_content in enumerate(content):
        while is_content and node >= 0:
            if flags[node] in (Flag.WEAK, Flag.NAVIGATION):
                flags[node] = Flag.NONE
            node = page.parents[node]
    teasers = _teaser_items(page, sizes, prose)
    return [flag != Flag.NONE or teaser for flag, teaser in zip(flags, teasers)]


def main_region(page: Page) -> list[Block]:
    """The candidate body: the best container's readable blocks, in document order.

    A container's score is the value of the blocks under it, plus ``CONTENT_BONUS`` of its readable
    characters when it is marked as content; the best is the first (outermost) of the highest.
    Scores are summed in tenths of a character (every value is a whole number of tenths), child
    to parent, so the order of the additions cannot change a score."""
    if not page.blocks:
        return []
    furniture = settle_flags(page)
    for node, parent in enumerate(page.parents):  # parents come before their children: now "it or an ancestor"
        furniture[node] = furniture[node] or (parent >= 0 and furniture[parent])
    flagged = [block.flag != Flag.NONE or bool(block.path and furniture[block.path[-1]]) for block in page.blocks]
    values = [round(10 * block_value(block, is_flagged)) for block, is_flagged in zip(page.blocks, flagged)]
    bonuses = [
        round(10 * CONTENT_BONUS * len(block.text)) if not is_flagged and not is_link_heavy(block) else 0
        for block, is_flagged in zip(page.blocks, flagged)
    ]
    totals, bonus = _subtree_sums(page, values), _subtree_sums(page, bonuses)
    holding = _subtree_sums(page, [1] * len(page.blocks))
    content = page.content
    best = max(
        (node for node, count in enumerate(holding) if count),  # only containers that hold blocks, outermost first
        key=lambda node: totals[node] + bonus[node] if content[node] else totals[node],
        default=None,  # no container: the blocks are the element read itself (a template's region that is one paragraph)
    )
    region = [block for block, is_flagged in zip(page.blocks, flagged)
              if not is_flagged and (best is None or best in block.path)]
    return [
        block
        for index, block in enumerate(region)
        if block.tag != "h1"
        and (not is_link_heavy(block) or is_linked_prose(block) or _heads_prose(block, region[index + 1 : index + 2]))
    ]

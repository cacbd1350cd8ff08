"""The site's own previous/next article links, decided by structure and evidence, in any language.

Candidates (blocks.py): same-site links whose URL has the current article's shape, grouped
into blocks: a pair of two links (the usual "previous | next" block) or a single link. What
makes a block the chain, each an entry of ``Navigation.evidence`` when it counted:

- ``rel``: ``rel="prev"``/``rel="next"`` on the links (``head-rel``: ``<link rel>`` in the head);
- ``url-order``: the two URLs' dates or ids straddle the page's own (older one, newer one);
- ``label-shape``: each slot shows a short label beside the headline, and the two labels
  differ, whatever their words ("Blorvak" / "Snerp");
- ``mirrored``: the two slots are one tag whose classes differ by one token (``pn-a``/``pn-b``);
- ``after-body``: the block follows the article's last paragraph;
- ``label``, ``class``, ``arrow``: known direction words in either word order ("Previous
  article", "Artículo anterior"), class names (``nav-previous``), arrows (← « →);
- ``layout``: the block is the site's learned navigation block, read alone
  (``navigation_at``, the template fast path) instead of weighed against the page's others;
and what speaks against it: a box title above the links (a related box), a place inside the
prose, URLs both older (or both newer) than the page, a comment, gallery, related, most-read or
pagination container (``selectors.NAV_EXCLUDED_WORDS``). Label words are one signal among
these: structure alone reaches the threshold.

Direction: rel, labels, classes and arrows name it; else the URLs' dates or ids; else the
reading order (the first slot is the previous article).

On pages that are not articles only word evidence counts (a known label naming an article, a
post-navigation class): a listing's two teasers are no chain. Whether a guess is right is
checked by the spider when it fetches the neighbour (does it link back from the mirrored slot?).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from crawler.parsing.document import Document
from crawler.parsing.navigation import labels
from crawler.parsing.navigation.blocks import Block, Slot, candidate_pairs
from crawler.parsing.navigation.labels import NEXT, PREV
from crawler.parsing.navigation.urls import article_link, compare, order_key
from crawler.parsing.navigation.weights import (
    AFTER_BODY,
    FURNITURE,
    HEAD_REL,
    HEADING,
    IN_BODY,
    LABEL_SHAPE,
    MIN_SCORE,
    REL,
    SINGLE_LABEL_SHAPE,
    SINGLE_URL_DISORDER,
    SINGLE_URL_ORDER,
    URL_DISORDER,
    URL_ORDER,
)

__all__ = ["LAYOUT", "Navigation", "Neighbour", "article_link", "extract_navigation", "navigation_at"]

MIN_HEADLINE_WORDS = 3  # a neighbour's headline beside a label, for the label shape
LAYOUT = "layout"  # evidence: the pair was read from the site's learned block alone (``navigation_at``)
_DIGITS = re.compile(r"\d+")


@dataclass(slots=True)
class Neighbour:
    url: str
    title: str | None


@dataclass(slots=True)
class Navigation:
    prev: Neighbour | None = None
    next: Neighbour | None = None
    evidence: list[str] = field(default_factory=list)  # the signals that chose them (module docstring)
    confidence: float = 0.0  # 0..1, from the chosen block's score
    block: str | None = None  # element path of the chosen block: the same block on the site's other pages


@dataclass(slots=True)
class _Scored:
    block: Block | None
    score: float
    evidence: list[str]
    prev: Slot | Neighbour | None = None
    next: Slot | Neighbour | None = None
    words: bool = False  # a known label naming an article, or a post-navigation class


def _hint_votes(slot: Slot, natural: str) -> tuple[float, float, set[str], bool]:
    """(weight for ``natural``, weight against it, evidence kinds, word evidence) of one slot's hints."""
    agree = against = 0.0
    kinds: set[str] = set()
    words = False
    best: dict[str, float] = {}
    for hint in slot.hints:
        best[hint.direction] = max(best.get(hint.direction, 0.0), hint.weight)
        words = words or hint.weight >= labels.STRONG
    agree, against = best.get(natural, 0.0), best.get(PREV if natural == NEXT else NEXT, 0.0)
    for hint in slot.hints:
        if hint.direction == natural and hint.weight > 0:
            kinds.add(hint.kind)
    return agree, against, kinds, words


def _score_pair(block: Block, page_key: tuple[int | None, int | None]) -> _Scored:
    first, second = block.slots
    vote = 0.5  # reading order: previous first
    for slot, natural in ((first, PREV), (second, NEXT)):
        agree, against, _, _ = _hint_votes(slot, natural)
        vote += agree - against
        if slot.rel:
            vote += REL if slot.rel == natural else -REL
    order = (compare(order_key(first.url), page_key), compare(order_key(second.url), page_key))
    if order == (-1, 1):
        vote += 3.0
    elif order == (1, -1):
        vote -= 3.0
    prev, nxt = (first, second) if vote >= 0 else (second, first)
    score, evidence, words = 0.0, [], False
    for slot, direction in ((prev, PREV), (nxt, NEXT)):
        agree, against, kinds, has_words = _hint_votes(slot, direction)
        score += agree - against
        evidence += sorted(kinds - set(evidence))
        words = words or has_words
        if slot.rel == direction and "rel" not in evidence:
            score += REL
            evidence.append("rel")
    if order in ((-1, 1), (1, -1)):
        score += URL_ORDER
        evidence.append("url-order")
    elif order[0] == order[1] != 0:
        score += URL_DISORDER
    if _label_shape(first, second):
        score += LABEL_SHAPE
        evidence.append("label-shape")
    if block.mirrored:
        score += block.mirrored
        evidence.append("mirrored")
    score += _place(block, evidence)
    return _Scored(block, score, ["pair", *evidence], prev, nxt, words)


def _label_shape(first: Slot, second: Slot) -> bool:
    """Each slot shows a short label and a headline, and the two labels differ."""
    return bool(
        first.label and second.label and first.label.casefold() != second.label.casefold()
        and all(slot.headline and len(slot.headline.split()) >= MIN_HEADLINE_WORDS for slot in (first, second))
    )


def _place(block: Block, evidence: list[str]) -> float:
    score = FURNITURE if block.furniture else 0.0
    if block.position == "after-body":
        score += AFTER_BODY
        evidence.append("after-body")
    elif block.position == "in-body":
        score += IN_BODY
    if block.heading:
        score += HEADING
    return score


def _score_single(block: Block, page_key: tuple[int | None, int | None]) -> _Scored | None:
    [slot] = block.slots
    weights = {PREV: 0.0, NEXT: 0.0}
    for hint in slot.hints:
        weights[hint.direction] = max(weights[hint.direction], hint.weight)
    if slot.rel:
        weights[slot.rel] += REL
    side = compare(order_key(slot.url), page_key)
    if weights[PREV] == weights[NEXT]:
        if side == 0 and block.twin is None:
            return None
        direction = (PREV if side < 0 else NEXT) if side else block.twin
    else:
        direction = PREV if weights[PREV] > weights[NEXT] else NEXT
    score = weights[direction] - weights[PREV if direction == NEXT else NEXT]
    _, _, kinds, words = _hint_votes(slot, direction)
    evidence = sorted(kinds)
    if slot.rel == direction:
        evidence.append("rel")
    if side and (side < 0) == (direction == PREV):
        score += SINGLE_URL_ORDER
        evidence.append("url-order")
    elif side:
        score += SINGLE_URL_DISORDER
    if slot.label and slot.headline:
        score += SINGLE_LABEL_SHAPE
        evidence.append("label-shape")
    if block.mirrored:
        score += block.mirrored
        evidence.append("mirrored")
    score += _place(block, evidence)
    scored = _Scored(block, score, ["single", *evidence], words=words)
    setattr(scored, direction, slot)
    return scored


def _head_rel(doc: Document, direction: str) -> _Scored | None:
    for element in doc.index().rel_links:
        if element.tag == "link" and direction in (element.get("rel") or "").lower().replace("previous", "prev").split():
            if url := article_link(element.get("href"), doc.url):
                scored = _Scored(None, HEAD_REL, ["head-rel"])
                setattr(scored, direction, Neighbour(url, _title_attribute(element)))
                return scored
    return None


def _title_attribute(element: HtmlElement) -> str | None:
    title = labels.edge_strip(element.get("title") or "")
    return title or None


def _neighbour(found: Slot | Neighbour | None) -> Neighbour | None:
    if found is None or isinstance(found, Neighbour):
        return found
    return Neighbour(found.url, found.headline)


def signature(element: HtmlElement) -> str:
    """The block's element path from ``<body>``, tags and first class token, digits dropped:
    the same for the same template block on every page of a site."""
    steps = []
    node: HtmlElement | None = element
    while node is not None and node.tag not in ("body", "html"):
        first_class = (node.get("class") or "").split()[:1]
        steps.append(node.tag + ("." + _DIGITS.sub("", first_class[0]) if first_class else ""))
        node = node.getparent()
    return ">".join(reversed(steps))


def _ranked(doc: Document, *, is_article: bool, exclude: frozenset[str]) -> list[_Scored]:
    """Every block at or above MIN_SCORE, best first. Singles are looked for only when no pair
    scores at least the most a single could: such a pair is the best block, gives both
    directions, and leaves nothing for a single to fill."""
    candidates = candidate_pairs(doc, exclude=exclude)
    page_key = candidates.found.page_key
    scored = [
        result
        for block in candidates.pairs
        if (result := _score_pair(block, page_key)).score >= MIN_SCORE and (is_article or result.words)
    ]
    if max((result.score for result in scored), default=-1.0) < candidates.single_ceiling():
        for block in candidates.singles():
            if (result := _score_single(block, page_key)) is not None and result.score >= MIN_SCORE and (is_article or result.words):
                scored.append(result)
    if is_article:
        scored += [head for direction in (PREV, NEXT) if (head := _head_rel(doc, direction))]
    scored.sort(key=lambda item: (-item.score, item.block is None))
    return scored


def _canonical(doc: Document) -> frozenset[str]:
    """The page's own other URLs (canonical, og:url): never its own neighbour."""
    own = set()
    for element in doc.index().rel_links:
        if element.tag == "link" and "canonical" in (element.get("rel") or "").lower().split():
            own.add((element.get("href") or "").strip().split("#", 1)[0])
    own.update(value.strip() for value in doc.meta.get("og:url", ()))
    return frozenset(url for url in own if url)


def extract_navigation(doc: Document, *, is_article: bool = True) -> Navigation:
    """Previous and next article links, the neighbours' headlines, and the evidence.

    The best-scoring block gives both directions when it is a pair; a direction it leaves
    open is taken from the next best block that names it. Below ``MIN_SCORE`` nothing is
    taken. See the module docstring for the evidence and the rules.
    """
    ranked = _ranked(doc, is_article=is_article, exclude=_canonical(doc))
    if not ranked:
        return Navigation()
    best = ranked[0]
    prev, nxt = _neighbour(best.prev), _neighbour(best.next)
    for other in ranked[1:]:
        if prev is None and other.prev is not None and (nxt is None or _neighbour(other.prev).url != nxt.url):
            prev = _neighbour(other.prev)
        if nxt is None and other.next is not None and (prev is None or _neighbour(other.next).url != prev.url):
            nxt = _neighbour(other.next)
    if prev and nxt and prev.url == nxt.url:
        return Navigation()  # one link claimed by both directions is not a chain
    return _navigation(best, prev, nxt, best.evidence)


def _navigation(best: _Scored, prev: Neighbour | None, nxt: Neighbour | None, evidence: list[str]) -> Navigation:
    return Navigation(
        prev,
        nxt,
        evidence=evidence,
        confidence=round(best.score / (best.score + 4.0), 2),
        block=signature(best.block.element) if best.block is not None else None,
    )


def navigation_at(doc: Document, element: HtmlElement) -> Navigation | None:
    """The previous and next links of ``element``, a learned layout's navigation block, for an
    article: the block's pair found and scored as ``extract_navigation`` finds and scores it
    (the page's prose placing it, the same evidence and confidence) without weighing the page's
    other links, evidence ``LAYOUT`` added.

    None, and the whole page decides, when the element holds no pair of its own reaching
    ``MIN_SCORE`` (a chain's end shows one link: a single, weighed against the page's) or when
    a ``<link rel>`` of the head would outrank it. A block elsewhere on the page that would
    outscore this one is not looked for: the fast path's verified pages compare."""
    candidates = candidate_pairs(doc, exclude=_canonical(doc), within=element)
    block = next((block for block in candidates.pairs if block.element is element), None)
    if block is None:
        return None
    best = _score_pair(block, candidates.found.page_key)
    if best.score < MIN_SCORE or any(HEAD_REL > best.score and _head_rel(doc, direction) for direction in (PREV, NEXT)):
        return None
    return _navigation(best, _neighbour(best.prev), _neighbour(best.next), [*best.evidence, LAYOUT])

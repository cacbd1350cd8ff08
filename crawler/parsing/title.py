"""The article's visible headline (not the ``<title>`` with the site name appended)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from crawler.parsing import selectors as sel
from crawler.parsing.document import Document
from crawler.parsing.index import PageIndex
from crawler.parsing.heading import SKIPPED, ends_trail, heading_text, is_hidden_heading
from crawler.parsing.jsonld import main_objects
from crawler.parsing.metadata import extract_canonical_url
from crawler.parsing.text import clean, element_text, inside
from crawler.parsing.titleparts import (
    SEPARATORS,
    WORD,
    host_words,
    names_site,
    strip_confirmed,
    strip_site_name,
    title_key,
    without_head,
)

MAX_HEADINGS = 8  # h1 / title-classed / h2 elements considered, each
MAX_TITLE_LENGTH = 400
MIN_SIMILARITY = 0.6  # word overlap (Dice) a heading needs with a structured title to be taken
MIN_EXACT_WORDS = 3  # an <h2> equal to a structured title this long outranks a resembling <h1>
MAX_LABEL_WORDS = 5  # an unconfirmed <h1> this short ...
LINKED_SHARE = 0.9  # a heading whose text is this much one link's text is that link
MIN_PIPE_HEAD_WORDS = 3  # a heading is cut at " | " when what precedes has this many words
LABEL_SIMILARITY = 0.3  # ... sharing less than this with every structured title is a section label

_MOJIBAKE = re.compile("[âÃ][\u0080-\u00bf€™œ]")


def _structured_titles(doc: Document) -> list[str]:
    """JSON-LD headline/name/alternativeHeadline of the article, then og:title-family meta, then ``<title>``."""
    titles: list[str] = []
    for obj in main_objects(doc):
        for field in ("headline", "name", "alternativeHeadline"):
            value = obj.get(field)
            if isinstance(value, str) and clean(value):
                titles.append(clean(value))
    for name in sel.META_TITLE:
        titles.extend(clean(value) for value in doc.meta.get(name, ()) if clean(value))
    element = doc.tree.find(".//title")
    if element is not None and (text := element_text(element, sep="")):
        titles.append(text)
    return titles


def _secondary_titles(doc: Document) -> set[str]:
    """Keys of the JSON-LD ``alternativeHeadline``s other than the ``headline`` itself: by
    schema.org's meaning a subtitle or teaser line, which an ``<h2>`` may show under the headline."""
    return {
        key
        for obj in main_objects(doc)
        if isinstance(value := obj.get("alternativeHeadline"), str) and clean(value)
        and (key := title_key(value)) != title_key(str(obj.get("headline") or ""))
    }


def _site_names(doc: Document, site_name: str | None, titles: list[str]) -> set[str]:
    """Keys of the site's name as the page writes it: og:site_name and the parts of titles beside
    the headline (``strip_site_name``; a first part an ``<h1>`` shows is the headline)."""
    names = {title_key(site_name)} if site_name else set()
    shown: set[str] | None = None  # the <h1> texts' keys, read when a title's first part asks
    for title in titles:
        parts = [part.strip() for part in SEPARATORS.split(title) if part.strip()]
        if len(parts) > 1:
            main = strip_site_name(title, site_name)
            if parts[0] not in main:
                if shown is None:
                    shown = {title_key(heading_text(element)) for element in doc.index().h1[:MAX_HEADINGS]}
                if title_key(parts[0]) in shown:
                    main = parts[0]  # "Climate Change | Economic Research Service" under <h1>Climate Change</h1>
            names.update(title_key(part) for part in parts if part not in main)
    return names


@dataclass(frozen=True, slots=True)
class _Text:
    """A heading's or structured title's text with its comparison key and word set."""

    text: str
    key: str
    words: frozenset[str]


@lru_cache(maxsize=1024)  # a page repeats its titles (og:title, <title>, each without its site name), a site its names
def _text(text: str) -> _Text:
    text_key = title_key(text)
    return _Text(text, text_key, frozenset(WORD.findall(text_key)))


def _texts(texts: list[str]) -> list[_Text]:
    """Each distinct text once (og:title, twitter:title and <title> often repeat one another)."""
    seen: dict[str, _Text] = {}
    for text in texts:
        item = _text(text)
        seen.setdefault(item.key, item)
    return list(seen.values())


def _similarity(a: _Text, b: _Text) -> float:
    """1.0 for equal keys; 0.95 when one is a truncation of the other; else word-set Dice."""
    if a.key == b.key:
        return 1.0
    shorter, longer = (a.key, b.key) if len(a.key) < len(b.key) else (b.key, a.key)
    if len(shorter) >= 20 and longer.startswith(shorter.rstrip(".… ")):
        return 0.95
    if not a.words or not b.words:
        return 0.0
    return 2 * len(a.words & b.words) / (len(a.words) + len(b.words))


def _score(heading: _Text, references: list[_Text]) -> float:
    return max((_similarity(heading, reference) for reference in references), default=0.0)


def _headings(doc: Document) -> list[tuple[int, HtmlElement]]:
    """(tier, element): h1 elements, title-classed elements, then h2 elements."""
    index = doc.index()
    return (
        [(0, e) for e in index.h1[:MAX_HEADINGS]]
        + [(1, e) for e in _title_classed(index)]
        + [(2, e) for e in index.h2[:MAX_HEADINGS]]
    )


def _title_classed(index: PageIndex) -> Iterator[HtmlElement]:
    """The first ``MAX_HEADINGS`` title-classed elements: a class or id among ``TITLE_CLASSES``
    (``entry-title``, ``headline``) in document order, then those with ``itemprop=headline``.
    The one definition of tier 1, for ``_headings`` and ``_tier``; lazy, so a caller looking
    for one element stops at it."""
    classed = (  # with_tokens() spelled out: this scan of every marked element is the hot spot
        element
        for element, label in index.marked
        if ("title" in label or "headline" in label) and not sel.TITLE_CLASSES.isdisjoint(label.split())
    )
    return islice(chain(classed, index.itemprops.get("headline", ())), MAX_HEADINGS)


@dataclass(slots=True)
class _Heading:
    tier: int  # 0 <h1>, 1 title-classed, 2 <h2>
    text: _Text
    element: HtmlElement
    foreign: bool | None = None  # inside a related list, sidebar, footer (computed when asked)
    trail: bool = False  # an <h1> or title-classed element ending a breadcrumb trail (``ends_trail``)

    def own(self) -> bool:
        if self.foreign is None:
            self.foreign = inside(self.element, sel.FOREIGN_CONTAINER_WORDS)
        return not self.foreign


def _candidates(doc: Document, site_names: set[str], site_name: str | None, host: frozenset[str],
                headings: list[tuple[int, HtmlElement]] | None = None) -> list[_Heading]:
    """Every visible heading (``headings``, default: the page's, ``_headings``) that is not the
    site's name (``site_names``, or spelled by the host) nor a link to another page, its site
    name and " | " tail cut off; an ``<h1>`` or title-classed one ending a breadcrumb trail is marked (``ends_trail``)."""
    out = []
    own = {_path(doc.url)} | ({_path(canonical)} if (canonical := extract_canonical_url(doc)) else set())
    for tier, element in _headings(doc) if headings is None else headings:
        if is_hidden_heading(element) or _links_away(element, doc.url, own):
            continue
        text = _before_pipe(strip_confirmed(_repair(heading_text(element)), site_name, host))
        if text and len(text) <= MAX_TITLE_LENGTH and title_key(text) not in site_names and not names_site(text, None, host):
            out.append(_Heading(tier, _text(text), element, trail=tier < 2 and ends_trail(element, doc.url)))
    return out


def _without_trail(candidates: list[_Heading], shown: list[_Text]) -> list[_Heading]:
    """The candidates without a breadcrumb trail's last crumb when a heading outside the trail
    shows a structured title exactly (``_shows``): the trail then holds the page's search
    title, the article header its visible headline ("Home > Politik > <h1>SEO title</h1>" and
    ``<h2><span>Kicker</span><span>Headline</span></h2>`` above the body)."""
    if not any(c.trail for c in candidates):
        return candidates
    if any(not c.trail and c.own() and _shows(c, shown) for c in candidates):
        return [c for c in candidates if not c.trail]
    return candidates


def _shows(heading: _Heading, shown: list[_Text]) -> str | None:
    """The structured title a heading shows exactly, as the title writes it: the heading's
    whole text; the text of one child element beside a kicker
    (``<span>Kicker</span><span>Headline</span>``); or, for a heading built of several
    elements, the same words with other punctuation ("Kicker Headline" for "Kicker:
    Headline": the colon or dash between the elements is drawn by the layout)."""
    keys = {reference.key for reference in shown}
    if heading.text.key in keys:
        return heading.text.text
    parts = _parts(heading.element)
    while len(parts) == 1:  # <div class="title"><link ...><h2><span>Kicker</span><span>Headline</span></h2></div>
        parts = _parts(parts[0][1])
    for text, _child in parts:
        if len(WORD.findall(text)) >= MIN_EXACT_WORDS and title_key(text) in keys and len(text) < len(heading.text.text):
            return text
    words = WORD.findall(heading.text.key)
    if len(parts) > 1 and len(words) >= MIN_EXACT_WORDS:
        return next((reference.text for reference in shown if WORD.findall(reference.key) == words), None)
    return None


def _links_away(element: HtmlElement, base: str, own: set[str]) -> bool:
    """A heading that is wholly one link to another page (not this page's URL or canonical
    path): a teaser for a neighbour article."""
    links = [element] if element.tag == "a" else list(element.iter("a"))
    parent = element.getparent()
    if not links and parent is not None and parent.tag == "a":
        links = [parent]
    if len(links) != 1 or not (href := links[0].get("href")) or href.startswith("#"):
        return False
    try:
        target = _path(urljoin(base, href))
    except ValueError:  # "a://[": not a URL, so no other page
        return False
    if target in own:
        return False
    return len(clean(links[0].text_content())) >= len(clean(element.text_content())) * LINKED_SHARE


def _path(url: str) -> str:
    return urlsplit(url).path.rstrip("/")


def _before_pipe(heading: str) -> str:
    """A visible heading cut at " | ": the pipe is the ``<title>`` convention for appending a
    section, a teaser or the site ("Best Movers in NYC 2025 | Top 19 Companies"), not part of
    a headline; kept whole when what precedes it is too short to be the headline."""
    head, pipe, _tail = heading.partition(" | ")
    return head.strip() if pipe and len(WORD.findall(head)) >= MIN_PIPE_HEAD_WORDS else heading


def _repair(text: str) -> str:
    """Undo UTF-8 read as Windows-1252 ("Investorâ€™s") when the text shows its marks."""
    if not _MOJIBAKE.search(text):
        return text
    import ftfy  # imported here: most processes never meet a broken title, and the import costs 0.1 s

    return ftfy.fix_text(text, uncurl_quotes=False)


def _own(candidates: list[_Heading]) -> list[_Heading]:
    """Headings outside related lists, sidebars, footers and pop-ups."""
    return [c for c in candidates if c.own()]


def extract_title(doc: Document, *, site_name: str | None = None) -> str | None:
    """The visible headline (see ``find_headline``)."""
    return find_headline(doc, site_name=site_name)[0]


def find_headline(doc: Document, *, site_name: str | None = None) -> tuple[str | None, HtmlElement | None]:
    """The visible headline and the element showing it (None when it came from metadata).

    Order:
    1. the ``<h1>`` or title-classed element (``entry-title``, ``itemprop=headline``) that best
       matches a structured title (JSON-LD ``headline``, ``og:title``/``twitter:title``,
       ``<title>``, each also with its site name removed), when the match reaches
       ``MIN_SIMILARITY``; an ``<h2>`` equal to a structured title (site name removed only when
       ``strip_confirmed_site`` is sure of it; not the JSON-LD ``alternativeHeadline``, a
       subtitle) beats a match that is not exact;
    2. the page's only ``<h1>``, unless it is a short label sharing almost nothing with the
       structured titles (``_is_label``: a section name, a call to action);
    3. the ``<h2>`` that best matches a structured title;
    4. the first structured title with its site name removed;
    5. the first heading.
    Headings naming the site (og:site_name, a title part beside the headline, the host name),
    hidden from sight (``sr-only``) or wholly linking to another page are never taken; headings
    inside related lists, sidebars or footers only when a structured title confirms them among
    h1 and title-classed elements; a breadcrumb trail's last crumb only when no heading outside
    the trail shows a structured title exactly (``_without_trail``). A heading taken that shows
    a structured title exactly (whole, as one element beside a kicker, or as several elements
    with the title's words) gives that title (``_shows``); otherwise it loses a separated site
    name, a " | " tail, and a date or "Section:" before the structured title it shows.
    """
    titles, site_names, host, references, confirmed, shown = _declared_titles(doc, site_name)
    candidates = _without_trail(_candidates(doc, site_names, site_name, host), shown)
    top = _best_match([c for c in candidates if c.tier < 2], references)
    if top is None or top[0] < 1.0:
        keys = {reference.key for reference in shown}
        exact = next(
            (c for c in candidates if c.tier == 2 and c.text.key in keys and len(c.text.words) >= MIN_EXACT_WORDS and c.own()),
            None,
        )
        top = (1.0, exact) if exact else top
    h1 = {c.text.key: c for c in candidates if c.tier == 0 and c.own()}
    only_h1 = next(iter(h1.values())) if len(h1) == 1 else None
    if only_h1 and titles and _is_label(only_h1.text, references):
        only_h1 = None
    return (
        _cut(top, confirmed, shown)
        or ((only_h1.text.text, only_h1.element) if only_h1 else None)
        or _cut(_best_match(_own([c for c in candidates if c.tier == 2]), references), confirmed, shown)
        or ((_declared(titles, site_name, host), None) if titles else None)
        or next(((c.text.text, c.element) for c in candidates if c.own()), (None, None))
    )


_Declared = tuple[list[str], set[str], frozenset[str], list[_Text], list[_Text], list[_Text]]


def _declared_titles(doc: Document, site_name: str | None) -> _Declared:
    """What headings are weighed against: the structured titles, the site's names, the host's
    words, and the titles as references (site name removed), confirmed (removed only when sure)
    and shown (confirmed without subtitles, ``_secondary_titles``). Read once a page and site
    name (``Document.derived``): a page the template fast path reads asks ``headline_at``, then
    ``find_headline`` when the layout's heading yields none, and a verified page asks both; the
    callers do not change what they get."""
    return doc.derived(f"title.declared:{site_name!r}", lambda page: _read_declared_titles(page, site_name))


def _read_declared_titles(doc: Document, site_name: str | None) -> _Declared:
    titles = _structured_titles(doc)
    site_names = _site_names(doc, site_name, titles)
    host = host_words(doc.url)
    references = _texts(titles + [strip_site_name(title, site_name) for title in titles])
    confirmed = _texts(titles + [strip_confirmed(title, site_name, host) for title in titles])
    secondary = _secondary_titles(doc)
    shown = [reference for reference in confirmed if reference.key not in secondary]
    return titles, site_names, host, references, confirmed, shown


def headline_at(doc: Document, element: HtmlElement, *, site_name: str | None = None) -> tuple[str, HtmlElement] | None:
    """The headline ``find_headline`` reads from ``element`` (a learned layout's headline
    element) when it weighs that element alone: its first rule, the ``<h1>`` or title-classed
    heading matching a structured title, with the same cleaning (``_cut``).

    None, and the whole page decides, when that rule does not take the element: the page has no
    structured title (the later rules weigh the other headings), the element is no ``<h1>`` or
    title-classed heading among the ones ``_headings`` weighs, is hidden, links away, names the
    site, ends a breadcrumb trail, or shows no structured title closely enough (the structured
    title itself may then be the headline)."""
    tier = _tier(doc, element)
    if tier is None:
        return None
    titles, site_names, host, references, confirmed, shown = _declared_titles(doc, site_name)
    if not titles:
        return None
    candidates = _candidates(doc, site_names, site_name, host, [(tier, element)])
    if not candidates or candidates[0].trail:
        return None
    return _cut(_best_match(candidates, references), confirmed, shown)


def _tier(doc: Document, element: HtmlElement) -> int | None:
    """The element's tier as ``_headings`` lists it: 0 among the first ``<h1>`` elements, 1 among
    the first title-classed elements (``_title_classed``; None: neither)."""
    index = doc.index()
    if element.tag == "h1" and any(h1 is element for h1 in index.h1[:MAX_HEADINGS]):
        return 0
    return 1 if any(classed is element for classed in _title_classed(index)) else None


def _declared(titles: list[str], site_name: str | None, host: frozenset[str]) -> str:
    """The first structured title without its site name."""
    return strip_site_name(strip_confirmed(titles[0], site_name, host), site_name)


def _is_label(heading: _Text, references: list[_Text]) -> bool:
    """A short heading sharing almost no words with any structured title: a section name ("M&A
    Updates", "Our Blog"), a call to action or a logo, not the headline."""
    return len(WORD.findall(heading.key)) <= MAX_LABEL_WORDS and _score(heading, references) < LABEL_SIMILARITY


def _best_match(candidates: list[_Heading], references: list[_Text]) -> tuple[float, _Heading] | None:
    """(score, heading) of the candidate most similar to a reference (ties: lower tier, then
    document order), when the score reaches ``MIN_SIMILARITY``."""
    best: tuple[float, _Heading] | None = None
    for candidate in candidates:
        score = _score(candidate.text, references)
        if score >= MIN_SIMILARITY and (best is None or (score, -candidate.tier) > (best[0], -best[1].tier)):
            best = (score, candidate)
    return best


def _parts(element: HtmlElement) -> list[tuple[str, HtmlElement]]:
    """(text, child) of the element's children that show text (a ``<link>``, an icon or an empty
    wrapper is none), or [] when the element has words of its own around them."""
    if WORD.search(element.text or ""):
        return []
    parts = []
    for child in element:
        if WORD.search(child.tail or ""):
            return []
        if isinstance(child.tag, str) and child.tag not in SKIPPED and (text := heading_text(child)):
            parts.append((text, child))
    return parts


def _cut(match: tuple[float, _Heading] | None, confirmed: list[_Text], shown: list[_Text]
         ) -> tuple[str, HtmlElement] | None:
    """The structured title the matched heading shows exactly (``_shows``; not a subtitle), else the
    heading's text without a date or "Section:" before the structured title it shows (``without_head``)."""
    if match is None:
        return None
    heading = match[1]
    if exact := _shows(heading, shown):
        return exact, heading.element
    return without_head(heading.text.text, {reference.key for reference in confirmed}), heading.element


def site_name_from_title(doc: Document, headline: str | None) -> str | None:
    """The part of ``<title>`` beside the headline: "Headline - The Ledger" -> "The Ledger"."""
    element = doc.tree.find(".//title")
    if element is None or not headline:
        return None
    title = element_text(element, sep="")
    headline_key = title_key(headline)
    parts = [part.strip() for part in SEPARATORS.split(title) if part.strip()]
    if len(parts) < 2:
        return None
    if title_key(parts[0]) == headline_key or title_key(title).startswith(headline_key):
        rest = parts[-1]
    elif title_key(parts[-1]) == headline_key:
        rest = parts[0]
    else:
        return None
    return rest if title_key(rest) != headline_key and len(rest) <= 80 else None

"""Detection signals tried and not (yet) in the product, for ``fit_detection --candidates``.

Each candidate is read from the page and the other fields exactly as ``detect.signals`` reads
its own, and means the same on every site (no word list, no site): ``fit_detection`` records
them beside the product's signals in its caches, and fits them only when asked, so a signal can
be measured on pages the weights never saw before anyone moves it into ``crawler.parsing.detect``.
docs/benchmarks.md ("Fifth pass") has what each did.

- ``in_navigation``: the site's navigation links this very page (a link without a fragment, to
  the page's host, path and query, inside a <nav> or <header> or an element whose class, id or
  role names a navigation or a menu; not in a breadcrumb, nor a heading). Sections, services and
  shop categories are entries of the menu every page of their site carries; stories are reached
  from listings.
- ``linked_to_itself``: any such link outside a breadcrumb or a heading, wherever it sits.
- ``person_author``: an author that is not the site itself (its name, or a label of its host):
  an organisation signing its own pages is no byline.
- ``short_headline``: a headline of at most three words (a brand, a section, a product name).
- ``headline_echo``: at least half of the headline's words come back in the body's first three
  paragraphs (an article's headline names what its first paragraphs are about).
- ``schema_without_article``: the page declares schema.org types (JSON-LD or microdata), none of
  them an article type.
- ``figure_caption``: a <figcaption> (editorial photos are captioned).
- ``dated_prose``: a block of prose paragraphs (``prose_block``) under a date shown by the
  headline (``byline_date``): the article's one text block with its dateline. Either alone is
  common elsewhere (a thread's posts are dated, a manual's chapter is prose); together they are
  the shape of a story.
- ``signed_dated_prose``: the same with a byline (``authors``) too.
- ``own_toc``: links to ``OWN_TOC`` or more of the page's own headings (``href="#id"``, the id on
  an h2-h4 or on the element around one): the "on this page" list of a manual's chapter or a
  guide.
- ``other_schema`` (session 11): the page declares a schema.org type of a thing that is not a piece
  of writing (a product, an offer, a service, a business, a course, an event, a job, a list of
  items, a FAQ, a question, a forum post), beside an article type or not: the vocabulary's
  meaning, no site's words.
- ``unpunctuated``: under ``PUNCTUATED_SHARE`` of the body's words stand in paragraphs that end
  a sentence (``.``, ``!``, ``?`` and their CJK and Arabic forms, a closing quote or bracket
  allowed after them): taglines, bullets, names and prices, not running prose.
- ``short_sentences``: the body's words per sentence end under ``SENTENCE_WORDS`` (with at least
  ``MIN_SENTENCES`` ends): fragments, not reported prose.
- ``repeated_share``: at least ``REPEATED_SHARE`` of the words the body reader read stand in
  alike siblings (one parent, one tag.class signature, ``LIST_MEMBERS`` or more with text), each
  holding two or more blocks (a card's headline and teaser, a post's header and text; a wrapper
  of one paragraph is not one).
- ``quoted_speech``: the body holds ``QUOTES`` or more spans in quotation marks (“…”, «…», „…“,
  "…", 「…」) of a few words each: news quotes people, in any language that marks quotes.
- ``question_headings``: ``QUESTION_HEADINGS`` or more h2/h3 headings end with a question mark
  (any script's): a FAQ.
- ``prose_block_8`` and ``long_prose_600``: ``layout``'s prose block graded up (``PROSE_BLOCK_MORE``
  paragraphs, ``LONG_PROSE_MORE`` words): a sales or programme page holds a few paragraphs, a
  story more.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.parsing import detect, selectors as sel
from crawler.parsing.body.blocks import Page, read_blocks
from crawler.parsing.document import Document
from crawler.parsing.jsonld import page_types
from crawler.parsing.layout import read_layout
from crawler.parsing.metadata import extract_site_name
from crawler.parsing.words import count_words

NAMES = (
    "in_navigation", "linked_to_itself", "person_author", "short_headline", "headline_echo", "schema_without_article", "figure_caption",
    "dated_prose", "signed_dated_prose", "own_toc",
    "other_schema", "unpunctuated", "short_sentences", "repeated_share", "quoted_speech", "question_headings",
    "prose_block_8", "long_prose_600",
)
# evidence for an article; the rest against
FOR_ARTICLE = frozenset(("person_author", "headline_echo", "figure_caption", "dated_prose", "signed_dated_prose", "quoted_speech", "prose_block_8", "long_prose_600"))
OWN_TOC = 3
_TOC_HEADINGS = frozenset(("h2", "h3", "h4"))
REPLACES = {"person_author": "authors"}  # fitted instead of the product's signal of that name
SHORT_HEADLINE_WORDS = 3
ECHO_SHARE = 0.5
ECHO_PARAGRAPHS = 3
_WORD = re.compile(r"\w+")
_NOT_NAME = re.compile(r"[\W_]+")
_HEADINGS = frozenset(("h1", "h2", "h3"))
# schema.org types of things that are not pieces of writing (their common subtypes included)
OTHER_TYPES = frozenset(
    t.lower()
    for t in (
        "Product", "ProductGroup", "Offer", "AggregateOffer", "Service", "LocalBusiness", "ProfessionalService", "Store",
        "Course", "Event", "JobPosting", "ItemList", "CollectionPage", "FAQPage", "QAPage", "Question",
        "DiscussionForumPosting", "SoftwareApplication", "RealEstateListing", "Place",
    )
)
PUNCTUATED_SHARE = 0.6
_SENTENCE_END = frozenset(".!?。！？…؟")
_CLOSERS = "\"'”’»)]）」』"
SENTENCE_WORDS = 12
MIN_SENTENCES = 3
_SENTENCE_ENDS = re.compile(r"[.!?…؟](?=[\s\"'”’»)\]]|$)|[。！？]")
REPEATED_SHARE = 0.5
LIST_MEMBERS = 3
QUOTES = 2
_QUOTED = re.compile(r"“[^”\n]{12,}”|«[^»\n]{12,}»|„[^“”\n]{12,}[“”]|\"[^\"\n]{12,}\"|「[^」\n]{4,}」")
QUESTION_HEADINGS = 3
PROSE_BLOCK_MORE = 8
LONG_PROSE_MORE = 600
_QUESTION_MARKS = ("?", "？", "؟")


def _self_links(doc: Document) -> list[etree._Element]:
    """Links to this very page (host, path and query; no fragment)."""
    parts = urlsplit(doc.url)
    path = parts.path.rstrip("/")
    found = []
    for link in doc.tree.iter("a"):
        href = link.get("href")
        if not href or "#" in href:
            continue
        try:
            target = urlsplit(urljoin(doc.url, href))
        except ValueError:
            continue
        if target.path.rstrip("/") == path and target.hostname == parts.hostname and target.query == parts.query:
            found.append(link)
    return found


def _place(link: etree._Element) -> str | None:
    """"navigation", "elsewhere", or None for a breadcrumb or a heading."""
    navigation = False
    for node in link.iterancestors():
        if node.tag in _HEADINGS:
            return None
        attributes = f"{node.get('class') or ''} {node.get('id') or ''} {node.get('role') or ''} {node.get('aria-label') or ''}".lower()
        if "crumb" in attributes:
            return None
        navigation = navigation or node.tag in ("nav", "header") or "nav" in attributes or "menu" in attributes
    return "navigation" if navigation else "elsewhere"


def _site_labels(doc: Document) -> list[str]:
    labels = [_NOT_NAME.sub("", label) for label in (urlsplit(doc.url).hostname or "").lower().split(".")[:-1] if label != "www"]
    site = _NOT_NAME.sub("", (extract_site_name(doc) or "").lower())
    return [label for label in (*labels, site) if len(label) >= 4]


def _is_site(author: str, labels: list[str]) -> bool:
    name = _NOT_NAME.sub("", author.lower())
    return len(name) >= 3 and any(name == label or (len(name) >= 5 and name in label) or (len(label) >= 5 and label in name) for label in labels)


def _stems(text: str) -> set[str]:
    return {word[:6] for word in _WORD.findall(text.lower()) if len(word) >= 4 and not word.isdigit()}


def _echo(evidence: detect.Evidence) -> bool:
    headline = _stems(evidence.title or "")
    if not headline:
        return False
    opening = _stems(" ".join((evidence.body or "").split("\n\n")[:ECHO_PARAGRAPHS]))
    return len(headline & opening) >= ECHO_SHARE * len(headline)


def _own_toc(doc: Document) -> bool:
    """Whether ``OWN_TOC`` links point at distinct headings of the page itself."""
    targets = {href[1:] for link in doc.tree.iter("a") if (href := link.get("href") or "").startswith("#") and len(href) > 1}
    if len(targets) < OWN_TOC:
        return False
    found = 0
    for element in doc.tree.iter():
        name = element.get("id") if isinstance(element.tag, str) else None
        if name in targets and (element.tag in _TOC_HEADINGS or any(child.tag in _TOC_HEADINGS for child in element)):
            found += 1
            if found >= OWN_TOC:
                return True
    return False


def _punctuated_share(body: str) -> float:
    """Share of the body's words in paragraphs that end a sentence."""
    total = ended = 0
    for paragraph in body.split("\n\n"):
        words = count_words(paragraph)
        total += words
        tail = paragraph.rstrip().rstrip(_CLOSERS)
        if tail and tail[-1] in _SENTENCE_END:
            ended += words
    return ended / total if total else 0.0


def _short_sentences(body: str, words: int) -> bool:
    ends = len(_SENTENCE_ENDS.findall(body))
    return ends >= MIN_SENTENCES and words / ends < SENTENCE_WORDS


def _repeated_share(page: Page) -> float:
    """Share of the blocks' words inside alike siblings of two or more blocks each."""
    words = [count_words(block.text) for block in page.blocks]
    count = len(page.parents)
    blocks, totals = [0] * count, [0] * count
    for block, found in zip(page.blocks, words):
        if block.path:
            blocks[block.path[-1]] += 1
            totals[block.path[-1]] += found
    for node in range(count - 1, 0, -1):
        if (parent := page.parents[node]) >= 0:
            blocks[parent] += blocks[node]
            totals[parent] += totals[node]
    groups: dict[tuple[int, str], list[int]] = {}
    for node, parent in enumerate(page.parents):
        if totals[node] and blocks[node] >= 2:
            groups.setdefault((parent, page.signatures[node]), []).append(node)
    repeated = [False] * count
    for members in groups.values():
        if len(members) >= LIST_MEMBERS:
            for node in members:
                repeated[node] = True
    inside = sum(found for block, found in zip(page.blocks, words) if any(repeated[node] for node in block.path))
    return inside / max(1, sum(words))


def _question_headings(doc: Document) -> bool:
    index = doc.index()
    found = sum(1 for heading in index.h2 + index.h3 if heading.text_content().rstrip().endswith(_QUESTION_MARKS))
    return found >= QUESTION_HEADINGS


def combined(found: dict[str, bool]) -> dict[str, bool]:
    """The candidates that join the product's signals (``detect.signals``' result)."""
    dated_prose = found["prose_block"] and found["byline_date"]
    return {"dated_prose": dated_prose, "signed_dated_prose": dated_prose and found["authors"]}


def signals(doc: Document, evidence: detect.Evidence) -> dict[str, bool]:
    """Every candidate read from the page, on or off (``combined`` adds the rest)."""
    places = [_place(link) for link in _self_links(doc)]
    labels = _site_labels(doc)
    types = page_types(doc) | detect.microdata_types(doc)
    body = evidence.body or ""
    page = evidence.blocks if evidence.blocks is not None else read_blocks(doc.tree)
    prose = read_layout(page)
    return {
        "own_toc": _own_toc(doc),
        "in_navigation": "navigation" in places,
        "linked_to_itself": any(places),
        "person_author": any(not _is_site(author, labels) for author in evidence.authors),
        "short_headline": count_words(evidence.title or "") <= SHORT_HEADLINE_WORDS,
        "headline_echo": _echo(evidence),
        "schema_without_article": bool(types) and not types & sel.ARTICLE_TYPES,
        "figure_caption": next(doc.tree.iter("figcaption"), None) is not None,
        "other_schema": bool(types & OTHER_TYPES),
        "unpunctuated": _punctuated_share(body) < PUNCTUATED_SHARE,
        "short_sentences": _short_sentences(body, evidence.words),
        "repeated_share": _repeated_share(page) >= REPEATED_SHARE,
        "quoted_speech": len(_QUOTED.findall(body)) >= QUOTES,
        "question_headings": _question_headings(doc),
        "prose_block_8": prose.prose_paragraphs >= PROSE_BLOCK_MORE,
        "long_prose_600": prose.prose_words >= LONG_PROSE_MORE,
    }

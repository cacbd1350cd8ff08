"""Is this page an article? And if not, why not.

Two stages. Hard rules first (home page, comment page, no title, no body, body too short, a
schema.org type naming something else, in JSON-LD or microdata, a body read from the page's
scripts on a page that does not declare itself an article). Then a score: the sum of the
weights of the signals the page shows (``WEIGHTS``), compared with ``THRESHOLD``; an article
scoring under ``THRESHOLD + UNCERTAIN_MARGIN`` is one by a small margin (``Verdict.uncertain``:
stored, flagged in ``articles.article_uncertain``). For an
article: editorial markup (JSON-LD article and author, og:type article with its published time,
an <article> element), a dated byline, a body that quotes people, an article-shaped URL or
headline, and its text written as one block of prose paragraphs (``crawler.parsing.layout``).
Against: a body of short blocks under many headings that speaks for a business ("we", "our"),
markup with hardly any <p> of running prose, a list of teaser cards outweighing the prose,
sibling blocks of one class each holding text (cards, posts, feature boxes), forms,
prices and carts, code blocks, teaser listings, threads (one <time> per post, many dates, many
linked poster profiles, reply controls), a page that is an entry of its own navigation menu (a
chapter in a docs sidebar), and documentation, forum, product and service URLs. The weights
come from a logistic regression on wcxb-dev (1,497 pages of 7 types), aeb-dev and fundus-dev
(real articles) and 3,000 generated pages of made-up sites (``bench.pagegen``, each weighed
0.05), refitted with ``python -m bench.quality.fit_detection``, which also gives the
cross-validated figures and the figures on sets left out of the fit; every signal is a generic
trait of its page type, none names a site. The word lists (headlines, "we", "said")
are English first (the fitting data), with the common French, German, Spanish, Italian and
Portuguese equivalents; elsewhere those signals stay off. Words are counted with
``crawler.parsing.words``, so Chinese, Japanese and Thai bodies are measured fairly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import SplitResult, parse_qsl, urljoin, urlsplit

from lxml import etree

from crawler.parsing import selectors as sel
from crawler.parsing.body.blocks import Page, read_blocks
from crawler.parsing.datetext import find_date
from crawler.parsing.document import Document
from crawler.parsing.jsonld import page_types
from crawler.parsing.layout import SIGNALS as LAYOUT_SIGNALS, layout_signals
from crawler.parsing.words import count_words

MIN_BODY_WORDS = 50  # below this a page is a stub, a form or a gallery photo, whatever its markup
MEDIUM_BODY_WORDS = 150
PROSE_MARKUP_WORDS = 25  # a <p> this long holds a sentence or more of running text
PROSE_MARKUP_PARAGRAPHS = 2  # fewer such <p> elements than this: the text is not written as paragraphs

_COMMENT_PAGE_PATH = re.compile(r"/comment-page-\d+/?$|/comments?/(?:page/)?\d+/?$", re.I)
_COMMENT_PAGE_QUERY = frozenset(("cpage", "comment-page", "comments_page", "commentpage", "replytocom"))
_EDITORIAL_PATH = re.compile(
    r"/(?:blogs?|news|nachrichten|noticias|actualites|article|articles|artikel|post|posts|stories|story|"
    r"insights|magazine|journal|columns?|opinion|features?|editorial|press)/",
    re.I,
)
_DATE_PATH = re.compile(r"/(?:19|20)\d\d/")
_DOCS_PATH = re.compile(r"/(?:docs?|documentation|reference|api|manual|wiki|kb|knowledge-?base|help|support|tutorials?)/", re.I)
_DOCS_HOST = ("docs.", "developer.", "developers.", "help.", "support.", "wiki.", "learn.")
_FORUM_PATH = re.compile(r"/(?:forums?|threads?|t|topics?|questions|q|discussions?|community|showthread|viewtopic)[/.]", re.I)
_PRODUCT_PATH = re.compile(r"/(?:products?|shop|store|p|dp|items?|collections|catalog|buy)/", re.I)
_SERVICE_PATH = re.compile(r"/(?:services?|solutions?|pricing|plans|contact|about|careers|features|platform|what-we-do)(?:/|$)", re.I)
_SLUG_SPLIT = re.compile(r"[-_+]|%20")
_PRICE = re.compile(r"[$€£¥₹]\s?\d|\d\s?(?:€|zł|руб)")
_CURRENCY_TOKENS = ("$", "€", "£", "¥", "₹", "zł", "руб")  # one of them in every _PRICE match
# Matched against the lower-cased text of links and buttons (lower-casing once is cheaper than re.I).
_CALL_TO_ACTION = re.compile(
    r"contact us|get started|get a (?:free )?quote|request a (?:demo|quote|consultation|call)|"
    r"book a (?:call|demo|consultation|meeting)|schedule a (?:call|demo|consultation)|free consultation|"
    r"talk to (?:an expert|us|sales|our)|let'?s talk|call (?:us )?now|start (?:your )?free trial|"
    r"get in touch|hire us|our services|our clients|case studies"
)
_FORUM_WORDS = re.compile(
    r"\b(?:joined|posts|replies|reply|quote|reputation|likes received|thread starter|original poster|upvote|downvote|permalink)\b"
)
# Outermost microdata items: the page's own entity, as a JSON-LD object is (nested items are parts of it).
_MICRODATA_ITEMS = etree.XPath("//*[@itemtype][not(ancestor::*[@itemscope])]/@itemtype", smart_strings=False)
_CONTROL_TEXTS = etree.XPath("//a//text() | //button//text()", smart_strings=False)
# The short texts in <body> holding "19" or "20". Written with the descendant axis and the cheaper
# test first: the same node-set as '//body//text()[string-length(.) < 60][contains(...)]' (no
# predicate asks a position), in three quarters of the time (libxml2 keeps //'s every node).
_YEAR_TEXTS = etree.XPath('//body/descendant::text()[contains(., "19") or contains(., "20")][string-length(.) < 60]')
# Headlines that promise an explanation or a list ("How to...", "What is...?", "10 best...").
_EDITORIAL_TITLE = re.compile(
    r"^(?:how|what|why|when|where|which|who|is|are|can|should|do|does|comment|pourquoi|quand|wie|"
    r"warum|was|wann|cómo|qué|por qué|cuándo|come|perché|como|porque)\b|\?|"
    r"\b(?:guide|tips|ways|reasons|best|top \d+|\d+ (?:best|ways|tips)|guía|consejos|conseils|"
    r"ratgeber|tipps|guida|consigli|dicas)\b",
    re.I,
)
# Headlines that sell a service ("Cybersecurity Consulting Services", "Gym Equipment Rental").
_SALES_TITLE = re.compile(
    r"\b(?:services?|consulting|consultants?|company|companies|agency|agencies|solutions|pricing|"
    r"rentals?|repair|contractors?|lawyers?|attorneys?|near me|hire|quote|servicios|empresa|agence|"
    r"dienstleistungen|agentur|preise|tarifs|precios)\b",
    re.I,
)
# Links to a poster's profile: forum and Q&A software link every post's author this way.
_PROFILE_LINK = re.compile(
    r"/(?:users?|members?|u|profiles?|community/profile)/[^/?#]+|member\.php|memberlist\.php\?mode=viewprofile|"
    r"[?&]action=profile|[?&]showuser=|profile\.php",
    re.I,
)
# The page speaking for a business ("we offer", "our team"): service and landing pages.
_FIRST_PERSON_PLURAL = re.compile(
    r"\b(?:we|our|ours|us|nous|notre|nos|wir|unser|unsere|unseren|unserem|unserer|nosotros|nuestro|nuestra|"
    r"nuestros|nuestras|noi|nostro|nostra|nostri|nostre|nós|nosso|nossa|nossos|nossas)\b",
    re.I,
)
# Reported speech: news quotes people ("said", "according to").
_REPORTED_SPEECH = re.compile(
    r"\b(?:said|says|told|according to|a déclaré|a dit|selon|sagte|sagt|laut|dijo|afirmó|según|ha detto|"
    r"secondo|disse|afirmou|segundo)\b",
    re.I,
)
# The two word patterns above, written in lower case, run on the lower-cased body without
# re.IGNORECASE: the same matches at about twice the speed, except on text holding a character
# IGNORECASE reads apart from its lower case for these letters ("ı" and "ſ" match "i" and "s";
# "İ" lowers to two characters), where the patterns above run as they are.
# The lower-case word pattern without its opening \b, its start checked after the match instead:
# a pattern that opens with an alternation of words lets the regex engine skip to the positions
# where one of their first letters stands, so the count runs in about 0.7x the time. The same
# count: every word starts with a letter (so \b before it is "no word character before it"), and
# none holds a non-word character, so a match inside a word never covers the start of a whole one.
_FIRST_PERSON_PLURAL_SCAN = re.compile(_FIRST_PERSON_PLURAL.pattern.removeprefix(r"\b"))
_WORD_CHARACTER = re.compile(r"\w")
_REPORTED_SPEECH_LOWER = re.compile(_REPORTED_SPEECH.pattern)
_CASE_EXCEPTIONS = ("\u0130", "\u0131", "\u017f")
_PUBLISHED_META = ("article:published_time", "og:article:published_time", "article:published")
_CART = re.compile(r"add to (?:cart|bag|basket)|buy now|in den warenkorb|ajouter au panier|añadir al carrito")

MIN_PRICES = 3
MIN_CODE_BLOCKS = 3
MIN_LINKED_HEADINGS = 6  # h2/h3 teasers wrapped in links: a listing
MIN_ARTICLE_ELEMENTS = 4  # several <article> elements: a listing of teasers
MANY_TIME_ELEMENTS = 5  # one <time> per post: a thread
MANY_DATES = 6  # distinct days written on the page: a thread or a listing
CALLS_TO_ACTION = 4  # "Get a quote", "Book a demo" in links and buttons: a sales page
FORUM_WORDS = 5  # "Reply", "Quote", "Joined" in links and buttons
PROFILE_LINKS = 5  # distinct poster profiles linked: a thread
SHORT_PARAGRAPH_WORDS = 15  # body paragraphs this short on average: a sales page of taglines and bullets
HEADINGS_PER_100_WORDS = 3  # a heading every 33 words: feature blocks, not an article
FIRST_PERSON_PER_100_WORDS = 1.0  # "we", "our", "us" this often: the page speaks for a business
MANY_INPUTS = 30  # form fields: a calculator, a shop, a sign-up or quote form
MENU_LINKS = 8  # a list of this many links that holds a link to the page itself: a navigation menu
REPEATED_BLOCKS = 3  # sibling blocks of one tag and class, each with text: cards, posts, feature boxes
REPEATED_BLOCK_CHARS = 200
_BLOCK_TAGS = frozenset(("div", "article", "section", "li"))

# Signal -> weight (log-odds), fitted by bench/quality/fit_detection.py on wcxb-dev, aeb-dev,
# fundus-dev and generated pages (seed 12, each weighed 0.05), rounded to 0.1; the threshold keeps
# recall 0.97 over the real articles (folded into BIAS). wcxb-dev 0.948 / 0.961, aeb-dev 121/121,
# fundus-dev 129/129; generated seeds 13 and 14, never fitted: precision 0.715 / 0.718 at recall
# 0.983 (0.674 / 0.669 with the weights before). docs/benchmarks.md has the commands.
WEIGHTS: dict[str, float] = {
    # editorial markup and a dated byline
    "jsonld_article": 0.8,
    "jsonld_person": 0.4,
    "og_article": 0.6,
    "published_meta": 0.3,
    "article_element": 0.6,
    "byline_date": 1.4,
    "authors": 0.5,
    "undated": -0.4,
    # the body
    "medium_body": 0.7,
    "reported_speech": 0.1,
    "short_paragraphs": -0.3,
    "dense_headings": -0.4,
    "first_person": -0.5,
    # the URL and the headline
    "slug_words_3": 0.6,
    "slug_words_5": 0.8,
    "editorial_url": 1.7,
    "date_url": 1.3,
    "editorial_title": 1.1,
    "docs_url": -2.4,
    "forum_url": -1.8,
    "product_url": -0.9,
    "service_url": -1.3,
    "shallow_url": -0.3,
    "sales_title": -0.2,
    # shops, documentation, listings, threads, sales pages
    "cart": -0.6,
    "prices": -0.7,
    "many_inputs": -0.6,
    "select": -0.4,
    "code": -1.4,
    "listing_markup": -0.4,
    "many_times": -0.3,
    "many_dates": -0.9,
    "profile_links": -1.4,
    "forum_words": -0.6,
    "calls_to_action": -0.4,
    "listed_in_menu": -0.9,
    "few_long_paragraphs": -0.6,
    "repeated_blocks": -0.3,
    # the layout (crawler.parsing.layout): one block of prose paragraphs, a list of teaser cards
    "prose_block": 0.6,
    "long_prose": 0.6,
    "card_list": -0.3,
}
BIAS = -0.6
THRESHOLD = 0.0
# An article whose score is under THRESHOLD + UNCERTAIN_MARGIN is stored flagged as uncertain
# (``Verdict.uncertain``, the ``article_uncertain`` column): held out by domain on wcxb-dev, that
# band holds about a third of the stored non-articles and one article in sixty; of the real
# newsroom articles of aeb-dev and fundus-dev, none with these weights and at most one of each
# set held out (docs/benchmarks.md, "Engineer detect, session 9").
UNCERTAIN_MARGIN = 0.5

# Which signal names the page type when the score says "not an article".
_REASONS = (
    ("forum_url", "forum page"),
    ("profile_links", "forum page"),
    ("forum_words", "forum page"),
    ("many_times", "forum page"),
    ("docs_url", "documentation page"),
    ("code", "documentation page"),
    ("cart", "product page"),
    ("product_url", "product page"),
    ("many_inputs", "product page"),
    ("listing_markup", "listing page"),
    ("card_list", "listing page"),
    ("service_url", "service page"),
    ("sales_title", "service page"),
    ("calls_to_action", "service page"),
    ("first_person", "service page"),
    ("short_paragraphs", "service page"),
    ("dense_headings", "service page"),
    ("shallow_url", "service page"),
    ("listed_in_menu", "documentation page"),  # a chapter in a sidebar, when nothing above names the type
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Detection's answer: ``reason`` is None for an article, else why the page is not one;
    ``uncertain`` marks an article whose score is within ``UNCERTAIN_MARGIN`` of the threshold."""

    reason: str | None
    uncertain: bool = False


@dataclass(slots=True)
class Evidence:
    """What the other extractors found, as detection needs it."""

    body: str | None
    title: str | None
    published_at: str | None
    authors: list[str]
    byline_date: bool = False  # a date shown in the lines around the headline
    body_from_scripts: bool = False  # the body was read from the page's scripts (its markup shows no prose)
    blocks: Page | None = None  # the text blocks the body reader read (``Body.blocks``); read again when missing
    words: int = field(init=False)  # count_words of the body, counted once for every rule that asks

    def __post_init__(self) -> None:
        self.words = count_words(self.body) if self.body else 0


def microdata_types(doc: Document) -> set[str]:
    """The types of the page's outermost microdata items, lower case, without the schema.org
    prefix (``itemtype="https://schema.org/DiscussionForumPosting"`` -> ``discussionforumposting``).
    The tree is searched only when the page has itemprops (an item without any is empty): the
    search costs about a millisecond on a page of a few thousand elements."""
    types: set[str] = set()
    if not doc.index().itemprops:
        return types
    for value in _MICRODATA_ITEMS(doc.tree):
        for url in value.split():
            types.add(url.rstrip("/").rsplit("/", 1)[-1].lower())
    return types


def _slug_words(path: str) -> int:
    segments = [segment for segment in path.split("/") if segment]
    if not segments:
        return 0
    last = segments[-1].rsplit(".", 1)[0]
    return sum(1 for word in _SLUG_SPLIT.split(last) if word and not word.isdigit())


def _prose_markup(doc: Document, enough: int) -> int:
    """<p> elements of the page holding running text (``PROSE_MARKUP_WORDS``), counting up to
    ``enough``. Articles are written in <p> paragraphs; forum posts sit in <div>s split by <br>,
    listings hold short teasers, documentation and sales pages short blocks, lists and code.
    25 words, not 40: news paragraphs are often one sentence (40 words flagged a fifth of the
    aeb-dev news articles, 25 flags 9 of 121, and separates wcxb-dev's page types as well).
    It reads the markup, not the extracted body, which may join a post's lines into paragraphs
    (a signal counting the body's long paragraphs got no weight once this one was in)."""
    count = 0
    for paragraph in doc.tree.iter("p"):
        if count_words(paragraph.text_content()) >= PROSE_MARKUP_WORDS:
            count += 1
            if count >= enough:
                break
    return count


def _repeated_blocks(doc: Document) -> bool:
    """Whether ``REPEATED_BLOCKS`` sibling blocks (div, article, section, li) share a tag and a
    class and each hold ``REPEATED_BLOCK_CHARS`` characters of text: the cards of a listing, the
    posts of a thread, the feature boxes of a sales page. An article is one block of prose (its
    paragraphs are <p>, not blocks). Read from the index's elements that carry a class."""
    groups: dict[tuple[object, str, str], list[etree._Element]] = {}
    for element, _ in doc.index().marked:
        if element.tag in _BLOCK_TAGS and (classes := element.get("class")):
            groups.setdefault((element.getparent(), element.tag, classes), []).append(element)
    for members in groups.values():
        if len(members) >= REPEATED_BLOCKS and sum(1 for m in members if _has_text(m, REPEATED_BLOCK_CHARS)) >= REPEATED_BLOCKS:
            return True
    return False


def _has_text(element: etree._Element, chars: int) -> bool:
    """Whether the element holds at least ``chars`` characters of text (read only that far)."""
    seen = 0
    for text in element.itertext():
        seen += len(text)
        if seen >= chars:
            return True
    return False


def _linked_headings(doc: Document) -> int:
    index = doc.index()
    count = 0
    for heading in index.h2 + index.h3:
        parent = heading.getparent()
        if (parent is not None and parent.tag == "a") or heading.find("a") is not None:
            count += 1
    return count


def _distinct_dates(doc: Document, enough: int) -> int:
    """Distinct days written in short texts of the page, counting up to ``enough``."""
    days: set[str] = set()
    for text in _YEAR_TEXTS(doc.tree):
        if found := find_date(text):
            days.add(found.value[:10])
            if len(days) >= enough:
                break
    return len(days)


def _link_signals(doc: Document) -> tuple[int, bool]:
    """One pass over the page's links (each pass costs about half a millisecond on a large page):

    - distinct poster profile pages linked (query ignored), counted up to ``PROFILE_LINKS``;
    - whether a list of at least ``MENU_LINKS`` links holds a link to this very page (without a
      fragment: a table of contents links into the page, not to it). Documentation sidebars,
      service menus and section lists show the current page among its siblings; an article is
      reached from such lists but is not one of their entries. Only hrefs that contain the
      page's last path segment are resolved.
    """
    parts = urlsplit(doc.url)
    path = parts.path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    profiles: set[str] = set()
    listed = False
    for link in doc.tree.iter("a"):
        href = link.get("href")
        if not href:
            continue
        lowered = href.lower()  # every profile pattern names a user, a member, a profile or /u/
        if len(profiles) < PROFILE_LINKS and ("user" in lowered or "member" in lowered or "profile" in lowered or "/u/" in lowered):
            if _PROFILE_LINK.search(href):
                profiles.add(href.split("#", 1)[0].split("?", 1)[0].rstrip("/") or href)
        if not listed and last and last in href and "#" not in href:
            listed = _links_to_page_in_menu(link, href, doc.url, parts, path)
    return len(profiles), listed


def _links_to_page_in_menu(link: etree._Element, href: str, url: str, parts: SplitResult, path: str) -> bool:
    try:
        target = urlsplit(urljoin(url, href))
    except ValueError:
        return False
    if target.path.rstrip("/") != path or target.hostname != parts.hostname or target.query != parts.query:
        return False
    item = link.getparent()
    for _ in range(2):  # <li><a>, <li><span><a>, <li><div><span><a>
        if item is None or item.tag == "li":
            break
        item = item.getparent()
    menu = item.getparent() if item is not None and item.tag == "li" else None
    return menu is not None and menu.tag in ("ul", "ol") and sum(1 for _ in menu.iter("a")) >= MENU_LINKS


def _short_paragraphs(body: str, words: int) -> bool:
    paragraphs = [paragraph for paragraph in body.split("\n\n") if paragraph.strip()]
    return bool(paragraphs) and words / len(paragraphs) < SHORT_PARAGRAPH_WORDS


def count_prices(text: str, enough: int) -> int:
    """``_PRICE``'s matches in ``text``, counted up to ``enough``. Every match holds exactly one
    currency token (``_CURRENCY_TOKENS``) and lies within two characters of it, so the pattern runs
    only on the windows around the tokens, merged where they overlap. Matches never cross from one
    window into another, and the pattern has no anchors or lookarounds, so each window holds the
    matches a scan of the whole text finds there: the same count, without trying the pattern at
    every character of a page's scripts."""
    windows = sorted(
        (max(at - 2, 0), at + len(token) + 2) for token in _CURRENCY_TOKENS for at in _occurrences(text, token)
    )
    merged: list[list[int]] = []
    for start, end in windows:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    found = 0
    for start, end in merged:
        for _ in _PRICE.finditer(text, start, end):
            found += 1
            if found >= enough:
                return found
    return found


def _occurrences(text: str, token: str) -> Iterator[int]:
    at = text.find(token)
    while at >= 0:
        yield at
        at = text.find(token, at + 1)


def _control_texts(doc: Document) -> str:
    """The text of every link and button, joined and lower-cased: where calls to action, carts
    and forum controls sit."""
    return " | ".join(_CONTROL_TEXTS(doc.tree)).lower()


def _speech_words(body: str) -> tuple[int, bool]:
    """(first-person plural words, whether reported speech is there) in the body."""
    if any(character in body for character in _CASE_EXCEPTIONS):
        return len(_FIRST_PERSON_PLURAL.findall(body)), _REPORTED_SPEECH.search(body) is not None
    lowered = body.lower()
    return _whole_words(_FIRST_PERSON_PLURAL_SCAN, lowered), _REPORTED_SPEECH_LOWER.search(lowered) is not None


def _whole_words(pattern: re.Pattern[str], text: str) -> int:
    """Matches of ``pattern`` (words without the opening \b) that start a word."""
    return sum(1 for match in pattern.finditer(text) if not (start := match.start()) or not _WORD_CHARACTER.match(text, start - 1))


def _cheap_signals(doc: Document, evidence: Evidence) -> dict[str, bool]:
    """Signals read from the URL, the metadata, the index and the other fields."""
    parts = urlsplit(doc.url)
    path = parts.path or "/"
    host = (parts.hostname or "").lower()
    slug_words = _slug_words(path)
    body = evidence.body or ""
    words = evidence.words
    index = doc.index()
    counts = index.counts
    og_type = (doc.meta_first("og:type") or "").lower()
    types = page_types(doc)
    first_person, reported_speech = _speech_words(body)
    return {
        "jsonld_article": bool(types & sel.ARTICLE_TYPES),
        "jsonld_person": "person" in types,
        "og_article": og_type == "article",
        "published_meta": doc.meta_first(*_PUBLISHED_META) is not None,
        "article_element": counts.get("article", 0) >= 1,
        "undated": not evidence.published_at and not evidence.byline_date,
        "byline_date": evidence.byline_date,
        "authors": bool(evidence.authors),
        "medium_body": words >= MEDIUM_BODY_WORDS,
        "short_paragraphs": _short_paragraphs(body, words),
        "dense_headings": len(index.h2) + len(index.h3) >= HEADINGS_PER_100_WORDS * max(words, 1) / 100,
        "first_person": first_person >= FIRST_PERSON_PER_100_WORDS * max(words, 1) / 100,
        "reported_speech": reported_speech,
        "many_inputs": counts.get("input", 0) >= MANY_INPUTS,
        "select": counts.get("select", 0) >= 1,
        "slug_words_3": slug_words >= 3,
        "slug_words_5": slug_words >= 5,
        "editorial_url": bool(_EDITORIAL_PATH.search(path)),
        "date_url": bool(_DATE_PATH.search(path)),
        "editorial_title": bool(_EDITORIAL_TITLE.search(evidence.title or "")),
        "sales_title": bool(_SALES_TITLE.search(evidence.title or "")),
        "docs_url": bool(_DOCS_PATH.search(path)) or host.startswith(_DOCS_HOST),
        "forum_url": bool(_FORUM_PATH.search(path)) or host.startswith(("forum.", "forums.", "community.")),
        "product_url": bool(_PRODUCT_PATH.search(path)) or "product" in og_type,
        "service_url": bool(_SERVICE_PATH.search(path)),
        "shallow_url": path.strip("/").count("/") == 0 and slug_words < 3,
        "code": counts.get("pre", 0) >= MIN_CODE_BLOCKS,
        "many_times": len(index.times) >= MANY_TIME_ELEMENTS,
        "listing_markup": _linked_headings(doc) >= MIN_LINKED_HEADINGS or counts.get("article", 0) >= MIN_ARTICLE_ELEMENTS,
    }


def _paragraph_signals(doc: Document, evidence: Evidence) -> dict[str, bool]:
    return {"few_long_paragraphs": _prose_markup(doc, PROSE_MARKUP_PARAGRAPHS) < PROSE_MARKUP_PARAGRAPHS}


def _layout_signals(doc: Document, evidence: Evidence) -> dict[str, bool]:
    """The page's layout (``crawler.parsing.layout``), from the body reader's blocks."""
    return layout_signals(evidence.blocks if evidence.blocks is not None else read_blocks(doc.tree))


def _control_signals(doc: Document, evidence: Evidence) -> dict[str, bool]:
    controls = _control_texts(doc)
    return {
        "cart": bool(_CART.search(controls)),
        "calls_to_action": len(_CALL_TO_ACTION.findall(controls)) >= CALLS_TO_ACTION,
        "forum_words": len(_FORUM_WORDS.findall(controls)) >= FORUM_WORDS,
    }


def _link_list_signals(doc: Document, evidence: Evidence) -> dict[str, bool]:
    profiles, listed = _link_signals(doc)
    return {"profile_links": profiles >= PROFILE_LINKS, "listed_in_menu": listed}


def _block_signals(doc: Document, evidence: Evidence) -> dict[str, bool]:
    return {"repeated_blocks": _repeated_blocks(doc)}


def _price_signals(doc: Document, evidence: Evidence) -> dict[str, bool]:
    return {"prices": count_prices(doc.tree.text_content(), MIN_PRICES) >= MIN_PRICES}


def _date_signals(doc: Document, evidence: Evidence) -> dict[str, bool]:
    return {"many_dates": _distinct_dates(doc, MANY_DATES) >= MANY_DATES}


# The costly stages with the names each gives, in the order of the weight they can take off per
# millisecond they cost (bench.quality.profile): detect_article stops as soon as the stages left
# could not pull the score under the threshold, all of them against the page. An article page
# usually stops after the first few; a page that is not one runs them all.
_COSTLY_STAGES = (
    (_layout_signals, LAYOUT_SIGNALS),  # reads the blocks the body reader already has
    (_paragraph_signals, ("few_long_paragraphs",)),
    (_control_signals, ("cart", "calls_to_action", "forum_words")),
    (_link_list_signals, ("profile_links", "listed_in_menu")),
    (_price_signals, ("prices",)),
    (_block_signals, ("repeated_blocks",)),
    (_date_signals, ("many_dates",)),
)
_COSTLY = tuple(name for _, names in _COSTLY_STAGES for name in names)


def _worst(names: tuple[str, ...]) -> float:
    """The most these signals can take off the score: all of them against the page."""
    return sum(min(WEIGHTS[name], 0.0) for name in names)


# Before each costly stage, the most the stages from it on can take off (``_worst`` of each, summed
# as detect_article summed them on every page before).
_WORST_LEFT = tuple(sum(_worst(names) for _, names in _COSTLY_STAGES[n:]) for n in range(len(_COSTLY_STAGES)))


def _costly_signals(doc: Document, evidence: Evidence) -> dict[str, bool]:
    """Every costly signal, all stages."""
    found: dict[str, bool] = {}
    for stage, _ in _COSTLY_STAGES:
        found |= stage(doc, evidence)
    return found


def signals(doc: Document, evidence: Evidence) -> dict[str, bool]:
    """Every signal ``WEIGHTS`` knows, on or off for this page."""
    return _cheap_signals(doc, evidence) | _costly_signals(doc, evidence)


def score(found: dict[str, bool]) -> float:
    """The sum of the weights of the signals on, plus ``BIAS``; rounded, so that tenths add up
    exactly (0.1 + 0.2 is 0.30000000000000004 in floating point)."""
    return round(BIAS + sum(WEIGHTS[name] for name, on in found.items() if on), 6)


def _editorial_markup(doc: Document, types: set[str]) -> bool:
    """Whether the page declares itself an article: a schema.org article type, og:type article
    or a published time in its meta tags."""
    return bool(types & sel.ARTICLE_TYPES) or (doc.meta_first("og:type") or "").lower() == "article" or doc.meta_first(*_PUBLISHED_META) is not None


def hard_reason(doc: Document, evidence: Evidence) -> str | None:
    parts = urlsplit(doc.url)
    if parts.path in ("", "/") and not parts.query:
        return "home page"
    if _COMMENT_PAGE_PATH.search(parts.path) or any(key.lower() in _COMMENT_PAGE_QUERY for key, _ in parse_qsl(parts.query)):
        return "comment page"
    types = page_types(doc) | microdata_types(doc)
    if not types & sel.ARTICLE_TYPES:
        for kind, reason in sel.NOT_ARTICLE_TYPES.items():
            if kind in types:
                return reason
    if not evidence.body:
        return "no body text"
    if not evidence.title:
        return "no title"
    if evidence.body_from_scripts and not _editorial_markup(doc, types):
        return "script-built page without article markup"
    words = evidence.words
    if words < MIN_BODY_WORDS:
        return f"body too short ({words} words)"
    return None


def detect_article(doc: Document, evidence: Evidence) -> Verdict:
    """The verdict: an article (reason None; uncertain when its score is under ``THRESHOLD`` +
    ``UNCERTAIN_MARGIN``), else the reason it is not.

    Order: a home page URL is not an article, nor a comment page of one (``comment-page-2``,
    ``?cpage=2``: the same article again under another URL); a schema.org type naming something
    else (Product, CollectionPage, QAPage, DiscussionForumPosting, ...) without an article type,
    in JSON-LD or as an outermost microdata item; no body; no title; a body read from the page's
    scripts (the markup is a loading shell) on a page without article markup; a body under
    ``MIN_BODY_WORDS``; then the signal score below ``THRESHOLD``, reported with
    the page type its strongest negative signal names.
    """
    reason = hard_reason(doc, evidence)
    if reason:
        return Verdict(reason)
    found = _cheap_signals(doc, evidence)
    sure = THRESHOLD + UNCERTAIN_MARGIN
    for (stage, _), worst_left in zip(_COSTLY_STAGES, _WORST_LEFT):
        if score(found) + worst_left >= sure:
            return Verdict(None)  # a sure article whatever the stages left say: skip them
        found |= stage(doc, evidence)
    value = score(found)
    if value >= THRESHOLD:
        return Verdict(None, uncertain=value < sure)
    return Verdict(_reason(found, value))


def _reason(found: dict[str, bool], value: float) -> str:
    """The page type the first signal of ``_REASONS`` that is on names, else the score."""
    for name, label in _REASONS:
        if found[name]:
            return label
    return f"not article-like (score {value:.1f})"

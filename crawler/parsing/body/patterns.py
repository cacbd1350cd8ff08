"""Named tag sets, attribute patterns and tuning constants of the body extractor.

Nothing here is about one site: the words are the ones page templates use everywhere for
their furniture (share bars, related lists, comment sections, cookie banners, ...).
"""

from __future__ import annotations

import re

from crawler.parsing.words import is_latin1

# --- tags -------------------------------------------------------------------------------------
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big br cite code data del dfn em font i img ins kbd label mark nobr picture q rp rt ruby"
    " s samp small source span strike strong sub sup time tt u var wbr".split()
)
# Block-level elements. Any other element (custom ones like <hl-citation> included) is read as
# inline, as browsers lay out unknown elements, unless it holds one of these; so is a <span>
# (layouts wrap whole pages in one), while an <a> stays inline (a card link is a link).
BLOCK_TAGS = frozenset(
    "html body main article section nav aside header footer div p h1 h2 h3 h4 h5 h6 ul ol li dl dt dd table"
    " thead tbody tfoot tr td th caption colgroup blockquote pre figure figcaption form fieldset legend address hr"
    " details summary center menu dialog button select".split()
)
# Elements whose text is one block (a paragraph) unless they hold block-level elements themselves.
LEAF_BLOCK_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li blockquote pre dd dt td th address caption summary".split())
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
SIGNUP_FIELD_TYPES = frozenset(("email", "tel"))  # <input type=...> of a newsletter or alert sign-up box
# Never text a reader sees.
DROP_TAGS = frozenset(
    "script style noscript template svg math iframe object embed canvas video audio input option optgroup datalist"
    " textarea head title meta link map area".split()
)
# Furniture by its tag. Only a flag, never a cut: broken HTML can leave a whole page inside one.
FURNITURE_TAGS = frozenset("nav aside footer header figure figcaption form menu dialog button select".split())
NEVER_FLAGGED_TAGS = frozenset(("html", "body", "main"))
# Streamed server rendering: <div hidden id="S:x"> segments fill <template id="B:x"|"P:x"> placeholders.
SEGMENT_PREFIX = "S:"
PLACEHOLDER_PREFIXES = ("B:", "P:")
FALLBACK_END = "/$"  # the comment closing a boundary's loading fallback


class Flag:
    """What a container's markup says about it (the text-based rules in region.py may lift WEAK and HIDDEN).

    Plain ints on a namespace, not an ``IntEnum``: on Python 3.11 reading an enum member off its
    class (``Flag.NONE``) costs about 0.25 us, a plain class attribute under 0.06 us, and the body
    walk reads several for every element of the page."""

    NONE = 0
    WEAK = 1  # furniture words in class/id, or a furniture tag
    STRONG = 2  # comments and consent banners: no content marker lifts this
    HIDDEN = 3  # not shown to readers (hidden attribute, display:none, a hiding class)
    NAVIGATION = 4  # navigation words in class/id: furniture only when its text is mostly links


# --- class / id words ---------------------------------------------------------------------------
# Attributes are lower-cased, camelCase split and "_" read as "-" before matching.
# Classes describing the post rather than a part of the page ("has-comments", "tag-news", "category-x").
DESCRIPTIVE_CLASS = re.compile(
    r"(?<![\w-])(?:has|tag|category|author(?!-(?:bio|box|info|text|card|details|wrap|avatar|meta|name|description)\b)"
    r"|format|type|status|post-type|postid|single|page-template)-\S*"
)
CAMEL_CASE = re.compile(r"([a-z])([A-Z])")
STRONG_ATTR = re.compile(r"(?<![a-z0-9])(?:comments?|disqus|respond|cookies?|consent|gdpr)(?![a-z0-9])")
FURNITURE_ATTR = re.compile(
    r"(?<![a-z0-9])(?:share|sharing|sharebar|sharethis|social|socials|related|recommend\w*|newsletter\w*|subscri\w*"
    r"|signup|outbrain|taboola|sponsored|popular|most-read|mostread|read-more"
    r"|readmore|also-read|see-also|more-stories|author|about-author|byline|advert\w*|ads?|adslot|sidebar"
    r"|popup|cta"
    r"|footer|masthead|print-only|caption|credits?|meta)(?![a-z0-9])"
)
NAVIGATION_ATTR = re.compile(
    r"(?<![a-z0-9])(?:nav|navbar|navigation|menu|breadcrumbs?|pagination|pager|toolbar|tags|tag-list|skip-link)(?![a-z0-9])"
)
# Markers of the article's own text: a container so marked (and its ancestors) is never furniture.
CONTENT_ATTR = re.compile(
    r"article-?(?:body|content|text)|(?:entry|post|story|news|blog)-?(?:body|content|text)|rich-?text|body-?text"
    r"|name-?-?body|articlebody|main-?story|story-?wrapper"
)
HIDDEN_CLASS = re.compile(
    r"(?<![\w-])(?:hidden|is-hidden|d-none|visually-hidden|sr-only|screen-reader-text|invisible)(?![\w-])"
)
# A literal every match of the pattern above it holds (each alternative spelled out holds one): a
# class or id string holding none of a pattern's keys cannot match it, so the search is skipped.
CONTENT_KEYS = ("body", "content", "text", "story")
STRONG_KEYS = ("comment", "disqus", "respond", "cookie", "consent", "gdpr")
HIDDEN_KEYS = ("hidden", "d-none", "sr-only", "screen-reader-text", "invisible")
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# A hidden element so marked (or inside one) is a collapsed panel the reader opens: not hidden.
FOLDED_ATTR = re.compile(r"accordion|collaps(?:e|ible)|expandable")

# --- text -----------------------------------------------------------------------------------------
INLINE_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
# The characters str.split() and str.strip() take for whitespace that INLINE_SPACE leaves alone,
# among the first 256 code points (``one_line``).
_LATIN1_OTHER_SPACE = re.compile(r"[\n\x1c-\x1f\x85]")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
NUMBERS = re.compile(r"\d+")  # numbered classes of alike siblings ("item-1", "article_2") read alike
SENTENCE_END = re.compile(r"[.!?:;\"”’»)…。！？]$")

# --- tuning (set on aeb-dev and wcxb-dev; see bench/quality) ----------------------------------------
PROSE_MIN_CHARS = 80  # a block this long (or a shorter finished sentence) reads as prose
SENTENCE_MIN_CHARS = 30
LINK_HEAVY = 0.5  # link characters / all characters above which a block is navigation ...
WHOLE_LINK = 0.9  # ... unless a long finished sentence below this share (prose citing its sources)
SHORT_WEIGHT = 0.3  # short non-sentences (labels, dates) count against a region at this weight
FLAGGED_WEIGHT = 0.1  # flagged blocks never reach the output; in the region choice they weigh lightly
CONTENT_BONUS = 0.5  # a marked content container gets this share of its readable characters on top
MAJORITY = 0.5  # a WEAK container holding this share of the page's prose is not furniture
HIDDEN_MAJORITY = 0.7  # a HIDDEN one must hold this share (streamed HTML parks the page in a hidden div)
WRAPPER_SHARE = 0.8  # a child holding this share of a content container's text is content too ...
WRAPPER_MIN_PROSE = 0.2  # ... when that container holds this share of the page's prose (not an image's caption box)
LISTING_MIN_ITEMS = 3  # teaser lists: at least this many alike siblings ...
LISTING_LINKED_SHARE = 0.6  # ... most of them with a headline link ...
LISTING_ITEM_CHARS = 500  # ... short (headline, a line or two, a date) ...
LISTING_SPREAD = 4  # ... and alike in size: the largest at most this many times the median
SIGNUP_BOX_MAX_CHARS = 500  # an email or phone field's surroundings up to this much text (spaces aside) are a sign-up box
IMAGE_BOX_MAX_CHARS = 300  # an image's surroundings up to this much text (spaces aside) are its caption box ...
IMAGE_BOX_NOT_IN = (*sorted(HEADING_TAGS), "blockquote")  # ... unless they hold one of these (a card, a quote)


def one_line(text: str) -> str:
    """``text`` with each run of INLINE_SPACE made one space, then stripped. Text of Latin-1
    characters alone without a line break or another of str.split()'s spaces (most blocks of the
    West's pages) is joined from its words, which costs a third less than the substitution: there
    the two see the same spaces (tab, CR, form feed, vertical tab, space, no-break space; U+200B
    lies above Latin-1)."""
    if is_latin1(text) and _LATIN1_OTHER_SPACE.search(text) is None:
        return " ".join(text.split())
    return INLINE_SPACE.sub(" ", text).strip()

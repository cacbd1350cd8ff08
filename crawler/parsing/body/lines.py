"""Paragraph rules: what the region still holds that is not the article's own text.

Applied to the candidate paragraphs in order; each rule is about the text alone, in many
languages, and never about one site:
- furniture phrases standing alone ("No time to read?", "Get a summary", "Previous Article",
  "Advertisement", "Share this article", "Article précédent", ...), and the short neighbour
  headline that follows a previous/next label;
- datelines (a short paragraph holding a <time>, or only a date), bylines ("By Jane Doe",
  "Par ..."), image captions with a credit ("... (Image: GETTY)");
- a repeat of the page's headline; at the end, a note opening with an author's name (drop_author_notes);
- a heading that opens a furniture section ("About the author", "Latest news", "Related
  articles", "Comments", ...) and, for an <h2>-<h6> whose container is a small part of the text,
  that section: the rest of the container, up to the next other heading.
Repeated paragraphs are kept: tables and recipes repeat lines on purpose. Only a whole
container of long text read a second time (a responsive layout's other copy) goes, in drop_copies.
"""

from __future__ import annotations

import re

from crawler.parsing.body.blocks import Block
from crawler.parsing.body.patterns import HEADING_TAGS

FURNITURE_PHRASE = re.compile(
    r"^[\W_]*(?:"
    r"no time to read\??|get (?:a|the) summary|summary|listen to (?:this )?article|listen|print|email|share"
    r"|share (?:this|the) (?:article|story|post)|share on \w+|tweet|advertisement|advertising|sponsored|ad"
    r"|story continues below(?: advertisement)?|continue reading(?: below)?|scroll to continue(?: with content)?"
    r"|read more|read also|see also|also read|related(?: articles?| stories| posts| content)?|more stories"
    r"|most (?:read|popular|viewed)|trending(?: now)?|recommended(?: for you)?|you (?:may|might) also like"
    r"|subscribe(?: now| to (?:our|the) newsletter)?|sign up(?: for (?:our|the) newsletter)?|newsletter"
    r"|previous (?:article|post|story)|next (?:article|post|story)|previous|next|back to top|comments?|leave a comment"
    r"|article précédent|article suivant|à lire aussi|lire aussi|publicité|partager"
    r"|vorheriger artikel|nächster artikel|lesen sie auch|mehr zum thema|anzeige|werbung|teilen"
    r"|advert|this slideshow requires javascript|tell us what you think|don'?t miss|click to (?:enlarge|expand)"
    r"|(?:image|photo|picture|slide) \d+ of(?: /)?(?: \d+)?|caption|close|explore further|like this|more"
    r"|was this (?:page |article )?helpful\??|did you find this (?:page |article )?helpful\??|estimated reading time:?"
    r"|\d+\s*(?:min|mins|minutes?)(?: read| reading time)?|reading time:? \d+\s*(?:min|mins|minutes?)"
    r"|(?:tempo de leitura|tiempo de lectura|temps de lecture|lesezeit|tempo di lettura):? \d+\s*\w+|text size|font size"
    r"|the post .{1,200} appeared first on .{1,100}"
    r"|(?:(?:table of )?contents|in this article|on this page|jump to)(?:\W*(?:hide|show))*"
    r"|(?:written|edited|reviewed|fact[- ]checked|medically reviewed) by|published|posted on|updated|(?:show|hide) caption"
    r"|(?:like )?loading(?:\W+\w+){0,6}\W*(?:\.\.\.|…)|related (?:topics|reads)|click on a star to rate it|how useful was this (?:post|article)\??"
    r"|average rating:? [\d.]+ ?/ ?\d+\.? vote count:? \d+|oops!? something went wrong.{0,60}"
    r"|noticia anterior|noticia siguiente|artículo anterior|artículo siguiente|lee también|publicidad|compartir"
    r"|articolo precedente|articolo successivo|leggi anche|pubblicità|condividi"
    r"|предыдущая статья|следующая статья|читайте также|реклама|поделиться"
    r")[\W_]*$",
    re.I,
)
NEIGHBOUR_LABEL = re.compile(
    r"^[\W_]*(?:previous|next|article précédent|article suivant|vorheriger artikel|nächster artikel|noticia anterior"
    r"|noticia siguiente|artículo anterior|artículo siguiente|articolo precedente|articolo successivo"
    r"|предыдущая статья|следующая статья)(?: (?:article|post|story))?[\W_]*$",
    re.I,
)
# Headings that open a section of furniture: the section (the rest of the heading's container, up
# to the next other heading) goes with them.
SECTION_HEADING = re.compile(
    r"^[\W_]*(?:about (?:the )?(?:author|authors|reviewer|writer)s?|(?:more )?related(?: articles?| posts?| stories| news"
    r"| content| coverage| reading)?|latest(?: news| posts| articles| stories)?|recent(?: posts| articles| news| stories)"
    r"|more (?:from|stories|news|articles|on|in|like this)\b.*|also in the news|also read|read (?:more|next|also)"
    r"|you (?:may|might) also (?:like|enjoy)|recommended(?: for you| reading| stories)?|popular(?: posts| articles| stories"
    r"| now)?|most (?:read|popular|viewed|shared)|trending(?: now| stories)?|top stories|editor'?s picks|further reading"
    r"|comments?|\d+ comments?|leave a (?:comment|reply)|join the (?:conversation|discussion)|share(?: this)?(?: article"
    r"| post| story)?|tags|topics"
    r"|mehr zum thema|das könnte sie auch interessieren|weitere artikel|ähnliche artikel|kommentare|über den autor"
    r"|à lire aussi|sur le même sujet|articles similaires|commentaires|à propos de l'auteur|les plus lus"
    r"|te puede interesar|noticias relacionadas|más leídas|comentarios|sobre el autor"
    r"|leggi anche|articoli correlati|commenti|читайте также|похожие статьи|комментарии)[\W_]*$",
    re.I,
)
SECTION_HEADING_MAX_CHARS = 60
SECTION_SHARE = 0.4  # a furniture section is at most this share of the candidate text
# Image captions that carry a credit: "... (Image: GETTY)", "Photo: Reuters", "Credit: ...".
CAPTION_CREDIT = re.compile(
    r"\((?:image|photo|picture|pic|illustration|credit|source|foto|bild|crédit)s?(?: credit)?\s*:[^)]*\)\W*$"
    r"|^(?:image|photo|picture|illustration|foto|bild)s?(?: credit)?\s*:\s*\S",
    re.I,
)
CAPTION_MAX_CHARS = 300
# A paragraph that is a date and nothing else ("October 12, 2017", "12/10/2017 14:03").
DATE_WORDS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august"
    r"|september|october|november|december|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|am|pm|at|updated|published|posted|on|gmt|utc|[a-z]{3}t|[a-z]{2}t)\b",
    re.I,
)
DATE_MAX_CHARS = 60
DATE_SHAPE = re.compile(
    r"\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}:\d{2}|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d"
    r"|\d{1,2}\.? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.I,
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
BYLINE = re.compile(r"^(?:by|par|von|por|door|di|av|af|przez|от|автор:?)\s+\w", re.I)
SENTENCE_END = re.compile(r"[.!?]\W*$")
DATELINE_MAX_CHARS = 200
BYLINE_MAX_CHARS = 80
NEIGHBOUR_TITLE_MAX_CHARS = 160
AUTHOR_NOTE_TAIL = 4  # author notes are among this many last paragraphs ...
AUTHOR_NOTE_MAX_CHARS = 800  # ... and at most this long
COPY_MIN_BLOCKS = 2  # a container read twice: at least this many blocks ...
COPY_MIN_CHARS = 500  # ... and this many characters
_COMPARABLE = re.compile(r"\W+")
HEADLINE_PREFIX_CHARS = 40  # a longer paragraph is compared with the headlines by its start first


def comparable(text: str) -> str:
    return _COMPARABLE.sub(" ", text).strip().casefold()


def _headline_or_empty(text: str, headlines: set[str]) -> bool:
    """Whether the paragraph holds no word character or reads as one of ``headlines``. A long one
    is first keyed by its first ``HEADLINE_PREFIX_CHARS`` characters: comparable() maps each run
    of characters on its own, so that key begins the whole text's, and when no headline begins
    with it the paragraph is none of them (most of an article's paragraphs, told apart without
    keying their whole text)."""
    if len(text) > HEADLINE_PREFIX_CHARS:
        head = comparable(text[:HEADLINE_PREFIX_CHARS])
        if head and not any(headline.startswith(head) for headline in headlines):
            return False
    key = comparable(text)
    return not key or key in headlines


def _is_date(text: str) -> bool:
    """Only a date (and time): a date shape, and nothing left once digits, punctuation and date
    words are removed."""
    if len(text) > DATE_MAX_CHARS or not DATE_SHAPE.search(text):
        return False
    return ISO_DATE.match(text) is not None or not DATE_WORDS.sub("", text).strip(" ,.:/-–—|·()+0123456789")


def _is_byline(text: str) -> bool:
    return len(text) <= BYLINE_MAX_CHARS and bool(BYLINE.match(text)) and not SENTENCE_END.search(text)


def _furniture_heading(block: Block) -> bool:
    text = block.text
    return len(text) <= SECTION_HEADING_MAX_CHARS and not SENTENCE_END.search(text) and bool(SECTION_HEADING.match(text))


def _container_sizes(blocks: list[Block]) -> dict[int, int]:
    sizes: dict[int, int] = {}
    for block in blocks:
        for node in block.path:
            sizes[node] = sizes.get(node, 0) + len(block.text)
    return sizes


def drop_author_notes(paragraphs: list[str], authors: set[str]) -> list[str]:
    """``paragraphs`` without the author notes at their end: one of the last AUTHOR_NOTE_TAIL
    paragraphs (never the first) opening with an author's name ("Jane Doe is a reporter who ...",
    "Jane Doe has no position in ...", a name alone)."""
    if not authors:
        return paragraphs
    start = max(1, len(paragraphs) - AUTHOR_NOTE_TAIL)
    return paragraphs[:start] + [
        text for text in paragraphs[start:] if len(text) > AUTHOR_NOTE_MAX_CHARS or not text.startswith(tuple(authors))
    ]


def drop_copies(blocks: list[Block]) -> list[Block]:
    """``blocks`` without the later copies of a container: a container whose blocks (at least
    COPY_MIN_BLOCKS, COPY_MIN_CHARS in all) read exactly as an earlier container's, not its
    ancestor, is a second rendering of the same text (responsive variants, a hidden mobile copy)."""
    texts: dict[int, list[str]] = {}
    paths: dict[int, tuple[int, ...]] = {}  # a container's first block's path: its ancestors
    for block in blocks:
        for node in block.path:
            if node not in texts:
                texts[node] = []
                paths[node] = block.path
            texts[node].append(block.text)
    first: dict[tuple[str, ...], int] = {}
    copies: set[int] = set()
    for node, members in texts.items():  # outer containers before the ones they hold
        if len(members) < COPY_MIN_BLOCKS or sum(map(len, members)) < COPY_MIN_CHARS:
            continue
        key = tuple(members)
        original = first.setdefault(key, node)
        if original != node and original not in paths[node]:
            copies.add(node)
    if not copies:
        return blocks
    return [block for block in blocks if copies.isdisjoint(block.path)]


def article_paragraphs(blocks: list[Block], headlines: set[str]) -> list[str]:
    """The texts of ``blocks`` that are the article's own, in order. ``headlines`` are comparable()
    forms of the page's title candidates."""
    kept: list[str] = []
    after_label = False
    sizes: dict[int, int] | None = None  # characters per container, counted at the first section heading
    total = sum(len(block.text) for block in blocks)
    section: int | None = None  # container of a furniture section being skipped
    for block in blocks:
        text = block.text
        if _furniture_heading(block):
            # An <h2>-<h6> opens a section: the rest of its container, when that is a small part of the text.
            container = block.path[-1] if block.path else None
            if block.tag in HEADING_TAGS and container is not None:
                sizes = _container_sizes(blocks) if sizes is None else sizes
                if sizes[container] <= SECTION_SHARE * total:
                    section = container
            continue
        if section is not None:
            if section in block.path and block.tag not in HEADING_TAGS:
                continue
            section = None
        was_label, after_label = after_label, False
        if _headline_or_empty(text, headlines):
            continue
        if FURNITURE_PHRASE.match(text):
            after_label = bool(NEIGHBOUR_LABEL.match(text))
            continue
        if was_label and len(text) <= NEIGHBOUR_TITLE_MAX_CHARS and not SENTENCE_END.search(text):
            continue
        if block.has_time and len(text) <= DATELINE_MAX_CHARS:
            continue
        if _is_byline(text) or _is_date(text):
            continue
        if len(text) <= CAPTION_MAX_CHARS and CAPTION_CREDIT.search(text):
            continue
        kept.append(text)
    return kept

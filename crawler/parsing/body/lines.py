"""Paragraph rules: what the region still holds that is not the article's own text.

Applied to the candidate paragraphs in order; each rule is about the text alone, in many
languages, and never about one site:
- furniture phrases standing alone ("No time to read?", "Get a summary", "Previous Article",
  "Advertisement", "Share this article", "Article précédent", ...), and the short neighbour
  headline that follows a previous/next label;
- datelines (a short paragraph holding a <time>) and bylines ("By Jane Doe", "Par ...");
- a repeat of the page's headline.
Repeated paragraphs are kept: tables and recipes repeat lines on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.parsing.body.blocks import Block

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
BYLINE = re.compile(r"^(?:by|par|von|por|door|di|av|af|przez|от|автор:?)\s+\w", re.I)
SENTENCE_END = re.compile(r"[.!?]\W*$")
DATELINE_MAX_CHARS = 200
BYLINE_MAX_CHARS = 80
NEIGHBOUR_TITLE_MAX_CHARS = 160
_COMPARABLE = re.compile(r"\W+")


def comparable(text: str) -> str:
    return _COMPARABLE.sub(" ", text).strip().casefold()


def _is_byline(text: str) -> bool:
    return len(text) <= BYLINE_MAX_CHARS and bool(BYLINE.match(text)) and not SENTENCE_END.search(text)


def article_paragraphs(blocks: Iterable[Block], headlines: set[str]) -> list[str]:
    """The texts of ``blocks`` that are the article's own, in order. ``headlines`` are comparable()
    forms of the page's title candidates."""
    kept: list[str] = []
    after_label = False
    for block in blocks:
        text = block.text
        key = comparable(text)
        was_label, after_label = after_label, False
        if not key or key in headlines:
            continue
        if FURNITURE_PHRASE.match(text):
            after_label = bool(NEIGHBOUR_LABEL.match(text))
            continue
        if was_label and len(text) <= NEIGHBOUR_TITLE_MAX_CHARS and not SENTENCE_END.search(text):
            continue
        if block.has_time and len(text) <= DATELINE_MAX_CHARS:
            continue
        if _is_byline(text):
            continue
        kept.append(text)
    return kept

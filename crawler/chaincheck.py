"""Verifying a guessed previous/next link when the neighbour's page is fetched. Pure: no Scrapy.

The parser guesses a page's neighbours from one page (``crawler.parsing.navigation``). The
spider follows the guess and, when the neighbour's page arrives, asks it two questions:

- does it link back to the page it was reached from, from the mirrored slot (the page's
  ``next`` must name us as its ``prev``, and the other way round)?
- is its date on the right side (a ``next`` neighbour is not older than us)?

The answer is a ``LinkCheck`` for the link that was followed, and, when the neighbour links
back, one for the neighbour's own mirrored link too (the same two-way fact):

- ``confirmed``: links back, dates in order (or not both known);
- ``wrong_date``: links back, but the dates say the direction is the other way round;
- ``no_link_back``: the neighbour's mirrored slot names another page or none: a one-way
  chain, or a wrong guess (a related box, a teaser);
- ``not_article``: the neighbour is no article page.

A link never checked (its neighbour was not fetched in the run) keeps no status.

``stored_checks`` asks the same questions of stored rows, for an import (``newscrawl import``),
where a page and its neighbour come in whatever order the files hold them: once both are
stored, the one stored second settles the link between them, both ways when it links back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crawler.urls import canonical_url

CONFIRMED, WRONG_DATE, NO_LINK_BACK, NOT_ARTICLE = "confirmed", "wrong_date", "no_link_back", "not_article"
_MIRROR = {"prev": "next", "next": "prev"}


@dataclass(frozen=True, slots=True)
class LinkCheck:
    url: str  # the page whose link was checked, as fetched
    side: str  # "prev" or "next"
    neighbour: str  # where the link points
    status: str  # CONFIRMED, WRONG_DATE, NO_LINK_BACK or NOT_ARTICLE


@dataclass(frozen=True, slots=True)
class _Guess:
    url: str
    side: str
    published_at: str | None


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=None) if moment.utcoffset() is None else moment


def _wrong_side(side: str, ours: str | None, theirs: str | None) -> bool:
    """The neighbour's date contradicts the side: a 'next' one older than us, a 'prev' one newer.
    Only compared when both carry an offset or both carry none (and at day precision if either is a day)."""
    first, second = _instant(ours), _instant(theirs)
    if first is None or second is None or (first.tzinfo is None) != (second.tzinfo is None):
        return False
    if ours is not None and theirs is not None and (len(ours) == 10 or len(theirs) == 10):
        first, second = first.date(), second.date()  # type: ignore[assignment]
    return second < first if side == "next" else second > first


class ChainChecks:
    """Guesses followed, waiting for their neighbour's page."""

    def __init__(self) -> None:
        self._waiting: dict[str, list[_Guess]] = {}

    def expect(self, url: str, side: str, neighbour: str, published_at: str | None) -> None:
        """``url``'s ``side`` link points at ``neighbour``, which is about to be fetched."""
        self._waiting.setdefault(canonical_url(neighbour), []).append(_Guess(url, side, published_at))

    def verify(self, url: str, parsed: Any) -> list[LinkCheck]:
        """The checks that the page at ``url`` (just parsed) settles."""
        checks = []
        for guess in self._waiting.pop(canonical_url(url), []):
            if not parsed.is_article:
                checks.append(LinkCheck(guess.url, guess.side, url, NOT_ARTICLE))
                continue
            mirror = _MIRROR[guess.side]
            back = getattr(parsed, f"{mirror}_url")
            if not back or canonical_url(back) != canonical_url(guess.url):
                checks.append(LinkCheck(guess.url, guess.side, url, NO_LINK_BACK))
                continue
            status = WRONG_DATE if _wrong_side(guess.side, guess.published_at, parsed.published_at) else CONFIRMED
            checks += [LinkCheck(guess.url, guess.side, url, status), LinkCheck(url, mirror, guess.url, status)]
        return checks


def stored_checks(article: Any, neighbours: dict[str, Any]) -> list[LinkCheck]:
    """The checks that stored rows settle for ``article``'s own prev/next links (``url``,
    ``prev_url``, ``next_url``, ``published_at`` attributes). ``neighbours``: the stored rows
    (same attributes) by canonical URL, as many as could be found; a link whose neighbour is
    not among them is not checked. A neighbour that links back settles both links."""
    checks = []
    for side in ("prev", "next"):
        link = getattr(article, f"{side}_url")
        neighbour = neighbours.get(canonical_url(link)) if link else None
        if neighbour is None or neighbour.url == article.url:
            continue
        mirror = _MIRROR[side]
        back = getattr(neighbour, f"{mirror}_url")
        if not back or canonical_url(back) != article.url:
            checks.append(LinkCheck(article.url, side, neighbour.url, NO_LINK_BACK))
            continue
        status = WRONG_DATE if _wrong_side(side, article.published_at, neighbour.published_at) else CONFIRMED
        checks += [LinkCheck(article.url, side, neighbour.url, status),
                   LinkCheck(neighbour.url, mirror, article.url, status)]
    return checks

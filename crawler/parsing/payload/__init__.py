"""The article a script-built page carries in its scripts' JSON, for pages whose markup shows none.

Read at parse cost, no browser: ``decode.py`` finds the JSON (``__NEXT_DATA__``, Nuxt's
state, Apollo and Redux states, ``JSON.parse`` calls), ``walk.py`` finds the field whose text
reads most as prose (the body) and the object holding it, ``fields.py`` reads the title,
dates, authors and neighbour links around that object by key name.

``parse_document`` uses it only when the visible page yields no body of its own (the body
is then read from the scripts, ``Body.from_scripts``), and only to fill fields the markup
left empty: a shell's ``<title>`` and meta tags still win where they exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from crawler.parsing.datecheck import DateCheck
from crawler.parsing.dates import Dates
from crawler.parsing.document import Document
from crawler.parsing.payload.decode import script_payloads
from crawler.parsing.payload.fields import (
    MODIFIED,
    NEXT,
    PREV,
    PUBLISHED,
    payload_authors,
    payload_date,
    payload_neighbour,
    payload_title,
)
from crawler.parsing.payload.walk import Found, find_body

__all__ = ["Found", "PayloadFields", "find_payload_body", "payload_fields"]


@dataclass(slots=True)
class PayloadFields:
    """What a payload says about its article beside the body; None or [] where it says nothing."""

    title: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    prev: tuple[str, str | None] | None = None  # (URL, headline)
    next: tuple[str, str | None] | None = None
    warnings: list[str] = field(default_factory=list)  # dates refused (DateCheck), as in ParseResult.date_warnings

    def fill_dates(self, dates: Dates) -> Dates:
        """``dates`` with the payload's where the markup gave none (its refusals added)."""
        dates.published = dates.published or self.published
        dates.modified = dates.modified or self.modified
        dates.warnings.extend(warning for warning in self.warnings if warning not in dates.warnings)
        return dates


def find_payload_body(doc: Document, headlines: set[str]) -> Found | None:
    """The body the page's script payloads hold and where it sits, or None."""
    payloads = script_payloads(doc)
    return find_body(payloads, headlines) if payloads else None


def payload_fields(found: Found, url: str, *, now: datetime | None = None) -> PayloadFields:
    """Title, dates, authors and neighbours around ``found`` (``fields.py``); dates are checked
    against ``now``, the fetch time."""
    now = now or datetime.now(UTC)
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    check, check_modified = DateCheck(now), DateCheck(now, "modified")
    return PayloadFields(
        title=payload_title(found),
        published=payload_date(found, PUBLISHED, check),
        modified=payload_date(found, MODIFIED, check_modified),
        authors=payload_authors(found),
        prev=payload_neighbour(found, PREV, url),
        next=payload_neighbour(found, NEXT, url),
        warnings=check.warnings + check_modified.warnings,
    )

"""Dates that sources give before a page is fetched, and the crawl's date window.

Feeds write RFC 822 dates (``Thu, 11 Sep 2025 08:30:00 +0200``), Atom and sitemaps
write W3C/ISO 8601 (``2025-09-11T08:30:00+02:00`` or ``2025-09-11``). Both become
timezone-aware datetimes in UTC; a date or time without an offset is read as UTC.

The window (``--since`` / ``--until``, both inclusive, by day when given as a day)
is applied to a URL before fetching when its source gives a date, and to the parsed
article's ``published_at`` otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parsedate_to_datetime

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_ISO_YEAR = re.compile(r"^(\d{4})$")


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_source_date(text: str | None) -> datetime | None:
    """Read a feed/sitemap/page date; None when the text is empty or not a date.

    Order tried: ISO 8601 (with the W3C reduced forms ``YYYY-MM`` and ``YYYY``,
    and a trailing ``Z``), then RFC 822 / RFC 2822.
    """
    if not text:
        return None
    text = text.strip()
    if not text:
        return None
    if month := _ISO_MONTH.match(text):
        return datetime(int(month[1]), int(month[2]), 1, tzinfo=UTC)
    if year := _ISO_YEAR.match(text):
        return datetime(int(year[1]), 1, 1, tzinfo=UTC)
    try:
        return _aware(datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00")))
    except ValueError:
        pass
    try:
        return _aware(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


def isoformat(value: datetime | None) -> str | None:
    """The UTC ISO 8601 form stored in the crawl state table."""
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


def parse_bound(text: str, *, end_of_day: bool) -> datetime:
    """Read a --since/--until value; a bare day means its start (since) or its end (until).

    Raises ValueError with a message for the user when the text is not a date.
    """
    text = text.strip()
    if _ISO_DAY.match(text):
        try:
            day = date.fromisoformat(text)
        except ValueError as exc:  # 2025-02-30: Python's words alone ("day is out of range for month") named no value
            raise ValueError(f"not a date: {text!r} ({exc})") from None
        moment = datetime.combine(day, time.max if end_of_day else time.min, tzinfo=UTC)
        return moment
    parsed = parse_source_date(text)
    if parsed is None:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD or an ISO 8601 date and time)")
    return parsed


@dataclass(frozen=True, slots=True)
class DateWindow:
    """Inclusive bounds; None on a side means open on that side."""

    since: datetime | None = None
    until: datetime | None = None

    @classmethod
    def from_text(cls, since: str | None = None, until: str | None = None) -> DateWindow:
        window = cls(
            parse_bound(since, end_of_day=False) if since else None,
            parse_bound(until, end_of_day=True) if until else None,
        )
        if window.since and window.until and window.since > window.until:
            raise ValueError(f"--since {since} is after --until {until}")
        return window

    @property
    def is_open(self) -> bool:
        return self.since is None and self.until is None

    def contains(self, moment: datetime | None) -> bool | None:
        """True/False when the date is known, None when it is not (decide after parsing)."""
        if moment is None:
            return None
        if self.since and moment < self.since:
            return False
        if self.until and moment > self.until:
            return False
        return True

    def contains_text(self, text: str | None) -> bool | None:
        """Like ``contains`` for an ISO or RFC 822 string; a bare day counts as that whole day."""
        if not text:
            return None
        if _ISO_DAY.match(text.strip()):
            start = parse_source_date(text)
            assert start is not None
            end = start + timedelta(days=1) - timedelta(microseconds=1)
            if self.since and end < self.since:
                return False
            if self.until and start > self.until:
                return False
            return True
        return self.contains(parse_source_date(text))

    def rejects(self, published: datetime | None, updated: datetime | None) -> bool:
        """True when a source's dates alone put a page outside the window, before fetching.

        ``published`` (feed entry date, news sitemap publication date) decides both sides.
        Without it, ``updated`` (sitemap lastmod, Atom updated) is an upper bound of the
        publication date: an entry last changed before ``since`` was published before it.
        """
        if published is not None:
            return self.contains(published) is False
        return bool(updated is not None and self.since and updated < self.since)

    def describe(self) -> str:
        since = isoformat(self.since) or "any"
        until = isoformat(self.until) or "any"
        return f"{since} .. {until}"

"""Whether a date can be the page's own, judged against the time the page was fetched.

A date more than FUTURE_TOLERANCE after the fetch, or before OLDEST, is refused; every
refusal is kept as a warning (``ParseResult.date_warnings``) so the pipeline can log and
count it: nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

FUTURE_TOLERANCE = timedelta(days=1)  # time zones and clock skew: a page may date itself this far after the fetch
OLDEST = date(1990, 1, 1)  # no news page on the web is older; earlier values are placeholders (0001-01-01, 1970-01-01)

Accept = Callable[[str, str], bool]  # (ISO value, where it was found) -> may it be the page's date?


def as_moment(value: str) -> datetime | None:
    """An aware datetime for an ISO value from ``parse_date`` (a day is its midnight; no offset
    is read as UTC)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(slots=True)
class DateCheck:
    """Refuses dates a page cannot carry, and remembers each refusal as a warning:
    ``future_date`` (after the fetch time plus FUTURE_TOLERANCE), ``date_before_1990``,
    ``not_a_date`` (a value with an impossible day)."""

    now: datetime
    field_name: str = "published"
    warnings: list[str] = field(default_factory=list)

    def reason(self, value: str) -> str | None:
        moment = as_moment(value)
        if moment is None:
            return "not_a_date"
        if moment > self.now + FUTURE_TOLERANCE:
            return "future_date"
        if moment.date() < OLDEST:
            return "date_before_1990"
        return None

    def __call__(self, value: str, source: str) -> bool:
        reason = self.reason(value)
        if reason is None:
            return True
        warning = f"{reason}: {self.field_name} date {value} ({source}) refused, fetched at {self.now.isoformat()}"
        if warning not in self.warnings:
            self.warnings.append(warning)
        return False
